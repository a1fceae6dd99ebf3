import { Type } from 'typebox';
import { IsoDate } from '../../core/dates.ts';
import { readDashboard } from '../../protection/dashboard.ts';
import type { ProtectionDeps } from '../../protection/deps.ts';
import { protectionCountsCsv } from '../../protection/reports.ts';
import { Risk } from '../../protection/settings.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';

const Count = Type.Integer({ minimum: 0 });

export const DashboardView = Type.Object({
  casesByStage: Type.Array(Type.Object({ stage: Type.String(), risk: Risk, count: Count })),
  overdueTasks: Count,
  escalatedReferrals: Type.Integer({ minimum: 0, description: 'open referrals escalated to the supervisor (nobody acknowledged them by their deadline)' }),
  firstContact: Type.Object({
    count: Type.Integer({ minimum: 0, description: 'referrals whose child or family was contacted' }),
    withinDeadline: Count,
    medianHours: Type.Union([Type.Number(), Type.Null()], { description: 'median hours from the flag to first contact' }),
  }),
  bidOutcomes: Type.Array(Type.Object({ option: Type.String(), count: Count })),
  referralsByAgency: Type.Array(Type.Object({ agency: Type.String(), count: Count })),
  casesPerWorker: Type.Array(Type.Object({ worker: Type.String(), name: Type.Union([Type.String(), Type.Null()]), count: Count })),
});

const tags = ['protection'];

/** The supervisor's dashboard and the counts report (CSV, small cells suppressed), both cut to the reader's jurisdiction. */
export function registerProtectionReportRoutes(app: App, deps: ProtectionDeps): void {
  app.get(
    '/api/v1/protection/dashboard',
    {
      config: { scope: 'protection.case.supervise' },
      schema: {
        tags,
        summary: 'The supervisor’s dashboard for your jurisdiction: cases by stage and risk, overdue tasks, escalated referrals, time to first contact, BID outcomes, referrals by agency, open cases per worker (audited; names no child)',
        response: { 200: DashboardView },
      },
    },
    async (request) => readDashboard(deps, request.actor, requestContext(request, deps)),
  );

  app.get(
    '/api/v1/protection/reports/counts.csv',
    {
      config: { scope: 'protection.case.supervise' },
      schema: {
        tags,
        summary: 'Counts of referrals, cases opened and closed by region, month, sex and age group, and the share of registered births flagged and contacted in time, as CSV; counts below the pack’s minimum cell are written "<5" (audited)',
        querystring: Type.Object({
          from: IsoDate,
          to: IsoDate,
          lang: Type.Optional(Type.Union([Type.Literal('kk'), Type.Literal('ru'), Type.Literal('en')], { default: 'ru', description: 'the language of the region names' })),
        }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { from, to, lang } = request.query;
      const csv = await protectionCountsCsv(deps, request.actor, { from, to }, requestContext(request, deps), lang ?? 'ru');
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="protection-counts-${from}-${to}.csv"`)
        .send(csv);
    },
  );
}
