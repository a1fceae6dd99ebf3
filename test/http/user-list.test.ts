import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { openTestApp, type TestApp } from '../support/app.ts';

/**
 * An Almaty administrator pages through the user list. Astana accounts sort between, before and
 * after the Almaty ones: no page and no cursor may name one of them.
 */
let t: TestApp;
let admin: Record<string, string>;
const almatyNames: string[] = [];
const elsewhereNames: string[] = [];
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  const roles = loadRoles('kz');
  const add = (username: string, jurisdiction: string | null, roleIds = ['statistician']) =>
    t.db.transaction((tx) => createUser(tx, roles, { username, displayName: username, jurisdiction, roles: roleIds, password: 'user list test password' }, ctx()));
  const adminUser = await add('almaty.admin', '750000000', ['system_admin']);
  almatyNames.push('almaty.admin');
  for (let i = 0; i < 23; i++) {
    const name = `u${String(i).padStart(2, '0')}`;
    // Two of every three in Astana, one in an Almaty district, one national account at the end.
    if (i % 3 === 1) {
      await add(`${name}.almaty`, '751300000');
      almatyNames.push(`${name}.almaty`);
    } else {
      await add(`${name}.astana`, i % 2 ? '711300000' : '710000000');
      elsewhereNames.push(`${name}.astana`);
    }
  }
  await add('zz.national', null);
  elsewhereNames.push('zz.national');
  const session = await t.db.transaction((tx) => createSession(tx, adminUser.id, 'active', ctx()));
  admin = { cookie: `tirkeu_session=${session.token}` };
});
afterAll(() => t.close());

describe('the user list', () => {
  it('filters by the caller jurisdiction before paginating: every page full, no item and no cursor outside Almaty', async () => {
    const seen: string[] = [];
    const cursors: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/users?limit=3${after ? `&after=${after}` : ''}`, headers: admin });
      expect(res.statusCode).toBe(200);
      const { items, next } = res.json() as { items: { username: string; jurisdiction: string | null }[]; next: string | null };
      seen.push(...items.map((u) => u.username));
      if (next === null) break;
      // A page that is not the last is full: the filter ran before the limit.
      expect(items).toHaveLength(3);
      cursors.push(next);
      after = next;
    }
    expect(seen).toEqual([...almatyNames].sort());
    expect(cursors.filter((c) => elsewhereNames.includes(c))).toEqual([]);
  });
});
