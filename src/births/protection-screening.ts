import type { Tx } from '../core/db/types.ts';
import type { RequestContext } from '../access/audit.ts';
import type { Actor } from '../access/policy.ts';
import { referBirth, type Referral, referralsOfRecord } from '../protection/referrals.ts';
import type { Names } from '../protection/settings.ts';
import type { ScreenedParent, ScreeningFacts, ScreeningStage } from '../protection/screening.ts';
import type { Parent } from './declaration.ts';
import { type BirthDeps, type BirthRow, localDate, readBirth } from './workflow.ts';

/**
 * Screening at each stage of a birth: the births module hands protection the facts it screens
 * (protection never reads births' tables), in the transaction of the birth's action, so a
 * referral exists exactly when the action does. It never stops the birth's action.
 */
function screenedParent(parent: Partial<Parent> | undefined): ScreenedParent | undefined {
  if (!parent) return undefined;
  return {
    legalStatus: parent.legalStatus,
    hasDocument: parent.document !== undefined,
    identityDeclared: parent.identityDeclared,
    dateOfBirth: parent.dateOfBirth,
    age: parent.age,
  };
}

export function screeningFactsOf(record: BirthRow, stage: ScreeningStage, on: string): ScreeningFacts {
  const state = record.data;
  const declaration = state.declaration;
  const child = declaration?.child ?? state.notification!.child;
  return {
    recordId: record.id,
    jurisdiction: record.jurisdiction,
    stage,
    on,
    child: { dateOfBirth: child.dateOfBirth, ...(child.sex && { sex: child.sex }) },
    path: declaration?.path,
    citizenship: state.registration?.citizenship.result,
    mother: screenedParent(declaration ? declaration.mother : state.notification?.mother),
    father: screenedParent(declaration?.father),
    parentage: declaration?.parentage,
  };
}

/** Screens the birth at this stage and refers what is new; returns the referral made, if any. */
export async function screenBirth(tx: Tx, deps: BirthDeps, record: BirthRow, stage: ScreeningStage): Promise<Referral | undefined> {
  return referBirth(tx, deps.clock, deps.protection, screeningFactsOf(record, stage, localDate(deps.clock.now(), deps.timeZone)));
}

/** What the registrar sees of a referral on the birth record: the flags, named, and that protection was told. */
export interface ReferralNotice {
  referralId: string;
  flags: { code: string; risk: string; name: Names; reason: Names }[];
  risk: string;
  referredAt: string;
  dueAt: string;
  acknowledged: boolean;
}

/** A birth for a reader, with the protection referrals it raised (the read is audited by readBirth). */
export async function readBirthWithReferrals(deps: BirthDeps, id: string, actor: Actor | undefined, ctx: RequestContext): Promise<{ record: BirthRow; referrals: ReferralNotice[] }> {
  const record = await readBirth(deps, id, actor, ctx);
  const referrals = await referralsOfRecord(deps.db, record.id);
  return {
    record,
    referrals: referrals.map((r) => ({
      referralId: r.id,
      flags: r.flags.map((f) => ({ code: f.code, risk: f.risk, name: deps.protection.screening.flags[f.code].name, reason: deps.protection.screening.flags[f.code].reason })),
      risk: r.risk,
      referredAt: r.createdAt.toISOString(),
      dueAt: r.dueAt.toISOString(),
      acknowledged: r.status !== 'open',
    })),
  };
}
