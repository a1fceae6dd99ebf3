import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageGroupOf, ageInYears, countRows, headlineRows, reportColumns, reportCsv, shareOf, suppress } from '../../src/protection/report-rules.ts';

describe('age groups', () => {
  it.each([
    [0, '0'], [1, '1-4'], [4, '1-4'], [5, '5-9'], [9, '5-9'], [10, '10-14'], [14, '10-14'], [15, '15-17'], [17, '15-17'],
    [18, 'unknown'], [-1, 'unknown'], [null, 'unknown'], [2.5, 'unknown'],
  ] as const)('%s years is %s', (years, group) => expect(ageGroupOf(years)).toBe(group));

  it('counts whole years to a day', () => {
    expect(ageInYears('2020-03-02', '2026-03-01')).toBe(5);
    expect(ageInYears('2020-03-02', '2026-03-02')).toBe(6);
    expect(ageInYears('2027-01-01', '2026-03-02')).toBeNull();
    expect(ageInYears(null, '2026-03-02')).toBeNull();
  });
});

describe('small-cell suppression', () => {
  it('never reveals a count in 1..minCell-1, and shows 0 and counts of at least minCell as they are', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 100_000 }), (minCell, count) => {
        const shown = suppress(count, minCell);
        if (count > 0 && count < minCell) {
          expect(shown).toBe(`<${minCell}`);
          expect(String(shown)).not.toMatch(new RegExp(`^${count}$`));
        } else expect(shown).toBe(count);
      }),
    );
  });

  it('writes no share of a small count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (minCell, a, b) => {
        const share = shareOf(Math.min(a, b), Math.max(a, b), minCell);
        const small = (n: number) => n > 0 && n < minCell;
        if (Math.max(a, b) === 0 || small(a) || small(b)) expect(share).toBe('');
        else expect(share).toBeCloseTo((Math.min(a, b) / Math.max(a, b)) * 100, 1);
      }),
    );
  });

  it('sums cells into age groups before suppressing, so a group of small cells may show', () => {
    const cell = { measure: 'referrals', breakdown: 'all', region: '71', period: '2026-03', sex: 'male' };
    const rows = countRows([{ ...cell, years: 1, count: 3 }, { ...cell, years: 2, count: 3 }, { ...cell, years: 12, count: 2 }, { ...cell, sex: null, years: null, count: 7 }], new Map([['71', 'Astana']]), 5);
    expect(rows.map((r) => [r.sex, r.ageGroup, r.value])).toEqual([['male', '1-4', 6], ['male', '10-14', '<5'], ['unknown', 'unknown', 7]]);
  });

  it('the CSV never carries a suppressed count, whatever the cells', () => {
    const arbCell = fc.record({
      measure: fc.constantFrom('referrals', 'cases_opened', 'cases_closed'),
      breakdown: fc.constantFrom('all', 'risk:high'),
      region: fc.constantFrom('71', '75'),
      period: fc.constantFrom('2026-01', '2026-02'),
      sex: fc.constantFrom('male', 'female', null),
      years: fc.option(fc.integer({ min: 0, max: 20 })),
      count: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(arbCell, { maxLength: 40 }), fc.integer({ min: 2, max: 10 }), (cells, minCell) => {
        const csv = reportCsv(countRows(cells, new Map(), minCell));
        const lines = csv.trimEnd().split('\n');
        expect(lines[0]).toBe(reportColumns.join(','));
        for (const line of lines.slice(1)) {
          const value = line.split(',').at(-1)!;
          if (value.startsWith('<')) expect(value).toBe(`<${minCell}`);
          else expect(Number(value)).toBeGreaterThanOrEqual(minCell);
        }
      }),
    );
  });

  it('headline rows: counts suppressed, shares only of counts that show', () => {
    const rows = headlineRows([{ region: '71', period: '2026-03', registered: 200, flagged: 10, contactedInTime: 3 }], new Map(), 5);
    expect(Object.fromEntries(rows.map((r) => [r.measure, r.value]))).toEqual({
      births_registered: 200, births_flagged: 10, flagged_contacted_within_deadline: '<5', share_flagged_percent: 5, share_contacted_within_deadline_percent: '',
    });
  });
});
