import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, newIdempotencyKey } from '../../../api/client.ts';
import { useSession } from '../../../api/session.tsx';
import { SelectField, TextAreaField, TextField } from '../../../app/fields.tsx';
import { Page } from '../../../app/Page.tsx';
import { ProblemAlert } from '../../../app/problems.tsx';
import {
  actOnTracing,
  assessmentOutcomes,
  type CandidatePerson,
  decisionOf,
  followUpDone,
  followUpSteps,
  getMatches,
  getTracing,
  type Match,
  personName,
  type TracingAction,
  tracingKeys,
  type TracingRequest,
  verificationMethods,
  verificationOutcomes,
} from './api.ts';
import { usePlaceName } from '../../linkage/text.ts';
import { useTracingText } from './text.ts';
import './tracing.css';

function useTracingAction(request: TracingRequest, onDone?: () => void) {
  const queryClient = useQueryClient();
  const key = useRef(newIdempotencyKey());
  return useMutation({
    mutationFn: (action: TracingAction) => actOnTracing(request, action, key.current),
    onSuccess: async (next) => {
      key.current = newIdempotencyKey();
      queryClient.setQueryData(tracingKeys.one(request.id), next);
      await queryClient.invalidateQueries({ queryKey: tracingKeys.all });
      onDone?.();
    },
  });
}

function ActionProblem({ request, error }: { request: TracingRequest; error: unknown }) {
  const { t } = useTracingText();
  const queryClient = useQueryClient();
  if (!error) return null;
  if (error instanceof ApiProblem && error.status === 409 && error.code === 'version_conflict') {
    return (
      <div className="problem" role="alert">
        {t('conflict')}{' '}
        <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: tracingKeys.one(request.id) })}>
          {t('reload')}
        </button>
      </div>
    );
  }
  return <ProblemAlert error={error} />;
}

