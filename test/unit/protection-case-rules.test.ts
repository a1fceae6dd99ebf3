import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/policy.ts';
import type { ActionFacts } from '../../src/core/action-log/record-definition.ts';
import { allowedCaseActions, caseAccess, mayTake } from '../../src/protection/case-access.ts';
import { type CasePayload, caseRecord, type CaseState, caseTransitions, checkCaseAction, reduceCase } from '../../src/protection/case-record.ts';
import { caseWorker, districtRegistrar, supervisor, yesil } from '../support/protection.ts';

/** The case's pure rules on plain arrays: the reducer, the transition table, the checks, need to know. */
const owner = 'user:case-worker-1-711300000';
const boss = 'user:supervisor-1-710000000';
const id = (n: number) => `01890000-0000-7000-8000-${String(n).padStart(12, '0')}`;
let seq = 0;

function action(payload: CasePayload, actor = owner, reason: string | null = null): ActionFacts {
  seq += 1;
  return { recordId: id(0), recordSeq: seq, type: payload.type, actor, officeId: null, at: new Date(Date.UTC(2026, 2, 2, 6, seq)), reason, payload: payload as never, prevHash: '', hash: '' };
}

const open: CasePayload = {
  type: 'OPEN',
  kind: 'unaccompanied',
  jurisdiction: yesil,
  officeId: 'kz-rgo-71-01',
  risk: 'high',
  child: { givenName: 'Тимур', languages: ['ru'], identityAsStated: true },
  separation: null,
  referralIds: [],
  birthRecordId: null,
  firstContact: { taskId: id(1), dueAt: '2026-03-03T06:00:00.000Z' },
};

function foldAll(actions: ActionFacts[]): CaseState {
  return actions.reduce<CaseState | undefined>((s, a) => reduceCase(s, a), undefined)!;
}

const rules = { bidMandatoryKinds: ['unaccompanied', 'separated'] };

describe('the case reducer', () => {
  const walk = [
    action(open),
    action({ type: 'CONTACT', at: '2026-03-02T08:00:00.000Z' }),
    action({ type: 'ASSESS', assessmentId: id(2), kind: 'initial', findings: 'f', needs: [], risk: 'medium' }),
    action({ type: 'APPROVE_ASSESSMENT', assessmentId: id(2) }, boss),
    action({ type: 'PLAN', goals: ['g'], services: [], reviewOn: '2026-06-01' }),
    action({ type: 'APPROVE_PLAN', reviewTaskId: id(3) }, boss),
    action({ type: 'FOLLOW_UP', note: 'n', nextOn: '2026-03-20', taskId: id(4) }),
  ];

  it('walks the stages, keeping who did what and when', () => {
    const stages = walk.map((_, i) => foldAll(walk.slice(0, i + 1)).status);
    expect(stages).toEqual(['REGISTERED', 'REGISTERED', 'ASSESSMENT', 'PLANNING', 'PLANNING', 'IMPLEMENTATION', 'FOLLOW_UP']);
    const s = foldAll(walk);
    expect(s.contactedAt).toBe('2026-03-02T08:00:00.000Z');
    expect(s.risk).toBe('medium');
    expect(s.riskHistory.map((r) => r.risk)).toEqual(['high', 'medium']);
    expect(s.tasks.map((t) => [t.kind, t.status])).toEqual([
      ['first_contact', 'done'],
      ['plan_review', 'open'],
      ['follow_up', 'open'],
    ]);
  });

  it('refuses closure with open tasks, and without a decided BID for an unaccompanied child', () => {
    const s = foldAll(walk);
    expect(() => checkCaseAction(s, { type: 'REQUEST_CLOSURE' }, owner, 'done', rules)).toThrow(/open tasks/);
    const done = foldAll([...walk, action({ type: 'COMPLETE_TASK', taskId: id(3) }), action({ type: 'COMPLETE_TASK', taskId: id(4) })]);
    expect(() => checkCaseAction(done, { type: 'REQUEST_CLOSURE' }, owner, 'done', rules)).toThrow(/best-interests/);
    const decided = foldAll([...walk, action({ type: 'COMPLETE_TASK', taskId: id(3) }), action({ type: 'COMPLETE_TASK', taskId: id(4) }), action({ type: 'BID_CONVENED', bidId: id(9), question: 'durable_solution' }), action({ type: 'BID_DECIDED', bidId: id(9), option: 'return' })]);
    expect(() => checkCaseAction(decided, { type: 'REQUEST_CLOSURE' }, owner, 'done', rules)).not.toThrow();
  });

  it('never lets an author approve their own assessment, plan or closure', () => {
    const assessed = foldAll(walk.slice(0, 3));
    expect(() => checkCaseAction(assessed, { type: 'APPROVE_ASSESSMENT', assessmentId: id(2) }, owner, null, rules)).toThrow(/someone other/);
    expect(() => checkCaseAction(assessed, { type: 'APPROVE_ASSESSMENT', assessmentId: id(2) }, boss, null, rules)).not.toThrow();
  });

  it('shares with an agency only under a consent in force for that agency', () => {
    const s = foldAll(walk);
    const refer: CasePayload = { type: 'REFER_SERVICE', serviceId: id(5), agency: 'legal_aid', service: 's', consentId: id(6) };
    expect(() => checkCaseAction(s, refer, owner, null, rules)).toThrow(/consent/);
    const given = foldAll([...walk, action({ type: 'GIVE_CONSENT', consentId: id(6), purpose: 'sharing', agency: 'legal_aid', givenBy: { name: 'm', relation: 'mother' } })]);
    expect(() => checkCaseAction(given, refer, owner, null, rules)).not.toThrow();
    expect(() => checkCaseAction(given, { ...refer, agency: 'shelter' }, owner, null, rules)).toThrow(/consent/);
    const withdrawn = reduceCase(given, action({ type: 'WITHDRAW_CONSENT', consentId: id(6) }));
    expect(() => checkCaseAction(withdrawn, refer, owner, null, rules)).toThrow(/consent/);
  });

  it('derives the tracing consent from the consents', () => {
    const given = foldAll([action(open), action({ type: 'GIVE_CONSENT', consentId: id(7), purpose: 'tracing', agency: null, givenBy: { name: 'c', relation: 'self' } })]);
    expect(given.tracingConsent).toBe(true);
    expect(reduceCase(given, action({ type: 'WITHDRAW_CONSENT', consentId: id(7) })).tracingConsent).toBe(false);
  });

  it('gives every action type of the table a payload schema, and every stage a row', () => {
    const types = new Set(Object.values(caseTransitions).flat());
    for (const type of types) expect(caseRecord.payloads[type], type).toBeDefined();
    expect(Object.keys(caseTransitions).sort()).toEqual(['(new)', 'ASSESSMENT', 'CLOSED', 'CLOSURE_REQUESTED', 'FOLLOW_UP', 'IMPLEMENTATION', 'PLANNING', 'REGISTERED'].sort());
  });

  it('keeps notes, documents and risk changes in order whatever the sequence (property)', () => {
    const step = fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }).map((text): CasePayload => ({ type: 'NOTE', noteId: id(100), text })),
      fc.constantFrom('low', 'medium', 'high').map((risk): CasePayload => ({ type: 'CHANGE_RISK', risk: risk as 'low' })),
      fc.constant<CasePayload>({ type: 'DOCUMENT', documentId: id(101), documentType: 'passport' }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const s = foldAll([action(open), ...steps.map((p) => action(p, owner, 'why'))]);
        expect(s.notes.map((n) => n.text)).toEqual(steps.flatMap((p) => (p.type === 'NOTE' ? [p.text] : [])));
        expect(s.documents).toHaveLength(steps.filter((p) => p.type === 'DOCUMENT').length);
        const risks = steps.flatMap((p) => (p.type === 'CHANGE_RISK' ? [p.risk] : []));
        expect(s.risk).toBe(risks.at(-1) ?? 'high');
        expect(s.riskHistory).toHaveLength(1 + risks.length);
        expect(s.status).toBe('REGISTERED');
      }),
    );
  });
});

