import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiProblem } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { ChoiceField, TextAreaField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert, useProblemText } from '../../app/problems.tsx';
import { useBirthStatus } from '../births/status.ts';
import { childName, type Comparison, decide, type Decision, defaultKeep, getReview, linkageKeys, type Pair, personName, refusedField, type Review, type ReviewRecord, toneOf } from './api.ts';
import type { DecidedState } from './DuplicatesPage.tsx';
import { useFacilityName, useLinkageText, usePlaceName } from './text.ts';
import './linkage.css';

/** Where a record says the birth was, by name: the place and the health facility. */
interface Where {
  place?: string;
  facility?: string;
}

function useWhere(record: ReviewRecord): Where {
  return { place: usePlaceName(record.facts?.placeKato), facility: useFacilityName(record.facts?.facilityId) };
}

/** Both records, fact by fact, in two columns. */
function SideBySide({ a, b, whereA, whereB }: { a: ReviewRecord; b: ReviewRecord; whereA: Where; whereB: Where }) {
  const { t, format, sex } = useLinkageText();
  const birthStatus = useBirthStatus();
  const none = t('review.unknown');
  const rows: [string, (r: ReviewRecord, place?: string, facility?: string) => ReactNode][] = [
    ['child', (r) => childName(r.facts?.child) ?? none],
    ['sex', (r) => sex(r.facts?.child.sex) ?? none],
    ['dateOfBirth', (r) => format.date(r.facts?.child.dateOfBirth)],
    ['birthOrder', (r) => (r.facts?.child.birthOrder ? format.number(r.facts.child.birthOrder) : none)],
    ['mother', (r) => personName(r.facts?.mother) ?? none],
    ['motherDateOfBirth', (r) => format.date(r.facts?.mother?.dateOfBirth)],
    ['motherIin', (r) => r.facts?.mother?.iin ?? none],
    ['father', (r) => personName(r.facts?.father) ?? none],
    ['fatherIin', (r) => r.facts?.father?.iin ?? none],
    ['place', (r, place) => place ?? r.facts?.placeKato ?? none],
    ['facility', (r, _place, facility) => facility ?? r.facts?.facilityId ?? none],
    ['number', (r) => r.number ?? none],
    ['iin', (r) => r.iin ?? none],
    ['legacyRef', (r) => r.legacyRef ?? none],
    ['status', (r) => birthStatus(r.status)],
    ['createdAt', (r) => format.dateTime(r.createdAt)],
  ];
  return (
    <table className="side-by-side">
      <caption className="visually-hidden">{t('review.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('review.fact')}</th>
          {[a, b].map((record, i) => (
            <th scope="col" key={record.id}>
              {t(i === 0 ? 'review.recordA' : 'review.recordB')}{' '}
              <Link to={`/births/${record.id}`} className="record-link">
                {t('review.openRecord', { which: i === 0 ? 'A' : 'B' })}
              </Link>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{t(`review.row.${key}`)}</th>
            <td className={identifiers.includes(key) ? 'identifier' : undefined}>{value(a, whereA.place, whereA.facility)}</td>
            <td className={identifiers.includes(key) ? 'identifier' : undefined}>{value(b, whereB.place, whereB.facility)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const identifiers = ['number', 'iin', 'motherIin', 'fatherIin', 'legacyRef'];

/** The place compared ("facility · KATO", or the KATO alone) by name, when it is the record's own. */
function placeText(value: string | null, where: Where, record: ReviewRecord): string | null {
  if (value === null) return null;
  const own = [record.facts?.facilityId, record.facts?.placeKato].filter(Boolean).join(' · ');
  if (value !== own) return value;
  return [where.facility, where.place].filter(Boolean).join(', ') || value;
}

/** The comparison field by field: each field's level and weight, the notes, and the total. */
function ComparisonTable({ comparison, a, b, whereA, whereB }: { comparison: Comparison; a: ReviewRecord; b: ReviewRecord; whereA: Where; whereB: Where }) {
  const { t, weight, score, note, compared } = useLinkageText();
  return (
    <table className="comparison">
      <caption className="visually-hidden">{t('review.comparisonCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('review.field')}</th>
          <th scope="col">{t('review.valueA')}</th>
          <th scope="col">{t('review.valueB')}</th>
          <th scope="col">{t('review.level')}</th>
          <th scope="col" className="number">
            {t('review.weight')}
          </th>
          <th scope="col">{t('review.note')}</th>
        </tr>
      </thead>
      <tbody>
        {comparison.fields.map((field) => {
          const tone = toneOf(field);
          return (
            <tr key={field.field} className={`tone-${tone}`} data-field={field.field}>
              <th scope="row">{t(`field.${field.field}`, { defaultValue: field.field })}</th>
              <td>{field.field === 'place' ? (placeText(field.a, whereA, a) ?? t('review.unknown')) : compared(field.field, field.a)}</td>
              <td>{field.field === 'place' ? (placeText(field.b, whereB, b) ?? t('review.unknown')) : compared(field.field, field.b)}</td>
              <td>{t(`level.${field.level}`, { defaultValue: field.level })}</td>
              <td className="number weight">
                <span className="weight-value">{weight(field.weight)}</span> <span className={`tone tone-${tone}`}>{t(`review.tone.${tone}`)}</span>
              </td>
              <td>{note(field.note)}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={4}>
            {t('review.total')}
          </th>
          <td className="number weight">
            <strong data-testid="pair-score">{score(comparison.score)}</strong>
          </td>
          <td>
            <span className={`badge band-${comparison.band}`}>{t(`band.${comparison.band}`, { defaultValue: comparison.band })}</span>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/** Who decided a pair: the name the records' history gives the decision's author, or "you". */
function useDecider(pair: Pair): string | undefined {
  const { me } = useSession();
  const { t } = useLinkageText();
  const history = useQuery({
    queryKey: ['linkage', 'decider', pair.id],
    queryFn: () => api<{ items: { type: string; actor: string; actorName: string | null }[] }>('GET', `/records/${pair.recordA}/actions`).then((answer) => answer.items),
    enabled: pair.status !== 'open' && pair.decidedBy !== null,
    staleTime: Infinity,
  });
  if (!pair.decidedBy) return undefined;
  if (me && pair.decidedBy === `${me.kind}:${me.id}`) return t('review.you');
  const entry = history.data?.find((a) => a.actor === pair.decidedBy && a.actorName);
  return entry?.actorName ?? pair.decidedBy;
}

function Decided({ pair }: { pair: Pair }) {
  const { t, format } = useLinkageText();
  const decider = useDecider(pair);
  return (
    <section aria-labelledby="decided-title" className="decided">
      <h2 id="decided-title">{t('review.decided')}</h2>
      <dl className="facts">
        <dt>{t('review.row.status')}</dt>
        <dd>{t(`pairStatus.${pair.status}`)}</dd>
        <dt>{t('review.decidedBy')}</dt>
        <dd>{decider ?? t('review.unknown')}</dd>
        <dt>{t('review.decidedAt')}</dt>
        <dd>{format.dateTime(pair.decidedAt)}</dd>
        <dt>{t('review.decidedReason')}</dt>
        <dd className="reason">{pair.reason ?? t('review.unknown')}</dd>
      </dl>
    </section>
  );
}

/** The registrar's decision on an open pair: not a duplicate, or a duplicate keeping one record, always with a reason. */
function DecisionForm({ review }: { review: Review }) {
  const { t } = useLinkageText();
  const problemText = useProblemText();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { pair, a, b } = review;
  const [reason, setReason] = useState('');
  const [keep, setKeep] = useState(() => defaultKeep(a, b));
  const [tried, setTried] = useState(false);
  const mutation = useMutation({
    mutationFn: async (decision: Decision) => {
      await decide(pair.id, decision);
      // Both records as they stand now, for the outcome.
      return { decision, after: await getReview(pair.id) };
    },
    onSuccess: ({ decision, after }) => {
      void queryClient.invalidateQueries({ queryKey: ['linkage'] });
      void queryClient.invalidateQueries({ queryKey: ['queues'] });
      for (const id of [a.id, b.id]) void queryClient.invalidateQueries({ queryKey: ['birth', id] });
      const kept = decision.decision === 'duplicate' ? (after.a.id === decision.keep ? after.a : after.b) : undefined;
      const removed = kept ? (kept.id === after.a.id ? after.b : after.a) : undefined;
      const state: DecidedState = {
        decided: {
          decision: decision.decision,
          kept: kept ? { id: kept.id, name: childName(kept.facts?.child) ?? kept.number ?? kept.id } : undefined,
          removedStatus: removed?.status,
        },
      };
      navigate('/duplicates', { state });
    },
  });

  const send = (decision: Decision['decision']) => {
    setTried(true);
    if (!reason.trim()) return;
    mutation.mutate(decision === 'duplicate' ? { decision, keep, reason: reason.trim() } : { decision, reason: reason.trim() });
  };

  const error = mutation.error;
  const field = refusedField(error);
  const conflict = error instanceof ApiProblem && error.status === 409;
  const reasonError = tried && !reason.trim() ? t('review.reasonRequired') : field === 'reason' ? t('review.reasonRequired') : undefined;
  const keepError = field === 'keep' ? problemText(error, t('review.keep')) : undefined;
  const label = (record: ReviewRecord, which: 'A' | 'B') =>
    `${t(which === 'A' ? 'review.keepA' : 'review.keepB', { name: childName(record.facts?.child) ?? t('search.notNamed') })}${record.number ? ` (${t('review.registered')}, ${record.number})` : ''}`;

  return (
    <section aria-labelledby="decision-title" className="decision">
      <h2 id="decision-title">{t('review.decision')}</h2>
      <p className="help">{t('review.decisionHelp')}</p>
      {/* Two buttons decide; the form itself submits nothing (Enter on a radio must not decide). */}
      <form onSubmit={(event) => event.preventDefault()} noValidate>
        <TextAreaField label={t('review.reason')} help={t('review.reasonHelp')} value={reason} onValueChange={setReason} required maxLength={500} rows={3} error={reasonError} />
        <ChoiceField
          legend={t('review.keep')}
          name="keep"
          value={keep}
          onValueChange={setKeep}
          error={keepError}
          options={[
            { value: a.id, label: label(a, 'A') },
            { value: b.id, label: label(b, 'B') },
          ]}
        />
        {conflict ? (
          <div className="problem" role="alert">
            {t('review.conflict')}{' '}
            <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: linkageKeys.review(pair.id) })}>
              {t('review.reload')}
            </button>
          </div>
        ) : error && field !== 'reason' && field !== 'keep' ? (
          <ProblemAlert error={error} />
        ) : null}
        <div className="actions">
          <button type="button" onClick={() => send('not_duplicate')} disabled={mutation.isPending}>
            {t('review.notDuplicate')}
          </button>
          <button type="button" className="primary" onClick={() => send('duplicate')} disabled={mutation.isPending}>
            {t(keep === a.id ? 'review.duplicateKeepA' : 'review.duplicateKeepB')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** One suspected pair: both records side by side, the comparison, and the decision (or who made it and why). */
export default function ReviewPage() {
  const { id = '' } = useParams();
  const { t } = useLinkageText();
  const { can } = useSession();
  const allowed = can('birth.register');
  const query = useQuery({ queryKey: linkageKeys.review(id), queryFn: () => getReview(id), enabled: allowed, retry: false });
  const back = (
    <Link to="/duplicates" className="button">
      {t('review.back')}
    </Link>
  );

  if (!allowed) {
    return (
      <Page title={t('review.title')}>
        <p className="notice">{t('queue.none')}</p>
      </Page>
    );
  }
  if (query.isPending) {
    return (
      <Page title={t('review.title')} actions={back}>
        <p className="loading">{t('common.loading', { ns: 'shell' })}</p>
      </Page>
    );
  }
  if (!query.data) {
    const missing = query.error instanceof ApiProblem && query.error.status === 404;
    return (
      <Page title={t('review.title')} actions={back}>
        {missing ? <p className="notice">{t('review.notFound')}</p> : <ProblemAlert error={query.error} />}
      </Page>
    );
  }
  return (
    <Page title={t('review.title')} actions={back}>
      <ReviewBody review={query.data} />
    </Page>
  );
}

function ReviewBody({ review }: { review: Review }) {
  const { t, format, score } = useLinkageText();
  const { pair } = review;
  const whereA = useWhere(review.a);
  const whereB = useWhere(review.b);
  return (
    <>
      <p className="pair-summary">
        <span className="pair-score">
          {t('review.total')}: {score(pair.score)}
        </span>{' '}
        <span className={`badge band-${pair.band}`}>{t(`band.${pair.band}`, { defaultValue: pair.band })}</span> <span className="badge">{t(`pairStatus.${pair.status}`)}</span>{' '}
        <span className="help">{t('review.found', { source: t(`source.${pair.source}`, { defaultValue: pair.source }), date: format.date(pair.foundAt) })}</span>
      </p>
      <section aria-labelledby="records-title">
        <h2 id="records-title">{t('review.records')}</h2>
        <SideBySide a={review.a} b={review.b} whereA={whereA} whereB={whereB} />
      </section>
      <section aria-labelledby="comparison-title">
        <h2 id="comparison-title">{t('review.comparison')}</h2>
        <p className="help">{t('review.comparisonIntro')}</p>
        {review.comparison ? <ComparisonTable comparison={review.comparison} a={review.a} b={review.b} whereA={whereA} whereB={whereB} /> : <p className="notice">{t('review.noComparison')}</p>}
      </section>
      {pair.status === 'open' ? <DecisionForm review={review} /> : <Decided pair={pair} />}
    </>
  );
}
