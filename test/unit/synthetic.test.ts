import { describe, expect, it } from 'vitest';
import { checkIin, parseIinRules } from '../../src/births/iin.ts';
import { parseLegacyRow } from '../../src/births/legacy-import.ts';
import { parseBirthRules } from '../../src/births/rules.ts';
import {
  femaleSurname,
  foldKazakh,
  injectedErrors,
  latinSpelling,
  legacyCsvHeader,
  legacyCsvLine,
  loadSyntheticNames,
  parseSyntheticNames,
  russianPatronymic,
  type SyntheticBirth,
  syntheticBirths,
  type SyntheticOptions,
  truthCsvLine,
} from '../../src/births/synthetic.ts';
import { loadPack } from '../../src/places/pack.ts';

const pack = loadPack('kz');
const rules = parseBirthRules(pack.settings);
const iinRules = parseIinRules(pack.settings.identityNumber);
const names = loadSyntheticNames('kz');
const places = pack.places.filter((p) => p.level !== 'region').map((p) => ({ kato: p.kato, facilityIds: pack.facilities.filter((f) => f.kato === p.kato).map((f) => f.id) }));
const today = '2026-03-02';
const options = (o: Partial<SyntheticOptions> = {}): SyntheticOptions => ({ births: 10_000, dupRate: 0.05, seed: 42, places, today, iinRules, ...o });
const generate = (o: Partial<SyntheticOptions> = {}) => [...syntheticBirths(options(o), names)];
const csv = (births: SyntheticBirth[]) => legacyCsvHeader() + births.map((b) => legacyCsvLine(b) + truthCsvLine(b)).join('');

const big = generate();
const byRef = new Map(big.map((b) => [b.row.legacy_ref!, b]));
const nameColumns = ['child_surname', 'child_given_name', 'child_patronymic', 'mother_surname', 'mother_given_name', 'father_surname', 'father_given_name'];

