import { audit, type RequestContext } from '../access/audit.ts';
import { type Actor, authorize } from '../access/policy.ts';
import { actorNames } from '../access/users.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { bidOutcomeCounts } from './bids.ts';
import { localDate } from '../core/dates.ts';
import type { ProtectionDeps } from './deps.ts';
import type { RiskLevel } from './settings.ts';

/**
 * The protection supervisor's dashboard: for the reader's jurisdiction, cases by stage and risk,
 * overdue tasks, escalated referrals still open, the time from flag to first contact, the
 * determinations' outcomes, referrals to partner agencies, and open cases per worker. Every figure
 * is an SQL aggregate over the lookups (protection_cases, protection_case_members,
 * protection_case_tasks, protection_referrals): no case is loaded to count it. Names no child.
 */
export interface Dashboard {
  casesByStage: { stage: string; risk: RiskLevel; count: number }[];
  overdueTasks: number;
  escalatedReferrals: number;
  firstContact: { count: number; withinDeadline: number; medianHours: number | null };
  bidOutcomes: { option: string; count: number }[];
  referralsByAgency: { agency: string; count: number }[];
  casesPerWorker: { worker: string; name: string | null; count: number }[];
}

/** How many workers the dashboard lists (the busiest first). */
export const dashboardWorkers = 100;

/** The KATO prefix a reader sees: their jurisdiction's significant digits; '' for the whole country (or the system). */
export function readerPrefix(actor: Actor): string {
  return actor.kind === 'user' && actor.jurisdiction !== null ? significantPrefix(actor.jurisdiction) : '';
}

export async function readDashboard(deps: ProtectionDeps, actor: Actor | undefined, ctx: RequestContext): Promise<Dashboard> {
  authorize(actor, 'protection.case.supervise');
  const within = readerPrefix(actor);
  const db = deps.db;
  const now = deps.clock.now();
  const today = localDate(now, deps.timeZone);
  const [stages, overdue, referrals, bids, agencies, workers] = await Promise.all([
    db.query<{ stage: string; risk: RiskLevel; count: number }>(
      `SELECT stage, risk, count(*)::int AS count FROM protection_cases WHERE jurisdiction LIKE $1::text || '%' GROUP BY stage, risk ORDER BY stage, risk`,
      [within],
    ),
    db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM protection_case_tasks t
       WHERE t.jurisdiction LIKE $1::text || '%' AND (t.due_at < $2::timestamptz OR t.due_on < $3::date)`,
      [within, now, today],
    ),
    db.query<{ escalated: number; count: number; withinDeadline: number; medianHours: number | null }>(
      `SELECT count(*) FILTER (WHERE status = 'open' AND escalated_at IS NOT NULL)::int AS escalated,
              count(first_contact_at)::int AS count,
              count(*) FILTER (WHERE first_contact_at <= due_at)::int AS "withinDeadline",
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_contact_at - created_at)) FILTER (WHERE first_contact_at IS NOT NULL))::float8 / 3600 AS "medianHours"
       FROM protection_referrals WHERE jurisdiction LIKE $1::text || '%'`,
      [within],
    ),
    bidOutcomeCounts(db, within),
    db.query<{ agency: string; count: number }>(
      `SELECT s->>'agency' AS agency, count(*)::int AS count
       FROM protection_cases c JOIN records r ON r.id = c.id CROSS JOIN LATERAL jsonb_array_elements(r.data->'services') s
       WHERE c.jurisdiction LIKE $1::text || '%' GROUP BY 1 ORDER BY 2 DESC, 1`,
      [within],
    ),
    db.query<{ worker: string; count: number }>(
      `SELECT m.actor AS worker, count(DISTINCT m.case_id)::int AS count
       FROM protection_case_members m JOIN protection_cases c ON c.id = m.case_id
       WHERE c.jurisdiction LIKE $1::text || '%' AND m.role IN ('owner', 'worker') AND c.stage <> 'CLOSED'
       GROUP BY m.actor ORDER BY 2 DESC, 1 LIMIT $2`,
      [within, dashboardWorkers],
    ),
  ]);
  const names = await actorNames(db, workers.rows.map((w) => w.worker));
  const r = referrals.rows[0]!;
  const dashboard: Dashboard = {
    casesByStage: stages.rows,
    overdueTasks: overdue.rows[0]!.count,
    escalatedReferrals: r.escalated,
    firstContact: { count: r.count, withinDeadline: r.withinDeadline, medianHours: r.medianHours === null ? null : Number(r.medianHours) },
    bidOutcomes: bids,
    referralsByAgency: agencies.rows,
    casesPerWorker: workers.rows.map((w) => ({ worker: w.worker, name: names.get(w.worker) ?? null, count: w.count })),
  };
  await audit(db, ctx, { actor, event: 'protection_dashboard_read', outcome: 'success', details: { within } });
  return dashboard;
}
