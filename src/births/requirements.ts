import { isIsoDate } from '../core/dates.ts';
import { legalPaths, type LegalPath } from './declaration.ts';
import { type BirthRules, type Names, type Timeliness, timelinessOf } from './rules.ts';

/**
 * What a declaration must bring, as the pack says, for a form that lists the documents still
 * missing while the declarant answers: per legal path and per late/delayed timeliness, lists of
 * document types of which one is needed, and what each type is called. Pure: the rules and today.
 */
export interface BirthRequirements {
  paths: Record<LegalPath, string[][]>;
  timeliness: { late: string[][]; delayed: string[][] };
  /** Timeliness categories whose registration needs a registrar's recorded approval first. */
  approvalNeeded: Timeliness[];
  documentTypes: { type: string; name: Names }[];
  /** For the date of birth asked about: its timeliness if declared today (absent for a date not yet come). */
  dateOfBirth?: { date: string; timeliness: Timeliness };
}

export function birthRequirements(rules: BirthRules, today: string, dateOfBirth?: string): BirthRequirements {
  const requirements: BirthRequirements = {
    paths: Object.fromEntries(legalPaths.map((path) => [path, rules.evidence[path]])) as Record<LegalPath, string[][]>,
    timeliness: rules.timelinessEvidence,
    approvalNeeded: rules.approvalNeeded,
    documentTypes: rules.documentTypes.map((type) => ({ type, name: rules.documentNames[type]! })),
  };
  if (dateOfBirth !== undefined && isIsoDate(dateOfBirth) && dateOfBirth <= today) {
    requirements.dateOfBirth = { date: dateOfBirth, timeliness: timelinessOf(dateOfBirth, today, rules) };
  }
  return requirements;
}
