import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointSignatureCheck, generateSigningKey, publishedKeySet } from '../../src/certificates/keys.ts';
import { listCheckpoints } from '../../src/core/action-log/checkpoint.ts';
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { systemClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { createLogger } from '../../src/core/logger.ts';
import { startServer } from '../../src/server.ts';
import { noteRecord } from '../support/note-record.ts';
import { readTemplate } from '../support/template.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-signing-server-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const passphrase = 'the server test signing passphrase';

describe('the server’s checkpoint sealer', () => {
  it('signs the checkpoints with the current key, says so once, and never logs the passphrase', async () => {
    const dataDir = path.join(root, 'office');
    const setup = await openPglite({ dataDir, loadDataDir: readTemplate() });
    const key = await generateSigningKey(setup, systemClock, { passphrase });
    await setup.close();
    let log = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        done();
      },
    });
    const config = loadConfig({
      TIRKEU_DATA_DIR: dataDir,
      TIRKEU_WEB_DIR: path.join(root, 'no-web'),
      PORT: '0',
      HOST: '127.0.0.1',
      TIRKEU_CHECKPOINT_INTERVAL_MS: '100',
      TIRKEU_SIGNING_KEY_PASSPHRASE: passphrase,
    });
    const server = await startServer(config, createLogger('info', sink));
    try {
      for (const text of ['one', 'two']) {
        await server.db.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor: 'a', payload: { text } }, { clock: systemClock }));
        // The sealer runs on its timer; wait for it to take this action in.
        for (let tries = 0; ; tries++) {
          const { rows } = await server.db.query<{ n: number }>('SELECT count(*) AS n FROM record_actions WHERE seq > (SELECT coalesce(max(to_seq), 0) FROM log_checkpoints)');
          if (rows[0]!.n === 0) break;
          if (tries > 300) throw new Error('no checkpoint was sealed');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const checkpoints = await listCheckpoints(server.db, 0, 10);
      expect(checkpoints.length).toBeGreaterThanOrEqual(2);
      expect(checkpoints.every((c) => c.keyId === key.kid && c.signature)).toBe(true);
      const report = await verifyLog(server.db, { checkpointSignatures: checkpointSignatureCheck(await publishedKeySet(server.db)) });
      expect(report).toMatchObject({ signedCheckpoints: checkpoints.length, unsignedCheckpoints: 0 });
    } finally {
      await server.stop();
    }
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; keyId?: string; config?: { signingKeyPassphrase?: string } });
    expect(lines.filter((l) => l.msg === 'checkpoints are signed')).toEqual([expect.objectContaining({ keyId: key.kid })]);
    expect(lines.find((l) => l.msg === 'starting')?.config?.signingKeyPassphrase).toBe('***');
    expect(log).not.toContain(passphrase);
  });
});
