import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyRequest, FastifySchema, FastifySchemaCompiler } from 'fastify';
import { AppError } from '../core/errors.ts';

/**
 * What every request goes through before a route sees it, whatever the route's own schema says:
 * JSON no deeper than `maxJsonDepth`, no NUL or lone surrogate in any string or key, no number
 * JSON can write but JavaScript cannot hold (1e400), no unknown properties, no type coercion of
 * bodies. One place, so a route cannot forget it and a stored value can never break a reader.
 */
export const maxJsonDepth = 64;

// eslint-disable-next-line no-control-regex -- finding NUL is the point
const invalidText = /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function refuse(field: string, message: string, hint: string): AppError {
  return new AppError('validation_failed', `${field} ${message}`, { field, hint });
}

/** Refuses text a person could not have typed: NUL and lone UTF-16 surrogates. */
export function checkText(value: string, field: string): void {
  if (invalidText.test(value)) {
    throw refuse(field, 'contains a NUL character or broken Unicode', 'send the text as UTF-8 without control characters');
  }
}

/** Counts nesting in the raw text (outside strings) so a deep document is refused before parsing. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Walks a parsed body iteratively (no recursion: depth is bounded, but the walk never needs the stack). */
export function checkJsonValue(root: unknown, rootField: string): void {
  const pending: [unknown, string][] = [[root, rootField]];
  while (pending.length > 0) {
    const [value, field] = pending.pop()!;
    if (typeof value === 'string') checkText(value, field);
    else if (typeof value === 'number' && !Number.isFinite(value)) {
      throw refuse(field, 'is a number too large to hold', 'send a number within the range the field names');
    } else if (Array.isArray(value)) value.forEach((item, index) => pending.push([item, `${field}[${index}]`]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        checkText(key, `${field}.${key.slice(0, 40)}`);
        // An own "__proto__" survives JSON.parse and would replace a prototype in Object.assign.
        if (key === '__proto__') throw refuse(`${field}.__proto__`, 'is not an accepted property name', 'remove the property');
        pending.push([item, `${field}.${key}`]);
      }
    }
  }
}

/**
 * The checks of the query string and URL parameters, which arrive as text: before validation for
 * the text, and again after it, because coercion turns "Infinity" and "1e400" into numbers.
 */
export function checkUrlParts(request: FastifyRequest): void {
  for (const [part, values] of [
    ['querystring', request.query],
    ['params', request.params],
  ] as const) {
    if (!values || typeof values !== 'object') continue;
    for (const [key, value] of Object.entries(values)) {
      checkText(key, part);
      for (const item of [value].flat()) {
        if (typeof item === 'string') checkText(item, `${part}.${key}`);
        else if (typeof item === 'number' && !Number.isFinite(item)) {
          throw refuse(`${part}.${key}`, 'must be a finite number', 'send digits, e.g. 50');
        }
      }
    }
  }
}

/** JSON and FHIR JSON bodies: refused when too deep before parsing, then every value checked. */
export function parseJsonBody(text: string): unknown {
  if (jsonDepth(text) > maxJsonDepth) {
    throw refuse('body', `is nested deeper than ${maxJsonDepth} levels`, 'send a flatter document');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refuse('body', 'is not valid JSON', 'send a JSON document');
  }
  checkJsonValue(value, 'body');
  return value;
}

/** An OAuth form (application/x-www-form-urlencoded), held to the same text checks as JSON. */
export function parseFormBody(text: string): Record<string, string> {
  const value = Object.fromEntries(new URLSearchParams(text));
  checkJsonValue(value, 'body');
  return value;
}

/** The parsers of the bodies the API takes as data; a thrown AppError becomes a 400 naming the field. */
export function registerBodyParsers(app: FastifyInstance, limits: { formBytes: number }): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'application/fhir+json'], { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: limits.formBytes }, (_request, body, done) => {
    try {
      done(null, parseFormBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/**
 * Every object in a request schema refuses properties it does not name, unless it says otherwise
 * (a map with patternProperties), and every integer is one JavaScript holds exactly (a larger one
 * would reach PostgreSQL as another number, or overflow a bigint). Applied to the route's own
 * schema object, so the OpenAPI document shows what the validator does.
 */
export function tightenSchema(schema: unknown): void {
  const pending: unknown[] = [schema];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const s = node as Record<string, unknown>;
    if (s.type === 'object' && !('additionalProperties' in s) && !('patternProperties' in s)) s.additionalProperties = false;
    if (s.type === 'integer') {
      s.minimum ??= Number.MIN_SAFE_INTEGER;
      s.maximum ??= Number.MAX_SAFE_INTEGER;
    }
    for (const value of Object.values(s)) if (value && typeof value === 'object') pending.push(value);
  }
}

const common: Options = { strictNumbers: true, useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false };

/**
 * Bodies are JSON and keep their types: "5" is not a number and "true" is not a boolean. Query
 * strings and URL parameters are text by nature, so only they are coerced to the schema's types.
 */
export function validatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const body = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
  const url = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : url).compile(schema as object);
}
