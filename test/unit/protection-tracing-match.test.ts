import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/linkage/comparison.ts';
import { modelFromSettings } from '../../src/linkage/scoring.ts';
import { loadLinkageSettings } from '../../src/linkage/settings.ts';
import { birthRange, type Candidate, compareAges, comparePlaces, rankCandidates, requesterRoles, scoreCandidate, tracingThresholds, type TracingQuery } from '../../src/protection/tracing-match.ts';
import { reduceTracing, tracingTransitions } from '../../src/protection/tracing-record.ts';

const settings = loadLinkageSettings('kz');
const model = modelFromSettings(settings);
const tolerance = settings.dateToleranceDays;
const today = '2026-11-20';

/** A mother writing in Latin, looking for her son of about nine. */
const query: TracingQuery = {
  requester: { surname: 'Aliyeva', givenName: 'Gulnara', relation: 'mother' },
  sought: { surname: 'Aliyev', givenName: 'Timur', sex: 'male', ...birthRange(9, today), place: '711300000' },
};

/** A protection case recorded in Cyrillic: the child Тимур Алиев and his mother Гульнара Алиева. */
const theCase: Candidate = {
  kind: 'case',
  subjectId: '00000000-0000-7000-8000-000000000001',
  jurisdiction: '711300000',
  people: [
    { person: 0, role: 'child', surname: 'Алиев', givenName: 'Тимур', sex: 'male', bornFrom: '2016-06-01', bornTo: '2017-06-01', place: '711310000' },
    { person: 1, role: 'mother', surname: 'Алиева', givenName: 'Гульнара' },
    { person: 2, role: 'sibling', surname: 'Алиева', givenName: 'Айгерим', sex: 'female', dateOfBirth: '2019-03-02' },
  ],
};

const field = (m: ReturnType<typeof scoreCandidate>, name: string) => m?.fields.find((f) => f.field === name);

describe('tracing scoring', () => {
  it('finds Тимур Алиев and his mother Гульнара Алиева from a request in Latin, field by field', () => {
    const m = scoreCandidate(query, theCase, model, tolerance)!;
    expect(m).toBeDefined();
    expect(m.sought.role).toBe('child');
    expect(m.requester?.role).toBe('mother');
    expect(field(m, 'sought_surname')).toMatchObject({ level: 'transliteration', a: 'Aliyev', b: 'Алиев' });
    expect(field(m, 'sought_given_name')).toMatchObject({ level: 'transliteration', a: 'Timur', b: 'Тимур' });
    expect(field(m, 'requester_surname')).toMatchObject({ level: 'transliteration', a: 'Aliyeva', b: 'Алиева' });
    expect(field(m, 'requester_given_name')).toMatchObject({ level: 'transliteration', a: 'Gulnara', b: 'Гульнара' });
    expect(field(m, 'sought_age')?.level).toBe('within');
    expect(field(m, 'sought_sex')?.level).toBe('same');
    expect(field(m, 'sought_place')?.level).toBe('district');
    expect(m.band).toBe('likely');
    // The explanation adds up to the score.
    expect(m.fields.reduce((s, f) => s + f.weight, 0)).toBeCloseTo(m.score, 1);
  });

  it('takes the sibling for nobody: the person sought is the child whose names agree', () => {
    const m = scoreCandidate(query, theCase, model, tolerance)!;
    expect(m.sought.person).toBe(0);
  });

  it('weighs an age outside the range against, and a much older namesake falls below the band', () => {
    const older: Candidate = { ...theCase, people: [{ ...theCase.people[0]!, bornFrom: '1990-01-01', bornTo: '1991-01-01' }, theCase.people[1]!] };
    const m = scoreCandidate(query, older, model, tolerance)!;
    expect(field(m, 'sought_age')).toMatchObject({ level: 'different' });
    expect(field(m, 'sought_age')!.weight).toBeLessThan(0);
    expect(m.score).toBeLessThan(scoreCandidate(query, theCase, model, tolerance)!.score);
  });

  it('does not list a candidate with only a common surname', () => {
    const stranger: Candidate = { ...theCase, people: [{ person: 0, role: 'child', surname: 'Алиев', givenName: 'Руслан', bornFrom: '2016-06-01', bornTo: '2017-06-01' }] };
    expect(scoreCandidate(query, stranger, model, tolerance)).toBeUndefined();
  });

  it('finds a birth: the child by its names and exact date within the range, the mother by the requester’s names', () => {
    const birth: Candidate = {
      kind: 'birth',
      subjectId: '00000000-0000-7000-8000-000000000002',
      jurisdiction: '711300000',
      people: [
        { person: 1, role: 'child', surname: 'Алиев', givenName: 'Тимур', sex: 'male', dateOfBirth: '2017-05-10', place: '711300000' },
        { person: 2, role: 'mother', surname: 'Алиева', givenName: 'Гульнара' },
      ],
    };
    const [m] = rankCandidates(query, [birth], model, tolerance);
    expect(m).toMatchObject({ kind: 'birth', band: 'likely' });
    expect(field(m, 'sought_age')).toMatchObject({ level: 'within', a: expect.stringContaining('/'), b: '2017-05-10' });
  });

  it('pairs two requests looking for each other: the sought is the other’s requester', () => {
    const other: Candidate = {
      kind: 'tracing',
      subjectId: '00000000-0000-7000-8000-000000000003',
      jurisdiction: '750000000',
      people: [
        { person: 0, role: 'requester', surname: 'Алиев', givenName: 'Тимур' },
        { person: 1, role: 'sought', surname: 'Алиева', givenName: 'Гульнара' },
      ],
    };
    const m = scoreCandidate(query, other, model, tolerance)!;
    expect(m.sought.role).toBe('requester');
    expect(m.requester?.role).toBe('sought');
    expect(m.band).toBe('likely');
  });

  it('maps the relation to the role the requester should have', () => {
    expect(requesterRoles('child', 'mother')).toEqual(['mother']);
    expect(requesterRoles('child', 'father')).toEqual(['father']);
    expect(requesterRoles('mother', 'child')).toContain('child');
    expect(requesterRoles('requester', 'mother')).toEqual(['sought']);
  });

  it('compares places by KATO district and region, and stated places by their match form', () => {
    expect(comparePlaces('711310000', '711300000')?.level).toBe('district');
    expect(comparePlaces('711300000', '712100000')?.level).toBe('region');
    expect(comparePlaces('711300000', '750000000')?.level).toBe('different');
    expect(comparePlaces('Astana', 'Астана')?.level).toBe('same_text');
    expect(comparePlaces(undefined, 'Астана')).toBeUndefined();
  });
});

