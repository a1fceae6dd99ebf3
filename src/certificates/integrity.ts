import type { CertificateIssue } from '../births/record.ts';
import type { BrokenLink, LogVerifier } from '../core/action-log/verify.ts';
import type { Queryable } from '../core/db/types.ts';
import { decodeQrText } from './codec/verify.ts';

interface IssuedRow {
  seq: number;
  recordId: string;
  recordSeq: number;
  cited: CertificateIssue;
  /** When the history revoked it (REVOKE_CERTIFICATE), if it did. */
  revokedInHistory: Date | null;
  serial: string | null;
  storedRecordId: string | null;
  kind: string | null;
  recordVersion: number | null;
  keyId: string | null;
  qrPayload: string | null;
  revokedAt: Date | null;
}

const batchSize = 500;

const sameInstant = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

function differs(row: IssuedRow): string | undefined {
  if (row.serial === null) return `certificate ${row.cited.serial} of the history is missing from the certificates table`;
  if (row.storedRecordId !== row.recordId || row.kind !== row.cited.kind || row.keyId !== row.cited.keyId || row.recordVersion !== row.recordSeq) {
    return `certificate ${row.serial} is not stored as its issuance in the history describes it`;
  }
  if (!sameInstant(row.revokedAt, row.revokedInHistory)) return `certificate ${row.serial}'s revocation is not the one its history records`;
  let birth;
  try {
    birth = decodeQrText(row.qrPayload!).birth;
  } catch {
    birth = undefined;
  }
  if (birth?.serial !== row.serial) return `certificate ${row.serial}'s stored QR payload is not a payload of that certificate`;
  return undefined;
}

/**
 * verify-log's check of the certificates table, the index verifiers read: each ISSUE_CERTIFICATE
 * action has its row, stored as the action describes it (record, kind, key, version) with the
 * revocation the history records and a QR payload of that serial; no row is kept that no action
 * issued (a certificate slipped in, or revived behind the application's back).
 */
export const certificatesVerifier: LogVerifier = {
  name: 'certificates',
  async verify(db: Queryable, progress) {
    // A register not yet migrated to certificates has none to check.
    const { rows: table } = await db.query<{ t: string | null }>("SELECT to_regclass('certificates')::text AS t");
    if (!table[0]?.t) return { checked: 0 };
    const { rows: totals } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM record_actions WHERE type = 'ISSUE_CERTIFICATE'`);
    const total = totals[0]!.n;
    let checked = 0;
    let after = 0;
    for (;;) {
      const { rows } = await db.query<IssuedRow>(
        `SELECT a.seq, a.record_id AS "recordId", a.record_seq AS "recordSeq", a.payload->'certificate' AS cited,
                (SELECT min(v.at) FROM record_actions v WHERE v.record_id = a.record_id AND v.type = 'REVOKE_CERTIFICATE'
                   AND v.payload->>'serial' = a.payload->'certificate'->>'serial') AS "revokedInHistory",
                c.serial, c.record_id::text AS "storedRecordId", c.kind, c.record_version AS "recordVersion", c.key_id AS "keyId",
                c.qr_payload AS "qrPayload", c.revoked_at AS "revokedAt"
         FROM record_actions a LEFT JOIN certificates c ON c.serial = a.payload->'certificate'->>'serial'
         WHERE a.type = 'ISSUE_CERTIFICATE' AND a.seq > $1 ORDER BY a.seq LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const problem = differs(row);
        if (problem) {
          const broken: BrokenLink = { kind: 'register', message: problem, recordId: row.recordId, recordSeq: row.recordSeq, seq: row.seq };
          return { checked, broken };
        }
        checked++;
      }
      after = rows.at(-1)!.seq;
      progress(checked, total);
    }
    const { rows: unissued } = await db.query<{ serial: string; recordId: string }>(
      `SELECT c.serial, c.record_id::text AS "recordId" FROM certificates c
       WHERE NOT EXISTS (SELECT 1 FROM record_actions a WHERE a.record_id = c.record_id AND a.type = 'ISSUE_CERTIFICATE'
                         AND a.payload->'certificate'->>'serial' = c.serial)
       LIMIT 1`,
    );
    if (unissued[0]) {
      return { checked, broken: { kind: 'register', message: `certificate ${unissued[0].serial} is kept that no action issued (slipped in)`, recordId: unissued[0].recordId } };
    }
    return { checked };
  },
};
