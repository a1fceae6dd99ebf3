import { Type } from 'typebox';
import { decideDuplicate, listDuplicatePairs, reviewPair } from '../../births/duplicates.ts';
import type { BirthDeps } from '../../births/workflow.ts';
import { IsoDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Pair } from '../../linkage/pairs.ts';
import { searchBirths } from '../../linkage/search.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { Id } from './births-common.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Facts = Type.Unknown({ description: 'what linkage compares: child, mother, father (names as written, dates, IINs), facility, place' });

const PairView = Type.Object({
  id: Type.String(),
  recordA: Type.String({ description: 'the earlier record' }),
  recordB: Type.String({ description: 'the record suspected of repeating it' }),
  score: Type.Number({ description: 'Σ log2(m/u) over the compared fields' }),
  band: Type.String({ description: 'match (at or above the auto-flag threshold) or possible' }),
  source: Type.String({ description: 'declaration, registration or audit' }),
  status: Type.String({ description: 'open, duplicate, not_duplicate or closed' }),
  foundAt: Type.String(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});

const RecordView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  number: Nullable(Type.String()),
  iin: Nullable(Type.String()),
  legacyRef: Nullable(Type.String()),
  jurisdiction: Type.String(),
  officeId: Nullable(Type.String()),
  createdAt: Type.String(),
  facts: Facts,
});

const FieldView = Type.Object({
  field: Type.String(),
  level: Type.String(),
  weight: Type.Number(),
  a: Nullable(Type.String()),
  b: Nullable(Type.String()),
  note: Type.Optional(Type.String()),
});
const ComparisonView = Type.Object({ score: Type.Number(), band: Type.String(), fields: Type.Array(FieldView) });

const SearchHitView = Type.Object({
  recordId: Type.String(),
  status: Type.String(),
  number: Nullable(Type.String()),
  iin: Nullable(Type.String()),
  jurisdiction: Type.String(),
  officeId: Nullable(Type.String()),
  child: Facts,
  mother: Facts,
  father: Facts,
  score: Nullable(Type.Number()),
  matchedBy: Type.String(),
});

const Words = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 200, description }));
const Iin = (description: string) => Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description }));
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 }));
const Cursor = Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' }));

const pairView = (p: Pair) => ({ ...p, foundAt: p.foundAt.toISOString(), decidedAt: p.decidedAt?.toISOString() ?? null });

function pairCursor(cursor: string | undefined): { score: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const [score, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || !Number.isFinite(Number(score)) || score === '') {
    throw new AppError('validation_failed', 'the cursor is not one this list gave', { field: 'cursor', hint: 'start again without a cursor' });
  }
  return { score: Number(score), id };
}

/** Search over births, and the duplicate review: the queue, both records side by side, the decision. */
export function registerLinkageRoutes(app: App, deps: BirthDeps): void {
  app.get(
    '/api/v1/search',
    {
      config: { scope: 'record.read' },
      schema: {
        tags: ['search'],
        summary: 'Find births by IIN, act number or names in any script (Kazakh, Russian, Latin), with filters; jurisdiction-scoped, cursor-paginated, audited',
        description:
          '`q` takes a 12-digit IIN (the child’s, exact), an act number (exact) or names: each word is matched through its transliteration and phonetic key, so Нұрсұлтанова, Нурсултанова and Nursultanova find the same records; results are ranked by the model’s weights. `mother` and `father` match only that parent’s names.',
        querystring: Type.Object({
          q: Words('an IIN, an act number, or names'),
          mother: Words('the mother’s names'),
          father: Words('the father’s names'),
          motherIin: Iin('the mother’s IIN'),
          fatherIin: Iin('the father’s IIN'),
          dobFrom: Type.Optional(IsoDate),
          dobTo: Type.Optional(IsoDate),
          sex: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female')])),
          place: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'a KATO place: births registered there or under it' })),
          status: Type.Optional(Type.String({ pattern: '^[A-Z_]{3,30}$' })),
          office: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Limit,
          cursor: Cursor,
        }),
        response: { 200: Type.Object({ items: Type.Array(SearchHitView), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => searchBirths(deps.db, deps.linkage, request.actor, { ...request.query, limit: request.query.limit ?? 20 }, requestContext(request, deps)),
  );

  app.get(
    '/api/v1/duplicates',
    {
      config: { scope: 'birth.register' },
      schema: {
        tags: ['duplicates'],
        summary: 'Suspected duplicates waiting for a decision: pairs whose two records are both inside your jurisdiction, strongest first',
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('duplicate'), Type.Literal('not_duplicate'), Type.Literal('closed')], { default: 'open' })),
          record: Type.Optional(Type.String({ maxLength: 64, description: 'only the open pairs of this record' })),
          limit: Limit,
          cursor: Cursor,
        }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ pair: PairView, a: RecordView, b: RecordView })), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 20;
      const items = await listDuplicatePairs(deps, request.actor, { status: request.query.status ?? 'open', record: request.query.record, limit, after: pairCursor(request.query.cursor) });
      const last = items.at(-1)?.pair;
      return { items: items.map((i) => ({ ...i, pair: pairView(i.pair) })), nextCursor: items.length === limit && last && !request.query.record ? Buffer.from(`${last.score}|${last.id}`).toString('base64url') : null };
    },
  );

  app.get(
    '/api/v1/duplicates/:id',
    {
      config: { scope: 'birth.register' },
      schema: {
        tags: ['duplicates'],
        summary: 'A suspected pair: both records side by side and the field-by-field comparison (each record read is audited)',
        params: Id,
        response: { 200: Type.Object({ pair: PairView, a: RecordView, b: RecordView, comparison: Nullable(ComparisonView) }) },
      },
    },
    async (request) => {
      const review = await reviewPair(deps, request.params.id, request.actor, requestContext(request, deps));
      return { ...review, pair: pairView(review.pair) };
    },
  );

  app.post(
    '/api/v1/duplicates/:id/decision',
    {
      config: { scope: 'birth.register' },
      schema: {
        tags: ['duplicates'],
        summary: 'Decide a suspected pair: not_duplicate (both records go on; never suspected again) or duplicate (the one not kept is archived, or revoked when registered)',
        params: Id,
        body: Type.Object({
          decision: Type.Union([Type.Literal('duplicate'), Type.Literal('not_duplicate')]),
          keep: Type.Optional(Type.String({ maxLength: 64, description: 'with duplicate: the record to keep (default: the registered one, else the earlier)' })),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
        }),
        response: { 200: PairView },
      },
    },
    async (request) => pairView(await decideDuplicate(deps, request.params.id, request.body, { actor: request.actor })),
  );
}
