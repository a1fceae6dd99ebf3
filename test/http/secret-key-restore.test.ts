import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPassword, demoTotpSecret, seedDemo } from '../../src/access/demo.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { parseSecretKey } from '../../src/access/secret-box.ts';
import { keyFingerprint } from '../../src/access/secret-key.ts';
import { backup, restore } from '../../src/core/backup.ts';
import { systemClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { migrate } from '../../src/core/db/migrations.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { createLogger } from '../../src/core/logger.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { startServer } from '../../src/server.ts';
import { readTemplate } from '../support/template.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-key-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const config = (dataDir: string, env: Record<string, string> = {}) =>
  loadConfig({ TIRKEU_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', TIRKEU_JOBS: 'false', ...env });
const logger = createLogger('silent');

describe('a backup restored into a fresh data directory', () => {
  it('refuses to start under another secret key, naming the key it needs; under the right key, TOTP sign-in works', async () => {
    const office = path.join(root, 'office');
    const source = await openPglite({ dataDir: office, loadDataDir: readTemplate() });
    await migrate(source);
    await loadPackIntoDb(source, loadPack('kz'));
    await seedDemo(source, loadRoles('kz'), parseSecretKey(keyA), { clock: systemClock, clientAddress: null, requestId: null });
    await source.close();
    const first = await startServer(config(office, { TIRKEU_SECRET_KEY: keyA }), logger);
    await first.stop();
    const file = path.join(root, 'register.tirkeu.gz');
    const again = await openPglite({ dataDir: office });
    await backup(again, file);
    await again.close();

    const fresh = path.join(root, 'fresh');
    const target = await openPglite({ dataDir: fresh, loadDataDir: readTemplate() });
    await restore(target, file);
    await target.close();

    const needed = keyFingerprint(parseSecretKey(keyA));
    for (const env of [{ TIRKEU_SECRET_KEY: keyB }, {}] as Record<string, string>[]) {
      const refused = startServer(config(fresh, env), logger);
      await expect(refused).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'TIRKEU_SECRET_KEY' } });
      await expect(refused).rejects.toThrow(new RegExp(`TIRKEU_SECRET_KEY.*cannot open .* TOTP secrets.*fingerprint is ${needed}`));
    }

    const server = await startServer(config(fresh, { TIRKEU_SECRET_KEY: keyA, TIRKEU_DEMO: '1' }), logger);
    try {
      const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo.office_registrar', password: demoPassword }),
      });
      expect(signIn.status).toBe(200);
      const { stage, csrfToken } = (await signIn.json()) as { stage: string; csrfToken: string };
      expect(stage).toBe('pending_totp');
      const secondFactor = await fetch(`${server.url}/api/v1/auth/second-factor`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ code: await generate({ secret: demoTotpSecret }) }),
      });
      expect(secondFactor.status, await secondFactor.clone().text()).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
