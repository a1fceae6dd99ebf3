import { createHash } from 'node:crypto';
import type { Json } from '../core/action-log/hashing.ts';
import { isUuid, uuidv7 } from '../core/ids.ts';
import { notFound } from '../core/errors.ts';
import { audit, type RequestContext } from '../access/audit.ts';
import type { Actor } from '../access/policy.ts';
import { authorize } from '../access/policy.ts';
import { findRecord } from '../core/action-log/record-store.ts';
import { checkDocument } from './document-check.ts';
import { type AttachedDocument, type BirthState, heldDocuments } from './record.ts';
import { missingDocuments, timelinessOf } from './rules.ts';
import { appendBirthAction, type BirthDeps, type BirthRow, localDate, lockBirth, type WriteContext } from './workflow.ts';

/**
 * Supporting documents: scans and photos of certificates, statements and reports. Only types a
 * registry office can open safely are taken, of a document type the pack knows, and only if the
 * whole file is what its type says (document-check.ts).
 */
export { documentMediaTypes } from './document-check.ts';

export type StoredDocument = AttachedDocument;

/**
 * Attaches a document to a birth record: the bytes in the documents table, and an action citing
 * their hash, in one transaction. Documents the legal path asks for count from now on. A retry
 * with the same idempotency key answers with the first document and stores nothing.
 */
export async function attachDocument(deps: BirthDeps, recordId: string, upload: { type: string; mediaType: string; content: Buffer }, w: WriteContext): Promise<{ record: BirthRow; document: StoredDocument }> {
  const mediaType = await checkDocument(upload.type, upload.mediaType, upload.content, deps.rules.documentTypes);
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, recordId, w.actor, 'birth.declare');
    const now = deps.clock.now();
    const facts = { type: upload.type, mediaType, size: upload.content.length, sha256: createHash('sha256').update(upload.content).digest('hex') };
    const document: StoredDocument = { id: uuidv7(now.getTime()), ...facts };
    const declaration = record.data.declaration;
    const missing = declaration
      ? missingDocuments(declaration, timelinessOf(declaration.child.dateOfBirth, localDate(now, deps.timeZone), deps.rules), deps.rules, [...heldDocuments(record.data), document.type])
      : record.data.missingDocuments;
    // The new id is the server's: a retry is the same request when the bytes and the type are.
    const result = await appendBirthAction(tx, deps, record, { type: 'ATTACH_DOCUMENT', document, missingDocuments: missing }, w, {
      event: 'document_attached',
      request: { type: 'ATTACH_DOCUMENT', document: facts },
    });
    if (result.replayed) return { record: result.record, document: (result.action.payload as unknown as { document: StoredDocument }).document };
    await tx.query(
      `INSERT INTO documents (id, record_id, type, media_type, size, sha256, content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [document.id, record.id, document.type, document.mediaType, document.size, document.sha256, upload.content, w.actor!.kind === 'system' ? 'system' : `${w.actor!.kind}:${w.actor!.id}`, now],
    );
    return { record: result.record, document };
  });
}

/** A document's bytes, for someone who may read its record (404 otherwise, as for the record); every read is audited. */
export async function readDocument(deps: BirthDeps, recordId: string, documentId: string, actor: Actor | undefined, ctx: RequestContext): Promise<StoredDocument & { content: Buffer }> {
  const record = isUuid(recordId) ? await findRecord<BirthState & Json>(deps.db, recordId) : undefined;
  authorize(actor, 'record.read', record ? { jurisdiction: record.jurisdiction } : undefined, { existing: true });
  if (!record) throw notFound();
  const { rows } = await deps.db.query<StoredDocument & { content: Buffer | Uint8Array }>(
    'SELECT id, type, media_type AS "mediaType", size, sha256, content FROM documents WHERE id::text = $1 AND record_id = $2',
    [documentId, recordId],
  );
  if (!rows[0]) throw notFound();
  await audit(deps.db, ctx, { actor, event: 'document_read', outcome: 'success', targetType: 'document', targetId: rows[0].id });
  return { ...rows[0], content: Buffer.from(rows[0].content) };
}
