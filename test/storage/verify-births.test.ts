import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBirths, specimenPdf } from '../../src/births/demo.ts';
import { birthDocumentsVerifier } from '../../src/births/document-integrity.ts';
import { birthIinsVerifier } from '../../src/births/iin-integrity.ts';
import type { Actor } from '../../src/access/policy.ts';
import { birthPayloads } from '../../src/births/record.ts';
import { flagOverdueNotifications } from '../../src/births/reminders.ts';
import {
  approveCorrection,
  archiveBirth,
  assignBirth,
  declareBirth,
  notifyBirth,
  registerBirth,
  rejectCorrection,
  releaseBirth,
  requestBirthUpdate,
  requestCorrection,
  revokeBirth,
  validateBirth,
  recordEvidenceSeen,
  approveRegistration,
} from '../../src/births/workflow.ts';
import { sealCheckpoints } from '../../src/core/action-log/checkpoint.ts';
import { verifyLog } from '../../src/core/action-log/verify.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { birthDeps, facilityDeclaration, helperRegistrar, makeDuplicatePair } from '../support/births.ts';
import { decideDuplicate } from '../../src/births/duplicates.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { certificateDepsFor, issueCertificate, revokeCertificate } from '../../src/certificates/issuance.ts';
import { certificatesVerifier } from '../../src/certificates/integrity.ts';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { testConfig, testSigningPassphrase } from '../support/app.ts';

let db: TestDb;
const clock = fixedClock('2026-03-02T06:00:00Z');
const verify = () => verifyLog(db, { verifiers: [birthDocumentsVerifier, birthIinsVerifier, certificatesVerifier] });
let registered: { id: string; jurisdiction: string; office_id: string; number: string; subject_id: string }[];

/** Runs SQL with the append-only triggers of `table` switched off, as someone with database access could. */
async function behindTheBack(table: string, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await tx.query(sql, params);
    await tx.exec(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  });
}

beforeAll(async () => {
  db = await openTestDb();
  await loadPackIntoDb(db, loadPack('kz'));
  await seedDemoBirths(birthDeps(db, clock));
  await sealCheckpoints(db, clock);
  const { rows } = await db.query<(typeof registered)[number]>(
    "SELECT id, jurisdiction, office_id, number, subject_id FROM records WHERE type = 'birth' AND status = 'REGISTERED' ORDER BY id",
  );
  registered = rows;
  expect(registered.length).toBeGreaterThanOrEqual(3);
});
afterAll(() => db.close());

describe('seed --demo', () => {
  it('attaches a small PDF that loads to its declared demo births, once however often it runs', async () => {
    const { rows } = await db.query<{ content: Uint8Array; media_type: string; size: number }>('SELECT content, media_type, size FROM documents');
    expect(rows.length).toBe(4);
    for (const row of rows) {
      expect(row.media_type).toBe('application/pdf');
      expect(row.size).toBeLessThan(4096);
      expect((await PDFDocument.load(row.content)).getPageCount()).toBe(1);
    }
    await seedDemoBirths(birthDeps(db, clock));
    expect((await db.query<{ n: number }>('SELECT count(*) AS n FROM documents')).rows[0]!.n).toBe(4);
    const report = await verify();
    expect(report.broken).toBeUndefined();
    expect(report.checkedByModules).toEqual({ documents: 4, iins: registered.length, certificates: 0 });
  });
});

