import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDates, compareNames, compareSubjects, dayNumber, fieldLevels, fieldNames } from '../../src/linkage/comparison.ts';
import { jaroWinkler } from '../../src/linkage/jaro-winkler.ts';
import { bandOf, levelWeight, modelFromSettings, scorePair, scoreVector } from '../../src/linkage/scoring.ts';
import { loadLinkageSettings, parseLinkageSettings } from '../../src/linkage/settings.ts';
import type { LinkageSubject, NameForms } from '../../src/linkage/subject.ts';
import { configDir } from '../../src/places/pack.ts';

const settings = loadLinkageSettings('kz');
const model = modelFromSettings(settings);

/**
 * NameForms as names.ts would make them, written by hand so these tests do not depend on it: the
 * match form and Double Metaphone keys (of the match form) are given; `exact` is the lower case.
 */
function forms(written: string, match: string, phonetic: string[]): NameForms {
  return { written, exact: written.toLowerCase(), latin: match, match, phonetic };
}

const n = {
  nursultanova: forms('Нұрсұлтанова', 'nursultanov', ['NRSLTNF']),
  nursultanovaLatin: forms('Nursultanova', 'nursultanov', ['NRSLTNF']),
  nursultanov: forms('Нұрсұлтанов', 'nursultanov', ['NRSLTNF']),
  aigerim: forms('Айгерім', 'aigerim', ['AJRM', 'AKRM']),
  aigerinTypo: forms('Айгерин', 'aigerin', ['AJRN', 'AKRN']),
  aliia: forms('Әлия', 'aliia', ['AL']),
  zhumabaeva: forms('Жұмабаева', 'zhumabaev', ['JMPF']),
  gulnar: forms('Гүлнар', 'gulnar', ['KLNR']),
  serik: forms('Серік', 'serik', ['SRK']),
  akhmetov: forms('Ахметов', 'akhmetov', ['AKMTF']),
  akhmetova: forms('Ахметова', 'akhmetov', ['AKMTF']),
  alikhan: forms('Алихан', 'alikhan', ['ALKN']),
  nurislam: forms('Нұрислам', 'nurislam', ['NRLM']),
  omarova: forms('Омарова', 'omarov', ['AMRF']),
  dinara: forms('Динара', 'dinara', ['TNR']),
  seitkali: forms('Сейтқали', 'seitkali', ['STKL']),
  zhanar: forms('Жанар', 'zhanar', ['JNR']),
  aizhan: forms('Айжан', 'aizhan', ['AJN']),
};

/** A girl born in Perinatal Centre No. 1, Almaty, to a married couple, as registered. */
const original: LinkageSubject = {
  recordId: 'original',
  child: { surname: n.nursultanova, givenName: n.aigerim, dateOfBirth: '2024-03-15', sex: 'female', birthOrder: 1, iin: '240315650011' },
  mother: { surname: n.zhumabaeva, givenName: n.gulnar, dateOfBirth: '1996-07-02', iin: '960702450022' },
  father: { surname: n.nursultanov, givenName: n.serik, iin: '930101350033' },
  facilityId: 'kz-hf-75-001',
  placeKato: '751300000',
};

/** The same record with only the child, the mother's names and the place: what a sparse record holds. */
const sparse = (s: LinkageSubject, recordId: string): LinkageSubject => ({
  recordId,
  child: { ...s.child },
  mother: { surname: s.mother!.surname, givenName: s.mother!.givenName },
  facilityId: s.facilityId,
  placeKato: s.placeKato,
});

/**
 * The same birth registered again: the surname typed in Latin, a typo in the given name, the date 2
 * days off, the mother's IIN left out, and a second child IIN allocated.
 */
const duplicate: LinkageSubject = {
  ...original,
  recordId: 'duplicate',
  child: { ...original.child, surname: n.nursultanovaLatin, givenName: n.aigerinTypo, dateOfBirth: '2024-03-17', iin: '240317650044' },
  mother: { ...original.mother, iin: undefined },
};

/** Her twin sister: same mother, father, date, facility and surname; another name, birth order 2. */
const twin: LinkageSubject = {
  ...original,
  recordId: 'twin',
  child: { ...original.child, givenName: n.aliia, birthOrder: 2, iin: '240315650055' },
};

