import { AppError } from '../errors.ts';
import type { Json } from './hashing.ts';

/** An action as stored: the unit of a record's history. */
export interface StoredAction {
  seq: number;
  recordId: string;
  recordSeq: number;
  type: string;
  actor: string;
  officeId: string | null;
  at: Date;
  reason: string | null;
  payload: Json;
  prevHash: string;
  hash: string;
}

/**
 * What a reducer sees of an action: everything but the global sequence number, which says when
 * the commit happened relative to other records and must not change a record's own state.
 */
export type ActionFacts = Omit<StoredAction, 'seq'>;

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

const definitions = new Map<string, RecordDefinition<Json>>();

/** Modules register their record types so that verify-log can replay any record's history. */
export function registerRecordType<S extends Json>(definition: RecordDefinition<S>): RecordDefinition<S> {
  definitions.set(definition.type, definition as unknown as RecordDefinition<Json>);
  return definition;
}

export function findRecordType(type: string): RecordDefinition<Json> | undefined {
  return definitions.get(type);
}
