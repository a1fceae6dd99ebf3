import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoles } from '../../src/access/roles.ts';
import { createSession } from '../../src/access/sessions.ts';
import { createUser } from '../../src/access/users.ts';
import { loadPack } from '../../src/places/pack.ts';
import { loadPackIntoDb } from '../../src/places/store.ts';
import { generateSigningKey } from '../../src/certificates/keys.ts';
import { openTestApp, type TestApp, testSigningPassphrase } from '../support/app.ts';
import { birthDeps, makeBirth } from '../support/births.ts';

/**
 * The API fuzz suite: for every route in the OpenAPI document, bodies, query strings and path
 * parameters generated from the route's own schemas, then broken (wrong types, unknown and missing
 * properties, NUL, lone surrogates, impossible dates, numbers out of range, deep nesting). Whatever
 * is sent, the answer is never a 5xx, and a refused request writes nothing. The caller holds every
 * role in the whole country, so requests get past the policy to the parts under test.
 * FUZZ_RUNS sets the runs per route (default 15; CI uses the default).
 */
const runs = Number(process.env.FUZZ_RUNS ?? 15);

type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};

interface Operation {
  method: string;
  path: string;
  body?: Schema;
  bodyType?: string;
  query: { name: string; schema: Schema; required: boolean }[];
  params: string[];
}

/** Values that match a schema (most of the time: patterns and formats are honoured where simple). */
function valid(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((s) => valid(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, s] of Object.entries(schema.properties ?? {})) model[key] = valid(s, depth + 1);
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(valid(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
      if (schema.format === 'date') return fc.date({ min: new Date('1990-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'date-time') return fc.date({ min: new Date('1990-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.pattern) return matching(schema.pattern, schema.maxLength ?? 1000);
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Strings matching a pattern; for a pattern fast-check cannot generate from, strings checked against it. */
function matching(pattern: string, maxLength: number): fc.Arbitrary<string> {
  const regexp = new RegExp(pattern, 'u');
  try {
    return fc.stringMatching(regexp).filter((s) => s.length <= maxLength);
  } catch {
    return fc.oneof(fc.string({ maxLength: Math.min(maxLength, 40) }), fc.constantFrom('Айгерім', 'Ахметова', 'Seitkali')).filter((s) => regexp.test(s));
  }
}

/** Raw JSON text that JSON.stringify cannot write. */
const rawNumbers: Record<string, string> = { __huge__: '1e400', __bigint__: '9223372036854775808', __negzero__: '-0' };

const nasty: unknown[] = [
  'a\u0000b',
  '\ud800',
  'x'.repeat(20_000),
  '2023-02-30',
  '0000-00-00',
  '9999-12-31',
  '2026-01-01T23:59:60Z',
  '',
  ' ',
  -1,
  1.5,
  0,
  true,
  null,
  [],
  {},
  [[[[[]]]]],
  { zz: 1 },
  ...Object.keys(rawNumbers),
];

type Path = (string | number)[];

function leaves(value: unknown): Path[] {
  const paths: Path[] = [];
  const pending: [unknown, Path][] = [[value, []]];
  while (pending.length) {
    const [v, path] = pending.pop()!;
    paths.push(path);
    if (Array.isArray(v)) v.forEach((item, i) => pending.push([item, [...path, i]]));
    else if (v && typeof v === 'object') for (const [k, item] of Object.entries(v)) pending.push([item, [...path, k]]);
  }
  return paths;
}

function replaceAt(value: unknown, path: Path, replacement: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replacement(value);
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  node[last] = replacement(node[last]);
  return copy;
}

/** A valid value broken in one place. */
function broken(schema: Schema | undefined): fc.Arbitrary<string> {
  return breakValue(valid(schema));
}

function breakValue(values: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc
    .tuple(values, fc.nat(), fc.constantFrom(...nasty), fc.constantFrom('replace', 'unknown', 'drop', 'deep', 'text'))
    .map(([value, pick, bad, how]) => {
      const paths = leaves(value);
      const path = paths[pick % paths.length]!;
      let result: unknown;
      if (how === 'replace') result = replaceAt(value, path, () => bad);
      else if (how === 'unknown') result = replaceAt(value, path, (old) => (old && typeof old === 'object' && !Array.isArray(old) ? { ...old, zz_unknown: bad } : bad));
      else if (how === 'drop') result = replaceAt(value, path.slice(0, -1), (old) => {
        if (!old || typeof old !== 'object' || Array.isArray(old)) return old;
        const { [String(path.at(-1))]: _dropped, ...rest } = old as Record<string, unknown>;
        return rest;
      });
      else if (how === 'deep') return `${'['.repeat(200 + (pick % 3000))}${']'.repeat(200 + (pick % 3000))}`;
      else return typeof bad === 'string' ? bad : '{"a":';
      let text = JSON.stringify(result) ?? 'null';
      for (const [marker, raw] of Object.entries(rawNumbers)) text = text.replaceAll(`"${marker}"`, raw);
      return text;
    });
}

const badQueryValues = ['%00', '%ED%A0%80', 'Infinity', '-1', '1e400', '9223372036854775808', '', 'x'.repeat(300), '2026-02-30T23:59:60Z', '0000-00-00', 'true'];

let t: TestApp;
let userId: string;
let recordId: string;
let operations: Operation[];
const ctx = () => ({ clock: t.clock, clientAddress: null, requestId: null });
const counted = ['records', 'record_actions', 'documents', 'events', 'jobs', 'users', 'api_clients', 'iins', 'idempotency_keys'];

async function counts(): Promise<string> {
  const parts = counted.map((table) => `(SELECT count(*) FROM ${table})::text`);
  const { rows } = await t.db.query<{ c: string }>(`SELECT concat_ws(',', ${parts.join(', ')}) AS c`);
  return rows[0]!.c;
}

beforeAll(async () => {
  t = await openTestApp();
  await loadPackIntoDb(t.db, loadPack('kz'));
  const roles = loadRoles('kz');
  const user = await t.db.transaction((tx) =>
    createUser(tx, roles, { username: 'fuzz.everything', displayName: 'F', jurisdiction: null, officeId: 'kz-rgo-71-01', roles: [...roles.keys()], password: 'fuzz test password one', mustChangePassword: false }, ctx()),
  );
  userId = user.id;
  recordId = await makeBirth(birthDeps(t.db, t.clock), 'kz-hf-71-001');
  await generateSigningKey(t.db, t.clock, { passphrase: testSigningPassphrase });
  await t.app.ready();
  const doc = t.app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: Schema; required?: boolean }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>> };
  operations = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = Object.entries(op.requestBody?.content ?? {})[0];
      operations.push({
        method: method.toUpperCase(),
        path,
        body: content?.[1].schema,
        bodyType: content?.[0],
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: p.required ?? false })),
        params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      });
    }
  }
});
afterAll(() => t.close());

