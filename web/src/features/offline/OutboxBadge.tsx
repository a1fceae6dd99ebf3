import { lazy, Suspense } from 'react';

const OutboxCount = lazy(() => import('./OutboxCount.tsx'));

/**
 * How many submissions wait to be sent (and how many were refused), for the menu's Outbox entry;
 * nothing when there are none. Loaded after the shell, so IndexedDB's code is not on the sign-in path.
 */
export function OutboxBadge() {
  return (
    <Suspense fallback={null}>
      <OutboxCount />
    </Suspense>
  );
}
