import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { checkDocument } from '../../src/births/document-check.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { facilityDeclaration } from '../support/births.ts';

let t: TestApp;
const headers: Record<string, Record<string, string>> = {};
let pdf: Buffer;

/** A one-page PDF, changed by `edit` before it is saved (an action added, say). */
async function makePdf(edit: (doc: PDFDocument) => void = () => {}, options: { useObjectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('Medical birth certificate', { x: 10, y: 100, size: 10 });
  edit(doc);
  return Buffer.from(await doc.save(options));
}
const png = () => {
  const image = new PNG({ width: 4, height: 4 });
  image.data.fill(200);
  return PNG.sync.write(image);
};
const jpg = () => Buffer.from(jpeg.encode({ width: 4, height: 4, data: Buffer.alloc(64, 200) }, 80).data);
const jpg16 = () => Buffer.from(jpeg.encode({ width: 16, height: 16, data: Buffer.alloc(16 * 16 * 4, 200) }, 50).data);
const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');

beforeAll(async () => {
  t = await openTestApp({ TIRKEU_UPLOAD_LIMIT: '65536' });
  pdf = await makePdf();
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
    expect(read.headers['content-disposition']).toMatch(/^attachment; filename="[0-9a-f-]+\.pdf"$/);
    const audited = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM access_audit WHERE event = 'document_read' AND target_id = $1", [uploaded.json().document.id]);
    expect(audited.rows[0]!.n).toBe(1);
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
    const unknownType = await upload('astana', id, 'no_such_type', pdf);
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json().field).toBe('type');
    const outsider = await upload('almaty', id, 'medical_birth_certificate', pdf);
    expect(outsider.statusCode).toBe(404);
    expect(await count()).toBe(before);
    // The table itself refuses changes: evidence is never edited or removed.
    await expect(t.db.query('DELETE FROM documents')).rejects.toThrow(/append-only/);
  });

  it('reads the whole file: refuses PDFs that do not load or carry scripts or launch actions, and images with bytes after their end', async () => {
    const declared = await t.app.inject({ method: 'POST', url: '/api/v1/births', headers: headers.astana, payload: facilityDeclaration() });
    const id = declared.json().id as string;
    const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents')).rows[0]!.n;
    const before = await count();
    const script = (doc: PDFDocument) => doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert(1)') });
    const launch = (doc: PDFDocument) => doc.context.obj({ Type: 'Action', S: 'Launch', F: PDFString.of('cmd.exe') });
    const openScript = await makePdf((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(script(doc))));
    const refused: [string, Buffer, string][] = [
      ['a PDF header and nothing else', Buffer.from('%PDF-1.4 nothing else'), 'application/pdf'],
      ['an OpenAction running JavaScript (in a compressed object stream)', openScript, 'application/pdf'],
      ['the same, written plainly', await makePdf((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(script(doc))), { useObjectStreams: false }), 'application/pdf'],
      ['the same with the name hex-escaped', Buffer.from((await makePdf((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(script(doc))), { useObjectStreams: false })).toString('latin1').replace('/JavaScript', '/J#61vaScript').replace('/JS ', '/J#53 '), 'latin1'), 'application/pdf'],
      ['a page additional action launching a program', await makePdf((doc) => doc.getPage(0).node.set(PDFName.of('AA'), doc.context.obj({ O: doc.context.register(launch(doc)) }))), 'application/pdf'],
      ['a document-level JavaScript name tree', await makePdf((doc) => doc.catalog.set(PDFName.of('Names'), doc.context.obj({ JavaScript: doc.context.obj({ Names: [PDFString.of('x'), doc.context.register(script(doc))] }) }))), 'application/pdf'],
      ['HTML after the PNG IEND', Buffer.concat([png(), html]), 'image/png'],
      ['a cut PNG', png().subarray(0, 40), 'image/png'],
      ['HTML after the JPEG EOI', Buffer.concat([jpg(), html]), 'image/jpeg'],
      ['a cut JPEG', jpg().subarray(0, jpg().length - 10), 'image/jpeg'],
    ];
    for (const [name, body, mediaType] of refused) {
      const res = await upload('astana', id, 'medical_birth_certificate', body, mediaType);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      expect(res.json().field, name).toBe('body');
    }
    expect(await count()).toBe(before);
    for (const [body, mediaType] of [[png(), 'image/png'], [jpg(), 'image/jpeg'], [pdf, 'application/pdf']] as const) {
      const res = await upload('astana', id, 'medical_birth_certificate', body, mediaType);
      expect(res.statusCode, `${mediaType}: ${res.body}`).toBe(201);
    }
  });

  it('reads the bytes a reader reads: a script in an object defined twice, hidden in stream data or appended after %%EOF, an XFA form, an object stream bomb', async () => {
    const declared = await t.app.inject({ method: 'POST', url: '/api/v1/births', headers: headers.astana, payload: facilityDeclaration() });
    const id = declared.json().id as string;
    /** A PDF written by hand: the objects in order, and a cross-reference table pointing where `at` says. */
    const handmade = (objects: [number, string | Buffer][], at: Record<number, number> = {}) => {
      const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n')];
      let length = chunks[0]!.length;
      const offsets: Record<number, number> = {};
      const seen: Record<number, number> = {};
      for (const [n, body] of objects) {
        seen[n] = (seen[n] ?? 0) + 1;
        if (seen[n] === (at[n] ?? seen[n])) offsets[n] = length;
        const chunk = Buffer.concat([Buffer.from(`${n} 0 obj\n`), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n')]);
        chunks.push(chunk);
        length += chunk.length;
      }
      const size = Math.max(...Object.keys(offsets).map(Number)) + 1;
      const rows = Array.from({ length: size - 1 }, (_, i) => `${String(offsets[i + 1] ?? 0).padStart(10, '0')} 00000 n \n`).join('');
      chunks.push(Buffer.from(`xref\n0 ${size}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
      return Buffer.concat(chunks);
    };
    const pages: [number, string][] = [[2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'], [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>']];
    const script = '<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>';
    const hidden = `9 0 obj\n${script}\nendobj\n`;
    const zeros = deflateSync(Buffer.alloc(40 * 1_048_576));
    const refused: [string, Buffer][] = [
      // The reader follows the table to the first object 1 (with an OpenAction); a parser keeping the last sees none.
      ['an object defined twice', handmade([[1, '<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>'], ...pages, [4, script], [4, '<< /S /GoTo /D [3 0 R /Fit] >>'], [1, '<< /Type /Catalog /Pages 2 0 R >>']], { 1: 1, 4: 1 })],
      ['an object hidden in a stream’s data', handmade([[1, '<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R >>'], ...pages, [5, `<< /Length ${hidden.length} >>\nstream\n${hidden}\nendstream`]])],
      ['a script appended after %%EOF', Buffer.concat([pdf, Buffer.from(`\n${hidden}`)])],
      ['an XFA form', await makePdf((doc) => doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [], XFA: doc.context.register(doc.context.flateStream('<xdp:xdp><script>app.alert(1)</script></xdp:xdp>')) })))],
      ['an object stream inflating to 40 MiB', handmade([[1, '<< /Type /Catalog /Pages 2 0 R >>'], ...pages, [4, Buffer.concat([Buffer.from(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${zeros.length} >>\nstream\n`), zeros, Buffer.from('\nendstream')])]])],
      ['an object stream deflated twice', handmade([[1, '<< /Type /Catalog /Pages 2 0 R >>'], ...pages, [4, Buffer.concat([Buffer.from('<< /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode] /Length 20 >>\nstream\n'), deflateSync(deflateSync(Buffer.alloc(1000))), Buffer.from('\nendstream')])]])],
    ];
    for (const [name, body] of refused) {
      const res = await upload('astana', id, 'medical_birth_certificate', body);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      expect(res.json().field, name).toBe('body');
    }
    const plain = handmade([[1, '<< /Type /Catalog /Pages 2 0 R >>'], ...pages]);
    expect((await upload('astana', id, 'medical_birth_certificate', plain)).statusCode).toBe(201);
  });

  it('refuses a small image claiming a huge size before decoding it', async () => {
    const declared = await t.app.inject({ method: 'POST', url: '/api/v1/births', headers: headers.astana, payload: facilityDeclaration() });
    const id = declared.json().id as string;
    // A 16×16 JPEG whose frame header says 7000×7000 (619 bytes took 1 GB to refuse), and a PNG of
    // 7000×7000 16-bit RGBA rows of zeros (370 KB, 1.5 GB and 6 s to decode).
    const jpegBomb = jpg16();
    for (let at = 2; at < jpegBomb.length; at += 2 + jpegBomb.readUInt16BE(at + 2)) {
      if (jpegBomb[at + 1] === 0xc0) {
        jpegBomb.writeUInt16BE(7000, at + 5);
        jpegBomb.writeUInt16BE(7000, at + 7);
        break;
      }
    }
    const chunk = (type: string, data: Buffer) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
      return Buffer.concat([length, Buffer.from(type), data, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(7000, 0);
    header.writeUInt32BE(7000, 4);
    header[8] = 16;
    header[9] = 6;
    const pngBomb = Buffer.concat([png().subarray(0, 8), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(7000 * (1 + 7000 * 8)))), chunk('IEND', Buffer.alloc(0))]);
    let before = process.memoryUsage().rss;
    const res = await upload('astana', id, 'medical_birth_certificate', jpegBomb, 'image/jpeg');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().field).toBe('body');
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1_048_576);
    // The PNG is over this server's upload limit: its check is the one every upload goes through.
    before = process.memoryUsage().rss;
    await expect(checkDocument('medical_birth_certificate', 'image/png', pngBomb, ['medical_birth_certificate'])).rejects.toMatchObject({ details: { field: 'body' } });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1_048_576);
  });

  it('answers a retried upload with the same Idempotency-Key with the first document, storing nothing', async () => {
    const declared = await t.app.inject({ method: 'POST', url: '/api/v1/births', headers: headers.astana, payload: facilityDeclaration() });
    const id = declared.json().id as string;
    const send = () =>
      t.app.inject({ method: 'POST', url: `/api/v1/births/${id}/documents?type=medical_birth_certificate`, headers: { ...headers.astana, 'content-type': 'application/pdf', 'idempotency-key': 'upload-once-0001' }, payload: pdf });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    const count = async () => (await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM record_actions) AS n')).rows[0]!.n;
    const before = await count();
    t.clock.advance(1000);
    const again = await send();
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().document).toEqual(first.json().document);
    expect(await count()).toBe(before);
  });
});
