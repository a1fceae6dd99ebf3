import type { FlagCode, ProtectionSettings, RiskLevel } from './settings.ts';
import { riskLevels } from './settings.ts';

/**
 * Screening at registration: which protection flags a birth's facts raise. Pure: the births module
 * hands over the facts (ScreeningFacts) at each stage, and the pack says what each flag's risk is.
 * "Recognise, record, refer": a flag never delays the child's registration.
 */
export type ScreeningStage = 'notification' | 'declaration' | 'registration' | 'correction' | 'overdue';

export interface ScreenedParent {
  /** The pack's legal status (citizen, permanent_resident, temporary_resident, refugee_or_asylum_seeker, stateless, undocumented, unknown). */
  legalStatus?: string;
  /** Holds an identity document (a type and number were given). */
  hasDocument: boolean;
  /** The identity is as stated by the person, not proven by a document. */
  identityDeclared?: boolean;
  dateOfBirth?: string;
  /** The stated age, when the date of birth is not known. */
  age?: number;
}

export interface ScreeningFacts {
  recordId: string;
  /** KATO code of the child's jurisdiction (the birth record's). */
  jurisdiction: string;
  stage: ScreeningStage;
  /** The local date of the stage (today where the registry is). */
  on: string;
  child: { dateOfBirth: string; sex?: 'male' | 'female' };
  /** The declaration's legal path, once declared. */
  path?: string;
  /** The citizenship at birth worked out at registration or correction. */
  citizenship?: 'citizen' | 'not_citizen' | 'undetermined';
  mother?: ScreenedParent;
  father?: ScreenedParent;
  parentage?: string;
}

export interface Flag {
  code: FlagCode;
  risk: RiskLevel;
}

/** Statuses that give a foreigner no right to reside. */
const withoutResidence = new Set(['refugee_or_asylum_seeker', 'stateless', 'undocumented', 'unknown']);

function ageAtBirth(parent: ScreenedParent, childBorn: string): number | undefined {
  if (parent.dateOfBirth) {
    const [y1, m1, d1] = parent.dateOfBirth.split('-').map(Number) as [number, number, number];
    const [y2, m2, d2] = childBorn.split('-').map(Number) as [number, number, number];
    return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
  }
  return parent.age;
}

function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const rules: Record<FlagCode, (f: ScreeningFacts, s: ProtectionSettings) => boolean> = {
  statelessness_risk: (f) => f.citizenship === 'undetermined',
  foundling: (f) => f.path === 'foundling',
  young_mother: (f, s) => {
    const age = f.mother && ageAtBirth(f.mother, f.child.dateOfBirth);
    return age !== undefined && age < s.screening.motherMinAge;
  },
  mother_undocumented: (f) =>
    f.path === 'mother_without_documents' || f.mother?.legalStatus === 'undocumented' || (f.mother !== undefined && f.mother.identityDeclared === true && !f.mother.hasDocument),
  foreign_parents_no_residence: (f) => {
    const parents = [f.mother, f.father].filter((p): p is ScreenedParent => p !== undefined);
    return parents.length > 0 && parents.every((p) => p.legalStatus !== undefined && withoutResidence.has(p.legalStatus));
  },
  no_parent_established: (f) =>
    (f.stage === 'registration' || f.stage === 'correction') && !f.mother && (!f.father || f.parentage === 'not_established'),
  delayed_registration: (f, s) => (f.stage === 'declaration' || f.stage === 'registration') && daysFrom(f.child.dateOfBirth, f.on) > s.screening.lateAfterDays,
  notified_not_declared: (f) => f.stage === 'overdue',
};

/** The flags the facts raise, highest risk first (then in the pack's order). */
export function screen(facts: ScreeningFacts, settings: ProtectionSettings): Flag[] {
  const flags: Flag[] = [];
  for (const code of Object.keys(rules) as FlagCode[]) {
    if (rules[code](facts, settings)) flags.push({ code, risk: settings.screening.flags[code].risk });
  }
  return flags.sort((a, b) => riskRank(b.risk) - riskRank(a.risk));
}

export function riskRank(risk: RiskLevel): number {
  return riskLevels.indexOf(risk);
}

/** The highest of the risks (low for none). */
export function highestRisk(risks: readonly RiskLevel[]): RiskLevel {
  return risks.reduce<RiskLevel>((top, r) => (riskRank(r) > riskRank(top) ? r : top), 'low');
}

/** When first contact is due for a referral of this risk made at `at`. */
export function deadlineOf(at: Date, risk: RiskLevel, settings: ProtectionSettings): Date {
  return new Date(at.getTime() + settings.deadlineHours[risk] * 3_600_000);
}