/** Two unrelated boys born the same day in the same facility, both Ахметов, mothers known and different. */
const boyA: LinkageSubject = {
  recordId: 'boy-a',
  child: { surname: n.akhmetov, givenName: n.alikhan, dateOfBirth: '2024-03-15', sex: 'male', birthOrder: 1, iin: '240315550066' },
  mother: { surname: n.omarova, givenName: n.dinara, dateOfBirth: '1994-11-20', iin: '941120450077' },
  facilityId: 'kz-hf-75-001',
  placeKato: '751300000',
};
const boyB: LinkageSubject = {
  recordId: 'boy-b',
  child: { surname: n.akhmetov, givenName: n.nurislam, dateOfBirth: '2024-03-15', sex: 'male', birthOrder: 1, iin: '240315550088' },
  mother: { surname: n.seitkali, givenName: n.zhanar, dateOfBirth: '1999-02-14', iin: '990214450099' },
  facilityId: 'kz-hf-75-001',
  placeKato: '751300000',
};
/** A harder unrelated pair: the mothers share a common surname too. */
const boyBSameMotherSurname: LinkageSubject = { ...boyB, recordId: 'boy-b2', mother: { ...boyB.mother, surname: n.omarova, givenName: n.aizhan } };
/** The unrelated boys with nothing known but themselves and the place. */
const childOnly = (s: LinkageSubject): LinkageSubject => ({ recordId: `${s.recordId}-alone`, child: s.child, facilityId: s.facilityId, placeKato: s.placeKato });

const score = (a: LinkageSubject, b: LinkageSubject) => scorePair(a, b, model, settings);
const { autoFlag, possible } = settings.thresholds;

describe('scenarios with the pack starting values (config/kz/linkage.json)', () => {
  it('identical records score far above autoFlag, rich or sparse', () => {
    expect(score(original, original).score).toBeGreaterThan(autoFlag + 60);
    expect(score(sparse(original, 'a'), sparse(original, 'b')).score).toBeGreaterThan(autoFlag + 10);
    expect(score(original, original).band).toBe('match');
  });

  it('a duplicate with a typo, a script change, a 2-day shift and no mother IIN still reaches autoFlag', () => {
    const rich = score(original, duplicate);
    expect(rich.band).toBe('match');
    const levels = Object.fromEntries(rich.fields.map((f) => [f.field, f.level]));
    expect(levels).toMatchObject({ child_surname: 'transliteration', child_given_name: 'jw_high', child_date_of_birth: 'near', mother_iin: 'missing', child_iin: 'different' });
    // With nothing but the mother's names and the place to back it.
    const thin = score(sparse(original, 'a'), sparse(duplicate, 'b'));
    expect(thin.score).toBeGreaterThanOrEqual(autoFlag);
  });

  it('twins (same mother, date, facility, surname; other given name and birth order) stay below possible', () => {
    const twins = score(original, twin);
    expect(twins.score).toBeLessThan(possible);
    expect(twins.band).toBe('non_match');
    expect(twins.fields.find((f) => f.field === 'mother_iin')).toMatchObject({ level: 'exact', weight: 0, note: 'one_delivery' });
    expect(score(sparse(original, 'a'), sparse(twin, 'b')).score).toBeLessThan(possible);
    // Boy and girl twins, the surname then only transliteration-equal.
    const brother = { ...twin, child: { ...twin.child, sex: 'male' as const, surname: n.nursultanov, givenName: n.serik } };
    expect(score(original, brother).score).toBeLessThan(possible);
  });

  it('a sibling (same parents and IINs, born two years later, another given name) stays below possible', () => {
    const sibling: LinkageSubject = { ...twin, recordId: 'sibling', child: { ...twin.child, dateOfBirth: '2026-05-20', birthOrder: 1 } };
    const result = score(original, sibling);
    expect(result.score).toBeLessThan(possible);
    expect(result.fields.find((f) => f.field === 'mother_iin')).toMatchObject({ level: 'exact', weight: 0, note: 'another_child' });
    expect(result.fields.find((f) => f.field === 'child_date_of_birth')!.weight).toBeLessThan(0);
  });

  it('two unrelated children born the same day in the same facility with common surnames stay below possible', () => {
    expect(score(boyA, boyB).score).toBeLessThan(possible);
    expect(score(boyA, boyBSameMotherSurname).score).toBeLessThan(possible);
    expect(score(childOnly(boyA), childOnly(boyB)).score).toBeLessThan(possible);
  });
});

