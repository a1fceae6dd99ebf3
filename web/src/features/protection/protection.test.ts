import { describe, expect, it } from 'vitest';
import { type Consent, scaleOf, sharingConsent, taskOverdue, timeLeft } from './api.ts';

const now = new Date('2026-11-26T12:00:00.000Z');

const consent = (o: Partial<Consent>): Consent => ({
  id: 'c1',
  purpose: 'sharing',
  agency: 'legal_aid',
  givenBy: { name: 'Мадина', relation: 'mother' },
  recordedBy: 'user:x',
  at: '2026-11-20T10:00:00.000Z',
  withdrawnAt: null,
  ...o,
});

describe('the protection screens’ pure helpers', () => {
  it('says how long is left before a deadline, or how long past it, in hours under two days, else days', () => {
    expect(timeLeft('2026-11-26T17:30:00.000Z', now)).toEqual({ overdue: false, unit: 'hour', amount: 5 });
    expect(timeLeft('2026-11-29T12:00:00.000Z', now)).toEqual({ overdue: false, unit: 'day', amount: 3 });
    expect(timeLeft('2026-11-25T12:00:00.000Z', now)).toEqual({ overdue: true, unit: 'hour', amount: 24 });
    expect(timeLeft('2026-11-20T11:00:00.000Z', now)).toEqual({ overdue: true, unit: 'day', amount: 6 });
    // Due this very moment is due, not "0 hours left".
    expect(timeLeft(now.toISOString(), now).overdue).toBe(true);
  });

  it('marks an open task overdue past its time, or after its day; a done task never', () => {
    expect(taskOverdue({ status: 'open', dueAt: '2026-11-26T11:59:00.000Z' }, now)).toBe(true);
    expect(taskOverdue({ status: 'open', dueAt: '2026-11-26T12:01:00.000Z' }, now)).toBe(false);
    expect(taskOverdue({ status: 'open', dueOn: '2026-11-26' }, now)).toBe(false);
    expect(taskOverdue({ status: 'open', dueOn: '2026-11-25' }, now)).toBe(true);
    expect(taskOverdue({ status: 'done', dueOn: '2026-11-01' }, now)).toBe(false);
  });

  it('finds the consent that allows sharing with an agency as the server checks it: that agency, not withdrawn', () => {
    expect(sharingConsent([consent({})], 'legal_aid')?.id).toBe('c1');
    expect(sharingConsent([consent({})], 'health')).toBeUndefined();
    expect(sharingConsent([consent({ agency: null })], 'legal_aid')).toBeUndefined();
    expect(sharingConsent([consent({ withdrawnAt: '2026-11-21T10:00:00.000Z' })], 'legal_aid')).toBeUndefined();
    expect(sharingConsent([consent({ purpose: 'tracing' })], 'legal_aid')).toBeUndefined();
  });

  it('scales charts to their largest count, never to zero', () => {
    expect(scaleOf([])).toBe(1);
    expect(scaleOf([0, 0])).toBe(1);
    expect(scaleOf([3, 7, 2])).toBe(7);
  });
});
