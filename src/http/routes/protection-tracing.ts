import { Type } from 'typebox';
import type { Actor } from '../../access/policy.ts';
import { IsoDate } from '../../core/dates.ts';
import type { ProtectionDeps } from '../../protection/deps.ts';
import { actOnTracing, createTracingRequest, findMatches, listTracing, readTracing, tracingAccess, type TracingAction, tracingActionsFor, type TracingRow } from '../../protection/tracing.ts';
import { tracingFields } from '../../protection/tracing-match.ts';
import { assessmentOutcomes, oneOf, Requester, Sought, TracingConsentGiven, tracingStatuses, verificationMethods, verificationOutcomes } from '../../protection/tracing-record.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { idempotencyKey } from './births-common.ts';

const tags = ['protection'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Uuid = Type.String({ format: 'uuid', maxLength: 36 });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const MatchKind = oneOf(['case', 'tracing', 'birth']);
const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'the version you last saw; 409 if it changed since' }));

const Stamp = { by: Type.String(), at: Type.String() };
export const TracingView = Type.Object({
  id: Type.String(),
  status: oneOf(tracingStatuses),
  version: Type.Integer(),
  jurisdiction: Type.String(),
  officeId: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  workers: Type.Array(Type.String()),
  caseId: Nullable(Type.String()),
  requester: Requester,
  sought: Sought,
  soughtRange: Nullable(Type.Object({ bornFrom: Type.String(), bornTo: Type.String() }, { description: 'the birth dates an approximate age stands for, worked out when the request was recorded' })),
  consent: Type.Object({ givenBy: Type.Object({ name: Type.String(), relation: Type.String() }), recordedBy: Type.String(), at: Type.String(), withdrawnAt: Nullable(Type.String()), withdrawnBy: Nullable(Type.String()) }),
  matches: Type.Array(
    Type.Object({ kind: MatchKind, subjectId: Type.String(), person: Nullable(Type.Integer()), status: oneOf(['confirmed', 'rejected']), score: Nullable(Type.Number()), ...Stamp, reason: Nullable(Type.String()) }),
  ),
  contacts: Type.Array(Type.Object({ note: Type.String(), ...Stamp })),
  verifications: Type.Array(Type.Object({ method: Type.String(), outcome: Type.String(), note: Type.String(), ...Stamp })),
  assessments: Type.Array(Type.Object({ outcome: Type.String(), note: Type.String(), ...Stamp })),
  reunification: Nullable(Type.Object({ caseId: Nullable(Type.String()), on: Type.String(), note: Type.String(), ...Stamp })),
  notReunified: Nullable(Type.Object({ reason: Type.String(), ...Stamp })),
  closure: Nullable(Type.Object({ reason: Type.String(), ...Stamp, from: Type.String() })),
  access: oneOf(['work', 'supervise']),
  allowedActions: Type.Array(Type.String(), { description: 'the actions you may take now (POST …/actions {type})' }),
});

function tracingView(row: TracingRow, access: 'work' | 'supervise', actor: Actor | undefined) {
  const d = row.data;
  return {
    id: row.id,
    status: d.status,
    version: row.version,
    jurisdiction: d.jurisdiction,
    officeId: d.officeId,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
    workers: d.workers,
    caseId: d.caseId,
    requester: d.requester,
    sought: d.sought,
    soughtRange: d.soughtRange,
    consent: d.consent,
    matches: d.matches,
    contacts: d.contacts,
    verifications: d.verifications,
    assessments: d.assessments,
    reunification: d.reunification,
    notReunified: d.notReunified,
    closure: d.closure,
    access,
    allowedActions: tracingActionsFor(actor, row),
  };
}

const Person = Type.Object({
  person: Type.Integer(),
  role: Type.String(),
  surname: Type.Optional(Type.String()),
  givenName: Type.Optional(Type.String()),
  patronymic: Type.Optional(Type.String()),
  sex: Type.Optional(Type.String()),
  dateOfBirth: Type.Optional(Type.String()),
  bornFrom: Type.Optional(Type.String()),
  bornTo: Type.Optional(Type.String()),
  place: Type.Optional(Type.String()),
});

export const MatchView = Type.Object({
  kind: MatchKind,
  subjectId: Type.String({ description: 'the case, the other tracing request, or the birth record' }),
  jurisdiction: Type.String(),
  score: Type.Number({ description: 'Σ of the fields’ weights (log2 m/u)' }),
  band: oneOf(['likely', 'possible']),
  sought: Person,
  requester: Nullable(Person),
  fields: Type.Array(
    Type.Object({
      field: oneOf(tracingFields),
      level: Type.String({ description: 'exact, transliteration, phonetic, jw_high, jw_mid, different, near, within, same, district, region, same_text, missing' }),
      weight: Type.Number(),
      a: Nullable(Type.String({ description: 'the request’s value as written' })),
      b: Nullable(Type.String({ description: 'the candidate’s value as written' })),
      note: Type.Optional(Type.String({ description: 'days_apart:N' })),
    }),
  ),
  decision: Nullable(oneOf(['confirmed', 'rejected'])),
});

