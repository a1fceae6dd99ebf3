import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineOf, highestRisk, screen, type ScreeningFacts } from '../../src/protection/screening.ts';
import { loadProtectionSettings, parseProtectionSettings } from '../../src/protection/settings.ts';
import fs from 'node:fs';

const settings = loadProtectionSettings('kz');
const base: ScreeningFacts = {
  recordId: '00000000-0000-7000-8000-000000000001',
  jurisdiction: '711300000',
  stage: 'registration',
  on: '2026-03-02',
  child: { dateOfBirth: '2026-02-28' },
  path: 'facility_birth',
  citizenship: 'citizen',
  mother: { legalStatus: 'citizen', hasDocument: true, age: 30 },
  father: { legalStatus: 'citizen', hasDocument: true },
  parentage: 'marriage',
};

const codes = (facts: Partial<ScreeningFacts>) => screen({ ...base, ...facts }, settings).map((f) => f.code);

describe('screening at registration (the pack’s rules, as a table)', () => {
  const table: [string, Partial<ScreeningFacts>, string[]][] = [
    ['citizen parents, on time: nothing', {}, []],
    ['citizenship undetermined', { citizenship: 'undetermined' }, ['statelessness_risk']],
    ['citizenship not known yet (declaration)', { stage: 'declaration', citizenship: undefined }, []],
    ['foundling', { path: 'foundling', mother: undefined, father: undefined, parentage: 'not_established' }, ['foundling', 'no_parent_established']],
    ['foundling at declaration: parent not yet counted', { stage: 'declaration', path: 'foundling', mother: undefined, father: undefined, parentage: 'not_established' }, ['foundling']],
    ['mother aged 13 by stated age', { mother: { legalStatus: 'citizen', hasDocument: true, age: 13 } }, ['young_mother']],
    ['mother aged 15 by date of birth, a day before her 16th birthday', { mother: { legalStatus: 'citizen', hasDocument: true, dateOfBirth: '2010-03-01' } }, ['young_mother']],
    ['mother 16 on the day', { mother: { legalStatus: 'citizen', hasDocument: true, dateOfBirth: '2010-02-28' } }, []],
    ['mother without documents (path)', { path: 'mother_without_documents', mother: { legalStatus: 'citizen', hasDocument: false, identityDeclared: true } }, ['mother_undocumented']],
    ['mother undocumented, no father', { mother: { legalStatus: 'undocumented', hasDocument: false, identityDeclared: true }, father: undefined, parentage: 'not_established' }, ['mother_undocumented', 'foreign_parents_no_residence']],
    ['both parents foreign without residence', { mother: { legalStatus: 'refugee_or_asylum_seeker', hasDocument: true }, father: { legalStatus: 'unknown', hasDocument: false } }, ['foreign_parents_no_residence']],
    ['foreign parents with temporary residence', { mother: { legalStatus: 'temporary_resident', hasDocument: true }, father: { legalStatus: 'temporary_resident', hasDocument: true } }, []],
    ['one parent a citizen', { mother: { legalStatus: 'citizen', hasDocument: true }, father: { legalStatus: 'undocumented', hasDocument: false } }, []],
    ['registered with no parent established', { mother: undefined, father: { legalStatus: 'citizen', hasDocument: true }, parentage: 'not_established' }, ['no_parent_established']],
    ['registered after one year', { child: { dateOfBirth: '2025-02-28' }, on: '2026-03-02' }, ['delayed_registration']],
    ['registered at 365 days: late, not delayed', { child: { dateOfBirth: '2025-03-02' }, on: '2026-03-02' }, []],
    ['a notified birth never declared', { stage: 'overdue', path: undefined, citizenship: undefined, father: undefined }, ['notified_not_declared']],
    [
      'undocumented mother, undetermined citizenship: highest risk first',
      { path: 'mother_without_documents', citizenship: 'undetermined', mother: { legalStatus: 'undocumented', hasDocument: false, identityDeclared: true }, father: undefined, parentage: 'not_established' },
      ['statelessness_risk', 'mother_undocumented', 'foreign_parents_no_residence'],
    ],
  ];
  it.each(table)('%s', (_name, facts, expected) => {
    expect(codes(facts)).toEqual(expected);
  });

  it('gives each flag the pack’s risk, and sorts the highest risk first', () => {
    fc.assert(
      fc.property(
        fc.record({
          stage: fc.constantFrom('notification', 'declaration', 'registration', 'correction', 'overdue' as const),
          citizenship: fc.option(fc.constantFrom('citizen', 'not_citizen', 'undetermined' as const), { nil: undefined }),
          path: fc.option(fc.constantFrom('facility_birth', 'home_birth', 'mother_without_documents', 'foreign_or_stateless_parents', 'foundling'), { nil: undefined }),
          age: fc.integer({ min: 0, max: 130 }),
          status: fc.constantFrom('citizen', 'permanent_resident', 'temporary_resident', 'refugee_or_asylum_seeker', 'stateless', 'undocumented', 'unknown'),
          days: fc.integer({ min: 0, max: 5000 }),
        }),
        (f) => {
          const on = new Date(Date.parse('2026-03-02') + f.days * 86_400_000).toISOString().slice(0, 10);
          const flags = screen({ ...base, stage: f.stage, citizenship: f.citizenship, path: f.path, on, mother: { legalStatus: f.status, hasDocument: false, age: f.age } }, settings);
          for (const flag of flags) expect(flag.risk).toBe(settings.screening.flags[flag.code].risk);
          const ranks = flags.map((x) => ['low', 'medium', 'high'].indexOf(x.risk));
          expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
          expect(new Set(flags.map((x) => x.code)).size).toBe(flags.length);
        },
      ),
    );
  });

  it('sets the deadline for first contact by the highest risk (24 h, 3 days, 7 days)', () => {
    const at = new Date('2026-03-02T06:00:00Z');
    expect(highestRisk(['low', 'high', 'medium'])).toBe('high');
    expect(deadlineOf(at, 'high', settings).toISOString()).toBe('2026-03-03T06:00:00.000Z');
    expect(deadlineOf(at, 'medium', settings).toISOString()).toBe('2026-03-05T06:00:00.000Z');
    expect(deadlineOf(at, 'low', settings).toISOString()).toBe('2026-03-09T06:00:00.000Z');
  });

  it('refuses a pack file with a mistyped field, naming it', () => {
    const json = JSON.parse(fs.readFileSync('config/kz/protection.json', 'utf8'));
    json.deadlineHours.high = 'soon';
    expect(() => parseProtectionSettings(json, 'protection.json')).toThrow(/protection.json: deadlineHours.high/);
    const noTracing = JSON.parse(fs.readFileSync('config/kz/protection.json', 'utf8'));
    noTracing.consentPurposes = ['sharing'];
    expect(() => parseProtectionSettings(noTracing, 'protection.json')).toThrow(/consentPurposes/);
  });
});
