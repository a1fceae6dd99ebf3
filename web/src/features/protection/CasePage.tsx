import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLocation, useParams } from 'react-router';
import { ApiProblem } from '../../api/client.ts';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { caseHistory, type CaseView, getCase, hasData, personName, protectionKeys } from './api.ts';
import { CaseProvider, useCase } from './case/context.tsx';
import { Bids, Consents, Documents, RiskPart, Summary, Tasks, Timeline } from './case/parts.tsx';
import { Assessments, Closure, FollowUp, PlanPart, Services, TransferPart } from './case/work.tsx';
import { useProtectionText } from './text.ts';
import './protection.css';

/** Someone else changed the case after it was read: nothing was saved, the reader reloads and does it again. */
function Conflict({ onReload }: { onReload(): Promise<unknown> }) {
  const { conflict, clearConflict } = useCase();
  const { t } = useProtectionText();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflict) box.current?.focus();
  }, [conflict]);
  if (!conflict) return null;
  return (
    <div className="warning conflict" role="alert" tabIndex={-1} ref={box}>
      <p>
        <strong>{t('conflict.title')}</strong>
      </p>
      <p>{conflict.current !== undefined ? t('conflict.versions', { seen: conflict.seen, current: conflict.current }) : t('conflict.text')}</p>
      <button type="button" className="primary" onClick={() => void onReload().then(clearConflict)}>
        {t('conflict.reload')}
      </button>
    </div>
  );
}

function Done() {
  const { done } = useCase();
  const { t, action } = useProtectionText();
  if (!done) return null;
  return (
    <p className="success" role="status">
      {t('case.done', { action: action(done) })}
    </p>
  );
}

/**
 * One protection case: who the child is and where the case stands, its risk, tasks, assessments,
 * plan, referrals to agencies, documents, consents, determinations, transfer and closure, and its
 * timeline. Every form and button is one the server says this reader may use now (allowedActions).
 */
export default function CasePage() {
  const { id = '' } = useParams();
  const { t } = useProtectionText();
  const location = useLocation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: protectionKeys.case(id), queryFn: () => getCase(id) });
  const history = useQuery({ queryKey: protectionKeys.history(id), queryFn: () => caseHistory(id), enabled: query.isSuccess });
  const opened = typeof location.state === 'object' && location.state !== null && 'opened' in location.state;

  if (query.isPending) {
    return (
      <Page title={t('case.title')}>
        <p className="loading">{t('common.loading', { ns: 'shell' })}</p>
      </Page>
    );
  }
  if (!query.data) {
    const missing = query.error instanceof ApiProblem && query.error.status === 404;
    return <Page title={t('case.title')}>{missing ? <p className="notice">{t('case.notFound')}</p> : <ProblemAlert error={query.error} />}</Page>;
  }
  const view = query.data;
  if (!hasData(view)) {
    return (
      <Page title={t('case.title')}>
        <p className="notice">{t('case.noLongerYours')}</p>
      </Page>
    );
  }
  const names = new Map((history.data ?? []).filter((a) => a.actorName).map((a) => [a.actor, a.actorName!]));
  const reload = () => Promise.all([query.refetch(), history.refetch()]);
  const onChanged = (next: CaseView) => {
    queryClient.setQueryData(protectionKeys.case(id), next);
    void queryClient.invalidateQueries({ queryKey: protectionKeys.history(id) });
    void queryClient.invalidateQueries({ queryKey: ['protection', 'cases'] });
    void queryClient.invalidateQueries({ queryKey: ['protection', 'referrals'] });
  };
  return (
    <Page title={t('case.title')}>
      <CaseProvider view={view} names={names} onChanged={onChanged}>
        <p className="case-subject">{personName(view.data.child) ?? t('case.notNamed')}</p>
        {opened && view.version <= 1 ? (
          <p className="success" role="status">
            {t('case.opened')}
          </p>
        ) : null}
        <Conflict onReload={reload} />
        <Done />
        <div className="case-grid">
          <div className="case-main">
            <Summary />
            <Tasks />
            <Assessments />
            <PlanPart />
            <Services />
            <FollowUp />
            <Timeline history={history.data} />
          </div>
          <div className="case-side">
            <RiskPart />
            <Consents />
            <Documents />
            <Bids />
            <TransferPart />
            <Closure />
          </div>
        </div>
      </CaseProvider>
    </Page>
  );
}
