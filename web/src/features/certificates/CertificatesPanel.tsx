import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { useFormat } from '../../i18n/format.ts';
import { type BirthView, recordKey } from '../births/record/api.ts';
import { issuancesKey, listIssuances } from './api.ts';
import { IssueDialog } from './IssueDialog.tsx';
import { PreviewDialog } from './PreviewDialog.tsx';
import { openForPrinting } from './print.ts';
import { RevokeDialog } from './RevokeDialog.tsx';
import type { Issuance } from './types.ts';
import './certificates.css';
import './messages.ts';

/** The record as the API answers it once certificates exist: how many were issued. */
type WithCount = BirthView & { certificateCount?: number };

/** Who collected a paper certificate and what they showed, or that it went electronically. */
function HandedTo({ issuance }: { issuance: Issuance }) {
  const { t } = useTranslation('certificates');
  const { collector } = issuance;
  if (issuance.delivery === 'electronic' || !collector) return <>{t('panel.electronic')}</>;
  const document = t(`document.${collector.documentType}`, { defaultValue: collector.documentType });
  const values = { name: collector.name, document, number: collector.documentNumber };
  if (!collector.relationship) return <>{t('panel.collector', values)}</>;
  const relationship = t(`relationship.${collector.relationship}`, { defaultValue: collector.relationship });
  return <>{t('panel.relationshipNamed', { ...values, relationship })}</>;
}

function Status({ issuance }: { issuance: Issuance }) {
  const { t } = useTranslation('certificates');
  const format = useFormat();
  return (
    <>
      <span className={`badge status-${issuance.status}`}>{t(`status.${issuance.status}`)}</span>
      {issuance.status === 'superseded' && issuance.supersededOn ? <span className="status-note">{t('status.supersededOn', { date: format.date(issuance.supersededOn) })}</span> : null}
      {issuance.status === 'revoked' ? (
        <span className="status-note">{t('status.revokedOn', { date: format.dateTime(issuance.revokedAt), reason: issuance.revocationReason ?? '—' })}</span>
      ) : null}
    </>
  );
}

type Said = { kind: 'issued' | 'revoked' | 'printOpened'; serial: string } | { kind: 'blocked'; serial: string; url: string } | null;

/**
 * The record page's certificates: how many were issued, each issuance with who collected it and its
 * status, and the buttons the server allows now (issue, revoke), with preview and print.
 */
