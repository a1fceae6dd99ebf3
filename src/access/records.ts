import type { Json } from '../core/action-log/hashing.ts';
import { findRecord, listActions, type RecordRow } from '../core/action-log/record-store.ts';
import type { StoredAction } from '../core/action-log/record-definition.ts';
import type { Db, Tx } from '../core/db/types.ts';
import { notFound } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import { audit, type RequestContext } from './audit.ts';
import { type Actor, authorize } from './policy.ts';

/**
 * Reading a full civil record, of any type. A record outside the reader's jurisdiction answers as a
 * missing one; every read of a full record leaves an audit line, written in the read's transaction
 * so that no record is shown without its trace.
 */
async function readable(tx: Tx, actor: Actor | undefined, id: string, ctx: RequestContext, view: 'state' | 'history'): Promise<RecordRow> {
  const record = isUuid(id) ? await findRecord(tx, id) : undefined;
  authorize(actor, 'record.read', record ? { jurisdiction: record.jurisdiction } : undefined, { existing: true });
  if (!record) throw notFound();
  await audit(tx, ctx, { actor, event: 'record_read', outcome: 'success', targetType: record.type, targetId: record.id, details: { view } });
  return record;
}

export function readRecord(db: Db, actor: Actor | undefined, id: string, ctx: RequestContext): Promise<RecordRow<Json>> {
  return db.transaction((tx) => readable(tx, actor, id, ctx, 'state'));
}

/** A record's full, hash-chained history. */
export function readRecordHistory(db: Db, actor: Actor | undefined, id: string, ctx: RequestContext): Promise<StoredAction[]> {
  return db.transaction(async (tx) => listActions(tx, (await readable(tx, actor, id, ctx, 'history')).id));
}
