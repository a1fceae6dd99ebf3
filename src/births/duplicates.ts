import type { RequestContext } from '../access/audit.ts';
import { type Actor, authorize } from '../access/policy.ts';
import type { Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { comparePair, suspectsOf } from '../linkage/matching.ts';
import { decidedPairs, findPair, listPairs, openPairsOf, type Pair, type PairSource, type PairStatus, recordPairs, settlePair } from '../linkage/pairs.ts';
import type { PairScore } from '../linkage/scoring.ts';
import { findSubjects, indexSubjects } from '../linkage/store.ts';
import type { LinkageInput, PersonInput } from '../linkage/subject.ts';
import type { Parent } from './declaration.ts';
import type { BirthState } from './record.ts';
import { actorId, appendBirthAction, type BirthDeps, type BirthRow, lockBirth, readBirth, type WriteContext } from './workflow.ts';

/**
 * One child, one record: the births module hands each birth's facts to record linkage when they
 * change, and a declaration or registration that linkage finds may repeat another record stops at
 * DUPLICATE_SUSPECTED until a registrar decides, pair by pair, whether it does.
 */

function person(parent: Partial<Parent> | undefined): PersonInput | undefined {
  if (!parent) return undefined;
  const { surname, givenName, patronymic, dateOfBirth, iin } = parent;
  return { surname, givenName, patronymic, dateOfBirth, iin };
}

/** What linkage compares about a birth: the declaration's facts, or a notification's while nothing is declared. */
export function linkageInputOf(recordId: string, state: BirthState): LinkageInput | undefined {
  const declaration = state.declaration;
  if (declaration) {
    const c = declaration.child;
    return {
      recordId,
      child: { surname: c.surname, givenName: c.givenName, patronymic: c.patronymic, sex: c.sex, dateOfBirth: c.dateOfBirth, birthOrder: c.birthOrder, iin: state.registration?.iin },
      mother: person(declaration.mother),
      father: person(declaration.father),
      facilityId: c.placeOfBirth.facilityId ?? state.facilityId ?? undefined,
      placeKato: state.jurisdiction,
    };
  }
  const notification = state.notification;
  if (!notification) return undefined;
  const c = notification.child;
  return { recordId, child: { sex: c.sex, dateOfBirth: c.dateOfBirth, birthOrder: c.birthOrder }, mother: person(notification.mother), facilityId: notification.facilityId, placeKato: state.jurisdiction };
}

/** Keeps linkage's copy of the births' facts in step, in the transaction that changed them. */
export async function indexBirths(tx: Tx, records: readonly Pick<BirthRow, 'id' | 'data'>[], now: Date): Promise<void> {
  const inputs = records.map((r) => linkageInputOf(r.id, r.data)).filter((i): i is LinkageInput => i !== undefined);
  await indexSubjects(tx, inputs, now);
}

/**
 * Looks for records the birth may repeat. Pairs at or above the possible-match threshold go to the
 * review queue; those at or above the auto-flag threshold stop the birth (FLAG_DUPLICATE) until a
 * registrar decides. Suspects a registrar already decided are never raised again.
 */
export async function flagSuspectedDuplicates(tx: Tx, deps: BirthDeps, record: BirthRow, w: WriteContext, source: PairSource): Promise<BirthRow> {
  const input = linkageInputOf(record.id, record.data);
  if (!input) return record;
  const found = await suspectsOf(tx, input, deps.linkage);
  if (!found.length) return record;
  const decided = new Set((await decidedPairs(tx, record.id, found.map((s) => s.recordId))).map((p) => (p.recordA === record.id ? p.recordB : p.recordA)));
  const dismissed = new Set(record.data.duplicates?.dismissed ?? []);
  const open = found.filter((s) => !decided.has(s.recordId) && !dismissed.has(s.recordId));
  const now = deps.clock.now();
  await recordPairs(tx, open.map((s) => ({ recordA: s.recordId, recordB: record.id, score: s.score.score, band: s.score.band, source })), now);
  const strong = open.filter((s) => s.score.band === 'match').slice(0, 50);
  if (!strong.length) return record;
  const suspects = strong.map((s) => ({ recordId: s.recordId, score: Math.round(s.score.score * 100) / 100 }));
  const reason = `record linkage: ${strong.length === 1 ? 'one record' : `${strong.length} records`} with a match weight at or above ${deps.linkage.thresholds.autoFlag}`;
  return (await appendBirthAction(tx, deps, record, { type: 'FLAG_DUPLICATE', suspects }, { ...w, reason }, { event: 'duplicate_suspected' })).record;
}

/** The answer to a write that stopped at a suspected duplicate: what was found and where to decide. */
export function duplicateSuspected(record: BirthRow): AppError {
  return new AppError('duplicate_suspected', 'this birth may already be in the register: registration waits for a registrar’s decision', {
    field: 'id',
    recordId: record.id,
    suspects: record.data.duplicates?.suspected ?? [],
    hint: 'compare the records in the duplicate review (GET /api/v1/duplicates?record=…) and decide: not a duplicate, or a duplicate',
  });
}

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
  facts: LinkageInput | null;
}

