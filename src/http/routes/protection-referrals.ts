import { Type } from 'typebox';
import type { ProtectionDeps } from '../../protection/deps.ts';
import { listReferrals, readReferral, type Referral } from '../../protection/referrals.ts';
import { Risk } from '../../protection/settings.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ReferralView = Type.Object({
  id: Type.String(),
  recordId: Type.String({ description: 'the birth record the flags came from' }),
  jurisdiction: Type.String(),
  flags: Type.Array(Type.Object({ code: Type.String(), risk: Risk })),
  risk: Risk,
  stage: Type.String({ description: 'notification, declaration, registration, correction or overdue' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged')]),
  createdAt: Type.String(),
  dueAt: Type.String({ description: 'first contact is due by then' }),
  overdue: Type.Boolean({ description: 'open past its deadline' }),
  escalatedAt: Nullable(Type.String()),
  caseId: Nullable(Type.String()),
  acknowledgedAt: Nullable(Type.String()),
  firstContactAt: Nullable(Type.String()),
});

export function referralView(r: Referral, now: Date) {
  return {
    id: r.id,
    recordId: r.recordId,
    jurisdiction: r.jurisdiction,
    flags: r.flags,
    risk: r.risk,
    stage: r.stage,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    overdue: r.status === 'open' && r.dueAt <= now,
    escalatedAt: r.escalatedAt?.toISOString() ?? null,
    caseId: r.caseId,
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    firstContactAt: r.firstContactAt?.toISOString() ?? null,
  };
}

const tags = ['protection'];

/** The referral inbox: what screening at registration sent to the protection service of the reader's jurisdiction. */
export function registerProtectionReferralRoutes(app: App, deps: ProtectionDeps): void {
  app.get(
    '/api/v1/protection/referrals',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'The referral inbox: flagged births of your jurisdiction, nearest deadline first (no names: open the birth record or the case)',
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('all')], { default: 'open' })),
          overdue: Type.Optional(Type.Boolean({ description: 'only open referrals past their deadline' })),
          risk: Type.Optional(Risk),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(ReferralView), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const page = await listReferrals(deps.db, request.actor, { ...request.query, limit: request.query.limit ?? 50 }, requestContext(request, deps));
      const now = deps.clock.now();
      return { items: page.items.map((r) => referralView(r, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/protection/referrals/:id',
    {
      config: { scope: 'protection.case.read' },
      schema: { tags, summary: 'One referral (audited)', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: ReferralView } },
    },
    async (request) => referralView(await readReferral(deps.db, request.actor, request.params.id, requestContext(request, deps)), deps.clock.now()),
  );
}
