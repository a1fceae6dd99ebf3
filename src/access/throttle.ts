/**
 * Lockout after failed sign-ins (per user and per client address). Policy: the first few failures
 * cost nothing (people mistype), then each further failure doubles the wait, up to an hour.
 */
export const freeFailures = 4;
export const firstLockMs = 30_000;
export const maxLockMs = 3_600_000;

export interface ThrottleState {
  failures: number;
  lockedUntil: Date | null;
}

export function lockoutAfterFailure(state: { failures: number; now: Date }): ThrottleState {
  const failures = state.failures + 1;
  if (failures <= freeFailures) return { failures, lockedUntil: null };
  const ms = Math.min(maxLockMs, firstLockMs * 2 ** Math.min(failures - freeFailures - 1, 20));
  return { failures, lockedUntil: new Date(state.now.getTime() + ms) };
}

export function isLocked(state: ThrottleState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}
