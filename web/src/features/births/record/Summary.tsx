import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import type { BirthView } from './api.ts';
import { useRecordText } from './labels.ts';
import { useBirthStatus } from '../status.ts';

type Names = { kk: string; ru: string; en: string };

/** Registry offices are public reference data: one list, kept for the session. */
export function useOffices() {
  return useQuery({
    queryKey: ['offices'],
    queryFn: () => api<{ items: { id: string; kato: string; name: Names }[] }>('GET', '/offices').then((answer) => answer.items),
    staleTime: Infinity,
  });
}

/** Where the record stands: status, act number and IIN once registered, who holds it, the approval. */
export function Summary({ view, names, me }: { view: BirthView; names: Map<string, string>; me: string | undefined }) {
  const { t, format, names: pick } = useRecordText();
  const birthStatus = useBirthStatus();
  const offices = useOffices();
  const { data } = view;
  const registration = data.registration;
  const who = (actor: string) => (actor === me ? t('summary.you') : (names.get(actor) ?? actor));
  const office = registration ? offices.data?.find((o) => o.id === registration.officeId) : undefined;
  return (
    <section className="record-part" aria-labelledby="summary-title">
      <h2 id="summary-title" className="visually-hidden">
        {t('sections.summary')}
      </h2>
      <dl className="facts record-summary">
        <dt>{t('summary.status')}</dt>
        <dd>
          <span className={`badge status-${view.status.toLowerCase()}`}>{birthStatus(view.status)}</span>
        </dd>
        {view.number ? (
          <>
            <dt>{t('summary.number')}</dt>
            <dd className="identifier" data-testid="act-number">
              {view.number}
            </dd>
          </>
        ) : null}
        {view.iin ? (
          <>
            <dt>{t('summary.iin')}</dt>
            <dd className="identifier" data-testid="iin">
              {view.iin}
            </dd>
          </>
        ) : null}
        {registration ? (
          <>
            <dt>{t('summary.registeredOn')}</dt>
            <dd>{format.date(registration.registeredOn)}</dd>
            <dt>{t('summary.office')}</dt>
            <dd>{pick(office?.name) ?? registration.officeId}</dd>
            <dt>{t('summary.timeliness')}</dt>
            <dd>{t(`values.timeliness.${registration.timeliness}`)}</dd>
          </>
        ) : null}
        {data.notifiedAt ? (
          <>
            <dt>{t('summary.notifiedAt')}</dt>
            <dd>{format.dateTime(data.notifiedAt)}</dd>
          </>
        ) : null}
        {data.overdueSince && !registration ? (
          <>
            <dt>{t('summary.overdueSince')}</dt>
            <dd>
              <span className="badge overdue">{format.date(data.overdueSince)}</span>
            </dd>
          </>
        ) : null}
        <dt>{t('summary.assignedTo')}</dt>
        <dd>{data.assignedTo ? who(data.assignedTo) : t('summary.nobody')}</dd>
        {data.approval ? (
          <>
            <dt>{t('summary.approval')}</dt>
            <dd>{t('summary.approvalBy', { who: who(data.approval.approvedBy), at: format.dateTime(data.approval.at), reason: data.approval.reason })}</dd>
          </>
        ) : null}
        {data.lastReason ? (
          <>
            <dt>{t('summary.lastReason')}</dt>
            <dd>{data.lastReason}</dd>
          </>
        ) : null}
        <dt>{t('summary.version')}</dt>
        <dd data-testid="version">{format.number(view.version)}</dd>
      </dl>
    </section>
  );
}

/**
 * The child's citizenship at birth as worked out at registration, with the pack's reason in the
 * user's language; a child no rule gives a nationality is flagged where nobody can miss it.
 */
export function Citizenship({ view }: { view: BirthView }) {
  const { t, language } = useRecordText();
  const citizenship = view.data.registration?.citizenship;
  if (!citizenship) return null;
  const atRisk = citizenship.result === 'undetermined' || citizenship.atRiskOfStatelessness;
  const reason = citizenship.reason[language as keyof typeof citizenship.reason] ?? citizenship.reason.en;
  return (
    <section className="record-part" aria-labelledby="citizenship-title">
      <h2 id="citizenship-title">{t('sections.citizenship')}</h2>
      {atRisk ? (
        <div className="warning statelessness" role="note" aria-labelledby="stateless-title">
          <h3 id="stateless-title">{t('citizenship.riskTitle')}</h3>
          <p>{t('citizenship.riskBody')}</p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>{t('citizenship.result')}</dt>
        <dd data-testid="citizenship-result">{t(`values.result.${citizenship.result}`)}</dd>
        <dt>{t('citizenship.reason')}</dt>
        <dd>{reason}</dd>
      </dl>
    </section>
  );
}

/** The protection referrals the birth raised: the registrar sees each flag and that it was referred. */
export function ProtectionReferrals({ view }: { view: BirthView }) {
  const { t, language, format } = useRecordText();
  const referrals = view.protection ?? [];
  if (referrals.length === 0) return null;
  const lang = (names: { kk: string; ru: string; en: string }) => names[language as keyof typeof names] ?? names.en;
  return (
    <section className="warning protection-referrals" role="note" aria-labelledby="protection-title">
      <h2 id="protection-title">{t('protection.title')}</h2>
      <p>{t('protection.body')}</p>
      <ul>
        {referrals.flatMap((r) =>
          r.flags.map((f) => (
            <li key={`${r.referralId}-${f.code}`} data-flag={f.code}>
              <strong>{lang(f.name)}</strong> — {lang(f.reason)}. {t('protection.due', { at: format.dateTime(r.dueAt) })};{' '}
              {r.acknowledged ? t('protection.acknowledged') : t('protection.waiting')}
            </li>
          )),
        )}
      </ul>
    </section>
  );
}
