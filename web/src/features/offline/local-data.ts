/**
 * What this device keeps for the signed-in person (the outbox, records read offline). Owned by the
 * offline feature; the session calls these two. IndexedDB's code (Dexie) loads with the first call,
 * not with the sign-in screen.
 */
const device = () => import('./device.ts');

/** Removes everything kept on this device: at sign-out, and before another person uses it. */
export async function clearLocalData(): Promise<void> {
  await (await device()).clearLocalData();
}

/** Records who uses the device now; if it was someone else, their local data is removed first. */
export async function claimDevice(userId: string): Promise<void> {
  await (await device()).claimDevice(userId);
}

/**
 * Keeps the records assigned to the signed-in person on the device, for reading offline
 * (record-cache.ts): after sign-in, once the device is claimed, and when the connection returns.
 */
export async function refreshAssignedRecords(): Promise<void> {
  await (await import('./record-cache.ts')).refreshAssignedRecords();
}
