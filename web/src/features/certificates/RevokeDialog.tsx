import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client.ts';
import { TextAreaField } from '../../app/fields.tsx';
import { ProblemAlert, problemConcerns, useProblemText } from '../../app/problems.tsx';
import { revokeCertificate } from './api.ts';
import type { Issuance } from './types.ts';
import './messages.ts';

/** Revoking one issued certificate, with the reason kept in the record's history. It cannot be undone, so it asks first. */
export function RevokeDialog({ issuance, onRevoked, onClose }: { issuance: Issuance; onRevoked(revoked: Issuance): void; onClose(): void }) {
  const { t } = useTranslation('certificates');
  const problemText = useProblemText();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  // One revocation, one key, whatever the reason typed: a retry is the same revocation.
  const [key] = useState(newIdempotencyKey);
  const mutation = useMutation({ mutationFn: (text: string) => revokeCertificate(issuance.serial, text, key), onSuccess: onRevoked });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (reason.trim()) mutation.mutate(reason.trim());
  };
  const serverError = problemConcerns(mutation.error, 'reason') ? problemText(mutation.error, t('revoke.reason')) : undefined;

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId} aria-describedby={bodyId} onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{t('revoke.title', { serial: issuance.serial })}</h2>
        <p id={bodyId} className="warning">
          {t('revoke.body')}
        </p>
        <TextAreaField
          label={t('revoke.reason')}
          help={t('revoke.reasonHelp')}
          value={reason}
          onValueChange={setReason}
          required
          maxLength={1000}
          rows={3}
          error={checked && !reason.trim() ? t('revoke.reasonRequired') : serverError}
        />
        {mutation.error && !serverError ? <ProblemAlert error={mutation.error} /> : null}
        <div className="actions">
          <button type="submit" className="danger" disabled={mutation.isPending}>
            {mutation.isPending ? t('revoke.working') : t('revoke.submit')}
          </button>
          <button type="button" onClick={onClose}>
            {t('revoke.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