describe('need to know', () => {
  const state = foldAll([action(open)]);
  const colleague = caseWorker(2);
  const other = (actor: Actor, jurisdiction: string): Actor => ({ ...actor, jurisdiction }) as Actor;

  it('answers the access table', () => {
    const rows: [string, Actor | undefined, string][] = [
      ['owner', caseWorker(1), 'work'],
      ['colleague of the same district', colleague, 'none'],
      ['registrar of the same district', districtRegistrar(yesil), 'none'],
      ['supervisor of the region', supervisor(), 'supervise'],
      ['supervisor of another region', supervisor('750000000'), 'none'],
      ['case worker elsewhere', other(caseWorker(3), '750000000'), 'none'],
      ['nobody', undefined, 'none'],
      ['the system (CLI, jobs)', { kind: 'system', id: 'cli' }, 'supervise'],
      ['a machine client', { kind: 'client', id: 'x', scopes: new Set(['protection.case.read']), jurisdiction: null, facilityId: null }, 'none'],
    ];
    for (const [who, actor, access] of rows) expect(caseAccess(actor, state), who).toBe(access);
  });

  it('adds the assigned workers, and the recipient of a pending transfer (read only, to answer it)', () => {
    const assigned = reduceCase(state, action({ type: 'ASSIGN', userId: 'user:case-worker-2-711300000' }));
    expect(caseAccess(colleague, assigned)).toBe('work');
    const transferring = reduceCase(state, action({ type: 'TRANSFER', transferId: id(8), to: { jurisdiction: '711400000' } }, owner, 'moved'));
    const there = other(caseWorker(4), '711400000');
    expect(caseAccess(there, transferring)).toBe('read');
    expect(mayTake(there, transferring, 'ACCEPT_TRANSFER')).toBe(true);
    expect(mayTake(there, transferring, 'NOTE')).toBe(false);
    expect(allowedCaseActions(there, transferring).sort()).toEqual(['ACCEPT_TRANSFER', 'REFUSE_TRANSFER']);
    expect(mayTake(caseWorker(1), transferring, 'ACCEPT_TRANSFER')).toBe(false);
  });

  it('keeps approvals to the supervisor, and never offers the procedures’ own actions', () => {
    expect(mayTake(caseWorker(1), state, 'APPROVE_CLOSURE')).toBe(false);
    expect(allowedCaseActions(caseWorker(1), state)).not.toContain('BID_DECIDED');
    expect(allowedCaseActions(supervisor(), state)).toContain('CONTACT');
  });
});
