/** The device's owner and its clearing, behind local-data.ts. */
import { db } from './db.ts';
import { setSenderReady } from './sender.ts';

/**
 * Removes everything kept on this device: at sign-out, and before another person uses it. The sender
 * stops first, so nothing of the last session is sent under the next one.
 */
export async function clearLocalData(): Promise<void> {
  setSenderReady(false);
  await db.transaction('rw', db.submissions, db.records, db.device, async () => {
    await Promise.all([db.submissions.clear(), db.records.clear(), db.device.clear()]);
  });
  await clearDataCaches();
}

/**
 * Records who uses the device now; if it was someone else, their local data is removed first. Called
 * once the session is known (its CSRF token set), so it is also what lets the outbox start sending.
 * Submissions made while nobody had claimed the device (opened offline after a sign-out) stay, to be
 * sent by whoever signs in: losing a declaration is the worse outcome.
 */
export async function claimDevice(userId: string): Promise<void> {
  const previous = await db.transaction('rw', db.submissions, db.records, db.device, async () => {
    const owner = await db.device.get('owner');
    if (owner && owner.userId !== userId) await Promise.all([db.submissions.clear(), db.records.clear()]);
    await db.device.put({ key: 'owner', userId });
    return owner?.userId;
  });
  if (previous && previous !== userId) await clearDataCaches();
  setSenderReady(true);
}

/**
 * The app keeps no API answers in Cache Storage (the service worker never caches /api); should a
 * cache other than the app shell's precache ever appear, it goes with the rest.
 */
async function clearDataCaches(): Promise<void> {
  if (typeof caches === 'undefined') return;
  for (const name of await caches.keys()) if (!name.startsWith('workbox-precache')) await caches.delete(name);
}
