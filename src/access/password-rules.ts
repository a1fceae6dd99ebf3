import fs from 'node:fs';
import { AppError } from '../core/errors.ts';
import { normalisePassword } from './passwords.ts';

/**
 * NIST SP 800-63B: length matters, composition rules do not. A password is refused if it is too
 * short or too long, appears in a list of passwords common in breaches (49,233 entries from the
 * zxcvbn-ts project, MIT; see common-passwords.NOTICE), contains the username, or is one
 * character or a simple sequence repeated.
 */
export type PasswordRule = 'too_short' | 'too_long' | 'common' | 'contains_username' | 'repetitive';

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

function refuse(rule: PasswordRule, message: string, hint: string): never {
  throw new AppError('validation_failed', message, { field: 'password', rule, hint });
}

function repetitive(password: string): boolean {
  const chars = [...password.toLowerCase()];
  if (new Set(chars).size <= 2) return true;
  const codes = chars.map((c) => c.codePointAt(0)!);
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!));
  return steps.size === 1 && [1, -1, 0].includes([...steps][0]!);
}

export function checkPassword(password: string, context: { username: string; minLength?: number }): void {
  const minLength = context.minLength ?? 12;
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < minLength) refuse('too_short', `a password needs at least ${minLength} characters`, 'a phrase of several words is long and easy to remember');
  if (length > 128) refuse('too_long', 'a password is at most 128 characters', 'choose a shorter phrase');
  const lower = normalised.toLowerCase();
  if (commonPasswords().has(lower)) refuse('common', 'this password is in lists of passwords known to attackers', 'choose one that nobody else would');
  if (context.username.length >= 3 && lower.includes(context.username.toLowerCase())) {
    refuse('contains_username', 'a password must not contain the username', 'choose a password unrelated to your name');
  }
  if (repetitive(normalised)) refuse('repetitive', 'a password must not be one character or a simple sequence repeated', 'choose a phrase');
}
