import type { LinkageInput, PersonInput } from '../../../../src/linkage/subject.ts';
import { api, ApiProblem } from '../../api/client.ts';

/**
 * Record linkage as the browser sees it (src/http/routes/linkage.ts): search over births, and the
 * duplicate review — the queue of suspected pairs, both records side by side with the field-by-field
 * comparison, and the registrar's decision. Query strings carry what the server needs; the screens
 * keep what was searched for in their state, never in the address bar.
 */

export type Person = PersonInput;
export type Facts = Omit<LinkageInput, 'recordId'> & { recordId?: string };

/** One search result (SearchHitView). */
export interface SearchHit {
  recordId: string;
  status: string;
  number: string | null;
  iin: string | null;
  jurisdiction: string;
  officeId: string | null;
  child: Facts['child'];
  mother: Person | null;
  father: Person | null;
  score: number | null;
  matchedBy: 'iin' | 'number' | 'name' | 'filters';
}

export interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
}

/** What the search form sends: every field optional, empty ones left out. */
export interface SearchQuery {
  q?: string;
  mother?: string;
  father?: string;
  motherIin?: string;
  dobFrom?: string;
  dobTo?: string;
  sex?: string;
  place?: string;
  status?: string;
  office?: string;
}

export type PairStatus = 'open' | 'duplicate' | 'not_duplicate' | 'closed';

/** A suspected pair (PairView): recordA the earlier record, recordB the one suspected of repeating it. */
export interface Pair {
  id: string;
  recordA: string;
  recordB: string;
  score: number;
  band: string;
  source: string;
  status: PairStatus;
  foundAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

/** One record of a pair (RecordView). */
export interface ReviewRecord {
  id: string;
  status: string;
  version: number;
  number: string | null;
  iin: string | null;
  legacyRef: string | null;
  jurisdiction: string;
  officeId: string | null;
  createdAt: string;
  facts: Facts | null;
}

/** One field of the comparison (FieldScore in src/linkage/scoring.ts). */
export interface FieldScore {
  field: string;
  level: string;
  weight: number;
  a: string | null;
  b: string | null;
  note?: string;
}

export interface Comparison {
  score: number;
  band: string;
  fields: FieldScore[];
}

export interface QueueItem {
  pair: Pair;
  a: ReviewRecord;
  b: ReviewRecord;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export interface Review extends QueueItem {
  comparison: Comparison | null;
}

export interface Decision {
  decision: 'duplicate' | 'not_duplicate';
  keep?: string;
  reason: string;
}

export const linkageKeys = {
  search: (query: SearchQuery) => ['linkage', 'search', query] as const,
  queue: (status: PairStatus) => ['linkage', 'duplicates', status] as const,
  review: (id: string) => ['linkage', 'review', id] as const,
  ofRecord: (id: string) => ['linkage', 'record', id] as const,
};

/** Only the fields that say something: the server refuses empty strings. */
function filled(query: SearchQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '').map(([k, v]) => [k, v.trim()]));
}

export function searchBirths(query: SearchQuery, cursor: string | undefined, signal?: AbortSignal): Promise<SearchPage> {
  return api<SearchPage>('GET', '/search', { query: { ...filled(query), cursor, limit: 25 }, signal });
}

export function listPairs(status: PairStatus, cursor: string | undefined): Promise<QueuePage> {
  return api<QueuePage>('GET', '/duplicates', { query: { status, cursor, limit: 25 } });
}

export function pairsOfRecord(recordId: string): Promise<QueueItem[]> {
  return api<QueuePage>('GET', '/duplicates', { query: { record: recordId } }).then((page) => page.items);
}

export function getReview(id: string): Promise<Review> {
  return api<Review>('GET', `/duplicates/${id}`);
}

export function decide(id: string, decision: Decision): Promise<Pair> {
  return api<Pair>('POST', `/duplicates/${id}/decision`, { body: decision });
}

/** The child's names as the registers write them, surname first; undefined when none were given yet. */
export function childName(child: Partial<Person> | null | undefined): string | undefined {
  return personName(child);
}

export function personName(person: Partial<Person> | null | undefined): string | undefined {
  if (!person) return undefined;
  return [person.surname, person.givenName, person.patronymic].filter(Boolean).join(' ') || undefined;
}

/** The field a refusal names, without the request part Fastify puts before it (querystring., body.). */
export function refusedField(error: unknown): string | undefined {
  if (!(error instanceof ApiProblem) || !error.field) return undefined;
  return error.field.replace(/^\/+/, '').replace(/\//g, '.').replace(/^(querystring|body|params)\./, '');
}

/** The record of a pair kept by default on a duplicate decision: the registered one, else the earlier (as the server decides). */
export function defaultKeep(a: ReviewRecord, b: ReviewRecord): string {
  const registered = (r: ReviewRecord) => r.number !== null;
  if (registered(a) && !registered(b)) return a.id;
  if (registered(b) && !registered(a)) return b.id;
  return a.createdAt <= b.createdAt ? a.id : b.id;
}

/** A comparison note (`swapped`, `days_apart:N`, `one_delivery`, `another_child`) as a message key and its values. */
export function readNote(note: string | undefined): { key: 'swapped' | 'daysApart' | 'oneDelivery' | 'anotherChild'; days?: number } | { key: 'other'; text: string } | undefined {
  if (!note) return undefined;
  if (note === 'swapped') return { key: 'swapped' };
  if (note === 'one_delivery') return { key: 'oneDelivery' };
  if (note === 'another_child') return { key: 'anotherChild' };
  const days = /^days_apart:(\d+)$/.exec(note);
  if (days) return { key: 'daysApart', days: Number(days[1]) };
  return { key: 'other', text: note };
}

/** Whether a field's weight speaks for one birth (agree), against (disagree), or not at all. */
export function toneOf(field: Pick<FieldScore, 'level' | 'weight'>): 'agree' | 'disagree' | 'neutral' {
  if (field.level === 'missing' || field.weight === 0) return 'neutral';
  return field.weight > 0 ? 'agree' : 'disagree';
}

/** A weight with its sign, to one decimal: +7.7, −7.6, +0.0 (a weight too small to show still says which way it leans), 0.0. */
export function formatWeight(value: number, language: string): string {
  return new Intl.NumberFormat(language, { signDisplay: value === 0 ? 'never' : 'always', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}
