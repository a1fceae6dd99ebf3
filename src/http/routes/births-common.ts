import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../access/policy.ts';
import { type BirthDeps, type BirthRow, birthActionsFor, warningsOf } from '../../births/workflow.ts';
import { AppError } from '../../core/errors.ts';

/** What the births route files share: the record as the API shows it, and the Idempotency-Key. */
export const tags = ['births'];
export const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'the version you last saw; 409 if it changed since' }));

/** The area a list of births is narrowed to, besides the reader's jurisdiction. */
export const Area = {
  within: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'only records inside this KATO place' })),
  office: Type.Optional(Type.String({ maxLength: 64, description: 'only records inside the area of this registry office' })),
};

const Names = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });

export const BirthView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  jurisdiction: Type.String(),
  number: Type.Union([Type.String(), Type.Null()]),
  iin: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown(),
  /** Parent facts kept unverified: the registrar confirms each (register's `confirm`) before registering. */
  warnings: Type.Array(Type.String()),
  /** What the caller may do with the record now (VALIDATE, REGISTER, …): the buttons that will work. */
  allowedActions: Type.Array(Type.String()),
  /** How many certificates have been issued (reprints and copies included). */
  certificateCount: Type.Integer(),
  /** The child-protection referrals the record raised (on a read): the flags, named, and that protection was told. */
  protection: Type.Optional(
    Type.Array(
      Type.Object({
        referralId: Type.String(),
        flags: Type.Array(Type.Object({ code: Type.String(), risk: Type.String(), name: Names, reason: Names })),
        risk: Type.String(),
        referredAt: Type.String(),
        dueAt: Type.String({ description: 'protection makes first contact by then' }),
        acknowledged: Type.Boolean({ description: 'a case worker opened a case for it' }),
      }),
    ),
  ),
});

export function view(deps: BirthDeps, actor: Actor | undefined, record: BirthRow) {
  return {
    id: record.id,
    status: record.status,
    version: record.version,
    jurisdiction: record.jurisdiction,
    number: record.number,
    iin: record.subjectId,
    data: record.data,
    warnings: warningsOf(record),
    allowedActions: birthActionsFor(deps, record, actor),
    certificateCount: record.data.certificates?.length ?? 0,
  };
}

/** The Idempotency-Key header: a client-made id of this submission, so a retry never writes twice. */
export function idempotencyKey(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 8–100 letters, digits or ._:-', { field: 'Idempotency-Key', hint: 'send a UUID' });
  }
  return key;
}