export interface DuplicateReview {
  pair: Pair;
  a: ReviewRecord;
  b: ReviewRecord;
  comparison: PairScore | null;
}

const reviewRecord = (r: BirthRow): ReviewRecord => ({
  id: r.id,
  status: r.status,
  version: r.version,
  number: r.number,
  iin: r.data.registration?.iin ?? null,
  legacyRef: r.data.legacyRef,
  jurisdiction: r.jurisdiction,
  officeId: r.officeId,
  createdAt: new Date(r.createdAt).toISOString(),
  facts: linkageInputOf(r.id, r.data) ?? null,
});

/** Both records of a pair side by side with the field-by-field comparison; each record read is audited. */
export async function reviewPair(deps: BirthDeps, pairId: string, actor: Actor | undefined, ctx: RequestContext): Promise<DuplicateReview> {
  authorize(actor, 'birth.register');
  const pair = isUuid(pairId) ? await findPair(deps.db, pairId) : undefined;
  if (!pair) throw notFound();
  const [a, b] = [await readBirth(deps, pair.recordA, actor, ctx), await readBirth(deps, pair.recordB, actor, ctx)];
  const subjects = await findSubjects(deps.db, [a.id, b.id]);
  const sa = subjects.find((s) => s.subject.recordId === a.id);
  const sb = subjects.find((s) => s.subject.recordId === b.id);
  return { pair, a: reviewRecord(a), b: reviewRecord(b), comparison: sa && sb ? await comparePair(deps.db, sa.subject, sb.subject, deps.linkage) : null };
}

export interface ReviewQueueEntry {
  pair: Pair;
  a: ReviewRecord;
  b: ReviewRecord;
}

