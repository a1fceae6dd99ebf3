import { generate } from 'otplib';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPassword, demoTotpSecret, seedDemo } from '../../src/access/demo.ts';
import { loadRoles } from '../../src/access/roles.ts';
import { seedDemoBirths } from '../../src/births/demo.ts';
import { birthDepsFor } from '../../src/births/workflow.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

const open: TestApp[] = [];
afterAll(() => Promise.all(open.map((t) => t.close())));

describe('demo births', () => {
  it('seeds one birth on each road, registered ones with valid IINs, a suspected duplicate, and a second seed adds nothing', async () => {
    const t = await openTestApp();
    open.push(t);
    await loadPackIntoDb(t.db, loadPack('kz'));
    const deps = birthDepsFor(t.db, t.clock, 'kz');
    await seedDemoBirths(deps);
    await seedDemoBirths(deps);
    const { rows } = await t.db.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM records WHERE type = 'birth' GROUP BY status ORDER BY status");
    expect(rows).toEqual([
      { status: 'DECLARED', n: 1 },
      { status: 'DUPLICATE_SUSPECTED', n: 1 },
      { status: 'NOTIFIED', n: 2 },
      { status: 'REGISTERED', n: 3 },
      { status: 'VALIDATED', n: 1 },
    ]);
    const citizenship = await t.db.query<{ result: string }>("SELECT data->'registration'->'citizenship'->>'result' AS result FROM records WHERE status = 'REGISTERED' ORDER BY number");
    expect(citizenship.rows.map((r) => r.result)).toEqual(['citizen', 'undetermined', 'citizen']);
  });
});

describe('demo users', () => {
  it('sign in with the documented password and TOTP secret in demo mode, and must change the password outside it', async () => {
    for (const demo of [true, false]) {
      const t = await openTestApp({ TIRKEU_DEMO: demo ? '1' : '0', TIRKEU_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
      open.push(t);
      await loadPackIntoDb(t.db, loadPack('kz'));
      const seed = await seedDemo(t.db, loadRoles('kz'), Buffer.alloc(32, 7), { clock: t.clock, clientAddress: null, requestId: null });
      expect(seed.users).toHaveLength(loadRoles('kz').size);
      expect(seed.client?.secret).toBeTruthy();
      // Seeding twice changes nothing.
      expect((await seedDemo(t.db, loadRoles('kz'), Buffer.alloc(32, 7), { clock: t.clock, clientAddress: null, requestId: null })).client).toBeUndefined();

      const registrar = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'demo.office_registrar', password: demoPassword } });
      expect(registrar.json().stage).toBe(demo ? 'pending_totp' : 'pending_password');
      const clerk = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'demo.facility_clerk', password: demoPassword } });
      expect(clerk.json().stage).toBe(demo ? 'active' : 'pending_password');
      if (demo) {
        const cookie = registrar.cookies.find((c) => c.name === 'tirkeu_session')!;
        const code = await generate({ secret: demoTotpSecret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
        const second = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/second-factor',
          headers: { cookie: `tirkeu_session=${cookie.value}`, 'x-csrf-token': registrar.json().csrfToken },
          payload: { code },
        });
        expect(second.json()).toEqual({ stage: 'active' });
        const active = second.cookies.find((c) => c.name === 'tirkeu_session')!;
        const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `tirkeu_session=${active.value}` } });
        expect(me.json()).toMatchObject({ username: 'demo.office_registrar', jurisdiction: '711300000', scopes: expect.arrayContaining(['birth.register']) });
      }
    }
  });
});
