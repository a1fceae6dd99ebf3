import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../app/fields.tsx';
import type { BirthView } from '../births/record/api.ts';
import { previewPdf } from './api.ts';
import { PdfFrame } from './PdfFrame.tsx';
import { certificateKinds, type CertificateKind } from './types.ts';
import './messages.ts';

/** The record's certificate as it would print, in each kind, marked PREVIEW and without a QR code: checked before anything is issued. */
export function PreviewDialog({ view, onClose }: { view: BirthView; onClose(): void }) {
  const { t } = useTranslation('certificates');
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [kind, setKind] = useState<CertificateKind>('birth_certificate');
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog ref={dialog} className="dialog certificate-dialog" aria-labelledby={titleId} onCancel={onClose}>
      <h2 id={titleId}>{t('preview.title', { kind: t(`kind.${kind}`) })}</h2>
      <SelectField
        label={t('issue.kind')}
        value={kind}
        onValueChange={(value) => setKind(value as CertificateKind)}
        options={certificateKinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
      />
      <p className="help">{t('preview.help')}</p>
      <PdfFrame queryKey={['birth', view.id, 'certificate-preview', kind, view.version]} load={(signal) => previewPdf(view.id, kind, signal)} title={t('preview.frame')} />
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          {t('preview.close')}
        </button>
      </div>
    </dialog>
  );
}
