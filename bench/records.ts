import { fileURLToPath } from 'node:url';
import { createRecord } from '../src/core/action-log/record-store.ts';
import { systemClock } from '../src/core/clock.ts';
import { noteRecord } from '../test/support/note-record.ts';
import { percentile, report, round, runFor, scratchDb, serverAvailable } from './support.ts';

/**
 * Generic record creation: one record row + its first action (hash-chained, watermark lock,
 * idempotency key) in one transaction, with 1 and with 16 concurrent writers.
 */
export async function benchRecords(seconds = 5): Promise<void> {
  const drivers: ('pglite' | 'postgres')[] = ['pglite'];
  if (await serverAvailable()) drivers.push('postgres');
  else process.stderr.write('records: no PostgreSQL server answers; measuring PGlite only\n');
  for (const driver of drivers) {
    const scratch = await scratchDb(driver, 20);
    let n = 0;
    const create = () =>
      scratch.db.transaction((tx) =>
        createRecord(
          tx,
          noteRecord,
          { type: 'OPEN', actor: 'bench', payload: { text: `note ${n}`, jurisdiction: '750000000' } },
          { clock: systemClock, idempotencyKey: `bench-${n++}` },
        ),
      );
    for (let i = 0; i < 50; i++) await create();
    for (const concurrency of [1, 16]) {
      const latencies = await runFor(seconds * 1000, concurrency, create);
      latencies.sort((a, b) => a - b);
      report(`records.create.${driver}.c${concurrency}.per_s`, round(latencies.length / seconds, 0));
      report(`records.create.${driver}.c${concurrency}.p50_ms`, round(percentile(latencies, 50)));
      report(`records.create.${driver}.c${concurrency}.p95_ms`, round(percentile(latencies, 95)));
    }
    await scratch.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchRecords();
