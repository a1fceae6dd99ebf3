import { isIsoDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';

/**
 * Working days as the country counts them: not a weekend day, not a public holiday, not a day off
 * a holiday on a weekend moved onto, not a day off the government moved. Pure, from the pack's
 * `publicHolidays`; every legal period counted in working days (timeliness, overdue notifications)
 * goes through `workingDaysBetween`.
 */
export interface FixedHoliday {
  /** MM-DD */
  date: string;
  name: string;
  /** A holiday on a weekend day gives the next working day off (false for religious holidays). */
  movesOffWeekend: boolean;
  fromYear?: number;
  toYear?: number;
}

export interface HolidayYear {
  /** Holidays whose date changes every year (Kurban Ait), and days off the government moved. */
  daysOff: { date: string; name: string; movesOffWeekend?: boolean }[];
  /** Weekend days worked instead (the other half of a moved day off). */
  workingDays: string[];
}

export interface WorkingCalendar {
  /** ISO weekday numbers (1 = Monday … 7 = Sunday) that are not working days. */
  weekend: number[];
  fixed: FixedHoliday[];
  years: Record<string, HolidayYear>;
}

function packError(field: string, what: string): AppError {
  return new AppError('validation_failed', `pack.json publicHolidays.${field} ${what}`, { field: `pack.json: publicHolidays.${field}`, hint: 'correct config/<pack>/pack.json and load the pack again' });
}

/** Parses and checks pack.json's `publicHolidays`, naming the entry at fault. */
export function parseWorkingCalendar(raw: unknown): WorkingCalendar {
  const obj = raw as { weekend?: unknown; fixed?: unknown; years?: unknown } | undefined;
  if (!obj || typeof obj !== 'object') throw packError('', 'is missing: list the fixed holidays and each year’s moving ones');
  const weekend = obj.weekend;
  if (!Array.isArray(weekend) || !weekend.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) throw packError('weekend', 'must list ISO weekday numbers (6 = Saturday, 7 = Sunday)');
  if (!Array.isArray(obj.fixed)) throw packError('fixed', 'must be a list of { date: "MM-DD", name, movesOffWeekend }');
  const fixed = obj.fixed.map((h: Partial<FixedHoliday>, i) => {
    if (typeof h.date !== 'string' || !isIsoDate(`2000-${h.date}`)) throw packError(`fixed[${i}].date`, 'must be MM-DD');
    if (typeof h.name !== 'string' || !h.name) throw packError(`fixed[${i}].name`, 'is missing');
    if (typeof h.movesOffWeekend !== 'boolean') throw packError(`fixed[${i}].movesOffWeekend`, 'must be true or false');
    for (const key of ['fromYear', 'toYear'] as const) if (h[key] !== undefined && !Number.isInteger(h[key])) throw packError(`fixed[${i}].${key}`, 'must be a year');
    return h as FixedHoliday;
  });
  const yearsRaw = obj.years;
  if (!yearsRaw || typeof yearsRaw !== 'object') throw packError('years', 'must map each year to its daysOff and workingDays');
  const years: Record<string, HolidayYear> = {};
  for (const [year, value] of Object.entries(yearsRaw as Record<string, Partial<HolidayYear>>)) {
    if (!/^\d{4}$/.test(year)) continue;
    const inYear = (date: unknown) => typeof date === 'string' && isIsoDate(date) && date.startsWith(`${year}-`);
    if (!Array.isArray(value.daysOff) || !value.daysOff.every((d) => inYear(d?.date) && typeof d.name === 'string')) throw packError(`years.${year}.daysOff`, `must list { date: "${year}-MM-DD", name }`);
    if (!Array.isArray(value.workingDays) || !value.workingDays.every(inYear)) throw packError(`years.${year}.workingDays`, `must list dates of ${year}`);
    years[year] = { daysOff: value.daysOff, workingDays: value.workingDays };
  }
  return { weekend, fixed, years };
}

const dayMs = 86_400_000;
const toTime = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const isoWeekday = (t: number) => new Date(t).getUTCDay() || 7;

/** The days off of one year (holidays, and the days a holiday on a weekend moved to); made once per year. */
const yearCache = new WeakMap<WorkingCalendar, Map<number, { off: Set<string>; worked: Set<string> }>>();

function yearOf(calendar: WorkingCalendar, year: number): { off: Set<string>; worked: Set<string> } {
  let cache = yearCache.get(calendar);
  if (!cache) yearCache.set(calendar, (cache = new Map()));
  const cached = cache.get(year);
  if (cached) return cached;
  const data = calendar.years[String(year)];
  const worked = new Set(data?.workingDays ?? []);
  const holidays = [
    ...calendar.fixed.filter((h) => (h.fromYear ?? -Infinity) <= year && year <= (h.toYear ?? Infinity)).map((h) => ({ date: `${year}-${h.date}`, moves: h.movesOffWeekend })),
    ...(data?.daysOff ?? []).map((d) => ({ date: d.date, moves: d.movesOffWeekend ?? false })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const off = new Set(holidays.map((h) => h.date));
  const weekendDay = (t: number) => calendar.weekend.includes(isoWeekday(t)) && !worked.has(toDate(t));
  // Each holiday that falls on a weekend day gives the first following day that is neither a
  // weekend day nor already off (Nauryz on Saturday and Sunday gives Tuesday and Wednesday).
  for (const h of holidays) {
    const t = toTime(h.date);
    if (!h.moves || !weekendDay(t)) continue;
    let next = t + dayMs;
    while (weekendDay(next) || off.has(toDate(next))) next += dayMs;
    off.add(toDate(next));
  }
  const result = { off, worked };
  cache.set(year, result);
  return result;
}

/** True when `date` (YYYY-MM-DD) is a working day. */
export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const t = toTime(date);
  const year = yearOf(calendar, Number(date.slice(0, 4)));
  // A day off moved from the last days of December lands in January: look at the year before too.
  const before = yearOf(calendar, Number(date.slice(0, 4)) - 1);
  if (year.off.has(date) || before.off.has(date)) return false;
  return !calendar.weekend.includes(isoWeekday(t)) || year.worked.has(date);
}

/**
 * Working days after `from` up to and including `to` (0 when `to` is not after `from`). With
 * `atMost`, counting stops once the count passes it: a period check need not walk a decade.
 */
export function workingDaysBetween(from: string, to: string, calendar: WorkingCalendar, atMost = Infinity): number {
  let count = 0;
  const end = toTime(to);
  for (let t = toTime(from) + dayMs; t <= end && count <= atMost; t += dayMs) if (isWorkingDay(toDate(t), calendar)) count++;
  return count;
}