export function CertificatesPanel({ view, onDone, onReload }: { view: BirthView; onDone(view: BirthView): void; onReload(): Promise<unknown> }) {
  const { t } = useTranslation('certificates');
  const format = useFormat();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<{ kind: 'issue' } | { kind: 'preview' } | { kind: 'revoke'; issuance: Issuance } | null>(null);
  const [said, setSaid] = useState<Said>(null);
  const [printError, setPrintError] = useState<unknown>(null);
  const message = useRef<HTMLDivElement>(null);
  const registered = view.number !== null;
  const count = (view as WithCount).certificateCount;
  const mayIssue = view.allowedActions.includes('ISSUE_CERTIFICATE');
  const mayRevoke = view.allowedActions.includes('REVOKE_CERTIFICATE');
  const issuances = useQuery({ queryKey: issuancesKey(view.id), queryFn: () => listIssuances(view.id), enabled: registered });

  // What just happened takes the focus: the dialog that did it has closed, and a new row has appeared.
  useEffect(() => {
    if (said) message.current?.focus();
  }, [said]);

  if (!registered && !count) {
    return mayIssue ? (
      <section className="record-part" aria-labelledby="certificates-title">
        <h2 id="certificates-title">{t('panel.title')}</h2>
        <p>{t('panel.notRegistered')}</p>
      </section>
    ) : null;
  }

  const items = issuances.data ?? [];
  const shownCount = count ?? items.length;
  const print = (serial: string) => {
    setPrintError(null);
    openForPrinting(serial).then(
      (result) => setSaid(result.opened ? { kind: 'printOpened', serial } : { kind: 'blocked', serial, url: result.url }),
      setPrintError,
    );
  };
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: issuancesKey(view.id) });
    void queryClient.invalidateQueries({ queryKey: recordKey(view.id), exact: true });
    void queryClient.invalidateQueries({ queryKey: ['certificates', 'ready'] });
  };

  return (
    <section className="record-part" aria-labelledby="certificates-title">
      <h2 id="certificates-title">{t('panel.title')}</h2>
      <p className="certificate-count" data-testid="certificate-count">
        {shownCount ? t('panel.count', { count: shownCount }) : t('panel.none')}
      </p>
      <div ref={message} tabIndex={-1}>
        {said?.kind === 'issued' ? (
          <div className="success" role="status">
            <p>{t('panel.issued', { serial: said.serial })}</p>
            <button type="button" className="primary" onClick={() => print(said.serial)}>
              {t('panel.printSerial', { serial: said.serial })}
            </button>
          </div>
        ) : null}
        {said?.kind === 'revoked' ? (
          <p className="success" role="status">
            {t('panel.revoked', { serial: said.serial })}
          </p>
        ) : null}
        {said?.kind === 'printOpened' ? (
          <p className="notice" role="status">
            {t('panel.printOpened')}
          </p>
        ) : null}
        {said?.kind === 'blocked' ? (
          <p className="notice" role="status">
            {t('panel.popupBlocked')}{' '}
            <a href={said.url} target="_blank" rel="noopener">
              {t('panel.openPdf', { serial: said.serial })}
            </a>
          </p>
        ) : null}
      </div>
      <ProblemAlert error={printError ?? issuances.error} />
      {mayIssue || can('certificate.issue') ? (
        <div className="actions">
          {mayIssue ? (
            <button type="button" className="primary" onClick={() => setDialog({ kind: 'issue' })}>
              {t('panel.issue')}
            </button>
          ) : null}
          {registered ? (
            <button type="button" onClick={() => setDialog({ kind: 'preview' })}>
              {t('panel.preview')}
            </button>
          ) : null}
        </div>
      ) : null}
      {items.length ? (
        <table className="issuances">
          <caption className="visually-hidden">{t('panel.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('panel.serial')}</th>
              <th scope="col">{t('panel.kind')}</th>
              <th scope="col">{t('panel.issuedAt')}</th>
              <th scope="col">{t('panel.issuedBy')}</th>
              <th scope="col">{t('panel.handedTo')}</th>
              <th scope="col">{t('panel.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('panel.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((issuance) => (
              <tr key={issuance.serial}>
                <th scope="row" className="serial">
                  {issuance.serial}
                </th>
                <td>{t(`kind.${issuance.kind}`)}</td>
                <td>
                  <time dateTime={issuance.issuedAt}>{format.dateTime(issuance.issuedAt)}</time>
                </td>
                <td>{issuance.issuedBy}</td>
                <td>
                  <HandedTo issuance={issuance} />
                </td>
                <td>
                  <Status issuance={issuance} />
                </td>
                <td>
                  {issuance.status === 'valid' ? (
                    <div className="actions">
                      {can('certificate.issue') ? (
                        <button type="button" onClick={() => print(issuance.serial)} aria-label={t('panel.printSerial', { serial: issuance.serial })}>
                          {t('panel.print')}
                        </button>
                      ) : null}
                      {mayRevoke ? (
                        <button
                          type="button"
                          className="danger"
                          onClick={() => setDialog({ kind: 'revoke', issuance })}
                          aria-label={t('panel.revokeSerial', { serial: issuance.serial })}
                        >
                          {t('panel.revoke')}
                        </button>
                      ) : null}
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {dialog?.kind === 'issue' ? (
        <IssueDialog
          view={view}
          onClose={() => setDialog(null)}
          onReload={() => {
            setDialog(null);
            void onReload();
          }}
          onIssued={({ issuance, record }) => {
            setDialog(null);
            queryClient.setQueryData<Issuance[]>(issuancesKey(view.id), (old) => [issuance, ...(old ?? []).filter((i) => i.serial !== issuance.serial)]);
            setSaid({ kind: 'issued', serial: issuance.serial });
            onDone(record);
            refresh();
          }}
        />
      ) : null}
      {dialog?.kind === 'preview' ? <PreviewDialog view={view} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'revoke' ? (
        <RevokeDialog
          issuance={dialog.issuance}
          onClose={() => setDialog(null)}
          onRevoked={(revoked) => {
            setDialog(null);
            queryClient.setQueryData<Issuance[]>(issuancesKey(view.id), (old) => (old ?? []).map((i) => (i.serial === revoked.serial ? revoked : i)));
            setSaid({ kind: 'revoked', serial: revoked.serial });
            refresh();
          }}
        />
      ) : null}
    </section>
  );
}
