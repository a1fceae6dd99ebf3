import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, newIdempotencyKey } from '../../api/client.ts';
import { ChoiceField, SelectField, TextField } from '../../app/fields.tsx';
import { ProblemAlert, problemConcerns, useProblemText } from '../../app/problems.tsx';
import type { BirthView } from '../births/record/api.ts';
import { issueCertificate, previewPdf } from './api.ts';
import { emptyIssueForm, identityDocuments, type IssueForm, issueBody, type IssueFormErrors, limits, relationships } from './issue-form.ts';
import { PdfFrame } from './PdfFrame.tsx';
import { certificateKinds, type CertificateKind, type Issuance } from './types.ts';
import './messages.ts';

/**
 * Issuing a certificate: which document, how it is handed over and, on paper, who collects it and
 * the identity document they showed. The preview beside the form is the certificate as it would
 * print, marked PREVIEW. The record's version on screen is sent: a record changed meanwhile is refused.
 */
export function IssueDialog({
  view,
  onIssued,
  onClose,
  onReload,
}: {
  view: BirthView;
  onIssued(answer: { issuance: Issuance; record: BirthView }): void;
  onClose(): void;
  onReload(): void;
}) {
  const { t } = useTranslation('certificates');
  const problemText = useProblemText();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [form, setForm] = useState<IssueForm>(emptyIssueForm);
  const [errors, setErrors] = useState<IssueFormErrors>({});
  const [previewing, setPreviewing] = useState(false);
  // One submission, one key: a retried click is the same issuance; a changed form is a new one.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const mutation = useMutation({
    mutationFn: ({ body, key }: { body: Parameters<typeof issueCertificate>[1]; key: string }) => issueCertificate(view.id, body, key),
    onSuccess: onIssued,
  });
  const conflict = mutation.error instanceof ApiProblem && mutation.error.code === 'version_conflict';

  const set = <K extends keyof IssueForm>(field: K) => (value: string) => {
    setForm((old) => ({ ...old, [field]: value }));
    if (field in errors) setErrors((old) => ({ ...old, [field]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = issueBody(form, view.version);
    if ('errors' in result) {
      setErrors(result.errors);
      // The first field to fix takes the focus, so the person hears what is missing.
      const first = (['name', 'documentType', 'documentNumber'] as const).find((field) => result.errors[field]);
      dialog.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    const text = JSON.stringify(result.body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    mutation.mutate({ body: result.body, key: attempt.current.key });
  };

  const fieldError = (field: keyof IssueFormErrors, missing: string, label: string) => {
    const error = errors[field];
    if (error === 'required') return missing;
    if (error === 'tooLong') return t('issue.tooLong');
    return problemConcerns(mutation.error, `collector.${field}`) ? problemText(mutation.error, label) : undefined;
  };
  const serverFieldError = ['collector.name', 'collector.documentType', 'collector.documentNumber'].some((field) => problemConcerns(mutation.error, field));
  const kindOptions = certificateKinds.map((kind) => ({ value: kind, label: t(`kind.${kind}`) }));

  return (
    <dialog ref={dialog} className="dialog certificate-dialog" aria-labelledby={titleId} onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{t('issue.title')}</h2>
        <div className="certificate-columns">
          <div>
            <SelectField label={t('issue.kind')} value={form.kind} onValueChange={(value) => set('kind')(value as CertificateKind)} options={kindOptions} required />
            <ChoiceField
              legend={t('issue.delivery')}
              name="delivery"
              value={form.delivery}
              onValueChange={set('delivery')}
              options={[
                { value: 'in_person', label: t('issue.in_person') },
                { value: 'electronic', label: t('issue.electronic') },
              ]}
            />
            {form.delivery === 'in_person' ? (
              <fieldset>
                <legend>{t('issue.collector')}</legend>
                <TextField
                  label={t('issue.name')}
                  value={form.name}
                  onValueChange={set('name')}
                  required
                  maxLength={limits.name + 20}
                  autoComplete="off"
                  data-field="name"
                  error={fieldError('name', t('issue.nameRequired'), t('issue.name'))}
                />
                <SelectField
                  label={t('issue.relationship')}
                  value={form.relationship}
                  onValueChange={set('relationship')}
                  options={[{ value: '', label: t('issue.relationshipNone') }, ...relationships.map((r) => ({ value: r, label: t(`relationship.${r}`) }))]}
                />
                <SelectField
                  label={t('issue.documentType')}
                  value={form.documentType}
                  onValueChange={set('documentType')}
                  options={identityDocuments.map((d) => ({ value: d, label: t(`document.${d}`) }))}
                  required
                  data-field="documentType"
                  error={fieldError('documentType', t('issue.required'), t('issue.documentType'))}
                />
                <TextField
                  label={t('issue.documentNumber')}
                  value={form.documentNumber}
                  onValueChange={set('documentNumber')}
                  required
                  maxLength={limits.documentNumber + 20}
                  autoComplete="off"
                  data-field="documentNumber"
                  error={fieldError('documentNumber', t('issue.documentNumberRequired'), t('issue.documentNumber'))}
                />
              </fieldset>
            ) : null}
          </div>
          {previewing ? (
            <div>
              <p className="help">{t('preview.help')}</p>
              <PdfFrame
                queryKey={['birth', view.id, 'certificate-preview', form.kind, view.version]}
                load={(signal) => previewPdf(view.id, form.kind, signal)}
                title={t('preview.frame')}
              />
            </div>
          ) : null}
        </div>
        {conflict ? (
          <div className="problem" role="alert">
            <p>{t('issue.conflict')}</p>
            <button type="button" onClick={onReload}>
              {t('issue.reload')}
            </button>
          </div>
        ) : mutation.error && !serverFieldError ? (
          <ProblemAlert error={mutation.error} />
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={mutation.isPending || conflict}>
            {mutation.isPending ? t('issue.working') : t('issue.submit')}
          </button>
          <button type="button" aria-pressed={previewing} onClick={() => setPreviewing((on) => !on)}>
            {t('issue.preview')}
          </button>
          <button type="button" onClick={onClose}>
            {t('issue.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
