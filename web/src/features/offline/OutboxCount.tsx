import { useTranslation } from 'react-i18next';
import './messages.ts';
import './offline.css';
import { useOutboxState } from './outbox.ts';

/** The outbox badge's content: the number is shown, the words are read by screen readers. */
export default function OutboxCount() {
  const { t } = useTranslation('offline');
  const { items } = useOutboxState();
  const waiting = items.filter((item) => item.state === 'waiting' || item.state === 'sending').length;
  const refused = items.filter((item) => item.state === 'refused').length;
  return (
    <>
      {waiting > 0 ? (
        <span className="outbox-badge">
          <span aria-hidden="true">{waiting}</span>
          <span className="visually-hidden">{t('badge.waiting', { count: waiting })}</span>
        </span>
      ) : null}
      {refused > 0 ? (
        <span className="outbox-badge refused">
          <span aria-hidden="true">!{refused}</span>
          <span className="visually-hidden">{t('badge.refused', { count: refused })}</span>
        </span>
      ) : null}
    </>
  );
}