describe('ages as ranges', () => {
  it('an approximate age of 9 on 2026-11-20 (±1) is a birth between 2015-11-21 and 2018-11-20', () => {
    expect(birthRange(9, today)).toEqual({ bornFrom: '2015-11-21', bornTo: '2018-11-20' });
    expect(birthRange(0, today, 0)).toEqual({ bornFrom: '2025-11-21', bornTo: '2026-11-20' });
    // Born on 2024-02-29, a child is 4 on 2028-02-29; in a year without 29 February, the 28th stands for it.
    expect(birthRange(3, '2028-02-29', 0)).toEqual({ bornFrom: '2024-03-01', bornTo: '2025-02-28' });
  });

  const date = fc.integer({ min: dayNumber('1990-01-01'), max: dayNumber('2026-11-20') }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

  it('a child of the stated age is always inside the range, whatever the margin, and the range is well formed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 0, max: 3 }), date, fc.integer({ min: 2, max: 362 }), (years, margin, on, extra) => {
        const r = birthRange(years, on, margin);
        expect(r.bornFrom <= r.bornTo).toBe(true);
        // Aged exactly `years` on `on`: born `years` years and `extra` days before.
        const born = new Date((dayNumber(on) - Math.round(years * 365.25) - extra) * 86_400_000).toISOString().slice(0, 10);
        expect(compareAges(r, { dateOfBirth: born }, model, tolerance)?.level).toBe('within');
      }),
    );
  });

  it('overlap is symmetric, and a wider range never weighs more than a narrower one inside it', () => {
    fc.assert(
      fc.property(date, date, fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (a, b, wa, wb) => {
        const shift = (d: string, n: number) => new Date((dayNumber(d) + n) * 86_400_000).toISOString().slice(0, 10);
        const ra = { bornFrom: a, bornTo: shift(a, wa) };
        const rb = { bornFrom: b, bornTo: shift(b, wb) };
        const ab = compareAges(ra, rb, model, tolerance)!;
        const ba = compareAges(rb, ra, model, tolerance)!;
        expect(ab.level).toBe(ba.level);
        expect(ab.weight).toBeCloseTo(ba.weight, 9);
        if (ab.level === 'within') {
          const wider = compareAges({ bornFrom: shift(a, -100), bornTo: shift(a, wa + 100) }, rb, model, tolerance)!;
          expect(wider.level).toBe('within');
          expect(wider.weight).toBeLessThanOrEqual(ab.weight + 1e-9);
        }
      }),
    );
  });

  it('the same family in Latin scores at least as well as in Cyrillic (exact spellings above transliterations)', () => {
    const latin: Candidate = { ...theCase, people: [{ ...theCase.people[0]!, surname: 'Aliev', givenName: 'Timur' }, { ...theCase.people[1]!, surname: 'Alieva', givenName: 'Gulnara' }] };
    const a = scoreCandidate(query, theCase, model, tolerance)!;
    const b = scoreCandidate(query, latin, model, tolerance)!;
    expect(a.score).toBeGreaterThanOrEqual(tracingThresholds.likely);
    expect(b.score).toBeGreaterThanOrEqual(a.score);
    expect(b.fields.find((f) => f.field === 'requester_given_name')?.level).toBe('exact');
  });
});

