import { Type } from 'typebox';

/**
 * The one date and instant types of every boundary (API bodies, query strings, FHIR, imports).
 * `format` makes the validator check the calendar (no 2023-02-30, no month 13), the pattern keeps
 * the year in a range a living person's or a record's date can have (1900–2099), so no stored
 * date can later break an age or a working-day computation.
 */
export const isoDatePattern = '^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

export const IsoDate = Type.String({ format: 'date', pattern: isoDatePattern, description: 'a calendar date YYYY-MM-DD (1900–2099)' });

/** A UTC instant or one with an offset; seconds 00–59 (a leap second has no Date). */
export const instantPattern =
  '^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$';

export const Instant = Type.String({ format: 'date-time', pattern: instantPattern, description: 'an instant, e.g. 2026-11-26T10:00:00Z' });

const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar date in the accepted range, for values checked outside a schema (CSV, FHIR). */
export function isIsoDate(value: string): boolean {
  if (!new RegExp(isoDatePattern).test(value)) return false;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : days[month - 1]!);
}

/** True for an instant in the accepted form whose date part is a real calendar date. */
export function isInstant(value: string): boolean {
  return new RegExp(instantPattern).test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

/** A calendar date moved by `n` days (negative: back), as YYYY-MM-DD; UTC arithmetic, so no time zone or DST shifts it. */
export function addDays(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Building a DateTimeFormat costs far more than using one: one per time zone, made once. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant where the registry is (the pack's time zone), as YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}
