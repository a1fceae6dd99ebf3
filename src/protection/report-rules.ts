/**
 * The pure rules of the protection reports: age groups, small-cell suppression, shares, and the
 * CSV rows the counts make. The database work (the aggregates) is in reports.ts.
 */
export const ageGroups = ['0', '1-4', '5-9', '10-14', '15-17', 'unknown'] as const;
export type AgeGroup = (typeof ageGroups)[number];

/** The age group of a child aged `years` whole years; unknown (or not a child's age) is 'unknown'. */
export function ageGroupOf(years: number | null | undefined): AgeGroup {
  if (years === null || years === undefined || !Number.isInteger(years) || years < 0 || years > 17) return 'unknown';
  if (years === 0) return '0';
  if (years <= 4) return '1-4';
  if (years <= 9) return '5-9';
  if (years <= 14) return '10-14';
  return '15-17';
}

/** Whole years between a date of birth and a day (both YYYY-MM-DD); null when either is missing or the birth is later. */
export function ageInYears(dateOfBirth: string | null | undefined, on: string): number | null {
  if (!dateOfBirth) return null;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  const years = oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
  return years < 0 ? null : years;
}

/**
 * A count as it may be published: 0 and counts of at least minCell as they are; a count in
 * 1..minCell-1 as "<minCell", so that no child can be picked out of a small cell.
 */
export function suppress(count: number, minCell: number): number | string {
  return count > 0 && count < minCell ? `<${minCell}` : count;
}

/** Whether a count would be suppressed. */
export function isSmall(count: number, minCell: number): boolean {
  return count > 0 && count < minCell;
}

/**
 * A share in percent (one decimal) of numerator over denominator; empty when the denominator is 0,
 * and empty when either count is a small cell (a share of small counts would give them away).
 */
export function shareOf(numerator: number, denominator: number, minCell: number): number | string {
  if (denominator === 0 || isSmall(numerator, minCell) || isSmall(denominator, minCell)) return '';
  return Math.round((numerator / denominator) * 1000) / 10;
}

export const reportColumns = ['measure', 'breakdown', 'region', 'region_name', 'period', 'sex', 'age_group', 'value'] as const;

/** One aggregate as the database gives it: a count of a measure in a cell (age in whole years, not yet grouped). */
export interface CountCell {
  measure: string;
  breakdown: string;
  /** The first two KATO digits. */
  region: string;
  /** YYYY-MM. */
  period: string;
  sex: string | null;
  years: number | null;
  count: number;
}

export interface ReportRow {
  measure: string;
  breakdown: string;
  region: string;
  regionName: string;
  period: string;
  sex: string;
  ageGroup: AgeGroup | 'all';
  value: number | string;
}

const measureOrder = ['referrals', 'cases_opened', 'cases_closed', 'births_registered', 'births_flagged', 'flagged_contacted_within_deadline', 'share_flagged_percent', 'share_contacted_within_deadline_percent'];
const rank = (measure: string) => {
  const i = measureOrder.indexOf(measure);
  return i === -1 ? measureOrder.length : i;
};

/** Sums the cells by age group (years → group; a missing sex is 'unknown') and suppresses the small ones; sorted. */
export function countRows(cells: readonly CountCell[], regionNames: ReadonlyMap<string, string>, minCell: number): ReportRow[] {
  const sums = new Map<string, { cell: Omit<ReportRow, 'value' | 'regionName'>; count: number }>();
  for (const c of cells) {
    const cell = { measure: c.measure, breakdown: c.breakdown, region: c.region, period: c.period, sex: c.sex ?? 'unknown', ageGroup: ageGroupOf(c.years) };
    const key = JSON.stringify(cell);
    const sum = sums.get(key) ?? { cell, count: 0 };
    sum.count += c.count;
    sums.set(key, sum);
  }
  return sortRows([...sums.values()].map(({ cell, count }) => ({ ...cell, regionName: regionNames.get(cell.region) ?? '', value: suppress(count, minCell) })));
}

/** The headline figures of one region and month: births registered, those flagged, those contacted within the deadline, and the shares. */
export interface Headline {
  region: string;
  period: string;
  registered: number;
  flagged: number;
  contactedInTime: number;
}

export function headlineRows(headlines: readonly Headline[], regionNames: ReadonlyMap<string, string>, minCell: number): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const h of headlines) {
    const base = { breakdown: 'all', region: h.region, regionName: regionNames.get(h.region) ?? '', period: h.period, sex: 'all', ageGroup: 'all' as const };
    rows.push(
      { ...base, measure: 'births_registered', value: suppress(h.registered, minCell) },
      { ...base, measure: 'births_flagged', value: suppress(h.flagged, minCell) },
      { ...base, measure: 'flagged_contacted_within_deadline', value: suppress(h.contactedInTime, minCell) },
      { ...base, measure: 'share_flagged_percent', value: shareOf(h.flagged, h.registered, minCell) },
      { ...base, measure: 'share_contacted_within_deadline_percent', value: shareOf(h.contactedInTime, h.flagged, minCell) },
    );
  }
  return sortRows(rows);
}

function sortRows(rows: ReportRow[]): ReportRow[] {
  const text = (r: ReportRow) => [r.region, r.period, r.breakdown, r.sex, String(ageGroups.indexOf(r.ageGroup as AgeGroup))].join('\u0000');
  return rows.sort((a, b) => rank(a.measure) - rank(b.measure) || a.measure.localeCompare(b.measure) || text(a).localeCompare(text(b)));
}

function field(value: number | string): string {
  if (typeof value === 'number') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The CSV text: a header line, then one line per row (RFC 4180 quoting, CRLF-free). */
export function reportCsv(rows: readonly ReportRow[]): string {
  const lines = [reportColumns.join(',')];
  for (const r of rows) lines.push([r.measure, r.breakdown, r.region, r.regionName, r.period, r.sex, r.ageGroup, r.value].map(field).join(','));
  return `${lines.join('\n')}\n`;
}