describe('the tracing request reducer', () => {
  const at = new Date('2026-11-20T10:00:00Z');
  let seq = 0;
  const act = (payload: Record<string, unknown>, reason: string | null = null) => ({
    recordId: 'r',
    recordSeq: ++seq,
    type: payload.type as string,
    actor: 'user:w1',
    officeId: 'kz-rgo-71-01',
    at,
    reason,
    payload: payload as never,
    prevHash: '',
    hash: '',
  });
  it('walks from a request to a reunification on plain arrays', () => {
    let s = reduceTracing(undefined, act({ type: 'REQUEST', jurisdiction: '711300000', requester: query.requester, sought: { givenName: 'Timur' }, soughtRange: null, consent: { givenBy: { name: 'Gulnara', relation: 'mother' } }, caseId: null }));
    expect(s.status).toBe('OPEN');
    s = reduceTracing(s, act({ type: 'CONFIRM_MATCH', kind: 'case', subjectId: theCase.subjectId, person: 0, score: 25 }));
    expect(s.status).toBe('MATCHED');
    s = reduceTracing(s, act({ type: 'VERIFY_RELATIONSHIP', method: 'documents', outcome: 'confirmed', note: 'birth certificate seen' }));
    expect(s.status).toBe('VERIFIED');
    s = reduceTracing(s, act({ type: 'ASSESS_FAMILY', outcome: 'suitable', note: 'home visit' }));
    expect(s.status).toBe('ASSESSED');
    expect(tracingTransitions[s.status]).toContain('REUNIFY');
    s = reduceTracing(s, act({ type: 'REUNIFY', caseId: null, on: '2026-11-20', note: 'together' }));
    expect(s.status).toBe('REUNIFIED');
    expect(s.reunification).toMatchObject({ on: '2026-11-20', by: 'user:w1' });
  });

  it('rejecting the only confirmed match goes back to OPEN; withdrawing consent leaves only CLOSE', () => {
    let s = reduceTracing(undefined, act({ type: 'REQUEST', jurisdiction: '711300000', requester: query.requester, sought: { givenName: 'Timur' }, soughtRange: null, consent: { givenBy: { name: 'G', relation: 'mother' } }, caseId: null }));
    s = reduceTracing(s, act({ type: 'CONFIRM_MATCH', kind: 'birth', subjectId: theCase.subjectId, score: 20 }));
    s = reduceTracing(s, act({ type: 'REJECT_MATCH', kind: 'birth', subjectId: theCase.subjectId }, 'another family'));
    expect(s.status).toBe('OPEN');
    expect(s.matches).toEqual([expect.objectContaining({ status: 'rejected', reason: 'another family' })]);
    s = reduceTracing(s, act({ type: 'WITHDRAW_CONSENT' }));
    expect(s.status).toBe('CONSENT_WITHDRAWN');
    expect(s.consent.withdrawnAt).not.toBeNull();
    expect(tracingTransitions.CONSENT_WITHDRAWN).toEqual(['CLOSE']);
  });
});
