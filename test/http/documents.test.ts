import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { facilityDeclaration } from '../support/births.ts';

let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);

beforeAll(async () => {
  t = await openTestApp({ TIRKEU_UPLOAD_LIMIT: '65536' });
  await loadPackIntoDb(t.db, loadPack('kz'));
  const ctx = { clock: t.clock, clientAddress: null, requestId: null };
  for (const [name, jurisdiction] of [['astana', '711300000'], ['almaty', '750000000']] as const) {
    const user = await t.db.transaction((tx) => createUser(tx, loadRoles('kz'), { username: `d.${name}`, displayName: name, jurisdiction, roles: ['registration_agent'], password: 'documents test password' }, ctx));
    const session = await t.db.transaction((tx) => createSession(tx, user.id, 'active', ctx));
    headers[name] = { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }
});
afterAll(() => t.close());

const upload = (who: string, id: string, type: string, body: Buffer, contentType = 'application/pdf') =>
  t.app.inject({ method: 'POST', url: `/api/v1/births/${id}/documents?type=${type}`, headers: { ...headers[who], 'content-type': contentType }, payload: body });

describe('supporting documents', () => {
  it('counts an uploaded statement towards the path’s evidence and gives the bytes back to readers', async () => {
    const home = { ...facilityDeclaration(), path: 'home_birth', child: { ...facilityDeclaration().child, placeOfBirth: { type: 'other', kato: '711300000' } }, documents: [] };
    const declared = await t.app.inject({ method: 'POST', url: '/api/v1/births', headers: headers.astana, payload: home });
    const id = declared.json().id as string;
    expect(declared.json().data.missingDocuments).toEqual([['attendant_statement', 'witness_statements', 'court_decision_fact_of_birth']]);

    const uploaded = await upload('astana', id, 'attendant_statement', pdf);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json()).toMatchObject({ document: { type: 'attendant_statement', mediaType: 'application/pdf', size: pdf.length }, record: { data: { missingDocuments: [] } } });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/births/${id}/validate`, headers: headers.astana })).statusCode).toBe(200);

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/births/${id}/documents/${uploaded.json().document.id}`, headers: headers.astana });
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(read.rawPayload, pdf)).toBe(0);
    const outsider = await t.app.inject({ method: 'GET', url: `/api/v1/births/${id}/documents/${uploaded.json().document.id}`, headers: headers.almaty });
    expect(outsider.statusCode).toBe(404);
    expect((await verifyLog(t.db)).broken).toBeUndefined();
  });

  it('refuses oversized, forbidden and disguised files, and uploads from outside the jurisdiction, storing nothing', async () => {
    const declared = await t.app.inject({ method: 'POST', url: '/api/v1/births', headers: headers.astana, payload: facilityDeclaration() });
    const id = declared.json().id as string;
    const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents')).rows[0]!.n;
    const before = await count();
    const big = await upload('astana', id, 'medical_birth_certificate', Buffer.concat([pdf, Buffer.alloc(70_000)]));
    expect(big.statusCode).toBe(413);
    const html = await upload('astana', id, 'medical_birth_certificate', Buffer.from('<html></html>'), 'text/html');
    expect(html.statusCode).toBe(415);
    expect(html.json().field).toBe('content-type');
    const disguised = await upload('astana', id, 'medical_birth_certificate', pdf, 'image/png');
    expect(disguised.statusCode).toBe(400);
    expect(disguised.json().field).toBe('body');
    const badType = await upload('astana', id, 'Medical Certificate!', pdf);
    expect(badType.json().field).toBe('type');
    const outsider = await upload('almaty', id, 'medical_birth_certificate', pdf);
    expect(outsider.statusCode).toBe(404);
    expect(await count()).toBe(before);
    // The table itself refuses changes: evidence is never edited or removed.
    await expect(t.db.query('DELETE FROM documents')).rejects.toThrow(/append-only/);
  });
});