/** The suspected-duplicates queue: pairs whose two records the reader may decide on, strongest first. */
export async function listDuplicatePairs(
  deps: BirthDeps,
  actor: Actor | undefined,
  q: { status: PairStatus; record?: string; limit: number; after?: { score: number; id: string } },
): Promise<ReviewQueueEntry[]> {
  authorize(actor, 'birth.register');
  // A KATO code covers the places that share its significant digits (a district's settlements, not only the district's own code).
  const within = actor.kind === 'system' || actor.jurisdiction === null ? null : significantPrefix(actor.jurisdiction);
  const pairs = q.record ? (isUuid(q.record) ? await openPairsOf(deps.db, q.record) : []) : await listPairs(deps.db, { within, status: q.status, limit: q.limit, after: q.after });
  const ids = [...new Set(pairs.flatMap((p) => [p.recordA, p.recordB]))];
  const { rows } = await deps.db.query<{ id: string; status: string; version: number; number: string | null; jurisdiction: string; office_id: string | null; created_at: Date; data: BirthState }>(
    'SELECT id, status, version, number, jurisdiction, office_id, created_at, data FROM records WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, { id: r.id, status: r.status, version: r.version, number: r.number, jurisdiction: r.jurisdiction, officeId: r.office_id, createdAt: r.created_at, data: r.data } as unknown as BirthRow]));
  // A record's own pairs are listed for it only when the reader may see both records.
  const visible = (id: string) => within === null || (byId.get(id)?.jurisdiction ?? '').startsWith(within);
  return pairs.filter((p) => visible(p.recordA) && visible(p.recordB)).map((p) => ({ pair: p, a: reviewRecord(byId.get(p.recordA)!), b: reviewRecord(byId.get(p.recordB)!) }));
}

export interface Decision {
  decision: 'duplicate' | 'not_duplicate';
  /** With `duplicate`: the record to keep (the other is archived, or revoked when registered). The earlier registered one by default. */
  keep?: string;
  reason?: string;
}

/**
 * A registrar's decision on a pair, in one transaction: the pair settled, and the decision on both
 * records' histories. Not a duplicate: each record notes it (and a record waiting only on this one
 * goes back to where it was). A duplicate: the other record is archived or revoked with a pointer
 * to the one kept, the kept one notes it, and every other open pair of the removed record closes.
 */
export async function decideDuplicate(deps: BirthDeps, pairId: string, decision: Decision, w: WriteContext): Promise<DuplicateReview['pair']> {
  if (!decision.reason?.trim()) throw new AppError('validation_failed', 'say why', { field: 'reason' });
  return deps.db.transaction(async (tx) => {
    authorize(w.actor, 'birth.register');
    const pair = isUuid(pairId) ? await findPair(tx, pairId, { lock: true }) : undefined;
    if (!pair) throw notFound();
    // Both records locked in id order, as every decision takes them, so two decisions never deadlock.
    const a = await lockBirth(tx, pair.recordA, w.actor, 'birth.register', { anyHolder: true });
    const b = await lockBirth(tx, pair.recordB, w.actor, 'birth.register', { anyHolder: true });
    const by = actorId(w.actor!);
    // A retry of the same decision (a lost answer, a double click) gets the first answer, and writes nothing.
    if (pair.status === decision.decision && pair.decidedBy === by && pair.reason === decision.reason) return pair;
    if (pair.status !== 'open') throw new AppError('conflict', `this pair was already decided (${pair.status})`, { field: 'id', status: pair.status, hint: 'reload the queue' });
    const now = deps.clock.now();
    const write = { actor: w.actor, reason: decision.reason };
    if (decision.decision === 'not_duplicate') {
      if (decision.keep) throw new AppError('validation_failed', 'keep goes with a duplicate decision only', { field: 'keep' });
      await appendBirthAction(tx, deps, a, { type: 'NOT_DUPLICATE', recordId: b.id }, write, { event: 'not_duplicate' });
      await appendBirthAction(tx, deps, b, { type: 'NOT_DUPLICATE', recordId: a.id }, write, { event: 'not_duplicate' });
      await settlePair(tx, pair.id, { status: 'not_duplicate', by, reason: decision.reason! }, now);
      return { ...pair, status: 'not_duplicate', decidedBy: by, decidedAt: now, reason: decision.reason! };
    }
    const earlier = a.createdAt <= b.createdAt ? a : b;
    const keepId = decision.keep ?? (a.data.registration && !b.data.registration ? a.id : b.data.registration && !a.data.registration ? b.id : earlier.id);
    if (keepId !== a.id && keepId !== b.id) throw new AppError('validation_failed', 'keep must be one of the pair’s two records', { field: 'keep', hint: `${a.id} or ${b.id}` });
    const [kept, removed] = keepId === a.id ? [a, b] : [b, a];
    await appendBirthAction(tx, deps, removed, { type: 'MARK_DUPLICATE', duplicateOf: kept.id }, write, { event: 'marked_duplicate' });
    await appendBirthAction(tx, deps, kept, { type: 'SUSPECT_CLEARED', recordId: removed.id, why: 'kept' }, write, { event: 'duplicate_removed' });
    await settlePair(tx, pair.id, { status: 'duplicate', by, reason: decision.reason! }, now);
    for (const other of await openPairsOf(tx, removed.id)) {
      await settlePair(tx, other.id, { status: 'closed', by, reason: `${removed.id} was found to repeat ${kept.id}` }, now);
      const thirdId = other.recordA === removed.id ? other.recordB : other.recordA;
      const third = await lockBirth(tx, thirdId, { kind: 'system', id: 'linkage' }, 'birth.register', { anyHolder: true });
      if (third.data.duplicates?.suspected.some((s) => s.recordId === removed.id)) {
        await appendBirthAction(tx, deps, third, { type: 'SUSPECT_CLEARED', recordId: removed.id, why: 'duplicate_elsewhere' }, { actor: w.actor, reason: `${removed.id} was found to repeat ${kept.id}` });
      }
    }
    return { ...pair, status: 'duplicate', decidedBy: by, decidedAt: now, reason: decision.reason! };
  });
}



/**
 * Hands linkage every birth it has not seen (a register from before linkage, or restored from an
 * older backup), in id order and batches, one transaction each. Returns how many were indexed.
 */
export async function indexMissingBirths(deps: BirthDeps, onProgress?: (done: number, total: number) => void): Promise<number> {
  const missing = `FROM records r WHERE r.type = 'birth' AND NOT EXISTS (SELECT 1 FROM linkage_subjects s WHERE s.record_id = r.id)`;
  const total = Number((await deps.db.query<{ n: number }>(`SELECT count(*)::int8 AS n ${missing}`)).rows[0]!.n);
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  while (done < total) {
    const batch = await deps.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; data: BirthState }>(`SELECT r.id, r.data ${missing} AND r.id > $1 ORDER BY r.id LIMIT 2000`, [after]);
      await indexBirths(tx, rows as unknown as BirthRow[], deps.clock.now());
      return rows;
    });
    if (!batch.length) break;
    done += batch.length;
    after = batch.at(-1)!.id;
    onProgress?.(done, total);
  }
  return done;
}
