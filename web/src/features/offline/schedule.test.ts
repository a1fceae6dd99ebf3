import { describe, expect, it } from 'vitest';
import { attachmentKey, backoff, backoffDelay, leftBehind, nextStep, outcomeOf, planRefresh, type QueuedItem } from './schedule.ts';

const item = (id: string, seq: number, state: QueuedItem['state'], nextAttemptAt = 0): QueuedItem => ({ id, seq, state, nextAttemptAt });

describe('which submission goes next', () => {
  it('sends the oldest waiting one first, whatever order they are read in', () => {
    expect(nextStep([item('c', 3, 'waiting'), item('a', 1, 'waiting'), item('b', 2, 'waiting')], 1_000)).toEqual({ kind: 'send', id: 'a' });
  });

  it('skips what is sent or refused: a refusal does not block the ones after it', () => {
    expect(nextStep([item('a', 1, 'sent'), item('b', 2, 'refused'), item('c', 3, 'waiting')], 1_000)).toEqual({ kind: 'send', id: 'c' });
  });

  it('keeps the order while the oldest waits for its next try: a later one is not sent before it', () => {
    const items = [item('a', 1, 'waiting', 5_000), item('b', 2, 'waiting', 0)];
    expect(nextStep(items, 1_000)).toEqual({ kind: 'wait', id: 'a', delayMs: 4_000 });
    expect(nextStep(items, 5_000)).toEqual({ kind: 'send', id: 'a' });
  });

  it('has nothing to do when nothing waits', () => {
    expect(nextStep([], 0)).toEqual({ kind: 'idle' });
    expect(nextStep([item('a', 1, 'sent'), item('b', 2, 'refused')], 0)).toEqual({ kind: 'idle' });
  });
});

describe('the backoff after a failure', () => {
  it('doubles from 2 s, between half and all of the ceiling', () => {
    expect(backoffDelay(1, 0)).toBe(1_000);
    expect(backoffDelay(1, 0.999_999)).toBe(2_000);
    expect(backoffDelay(2, 0)).toBe(2_000);
    expect(backoffDelay(3, 0.5)).toBe(6_000);
    expect(backoffDelay(4, 0)).toBe(8_000);
  });

  it('is capped at 5 minutes however many failures, and never overflows', () => {
    for (const failures of [9, 10, 50, 1_000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(failures, 0.999_999)).toBeLessThanOrEqual(backoff.maxMs);
      expect(backoffDelay(failures, 0)).toBe(backoff.maxMs / 2);
    }
  });

  it('spreads devices that failed together (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(6)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(32_000);
  });

  it('treats a first try with no failure yet like the first failure', () => {
    expect(backoffDelay(0, 0)).toBe(backoffDelay(1, 0));
  });
});

describe('what a failure means', () => {
  it('retries when the server could not be reached or was failing', () => {
    expect(outcomeOf({ offline: true })).toBe('retry');
    for (const status of [500, 503, 408, 429]) expect(outcomeOf({ status, code: 'x' })).toBe('retry');
  });

  it('waits for a new sign-in on 401, or a stale CSRF token: not a refusal', () => {
    expect(outcomeOf({ status: 401, code: 'unauthenticated' })).toBe('pause');
    expect(outcomeOf({ status: 403, code: 'forbidden', field: 'x-csrf-token' })).toBe('pause');
  });

  it('refuses what the server refused, a version conflict included: it is never retried blindly', () => {
    expect(outcomeOf({ status: 409, code: 'version_conflict', field: 'version' })).toBe('refuse');
    expect(outcomeOf({ status: 400, code: 'validation_failed', field: 'child.dateOfBirth' })).toBe('refuse');
    expect(outcomeOf({ status: 403, code: 'forbidden' })).toBe('refuse');
    expect(outcomeOf({ status: 422, code: 'idempotency_key_reused' })).toBe('refuse');
    expect(outcomeOf({ status: 413, code: 'payload_too_large' })).toBe('refuse');
  });
});

describe('after a crash', () => {
  it('finds the submissions a dead sender left as sending', () => {
    expect(leftBehind([item('a', 1, 'sent'), item('b', 2, 'sending'), item('c', 3, 'waiting'), item('d', 4, 'sending')])).toEqual(['b', 'd']);
  });

  it('sends a recovered one again before the ones after it', () => {
    const items = [item('a', 1, 'waiting'), item('b', 2, 'waiting')];
    expect(nextStep(items, 0)).toEqual({ kind: 'send', id: 'a' });
  });

  it('gives each attachment a key of its own, the same on every retry, that the server accepts', () => {
    const key = '0b0e4c1e-53a4-4a57-9e0e-5b2b4d3c9e11';
    expect(attachmentKey(key, 0)).toBe(attachmentKey(key, 0));
    expect(attachmentKey(key, 0)).not.toBe(attachmentKey(key, 1));
    for (const index of [0, 1, 19]) expect(attachmentKey(key, index)).toMatch(/^[A-Za-z0-9._:-]{8,100}$/);
  });
});

describe('refreshing the records kept for offline reading', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();

  it('reads again only the assigned records whose version moved or that are not kept yet', () => {
    const plan = planRefresh(
      [
        { id: 'same', version: 3 },
        { id: 'moved', version: 5 },
        { id: 'new', version: 1 },
      ],
      [
        { id: 'same', version: 3, savedAt: hoursAgo(1) },
        { id: 'moved', version: 4, savedAt: hoursAgo(1) },
      ],
      now,
    );
    expect(plan.fetch).toEqual(['moved', 'new']);
    expect(plan.drop).toEqual([]);
  });

  it('forgets a record no longer assigned once it is more than a day old, never an assigned one', () => {
    const plan = planRefresh([{ id: 'mine', version: 1 }], [
      { id: 'mine', version: 1, savedAt: hoursAgo(100) },
      { id: 'read-lately', version: 1, savedAt: hoursAgo(2) },
      { id: 'read-long-ago', version: 1, savedAt: hoursAgo(30) },
    ], now);
    expect(plan.drop).toEqual(['read-long-ago']);
  });

  it('keeps at most maxRecords, the oldest unassigned going first', () => {
    const cached = [0, 1, 2, 3].map((i) => ({ id: `r${i}`, version: 1, savedAt: hoursAgo(i) }));
    const plan = planRefresh([{ id: 'a', version: 1 }], cached, now, { maxRecords: 3, keepReadMs: 86_400_000 });
    expect(plan.drop.sort()).toEqual(['r2', 'r3']);
  });
});
