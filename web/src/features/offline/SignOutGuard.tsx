import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import './messages.ts';

/**
 * Signing out clears the device, unsent submissions with it: when some are still waiting, ask
 * first. `request` signs out at once when the outbox has nothing unsent; `dialog` is rendered by the
 * caller (null when no question is open).
 */
export function useGuardedSignOut(signOut: () => void): { request: () => void; dialog: ReactNode } {
  const [unsent, setUnsent] = useState(0);
  const request = () => {
    void import('./outbox.ts')
      .then((outbox) => outbox.pendingCount())
      .catch(() => 0)
      .then((count) => (count > 0 ? setUnsent(count) : signOut()));
  };
  const dialog =
    unsent > 0 ? (
      <ConfirmSignOut
        count={unsent}
        onCancel={() => setUnsent(0)}
        onConfirm={() => {
          setUnsent(0);
          signOut();
        }}
      />
    ) : null;
  return { request, dialog };
}

export function ConfirmSignOut({ count, onConfirm, onCancel }: { count: number; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation('offline');
  return (
    <ConfirmDialog
      title={t('signOut.title')}
      body={t('signOut.body', { count })}
      confirm={t('signOut.confirm')}
      cancel={t('signOut.stay')}
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