describe('Jaro–Winkler', () => {
  it('gives the values of Winkler\'s papers', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('aigerim', 'aigerim')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('', '')).toBe(0);
  });

  it('is symmetric, within [0, 1], and a floor never changes whether a value reaches it', () => {
    const word = fc.string({ unit: fc.constantFrom(...'aeiknorstuzh'), maxLength: 14 });
    fc.assert(
      fc.property(word, word, fc.constantFrom(0.85, 0.92, 0.5), (a, b, floor) => {
        const exact = jaroWinkler(a, b);
        expect(jaroWinkler(b, a)).toBe(exact);
        expect(exact).toBeGreaterThanOrEqual(0);
        expect(exact).toBeLessThanOrEqual(1);
        const fast = jaroWinkler(a, b, floor);
        expect(fast >= floor).toBe(exact >= floor);
        if (exact >= floor) expect(fast).toBe(exact);
      }),
      { numRuns: 2000 },
    );
  });

  it('handles names longer than its scratch arrays', () => {
    const long = 'nursultan'.repeat(30);
    expect(jaroWinkler(long, `${long}a`)).toBeGreaterThan(0.99);
    expect(jaroWinkler('ab', 'ab'.repeat(100))).toBeLessThan(0.85);
  });
});

describe('comparison levels', () => {
  it('walks the name ladder: exact, transliteration, phonetic, jw_high, jw_mid, different', () => {
    expect(compareNames(n.nursultanova, forms('НҰРСҰЛТАНОВА', 'nursultanov', ['NRSLTNF']))).toBe('exact');
    expect(compareNames(n.nursultanova, n.nursultanovaLatin)).toBe('transliteration');
    // Another spelling with the same Double Metaphone key.
    expect(compareNames(forms('Нурсултанава', 'nursultanav', ['NRSLTNF']), n.nursultanova)).toBe('phonetic');
    expect(compareNames(n.aigerim, n.aigerinTypo)).toBe('jw_high');
    expect(compareNames(forms('Нұрлан', 'nurlan', ['NRLN']), forms('Нұрислам', 'nurislam', ['NRLM']))).toBe('jw_mid');
    expect(compareNames(n.alikhan, n.nurislam)).toBe('different');
    // An Arabic or Chinese name: names.ts keys it '~' + match form, so the same spelling still agrees.
    expect(compareNames(forms('محمد', 'محمد', ['~محمد']), forms('محمد', 'محمد', ['~محمد']))).toBe('exact');
    expect(compareNames(forms('王芳', '王芳', ['~王芳']), forms('李娜', '李娜', ['~李娜']))).toBe('different');
    // Empty match forms (nothing left after folding) never count as transliteration-equal.
    expect(compareNames(forms('—', '', []), forms('–', '', []))).toBe('different');
  });

  it('computes day distances on the real calendar', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(compareDates('2024-02-28', '2024-03-01', 3)).toBe('near'); // 2024 has 29 February: 2 days
    expect(compareDates('2023-02-28', '2023-03-03', 3)).toBe('near'); // 3 days
    expect(compareDates('2024-02-27', '2024-03-02', 3)).toBe('different'); // 4 days in a leap year
    expect(compareDates('2023-12-30', '2024-01-02', 3)).toBe('near');
    expect(compareDates('2023-12-29', '2024-01-02', 3)).toBe('different');
    expect(compareDates('2024-03-15', '2024-03-15', 3)).toBe('exact');
    // Not real dates: compared as written.
    for (const bad of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '15.03.2024', '2024-3-5', '']) expect(dayNumber(bad), bad).toBeNaN();
    expect(compareDates('2023-02-29', '2023-02-28', 3)).toBe('different');
    expect(compareDates('2023-02-29', '2023-02-29', 3)).toBe('exact');
    const day = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) }).map((t) => Math.floor(t / 86_400_000));
    fc.assert(
      fc.property(day, (d) => {
        expect(dayNumber(new Date(d * 86_400_000).toISOString().slice(0, 10))).toBe(d);
      }),
    );
  });

  it('compares places by facility, then by the 4-digit KATO district', () => {
    const at = (facilityId: string | undefined, placeKato: string): LinkageSubject => ({ ...original, facilityId, placeKato });
    expect(compareSubjects(at('kz-hf-75-001', '751300000'), at('kz-hf-75-001', '751300000'), settings).place).toBe('facility');
    expect(compareSubjects(at('kz-hf-75-001', '751300000'), at('kz-hf-75-009', '751312000'), settings).place).toBe('district');
    expect(compareSubjects(at(undefined, '751300000'), at('kz-hf-75-001', '751300000'), settings).place).toBe('district');
    expect(compareSubjects(at('kz-hf-75-001', '751300000'), at('kz-hf-75-002', '751100000'), settings).place).toBe('different');
  });

  it('does not cross on one coincidence (a surname that is also a given name)', () => {
    const a: LinkageSubject = { ...original, child: { ...original.child, surname: forms('Динара', 'dinara', ['TNR']), givenName: n.nursultanova } };
    const b: LinkageSubject = { ...original, child: { ...original.child, surname: n.akhmetova, givenName: n.dinara } };
    expect(compareSubjects(a, b, settings)).toMatchObject({ child_surname: 'different', child_given_name: 'different' });
    expect(score(a, b).fields.find((f) => f.field === 'child_surname')?.note).toBeUndefined();
  });

  it('compares swapped surname and given name crossed, keeps the better, and says so', () => {
    const swapped: LinkageSubject = { ...original, recordId: 'swapped', child: { ...original.child, surname: n.aigerim, givenName: n.nursultanova } };
    expect(compareSubjects(original, swapped, settings)).toMatchObject({ child_surname: 'exact', child_given_name: 'exact' });
    const explained = score(original, swapped);
    expect(explained.band).toBe('match');
    expect(explained.fields.find((f) => f.field === 'child_surname')).toMatchObject({ level: 'exact', a: 'Нұрсұлтанова', b: 'Нұрсұлтанова', note: 'swapped' });
    expect(explained.fields.find((f) => f.field === 'mother_surname')?.note).toBeUndefined();
    // Crossed with a typo on one side: the better crossed pair counts as the surname, from either side.
    const swappedTypo: LinkageSubject = { ...swapped, child: { ...swapped.child, surname: n.aigerinTypo } };
    for (const [a, b] of [[original, swappedTypo], [swappedTypo, original]] as const) {
      const fields = score(a, b).fields;
      expect(fields.find((f) => f.field === 'child_surname')).toMatchObject({ level: 'exact', note: 'swapped' });
      expect(fields.find((f) => f.field === 'child_given_name')).toMatchObject({ level: 'jw_high', note: 'swapped' });
      expect(new Set([fields[1]!.a, fields[1]!.b])).toEqual(new Set(['Айгерім', 'Айгерин']));
    }
    // Straight wins a tie: two different names stay straight.
    const other: LinkageSubject = { ...original, child: { ...original.child, surname: n.akhmetov, givenName: n.alikhan } };
    expect(score(original, other).fields.find((f) => f.field === 'child_surname')?.note).toBeUndefined();
  });

  it('only ever produces the levels of each field', () => {
    fc.assert(
      fc.property(subjectArb, subjectArb, (a, b) => {
        const v = compareSubjects(a, b, settings);
        for (const [field, level] of Object.entries(v)) expect(fieldLevels[field as keyof typeof fieldLevels]).toContain(level);
      }),
    );
  });
});

