import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ancestorCodes, isWithin, levelOf, significantPrefix } from '../../src/places/hierarchy.ts';
import { normaliseName, searchKeys } from '../../src/places/names.ts';
import { configDir, loadPack, type PackFiles, parsePack } from '../../src/places/pack.ts';

const digit = fc.constantFrom(...'0123456789');
const nonZero = fc.constantFrom(...'123456789');
/**
 * A well-formed KATO code of a random level: each level's digit group is non-zero (a unit's code
 * never has 00 for a level it lies under), the groups below its level are zeros.
 */
const code = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.array(digit, { minLength: 9, maxLength: 9 }),
    fc.array(nonZero, { minLength: 4, maxLength: 4 }),
  )
  .map(([level, digits, lasts]) => {
    const ends = [2, 4, 6, 9].slice(0, level);
    ends.forEach((end, i) => {
      digits[end - 1] = lasts[i]!;
    });
    return digits.slice(0, ends.at(-1)).join('').padEnd(9, '0');
  });

describe('KATO hierarchy', () => {
  it('every unit is within itself and within each of its ancestors, from the region down', () => {
    fc.assert(
      fc.property(code, (c) => {
        expect(isWithin(c, c)).toBe(true);
        const ancestors = ancestorCodes(c);
        for (const a of ancestors) expect(isWithin(a, c)).toBe(true);
        expect(ancestors.map(levelOf)).toEqual(
          ['region', 'district', 'okrug', 'settlement'].slice(0, ancestors.length),
        );
      }),
    );
  });

  it('a unit is never within one of its descendants or a sibling', () => {
    fc.assert(
      fc.property(code, code, (a, b) => {
        if (isWithin(a, b) && isWithin(b, a)) expect(significantPrefix(a)).toBe(significantPrefix(b));
      }),
    );
    expect(isWithin('751200000', '750000000')).toBe(false);
    expect(isWithin('750000000', '710000000')).toBe(false);
    expect(isWithin('100000000', '101010000')).toBe(true);
  });
});

describe('name normalisation', () => {
  it('folds case, Kazakh letters and punctuation so either spelling finds a place', () => {
    expect(normaliseName('АҚТӨБЕ')).toBe(normaliseName('Актобе'));
    expect(normaliseName('Бұқар-Жырау')).toBe('букар жырау');
    expect(searchKeys('Bukhar-Zhyrau District')).toEqual([
      'bukhar zhyrau district',
      'zhyrau district',
      'district',
    ]);
  });

  it('is idempotent and every key is a suffix of the normalised name', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = normaliseName(s);
        expect(normaliseName(n)).toBe(n);
        for (const key of searchKeys(s)) expect(n.endsWith(key)).toBe(true);
      }),
    );
  });
});

describe('country pack', () => {
  const files = () =>
    Object.fromEntries(
      (['pack.json', 'regions.csv', 'places.csv', 'offices.csv', 'facilities.csv'] as const).map((f) => [
        f,
        fs.readFileSync(path.join(configDir, 'kz', f), 'utf8'),
      ]),
    ) as PackFiles;

  it('the Kazakhstan pack loads: 20 top-level units, districts in every region, offices in every region', () => {
    const pack = loadPack('kz');
    const regions = pack.places.filter((p) => p.level === 'region');
    expect(regions).toHaveLength(20);
    for (const r of regions) {
      expect(pack.places.filter((p) => p.parentKato === r.kato).length).toBeGreaterThanOrEqual(3);
      expect(pack.offices.some((o) => isWithin(r.kato, o.kato) && o.kind === 'registry_office')).toBe(true);
      expect(r.population).toBeGreaterThan(0);
    }
    expect(new Set(pack.places.map((p) => p.level))).toEqual(
      new Set(['region', 'district', 'okrug', 'settlement']),
    );
    const total = regions.reduce((sum, r) => sum + (r.population ?? 0), 0);
    expect(total).toBeGreaterThan(20_000_000);
  });

  it.each([
    [
      'places.csv',
      (t: string) => t.replace('101010000,100000000', '101010000,109990000'),
      /places\.csv line 2: parent_kato 109990000 is not a known place/,
    ],
    [
      'places.csv',
      (t: string) => t.replace('101010000,100000000', '1010,100000000'),
      /places\.csv line 2: kato must be a 9-digit KATO code/,
    ],
    [
      'places.csv',
      (t: string) => t.replace(',district,city_regional,', ',settlement,city_regional,'),
      /places\.csv line 2: level a settlement cannot sit directly under a region/,
    ],
    ['regions.csv', (t: string) => t.replace('Abai Region', ''), /regions\.csv line 2: name_en is empty/],
    [
      'offices.csv',
      (t: string) => `${t}kz-x,registry_office,999999999,a,b,c,d\n`,
      /offices\.csv line \d+: kato 999999999 is not a known place/,
    ],
    [
      'pack.json',
      (t: string) => t.replace('Asia/Almaty', 'Mars/Olympus'),
      /pack\.json: timeZone "Mars\/Olympus" is not an IANA time zone/,
    ],
  ] as const)('names the file, line and column of a mistake in %s', (file, edit, message) => {
    const broken = files();
    broken[file] = edit(broken[file]);
    expect(() => parsePack(broken)).toThrow(message);
  });
});
