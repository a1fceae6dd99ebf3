import { Type } from 'typebox';
import type { ProtectionDeps } from '../../protection/deps.ts';
import { CaseActionInput, OpenCaseInput } from '../../protection/case-inputs.ts';
import { actOnCase, caseAfterAction, caseTimeline, type CaseView, listCases, openCase, readCase, type CaseRow } from '../../protection/cases.ts';
import { Risk } from '../../protection/settings.ts';
import { listTasks } from '../../protection/tasks.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { idempotencyKey } from './births-common.ts';
import { ReferralView, referralView } from './protection-referrals.ts';

const tags = ['protection'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Stage = Type.Union([Type.Literal('REGISTERED'), Type.Literal('ASSESSMENT'), Type.Literal('PLANNING'), Type.Literal('IMPLEMENTATION'), Type.Literal('FOLLOW_UP'), Type.Literal('CLOSURE_REQUESTED'), Type.Literal('CLOSED')]);

export const CaseViewSchema = Type.Object({
  id: Type.String(),
  stage: Type.String({ description: 'REGISTERED, ASSESSMENT, PLANNING, IMPLEMENTATION, FOLLOW_UP, CLOSURE_REQUESTED or CLOSED' }),
  version: Type.Integer({ description: 'send it back as expectedVersion: an action on a case that changed since answers 409 version_conflict' }),
  jurisdiction: Type.String(),
  access: Type.String({ description: 'your need to know: read, work or supervise (none after an action that took you off the case)' }),
  data: Type.Union([Type.Unknown(), Type.Null()], { description: 'the case (see CaseState in src/protection/case-record.ts); null when you no longer have access' }),
  allowedActions: Type.Array(Type.String(), { description: 'the actions you may take now: the buttons that will work' }),
  referrals: Type.Array(ReferralView),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

function present(deps: ProtectionDeps, view: CaseView | { row: CaseRow; access: 'none' }) {
  const { row } = view;
  const now = deps.clock.now();
  const full = view.access !== 'none';
  return {
    id: row.id,
    stage: row.status,
    version: row.version,
    jurisdiction: full ? row.jurisdiction : '',
    access: view.access,
    data: full ? row.data : null,
    allowedActions: 'allowedActions' in view ? view.allowedActions : [],
    referrals: 'referrals' in view ? view.referrals.map((r) => referralView(r, now)) : [],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const CaseListItem = Type.Object({
  id: Type.String(),
  stage: Type.String(),
  risk: Type.String(),
  kind: Type.String(),
  jurisdiction: Type.String(),
  version: Type.Integer(),
  openedAt: Type.String(),
  updatedAt: Type.String(),
  works: Type.Boolean({ description: 'you own or work on the case' }),
  child: Nullable(Type.Object({ surname: Nullable(Type.String()), givenName: Nullable(Type.String()) }, { description: 'only on cases you work on' })),
  openTasks: Type.Integer(),
  overdueTasks: Type.Integer(),
});

const TaskItem = Type.Object({
  caseId: Type.String(),
  taskId: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  assignee: Type.String(),
  dueOn: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  risk: Type.String(),
  stage: Type.String(),
});

/** Protection cases: open, list, read, act; the tasks list. Every read is audited; a case you need not know is a 404. */
export function registerProtectionCaseRoutes(app: App, deps: ProtectionDeps): void {
  app.post(
    '/api/v1/protection/cases',
    {
      config: { scope: 'protection.case.write' },
      schema: {
        tags,
        summary: 'Open a case: from a referral of the inbox ({referralId}), or for an unaccompanied or separated child ({kind, child, separation, risk})',
        body: OpenCaseInput,
        response: { 201: CaseViewSchema },
      },
    },
    async (request, reply) => {
      const row = await openCase(deps, request.body, { actor: request.actor, idempotencyKey: idempotencyKey(request) });
      return reply.status(201).send(present(deps, await caseAfterAction(deps.db, row, request.actor)));
    },
  );

  app.get(
    '/api/v1/protection/cases',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'Your cases (a supervisor: every case of the jurisdiction, names only on cases you work on), newest first',
        querystring: Type.Object({
          stage: Type.Optional(Stage),
          risk: Type.Optional(Risk),
          incoming: Type.Optional(Type.Boolean({ description: 'only cases with a transfer waiting for your answer' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(CaseListItem), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const page = await listCases(deps, request.actor, { ...request.query, limit: request.query.limit ?? 50 }, requestContext(request, deps));
      return { items: page.items.map((c) => ({ ...c, openedAt: c.openedAt.toISOString(), updatedAt: c.updatedAt.toISOString() })), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/protection/cases/:id',
    {
      config: { scope: 'protection.case.read' },
      schema: { tags, summary: 'A case, with the actions you may take and its referrals (audited; 404 unless you need to know)', params: Id, response: { 200: CaseViewSchema } },
    },
    async (request) => present(deps, await readCase(deps, request.params.id, request.actor, requestContext(request, deps))),
  );

  app.get(
    '/api/v1/protection/cases/:id/actions',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'The case’s timeline: every action with who (by name), when, why and what (audited)',
        params: Id,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                seq: Type.Integer(),
                type: Type.String(),
                actor: Type.String(),
                actorName: Nullable(Type.String()),
                at: Type.String(),
                reason: Nullable(Type.String()),
                payload: Type.Unknown(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const actions = await caseTimeline(deps, request.params.id, request.actor, requestContext(request, deps));
      return { items: actions.map((a) => ({ seq: a.recordSeq, type: a.type, actor: a.actor, actorName: a.actorName, at: a.at.toISOString(), reason: a.reason, payload: a.payload })) };
    },
  );

  app.post(
    '/api/v1/protection/cases/:id/actions',
    {
      config: { scope: 'protection.case.write' },
      schema: {
        tags,
        summary: 'Act on a case: {type, expectedVersion?, reason?, …the action’s fields}',
        description:
          'A stage that does not allow the action answers 409 action_not_allowed with the allowed ones; an expectedVersion that is not current answers 409 version_conflict with currentVersion (nothing is overwritten). REFER_SERVICE needs a sharing consent for the agency in force (409, field consent).',
        params: Id,
        body: CaseActionInput,
        response: { 200: CaseViewSchema },
      },
    },
    async (request) => {
      const row = await actOnCase(deps, request.params.id, request.body, { actor: request.actor, idempotencyKey: idempotencyKey(request), ctx: requestContext(request, deps) });
      return present(deps, await caseAfterAction(deps.db, row, request.actor));
    },
  );

  app.get(
    '/api/v1/protection/tasks',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'Open tasks of your cases (a supervisor: of the jurisdiction), the earliest due first',
        querystring: Type.Object({
          overdue: Type.Optional(Type.Boolean({ description: 'only tasks past their due date or time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(TaskItem) }) },
      },
    },
    async (request) => {
      const items = await listTasks(deps, request.actor, { overdue: request.query.overdue, limit: request.query.limit ?? 100 }, requestContext(request, deps));
      return { items: items.map((t) => ({ ...t, dueAt: t.dueAt ? new Date(t.dueAt).toISOString() : null })) };
    },
  );
}
