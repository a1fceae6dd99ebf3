import { type FormEvent, type ReactNode, useId } from 'react';
import { ProblemAlert } from '../../../app/problems.tsx';
import { useCase } from './context.tsx';

/**
 * One action of the case as a small form: its fields, one submit button, the refusal beside it.
 * `build` turns the fields into the action (or a message key when something is missing, checked
 * before asking the server); `onDone` clears the fields once the action is recorded.
 */
export function ActionForm({
  type,
  title,
  submit,
  build,
  onDone,
  problem,
  children,
  className,
}: {
  type: string;
  title: string;
  submit: string;
  build(): Record<string, unknown> | null;
  onDone?(): void;
  /** A refusal said in this form's own words (e.g. the consent a referral needs). */
  problem?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const { act, pending, errorOf } = useCase();
  const id = useId();
  const error = errorOf(type);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const action = build();
    if (!action) return;
    void act({ type, ...action }).then((ok) => {
      if (ok) onDone?.();
    });
  };
  return (
    <form className={`case-form ${className ?? ''}`} onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
      {error ? problem ?? <ProblemAlert error={error} /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={pending}>
          {submit}
        </button>
      </div>
    </form>
  );
}

/** One action as a single button (complete a task, withdraw a consent, approve), its refusal beside it. */
export function ActionButton({ action, label, className, onDone }: { action: { type: string } & Record<string, unknown>; label: string; className?: string; onDone?(): void }) {
  const { act, pending } = useCase();
  return (
    <button
      type="button"
      className={className}
      disabled={pending}
      onClick={() =>
        void act(action).then((ok) => {
          if (ok) onDone?.();
        })
      }
    >
      {label}
    </button>
  );
}

/** Lines of a text box as a list: one item a line, blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