describe('verify-log compares every projection column with the replay of the actions', () => {
  const edits: [column: string, value: (r: (typeof registered)[number]) => string][] = [
    ['jurisdiction', () => '751300000'],
    ['subject_id', (r) => `${r.subject_id.slice(0, 11)}${(Number(r.subject_id[11]) + 1) % 10}`],
    ['number', (r) => `${r.number}9`],
    ['office_id', () => 'kz-rgo-75-01'],
    ['ref', () => 'L-FORGED'],
    ['status', () => 'ARCHIVED'],
    ['created_at', () => '2020-01-01T00:00:00Z'],
  ];
  for (const [column, value] of edits) {
    it(`reports an edited ${column}`, async () => {
      const record = registered[edits.findIndex(([c]) => c === column) % registered.length]!;
      const { rows } = await db.query<{ before: string | null }>(`SELECT ${column}::text AS before FROM records WHERE id = $1`, [record.id]);
      await db.query(`UPDATE records SET ${column} = $2 WHERE id = $1`, [record.id, value(record)]);
      try {
        expect((await verify()).broken).toMatchObject({ kind: 'projection', recordId: record.id, column });
      } finally {
        await db.query(`UPDATE records SET ${column} = $2 WHERE id = $1`, [record.id, rows[0]!.before]);
      }
      expect((await verify()).broken).toBeUndefined();
    });
  }

  it('reports a record whose type has no loaded definition, instead of skipping it', async () => {
    const record = registered[0]!;
    await db.query(`UPDATE records SET type = 'no_such_type' WHERE id = $1`, [record.id]);
    try {
      expect((await verify()).broken).toMatchObject({ kind: 'record_type', recordId: record.id, column: 'type' });
    } finally {
      await db.query(`UPDATE records SET type = 'birth' WHERE id = $1`, [record.id]);
    }
  });
});

describe('verify-log checks the certificates against their issuances', () => {
  it('reports a revocation undone, a certificate removed, edited or slipped in', async () => {
    await generateSigningKey(db, clock, { passphrase: testSigningPassphrase });
    const deps = certificateDepsFor(birthDeps(db, clock), testConfig());
    const actor = helperRegistrar(['certificate.issue']);
    const { issuance } = await issueCertificate(deps, registered[0]!.id, { kind: 'birth_certificate', delivery: 'electronic' }, { actor });
    await revokeCertificate(deps, issuance.serial, { actor, reason: 'lost' });
    expect((await verify()).broken).toBeUndefined();
    const edits: [string, unknown[]][] = [
      ['UPDATE certificates SET revoked_at = NULL WHERE serial = $1', [issuance.serial]],
      ["UPDATE certificates SET kind = 'extract' WHERE serial = $1", [issuance.serial]],
      ["UPDATE certificates SET qr_payload = 'KZ1:00' WHERE serial = $1", [issuance.serial]],
    ];
    for (const [sql, params] of edits) {
      const before = (await db.query<Record<string, unknown>>('SELECT * FROM certificates WHERE serial = $1', [issuance.serial])).rows[0]!;
      await db.query(sql, params);
      expect((await verify()).broken, sql).toMatchObject({ kind: 'register', recordId: registered[0]!.id });
      await db.query('UPDATE certificates SET revoked_at = $2, kind = $3, qr_payload = $4 WHERE serial = $1', [issuance.serial, before.revoked_at, before.kind, before.qr_payload]);
    }
    const row = (await db.query<Record<string, unknown>>('SELECT * FROM certificates WHERE serial = $1', [issuance.serial])).rows[0]!;
    await db.query('DELETE FROM certificates WHERE serial = $1', [issuance.serial]);
    expect((await verify()).broken).toMatchObject({ kind: 'register', message: expect.stringContaining('missing') });
    await db.query(
      'INSERT INTO certificates (serial, record_id, kind, record_version, status_index, key_id, qr_payload, issued_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [row.serial, row.record_id, row.kind, row.record_version, row.status_index, row.key_id, row.qr_payload, row.issued_at, row.revoked_at],
    );
    await db.query(
      "INSERT INTO certificates (serial, record_id, kind, record_version, status_index, key_id, qr_payload, issued_at) VALUES ('KZ-2026-9999999', $1, 'birth_certificate', 1, 999999, $2, $3, now())",
      [registered[1]!.id, row.key_id, row.qr_payload],
    );
    expect((await verify()).broken).toMatchObject({ kind: 'register', recordId: registered[1]!.id, message: expect.stringContaining('slipped in') });
    await db.query("DELETE FROM certificates WHERE serial = 'KZ-2026-9999999'");
    expect((await verify()).broken).toBeUndefined();
  });
});