const nameArb = fc.option(fc.constantFrom(...Object.values(n)), { nil: undefined, freq: 5 });
const dateArb = fc.option(fc.constantFrom('2024-03-15', '2024-03-16', '2024-03-19', '2023-12-31', '2024-02-29', 'bad'), { nil: undefined, freq: 6 });
const iinArb = fc.option(fc.constantFrom('240315650011', '240315650055', '960702450022'), { nil: undefined, freq: 3 });
const personArb = fc.record({ surname: nameArb, givenName: nameArb, patronymic: nameArb, dateOfBirth: dateArb, iin: iinArb });
const subjectArb: fc.Arbitrary<LinkageSubject> = fc.record({
  recordId: fc.constant('x'),
  child: fc.record({
    surname: nameArb,
    givenName: nameArb,
    patronymic: nameArb,
    dateOfBirth: fc.constantFrom('2024-03-15', '2024-03-17', '2024-04-01'),
    sex: fc.option(fc.constantFrom('male' as const, 'female' as const), { nil: undefined }),
    birthOrder: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
    iin: iinArb,
  }),
  mother: fc.option(personArb, { nil: undefined }),
  father: fc.option(personArb, { nil: undefined }),
  facilityId: fc.option(fc.constantFrom('kz-hf-75-001', 'kz-hf-75-002'), { nil: undefined }),
  placeKato: fc.constantFrom('751300000', '751100000', '751312000', '711300000'),
});

