import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { createRecord } from '../../src/core/action-log/record-store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { noteRecord } from '../support/note-record.ts';

/** Every read of a full personal record leaves a line in the access audit: who, which record, from where. */
let t: TestApp;
let readerId: string;
let reader: Record<string, string>;
let inside: string;
let outside: string;
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });

beforeAll(async () => {
  t = await openTestApp();
  const note = async (jurisdiction: string) =>
    (await t.db.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor: 'system', payload: { jurisdiction, text: 'x' } }, { clock: t.clock }))).record.id;
  inside = await note('711300000');
  outside = await note('751300000');
  readerId = await t.db.transaction(async (tx) =>
    (await createUser(tx, loadRoles('kz'), { username: 'reader.astana', displayName: 'Reader', jurisdiction: '710000000', roles: ['registration_agent'], password: 'record reader password one' }, ctx())).id,
  );
  const session = await t.db.transaction((tx) => createSession(tx, readerId, 'active', ctx()));
  reader = { cookie: `tirkeu_session=${session.token}` };
});
afterAll(() => t.close());

async function readLines(recordId: string) {
  const { rows } = await t.db.query<{ actor_kind: string; actor_id: string; event: string; outcome: string; target_type: string; request_id: string; details: unknown }>(
    "SELECT actor_kind, actor_id, event, outcome, target_type, request_id, details FROM access_audit WHERE target_id = $1 AND event = 'record_read' ORDER BY seq",
    [recordId],
  );
  return rows;
}

describe('the read audit', () => {
  it('writes one line, naming the reader, the record and the request, for each read of a record and of its history', async () => {
    const state = await t.app.inject({ method: 'GET', url: `/api/v1/records/${inside}`, headers: reader });
    expect(state.statusCode).toBe(200);
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/records/${inside}/actions`, headers: reader });
    expect(history.statusCode).toBe(200);
    expect(await readLines(inside)).toEqual([
      { actor_kind: 'user', actor_id: readerId, event: 'record_read', outcome: 'success', target_type: 'test_note', request_id: state.headers['x-request-id'], details: { view: 'state' } },
      { actor_kind: 'user', actor_id: readerId, event: 'record_read', outcome: 'success', target_type: 'test_note', request_id: history.headers['x-request-id'], details: { view: 'history' } },
    ]);
  });

  it('writes no read line for a record the reader was not shown', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/records/${outside}`, headers: reader })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/records/${outside}/actions`, headers: reader })).statusCode).toBe(404);
    expect(await readLines(outside)).toEqual([]);
  });
});