describe('verify-log checks the IIN register against the records', () => {
  it('reports an IIN deleted from the register, or moved to another record', async () => {
    const [first, second] = registered as [(typeof registered)[number], (typeof registered)[number]];
    await behindTheBack('iins', 'DELETE FROM iins WHERE iin = $1', [first.subject_id]);
    try {
      expect((await verify()).broken).toMatchObject({ kind: 'register', recordId: first.id });
    } finally {
      await db.query("INSERT INTO iins (iin, record_id, issued_at) VALUES ($1, $2, now())", [first.subject_id, first.id]);
    }
    expect((await verify()).broken).toBeUndefined();
    await db.query('UPDATE iins SET record_id = $2 WHERE iin = $1', [first.subject_id, second.id]);
    try {
      expect((await verify()).broken).toMatchObject({ kind: 'register' });
    } finally {
      await db.query('UPDATE iins SET record_id = $2 WHERE iin = $1', [first.subject_id, first.id]);
    }
    expect((await verify()).broken).toBeUndefined();
  });
});

describe('verify-log recomputes the hash of every document', () => {
  it('reports a document whose bytes were swapped', async () => {
    const { rows } = await db.query<{ id: string; record_id: string; content: Uint8Array }>('SELECT id::text, record_id::text, content FROM documents ORDER BY id LIMIT 1');
    const original = Buffer.from(rows[0]!.content);
    const swapped = await specimenPdf('another document altogether');
    expect(swapped.equals(original)).toBe(false);
    await behindTheBack('documents', 'UPDATE documents SET content = $2 WHERE id = $1', [rows[0]!.id, swapped]);
    try {
      expect((await verify()).broken).toMatchObject({ kind: 'document', documentId: rows[0]!.id, recordId: rows[0]!.record_id });
    } finally {
      await behindTheBack('documents', 'UPDATE documents SET content = $2 WHERE id = $1', [rows[0]!.id, original]);
    }
    expect((await verify()).broken).toBeUndefined();
  });

  it('reports a document that no action cites', async () => {
    const { rows } = await db.query<{ record_id: string }>('SELECT record_id::text FROM documents LIMIT 1');
    await db.query(
      `INSERT INTO documents (id, record_id, type, media_type, size, sha256, content, uploaded_by, uploaded_at)
       VALUES ('00000000-0000-7000-8000-000000000001', $1, 'medical_birth_certificate', 'application/pdf', 5, 'x', '\\x255044462d', 'someone', now())`,
      [rows[0]!.record_id],
    );
    try {
      expect((await verify()).broken).toMatchObject({ kind: 'document', documentId: '00000000-0000-7000-8000-000000000001' });
    } finally {
      await behindTheBack('documents', `DELETE FROM documents WHERE id = '00000000-0000-7000-8000-000000000001'`);
    }
  });
});

