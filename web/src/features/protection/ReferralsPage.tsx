import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiProblem, newIdempotencyKey } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { SelectField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { ShowMore } from '../../app/ShowMore.tsx';
import { listReferrals, openCase, protectionKeys, type Referral, type ReferralStatus, type Risk, risks } from './api.ts';
import { RiskBadge } from './RiskBadge.tsx';
import { useProtectionText } from './text.ts';
import './protection.css';

const statuses: ReferralStatus[] = ['open', 'acknowledged', 'all'];

function Deadline({ referral }: { referral: Referral }) {
  const { t, format, deadline } = useProtectionText();
  if (referral.status !== 'open') {
    return (
      <>
        {t('inbox.acknowledged')}
        <span className="cell-facts">{format.dateTime(referral.acknowledgedAt)}</span>
      </>
    );
  }
  const left = deadline(referral.dueAt);
  return (
    <>
      <span className={left.overdue ? 'badge overdue' : 'badge due'}>{left.text}</span>
      <span className="cell-facts">
        <time dateTime={referral.dueAt}>{format.dateTime(referral.dueAt)}</time>
      </span>
      {referral.escalatedAt ? <span className="cell-facts escalated">{t('inbox.escalated')}</span> : null}
    </>
  );
}

/**
 * The referral inbox: what screening at registration sent to the protection service of the reader's
 * jurisdiction, the nearest deadline first. A referral names no person: the birth record (audited)
 * says who, and "Open case" takes the referral and makes its first-contact task.
 */
export default function ReferralsPage() {
  const { t, format, flagName, flagReason } = useProtectionText();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mayRead = can('protection.case.read');
  const mayOpen = can('protection.case.write');
  const [status, setStatus] = useState<ReferralStatus>('open');
  const [risk, setRisk] = useState<Risk | ''>('');
  const list = useInfiniteQuery({
    queryKey: protectionKeys.referrals(status, risk),
    queryFn: ({ pageParam }) => listReferrals(status, risk, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: mayRead,
  });
  // One key per referral, kept across retries: a second press never opens a second case.
  const keys = useRef(new Map<string, string>());
  const [opening, setOpening] = useState<string | null>(null);
  const open = useMutation({
    mutationFn: (referralId: string) => {
      let key = keys.current.get(referralId);
      if (!key) keys.current.set(referralId, (key = newIdempotencyKey()));
      return openCase(referralId, key);
    },
    onMutate: (referralId) => setOpening(referralId),
    onSuccess: (opened) => {
      void queryClient.invalidateQueries({ queryKey: ['protection'] });
      navigate(`/protection/cases/${opened.id}`, { state: { opened: true } });
    },
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const takenCase = open.error instanceof ApiProblem && typeof open.error.extra.caseId === 'string' ? open.error.extra.caseId : undefined;

  if (!mayRead) {
    return (
      <Page title={t('inbox.title')}>
        <p className="notice">{t('inbox.none')}</p>
      </Page>
    );
  }
  return (
    <Page title={t('inbox.title')}>
      <p>{t('inbox.intro')}</p>
      <div className="field-row protection-filter">
        <SelectField label={t('inbox.show')} value={status} onValueChange={(value) => setStatus(value as ReferralStatus)} options={statuses.map((s) => ({ value: s, label: t(`refStatus.${s}`) }))} />
        <SelectField
          label={t('inbox.risk')}
          value={risk}
          onValueChange={(value) => setRisk(value as Risk | '')}
          options={[{ value: '', label: t('inbox.anyRisk') }, ...risks.map((r) => ({ value: r, label: t(`risk.${r}`) }))]}
        />
      </div>
      <ProblemAlert error={list.error} />
      {open.error ? (
        <div className="problem-block">
          <ProblemAlert error={open.error} />
          {takenCase ? <Link to={`/protection/cases/${takenCase}`}>{t('inbox.viewCase')}</Link> : null}
        </div>
      ) : null}
      {list.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {list.isSuccess && items.length === 0 ? <p className="notice">{status === 'open' ? t('inbox.emptyOpen') : t('inbox.empty')}</p> : null}
      {items.length ? (
        <table className="queue-table protection-table">
          <caption>{t('inbox.caption', { status: t(`refStatus.${status}`) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('inbox.due')}</th>
              <th scope="col">{t('inbox.riskColumn')}</th>
              <th scope="col">{t('inbox.flags')}</th>
              <th scope="col">{t('inbox.raised')}</th>
              <th scope="col">{t('inbox.record')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('inbox.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((referral) => (
              <tr key={referral.id} className={referral.status === 'open' && referral.overdue ? 'overdue-row' : undefined}>
                <td>
                  <Deadline referral={referral} />
                </td>
                <td>
                  <RiskBadge risk={referral.risk} />
                </td>
                <td>
                  <ul className="flag-list">
                    {referral.flags.map((flag) => (
                      <li key={flag.code}>
                        <strong>{flagName(flag.code)}</strong>
                        <span className="cell-facts">{flagReason(flag.code)}</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {format.dateTime(referral.createdAt)}
                  <span className="cell-facts">{t(`referralStage.${referral.stage}`, { defaultValue: referral.stage })}</span>
                </td>
                <td>
                  <Link to={`/births/${referral.recordId}`}>{t('inbox.openRecord')}</Link>
                </td>
                <td>
                  {referral.caseId ? (
                    <Link className="button" to={`/protection/cases/${referral.caseId}`}>
                      {t('inbox.viewCase')}
                    </Link>
                  ) : mayOpen && referral.status === 'open' ? (
                    <button type="button" className="primary" disabled={open.isPending} onClick={() => open.mutate(referral.id)}>
                      {open.isPending && opening === referral.id ? t('inbox.opening') : t('inbox.openCase')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ShowMore count={items.length} shown={t('inbox.shown', { count: items.length })} more={t('inbox.more')} list={list} />
    </Page>
  );
}
