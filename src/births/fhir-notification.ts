import { Value } from 'typebox/value';
import { isIsoDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { Notification } from './declaration.ts';

/**
 * Birth notifications as hospitals already send them, in FHIR R4: the OpenCRVS v1 "Event
 * Notification" document Bundle (Composition coded birth-notification), HL7 BFDR live-birth
 * document Bundles, and the BFDR submission message Bundle that wraps one. Whatever is present and
 * understood is mapped; the rest is ignored; what is malformed is refused with the path of the
 * offending element (entry[2].resource.birthDate), so the sender can find it.
 */
type Obj = Record<string, unknown>;

interface Entry {
  resource: Obj;
  fullUrl: string | undefined;
  path: string;
}

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** At most `max` UTF-16 units, never cutting a surrogate pair in two (half a pair is not text). */
const cut = (value: string, max: number): string => (value.length <= max ? value : value.slice(0, /[\uD800-\uDBFF]/.test(value[max - 1]!) ? max - 1 : max));

function malformed(field: string, message: string): AppError {
  return new AppError('validation_failed', message, { field, hint: 'correct the element at this path of the FHIR Bundle and send it again' });
}

export function isFhirBundle(body: unknown): boolean {
  return isObj(body) && body.resourceType === 'Bundle';
}

/** A birth report has a few dozen entries; a cap keeps one request from holding the event loop. */
export const maxBundleEntries = 200;

function entriesOf(bundle: Obj, path: string): Entry[] {
  if (!Array.isArray(bundle.entry)) throw malformed(`${path}entry`, 'a Bundle needs an entry array');
  if (bundle.entry.length > maxBundleEntries) throw malformed(`${path}entry`, `a Bundle may carry at most ${maxBundleEntries} entries; this one has ${bundle.entry.length}`);
  return bundle.entry.map((raw, i) => {
    const at = `${path}entry[${i}]`;
    if (!isObj(raw) || !isObj(raw.resource) || typeof raw.resource.resourceType !== 'string') throw malformed(`${at}.resource`, 'every entry needs a resource with a resourceType');
    return { resource: raw.resource, fullUrl: str(raw.fullUrl), path: `${at}.resource` };
  });
}

/** A message Bundle carries the document Bundle as an entry (or inside its Parameters). */
function documentEntries(bundle: Obj): Entry[] {
  const entries = entriesOf(bundle, '');
  if (bundle.type !== 'message') return entries;
  for (const entry of entries) {
    if (entry.resource.resourceType === 'Bundle') return entriesOf(entry.resource, `${entry.path}.`);
    for (const [i, parameter] of list(entry.resource.parameter).entries()) {
      if (isObj(parameter) && isObj(parameter.resource) && parameter.resource.resourceType === 'Bundle') {
        return entriesOf(parameter.resource, `${entry.path}.parameter[${i}].resource.`);
      }
    }
  }
  throw malformed('entry', 'a message Bundle must carry the birth report document Bundle');
}

/**
 * Resolves a Reference to its entry: by fullUrl, by ResourceType/id, or by the tail of a fullUrl
 * (`Patient/123` for `http://…/Patient/123`). Every key is indexed once, so resolving is a lookup
 * and a Bundle is read in time linear in its size; the first entry with a key wins, as a scan would.
 */
type Resolve = (reference: unknown) => Entry | undefined;

function resolver(entries: Entry[]): Resolve {
  const index = new Map<string, Entry>();
  const add = (key: string, entry: Entry) => {
    if (!index.has(key)) index.set(key, entry);
  };
  for (const entry of entries) {
    if (entry.fullUrl) {
      add(entry.fullUrl, entry);
      // References name at most a few path segments (Patient/123/_history/2): index those tails only.
      let at = entry.fullUrl.length;
      for (let segments = 0; segments < 4; segments++) {
        at = entry.fullUrl.lastIndexOf('/', at - 1);
        if (at < 0) break;
        add(entry.fullUrl.slice(at + 1), entry);
      }
    }
    add(`${String(entry.resource.resourceType)}/${String(entry.resource.id)}`, entry);
  }
  return (reference) => {
    const ref = isObj(reference) ? str(reference.reference) : undefined;
    return ref ? index.get(ref) : undefined;
  };
}

const codes = (concept: unknown): string[] => list(isObj(concept) ? concept.coding : undefined).flatMap((c) => (isObj(c) && typeof c.code === 'string' ? [c.code] : []));
const profiles = (resource: Obj): string[] => list(isObj(resource.meta) ? resource.meta.profile : undefined).filter((p): p is string => typeof p === 'string');

/** The Composition's section with this OpenCRVS code, resolved to its first entry. */
function section(composition: Entry | undefined, code: string, resolve: Resolve): Entry | undefined {
  for (const s of list(composition?.resource.section)) {
    if (isObj(s) && codes(s.code).includes(code)) return resolve(list(s.entry)[0]);
  }
  return undefined;
}

function patients(entries: Entry[]): Entry[] {
  return entries.filter((e) => e.resource.resourceType === 'Patient');
}

function findChild(entries: Entry[], composition: Entry | undefined, resolve: Resolve): Entry {
  const candidate =
    section(composition, 'child-details', resolve) ??
    [resolve(composition?.resource.subject)].find((e) => e?.resource.resourceType === 'Patient') ??
    patients(entries).find((e) => profiles(e.resource).some((p) => /child/i.test(p)));
  if (!candidate) throw malformed('entry', 'no Patient resource for the child: name it in the Composition (subject, or the child-details section)');
  return candidate;
}

function findMother(entries: Entry[], composition: Entry | undefined, resolve: Resolve, child: Entry): Entry | undefined {
  return (
    section(composition, 'mother-details', resolve) ??
    patients(entries).find((e) => e !== child && profiles(e.resource).some((p) => /mother/i.test(p))) ??
    patients(entries).find((e) => e !== child && e.resource.gender === 'female')
  );
}

const datePattern = /^(\d{4}-\d{2}-\d{2})(T(\d{2}):(\d{2}))?/;

function extension(resource: Obj, suffix: string): Obj | undefined {
  return list(resource.extension).find((x): x is Obj => isObj(x) && typeof x.url === 'string' && x.url.endsWith(suffix));
}

function childFacts(child: Entry): Pick<Notification['child'], 'sex' | 'dateOfBirth' | 'timeOfBirth'> & { birthOrder?: number } {
  const r = child.resource;
  const birthDate = r.birthDate;
  if (birthDate === undefined) throw malformed(`${child.path}.birthDate`, 'the child’s birthDate is missing');
  const match = typeof birthDate === 'string' ? datePattern.exec(birthDate) : null;
  if (!match || !isIsoDate(match[1]!)) throw malformed(`${child.path}.birthDate`, 'the child’s birthDate is not a calendar date (YYYY-MM-DD, 1900–2099)');
  if (r.gender !== undefined && r.gender !== null && typeof r.gender !== 'string') throw malformed(`${child.path}.gender`, 'gender must be a code');
  const birthSex = extension(r, 'us-core-birthsex');
  const sexCode = str(r.gender) ?? str(birthSex?.valueCode) ?? codes(birthSex?.valueCodeableConcept)[0];
  const sex = ({ male: 'male', M: 'male', female: 'female', F: 'female' } as const)[sexCode as 'M'];
  // The time as written where the birth happened, not converted to any other zone.
  const birthTime = extension(isObj(r._birthDate) ? r._birthDate : {}, 'patient-birthTime');
  const timeMatch = datePattern.exec(str(birthTime?.valueDateTime) ?? '') ?? match;
  const timeOfBirth = timeMatch[3] ? `${timeMatch[3]}:${timeMatch[4]}` : undefined;
  let birthOrder: number | undefined;
  if (r.multipleBirthInteger !== undefined && r.multipleBirthInteger !== null) {
    if (!Number.isInteger(r.multipleBirthInteger) || (r.multipleBirthInteger as number) < 1) throw malformed(`${child.path}.multipleBirthInteger`, 'multipleBirthInteger must be a positive whole number');
    birthOrder = r.multipleBirthInteger as number;
  }
  return { ...(sex && { sex }), dateOfBirth: match[1]!, ...(timeOfBirth && { timeOfBirth }), ...(birthOrder && { birthOrder }) };
}

const pluralityWords: Record<string, number> = { SINGLE: 1, TWIN: 2, TRIPLET: 3, QUADRUPLET: 4, QUINTUPLET: 5 };
const gramsPer: Record<string, number> = { g: 1, kg: 1000, '[lb_av]': 453.59237, lb: 453.59237, '[oz_av]': 28.349523125, oz: 28.349523125 };

/** Birth weight and plurality from the Observations the two formats use. */
function observations(entries: Entry[], child: Entry, resolve: Resolve): Pick<Notification['child'], 'weightGrams' | 'plurality'> {
  const result: Pick<Notification['child'], 'weightGrams' | 'plurality'> = { plurality: 1 };
  for (const e of entries) {
    if (e.resource.resourceType !== 'Observation') continue;
    const code = codes(e.resource.code);
    const quantity = isObj(e.resource.valueQuantity) ? e.resource.valueQuantity : undefined;
    // BFDR "Birth weight Measured"; OpenCRVS sends the child's weight as "Body weight Measured".
    if (code.includes('8339-4') || code.includes('3141-9')) {
      const subject = resolve(e.resource.subject);
      if (subject && subject !== child) continue;
      const value = quantity?.value;
      if (typeof value !== 'number' || value <= 0) throw malformed(`${e.path}.valueQuantity.value`, 'a birth weight must be a positive number');
      const unit = str(quantity?.code) ?? str(quantity?.unit) ?? 'g';
      const factor = gramsPer[unit];
      if (!factor) throw malformed(`${e.path}.valueQuantity.code`, `unknown weight unit ${unit}: use g, kg or [lb_av]`);
      result.weightGrams = Math.round(value * factor);
    }
    // Plurality: LOINC 57722-1 (OpenCRVS puts SINGLE / TWIN … in valueQuantity.value), or the
    // BFDR count of infants delivered alive in this delivery.
    if (code.includes('57722-1') || code.includes('73773-4')) {
      const raw = quantity?.value ?? e.resource.valueInteger ?? codes(e.resource.valueCodeableConcept)[0];
      const plurality = typeof raw === 'number' ? raw : pluralityWords[String(raw).toUpperCase()];
      if (!Number.isInteger(plurality) || plurality! < 1 || plurality! > 8) throw malformed(`${e.path}.value`, `plurality ${String(raw)} is not understood: give a number of children or SINGLE, TWIN, TRIPLET`);
      result.plurality = plurality!;
    }
  }
  return result;
}

function motherFacts(mother: Entry | undefined, task: Entry | undefined): Pick<Notification, 'mother' | 'contact'> {
  const contact: NonNullable<Notification['contact']> = {};
  for (const x of list(task?.resource.extension)) {
    if (!isObj(x) || typeof x.url !== 'string') continue;
    if (x.url.endsWith('contact-person-phone-number') && str(x.valueString)) contact.phone = cut(str(x.valueString)!, 30);
    if (x.url.endsWith('contact-person-email') && str(x.valueString)) contact.email = cut(str(x.valueString)!, 200);
  }
  if (!mother) return Object.keys(contact).length ? { contact } : {};
  const r = mother.resource;
  const m: NonNullable<Notification['mother']> = {};
  const name = list(r.name).find((n): n is Obj => isObj(n) && n.use !== 'maiden') ?? list(r.name).find(isObj);
  if (name) {
    if (str(name.family)) m.surname = cut(str(name.family)!, 100);
    const given = list(name.given).map(str).filter(Boolean) as string[];
    if (given[0]) m.givenName = cut(given[0], 100);
  }
  if (typeof r.birthDate === 'string') {
    const match = datePattern.exec(r.birthDate);
    if (!match || !isIsoDate(match[1]!)) throw malformed(`${mother.path}.birthDate`, 'the mother’s birthDate is not a calendar date (YYYY-MM-DD, 1900–2099)');
    m.dateOfBirth = match[1]!;
  }
  for (const id of list(r.identifier)) {
    if (!isObj(id)) continue;
    const value = str(id.value);
    const type = [...codes(id.type), str(id.system) ?? ''].join(' ');
    if (!value) continue;
    // A 12-digit national number is an IIN and is checked as one; other documents are kept as documents.
    if (/^\d{12}$/.test(value) && /NATIONAL_ID|IIN|NNxx|NI\b/i.test(type)) m.iin = value;
    else if (/PASSPORT|PPN/i.test(type)) m.document = { type: 'passport', number: cut(value, 40) };
    else if (/NATIONAL_ID|NI\b/i.test(type)) m.document = { type: 'national_id', number: cut(value, 40) };
  }
  const nationality = extension(r, 'patient-nationality');
  const country = list(nationality?.extension).flatMap((x) => (isObj(x) && x.url === 'code' ? codes(x.valueCodeableConcept) : []))[0];
  if (country && /^[A-Z]{2}$/.test(country)) m.citizenship = country;
  for (const t of list(r.telecom)) {
    if (!isObj(t)) continue;
    if (t.system === 'phone' && str(t.value) && !contact.phone) contact.phone = cut(str(t.value)!, 30);
    if (t.system === 'email' && str(t.value) && !contact.email) contact.email = cut(str(t.value)!, 200);
  }
  return { ...(Object.keys(m).length && { mother: m }), ...(Object.keys(contact).length && { contact }) };
}

function facilityOf(entries: Entry[], resolve: Resolve): string | undefined {
  for (const e of entries) {
    if (e.resource.resourceType !== 'Encounter') continue;
    for (const l of list(e.resource.location)) {
      if (!isObj(l) || !isObj(l.location)) continue;
      const ref = str(l.location.reference);
      if (!ref) continue;
      const location = resolve(l.location);
      const identifier = location && list(location.resource.identifier).map((i) => (isObj(i) ? str(i.value) : undefined)).find(Boolean);
      return identifier ?? ref.replace(/^Location\//, '');
    }
  }
  return undefined;
}

/**
 * The Notification a FHIR birth Bundle carries, checked against the Notification schema.
 * `facilityId`, when given, wins over the Bundle's Encounter location (see notifyBirth).
 */
export function notificationFromFhir(bundle: unknown, options: { facilityId?: string }): Notification {
  const notification = mapBundle(bundle, options);
  const first = [...Value.Errors(Notification, notification)][0];
  if (first) {
    const field = first.instancePath.slice(1).replaceAll('/', '.');
    throw new AppError('validation_failed', `${field} ${first.message}`, { field, hint: 'the value came from the FHIR Bundle: correct it there' });
  }
  return notification;
}

function mapBundle(bundle: unknown, options: { facilityId?: string }): Notification {
  if (!isObj(bundle) || bundle.resourceType !== 'Bundle') throw malformed('resourceType', 'expected a FHIR Bundle (resourceType "Bundle")');
  const entries = documentEntries(bundle);
  const resolve = resolver(entries);
  const composition = entries.find((e) => e.resource.resourceType === 'Composition');
  const child = findChild(entries, composition, resolve);
  const task = entries.find((e) => e.resource.resourceType === 'Task');
  const facilityId = options.facilityId ?? facilityOf(entries, resolve);
  if (!facilityId) throw malformed('facilityId', 'the Bundle names no place of birth: add an Encounter with a location, or send ?facilityId=');
  const certificate = composition && isObj(composition.resource.identifier) ? str(composition.resource.identifier.value) : undefined;
  const { birthOrder, ...facts } = childFacts(child);
  return {
    facilityId: cut(facilityId, 64),
    child: { ...facts, birthOrder: birthOrder ?? 1, ...observations(entries, child, resolve) },
    ...motherFacts(findMother(entries, composition, resolve, child), task),
    ...(certificate && { medicalCertificateNumber: cut(certificate, 60) }),
  };
}