describe('payload schemas', () => {
  it('refuse an unknown property or a wrong type in a birth action, naming the field, and write nothing', async () => {
    const deps = birthDeps(db, clock);
    const system = { actor: { kind: 'system', id: 'system' } as const };
    const count = async () => (await db.query<{ n: number }>('SELECT count(*) AS n FROM record_actions')).rows[0]!.n;
    const before = await count();
    const notification = { facilityId: 'kz-hf-71-001', child: { sex: 'female' as const, dateOfBirth: '2026-03-01', plurality: 1, birthOrder: 1 } };
    await expect(notifyBirth(deps, { ...notification, child: { ...notification.child, nickname: 'x' } } as never, system)).rejects.toMatchObject({
      code: 'validation_failed',
      details: { field: 'notification.child.nickname' },
    });
    await expect(notifyBirth(deps, { ...notification, mother: { givenName: true } } as never, system)).rejects.toMatchObject({
      code: 'validation_failed',
      details: { field: 'notification.mother.givenName' },
    });
    expect(await count()).toBe(before);
  });

  it('accept what every birth use case writes: each action type, replayed by verify-log', async () => {
    const deps = birthDeps(db, clock);
    const registrar: Actor = {
      kind: 'user',
      id: 'schema-test',
      username: 'schema.test',
      roles: ['national_registrar'],
      scopes: new Set(['birth.notify', 'birth.declare', 'birth.validate', 'birth.register', 'correction.approve', 'certificate.issue']),
      jurisdiction: null,
      officeId: 'kz-rgo-71-01',
      sessionId: 'test',
    };
    const w = { actor: registrar };
    await generateSigningKey(db, clock, { passphrase: testSigningPassphrase });
    const notified = await notifyBirth(deps, { facilityId: 'kz-hf-71-001', child: { sex: 'male', dateOfBirth: '2026-02-02', plurality: 1, birthOrder: 1 } }, w);
    await flagOverdueNotifications(deps);
    const declaration = facilityDeclaration();
    await declareBirth(deps, declaration, { ...w, recordId: notified.id });
    await requestBirthUpdate(deps, notified.id, { ...w, reason: 'the mother’s name is missing' });
    await declareBirth(deps, declaration, { ...w, recordId: notified.id });
    await assignBirth(deps, notified.id, w);
    await releaseBirth(deps, notified.id, w);
    await recordEvidenceSeen(deps, notified.id, { type: 'medical_birth_certificate' }, w);
    await validateBirth(deps, notified.id, w);
    await registerBirth(deps, notified.id, w);
    const corrected = { ...declaration, child: { ...declaration.child, givenName: 'Әлия' } };
    await requestCorrection(deps, notified.id, corrected, { ...w, reason: 'misspelt' });
    await approveCorrection(deps, notified.id, w);
    await requestCorrection(deps, notified.id, declaration, { ...w, reason: 'changed our minds' });
    await rejectCorrection(deps, notified.id, { ...w, reason: 'the first was right' });
    await revokeBirth(deps, notified.id, { ...w, reason: 'registered in error' });
    const base = facilityDeclaration();
    const late = await declareBirth(deps, { ...base, child: { ...base.child, dateOfBirth: '2026-01-15' }, documents: [{ type: 'medical_birth_certificate' }, { type: 'late_registration_statement' }] }, w);
    for (const type of ['medical_birth_certificate', 'late_registration_statement']) await recordEvidenceSeen(deps, late.record.id, { type }, w);
    await validateBirth(deps, late.record.id, w);
    await approveRegistration(deps, late.record.id, { ...w, reason: 'the family was abroad' });
    await registerBirth(deps, late.record.id, w);
    const certificates = certificateDepsFor(deps, testConfig());
    const { issuance } = await issueCertificate(certificates, late.record.id, { kind: 'extract', delivery: 'electronic' }, w);
    await revokeCertificate(certificates, issuance.serial, { ...w, reason: 'issued with a typo' });
    const other = await declareBirth(deps, facilityDeclaration(), w);
    await archiveBirth(deps, other.record.id, { ...w, reason: 'a duplicate' });
    // Record linkage: a suspected duplicate found not to be one, and one found to be one.
    const pairId = await makeDuplicatePair(deps, 'kz-hf-71-001');
    await decideDuplicate(deps, pairId, { decision: 'not_duplicate', reason: 'two children, the documents say so' }, w);
    const repeated = await makeDuplicatePair(deps, 'kz-hf-71-001');
    await decideDuplicate(deps, repeated, { decision: 'duplicate', reason: 'the same child declared twice' }, w);

    const { rows } = await db.query<{ type: string }>("SELECT DISTINCT a.type FROM record_actions a JOIN records r ON r.id = a.record_id WHERE r.type = 'birth'");
    expect(rows.map((r) => r.type).sort()).toEqual(Object.keys(birthPayloads).sort());
    await sealCheckpoints(db, clock);
    expect((await verify()).broken).toBeUndefined();
  });
});
