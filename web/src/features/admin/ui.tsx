import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../../api/client.ts';
import { CheckboxField } from '../../app/fields.tsx';
import { problemConcerns, ProblemAlert, useProblemText } from '../../app/problems.tsx';
import { useRoleName } from './data.ts';
import './messages.ts';

/**
 * A server refusal in the words of the administration forms: the field it names, its code and, for a
 * password, the rule broken. Undefined when the refusal concerns another field.
 */
export function useFieldProblem(form: 'user' | 'client'): (error: unknown, field: string, label: string) => string | undefined {
  const { t } = useTranslation('admin');
  const general = useProblemText();
  const roleName = useRoleName();
  return (error, field, label) => {
    if (!(error instanceof ApiProblem) || !problemConcerns(error, field)) return undefined;
    const base = `problems.${form}.${field}.${error.code}`;
    const rule = typeof error.extra.rule === 'string' ? `${base}_${error.extra.rule}` : undefined;
    const refused = Array.isArray(error.extra.refused) ? error.extra.refused.map((id) => roleName(String(id))).join(', ') : '';
    return t(rule ? [rule, base] : [base], { defaultValue: general(error, label), roles: refused });
  };
}

/** A refusal that names none of the form's fields, shown above it (a missing scope, a lost connection…). */
export function FormProblem({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error || fields.some((field) => problemConcerns(error, field))) return null;
  return <ProblemAlert error={error} />;
}

/** A refusal about the whole account or client a dialog acts on (one's own, or one holding roles beyond the reader's). */
export function Refusal({ text }: { text: string | undefined }) {
  return text ? (
    <p className="problem" role="alert">
      {text}
    </p>
  ) : null;
}

/** What the last action did, announced to screen readers; the region stays in the page so it is heard. */
export function Outcome({ text }: { text: string | undefined }) {
  return <div role="status">{text ? <p className="success">{text}</p> : null}</div>;
}

export function NotAllowed() {
  const { t } = useTranslation('admin');
  return <p className="notice">{t('notAllowed')}</p>;
}

/**
 * A modal dialog: opened on mount, closed by Escape or by its buttons. Focus goes back to the button
 * that opened it or, when the change removed that button (a deactivated row), to the page heading.
 */
export function Dialog({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
      else document.getElementById('page-title')?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** Several answers out of a few, as checkboxes in a fieldset whose legend names them; its error is tied to it. */
export function Checklist({
  legend,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  options: { value: string; label: string }[];
  value: string[];
  onChange(value: string[]): void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <CheckboxField
          key={option.value}
          label={option.label}
          checked={value.includes(option.value)}
          onCheckedChange={(checked) => onChange(checked ? [...value, option.value] : value.filter((v) => v !== option.value))}
        />
      ))}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
