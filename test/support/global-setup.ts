import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { migrate } from '../../src/core/db/migrations.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { templatePath } from './template.ts';

/**
 * Running initdb and every migration costs seconds per database; done once here, each test file
 * then starts from the saved snapshot in about a second.
 */
export default async function setup(): Promise<void> {
  const target = templatePath();
  if (fs.existsSync(target)) return;
  const db = await openPglite();
  await migrate(db);
  const dump = await (db.raw as PGlite).dumpDataDir('gzip');
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(temp, target);
  await db.close();
}
