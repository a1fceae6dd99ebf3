import { describe, expect, it } from 'vitest';
import type { Declaration, Parent } from '../../src/births/declaration.ts';
import { citizenshipAtBirth, parseBirthRules, timelinessOf } from '../../src/births/rules.ts';
import { loadPack } from '../../src/places/pack.ts';

const rules = parseBirthRules(loadPack('kz').settings);
const kz: Parent = { citizenship: 'KZ', legalStatus: 'citizen' };
const uz: Parent = { citizenship: 'UZ', legalStatus: 'temporary_resident' };
const statelessResident: Parent = { citizenship: 'stateless', legalStatus: 'permanent_resident' };
const statelessUndocumented: Parent = { citizenship: 'stateless', legalStatus: 'undocumented' };
const unknown: Parent = { citizenship: 'unknown', legalStatus: 'undocumented' };

function declaration(mother: Parent | undefined, father: Parent | undefined, options: { abroad?: boolean; foundling?: boolean } = {}): Declaration {
  return {
    path: options.foundling ? 'foundling' : 'facility_birth',
    child: { sex: 'female', dateOfBirth: '2026-01-10', placeOfBirth: options.abroad ? { type: 'other', country: 'TR', kato: '711300000' } : { type: 'facility', facilityId: 'kz-hf-71-001' }, plurality: 1, birthOrder: 1 },
    mother,
    father,
    maritalStatus: 'unknown',
    parentage: 'not_established',
    informant: { relation: 'mother' },
    documents: [],
  };
}

describe('citizenship at birth (Law on Citizenship, as the kz pack states it)', () => {
  const cases: [string, Declaration, string][] = [
    ['both parents citizens, born abroad', declaration(kz, kz, { abroad: true }), 'citizen'],
    ['one citizen parent, born in Kazakhstan', declaration(kz, uz), 'citizen'],
    ['one citizen parent resident in Kazakhstan, born abroad', declaration({ ...kz, residence: { kato: '711300000' } }, uz, { abroad: true }), 'citizen'],
    ['one citizen parent, the other stateless, born abroad', declaration(kz, statelessUndocumented, { abroad: true }), 'citizen'],
    ['citizen mother, father unknown', declaration(kz, undefined), 'citizen'],
    ['both stateless and permanent residents, born in Kazakhstan', declaration(statelessResident, statelessResident), 'citizen'],
    ['both stateless, undocumented', declaration(statelessUndocumented, statelessUndocumented), 'undetermined'],
    ['both stateless permanent residents, born abroad', declaration(statelessResident, statelessResident, { abroad: true }), 'undetermined'],
    ['two foreign parents', declaration(uz, uz), 'not_citizen'],
    ['foreign mother, father unknown', declaration(uz, undefined), 'not_citizen'],
    ['mother undocumented with unknown citizenship', declaration(unknown, undefined), 'undetermined'],
    ['foreign mother, father of unknown citizenship', declaration(uz, unknown), 'undetermined'],
    ['foundling, parents unknown', declaration(undefined, undefined, { foundling: true }), 'citizen'],
  ];
  for (const [name, d, expected] of cases) {
    it(name, () => {
      const result = citizenshipAtBirth(d, rules.citizenship);
      expect(result.result).toBe(expected);
      expect(result.atRiskOfStatelessness).toBe(expected === 'undetermined');
      expect(result.reason.kk && result.reason.ru && result.reason.en).toBeTruthy();
    });
  }
});

describe('timeliness', () => {
  it('counts working days for the legal period, then a year for late', () => {
    expect(timelinessOf('2026-02-27', '2026-03-04', rules)).toBe('current'); // Fri → Wed: 3 working days
    expect(timelinessOf('2026-02-27', '2026-03-05', rules)).toBe('late');
    expect(timelinessOf('2025-03-05', '2026-03-04', rules)).toBe('late');
    expect(timelinessOf('2025-03-01', '2026-03-04', rules)).toBe('delayed');
  });
});

describe('the pack’s birth rules are checked when read', () => {
  const settings = loadPack('kz').settings;
  const broken = (change: (s: typeof settings) => void) => {
    const copy = structuredClone(settings);
    change(copy);
    return () => parseBirthRules(copy);
  };
  it('names a misspelt condition, an unknown result and a missing translation', () => {
    expect(broken((s) => ((s.citizenshipAtBirth as { rules: { when: object }[] }).rules[1]!.when = { citizenParent: 2 }))).toThrow(/rules\[1\]\.when \(unknown: citizenParent/);
    expect(broken((s) => ((s.citizenshipAtBirth as { rules: { result: string }[] }).rules[0]!.result = 'yes'))).toThrow(/rules\[0\]\.result/);
    expect(broken((s) => delete (s.citizenshipAtBirth as { otherwise: { reason: { kk?: string } } }).otherwise.reason.kk)).toThrow(/otherwise/);
    expect(broken((s) => ((s.birthRegistration as { paths: { home_birth: { documents: unknown } } }).paths.home_birth.documents = ['attendant_statement']))).toThrow(/home_birth\.documents/);
  });
  it('names an evidence type missing from the pack’s document types, and reads which timeliness needs approval', () => {
    expect(broken((s) => ((s.birthRegistration as { paths: { home_birth: { documents: unknown } } }).paths.home_birth.documents = [['attendant_statment']]))).toThrow(/paths\.home_birth\.documents \(attendant_statment not in/);
    expect(broken((s) => delete (s.birthRegistration as { documentTypes?: unknown }).documentTypes)).toThrow(/documentTypes/);
    expect(rules.approvalNeeded).toEqual(['late', 'delayed']);
    expect(rules.documentTypes).toContain('late_registration_statement');
  });
});
