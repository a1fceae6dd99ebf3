import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../api/client.ts';
import { defaultKeep, formatWeight, readNote, refusedField, type ReviewRecord, toneOf } from './api.ts';

const record = (o: Partial<ReviewRecord>): ReviewRecord => ({
  id: 'a',
  status: 'DECLARED',
  version: 1,
  number: null,
  iin: null,
  legacyRef: null,
  jurisdiction: '711300000',
  officeId: null,
  createdAt: '2026-11-01T10:00:00.000Z',
  facts: null,
  ...o,
});

describe('the duplicate review’s pure helpers', () => {
  it('reads the comparison notes scoring.ts writes', () => {
    expect(readNote(undefined)).toBeUndefined();
    expect(readNote('swapped')).toEqual({ key: 'swapped' });
    expect(readNote('one_delivery')).toEqual({ key: 'oneDelivery' });
    expect(readNote('another_child')).toEqual({ key: 'anotherChild' });
    expect(readNote('days_apart:3')).toEqual({ key: 'daysApart', days: 3 });
    expect(readNote('something_new')).toEqual({ key: 'other', text: 'something_new' });
  });

  it('says which way a field leans: missing and zero-weight fields are not counted', () => {
    expect(toneOf({ level: 'exact', weight: 7.7 })).toBe('agree');
    expect(toneOf({ level: 'different', weight: -7.6 })).toBe('disagree');
    expect(toneOf({ level: 'missing', weight: 0 })).toBe('neutral');
    expect(toneOf({ level: 'different', weight: 0 })).toBe('neutral');
  });

  it('writes weights with their sign to one decimal, a tiny weight still signed', () => {
    expect(formatWeight(7.704, 'en')).toBe('+7.7');
    expect(formatWeight(-7.6, 'en')).toBe('-7.6');
    expect(formatWeight(0, 'en')).toBe('0.0');
    expect(formatWeight(0.03, 'en')).toBe('+0.0');
    expect(formatWeight(5.1, 'ru')).toBe('+5,1');
  });

  it('keeps the registered record by default, else the earlier one, as the server does', () => {
    const a = record({ id: 'a', createdAt: '2026-11-01T10:00:00.000Z' });
    const b = record({ id: 'b', createdAt: '2026-11-02T10:00:00.000Z' });
    expect(defaultKeep(a, b)).toBe('a');
    expect(defaultKeep(a, { ...b, number: 'kz-rgo-71-01/2026/000001' })).toBe('b');
    expect(defaultKeep({ ...b, id: 'b' }, a)).toBe('a');
  });

  it('names the refused field without the request part', () => {
    expect(refusedField(new ApiProblem(400, { code: 'validation_failed', field: 'querystring.motherIin' }))).toBe('motherIin');
    expect(refusedField(new ApiProblem(400, { code: 'validation_failed', field: 'reason' }))).toBe('reason');
    expect(refusedField(new ApiProblem(400, { code: 'validation_failed', field: '/body/keep' }))).toBe('keep');
    expect(refusedField(new Error('x'))).toBeUndefined();
  });
});
