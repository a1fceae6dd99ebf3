import { api, newIdempotencyKey } from '../../../api/client.ts';

/**
 * The best-interests determination (BID) as the browser sees it (src/http/routes/protection-bids.ts):
 * a panel convened on a case, each member's confidentiality undertaking, the child's and the parents'
 * views, the options with their evidence, the panel's deliberations and votes (only the panel and the
 * supervisor receive those), the decision with any dissent, reviews and appeals. Every change is one
 * action posted with the version it was made on and a client-made idempotency key.
 */

export interface PanelMember {
  /** "user:<id>", as the votes and the history name the member. */
  member: string;
  profession: string;
  /** When the member signed the confidentiality undertaking; null while pending. */
  signedAt: string | null;
}

export type ChildViewsInput = { heard: true; language: string; views: string; ageAndMaturity: string } | { heard: false; reasonNotHeard: string };
export type ChildViews = ChildViewsInput & { by: string; at: string };

export interface ParentViews {
  who: string;
  views: string;
  by: string;
  at: string;
}

export interface BidOption {
  option: string;
  evidence: string;
  by: string;
  at: string;
}

export interface Deliberation {
  note: string;
  by: string;
  at: string;
  round: number;
}

export interface Vote {
  member: string;
  option: string;
  reasons: string;
  at: string;
}

export interface Dissent {
  member: string;
  option: string;
  reasons: string;
}

export interface Decision {
  option: string;
  reasons: string;
  reviewOn: string;
  dissent: Dissent[];
  tally: { option: string; votes: number }[];
  by: string;
  at: string;
  round: number;
}

export interface Review {
  outcome: 'confirmed' | 'reopened';
  reason: string;
  by: string;
  at: string;
}

