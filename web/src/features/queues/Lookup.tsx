import { type FormEvent, type Ref, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiProblem } from '../../api/client.ts';
import { SelectField, TextField } from '../../app/fields.tsx';
import { ProblemAlert, useProblemText } from '../../app/problems.tsx';
import './messages.ts';

type LookupKind = 'iin' | 'number' | 'ref';
const kinds: LookupKind[] = ['iin', 'number', 'ref'];

/**
 * Finds one birth by the child's IIN, its act number or its tracking reference, and opens it. What
 * was typed stays in this form's state: it never enters the address bar or the browser's history.
 * A number that is missing and one outside the reader's area get the same answer, as the server gives.
 */
export function Lookup({ containerRef }: { containerRef?: Ref<HTMLFormElement> }) {
  const { t } = useTranslation('queues');
  const problemText = useProblemText();
  const navigate = useNavigate();
  const [kind, setKind] = useState<LookupKind>('iin');
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const wanted = kind === 'iin' ? value.replace(/\s+/g, '') : value.trim();
    if (!wanted) return setFieldError(t('lookup.empty'));
    if (kind === 'iin' && !/^\d{12}$/.test(wanted)) return setFieldError(t('lookup.badIin'));
    setFieldError(undefined);
    setBusy(true);
    try {
      const found = await api<{ id: string }>('GET', '/births/lookup', { query: { [kind]: wanted } });
      navigate(`/births/${found.id}`);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) setFieldError(t('lookup.notFound'));
      else if (error instanceof ApiProblem && error.code === 'validation_failed') setFieldError(problemText(error, t(`lookup.${kind}`)));
      else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="lookup" ref={containerRef} onSubmit={(event) => void submit(event)} role="search" aria-labelledby="lookup-legend" noValidate>
      <h2 id="lookup-legend">{t('lookup.legend')}</h2>
      <div className="field-row">
        <SelectField
          label={t('lookup.by')}
          value={kind}
          onValueChange={(next) => {
            setKind(next as LookupKind);
            setFieldError(undefined);
          }}
          options={kinds.map((k) => ({ value: k, label: t(`lookup.${k}`) }))}
        />
        <TextField
          label={t(`lookup.${kind}`)}
          value={value}
          onValueChange={(next) => {
            setValue(next);
            setFieldError(undefined);
          }}
          error={fieldError}
          autoComplete="off"
          spellCheck={false}
          inputMode={kind === 'iin' ? 'numeric' : 'text'}
          maxLength={100}
        />
        <div className="lookup-button">
          <button type="submit" className="primary" disabled={busy}>
            {t('lookup.find')}
          </button>
        </div>
      </div>
      <ProblemAlert error={problem} />
    </form>
  );
}