describe('synthetic births', () => {
  it('are the same for a seed, and differ for another', () => {
    expect(csv(generate({ births: 2000 }))).toBe(csv(generate({ births: 2000 })));
    expect(csv(generate({ births: 2000, seed: 43 }))).not.toBe(csv(generate({ births: 2000 })));
    // A prefix of a longer run is the shorter run: nothing depends on the total.
    expect(csv(big.slice(0, 1500))).toBe(csv(generate({ births: 1500 })));
    // What a caller does to a row it was given does not leak into the duplicates made later.
    const scribbled = [...syntheticBirths(options({ births: 2000 }), names)].map((b) => {
      const copy = { ...b, row: { ...b.row } };
      if (b.kind !== 'duplicate') for (const c of nameColumns) b.row[c] = 'X';
      return copy;
    });
    expect(csv(scribbled)).toBe(csv(generate({ births: 2000 })));
  });

  it('make exactly the rows asked for, with unique references, the child IIN left to the import', () => {
    expect(big).toHaveLength(10_000);
    expect(new Set(big.map((b) => b.row.legacy_ref)).size).toBe(10_000);
    expect(big[0]!.row.legacy_ref).toBe('SYN-42-1');
    expect(big.every((b) => b.row.iin === '' && b.row.act_number === '' && b.row.office_id === '')).toBe(true);
    expect(generate({ births: 0 })).toEqual([]);
    expect(generate({ births: 1, dupRate: 0.9 })).toHaveLength(1);
  });

  it('stream: the first rows of ten million come at once', () => {
    const started = performance.now();
    const stream = syntheticBirths(options({ births: 10_000_000 }), names);
    for (let i = 0; i < 100; i++) stream.next();
    stream.return(undefined);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('every row passes the legacy import’s row checks, at a place or facility of the pack', () => {
    const kato = new Set(pack.places.map((p) => p.kato));
    const facilities = new Map(pack.facilities.map((f) => [f.id, f.kato]));
    let facilityBirths = 0;
    for (const b of big) {
      const parsed = parseLegacyRow(b.row, rules, today);
      expect(parsed.ref).toBe(b.row.legacy_ref);
      expect(parsed.iin).toBeUndefined();
      expect(kato.has(b.row.place_kato!)).toBe(true);
      if (b.row.facility_id) {
        facilityBirths++;
        expect(facilities.get(b.row.facility_id)).toBe(b.row.place_kato);
      }
      // Parents' IINs are real ones: valid, and saying the parent's date of birth and sex.
      for (const role of ['mother', 'father'] as const) {
        const iin = b.row[`${role}_iin`];
        if (!iin) continue;
        const check = checkIin(iin, iinRules, { dateOfBirth: b.row[`${role}_date_of_birth`] || undefined, sex: role === 'mother' ? 'female' : 'male' });
        expect(check, `${b.row.legacy_ref} ${role}`).toMatchObject({ valid: true, warnings: [] });
      }
    }
    expect(facilityBirths / big.length).toBeGreaterThan(0.96);
    expect(facilityBirths / big.length).toBeLessThan(0.995);
  });

  it('duplicates are about dupRate of the rows, each a copy of an earlier original with 1–3 errors it really carries', () => {
    const duplicates = big.filter((b) => b.kind === 'duplicate');
    expect(Math.abs(duplicates.length / big.length - 0.05)).toBeLessThan(0.008);
    expect(generate({ births: 10_000, dupRate: 0.2, seed: 7 }).filter((b) => b.duplicateOf).length / 10_000).toBeCloseTo(0.2, 1);
    expect(generate({ births: 2000, dupRate: 0 }).some((b) => b.duplicateOf)).toBe(false);
    const position = new Map(big.map((b, i) => [b.row.legacy_ref!, i]));
    for (const d of duplicates) {
      const original = byRef.get(d.duplicateOf!)!;
      expect(original.kind).not.toBe('duplicate');
      expect(position.get(original.row.legacy_ref!)!).toBeLessThan(position.get(d.row.legacy_ref!)!);
      expect(d.cluster).toBe(original.cluster);
      expect(d.errors.length).toBeGreaterThanOrEqual(1);
      expect(d.errors.length).toBeLessThanOrEqual(3);
      expect(new Set(d.errors).size).toBe(d.errors.length);
      const has = (e: string) => d.errors.includes(e as never);
      // What changed is what the truth says changed.
      if (!has('no_iin')) expect(d.row.mother_iin).toBe(original.row.mother_iin);
      else expect([original.row.mother_iin !== '', d.row.mother_iin]).toEqual([true, '']);
      if (!has('dob_shift')) expect(d.row.child_date_of_birth).toBe(original.row.child_date_of_birth);
      else {
        const days = Math.abs(Date.parse(d.row.child_date_of_birth!) - Date.parse(original.row.child_date_of_birth!)) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThanOrEqual(3);
      }
      if (has('no_patronymic') && !has('swap')) expect(d.row.child_patronymic).toBe('');
      if (has('fold') && !has('typo')) for (const c of nameColumns) expect(d.row[c]).not.toMatch(/[әөүұқңғһіӘӨҮҰҚҢҒҺІ]/);
      if (has('script')) expect(nameColumns.some((c) => /^[A-Za-zÀ-ɏ'‘ -]+$/.test(d.row[c]!) && /[\u0400-\u04FF]/.test(original.row[c]!))).toBe(true);
      const names = (b: SyntheticBirth) => nameColumns.map((c) => b.row[c]).join('|');
      if (!['typo', 'script', 'fold', 'swap', 'no_patronymic'].some(has)) expect(names(d)).toBe(names(original));
      else expect(names(d)).not.toBe(names(original));
      for (const c of ['child_sex', 'place_kato', 'facility_id', 'plurality', 'birth_order', 'mother_date_of_birth', 'father_iin', 'marital_status']) expect(d.row[c]).toBe(original.row[c]);
      expect(d.row.registered_on! >= d.row.child_date_of_birth!).toBe(true);
    }
    for (const b of big) if (b.kind !== 'duplicate') expect([b.duplicateOf, b.errors]).toEqual([null, []]);
  });

  it('injects every kind of error', () => {
    const counts = Object.fromEntries(injectedErrors.map((e) => [e, 0]));
    for (const b of big) for (const e of b.errors) counts[e]!++;
    for (const e of injectedErrors) expect(counts[e], e).toBeGreaterThan(10);
  });

  it('makes twins (about 1.5% of births): same mother, date and place, other given names, birth order 1 and 2, not duplicates', () => {
    const twins = big.filter((b) => b.kind === 'twin');
    expect(twins.length / big.length).toBeGreaterThan(0.008);
    expect(twins.length / big.length).toBeLessThan(0.025);
    for (const a of twins.filter((t) => t.row.birth_order === '1')) {
      const b = byRef.get(a.like!)!;
      expect(b.like).toBe(a.row.legacy_ref);
      expect([a.row.plurality, b.row.plurality, b.row.birth_order]).toEqual(['2', '2', '2']);
      for (const c of ['child_date_of_birth', 'facility_id', 'place_kato', 'mother_surname', 'mother_given_name', 'mother_iin', 'mother_date_of_birth']) expect(b.row[c]).toBe(a.row[c]);
      if (a.row.child_sex === b.row.child_sex) expect(b.row.child_surname).toBe(a.row.child_surname);
      expect(b.row.child_given_name).not.toBe(a.row.child_given_name);
      expect(b.cluster).not.toBe(a.cluster);
      expect([a.duplicateOf, b.duplicateOf]).toEqual([null, null]);
    }
  });

  it('makes namesakes and siblings, other births that look alike', () => {
    const namesakes = big.filter((b) => b.kind === 'namesake');
    const siblings = big.filter((b) => b.kind === 'sibling');
    expect(namesakes.length).toBeGreaterThan(50);
    expect(siblings.length).toBeGreaterThan(100);
    for (const n of namesakes) {
      const like = byRef.get(n.like!)!;
      expect([n.row.child_surname, n.row.child_given_name, n.row.child_sex]).toEqual([like.row.child_surname, like.row.child_given_name, like.row.child_sex]);
      expect(n.cluster).not.toBe(like.cluster);
    }
    for (const s of siblings) {
      const like = byRef.get(s.like!)!;
      expect([s.row.mother_given_name, s.row.mother_iin, s.row.mother_date_of_birth]).toEqual([like.row.mother_given_name, like.row.mother_iin, like.row.mother_date_of_birth]);
      expect(Math.abs(Date.parse(s.row.child_date_of_birth!) - Date.parse(like.row.child_date_of_birth!)) / 86_400_000).toBeGreaterThanOrEqual(300);
    }
  });

  it('looks like Kazakhstan: mostly Kazakh names, common names repeating, mothers’ IINs ≈ 85%, a few foreign scripts', () => {
    const originals = big.filter((b) => b.kind !== 'duplicate');
    const kazakhLetters = originals.filter((b) => /[әөүұқңғһі]/i.test(b.row.child_surname! + b.row.child_given_name + b.row.mother_given_name)).length;
    expect(kazakhLetters / originals.length).toBeGreaterThan(0.5);
    const withIin = originals.filter((b) => b.row.mother_iin).length / originals.length;
    expect(withIin).toBeGreaterThan(0.8);
    expect(withIin).toBeLessThan(0.9);
    const fathers = originals.filter((b) => b.row.father_given_name || b.row.father_surname).length / originals.length;
    expect(fathers).toBeGreaterThan(0.8);
    expect(fathers).toBeLessThan(0.9);
    expect(originals.some((b) => /[\u0600-\u06FF]/.test(b.row.mother_given_name!))).toBe(true);
    expect(originals.some((b) => /[\u4E00-\u9FFF]/.test(b.row.mother_surname!))).toBe(true);
    // Zipf: the commonest surname is far more frequent than the median one.
    const counts = new Map<string, number>();
    for (const b of originals) counts.set(b.row.child_surname!, (counts.get(b.row.child_surname!) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]!).toBeGreaterThan(10 * sorted[Math.floor(sorted.length / 2)]!);
    const ages = originals.filter((b) => b.row.mother_date_of_birth).map((b) => (Date.parse(b.row.child_date_of_birth!) - Date.parse(b.row.mother_date_of_birth!)) / (365.25 * 86_400_000));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(16);
    expect(Math.max(...ages)).toBeLessThan(48);
    // One IIN, one mother: the same IIN never stands for two dates of birth.
    const mothers = new Map<string, string>();
    for (const b of originals) {
      if (!b.row.mother_iin) continue;
      expect(mothers.get(b.row.mother_iin) ?? b.row.mother_date_of_birth).toBe(b.row.mother_date_of_birth);
      mothers.set(b.row.mother_iin, b.row.mother_date_of_birth!);
    }
  });

  it('writes names in Latin as a Kazakh 2021, a passport or an everyday spelling, and folds Kazakh letters', () => {
    expect(latinSpelling('Нұрсұлтанова', 'kk2021', true)).toBe('Nūrsūltanova');
    expect(latinSpelling('Нұрсұлтанова', 'icao', true)).toBe('Nursultanova');
    expect(latinSpelling('Айгерім', 'kk2021', true)).toBe('Aigerım');
    expect(latinSpelling('Айгерім', 'icao', true)).toBe('Aigerim');
    expect(latinSpelling('Айгерім', 'informal', true)).toBe('Aygerim');
    expect(latinSpelling('Жанна', 'kk2021', true)).toBe('Janna');
    expect(latinSpelling('Жанна', 'kk2021', false)).toBe('Zhanna');
    expect(latinSpelling('Іңкәр', 'kk2021', true)).toBe('Iñkär');
    expect(latinSpelling('Ислам Шәріпов', 'kk2021', true)).toBe('İslam Şärıpov');
    expect(latinSpelling('Юрьевна', 'icao', false)).toBe('Iurevna');
    expect(latinSpelling('Хабибуллин', 'icao', false)).toBe('Khabibullin');
    expect(latinSpelling('王', 'icao', false)).toBe('王');
    expect(foldKazakh('Нұрсұлтанова Әсел Ғалымқызы Іңкәр')).toBe('Нурсултанова Асел Галымкызы Инкар');
  });

  it('makes surnames and patronymics by the Russian and Kazakh rules', () => {
    expect(['Ахметов', 'Соловьёв', 'Ильин', 'Вишневский', 'Қанатұлы', 'Ким', 'Шин', 'Шевченко', 'Karimov', 'Yılmaz'].map(femaleSurname)).toEqual([
      'Ахметова', 'Соловьёва', 'Ильина', 'Вишневская', 'Қанатқызы', 'Ким', 'Шин', 'Шевченко', 'Karimova', 'Yılmaz',
    ]);
    expect(['Сергей', 'Юрий', 'Игорь', 'Николай', 'Серік', 'Серікбай', 'Мұса', 'Қуаныш', 'Илья', 'Михаил'].map((n) => russianPatronymic(n, 'male'))).toEqual([
      'Сергеевич', 'Юрьевич', 'Игоревич', 'Николаевич', 'Серікович', 'Серікбаевич', 'Мұсаевич', 'Қуанышевич', 'Ильич', 'Михайлович',
    ]);
    expect(['Сергей', 'Иван', 'Илья'].map((n) => russianPatronymic(n, 'female'))).toEqual(['Сергеевна', 'Ивановна', 'Ильинична']);
  });

  it('refuses bad options and a names file with a mistake, naming the field', () => {
    expect(() => generate({ dupRate: 1 })).toThrow(/dupRate/);
    expect(() => generate({ births: -1 })).toThrow(/births/);
    expect(() => generate({ today: '2026-02-30' })).toThrow(/today/);
    expect(() => generate({ places: [] })).toThrow(/place/);
    expect(() => parseSyntheticNames({ ...names, kazakh: { ...names.kazakh, males: [] } }, 'x.json')).toThrow(/x\.json: kazakh has an unknown field males/);
    expect(() => parseSyntheticNames({ ...names, russian: { ...names.russian, female: [] } }, 'x.json')).toThrow(/x\.json: russian\.female/);
  });
});
