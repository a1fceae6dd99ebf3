import { describe, expect, it } from 'vitest';
import { facilityDeclaration } from '../../../../../test/support/births.ts';
import {
  allRequiredMissing,
  answer,
  answersOf,
  buildDeclaration,
  changesBetween,
  emptyForm,
  formFromDeclaration,
  formFromNotification,
  missingDocuments,
  normaliseField,
  pathOf,
  questionsFor,
  requiredDocuments,
  requiredMissing,
  type Requirements,
  stepOfField,
  stepsFor,
} from './model.ts';

describe('the legal-path questions', () => {
  it('ask nothing about parents for a foundling', () => {
    expect(questionsFor({})).toEqual(['foundling']);
    expect(questionsFor({ foundling: true })).toEqual(['foundling']);
    expect(pathOf({ foundling: true })).toBe('foundling');
    expect(questionsFor({ foundling: false })).toEqual(['foundling', 'bornWhere', 'motherHasDocuments', 'parentsStatus']);
  });

  it('decide no path while a question is open', () => {
    expect(pathOf({})).toBeUndefined();
    expect(pathOf({ foundling: false, bornWhere: 'facility', motherHasDocuments: true })).toBeUndefined();
  });

  it('lead to the most protective path that fits', () => {
    const base = { foundling: false, bornWhere: 'facility', motherHasDocuments: true, parentsStatus: 'citizens' } as const;
    expect(pathOf(base)).toBe('facility_birth');
    expect(pathOf({ ...base, bornWhere: 'elsewhere' })).toBe('home_birth');
    expect(pathOf({ ...base, bornWhere: 'abroad' })).toBe('facility_birth');
    for (const parentsStatus of ['foreigners', 'stateless', 'unknown'] as const) expect(pathOf({ ...base, parentsStatus })).toBe('foreign_or_stateless_parents');
    expect(pathOf({ ...base, motherHasDocuments: false })).toBe('mother_without_documents');
    expect(pathOf({ ...base, motherHasDocuments: false, parentsStatus: 'stateless', bornWhere: 'elsewhere' })).toBe('mother_without_documents');
  });

  it('give a foundling no mother step, and a correction no upload step', () => {
    expect(stepsFor(undefined, 'new')).toEqual(['path']);
    expect(stepsFor('foundling', 'new')).toEqual(['path', 'child', 'family', 'documents', 'review']);
    expect(stepsFor('mother_without_documents', 'new')).toEqual(['path', 'child', 'mother', 'family', 'documents', 'review']);
    expect(stepsFor('facility_birth', 'correct')).toEqual(['path', 'child', 'mother', 'family', 'review']);
  });

  it('set the parents’ citizenship from the status answer, leaving a foreign country to choose', () => {
    let form = answer(emptyForm(), { foundling: false, bornWhere: 'facility', motherHasDocuments: false, parentsStatus: 'unknown' });
    expect([form.mother.citizenship, form.mother.legalStatus]).toEqual(['unknown', 'undocumented']);
    form = answer(form, { parentsStatus: 'citizens' });
    expect([form.mother.citizenship, form.mother.legalStatus]).toEqual(['KZ', 'citizen']);
    form = answer(form, { parentsStatus: 'foreigners' });
    expect([form.mother.citizenship, form.mother.legalStatus]).toEqual(['', 'temporary_resident']);
    expect(requiredMissing(form, 'mother')).toEqual(['mother.citizenship']);
    form = answer(form, { parentsStatus: 'stateless' });
    expect([form.mother.citizenship, form.mother.legalStatus]).toEqual(['stateless', 'stateless']);
    // The answers may come in any order.
    const first = answer(answer(answer(emptyForm(), { foundling: false }), { parentsStatus: 'unknown' }), { motherHasDocuments: false });
    expect(first.mother.legalStatus).toBe('undocumented');
    expect(answer(form, { foundling: true }).answers).toEqual({ foundling: true });
  });
});

