/**
 * How often one address may ask about certificates: a school or a border post checks a handful a
 * minute; a script walking serials is what the limit is for. Counted per process in memory (a
 * window per address), which is enough for one office or a few app processes behind a balancer;
 * the count is approximate across processes by design, as no verification writes to the database.
 */
export const verifyLimit = { perMinute: 30, maxTrackedAddresses: 50_000 } as const;

export class VerifyLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: { perMinute: number; maxTrackedAddresses: number } = verifyLimit) {}

  /** Counts one request from `address` at `now`; the seconds to wait when it is over the limit, else 0. */
  take(address: string, now: number): number {
    const minute = 60_000;
    let w = this.windows.get(address);
    if (!w || now - w.start >= minute) {
      if (!w && this.windows.size >= this.limit.maxTrackedAddresses) this.forgetOlderThan(now - minute);
      w = { start: now, count: 0 };
      this.windows.set(address, w);
    }
    w.count += 1;
    return w.count > this.limit.perMinute ? Math.max(1, Math.ceil((w.start + minute - now) / 1000)) : 0;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [address, w] of this.windows) if (w.start < cutoff) this.windows.delete(address);
    // Under a flood of fresh addresses nothing is old enough: start again rather than grow without bound.
    if (this.windows.size >= this.limit.maxTrackedAddresses) this.windows.clear();
  }
}
