/**
 * A child process for the kill test: writes records as fast as it can and prints each record's id
 * on stdout only after its transaction committed — one line is one acknowledged write.
 * Usage: node --import tsx test/support/writer.ts pglite <dataDir> | postgres <url> [writers]
 */
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { systemClock } from '../../src/core/clock.ts';
import { migrate } from '../../src/core/db/migrations.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import { noteRecord } from './note-record.ts';

const [driver, where, writers = '4'] = process.argv.slice(2);
const db = driver === 'pglite' ? await openPglite({ dataDir: where! }) : await openPostgres(where!, 8);
await migrate(db);
process.stdout.write('ready\n');
let n = 0;
await Promise.all(
  Array.from({ length: Number(writers) }, async () => {
    for (;;) {
      const { record } = await db.transaction((tx) =>
        createRecord(
          tx,
          noteRecord,
          { type: 'OPEN', actor: 'writer', payload: { text: `w${n++}`.repeat(20) } },
          { clock: systemClock },
        ),
      );
      process.stdout.write(`${record.id}\n`);
    }
  }),
);
