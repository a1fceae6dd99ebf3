import type { Tx } from '../core/db/types.ts';
import { referBirth, type Referral } from '../protection/referrals.ts';
import type { ScreenedParent, ScreeningFacts, ScreeningStage } from '../protection/screening.ts';
import type { Parent } from './declaration.ts';
import { type BirthDeps, type BirthRow, localDate } from './workflow.ts';

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
    child: { dateOfBirth: child.dateOfBirth },
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
