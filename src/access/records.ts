import type { Json } from '../core/action-log/hashing.ts';
import { findRecord, listActions, type RecordRow } from '../core/action-log/record-store.ts';
import { findRecordType, type StoredAction } from '../core/action-log/record-definition.ts';
import type { Db, Tx } from '../core/db/types.ts';
import { notFound } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { audit, type RequestContext } from './audit.ts';
import { type Actor, authorize, can } from './policy.ts';

/**
 * Reading a full civil record, of any type. A record outside the reader's jurisdiction answers as a
 * missing one; every read of a full record leaves an audit line, written in the read's transaction
 * so that no record is shown without its trace, and so does every refused attempt on an existing
 * record (someone probing another jurisdiction is what an auditor looks for). Undefined: answer 404.
 */
async function readable(tx: Tx, actor: Actor | undefined, id: string, ctx: RequestContext, view: 'state' | 'history'): Promise<RecordRow | undefined> {
  authorize(actor, 'record.read');
  const record = isUuid(id) ? await findRecord(tx, id) : undefined;
  if (!record) return undefined;
  const decision = findRecordType(record.type)?.confidential ? ({ allowed: false, denial: 'confidential' } as const) : can(actor, 'record.read', { jurisdiction: record.jurisdiction });
  if (!decision.allowed) {
    await audit(tx, ctx, { actor, event: 'access_denied', outcome: 'denied', targetType: record.type, targetId: record.id, details: { scope: 'record.read', reason: decision.denial, view } });
    return undefined;
  }
  await audit(tx, ctx, { actor, event: 'record_read', outcome: 'success', targetType: record.type, targetId: record.id, details: { view } });
  return record;
}

export async function readRecord(db: Db, actor: Actor | undefined, id: string, ctx: RequestContext): Promise<RecordRow<Json>> {
  const record = await db.transaction((tx) => readable(tx, actor, id, ctx, 'state'));
  if (!record) throw notFound();
  return record;
}

/** A record's full, hash-chained history. */
export async function readRecordHistory(db: Db, actor: Actor | undefined, id: string, ctx: RequestContext): Promise<StoredAction[]> {
  const actions = await db.transaction(async (tx) => {
    const record = await readable(tx, actor, id, ctx, 'history');
    return record && listActions(tx, record.id);
  });
  if (!actions) throw notFound();
  return actions;
}
