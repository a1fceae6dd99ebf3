import { createHash } from 'node:crypto';
import type { Json } from '../core/action-log/hashing.ts';
import { AppError, notFound } from '../core/errors.ts';
import { isUuid, uuidv7 } from '../core/ids.ts';
import type { Actor } from '../access/policy.ts';
import { authorize } from '../access/policy.ts';
import { findRecord } from '../core/action-log/record-store.ts';
import type { AttachedDocument, BirthState } from './record.ts';
import { missingDocuments, timelinessOf } from './rules.ts';
import { act, type BirthDeps, type BirthRow, localDate, lockBirth, type WriteContext } from './workflow.ts';

/**
 * Supporting documents: scans and photos of certificates, statements and reports. Only types a
 * registry office can open safely are taken, and only if the bytes are what the type says.
 */
export const documentMediaTypes: Record<string, Buffer> = {
  'application/pdf': Buffer.from('%PDF-'),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
};

export type StoredDocument = AttachedDocument;

/** Pure: refuses an empty file, a type not on the list, or bytes that are not of the stated type. */
export function checkDocument(type: string, mediaType: string, content: Buffer): void {
  if (!/^[a-z][a-z0-9_]{1,59}$/.test(type)) throw new AppError('validation_failed', 'the document type is a lower_snake_case name, e.g. medical_birth_certificate', { field: 'type' });
  const magic = documentMediaTypes[mediaType];
  if (!magic) {
    throw new AppError('unsupported_media_type', `documents of type ${mediaType} are not accepted`, { field: 'content-type', hint: `send one of: ${Object.keys(documentMediaTypes).join(', ')}` });
  }
  if (content.length === 0) throw new AppError('validation_failed', 'the document is empty', { field: 'body' });
  if (!content.subarray(0, magic.length).equals(magic)) {
    throw new AppError('validation_failed', `the file is not a ${mediaType} file`, { field: 'body', hint: 'scan or export the document again as PDF, JPEG or PNG' });
  }
}

/**
 * Attaches a document to a birth record: the bytes in the documents table, and an action citing
 * their hash, in one transaction. Documents the legal path asks for count from now on.
 */
export async function attachDocument(deps: BirthDeps, recordId: string, upload: { type: string; mediaType: string; content: Buffer }, w: WriteContext): Promise<{ record: BirthRow; document: StoredDocument }> {
  checkDocument(upload.type, upload.mediaType, upload.content);
  return deps.db.transaction(async (tx) => {
    const record = await lockBirth(tx, recordId, w.actor, 'birth.declare');
    const now = deps.clock.now();
    const document: StoredDocument = {
      id: uuidv7(now.getTime()),
      type: upload.type,
      mediaType: upload.mediaType,
      size: upload.content.length,
      sha256: createHash('sha256').update(upload.content).digest('hex'),
    };
    const declaration = record.data.declaration;
    const missing = declaration
      ? missingDocuments(
          { ...declaration, documents: [...declaration.documents, { type: document.type, reference: document.id }] },
          timelinessOf(declaration.child.dateOfBirth, localDate(now, deps.timeZone), deps.rules),
          deps.rules,
        )
      : record.data.missingDocuments;
    await tx.query(
      `INSERT INTO documents (id, record_id, type, media_type, size, sha256, content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [document.id, record.id, document.type, document.mediaType, document.size, document.sha256, upload.content, w.actor!.kind === 'system' ? 'system' : `${w.actor!.kind}:${w.actor!.id}`, now],
    );
    const updated = await act(tx, deps, record, { type: 'ATTACH_DOCUMENT', document, missingDocuments: missing }, w, 'document_attached');
    return { record: updated, document };
  });
}

/** A document's bytes, for someone who may read its record (404 otherwise, as for the record). */
export async function readDocument(deps: BirthDeps, recordId: string, documentId: string, actor: Actor | undefined): Promise<StoredDocument & { content: Buffer }> {
  const record = isUuid(recordId) ? await findRecord<BirthState & Json>(deps.db, recordId) : undefined;
  authorize(actor, 'record.read', record ? { jurisdiction: record.jurisdiction } : undefined, { existing: true });
  const { rows } = await deps.db.query<StoredDocument & { content: Buffer | Uint8Array }>(
    'SELECT id, type, media_type AS "mediaType", size, sha256, content FROM documents WHERE id::text = $1 AND record_id = $2',
    [documentId, recordId],
  );
  if (!record || !rows[0]) throw notFound();
  return { ...rows[0], content: Buffer.from(rows[0].content) };
}
