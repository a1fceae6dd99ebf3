import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { backup, restore } from '../../src/core/backup.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openTestDb } from '../support/db.ts';
import { noteRecord } from '../support/note-record.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-backup-large-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// An office that scans its supporting documents reaches a few hundred megabytes of them quickly:
// 60 documents of the 5 MiB upload limit are 600 million characters as text, past what one
// JavaScript string (or one COPY batch) can hold, so backup and restore must not gather a whole
// batch of rows into one string.
it('backs up and restores a register whose documents add up to more than one string can hold', async () => {
  const source = await openTestDb();
  const clock = fixedClock('2026-02-01T00:00:00Z');
  const { record } = await source.transaction((tx) =>
    createRecord(tx, noteRecord, { type: 'OPEN', actor: 'a', payload: { text: 'with documents' } }, { clock }),
  );
  const size = 5 * 1024 * 1024;
  await source.query(
    `INSERT INTO documents (id, record_id, type, media_type, size, sha256, content, uploaded_by, uploaded_at)
     SELECT gen_random_uuid(), $1, 'medical_birth_certificate', 'application/pdf', $2, 'x',
            decode(repeat(lpad(to_hex(n), 2, '0'), $2), 'hex'), 'a', now()
     FROM generate_series(1, 60) AS n`,
    [record.id, size],
  );
  const file = path.join(dir, 'register.tirkeu.gz');
  await backup(source, file);
  await source.close();

  const target = await openPglite({ dataDir: path.join(dir, 'restored') });
  try {
    await restore(target, file);
    const { rows } = await target.query<{ n: number; bytes: number; distinct: number }>(
      'SELECT count(*) AS n, sum(length(content))::int8 AS bytes, count(DISTINCT md5(content)) AS distinct FROM documents',
    );
    expect(rows[0]).toEqual({ n: 60, bytes: 60 * size, distinct: 60 });
  } finally {
    await target.close();
  }
}, 300_000);