describe('the API fuzz suite', () => {
  it('finds the routes of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it('never answers 5xx and never writes on a refused request, whatever the body, query or path', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const idValues = [recordId, '01900000-0000-7000-8000-000000000000', 'not-a-uuid', '9223372036854775808', '%00', '%ED%A0%80', 'x'.repeat(64), '710000000'];
      const query = fc.array(
        fc.tuple(fc.constantFrom(...(op.query.length ? op.query : [{ name: 'zz', schema: {}, required: false }])), fc.oneof(fc.constantFrom(...badQueryValues), fc.string({ maxLength: 12 }))),
        { maxLength: 3 },
      );
      const body = op.bodyType === 'application/json' ? fc.oneof(valid(op.body).map((v) => JSON.stringify(v)), broken(op.body), broken(op.body)) : fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1'));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...idValues), query, body, fc.boolean(), async (id, queryPairs, payload, withKey) => {
          const url = op.path.replace(/\{[^}]+\}/g, id) + (queryPairs.length ? `?${queryPairs.map(([p, v]) => `${p.name}=${v.startsWith('%') ? v : encodeURIComponent(v)}`).join('&')}` : '');
          const session = await t.db.transaction((tx) => createSession(tx, userId, 'active', ctx()));
          const before = await counts();
          const res = await t.app.inject({
            method: op.method as 'POST',
            url,
            payload: op.method === 'GET' ? undefined : payload,
            headers: {
              cookie: `tirkeu_session=${session.token}`,
              'x-csrf-token': session.csrfToken,
              ...(op.method === 'GET' ? {} : { 'content-type': op.bodyType ?? 'application/json' }),
              ...(withKey ? { 'idempotency-key': `fuzz-${id.length}-${payload.length}` } : {}),
            },
          });
          if (res.statusCode >= 500) failures.push(`${op.method} ${url.slice(0, 120)} ${payload.slice(0, 160)} → ${res.statusCode}`);
          else if (res.statusCode >= 400 && (await counts()) !== before) failures.push(`${op.method} ${url.slice(0, 120)} ${payload.slice(0, 160)} → ${res.statusCode} but wrote`);
        }),
        { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 20261126) },
      );
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('never answers 5xx to a published FHIR birth bundle broken in one place, and keeps nothing it refused', async () => {
    const bundles = ['BirthRecordBabyGQuinn.json', 'BasicBirthRecord2.json', 'BirthRecordSubmissionMessage.json'].map((file) =>
      JSON.parse(fs.readFileSync(new URL(`../../../shared/interop/hl7-bfdr/${file}`, import.meta.url), 'utf8')),
    );
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(breakValue(fc.constantFrom(...bundles)), async (payload) => {
        const session = await t.db.transaction((tx) => createSession(tx, userId, 'active', ctx()));
        const before = await counts();
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/births/notifications?facilityId=kz-hf-71-001',
          payload,
          headers: { cookie: `tirkeu_session=${session.token}`, 'x-csrf-token': session.csrfToken, 'content-type': 'application/fhir+json' },
        });
        if (res.statusCode >= 500) failures.push(`${payload.slice(0, 200)} → ${res.statusCode}`);
        else if (res.statusCode >= 400 && (await counts()) !== before) failures.push(`${payload.slice(0, 200)} → ${res.statusCode} but wrote`);
      }),
      { numRuns: runs * 10, seed: Number(process.env.FUZZ_SEED ?? 20261126) },
    );
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
