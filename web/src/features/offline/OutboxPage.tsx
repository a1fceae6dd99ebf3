import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiProblem } from '../../api/client.ts';
import { useOnline } from '../../app/online.ts';
import { Page } from '../../app/Page.tsx';
import { useProblemText } from '../../app/problems.tsx';
import { useFormat } from '../../i18n/format.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import type { StoredSubmission } from './db.ts';
import './messages.ts';
import './offline.css';
import { discard, sendNow, useOutboxState } from './outbox.ts';

/**
 * The outbox: every submission made on this device, oldest first, with its state, live. A refusal
 * is said in the user's language; a conflict (the record changed on the server meanwhile) points to
 * the record, since the submission was not written over it.
 */
export default function OutboxPage() {
  const { t } = useTranslation('offline');
  const { items, loaded } = useOutboxState();
  const online = useOnline();
  const [discarding, setDiscarding] = useState<StoredSubmission | null>(null);
  const [tooLate, setTooLate] = useState(false);
  const canSend = online && items.some((item) => item.state === 'waiting');

  return (
    <Page
      title={t('title')}
      actions={
        <button type="button" className="primary" disabled={!canSend} onClick={() => void sendNow()}>
          {t('sendNow')}
        </button>
      }
    >
      <p>{t('intro')}</p>
      {tooLate ? (
        <p className="warning" role="alert">
          {t('discardTooLate')}
        </p>
      ) : null}
      {!loaded ? (
        <p className="loading">{t('shell:common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="notice">{t('empty')}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t('table.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('table.label')}</th>
              <th scope="col">{t('table.kind')}</th>
              <th scope="col">{t('table.created')}</th>
              <th scope="col">{t('table.state')}</th>
              <th scope="col" className="number">
                {t('table.attempts')}
              </th>
              <th scope="col">{t('table.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <Row
                key={item.id}
                item={item}
                online={online}
                onDiscard={() => {
                  setTooLate(false);
                  setDiscarding(item);
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {discarding ? (
        <ConfirmDialog
          title={t('discardTitle')}
          body={t('discardBody', { label: discarding.label })}
          confirm={t('discardConfirm')}
          cancel={t('keep')}
          onCancel={() => setDiscarding(null)}
          onConfirm={() => {
            const id = discarding.id;
            setDiscarding(null);
            void discard(id).then((removed) => setTooLate(!removed));
          }}
        />
      ) : null}
    </Page>
  );
}

function Row({ item, online, onDiscard }: { item: StoredSubmission; online: boolean; onDiscard: () => void }) {
  const { t } = useTranslation('offline');
  const format = useFormat();
  return (
    <tr>
      <td>{item.label}</td>
      <td>{t(`kind.${item.kind}`)}</td>
      <td>{format.dateTime(item.createdAt)}</td>
      <td>
        <State item={item} online={online} />
      </td>
      <td className="number">{format.number(item.attempts)}</td>
      <td>
        <span className="outbox-actions">
          {item.recordId ? (
            <Link to={`/births/${item.recordId}`} aria-label={t('openRecordOf', { label: item.label })}>
              {t('openRecord')}
            </Link>
          ) : null}
          {item.state === 'waiting' || item.state === 'refused' ? (
            <button type="button" className="link-button" onClick={onDiscard} aria-label={t('discardOf', { label: item.label })}>
              {t('discard')}
            </button>
          ) : null}
        </span>
      </td>
    </tr>
  );
}

function State({ item, online }: { item: StoredSubmission; online: boolean }) {
  const { t } = useTranslation('offline');
  const format = useFormat();
  const reason = useReason();
  const count = item.attachments?.length ?? 0;
  const badge = item.state === 'refused' ? 'badge overdue' : item.state === 'sent' ? 'badge sent' : 'badge';
  return (
    <>
      <span className={badge}>{t(`state.${item.state}`)}</span>
      {item.state === 'waiting' && !online ? <span className="outbox-detail">{t('waitsForConnection')}</span> : null}
      {item.state === 'waiting' && online && item.nextAttemptAt > 0 ? (
        <span className="outbox-detail">{t('nextTry', { time: format.dateTime(new Date(item.nextAttemptAt).toISOString()) })}</span>
      ) : null}
      {item.state === 'waiting' && item.problem ? <span className="outbox-detail">{t('lastTry', { reason: reason(item) })}</span> : null}
      {count > 0 && item.state !== 'sent' ? <span className="outbox-detail">{t('documents', { done: item.uploaded.length, count })}</span> : null}
      {item.state === 'refused' ? <span className="outbox-reason">{reason(item)}</span> : null}
      {item.state === 'refused' && item.problem?.field && item.problem.code === 'validation_failed' ? (
        <span className="outbox-detail">{t('field', { field: item.problem.field })}</span>
      ) : null}
    </>
  );
}

/** Why it was refused, in the user's language; the server's English detail is never shown. */
function useReason(): (item: StoredSubmission) => string {
  const { t } = useTranslation('offline');
  const problemText = useProblemText();
  return (item) => {
    const problem = item.problem;
    if (!problem) return '';
    if (problem.code === 'version_conflict') return t('conflict');
    const text = problemText(new ApiProblem(problem.status, { code: problem.code, field: problem.field, hint: problem.hint }));
    return item.delivered && item.state === 'refused' ? t('attachmentRefused', { reason: text }) : text;
  };
}