const Action = Type.Union([
  Type.Object({ type: oneOf(['ASSIGN', 'UNASSIGN']), userId: Type.String({ pattern: '^(user|client):[A-Za-z0-9._:-]{1,100}$' }), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('CONFIRM_MATCH'), kind: MatchKind, subjectId: Uuid, expectedVersion: Version }),
  Type.Object({ type: Type.Literal('REJECT_MATCH'), kind: MatchKind, subjectId: Uuid, reason: Text(1000), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('CONTACT'), note: Text(4000), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('VERIFY_RELATIONSHIP'), method: oneOf(verificationMethods), outcome: oneOf(verificationOutcomes), note: Text(4000), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('ASSESS_FAMILY'), outcome: oneOf(assessmentOutcomes), note: Text(4000), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('REUNIFY'), caseId: Type.Optional(Uuid), on: IsoDate, note: Text(4000), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('NOT_REUNIFIED'), reason: Text(2000), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('WITHDRAW_CONSENT'), reason: Type.Optional(Text(1000)), expectedVersion: Version }),
  Type.Object({ type: Type.Literal('CLOSE'), reason: Text(2000), expectedVersion: Version }),
]);

const ListItem = Type.Object({
  id: Type.String(),
  status: Type.String(),
  jurisdiction: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  sought: Nullable(Type.Object({ surname: Nullable(Type.String()), givenName: Nullable(Type.String()) }, { description: 'null for a supervisor who does not work on the request' })),
  requester: Nullable(Type.Object({ surname: Nullable(Type.String()), givenName: Nullable(Type.String()), relation: Type.String() })),
  confirmedMatches: Type.Integer(),
});

/** Family tracing: requests, their matches (explained field by field), and the steps to reunification. */
export function registerProtectionTracingRoutes(app: App, deps: ProtectionDeps): void {
  app.post(
    '/api/v1/protection/tracing',
    {
      config: { scope: 'protection.case.write' },
      schema: {
        tags,
        summary: 'Record a family tracing request (the family’s tracing consent is required)',
        body: Type.Object({
          requester: Requester,
          sought: Sought,
          consent: Type.Optional(TracingConsentGiven),
          caseId: Type.Optional(Uuid),
          jurisdiction: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
        }),
        response: { 201: TracingView },
      },
    },
    async (request, reply) => {
      const row = await createTracingRequest(deps, request.body, { actor: request.actor, idempotencyKey: idempotencyKey(request) });
      return reply.status(201).send(tracingView(row, 'work', request.actor));
    },
  );

  app.get(
    '/api/v1/protection/tracing',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'Tracing requests you work on (a supervisor: all of the jurisdiction, names only where you work on one), newest first',
        querystring: Type.Object({
          status: Type.Optional(oneOf(tracingStatuses)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(ListItem), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => listTracing(deps, request.actor, { ...request.query, limit: request.query.limit ?? 50 }, requestContext(request, deps)),
  );

  app.get(
    '/api/v1/protection/tracing/:id',
    {
      config: { scope: 'protection.case.read' },
      schema: { tags, summary: 'One tracing request (audited; 404 unless you need to know)', params: Id, response: { 200: TracingView } },
    },
    async (request) => {
      const { row, access } = await readTracing(deps, request.params.id, request.actor, requestContext(request, deps));
      return tracingView(row, access, request.actor);
    },
  );

  app.get(
    '/api/v1/protection/tracing/:id/matches',
    {
      config: { scope: 'protection.case.read' },
      schema: {
        tags,
        summary: 'Matches of a request among protection cases and tracing requests whose families consented, and birth records; best first, explained field by field (audited; 409 once consent is withdrawn)',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(MatchView) }) },
      },
    },
    async (request) => ({ items: await findMatches(deps, request.params.id, request.actor, requestContext(request, deps)) }),
  );

  app.post(
    '/api/v1/protection/tracing/:id/actions',
    {
      config: { scope: 'protection.case.write' },
      schema: { tags, summary: 'Act on a tracing request: review a match, contact, verify, assess, reunify, withdraw consent, close', params: Id, body: Action, response: { 200: TracingView } },
    },
    async (request) => {
      const { expectedVersion, ...action } = request.body;
      const row = await actOnTracing(deps, request.params.id, action as TracingAction, { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion });
      // Whoever acted works on or supervises the request (anyone else got a 404).
      return tracingView(row, tracingAccess(request.actor, row.data) === 'supervise' ? 'supervise' : 'work', request.actor);
    },
  );
}
