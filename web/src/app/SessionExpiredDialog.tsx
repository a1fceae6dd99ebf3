import { lazy, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

const SignInForm = lazy(() => import('../features/sign-in/SignInForm.tsx'));

/**
 * The session ended while someone was working: sign in again in a dialog over the page, so the form
 * underneath (and everything typed in it) stays as it was.
 */
export function SessionExpiredDialog({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation('shell');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="expired-title" onCancel={(event) => event.preventDefault()}>
      <h2 id="expired-title">{t('session.expiredTitle')}</h2>
      <p>{t('session.expiredBody')}</p>
      <Suspense fallback={<p>{t('common.loading')}</p>}>
        <SignInForm onSignedIn={onSignedIn} />
      </Suspense>
    </dialog>
  );
}
