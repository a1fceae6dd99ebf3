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
 * `count` consecutive act numbers of an office for a year in one statement (an import of registers
 * that kept none), in order. The same counter as allocateActNumber, so numbers never repeat.
 */
export async function allocateActNumbers(tx: Tx, officeId: string, year: number, count: number): Promise<string[]> {
  const { rows } = await tx.query<{ last: number }>(
    `INSERT INTO act_number_counters (office_id, year, last) VALUES ($1, $2, $3)
     ON CONFLICT (office_id, year) DO UPDATE SET last = act_number_counters.last + $3 RETURNING last`,
    [officeId, year, count],
  );
  const last = rows[0]!.last;
  return Array.from({ length: count }, (_, i) => `${officeId}/${year}/${String(last - count + 1 + i).padStart(6, '0')}`);
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

/**
 * Records IINs that records already carry (imported registers) as theirs. Returns, for each IIN
 * claimed, the record that now holds it: a record not named there was refused its IIN (another
 * record holds it, or an earlier claim in the same call took it), so no IIN is ever shared.
 */
export async function claimIins(tx: Tx, claims: readonly { iin: string; recordId: string }[], at: Date): Promise<Map<string, string>> {
  if (claims.length === 0) return new Map();
  const { rows } = await tx.query<{ iin: string; recordId: string }>(
    `INSERT INTO iins (iin, record_id, issued_at) SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[])
     ON CONFLICT (iin) DO NOTHING RETURNING iin, record_id AS "recordId"`,
    [claims.map((c) => c.iin), claims.map((c) => c.recordId), claims.map(() => at.toISOString())],
  );
  return new Map(rows.map((r) => [r.iin, r.recordId]));
}

/** Records an IIN as issued to a record; false if someone already holds it. */
async function claimIin(tx: Tx, iin: string, recordId: string, at: Date): Promise<boolean> {
  const { rowCount } = await tx.query('INSERT INTO iins (iin, record_id, issued_at) VALUES ($1, $2, $3) ON CONFLICT (iin) DO NOTHING', [iin, recordId, at]);
  return rowCount > 0;
}

/**
 * IINs for many children at once (an import): one statement reserves a block of serials per date
 * and sex, with a margin for serials that have no check digit or are already held; any shortfall
 * is reserved again. Returns the IINs in the order asked, claimed in the iins table.
 */
export async function allocateIinsInBulk(tx: Tx, children: { dateOfBirth: string; sex: Sex; recordId: string }[], at: Date, rules: IinRules): Promise<string[]> {
  const result: (string | undefined)[] = new Array(children.length);
  let pending = children.map((child, index) => ({ index, prefix: iinPrefix(child.dateOfBirth, child.sex, rules), recordId: child.recordId }));
  while (pending.length) {
    const byPrefix = new Map<string, typeof pending>();
    for (const p of pending) byPrefix.set(p.prefix, [...(byPrefix.get(p.prefix) ?? []), p]);
    // The same order in every process, so two importers lock serial rows without deadlocking.
    const prefixes = [...byPrefix.keys()].sort();
    const sizes = prefixes.map((prefix) => Math.ceil(byPrefix.get(prefix)!.length * 1.05) + 2);
    const { rows } = await tx.query<{ prefix: string; last: number }>(
      `INSERT INTO iin_serials (prefix, last) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (prefix) DO UPDATE SET last = iin_serials.last + EXCLUDED.last RETURNING prefix, last`,
      [prefixes, sizes],
    );
    const candidates: { iin: string; want: (typeof pending)[number] }[] = [];
    const next: typeof pending = [];
    for (const { prefix, last } of rows) {
      const size = sizes[prefixes.indexOf(prefix)]!;
      const wanting = [...byPrefix.get(prefix)!];
      for (let serial = last - size + 1; serial <= last && wanting.length; serial++) {
        if (serial > maxSerial) break;
        const iin = composeIin(prefix, serial, rules);
        if (iin) candidates.push({ iin, want: wanting.shift()! });
      }
      if (last >= maxSerial && wanting.length) {
        throw new AppError('unavailable', `every IIN serial for prefix ${prefix} is used`, { field: 'child_date_of_birth' });
      }
      next.push(...wanting);
    }
    const claimed = await tx.query<{ iin: string }>(
      `INSERT INTO iins (iin, record_id, issued_at) SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[])
       ON CONFLICT (iin) DO NOTHING RETURNING iin`,
      [candidates.map((c) => c.iin), candidates.map((c) => c.want.recordId), candidates.map(() => at.toISOString())],
    );
    const won = new Set(claimed.rows.map((r) => r.iin));
    for (const c of candidates) {
      if (won.has(c.iin)) result[c.want.index] = c.iin;
      else next.push(c.want);
    }
    pending = next;
  }
  return result as string[];
}
