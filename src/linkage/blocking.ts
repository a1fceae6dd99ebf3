import { addDays } from '../core/dates.ts';
import type { LinkageSubject, NameForms, PersonForms } from './subject.ts';

/**
 * Blocking: which stored births a new one is compared with. Each pass is one indexed lookup, and a
 * duplicate needs to agree with the new birth on one pass only, so an error in one fact (a typo in a
 * name, a shifted date, a missing IIN) still leaves another pass to find it:
 *   mother's IIN · child's IIN · mother's names + the child's birth month · child's names + date of
 *   birth ± days · child's given name + date of birth ± days · facility + date of birth.
 */
export interface BlockingKeys {
  childIin: string | null;
  motherIin: string | null;
  fatherIin: string | null;
  /** The surname's and given name's primary phonetic keys, sorted and joined: swapped names give the same key. */
  childKey: string | null;
  childGivenKey: string | null;
  motherKey: string | null;
  facilityId: string | null;
}

const primary = (name: NameForms | undefined): string | null => name?.phonetic[0] ?? null;

function personKey(person: PersonForms | undefined): string | null {
  const keys = [primary(person?.surname), primary(person?.givenName)].filter((k): k is string => k !== null);
  return keys.length ? keys.sort().join('|') : null;
}

/** An IIN worth looking up: twelve digits, as written (a mistyped one is compared as it stands). */
function iin(value: string | undefined): string | null {
  const digits = value?.replace(/\s/g, '');
  return digits && /^\d{12}$/.test(digits) ? digits : null;
}

export function blockingKeys(subject: LinkageSubject): BlockingKeys {
  return {
    childIin: iin(subject.child.iin),
    motherIin: iin(subject.mother?.iin),
    fatherIin: iin(subject.father?.iin),
    childKey: personKey(subject.child),
    childGivenKey: primary(subject.child.givenName),
    motherKey: personKey(subject.mother),
    facilityId: subject.facilityId ?? null,
  };
}

export interface DateWindows {
  /** The birth month, widened by the window on each side (a date typed a few days off may cross a month). */
  month: { from: string; to: string };
  /** The date of birth ± the window. */
  near: { from: string; to: string };
}

export function dateWindows(dateOfBirth: string, windowDays: number): DateWindows {
  const first = `${dateOfBirth.slice(0, 7)}-01`;
  const [year, month] = [Number(dateOfBirth.slice(0, 4)), Number(dateOfBirth.slice(5, 7))];
  const last = addDays(month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`, -1);
  return {
    month: { from: addDays(first, -windowDays), to: addDays(last, windowDays) },
    near: { from: addDays(dateOfBirth, -windowDays), to: addDays(dateOfBirth, windowDays) },
  };
}
