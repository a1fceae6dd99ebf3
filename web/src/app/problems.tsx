import { useTranslation } from 'react-i18next';
import { ApiProblem, Offline } from '../api/client.ts';

/**
 * A server refusal in the user's language: the code says what kind, the field where. The server's
 * English detail is never shown as the message (it is kept in a title attribute for support).
 */
export function useProblemText(): (error: unknown, fieldLabel?: string) => string {
  const { t } = useTranslation('shell');
  return (error, fieldLabel) => {
    if (error instanceof Offline) return t('problems.offline');
    if (!(error instanceof ApiProblem)) return t('problems.unknown');
    if (error.code === 'validation_failed' && fieldLabel) return t('problems.validation_failed_field', { field: fieldLabel });
    return t(`problems.${error.code}`, { defaultValue: t('problems.unknown') });
  };
}

/** True when the refusal concerns this field (the server names it as a dotted path or a JSON pointer). */
export function problemConcerns(error: unknown, field: string): boolean {
  if (!(error instanceof ApiProblem) || !error.field) return false;
  const given = error.field.replace(/^\/+/, '').replace(/\//g, '.').replace(/^body\./, '');
  return given === field || given.startsWith(`${field}.`);
}

/** A refusal shown as an alert, above a form or beside a button. */
export function ProblemAlert({ error }: { error: unknown }) {
  const text = useProblemText();
  if (!error) return null;
  return (
    <p className="problem" role="alert" title={error instanceof Error ? error.message : undefined}>
      {text(error)}
    </p>
  );
}
