import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBirthRules, timelinessOf, unverifiedParentFacts } from '../../src/births/rules.ts';
import { isWorkingDay, parseWorkingCalendar, workingDaysBetween } from '../../src/births/working-days.ts';
import { loadPack } from '../../src/places/pack.ts';

const settings = loadPack('kz').settings;
const rules = parseBirthRules(settings);
const calendar = rules.calendar;

describe('working days in Kazakhstan (pack.json publicHolidays)', () => {
  it('knows the fixed holidays, the moving ones and the days off a weekend holiday moves to', () => {
    const off = ['2026-01-01', '2026-01-02', '2026-01-07', '2026-03-09', '2026-03-23', '2026-03-24', '2026-03-25', '2026-05-01', '2026-05-07', '2026-05-11', '2026-05-27', '2026-07-06', '2026-08-31', '2026-10-26', '2026-12-16', '2025-06-06', '2025-01-03', '2024-06-17'];
    for (const date of off) expect(isWorkingDay(date, calendar), date).toBe(false);
    // A Monday after an ordinary weekend, the Sunday worked in 2025, and a religious holiday on a weekend does not move.
    for (const date of ['2026-03-02', '2025-01-05', '2023-01-09', '2026-03-26']) expect(isWorkingDay(date, calendar), date).toBe(true);
    expect(isWorkingDay('2026-03-07', calendar)).toBe(false);
  });

  it('does not count public holidays in the legal declaration period', () => {
    // Born Thursday 5 March 2026; Monday 9 March is the day off for 8 March (a Sunday).
    expect(timelinessOf('2026-03-05', '2026-03-11', rules)).toBe('current');
    expect(timelinessOf('2026-03-05', '2026-03-12', rules)).toBe('late');
    // Nauryz: 21–25 March 2026 are all off.
    expect(timelinessOf('2026-03-20', '2026-03-27', rules)).toBe('current');
    // Kurban Ait, Wednesday 27 May 2026.
    expect(timelinessOf('2026-05-25', '2026-05-29', rules)).toBe('current');
    expect(workingDaysBetween('2026-05-25', '2026-05-29', calendar)).toBe(3);
  });

  it('counts additively and never more than the weekdays', () => {
    const day = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) }).map((t) => new Date(Math.floor(t / 86_400_000) * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, day, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort();
        expect(workingDaysBetween(x!, z!, calendar)).toBe(workingDaysBetween(x!, y!, calendar) + workingDaysBetween(y!, z!, calendar));
        const weekdays = workingDaysBetween(x!, z!, { weekend: [6, 7], fixed: [], years: {} });
        expect(workingDaysBetween(x!, z!, calendar)).toBeLessThanOrEqual(weekdays);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a malformed holiday list, naming the entry', () => {
    const holidays = structuredClone((settings as unknown as { publicHolidays: { fixed: { date: string }[]; years: Record<string, { daysOff: { date: string }[] }> } }).publicHolidays);
    holidays.fixed[2]!.date = '02-30';
    expect(() => parseWorkingCalendar(holidays)).toThrow(/publicHolidays\.fixed\[2\]\.date/);
    const years = structuredClone((settings as unknown as { publicHolidays: object }).publicHolidays) as { years: Record<string, { daysOff: { date: string }[] }> };
    years.years['2026']!.daysOff[0]!.date = '2025-05-27';
    expect(() => parseWorkingCalendar(years)).toThrow(/years\.2026\.daysOff/);
    expect(() => parseWorkingCalendar(undefined)).toThrow(/publicHolidays/);
  });
});

describe('parent facts that never block a child', () => {
  it('names the field that was sent: mother.age when the age was given, mother.dateOfBirth when the date was', () => {
    expect(unverifiedParentFacts({ mother: { age: 9 } }, '2026-03-01', rules)).toEqual([expect.objectContaining({ field: 'mother.age', code: 'age_out_of_range' })]);
    expect(unverifiedParentFacts({ mother: { dateOfBirth: '2017-01-01' } }, '2026-03-01', rules)).toEqual([expect.objectContaining({ field: 'mother.dateOfBirth', code: 'age_out_of_range' })]);
    expect(unverifiedParentFacts({ mother: { dateOfBirth: '2026-03-02' } }, '2026-03-01', rules)).toEqual([expect.objectContaining({ field: 'mother.dateOfBirth', code: 'born_after_child' })]);
    expect(unverifiedParentFacts({ mother: { age: 30, iin: '12345' } }, '2026-03-01', rules)).toEqual([expect.objectContaining({ field: 'mother.iin', code: 'iin_invalid' })]);
    expect(unverifiedParentFacts({ mother: { age: 30 }, father: { age: 30 } }, '2026-03-01', rules)).toEqual([]);
  });
});
