import type { Tx } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import { composeIin, iinPrefix, type IinRules, maxSerial, type Sex } from './iin.ts';

/**
 * The next act record number of an office for a year, e.g. "kz-rgo-71-01/2026/000123". Drawn in
 * the registering transaction: the counter row stays locked until it commits, so concurrent
 * registrations at one office take their turn and a rollback leaves no gap.
 */
export async function allocateActNumber(tx: Tx, officeId: string, year: number): Promise<string> {
  const { rows } = await tx.query<{ last: number }>(
    `INSERT INTO act_number_counters (office_id, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (office_id, year) DO UPDATE SET last = act_number_counters.last + 1 RETURNING last`,
    [officeId, year],
  );
  return `${officeId}/${year}/${String(rows[0]!.last).padStart(6, '0')}`;
}

/**
 * A new IIN for a child: the next serial for the date of birth and sex whose check digit exists
 * and which nobody holds (imported registers bring IINs of their own). Race-free across processes:
 * the serial row is locked until commit, and the iins primary key refuses any duplicate.
 */
export async function allocateIin(tx: Tx, input: { dateOfBirth: string; sex: Sex; recordId: string; at: Date }, rules: IinRules): Promise<string> {
  const prefix = iinPrefix(input.dateOfBirth, input.sex, rules);
  for (;;) {
    const { rows } = await tx.query<{ last: number }>(
      `INSERT INTO iin_serials (prefix, last) VALUES ($1, 1)
       ON CONFLICT (prefix) DO UPDATE SET last = iin_serials.last + 1 RETURNING last`,
      [prefix],
    );
    const serial = rows[0]!.last;
    if (serial > maxSerial) {
      throw new AppError('unavailable', `every IIN serial for ${input.sex} children born on ${input.dateOfBirth} is used`, { field: 'child.dateOfBirth' });
    }
    const iin = composeIin(prefix, serial, rules);
    if (iin === null) continue;
    if (await claimIin(tx, iin, input.recordId, input.at)) return iin;
  }
}

/** Records an IIN as issued to a record; false if someone already holds it. */
export async function claimIin(tx: Tx, iin: string, recordId: string, at: Date): Promise<boolean> {
  const { rowCount } = await tx.query('INSERT INTO iins (iin, record_id, issued_at) VALUES ($1, $2, $3) ON CONFLICT (iin) DO NOTHING', [iin, recordId, at]);
  return rowCount > 0;
}
