import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Actor } from '../access/policy.ts';
import type { Declaration } from './declaration.ts';
import { attachDocument } from './documents.ts';
import { type BirthDeps, type BirthRow, declareBirth, localDate, notifyBirth, recordEvidenceSeen, registerBirth, validateBirth } from './workflow.ts';

/**
 * Demo births in Astana for `tirkeu seed --demo`, one on each road a registrar meets: notified and
 * waiting (one overdue), declared with a document missing, validated, and registered for citizen
 * parents, an undocumented mother and a foundling. The declared ones carry an uploaded supporting
 * document (a small specimen PDF), so uploads, downloads and verify-log's document check can be
 * tried on demo data. Each child has parents of its own (record linkage would rightly take two
 * children of one couple born days apart for one child). Last, the registered Томирис is declared
 * again as an office often meets it: the mother's names copied from a Latin passport, the
 * father's with Kazakh letters typed as Russian ones, the date a day off; linkage stops it at
 * DUPLICATE_SUSPECTED, so the duplicate review has a pair to show (it carries no upload).
 * Idempotency keys make a second seed a no-op.
 */
const demoRegistrar: Actor = {
  kind: 'user',
  id: 'seed-demo',
  username: 'seed-demo',
  roles: ['national_registrar'],
  scopes: new Set(['birth.notify', 'birth.declare', 'birth.validate', 'birth.register']),
  jurisdiction: null,
  officeId: 'kz-rgo-71-01',
  sessionId: 'seed',
};

function daysAgo(deps: BirthDeps, days: number): string {
  return localDate(new Date(deps.clock.now().getTime() - days * 86_400_000), deps.timeZone);
}

/** A one-page specimen PDF, the same bytes every time (no dates in its metadata). */
export async function specimenPdf(title: string): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([420, 595]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('tirkeu demo document - specimen, not valid', { x: 40, y: 540, size: 12, font });
  page.drawText(title, { x: 40, y: 510, size: 12, font });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export async function seedDemoBirths(deps: BirthDeps): Promise<{ births: number }> {
  const w = (key: string) => ({ actor: demoRegistrar, idempotencyKey: `seed-demo-${key}` });
  // A second seed finds the document already there (an upload gets a new id, so it is not replayed).
  const attach = async (record: BirthRow, type: string) => {
    if (record.data.attachments.length > 0) return;
    const content = await specimenPdf(type.replaceAll('_', ' '));
    await attachDocument(deps, record.id, { type, mediaType: 'application/pdf', content }, w(`${record.id}-document`));
  };
  const child = (givenName: string, sex: 'male' | 'female', days: number): Declaration['child'] => ({
    givenName,
    surname: 'Демо',
    sex,
    dateOfBirth: daysAgo(deps, days),
    placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' },
    plurality: 1,
    birthOrder: 1,
    weightGrams: 3300,
  });
  const parents = (mother: string, father: string): Pick<Declaration, 'mother' | 'father'> => ({
    mother: { givenName: mother, surname: 'Демо', age: 28, citizenship: 'KZ', legalStatus: 'citizen' },
    father: { givenName: father, surname: 'Демо', age: 31, citizenship: 'KZ', legalStatus: 'citizen' },
  });
  const base: Omit<Declaration, 'child'> = {
    path: 'facility_birth',
    mother: { givenName: 'Айгүл', surname: 'Демо', age: 28, citizenship: 'KZ', legalStatus: 'citizen' },
    father: { givenName: 'Нұрлан', surname: 'Демо', age: 31, citizenship: 'KZ', legalStatus: 'citizen' },
    maritalStatus: 'married',
    parentage: 'marriage',
    informant: { relation: 'mother' },
    attendant: 'midwife',
    documents: [{ type: 'medical_birth_certificate', reference: 'DEMO-MBC' }],
  };
  await notifyBirth(deps, { facilityId: 'kz-hf-71-001', child: { sex: 'female', dateOfBirth: daysAgo(deps, 1), plurality: 1, birthOrder: 1 }, mother: { givenName: 'Сәуле' } }, w('notified'));
  await notifyBirth(deps, { facilityId: 'kz-hf-71-001', child: { sex: 'male', dateOfBirth: daysAgo(deps, 12), plurality: 1, birthOrder: 1 }, contact: { phone: '+77000000000' } }, w('overdue'));
  await declareBirth(deps, { ...base, path: 'home_birth', child: { ...child('Дана', 'female', 2), placeOfBirth: { type: 'other', kato: '711300000' } }, documents: [] }, w('missing'));
  const alikhan: Declaration = { ...base, ...parents('Сандуғаш', 'Асқар'), child: child('Әлихан', 'male', 1) };
  const validated = await declareBirth(deps, alikhan, w('validated'));
  // One document is uploaded (a small PDF); any other listed one counts once someone records seeing the original.
  const evidence = async (record: BirthRow, declaration: Declaration, uploaded: string, key: string) => {
    await attach(record, uploaded);
    for (const [j, d] of declaration.documents.entries()) if (d.type !== uploaded) await recordEvidenceSeen(deps, record.id, d, w(`${key}-e${j}`));
  };
  await evidence(validated.record, alikhan, 'medical_birth_certificate', 'validated');
  await validateBirth(deps, validated.record.id, w('validated-v'));
  const tomiris: Declaration = { ...base, ...parents('Гүлнар', 'Қайрат'), child: child('Томирис', 'female', 2) };
  const registered: Declaration[] = [
    tomiris,
    {
      ...base,
      path: 'mother_without_documents',
      child: child('Амир', 'male', 2),
      mother: { givenName: 'Мадина', age: 22, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
      father: undefined,
      maritalStatus: 'unknown',
      parentage: 'not_established',
      documents: [{ type: 'medical_birth_certificate' }, { type: 'mother_identity_statement' }],
    },
    { ...base, path: 'foundling', child: { ...child('Жанат', 'male', 3), placeOfBirth: { type: 'other', kato: '711300000' } }, mother: undefined, father: undefined, maritalStatus: 'unknown', parentage: 'not_established', informant: { relation: 'guardianship_authority' }, documents: [{ type: 'guardianship_authority_report' }] },
  ];
  for (const [i, declaration] of registered.entries()) {
    const { record } = await declareBirth(deps, declaration, w(`registered-${i}`));
    await evidence(record, declaration, declaration.path === 'foundling' ? 'guardianship_authority_report' : 'medical_birth_certificate', `registered-${i}`);
    await validateBirth(deps, record.id, w(`registered-${i}-v`));
    await registerBirth(deps, record.id, w(`registered-${i}-r`));
  }
  const repeat: Declaration = {
    ...tomiris,
    child: { ...tomiris.child, dateOfBirth: daysAgo(deps, 3) },
    mother: { ...tomiris.mother!, surname: 'Demo', givenName: 'Gulnar' },
    father: { ...tomiris.father!, givenName: 'Кайрат' },
    documents: [{ type: 'medical_birth_certificate', reference: 'DEMO-MBC-2' }],
  };
  await declareBirth(deps, repeat, w('duplicate'));
  return { births: 5 + registered.length };
}