/** A follow-up form: checks its own fields, then sends one action. */
function StepForm({ request, title, submit, build, children, onDone }: { request: TracingRequest; title: string; submit: string; build: () => TracingAction | undefined; children: (tried: boolean) => ReactNode; onDone?: () => void }) {
  const [tried, setTried] = useState(false);
  const mutation = useTracingAction(request, () => {
    setTried(false);
    onDone?.();
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const action = build();
    if (action) mutation.mutate(action);
  };
  return (
    <form className="tracing-step-form" onSubmit={onSubmit} noValidate aria-label={title}>
      <h3>{title}</h3>
      {children(tried)}
      <ActionProblem request={request} error={mutation.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {submit}
        </button>
      </div>
    </form>
  );
}

/** The request as the family gave it. */
function RequestFacts({ request }: { request: TracingRequest }) {
  const { t, format, relation, sex, actor } = useTracingText();
  const { requester, sought, consent } = request;
  return (
    <section aria-labelledby="request-title">
      <h2 id="request-title">{t('page.request')}</h2>
      <dl className="facts">
        <dt>{t('page.requester')}</dt>
        <dd>
          {personName(requester) ?? t('unknown')} ({relation(requester.relation)})
        </dd>
        {requester.contact ? (
          <>
            <dt>{t('form.contact')}</dt>
            <dd>{requester.contact}</dd>
          </>
        ) : null}
        <dt>{t('page.sought')}</dt>
        <dd>{personName(sought) ?? t('unknown')}</dd>
        <dt>{t('form.sex')}</dt>
        <dd>{sex(sought.sex)}</dd>
        <dt>{t('page.age')}</dt>
        <dd>
          {sought.dateOfBirth
            ? t('page.born', { date: format.date(sought.dateOfBirth) })
            : sought.approximateAge
              ? t('page.about', { count: sought.approximateAge.years })
              : t('unknown')}
          {request.soughtRange ? <span className="help"> {t('page.range', { from: format.date(request.soughtRange.bornFrom), to: format.date(request.soughtRange.bornTo) })}</span> : null}
        </dd>
        <dt>{t('page.lastSeen')}</dt>
        <dd>{[sought.lastSeen?.place, sought.lastSeen?.on ? format.date(sought.lastSeen.on) : undefined].filter(Boolean).join(', ') || t('unknown')}</dd>
        {sought.lastSeen?.circumstances ? (
          <>
            <dt>{t('form.circumstances')}</dt>
            <dd className="reason">{sought.lastSeen.circumstances}</dd>
          </>
        ) : null}
        <dt>{t('page.consent')}</dt>
        <dd>
          {consent.withdrawnAt ? (
            <span className="badge overdue">{t('page.consentWithdrawn', { date: format.dateTime(consent.withdrawnAt) })}</span>
          ) : (
            t('page.consentBy', { name: consent.givenBy.name, relation: consent.givenBy.relation, date: format.date(consent.at) })
          )}
        </dd>
        <dt>{t('page.recorded')}</dt>
        <dd>{t('byOn', { who: actor(request.createdBy), date: format.dateTime(request.createdAt) })}</dd>
        {request.caseId ? (
          <>
            <dt>{t('page.case')}</dt>
            <dd>
              <Link to={`/protection/cases/${request.caseId}`}>{t('page.openCase')}</Link>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** A candidate's age: a date of birth, or the range it was born in. */
function ageText(person: Pick<CandidatePerson, 'dateOfBirth' | 'bornFrom' | 'bornTo'> | null, format: ReturnType<typeof useTracingText>['format'], none: string): string {
  if (!person) return none;
  if (person.dateOfBirth) return format.date(person.dateOfBirth);
  if (person.bornFrom && person.bornTo) return `${format.date(person.bornFrom)} – ${format.date(person.bornTo)}`;
  return none;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const kato = /^\d{9}$/;

/** A compared value as the reader reads it: dates and ranges of dates as dates, sex in words, a KATO code by its place's name. */
function ComparedValue({ field, value }: { field: string; value: string | null }) {
  const { t, format, sex } = useTracingText();
  const place = usePlaceName(value && kato.test(value) ? value : undefined);
  if (value === null) return <>{t('unknown')}</>;
  if (field.endsWith('_sex')) return <>{sex(value)}</>;
  if (isoDate.test(value)) return <>{format.date(value)}</>;
  const range = value.split('/');
  if (range.length === 2 && range.every((d) => isoDate.test(d))) return <>{`${format.date(range[0])} – ${format.date(range[1])}`}</>;
  if (place) return <>{place}</>;
  return <>{value}</>;
}

function PlaceText({ value, none }: { value: string | undefined; none: string }) {
  const place = usePlaceName(value && kato.test(value) ? value : undefined);
  return <>{place ?? value ?? none}</>;
}

const tone = (field: { level: string; weight: number }) => (field.level === 'missing' || field.weight === 0 ? 'neutral' : field.weight > 0 ? 'agree' : 'disagree');

/** One match: the request and the candidate side by side, the field-by-field explanation, and the review. */
function MatchCard({ request, match, index }: { request: TracingRequest; match: Match; index: number }) {
  const { t, format, sex, weight, score } = useTracingText();
  const none = t('unknown');
  const decided = decisionOf(request, match);
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [tried, setTried] = useState(false);
  const mutation = useTracingAction(request, () => setRejecting(false));
  const role = (person: CandidatePerson | null) => (person ? t(`role.${person.role}`, { defaultValue: person.role }) : '');
  const titleId = `match-${index}-title`;
  const requestAge = request.sought.dateOfBirth ? format.date(request.sought.dateOfBirth) : request.soughtRange ? `${format.date(request.soughtRange.bornFrom)} – ${format.date(request.soughtRange.bornTo)}` : none;
  const rows: [string, ReactNode, ReactNode][] = [
    ['sought', personName(request.sought) ?? none, `${personName(match.sought) ?? none} (${role(match.sought)})`],
    ['sex', sex(request.sought.sex), sex(match.sought.sex)],
    ['born', requestAge, ageText(match.sought, format, none)],
    ['place', <PlaceText key="a" value={request.sought.lastSeen?.place} none={none} />, <PlaceText key="b" value={match.sought.place} none={none} />],
    ['requester', personName(request.requester) ?? none, match.requester ? `${personName(match.requester) ?? none} (${role(match.requester)})` : none],
  ];
  const canReview = !decided && request.allowedActions.includes('CONFIRM_MATCH');
  return (
    <article className="tracing-match" aria-labelledby={titleId} data-kind={match.kind}>
      <h3 id={titleId}>
        {t('match.title', { n: index + 1, kind: t(`kind.${match.kind}`) })} <span className={`badge band-${match.band}`}>{t(`band.${match.band}`)}</span>{' '}
        <span className="pair-score">
          {t('match.score')}: {score(match.score)}
        </span>
        {decided ? <span className={`badge decision-${decided.status}`}> {t(`match.${decided.status}`)}</span> : null}
      </h3>
      <table className="side-by-side">
        <caption className="visually-hidden">{t('match.sideBySide', { n: index + 1 })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('match.fact')}</th>
            <th scope="col">{t('match.request')}</th>
            <th scope="col">{t('match.candidate', { kind: t(`kind.${match.kind}`) })}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, a, b]) => (
            <tr key={key}>
              <th scope="row">{t(`match.row.${key}`)}</th>
              <td>{a}</td>
              <td>{b}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="comparison">
        <caption className="visually-hidden">{t('match.explanation', { n: index + 1 })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('match.field')}</th>
            <th scope="col">{t('match.request')}</th>
            <th scope="col">{t('match.candidateShort')}</th>
            <th scope="col">{t('match.level')}</th>
            <th scope="col" className="number">
              {t('match.weight')}
            </th>
          </tr>
        </thead>
        <tbody>
          {match.fields.map((field) => (
            <tr key={field.field} className={`tone-${tone(field)}`} data-field={field.field}>
              <th scope="row">{t(`field.${field.field}`, { defaultValue: field.field })}</th>
              <td>
                <ComparedValue field={field.field} value={field.a} />
              </td>
              <td>
                <ComparedValue field={field.field} value={field.b} />
              </td>
              <td>{t(`level.${field.level}`, { defaultValue: field.level })}</td>
              <td className="number">{weight(field.weight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {decided?.reason ? <p className="help">{t('match.rejectedBecause', { reason: decided.reason })}</p> : null}
      {canReview ? (
        <div className="tracing-review">
          {rejecting ? (
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                setTried(true);
                if (reason.trim()) mutation.mutate({ type: 'REJECT_MATCH', kind: match.kind, subjectId: match.subjectId, reason: reason.trim() });
              }}
            >
              <TextAreaField label={t('match.rejectReason')} value={reason} onValueChange={setReason} required maxLength={1000} rows={2} error={tried && !reason.trim() ? t('required') : undefined} />
              <div className="actions">
                <button type="submit" disabled={mutation.isPending}>
                  {t('match.rejectSubmit')}
                </button>
                <button type="button" className="link-button" onClick={() => setRejecting(false)}>
                  {t('match.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <div className="actions">
              <button type="button" className="primary" disabled={mutation.isPending} onClick={() => mutation.mutate({ type: 'CONFIRM_MATCH', kind: match.kind, subjectId: match.subjectId })}>
                {t('match.confirm')}
              </button>
              <button type="button" onClick={() => setRejecting(true)}>
                {t('match.reject')}
              </button>
            </div>
          )}
          <ActionProblem request={request} error={mutation.error} />
        </div>
      ) : null}
    </article>
  );
}

function Matches({ request }: { request: TracingRequest }) {
  const { t } = useTracingText();
  const withdrawn = request.consent.withdrawnAt !== null;
  const query = useQuery({ queryKey: [...tracingKeys.matches(request.id), request.version], queryFn: () => getMatches(request.id), enabled: !withdrawn, retry: false });
  return (
    <section aria-labelledby="matches-title">
      <h2 id="matches-title">{t('match.heading')}</h2>
      <p className="help">{t('match.intro')}</p>
      {withdrawn ? <p className="notice">{t('match.withdrawn')}</p> : null}
      {query.isPending && !withdrawn ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {query.error ? <ProblemAlert error={query.error} /> : null}
      {query.data && !query.data.length ? <p className="notice">{t('match.none')}</p> : null}
      {query.data?.map((match, index) => <MatchCard key={`${match.kind}:${match.subjectId}`} request={request} match={match} index={index} />)}
    </section>
  );
}

/** The steps after a confirmed match: contact, verification, the family's assessment, the reunification or why not. */
function FollowUp({ request }: { request: TracingRequest }) {
  const { t, format, actor } = useTracingText();
  const done = followUpDone(request);
  const can = (type: TracingAction['type']) => request.allowedActions.includes(type);
  const today = new Date().toISOString().slice(0, 10);
  const [contact, setContact] = useState('');
  const [method, setMethod] = useState<string>(verificationMethods[0]);
  const [verified, setVerified] = useState<string>(verificationOutcomes[0]);
  const [verifyNote, setVerifyNote] = useState('');
  const [assessment, setAssessment] = useState<string>(assessmentOutcomes[0]);
  const [assessNote, setAssessNote] = useState('');
  const [on, setOn] = useState(today);
  const [reunifyNote, setReunifyNote] = useState('');
  const [whyNot, setWhyNot] = useState('');
  const [closeReason, setCloseReason] = useState('');
  const withdraw = useTracingAction(request);
  const by = (entry: { by: string; at: string }) => t('byOn', { who: actor(entry.by), date: format.dateTime(entry.at) });
  return (
    <section aria-labelledby="follow-up-title">
      <h2 id="follow-up-title">{t('follow.heading')}</h2>
      <ol className="tracing-steps">
        {followUpSteps.map((step) => (
          <li key={step} className={done[step] ? 'done' : 'pending'}>
            {t(`follow.step.${step}`)} <span className="help">{done[step] ? t('follow.done') : t('follow.notYet')}</span>
          </li>
        ))}
      </ol>
      {request.contacts.length || request.verifications.length || request.assessments.length || request.reunification || request.notReunified || request.closure ? (
        <ul className="tracing-history">
          {request.contacts.map((c, i) => (
            <li key={`c${i}`}>
              <strong>{t('follow.contacted')}</strong>: <span className="reason">{c.note}</span> <span className="help">— {by(c)}</span>
            </li>
          ))}
          {request.verifications.map((v, i) => (
            <li key={`v${i}`}>
              <strong>{t('follow.verified', { method: t(`method.${v.method}`), outcome: t(`verification.${v.outcome}`) })}</strong>: <span className="reason">{v.note}</span> <span className="help">— {by(v)}</span>
            </li>
          ))}
          {request.assessments.map((a, i) => (
            <li key={`a${i}`}>
              <strong>{t('follow.assessed', { outcome: t(`assessment.${a.outcome}`) })}</strong>: <span className="reason">{a.note}</span> <span className="help">— {by(a)}</span>
            </li>
          ))}
          {request.reunification ? (
            <li>
              <strong>{t('follow.reunified', { date: format.date(request.reunification.on) })}</strong>: <span className="reason">{request.reunification.note}</span> <span className="help">— {by(request.reunification)}</span>
            </li>
          ) : null}
          {request.notReunified ? (
            <li>
              <strong>{t('follow.notReunified')}</strong>: <span className="reason">{request.notReunified.reason}</span> <span className="help">— {by(request.notReunified)}</span>
            </li>
          ) : null}
          {request.closure ? (
            <li>
              <strong>{t('follow.closed')}</strong>: <span className="reason">{request.closure.reason}</span> <span className="help">— {by(request.closure)}</span>
            </li>
          ) : null}
        </ul>
      ) : null}
      {can('CONTACT') ? (
        <StepForm request={request} title={t('follow.contact')} submit={t('follow.contactSubmit')} build={() => (contact.trim() ? { type: 'CONTACT', note: contact.trim() } : undefined)} onDone={() => setContact('')}>
          {(tried) => <TextAreaField label={t('follow.note')} help={t('follow.contactHelp')} value={contact} onValueChange={setContact} required maxLength={4000} rows={2} error={tried && !contact.trim() ? t('required') : undefined} />}
        </StepForm>
      ) : null}
      {can('VERIFY_RELATIONSHIP') ? (
        <StepForm request={request} title={t('follow.verify')} submit={t('follow.verifySubmit')} build={() => (verifyNote.trim() ? { type: 'VERIFY_RELATIONSHIP', method, outcome: verified, note: verifyNote.trim() } : undefined)} onDone={() => setVerifyNote('')}>
          {(tried) => (
            <>
              <SelectField label={t('follow.method')} value={method} onValueChange={setMethod} options={verificationMethods.map((value) => ({ value, label: t(`method.${value}`) }))} />
              <SelectField label={t('follow.outcome')} value={verified} onValueChange={setVerified} options={verificationOutcomes.map((value) => ({ value, label: t(`verification.${value}`) }))} />
              <TextAreaField label={t('follow.note')} value={verifyNote} onValueChange={setVerifyNote} required maxLength={4000} rows={2} error={tried && !verifyNote.trim() ? t('required') : undefined} />
            </>
          )}
        </StepForm>
      ) : null}
      {can('ASSESS_FAMILY') ? (
        <StepForm request={request} title={t('follow.assess')} submit={t('follow.assessSubmit')} build={() => (assessNote.trim() ? { type: 'ASSESS_FAMILY', outcome: assessment, note: assessNote.trim() } : undefined)} onDone={() => setAssessNote('')}>
          {(tried) => (
            <>
              <SelectField label={t('follow.outcome')} value={assessment} onValueChange={setAssessment} options={assessmentOutcomes.map((value) => ({ value, label: t(`assessment.${value}`) }))} />
              <TextAreaField label={t('follow.note')} value={assessNote} onValueChange={setAssessNote} required maxLength={4000} rows={2} error={tried && !assessNote.trim() ? t('required') : undefined} />
            </>
          )}
        </StepForm>
      ) : null}
      {can('REUNIFY') ? (
        <StepForm
          request={request}
          title={t('follow.reunify')}
          submit={t('follow.reunifySubmit')}
          build={() => (reunifyNote.trim() && on ? { type: 'REUNIFY', on, note: reunifyNote.trim(), ...(request.caseId ? { caseId: request.caseId } : {}) } : undefined)}
        >
          {(tried) => (
            <>
              <TextField label={t('follow.on')} type="date" value={on} onValueChange={setOn} required max={today} error={tried && !on ? t('required') : undefined} />
              <TextAreaField label={t('follow.note')} value={reunifyNote} onValueChange={setReunifyNote} required maxLength={4000} rows={2} error={tried && !reunifyNote.trim() ? t('required') : undefined} />
            </>
          )}
        </StepForm>
      ) : null}
      {can('NOT_REUNIFIED') ? (
        <StepForm request={request} title={t('follow.notReunify')} submit={t('follow.notReunifySubmit')} build={() => (whyNot.trim() ? { type: 'NOT_REUNIFIED', reason: whyNot.trim() } : undefined)}>
          {(tried) => <TextAreaField label={t('follow.whyNot')} value={whyNot} onValueChange={setWhyNot} required maxLength={2000} rows={2} error={tried && !whyNot.trim() ? t('required') : undefined} />}
        </StepForm>
      ) : null}
      {can('CLOSE') ? (
        <StepForm request={request} title={t('follow.close')} submit={t('follow.closeSubmit')} build={() => (closeReason.trim() ? { type: 'CLOSE', reason: closeReason.trim() } : undefined)}>
          {(tried) => <TextAreaField label={t('follow.closeReason')} value={closeReason} onValueChange={setCloseReason} required maxLength={2000} rows={2} error={tried && !closeReason.trim() ? t('required') : undefined} />}
        </StepForm>
      ) : null}
      {can('WITHDRAW_CONSENT') ? (
        <div className="tracing-withdraw">
          <p className="help">{t('follow.withdrawHelp')}</p>
          <button type="button" disabled={withdraw.isPending} onClick={() => withdraw.mutate({ type: 'WITHDRAW_CONSENT' })}>
            {t('follow.withdraw')}
          </button>
          <ActionProblem request={request} error={withdraw.error} />
        </div>
      ) : null}
    </section>
  );
}

/** One tracing request: what the family said, its matches side by side, and the steps to reunification. */
export default function TracingPage() {
  const { id = '' } = useParams();
  const { t, status } = useTracingText();
  const { can } = useSession();
  const allowed = can('protection.case.read');
  const query = useQuery({ queryKey: tracingKeys.one(id), queryFn: () => getTracing(id), enabled: allowed, retry: false });
  const back = (
    <Link to="/protection/tracing" className="button">
      {t('page.back')}
    </Link>
  );
  if (!allowed) {
    return (
      <Page title={t('page.title')}>
        <p className="notice">{t('none')}</p>
      </Page>
    );
  }
  if (query.isPending) {
    return (
      <Page title={t('page.title')} actions={back}>
        <p className="loading">{t('common.loading', { ns: 'shell' })}</p>
      </Page>
    );
  }
  if (!query.data) {
    const missing = query.error instanceof ApiProblem && query.error.status === 404;
    return (
      <Page title={t('page.title')} actions={back}>
        {missing ? <p className="notice">{t('page.notFound')}</p> : <ProblemAlert error={query.error} />}
      </Page>
    );
  }
  const request = query.data;
  return (
    <Page title={t('page.title')} actions={back}>
      <p>
        <span className="badge" data-testid="tracing-status">
          {status(request.status)}
        </span>
      </p>
      <RequestFacts request={request} />
      <Matches request={request} />
      <FollowUp request={request} />
    </Page>
  );
}
