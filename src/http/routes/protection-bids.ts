import { Type } from 'typebox';
import { actOnBid, BidActionInput, bidHistory, type BidResult, bidsOfCase, ConveneBidInput, conveneBid, listBids, readBid } from '../../protection/bids.ts';
import type { ProtectionDeps } from '../../protection/deps.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { idempotencyKey } from './births-common.ts';

const tags = ['protection'];
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Union([Type.Literal('OPEN'), Type.Literal('DECIDED'), Type.Literal('APPEALED')]);

/**
 * A determination as its reader sees it. `bid` is the record's state; for the case's workers its
 * `deliberations` and `votes` are null (hidden), while the decision and its dissent are shown.
 */
export const BidResultView = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  status: Status,
  jurisdiction: Type.String(),
  bid: Type.Unknown({ description: 'caseId, question, panel [{member, profession, signedAt}], childViews, parentViews, options, deliberations (null when hidden), votes (null when hidden), round, decision {option, reasons, reviewOn, dissent [{member, option, reasons}], tally, by, at, round}, pastDecisions, reviewOn, reviews, appeals' }),
  role: Type.Object({ member: Type.Boolean(), signed: Type.Boolean(), supervisor: Type.Boolean(), caseWorker: Type.Boolean() }),
  allowedActions: Type.Array(Type.String(), { description: 'the actions you may take now: the buttons that will work' }),
});

const BidSummaryView = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  jurisdiction: Type.String(),
  question: Type.String(),
  status: Status,
  version: Type.Integer(),
  round: Type.Integer(),
  panelSize: Type.Integer(),
  signed: Type.Integer(),
  decision: Nullable(Type.String()),
  reviewOn: Nullable(Type.String()),
  as: Type.Union([Type.Literal('member'), Type.Literal('supervisor')]),
  signedByMe: Nullable(Type.Boolean()),
  updatedAt: Type.String(),
});

const view = (r: BidResult) => ({ ...r, status: r.status as 'OPEN' | 'DECIDED' | 'APPEALED' });

/** The best-interests determination: convene a panel for a case, act on it, read it, list yours. */
export function registerProtectionBidRoutes(app: App, deps: ProtectionDeps): void {
  app.post(
    '/api/v1/protection/cases/:id/bids',
    {
      config: { scope: 'protection.case.write' },
      schema: {
        tags,
        summary: "Convene a best-interests determination for a case (its owner or supervisor): a panel of at least three members of different professions",
        params: Id,
        body: ConveneBidInput,
        response: { 201: BidResultView },
      },
    },
    async (request, reply) => {
      const result = await conveneBid(deps, request.params.id, request.body, { actor: request.actor, idempotencyKey: idempotencyKey(request) });
      return reply.code(201).send(view(result));
    },
  );

  app.get(
    '/api/v1/protection/cases/:id/bids',
    {
      config: { scope: 'protection.case.read' },
      schema: { tags, summary: "A case's determinations, as you may see them (audited)", params: Id, response: { 200: Type.Object({ items: Type.Array(BidResultView) }) } },
    },
    async (request) => ({ items: (await bidsOfCase(deps, request.params.id, request.actor, requestContext(request, deps))).map(view) }),
  );

  app.get(
    '/api/v1/protection/bids',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'Determinations you sit on, and for a supervisor those of your jurisdiction; the latest changed first (no names)',
        querystring: Type.Object({
          status: Type.Optional(Status),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(BidSummaryView), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const page = await listBids(deps, request.actor, { ...request.query, limit: request.query.limit ?? 50 }, requestContext(request, deps));
      return { items: page.items.map((b) => ({ ...b, status: b.status as 'OPEN' | 'DECIDED' | 'APPEALED', updatedAt: b.updatedAt.toISOString() })), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/protection/bids/:id',
    { config: { scope: 'protection.case.read' }, schema: { tags, summary: 'One determination (audited); the case workers see it without deliberations and votes', params: Id, response: { 200: BidResultView } } },
    async (request) => view(await readBid(deps, request.params.id, request.actor, requestContext(request, deps))),
  );

  app.get(
    '/api/v1/protection/bids/:id/actions',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: "A determination's steps, who and when (audited); the case workers get them without deliberations and votes",
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ seq: Type.Integer(), type: Type.String(), actor: Type.String(), actorName: Nullable(Type.String()), at: Type.String(), payload: Type.Unknown() })) }) },
      },
    },
    async (request) => ({ items: (await bidHistory(deps, request.params.id, request.actor, requestContext(request, deps))).map((s) => ({ ...s, at: s.at.toISOString() })) }),
  );

  app.post(
    '/api/v1/protection/bids/:id/actions',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'One step of the determination: SIGN_UNDERTAKING, CHILD_VIEWS, PARENT_VIEWS, ADD_OPTION, DELIBERATE, VOTE, DECIDE, REVIEW, APPEAL, APPEAL_DECIDED',
        params: Id,
        body: BidActionInput,
        response: { 200: BidResultView },
      },
    },
    async (request) => {
      const result = await actOnBid(deps, request.params.id, request.body, { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion: request.body.expectedVersion });
      return view(result);
    },
  );
}