describe('the declaration body', () => {
  const withoutDocuments = () => {
    const form = answer(emptyForm(), { foundling: false, bornWhere: 'facility', motherHasDocuments: false, parentsStatus: 'unknown' });
    form.child = { ...form.child, givenName: 'Әйгерім', surname: ' Нұрсұлтанқызы ', nameForm: 'kazakh_suffix', patronymic: 'ignored', sex: 'female', dateOfBirth: '2026-02-28', facilityId: 'kz-hf-71-001', weightGrams: '3100' };
    form.mother = { ...form.mother, givenName: 'Гүлнар', age: '24', documentType: 'passport', documentNumber: 'N1' };
    form.maritalStatus = 'unknown';
    form.parentage = 'not_established';
    form.informant = { relation: 'mother', name: '' };
    return form;
  };

  it('takes a mother without documents at her word, with nothing empty and names as typed', () => {
    const body = buildDeclaration(withoutDocuments(), ['mother_identity_statement']);
    expect(body).toEqual({
      path: 'mother_without_documents',
      child: { givenName: 'Әйгерім', surname: 'Нұрсұлтанқызы', nameForm: 'kazakh_suffix', sex: 'female', dateOfBirth: '2026-02-28', placeOfBirth: { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1, weightGrams: 3100 },
      mother: { givenName: 'Гүлнар', age: 24, citizenship: 'unknown', legalStatus: 'undocumented', identityDeclared: true },
      maritalStatus: 'unknown',
      parentage: 'not_established',
      informant: { relation: 'mother' },
      documents: [{ type: 'mother_identity_statement' }],
    });
  });

  it('gives a foundling no parent and a place found', () => {
    const form = answer(emptyForm(), { foundling: true });
    form.child = { ...form.child, sex: 'male', dateOfBirth: '2026-02-20', kato: '711300000', address: 'Достық көшесі' };
    form.informant = { relation: 'police', name: '' };
    const body = buildDeclaration(form);
    expect(body).toMatchObject({ path: 'foundling', maritalStatus: 'unknown', parentage: 'not_established', informant: { relation: 'police' } });
    expect(body.mother).toBeUndefined();
    expect(body.child.placeOfBirth).toEqual({ type: 'other', kato: '711300000', address: 'Достық көшесі' });
    expect(allRequiredMissing(form, 'new')).toEqual([]);
  });

  it('names the country of a birth abroad, and asks for it', () => {
    const form = answer(emptyForm(), { foundling: false, bornWhere: 'abroad', motherHasDocuments: true, parentsStatus: 'citizens' });
    form.child = { ...form.child, sex: 'male', dateOfBirth: '2026-02-20', kato: '711300000' };
    expect(requiredMissing(form, 'child')).toEqual(['child.placeOfBirth.country']);
    form.child.country = 'TR';
    expect(buildDeclaration(form).child.placeOfBirth).toEqual({ type: 'other', kato: '711300000', country: 'TR' });
  });

  it('lists what each step still needs', () => {
    const form = answer(emptyForm(), { foundling: false });
    expect(requiredMissing(form, 'path')).toEqual(['answers.bornWhere', 'answers.motherHasDocuments', 'answers.parentsStatus']);
    const filled = withoutDocuments();
    expect(allRequiredMissing(filled, 'new')).toEqual([]);
    filled.child.facilityId = ' ';
    expect(requiredMissing(filled, 'child')).toEqual(['child.placeOfBirth.facilityId']);
  });

  it('gives back a stored declaration unchanged when nothing is edited', () => {
    const stored = facilityDeclaration();
    expect(answersOf(stored)).toEqual({ foundling: false, bornWhere: 'facility', motherHasDocuments: true, parentsStatus: 'citizens' });
    expect(buildDeclaration(formFromDeclaration(stored))).toEqual(stored);
    const edited = formFromDeclaration(stored);
    const foundling = { ...stored, child: { ...stored.child, placeOfBirth: { type: 'other' as const, kato: '711300000' } }, path: 'foundling' as const, mother: undefined, maritalStatus: 'unknown' as const, parentage: 'not_established' as const, attendant: 'midwife' as const, informant: { relation: 'police' as const } };
    delete foundling.mother;
    expect(buildDeclaration(formFromDeclaration(foundling))).toEqual(foundling);
    edited.child.givenName = 'Айгүл';
    expect(changesBetween(stored, buildDeclaration(edited))).toEqual([{ field: 'child.givenName', before: 'Айгерім', after: 'Айгүл' }]);
  });

  it('starts a notified birth from what the facility sent', () => {
    const form = formFromNotification({ facilityId: 'kz-hf-71-001', child: { sex: 'female', dateOfBirth: '2026-03-01', plurality: 2, birthOrder: 2 }, mother: { givenName: 'Сәуле' }, medicalCertificateNumber: 'МСР-7' });
    expect(form.answers).toEqual({ foundling: false, bornWhere: 'facility' });
    expect(form.child).toMatchObject({ sex: 'female', dateOfBirth: '2026-03-01', plurality: '2', birthOrder: '2', facilityId: 'kz-hf-71-001' });
    expect(form.mother.givenName).toBe('Сәуле');
    expect(form.documents).toEqual([{ type: 'medical_birth_certificate', reference: 'МСР-7' }]);
  });
});

describe('refusals and documents', () => {
  it('finds the step of a refused field however the server names it', () => {
    const steps = stepsFor('mother_without_documents', 'new');
    expect(normaliseField('/child/dateOfBirth')).toBe('child.dateOfBirth');
    expect(normaliseField('body.declaration.mother.iin')).toBe('mother.iin');
    expect(stepOfField('body.child.dateOfBirth', steps)).toBe('child');
    expect(stepOfField('mother', steps)).toBe('mother');
    expect(stepOfField('informant.relation', steps)).toBe('family');
    expect(stepOfField('content-type', steps)).toBe('documents');
    expect(stepOfField('reason', steps)).toBe('review');
    expect(stepOfField('mother.iin', stepsFor('foundling', 'new'))).toBe('review');
  });

  it('lists the documents still missing for the path and the timeliness', () => {
    const requirements: Requirements = {
      paths: { mother_without_documents: [['medical_birth_certificate', 'court_decision_fact_of_birth'], ['mother_identity_statement']] },
      timeliness: { late: [['late_registration_statement']], delayed: [] },
      approvalNeeded: ['late'],
      documentTypes: [],
      dateOfBirth: { date: '2026-01-02', timeliness: 'late' },
    };
    const now = requiredDocuments(requirements, 'mother_without_documents', '2026-03-01');
    expect(now).toHaveLength(2);
    const late = requiredDocuments(requirements, 'mother_without_documents', '2026-01-02');
    expect(missingDocuments(late, ['court_decision_fact_of_birth'])).toEqual([['mother_identity_statement'], ['late_registration_statement']]);
    expect(missingDocuments(now, ['medical_birth_certificate', 'mother_identity_statement'])).toEqual([]);
  });
});
