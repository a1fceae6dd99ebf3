import { describe, expect, it } from 'vitest';
import { compact, decisionOf, followUpDone, personName, type TracingRequest } from './api.ts';

const stamp = { by: 'user:w', at: '2026-11-26T10:00:00.000Z' };

const request = (o: Partial<TracingRequest> = {}): TracingRequest => ({
  id: 't',
  status: 'OPEN',
  version: 1,
  jurisdiction: '711300000',
  officeId: null,
  createdBy: 'user:w',
  createdAt: stamp.at,
  workers: [],
  caseId: null,
  requester: { surname: 'Aliyeva', givenName: 'Gulnara', relation: 'mother' },
  sought: { surname: 'Aliyev', givenName: 'Timur' },
  soughtRange: null,
  consent: { givenBy: { name: 'Gulnara Aliyeva', relation: 'mother' }, recordedBy: 'user:w', at: stamp.at, withdrawnAt: null, withdrawnBy: null },
  matches: [],
  contacts: [],
  verifications: [],
  assessments: [],
  reunification: null,
  notReunified: null,
  closure: null,
  access: 'work',
  allowedActions: [],
  ...o,
});

describe('the tracing screens’ pure helpers', () => {
  it('sends only what was said: trimmed strings, no empty ones', () => {
    expect(compact({ surname: ' Aliyev ', givenName: '', patronymic: undefined, contact: '  ' })).toEqual({ surname: 'Aliyev' });
    expect(personName({ surname: 'Алиев', givenName: 'Тимур', patronymic: null })).toBe('Алиев Тимур');
    expect(personName({})).toBeUndefined();
  });

  it('follows the steps from a confirmed match to the reunification', () => {
    expect(Object.values(followUpDone(request())).every((done) => !done)).toBe(true);
    const confirmed = request({ matches: [{ kind: 'birth', subjectId: 's', person: 1, status: 'confirmed', score: 23, reason: null, ...stamp }] });
    expect(followUpDone(confirmed)).toMatchObject({ match: true, contact: false });
    // A verification that did not confirm the relationship is not the step done.
    expect(followUpDone({ ...confirmed, verifications: [{ method: 'interview', outcome: 'inconclusive', note: 'n', ...stamp }] }).verify).toBe(false);
    expect(followUpDone({ ...confirmed, notReunified: { reason: 'r', ...stamp } }).outcome).toBe(true);
  });

  it('finds the latest review of a match', () => {
    const r = request({
      matches: [
        { kind: 'case', subjectId: 's', person: 1, status: 'rejected', score: 10, reason: 'no', ...stamp },
        { kind: 'case', subjectId: 's', person: 1, status: 'confirmed', score: 12, reason: null, ...stamp },
      ],
    });
    expect(decisionOf(r, { kind: 'case', subjectId: 's' })?.status).toBe('confirmed');
    expect(decisionOf(r, { kind: 'birth', subjectId: 's' })).toBeUndefined();
  });
});
