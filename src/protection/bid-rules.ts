import type { BidActionType, BidState, BidStatus, Decision, Dissent, PanelMember, PanelSeat, Vote } from './bid-record.ts';
import { bidTransitions } from './bid-record.ts';
import type { ProtectionSettings } from './settings.ts';

/**
 * The rules of the best-interests determination, pure: whether a panel may sit, whether it may
 * decide (quorum, the child's views), what it decided (the majority) and who dissented, who may take
 * which step, and what each reader sees. The use cases (bids.ts) turn a problem into an AppError.
 */
export type BidRules = ProtectionSettings['bid'];

/** What is wrong, for a person and a machine: which field, what, and what to do. */
export interface Problem {
  code: 'validation_failed' | 'conflict' | 'forbidden';
  field: string;
  message: string;
  hint?: string;
}

/**
 * A panel may sit when it has at least minPanel members, each once, of distinct professions that
 * the pack knows. The first problem, or null.
 */
export function panelProblem(panel: readonly PanelSeat[], rules: Pick<BidRules, 'minPanel' | 'professions'>): Problem | null {
  for (const [i, seat] of panel.entries()) {
    if (!rules.professions.includes(seat.profession)) {
      return { code: 'validation_failed', field: `panel[${i}].profession`, message: `${seat.profession} is not a profession a panel may have`, hint: `one of ${rules.professions.join(', ')}` };
    }
    const first = panel.findIndex((s) => s.member === seat.member);
    if (first !== i) return { code: 'validation_failed', field: `panel[${i}].member`, message: 'the same person sits on the panel twice', hint: 'each member sits once' };
    const same = panel.findIndex((s) => s.profession === seat.profession);
    if (same !== i) {
      return { code: 'validation_failed', field: `panel[${i}].profession`, message: `two members of the profession ${seat.profession}: a panel's members are of different professions`, hint: 'choose a member of another profession' };
    }
  }
  if (panel.length < rules.minPanel) {
    return { code: 'validation_failed', field: 'panel', message: `a panel has at least ${rules.minPanel} members of different professions; ${panel.length} named`, hint: `name ${rules.minPanel - panel.length} more` };
  }
  return null;
}

/** The members who signed the confidentiality undertaking. */
export function signedMembers(panel: readonly PanelMember[]): PanelMember[] {
  return panel.filter((m) => m.signedAt !== null);
}

/** The votes that count: the latest of each signed member of the panel. */
export function countedVotes(state: Pick<BidState, 'panel' | 'votes'>): Vote[] {
  const signed = new Set(signedMembers(state.panel).map((m) => m.member));
  return state.votes.filter((v) => signed.has(v.member));
}

/** Votes per option, most first (then by option, so the order is stable). */
export function tallyOf(votes: readonly Pick<Vote, 'option'>[]): { option: string; votes: number }[] {
  const counts = new Map<string, number>();
  for (const v of votes) counts.set(v.option, (counts.get(v.option) ?? 0) + 1);
  return [...counts].map(([option, n]) => ({ option, votes: n })).sort((a, b) => b.votes - a.votes || (a.option < b.option ? -1 : a.option > b.option ? 1 : 0));
}

/** The option more than half of the votes chose, or null (a split panel has no majority). */
export function majorityOf(votes: readonly Pick<Vote, 'option'>[]): string | null {
  const top = tallyOf(votes)[0];
  return top && top.votes * 2 > votes.length ? top.option : null;
}

/** Every member who voted for another option than the decision's, with their reasons. */
export function dissentOf(votes: readonly Vote[], option: string): Dissent[] {
  return votes.filter((v) => v.option !== option).map((v) => ({ member: v.member, option: v.option, reasons: v.reasons }));
}

/** The quorum: at least minPanel signed members have voted. */
export function hasQuorum(state: Pick<BidState, 'panel' | 'votes'>, minPanel: number): boolean {
  return countedVotes(state).length >= minPanel;
}

export type DecisionCheck = { ok: true; tally: Decision['tally']; dissent: Dissent[] } | { ok: false; problem: Problem };

/**
 * Whether the panel may decide `option` now: the child's views (or why they could not be heard)
 * are recorded, at least minPanel signed members voted, and `option` is the majority's.
 */
