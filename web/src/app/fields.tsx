import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The form controls every screen uses: each has a visible label, and its error (a server refusal
 * that names this field, or a check in the page) is announced and tied to it with aria-describedby.
 */
interface FieldFrame {
  label: string;
  /** Shown under the control and read with it. */
  help?: string;
  /** The message for this field, already translated. */
  error?: string;
  required?: boolean;
}

function describedBy(helpId: string, errorId: string, frame: FieldFrame): string | undefined {
  return [frame.help ? helpId : '', frame.error ? errorId : ''].filter(Boolean).join(' ') || undefined;
}

function Frame({ id, frame, children }: { id: string; frame: FieldFrame; children: ReactNode }) {
  const { t } = useTranslation('shell');
  return (
    <div className="field">
      <label htmlFor={id}>
        {frame.label}
        {frame.required ? <span className="help"> ({t('common.required')})</span> : null}
      </label>
      {children}
      {frame.help ? (
        <span className="help" id={`${id}-help`}>
          {frame.help}
        </span>
      ) : null}
      {frame.error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {frame.error}
        </p>
      ) : null}
    </div>
  );
}

type TextFieldProps = FieldFrame & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & { value: string; onValueChange(value: string): void };

export function TextField({ label, help, error, required, onValueChange, ...input }: TextFieldProps) {
  const id = useId();
  const frame = { label, help, error, required };
  return (
    <Frame id={id} frame={frame}>
      <input
        id={id}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-help`, `${id}-error`, frame)}
        {...input}
        onChange={(event) => onValueChange(event.target.value)}
      />
    </Frame>
  );
}

type TextAreaProps = FieldFrame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & { value: string; onValueChange(value: string): void };

export function TextAreaField({ label, help, error, required, onValueChange, ...input }: TextAreaProps) {
  const id = useId();
  const frame = { label, help, error, required };
  return (
    <Frame id={id} frame={frame}>
      <textarea
        id={id}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-help`, `${id}-error`, frame)}
        {...input}
        onChange={(event) => onValueChange(event.target.value)}
      />
    </Frame>
  );
}

type SelectFieldProps = FieldFrame &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { value: string; onValueChange(value: string): void; options: { value: string; label: string }[] };

export function SelectField({ label, help, error, required, onValueChange, options, ...select }: SelectFieldProps) {
  const id = useId();
  const frame = { label, help, error, required };
  return (
    <Frame id={id} frame={frame}>
      <select
        id={id}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-help`, `${id}-error`, frame)}
        {...select}
        onChange={(event) => onValueChange(event.target.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

/** One answer out of a few, as radio buttons in a fieldset whose legend asks the question. */
export function ChoiceField({
  legend,
  name,
  value,
  options,
  onValueChange,
  error,
}: {
  legend: string;
  name: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onValueChange(value: string): void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="choice">
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onValueChange(option.value)} />
          {option.label}
        </label>
      ))}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function CheckboxField({ label, checked, onCheckedChange }: { label: string; checked: boolean; onCheckedChange(checked: boolean): void }) {
  return (
    <label className="choice">
      <input type="checkbox" checked={checked} onChange={(event) => onCheckedChange(event.target.checked)} />
      {label}
    </label>
  );
}
