import fs from 'node:fs';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AppError } from '../core/errors.ts';
import { normalisePassword } from './passwords.ts';

/**
 * NIST SP 800-63B: length matters, composition rules do not. A new password is refused if it is
 * too short or too long, appears in a list of passwords common in breaches (49,233 entries from the
 * zxcvbn-ts project, MIT; see common-passwords.NOTICE), contains the username, is one character or
 * a simple sequence repeated, is easy to guess by zxcvbn's estimate (score below 3 of 4: about 10^8
 * guesses or fewer), or is little more than words an attacker would try first here: the username,
 * the person's name, "tirkeu", the pack's region names.
 */
export type PasswordRule = 'too_short' | 'too_long' | 'common' | 'contains_username' | 'repetitive' | 'guessable' | 'context';

export const minimumStrength = 3;

/** Who the password is for: its context words, and the name of the field it came in. */
export interface PasswordContext {
  username: string;
  displayName: string;
  /** Place names of the country pack (the regions suffice). */
  placeNames: readonly string[];
  field: 'password' | 'newPassword';
  minLength?: number;
}

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  return common;
}

let estimator: Promise<ZxcvbnFactory> | undefined;

/** zxcvbn's dictionaries are megabytes: loaded on the first password set, once per process. */
function strengthEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory: Factory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new Factory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return estimator;
}

function refuse(field: string, rule: PasswordRule, message: string, hint: string): never {
  throw new AppError('validation_failed', `${field}: ${message}`, { field, rule, hint });
}

function repetitive(password: string): boolean {
  const chars = [...password.toLowerCase()];
  if (new Set(chars).size <= 2) return true;
  const codes = chars.map((c) => c.codePointAt(0)!);
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!));
  return steps.size === 1 && [1, -1, 0].includes([...steps][0]!);
}

/** Generic words of place names that say nothing about a place ("Abai Region", "Абай облысы"). */
const genericPlaceWords = new Set(['region', 'city', 'облысы', 'область', 'қаласы', 'город']);

/** The words an attacker who knows who you are and where you work would try first, lower-case. */
export function contextWords(context: Pick<PasswordContext, 'username' | 'displayName' | 'placeNames'>): string[] {
  const words = [context.username, ...context.username.split(/[._-]+/), ...context.displayName.split(/[\s.,'-]+/), 'tirkeu'];
  for (const name of context.placeNames) words.push(...name.split(/[\s-]+/).filter((w) => !genericPlaceWords.has(w.toLowerCase())));
  return [...new Set(words.map((w) => w.normalize('NFKC').toLowerCase()).filter((w) => [...w].length >= 4))];
}

const strongHint = 'choose a phrase of four or more words that are not about you, this registry or a place: e.g. three unrelated words and a number';

/** Throws validation_failed naming `context.field` and the rule broken. */
export async function checkPassword(password: string, context: PasswordContext): Promise<void> {
  const { field } = context;
  const minLength = context.minLength ?? 12;
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < minLength) refuse(field, 'too_short', `a password needs at least ${minLength} characters`, 'a phrase of several words is long and easy to remember');
  if (length > 128) refuse(field, 'too_long', 'a password is at most 128 characters', 'choose a shorter phrase');
  const lower = normalised.toLowerCase();
  if (commonPasswords().has(lower)) refuse(field, 'common', 'this password is in lists of passwords known to attackers', strongHint);
  if (context.username.length >= 3 && lower.includes(context.username.toLowerCase())) {
    refuse(field, 'contains_username', 'a password must not contain the username', strongHint);
  }
  if (repetitive(normalised)) refuse(field, 'repetitive', 'a password must not be one character or a simple sequence repeated', strongHint);

  const zxcvbn = await strengthEstimator();
  const words = contextWords(context);
  const estimate = await zxcvbn.checkAsync(normalised, words);
  if (estimate.score < minimumStrength) {
    const why = estimate.feedback.warning ? ` (${estimate.feedback.warning.replace(/\.$/, '').toLowerCase()})` : '';
    refuse(field, 'guessable', `this password is too easy to guess${why}`, strongHint);
  }
  // zxcvbn counts a known word as cheap but still adds up lengths; what is left once the context
  // words are taken out must be strong on its own.
  const found = words.filter((w) => lower.includes(w));
  if (found.length) {
    const rest = found.reduce((text, w) => text.replaceAll(w, ' '), lower);
    if ((await zxcvbn.checkAsync(rest, words)).score < minimumStrength) {
      refuse(field, 'context', 'this password is built on your name, the username, "tirkeu" or a place name', strongHint);
    }
  }
}