export function checkDecision(state: Pick<BidState, 'panel' | 'votes' | 'childViews'>, option: string, minPanel: number): DecisionCheck {
  if (!state.childViews) {
    return { ok: false, problem: { code: 'conflict', field: 'childViews', message: "the child's views are not recorded", hint: "record the child's views (CHILD_VIEWS), or the reason they could not be heard, before deciding" } };
  }
  const votes = countedVotes(state);
  if (votes.length < minPanel) {
    return { ok: false, problem: { code: 'conflict', field: 'votes', message: `${votes.length} signed panel members voted; a decision needs at least ${minPanel}`, hint: 'each member signs the undertaking and votes (VOTE) before the decision' } };
  }
  const majority = majorityOf(votes);
  if (majority === null) {
    return { ok: false, problem: { code: 'conflict', field: 'votes', message: 'no option has a majority of the votes', hint: 'deliberate; a member may change their vote before the decision' } };
  }
  if (majority !== option) {
    return { ok: false, problem: { code: 'conflict', field: 'option', message: `the panel's majority chose ${majority}, not ${option}`, hint: `decide ${majority}` } };
  }
  return { ok: true, tally: tallyOf(votes), dissent: dissentOf(votes, option) };
}

/** Who the reader is to a determination: a seat on its panel, and their access to its case. */
export interface BidRole {
  member: PanelMember | null;
  /** Supervises the case (protection.case.supervise over its jurisdiction). */
  supervise: boolean;
  /** Works on the case (its owner or an assigned worker). */
  work: boolean;
  /** Reads the case without working on it (the recipient of a pending transfer). */
  read?: boolean;
}

/** Sees the deliberations and the votes: the panel and the supervisor. */
export const seesDeliberations = (role: BidRole): boolean => role.member !== null || role.supervise;
/** Sees the determination at all. */
export const seesBid = (role: BidRole): boolean => seesDeliberations(role) || role.work || role.read === true;

const signed = (role: BidRole) => role.member !== null && role.member.signedAt !== null;

/** Who may take each step (the status table says when). */
const mayAct: Record<BidActionType, (role: BidRole) => boolean> = {
  CONVENE: (r) => r.supervise || r.work,
  SIGN_UNDERTAKING: (r) => r.member !== null && r.member.signedAt === null,
  CHILD_VIEWS: (r) => signed(r) || r.supervise || r.work,
  PARENT_VIEWS: (r) => signed(r) || r.supervise || r.work,
  ADD_OPTION: (r) => signed(r) || r.supervise || r.work,
  DELIBERATE: signed,
  VOTE: signed,
  DECIDE: (r) => signed(r) || r.supervise,
  REVIEW: (r) => signed(r) || r.supervise,
  APPEAL: (r) => signed(r) || r.supervise || r.work,
  APPEAL_DECIDED: (r) => r.supervise,
};

/** The actions this reader may take in this status: the buttons that will work. */
export function bidActionsFor(status: BidStatus, role: BidRole): BidActionType[] {
  return (bidTransitions[status] as readonly BidActionType[]).filter((a) => mayAct[a](role));
}

/** Why this reader may not take the action (null when they may); the status is checked apart. */
export function actorProblem(action: BidActionType, role: BidRole): Problem | null {
  if (mayAct[action](role)) return null;
  // A member who has not signed yet: what they could do once signed waits for the undertaking.
  if (role.member && role.member.signedAt === null && mayAct[action]({ ...role, member: { ...role.member, signedAt: 'signed' } })) {
    return { code: 'conflict', field: 'undertaking', message: 'you have not signed the confidentiality undertaking', hint: 'sign it (SIGN_UNDERTAKING) first: nothing a member does counts before it' };
  }
  if (action === 'SIGN_UNDERTAKING' && role.member) return { code: 'conflict', field: 'undertaking', message: 'you signed the undertaking already' };
  const who: Partial<Record<BidActionType, string>> = {
    SIGN_UNDERTAKING: 'a member of the panel',
    DELIBERATE: 'the panel',
    VOTE: 'a member of the panel',
    DECIDE: 'a member of the panel or the supervisor',
    REVIEW: 'a member of the panel or the supervisor',
    APPEAL_DECIDED: 'the supervisor',
  };
  return { code: 'forbidden', field: 'type', message: `only ${who[action] ?? 'the panel, the supervisor or the case workers'} may take ${action}` };
}

/** The determination as a reader sees it: without deliberations and votes (null) for the case's workers. */
export type BidView = Omit<BidState, 'deliberations' | 'votes'> & { deliberations: BidState['deliberations'] | null; votes: BidState['votes'] | null };

export function bidViewFor(state: BidState, role: BidRole): BidView {
  if (seesDeliberations(role)) return state;
  return { ...state, deliberations: null, votes: null };
}