describe('scores', () => {
  it('are symmetric: score(a, b) = score(b, a)', () => {
    fc.assert(
      fc.property(subjectArb, subjectArb, (a, b) => {
        const ab = score(a, b);
        const ba = score(b, a);
        expect(ba.score).toBe(ab.score);
        expect(compareSubjects(b, a, settings)).toEqual(compareSubjects(a, b, settings));
        expect(ba.fields.map((f) => [f.level, f.weight])).toEqual(ab.fields.map((f) => [f.level, f.weight]));
      }),
      { numRuns: 500 },
    );
  });

  it('explain every field, and the weights add up to the score', () => {
    fc.assert(
      fc.property(subjectArb, subjectArb, (a, b) => {
        const pair = score(a, b);
        expect(pair.fields.map((f) => f.field)).toEqual([...fieldNames]);
        expect(pair.fields.reduce((sum, f) => sum + f.weight, 0)).toBeCloseTo(pair.score, 9);
        expect(pair.score).toBe(scoreVector(compareSubjects(a, b, settings), model));
        expect(Number.isFinite(pair.score)).toBe(true);
        for (const f of pair.fields) if (f.level === 'missing') expect(f.weight).toBe(0);
        expect(pair.band).toBe(bandOf(pair.score, settings));
      }),
      { numRuns: 300 },
    );
  });

  it('weigh a missing field 0: dropping it from one side removes its weight and nothing else', () => {
    const full = score(original, duplicate);
    const withoutDob = score(original, { ...duplicate, mother: { ...duplicate.mother, dateOfBirth: undefined } });
    const dob = full.fields.find((f) => f.field === 'mother_date_of_birth')!;
    expect(dob.level).toBe('exact');
    expect(withoutDob.fields.find((f) => f.field === 'mother_date_of_birth')).toMatchObject({ level: 'missing', weight: 0, a: '1996-07-02', b: null });
    expect(withoutDob.score).toBeCloseTo(full.score - dob.weight, 9);
    expect(compareSubjects(original, { ...original, father: undefined }, settings)).not.toHaveProperty('father_surname');
  });

  it('show the values compared as written, and how far apart near dates are', () => {
    const pair = score(original, duplicate);
    expect(pair.fields.find((f) => f.field === 'child_surname')).toMatchObject({ a: 'Нұрсұлтанова', b: 'Nursultanova', level: 'transliteration' });
    expect(pair.fields.find((f) => f.field === 'child_date_of_birth')).toMatchObject({ level: 'near', note: 'days_apart:2' });
    expect(pair.fields.find((f) => f.field === 'place')).toMatchObject({ level: 'facility', a: 'kz-hf-75-001 · 751300000' });
    expect(pair.fields.find((f) => f.field === 'birth_order')).toMatchObject({ level: 'same', a: '1', b: '1' });
  });

  it('keep every weight finite: m and u are clamped to [1e-4, 1 − 1e-4]', () => {
    expect(levelWeight(0, 1)).toBeCloseTo(Math.log2(1e-4 / (1 - 1e-4)), 9);
    expect(levelWeight(1, 0)).toBeCloseTo(Math.log2((1 - 1e-4) / 1e-4), 9);
    expect(levelWeight(0.5, 0.25)).toBeCloseTo(1, 12);
    expect(levelWeight(Number.NaN, 0.5)).toBeCloseTo(Math.log2(1e-4 / 0.5), 9);
  });

  it('band by the pack\'s two thresholds', () => {
    expect(bandOf(autoFlag, settings)).toBe('match');
    expect(bandOf(autoFlag - 0.01, settings)).toBe('possible');
    expect(bandOf(possible, settings)).toBe('possible');
    expect(bandOf(possible - 0.01, settings)).toBe('non_match');
    expect(bandOf(Number.NaN, settings)).toBe('non_match');
  });

  it('refuse a vector level the model does not know, naming it', () => {
    expect(() => scoreVector({ child_sex: 'unknown' }, model)).toThrow(/child_sex at level unknown/);
  });
});

