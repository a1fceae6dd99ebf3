import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { testConfig } from '../support/app.ts';
import { openTestDb } from '../support/db.ts';

describe('graceful shutdown', () => {
  it('finishes the request in flight, then refuses new connections', async () => {
    const db = await openTestDb();
    const app = await buildApp({
      db,
      config: testConfig(),
      clock: fixedClock('2026-01-01T00:00:00Z'),
      logger: false,
    });
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    app.get('/test/slow', { config: { scope: 'public' } }, async () => {
      started();
      await sleep(500);
      return { finished: true };
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const slow = fetch(`${url}/test/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await inFlight;
    const closing = app.close();
    expect(await slow).toEqual({ status: 200, body: { finished: true } });
    await closing;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await db.close();
  });
});
