import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationStatus } from '../../src/core/db/migrations.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { createServerDatabase, serverUrl } from '../support/db.ts';

let db: Db;
let drop: () => Promise<void> = async () => {};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-migrations-'));

beforeAll(async () => {
  if (serverUrl) {
    const server = await createServerDatabase();
    db = await openPostgres(server.url, 4);
    drop = server.drop;
  } else {
    db = await openPglite();
  }
  fs.writeFileSync(path.join(dir, '0001_first.sql'), 'CREATE TABLE first_table (id int PRIMARY KEY);');
  fs.writeFileSync(
    path.join(dir, '0002_second.sql'),
    'CREATE TABLE second_table (id int); INSERT INTO second_table VALUES (1);',
  );
});
afterAll(async () => {
  await db.close();
  await drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('applies pending files in order, once', async () => {
    expect((await migrationStatus(db, dir)).map((m) => m.state)).toEqual(['pending', 'pending']);
    expect(await migrate(db, dir)).toEqual(['0001_first', '0002_second']);
    expect(await migrate(db, dir)).toEqual([]);
    expect((await migrationStatus(db, dir)).map((m) => m.state)).toEqual(['applied', 'applied']);
  });

  it('rolls back a failing file whole and records nothing for it', async () => {
    fs.writeFileSync(
      path.join(dir, '0003_broken.sql'),
      'CREATE TABLE third_table (id int); SELECT no_such_function();',
    );
    await expect(migrate(db, dir)).rejects.toThrow(/no_such_function/);
    const { rows } = await db.query("SELECT to_regclass('third_table') AS t");
    expect(rows[0]).toEqual({ t: null });
    fs.rmSync(path.join(dir, '0003_broken.sql'));
  });

  it('refuses to run when an applied file was edited afterwards', async () => {
    fs.appendFileSync(path.join(dir, '0001_first.sql'), '\n-- an innocent-looking edit\n');
    await expect(migrate(db, dir)).rejects.toMatchObject({ code: 'migration_changed' });
    expect((await migrationStatus(db, dir))[0]).toMatchObject({ id: '0001_first', state: 'changed' });
  });
});
