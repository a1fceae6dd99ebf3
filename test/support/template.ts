import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMigrations } from '../../src/core/db/migrations.ts';

/** Where the migrated PGlite snapshot for the current set of migrations is kept between runs. */
export function templatePath(): string {
  const digest = createHash('sha256');
  for (const m of readMigrations()) digest.update(m.id).update(m.checksum);
  return path.join(os.tmpdir(), `tirkeu-test-template-${digest.digest('hex').slice(0, 16)}.tar.gz`);
}

export function readTemplate(): Blob {
  return new Blob([fs.readFileSync(templatePath())]);
}