describe('linkage.json', () => {
  const json = JSON.parse(fs.readFileSync(path.join(configDir, 'kz', 'linkage.json'), 'utf8')) as Record<string, unknown>;
  /** A copy of the pack's file with the value at a dotted path set (undefined: removed), parsed. */
  const broken = (at: string, value: unknown) => {
    const copy = structuredClone(json);
    const keys = at.split('.');
    const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, copy as Record<string, unknown>);
    if (value === undefined) delete parent[keys.at(-1)!];
    else parent[keys.at(-1)!] = value;
    return () => parseLinkageSettings(copy, 'config/kz/linkage.json');
  };

  it('holds thresholds, a start for every level of every field, and a $comment per section', () => {
    expect(settings.thresholds.autoFlag).toBeGreaterThan(settings.thresholds.possible);
    for (const field of fieldNames) expect(Object.keys(settings.start[field])).toEqual([...fieldLevels[field]]);
    const sections = json as Record<string, { $comment?: string } & Record<string, { $comment?: string }>>;
    for (const section of ['thresholds', 'blocking', 'em', 'start']) expect(sections[section]!.$comment, section).toBeTruthy();
    for (const field of fieldNames) expect(sections.start![field]!.$comment, field).toBeTruthy();
    expect(modelFromSettings(settings)).toMatchObject({ lambda: settings.prior, source: 'pack' });
  });

  it('refuses mistakes, naming the field', () => {
    expect(broken('start.child_surname.exact.m', 1.5)).toThrow(/config\/kz\/linkage\.json: start\.child_surname\.exact\.m must be < 1/);
    expect(broken('start.place.district', undefined)).toThrow(/start\.place\.district is missing/);
    expect(broken('start.place.nearby', { m: 0.1, u: 0.1 })).toThrow(/start\.place has an unknown field nearby/);
    expect(broken('start.child_sex.same.m', 0.9)).toThrow(/start\.child_sex m values sum to 0\.92, not 1/);
    expect(broken('thresholds.possible', settings.thresholds.autoFlag)).toThrow(/thresholds\.autoFlag .* must be above thresholds\.possible/);
    expect(broken('blocking.dateWindowDays', 1)).toThrow(/blocking\.dateWindowDays/);
    expect(broken('dateToleranceDays', 2.5)).toThrow(/dateToleranceDays must be integer/);
    expect(broken('em', undefined)).toThrow(/: em is missing/);
    expect(broken('prior', 0)).toThrow(expect.objectContaining({ code: 'validation_failed', details: expect.objectContaining({ field: 'config/kz/linkage.json: prior' }) }));
  });

  it('a pack without linkage.json is refused with what to add', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-linkage-'));
    fs.mkdirSync(path.join(dir, 'xx'));
    expect(() => loadLinkageSettings('xx', dir)).toThrow(/country pack xx: linkage\.json is missing/);
    fs.writeFileSync(path.join(dir, 'xx', 'linkage.json'), '{ nope');
    expect(() => loadLinkageSettings('xx', dir)).toThrow(/config\/xx\/linkage\.json is not valid JSON/);
    fs.rmSync(dir, { recursive: true });
  });
});
