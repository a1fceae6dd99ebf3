import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError } from '../errors.ts';
import type { ActionFacts, Json, StoredRecord } from './action.ts';

export type { ActionFacts, StoredAction } from './action.ts';

/** The columns of the records table a record type derives from its state, for lookups and scoping. */
export interface RecordKeys {
  jurisdiction: string;
  officeId?: string | null;
  ref?: string | null;
  number?: string | null;
  subjectId?: string | null;
}

/** Status key of the transition table for a record that does not exist yet. */
export const noRecord = '(new)';

/**
 * What a module declares about one record type. The reducer is pure: the state of a record is
 * the fold of its actions, and the stored projection is only a cache of that fold.
 */
export interface RecordDefinition<S extends Json> {
  type: string;
  /** Status → the action types allowed in it. `noRecord` lists the actions that create a record. */
  transitions: Readonly<Record<string, readonly string[]>>;
  /**
   * The schema of each action type's payload. The record store checks a payload against it before
   * the action is written, and refuses unknown properties at every level whatever the schema says,
   * so the history holds only what a schema allows. Every action type of the transitions needs one.
   */
  payloads: Readonly<Record<string, TSchema>>;
  /**
   * A record read only through its own module's use cases, which decide who needs to know (a child
   * protection case): the generic records routes answer as if it did not exist, whatever the reader's scopes.
   */
  confidential?: boolean;
  reduce(state: S | undefined, action: ActionFacts): S;
  status(state: S): string;
  keys(state: S): RecordKeys;
}

export function allowedActions(definition: RecordDefinition<Json>, status: string): readonly string[] {
  return definition.transitions[status] ?? [];
}

/** Throws action_not_allowed (listing what is allowed now) unless the status allows the action. */
export function assertAllowed<S extends Json>(
  definition: RecordDefinition<S>,
  status: string,
  action: string,
): void {
  const allowed = definition.transitions[status] ?? [];
  if (!allowed.includes(action)) {
    throw new AppError(
      'action_not_allowed',
      status === noRecord
        ? `${action} cannot create a ${definition.type} record`
        : `${action} is not allowed on a ${definition.type} record in status ${status}`,
      {
        currentStatus: status,
        action,
        allowed: [...allowed],
        hint: allowed.length ? `allowed now: ${allowed.join(', ')}` : undefined,
      },
    );
  }
}

export function fold<S extends Json>(
  definition: RecordDefinition<S>,
  actions: readonly ActionFacts[],
): S | undefined {
  let state: S | undefined;
  for (const action of actions) state = definition.reduce(state, action);
  return state;
}

/**
 * The stored row that a record's state and history make: the one derivation that every writer
 * uses and that verify-log compares, column by column, with what is stored.
 */
export function projectRecord<S extends Json>(
  definition: RecordDefinition<S>,
  state: S,
  history: { id: string; version: number; headHash: string; createdAt: Date; updatedAt: Date },
): StoredRecord<S> {
  const keys = definition.keys(state);
  return {
    id: history.id,
    type: definition.type,
    status: definition.status(state),
    version: history.version,
    jurisdiction: keys.jurisdiction,
    officeId: keys.officeId ?? null,
    ref: keys.ref ?? null,
    number: keys.number ?? null,
    subjectId: keys.subjectId ?? null,
    data: state,
    headHash: history.headHash,
    createdAt: history.createdAt,
    updatedAt: history.updatedAt,
  };
}

const schemaMaps = new Set(['properties', 'patternProperties', '$defs']);
const schemaValues = new Set(['items', 'additionalProperties', 'not', 'contains', 'anyOf', 'allOf', 'oneOf', 'prefixItems']);

/** A copy of a schema in which every object refuses properties it does not name (unless it says otherwise). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (schemaMaps.has(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, closed(s)]));
    } else out[key] = schemaValues.has(key) ? closed(value) : value;
  }
  if (out.type === 'object' && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

type Validator = ReturnType<typeof Compile>;
const validators = new WeakMap<RecordDefinition<Json>, Map<string, Validator>>();

function validatorFor(definition: RecordDefinition<Json>, actionType: string): Validator {
  let byType = validators.get(definition);
  if (!byType) {
    byType = new Map();
    validators.set(definition, byType);
  }
  let validator = byType.get(actionType);
  if (!validator) {
    const schema = definition.payloads[actionType];
    if (!schema) throw new AppError('internal', `${definition.type} has no payload schema for ${actionType}`);
    validator = Compile(closed(schema) as TSchema);
    byType.set(actionType, validator);
  }
  return validator;
}

/** "/child/names/0" → "child.names[0]" */
function fieldName(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** Throws validation_failed, naming the field, unless the payload matches its action type's schema. */
export function checkPayload<S extends Json>(definition: RecordDefinition<S>, actionType: string, payload: Json): void {
  const validator = validatorFor(definition as unknown as RecordDefinition<Json>, actionType);
  if (validator.Check(payload)) return;
  const error = validator.Errors(payload)[0];
  const field = fieldName(error?.instancePath ?? '');
  const problem = error?.keyword === 'boolean' ? 'is not a known property' : (error?.message ?? 'does not match its schema');
  throw new AppError('validation_failed', `${definition.type} ${actionType}: ${field || 'payload'} ${problem}`, {
    field: field || 'payload',
    hint: 'send only the properties the schema names, each of the stated type',
  });
}

const definitions = new Map<string, RecordDefinition<Json>>();

/**
 * Modules register their record types so that verify-log can replay any record's history. A type
 * whose action lacks a payload schema is refused here, at start-up, not at its first write.
 */
export function registerRecordType<S extends Json>(definition: RecordDefinition<S>): RecordDefinition<S> {
  const actionTypes = new Set(Object.values(definition.transitions).flat());
  const unschemed = [...actionTypes].filter((t) => !definition.payloads[t]);
  if (unschemed.length) {
    throw new AppError('internal', `record type ${definition.type} has no payload schema for ${unschemed.join(', ')}`);
  }
  definitions.set(definition.type, definition as unknown as RecordDefinition<Json>);
  return definition;
}

export function findRecordType(type: string): RecordDefinition<Json> | undefined {
  return definitions.get(type);
}