export interface Appeal {
  by: 'child' | 'guardian' | 'parent';
  grounds: string;
  recordedBy: string;
  at: string;
  outcome: 'upheld' | 'overturned' | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

/** The record's state as the reader may see it (BidView in src/protection/bid-rules.ts). */
export interface BidState {
  caseId: string;
  question: string;
  convenedBy: string;
  convenedAt: string;
  panel: PanelMember[];
  childViews: ChildViews | null;
  parentViews: ParentViews[];
  options: BidOption[];
  /** null for a reader outside the panel and the supervisors. */
  deliberations: Deliberation[] | null;
  /** The current round's votes; null for a reader outside the panel and the supervisors. */
  votes: Vote[] | null;
  round: number;
  decision: Decision | null;
  pastDecisions: Decision[];
  reviewOn: string | null;
  reviews: Review[];
  appeals: Appeal[];
}

/** GET /protection/bids/:id and every action's answer (BidResultView). */
export interface BidResult {
  id: string;
  version: number;
  status: string;
  jurisdiction: string;
  bid: BidState;
  role: { member: boolean; signed: boolean; supervisor: boolean; caseWorker: boolean };
  allowedActions: string[];
}

/** A determination as the screens use it: the state, its version and status, and the names of the people in it. */
export type Bid = BidState & Omit<BidResult, 'bid'> & { names: Record<string, string> };

/** One line of GET /protection/bids (BidSummaryView): no names. */
export interface BidSummary {
  id: string;
  caseId: string;
  jurisdiction: string;
  question: string;
  status: string;
  version: number;
  round: number;
  panelSize: number;
  signed: number;
  decision: string | null;
  reviewOn: string | null;
  as: 'member' | 'supervisor';
  /** null for a supervisor who does not sit on the panel. */
  signedByMe: boolean | null;
  updatedAt: string;
}

export interface BidPage {
  items: BidSummary[];
  nextCursor: string | null;
}

export interface ConveneInput {
  question: string;
  panel: { userId: string; profession: string }[];
}

export type BidAction =
  | { type: 'SIGN_UNDERTAKING' }
  | { type: 'CHILD_VIEWS'; childViews: ChildViewsInput }
  | { type: 'PARENT_VIEWS'; who: string; views: string }
  | { type: 'ADD_OPTION'; option: string; evidence: string }
  | { type: 'DELIBERATE'; note: string }
  | { type: 'VOTE'; option: string; reasons: string }
  | { type: 'DECIDE'; option: string; reasons: string; reviewOn: string }
  | { type: 'REVIEW'; outcome: 'confirmed' | 'reopened'; reason: string; nextReviewOn?: string }
  | { type: 'APPEAL'; by: 'child' | 'guardian' | 'parent'; grounds: string }
  | { type: 'APPEAL_DECIDED'; outcome: 'upheld' | 'overturned'; reason: string };

/** One step of a determination's history (GET /protection/bids/:id/actions), for the names of who took it. */
export interface BidStep {
  seq: number;
  type: string;
  actor: string;
  actorName: string | null;
  at: string;
}

export const bidKeys = {
  all: ['protection', 'bids'] as const,
  list: () => ['protection', 'bids', 'list'] as const,
  one: (id: string) => ['protection', 'bids', 'one', id] as const,
};

/**
 * What the kz pack allows (config/kz/protection.json, bid): the screens offer these, each named in
 * the messages; the server checks every value against the pack it runs with.
 */
export const questions = ['durable_solution', 'separation_from_parents', 'alternative_care', 'other'] as const;
export const professions = ['social_work', 'law', 'psychology', 'health', 'education', 'child_protection', 'migration'] as const;
export const bidOptions = ['family_reunification', 'local_integration', 'return', 'resettlement', 'alternative_care', 'remain_with_parents', 'separation_from_parents'] as const;
export const minPanel = 3;

export function listBids(cursor: string | undefined): Promise<BidPage> {
  return api<BidPage>('GET', '/protection/bids', { query: { cursor, limit: 50 } });
}

/** The names the history gives the people who took a step (the panel's seats carry ids only). */
export function namesOf(steps: readonly BidStep[]): Record<string, string> {
  return Object.fromEntries(steps.filter((s) => s.actorName).map((s) => [s.actor, s.actorName as string]));
}

export function toBid(result: BidResult, names: Record<string, string> = {}): Bid {
  const { bid, ...rest } = result;
  return { ...bid, ...rest, names };
}

export async function getBid(id: string): Promise<Bid> {
  const [result, steps] = await Promise.all([
    api<BidResult>('GET', `/protection/bids/${id}`),
    api<{ items: BidStep[] }>('GET', `/protection/bids/${id}/actions`).then(
      (answer) => answer.items,
      () => [] as BidStep[],
    ),
  ]);
  return toBid(result, namesOf(steps));
}

export function convene(caseId: string, input: ConveneInput, idempotencyKey: string = newIdempotencyKey()): Promise<BidResult> {
  return api<BidResult>('POST', `/protection/cases/${caseId}/bids`, { body: input, idempotencyKey });
}

export function act(bid: Pick<Bid, 'id' | 'version'>, action: BidAction, idempotencyKey: string = newIdempotencyKey()): Promise<BidResult> {
  return api<BidResult>('POST', `/protection/bids/${bid.id}/actions`, { body: { ...action, expectedVersion: bid.version }, idempotencyKey });
}

/** What a convene form holds wrong before it is sent: too few members, a member twice, a profession twice. */
export function panelProblems(panel: { userId: string; profession: string }[], min = minPanel): { tooFew: boolean; repeatedMember: number[]; repeatedProfession: number[]; missing: number[] } {
  const missing = panel.flatMap((m, i) => (!m.userId.trim() || !m.profession ? [i] : []));
  const repeated = (key: (m: { userId: string; profession: string }) => string) =>
    panel.flatMap((m, i) => (key(m) && panel.findIndex((other) => key(other) === key(m)) !== i ? [i] : []));
  return {
    tooFew: panel.filter((m) => m.userId.trim() && m.profession).length < min,
    repeatedMember: repeated((m) => m.userId.trim()),
    repeatedProfession: repeated((m) => m.profession),
    missing,
  };
}

/** The votes counted by option, most votes first (ties in the order the options were first voted). */
export function tally(votes: readonly Vote[]): { option: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const vote of votes) counts.set(vote.option, (counts.get(vote.option) ?? 0) + 1);
  return [...counts].map(([option, count]) => ({ option, count })).sort((a, b) => b.count - a.count);
}

/** The option most members voted for, when one has more votes than any other. */
export function majority(votes: readonly Vote[]): string | undefined {
  const [first, second] = tally(votes);
  if (!first || (second && second.count === first.count)) return undefined;
  return first.option;
}

/** The guided flow's steps, in order, each done or not by what the BID holds. */
export const steps = ['panel', 'undertakings', 'childViews', 'parentViews', 'options', 'votes', 'decision', 'review'] as const;
export type Step = (typeof steps)[number];

export function stepsDone(bid: Bid): Record<Step, boolean> {
  const signed = bid.panel.filter((m) => m.signedAt).length;
  return {
    panel: bid.panel.length >= minPanel,
    undertakings: bid.panel.length > 0 && signed === bid.panel.length,
    childViews: bid.childViews !== null,
    parentViews: bid.parentViews.length > 0,
    options: bid.options.length > 0,
    votes: bid.decision !== null || (bid.votes !== null && bid.votes.length >= minPanel),
    decision: bid.decision !== null,
    review: bid.reviews.length > 0 || bid.appeals.length > 0,
  };
}

/** The first step not done yet: where the flow stands. */
export function currentStep(bid: Bid): Step {
  const done = stepsDone(bid);
  return steps.find((s) => !done[s] && s !== 'review') ?? 'review';
}

/** An ISO date some days after a given one (the default review date after a decision). */
export function daysAfter(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
