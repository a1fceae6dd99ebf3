import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../../api/client.ts';
import { useProblemText } from '../../app/problems.tsx';
import './messages.ts';

/** The fields of the sign-in and account forms a refusal can name. */
export type Field = 'username' | 'password' | 'code' | 'currentPassword' | 'newPassword' | 'repeat';

/** A refusal in the user's language: next to its field, or above the form when it names none. */
export interface Refusal {
  field?: Field;
  text: string;
  /** Said after the text (how to choose a password that is accepted). */
  hint?: string;
}

/** Which form asked: the steps of signing in, or a change made from the account screen (stepUp). */
export type Asker = 'signIn' | 'code' | 'enrol' | 'newPassword' | 'stepUp';

/**
 * The server's refusals of a sign-in step or an account change, in words the person can act on.
 * Wrong username and wrong password are one message (the server says the same for both, so no
 * name can be probed); a lockout says when to try again.
 */
export function useRefusal(): (error: unknown, asker: Asker) => Refusal {
  const { t, i18n } = useTranslation('signIn');
  const problemText = useProblemText();
  return (error, asker) => {
    if (!(error instanceof ApiProblem)) return { text: problemText(error) };
    const wait = error.extra.retryAfterSeconds;
    if (typeof wait === 'number') {
      // Seconds matter: the first lock lasts half a minute.
      const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' }).format(new Date(Date.now() + wait * 1000));
      return { text: t('locked', { time }) };
    }
    switch (error.field) {
      case 'password':
        if (asker === 'signIn') return { field: 'password', text: t('password.wrong') };
        break;
      case 'code':
        if (asker === 'enrol') return { field: 'code', text: t('enrol.wrong') };
        if (asker === 'stepUp') return { field: 'code', text: t('account.stepUp.wrongCode') };
        return { field: 'code', text: t('totp.wrong') };
      case 'currentPassword':
        return { field: 'currentPassword', text: t('account.stepUp.wrongPassword') };
      case 'newPassword': {
        const rule = typeof error.extra.rule === 'string' ? error.extra.rule : undefined;
        // Without a rule the server refused the current password given again as the new one.
        if (!rule) return { field: 'newPassword', text: t('rules.same') };
        return { field: 'newPassword', text: t(`rules.${rule}`, { defaultValue: t('rules.other') }), hint: t('rules.hint') };
      }
    }
    if (endsSignIn(error) && asker !== 'stepUp') return { text: t('ended') };
    return { text: problemText(error) };
  };
}

/**
 * The half-finished sign-in is gone (ended after too many codes, expired, or overtaken by an
 * enrolment elsewhere): the person starts again from the password.
 */
export function endsSignIn(error: unknown): boolean {
  return error instanceof ApiProblem && typeof error.extra.retryAfterSeconds !== 'number' && ((error.status === 401 && error.field !== 'code' && error.field !== 'password') || error.status === 409);
}

/** The session ended under an open account screen: the shell's dialog asks to sign in again, so the form says nothing. */
export function sessionEnded(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 401;
}
