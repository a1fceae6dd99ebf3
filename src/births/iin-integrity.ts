import type { LogVerifier } from '../core/action-log/verify.ts';
import type { Queryable } from '../core/db/types.ts';

/**
 * verify-log's check of the IIN register: every IIN a birth record carries is held in `iins` for
 * that record, and every IIN held there belongs to the record it names. The `iins` primary key is
 * what keeps two children from ever sharing a number, so a row deleted or moved behind the
 * application (which would let the number be issued again) is reported.
 */
export const birthIinsVerifier: LogVerifier = {
  name: 'iins',
  async verify(db: Queryable, progress) {
    const { rows: counted } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM iins');
    const total = counted[0]!.n;
    const { rows: unheld } = await db.query<{ id: string; iin: string }>(
      `SELECT r.id::text AS id, r.subject_id AS iin FROM records r LEFT JOIN iins i ON i.iin = r.subject_id
       WHERE r.type = 'birth' AND r.subject_id IS NOT NULL AND (i.iin IS NULL OR i.record_id <> r.id) LIMIT 1`,
    );
    if (unheld[0]) {
      return { checked: 0, broken: { kind: 'register', message: `the IIN register does not hold IIN ${unheld[0].iin} for the record that carries it`, recordId: unheld[0].id } };
    }
    const { rows: stray } = await db.query<{ iin: string; recordId: string }>(
      `SELECT i.iin, i.record_id::text AS "recordId" FROM iins i LEFT JOIN records r ON r.id = i.record_id
       WHERE r.id IS NULL OR r.subject_id IS DISTINCT FROM i.iin LIMIT 1`,
    );
    if (stray[0]) {
      return { checked: 0, broken: { kind: 'register', message: `the IIN register names a record for IIN ${stray[0].iin} that does not carry it`, recordId: stray[0].recordId } };
    }
    progress(total, total);
    return { checked: total };
  },
};
