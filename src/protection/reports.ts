import { audit, type RequestContext } from '../access/audit.ts';
import { type Actor, authorize } from '../access/policy.ts';
import { addDays, isIsoDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { findPlace } from '../places/store.ts';
import { readerPrefix } from './dashboard.ts';
import type { ProtectionDeps } from './deps.ts';
import { type CountCell, countRows, type Headline, headlineRows, reportCsv, type ReportRow } from './report-rules.ts';

/**
 * The protection counts for statistics, as CSV: referrals (all, by risk, by flag), cases opened
 * and cases closed, by region (the first two KATO digits), month, sex and age group; and the
 * headline figures of each region and month — births registered, those that raised a protection
 * flag, and of those the ones first contacted within the deadline, with both shares. Cut to the
 * reader's jurisdiction; every count in 1..minCell-1 is written as "<minCell".
 */
export interface ReportPeriod {
  from: string;
  to: string;
}

/** The longest period one report covers (about ten years). */
export const maxReportDays = 3660;

export type ReportLanguage = 'kk' | 'ru' | 'en';

function checkPeriod(p: ReportPeriod): void {
  for (const field of ['from', 'to'] as const) {
    if (!isIsoDate(p[field])) throw new AppError('validation_failed', `${field} is not a date`, { field, hint: 'YYYY-MM-DD' });
  }
  if (p.to < p.from) throw new AppError('validation_failed', 'the period ends before it begins', { field: 'to', hint: 'to is on or after from' });
  if (addDays(p.from, maxReportDays) < p.to) throw new AppError('validation_failed', 'the period is longer than ten years', { field: 'to', hint: 'ask for a shorter period' });
}

/** Counts of referrals, cases opened and cases closed in the period, by region, month, sex and age in years. */
async function countCells(deps: ProtectionDeps, within: string, p: ReportPeriod): Promise<CountCell[]> {
  // The period's bounds are days where the registry is; a month is the local calendar's.
  const params = [within, p.from, p.to, deps.timeZone];
  const bounds = (column: string) => `${column} >= ($2::date)::timestamp AT TIME ZONE $4::text AND ${column} < ($3::date + 1)::timestamp AT TIME ZONE $4::text`;
  const month = (column: string) => `to_char(${column} AT TIME ZONE $4::text, 'YYYY-MM')`;
  const localDay = (column: string) => `(${column} AT TIME ZONE $4::text)::date`;
  const years = (on: string, dob: string) => `date_part('year', age(${on}::timestamp, ${dob}::timestamp))::int`;
  // The child of a referral is the birth record's child (its sex and date of birth, as record linkage indexed them).
  const referrals = await deps.db.query<CountCell>(
    `SELECT 'referrals' AS measure, b.breakdown, substr(p.jurisdiction, 1, 2) AS region, ${month('p.created_at')} AS period, p.child_sex AS sex,
            ${years(localDay('p.created_at'), 'p.child_dob')} AS years, count(*)::int AS count
     FROM protection_referrals p
     CROSS JOIN LATERAL (SELECT 'all' UNION ALL SELECT 'risk:' || p.risk UNION ALL SELECT 'flag:' || (f->>'code') FROM jsonb_array_elements(p.flags) f) b (breakdown)
     WHERE p.jurisdiction LIKE $1::text || '%' AND ${bounds('p.created_at')}
     GROUP BY 1, 2, 3, 4, 5, 6`,
    params,
  );
  const caseChild = (on: string) => `r.data->'child'->>'sex' AS sex,
            CASE WHEN r.data->'child'->>'dateOfBirth' IS NOT NULL THEN ${years(on, "(r.data->'child'->>'dateOfBirth')::date")}
                 ELSE (r.data->'child'->'approximateAge'->>'years')::int END AS years`;
  const opened = await deps.db.query<CountCell>(
    `SELECT 'cases_opened' AS measure, b.breakdown, substr(c.jurisdiction, 1, 2) AS region, ${month('c.opened_at')} AS period, ${caseChild(localDay('c.opened_at'))}, count(*)::int AS count
     FROM protection_cases c JOIN records r ON r.id = c.id CROSS JOIN LATERAL (VALUES ('all'), ('kind:' || c.kind)) b (breakdown)
     WHERE c.jurisdiction LIKE $1::text || '%' AND ${bounds('c.opened_at')}
     GROUP BY 1, 2, 3, 4, 5, 6`,
    params,
  );
  const closed = await deps.db.query<CountCell>(
    `SELECT 'cases_closed' AS measure, b.breakdown, substr(c.jurisdiction, 1, 2) AS region, ${month('x.closed_at')} AS period, ${caseChild(localDay('x.closed_at'))}, count(*)::int AS count
     FROM protection_cases c JOIN records r ON r.id = c.id CROSS JOIN LATERAL (SELECT (r.data->>'closedAt')::timestamptz AS closed_at) x
     CROSS JOIN LATERAL (VALUES ('all'), ('kind:' || c.kind)) b (breakdown)
     WHERE c.jurisdiction LIKE $1::text || '%' AND c.stage = 'CLOSED' AND ${bounds('x.closed_at')}
     GROUP BY 1, 2, 3, 4, 5, 6`,
    params,
  );
  return [...referrals.rows, ...opened.rows, ...closed.rows];
}

/**
 * Births registered in the period (their birth.registered event), by region and month; how many
 * raised a protection flag (a referral of the record, at any stage); and how many of those were
 * first contacted within the deadline of their first referral.
 */
async function headlines(deps: ProtectionDeps, within: string, p: ReportPeriod): Promise<Headline[]> {
  const { rows } = await deps.db.query<Headline>(
    `WITH births AS (
       SELECT DISTINCT ON (rec.id) rec.id, rec.jurisdiction, e.at FROM events e JOIN records rec ON rec.id = (e.payload->>'recordId')::uuid
       WHERE e.kind = 'birth.registered' AND e.at >= ($2::date)::timestamp AT TIME ZONE $4::text AND e.at < ($3::date + 1)::timestamp AT TIME ZONE $4::text
         AND rec.jurisdiction LIKE $1::text || '%'
       ORDER BY rec.id, e.at)
     SELECT substr(b.jurisdiction, 1, 2) AS region, to_char(b.at AT TIME ZONE $4::text, 'YYYY-MM') AS period, count(*)::int AS registered,
            count(f.id)::int AS flagged, count(*) FILTER (WHERE f.first_contact_at <= f.due_at)::int AS "contactedInTime"
     FROM births b LEFT JOIN LATERAL (SELECT id, first_contact_at, due_at FROM protection_referrals x WHERE x.record_id = b.id ORDER BY created_at, id LIMIT 1) f ON true
     GROUP BY 1, 2`,
    [within, p.from, p.to, deps.timeZone],
  );
  return rows;
}

/** The rows of the report (for a reader holding protection.case.supervise, within their jurisdiction), audited. */
export async function protectionCounts(deps: ProtectionDeps, actor: Actor | undefined, period: ReportPeriod, ctx: RequestContext, lang: ReportLanguage = 'ru'): Promise<ReportRow[]> {
  authorize(actor, 'protection.case.supervise');
  checkPeriod(period);
  const within = readerPrefix(actor);
  const cells = await countCells(deps, within, period);
  const heads = await headlines(deps, within, period);
  const regions = [...new Set([...cells.map((c) => c.region), ...heads.map((h) => h.region)])];
  const names = new Map<string, string>();
  for (const region of regions) {
    const place = await findPlace(deps.db, region.padEnd(9, '0'));
    if (place) names.set(region, place.name[lang]);
  }
  const minCell = deps.settings.reports.minCell;
  const rows = [...countRows(cells, names, minCell), ...headlineRows(heads, names, minCell)];
  await audit(deps.db, ctx, { actor, event: 'protection_report_read', outcome: 'success', details: { report: 'counts', from: period.from, to: period.to, within, rows: rows.length } });
  return rows;
}

/** The report as CSV text. */
export async function protectionCountsCsv(deps: ProtectionDeps, actor: Actor | undefined, period: ReportPeriod, ctx: RequestContext, lang?: ReportLanguage): Promise<string> {
  return reportCsv(await protectionCounts(deps, actor, period, ctx, lang));
}
