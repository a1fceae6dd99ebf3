import { createHash } from 'node:crypto';
import type { BrokenLink, LogVerifier } from '../core/action-log/verify.ts';
import type { Queryable } from '../core/db/types.ts';
import type { AttachedDocument } from './record.ts';

interface CitedDocument {
  seq: number;
  recordId: string;
  recordSeq: number;
  cited: AttachedDocument;
  id: string | null;
  storedRecordId: string | null;
  type: string | null;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  content: Uint8Array | null;
}

/** Documents are up to the upload limit (megabytes) each: a few at a time keep memory small. */
const batchSize = 16;

function differs(d: CitedDocument): string | undefined {
  if (d.id === null) return 'the document its history cites is missing';
  if (d.storedRecordId !== d.recordId) return 'the document is filed under another record';
  const content = Buffer.from(d.content!);
  if (createHash('sha256').update(content).digest('hex') !== d.cited.sha256 || content.length !== d.cited.size) {
    return 'the document’s bytes are not the ones its history cites (the file was swapped)';
  }
  if (d.sha256 !== d.cited.sha256 || d.size !== d.cited.size || d.type !== d.cited.type || d.mediaType !== d.cited.mediaType) {
    return 'the document’s stored description differs from the one its history cites';
  }
  return undefined;
}

/**
 * verify-log's check of the supporting documents of births: each ATTACH_DOCUMENT action cites a
 * document whose bytes, recomputed here, have the SHA-256 the action recorded; and no document is
 * kept that no action cites (one slipped in behind the application).
 */
export const birthDocumentsVerifier: LogVerifier = {
  name: 'documents',
  async verify(db: Queryable, progress) {
    const { rows: totals } = await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM record_actions a JOIN records r ON r.id = a.record_id AND r.type = 'birth' WHERE a.type = 'ATTACH_DOCUMENT'`,
    );
    const total = totals[0]!.n;
    let checked = 0;
    let after = 0;
    for (;;) {
      const { rows } = await db.query<CitedDocument>(
        `SELECT a.seq, a.record_id AS "recordId", a.record_seq AS "recordSeq", a.payload->'document' AS cited,
                d.id::text AS id, d.record_id::text AS "storedRecordId", d.type, d.media_type AS "mediaType", d.size, d.sha256, d.content
         FROM record_actions a JOIN records r ON r.id = a.record_id AND r.type = 'birth'
         LEFT JOIN documents d ON d.id::text = a.payload->'document'->>'id'
         WHERE a.type = 'ATTACH_DOCUMENT' AND a.seq > $1 ORDER BY a.seq LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const problem = differs(row);
        if (problem) {
          const broken: BrokenLink = { kind: 'document', message: problem, recordId: row.recordId, recordSeq: row.recordSeq, seq: row.seq, documentId: row.cited.id };
          return { checked, broken };
        }
        checked++;
      }
      after = rows.at(-1)!.seq;
      progress(checked, total);
    }
    const { rows: uncited } = await db.query<{ id: string; recordId: string }>(
      `SELECT d.id::text AS id, d.record_id::text AS "recordId" FROM documents d
       WHERE NOT EXISTS (SELECT 1 FROM record_actions a WHERE a.record_id = d.record_id AND a.type = 'ATTACH_DOCUMENT'
                         AND a.payload->'document'->>'id' = d.id::text)
       LIMIT 1`,
    );
    if (uncited[0]) {
      return {
        checked,
        broken: { kind: 'document', message: 'a document is kept that no action of its record cites (slipped in)', recordId: uncited[0].recordId, documentId: uncited[0].id },
      };
    }
    return { checked };
  },
};
