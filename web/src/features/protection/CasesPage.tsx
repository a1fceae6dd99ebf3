import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../api/session.tsx';
import { SelectField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { ShowMore } from '../../app/ShowMore.tsx';
import { listCases, personName, protectionKeys, risks, stages } from './api.ts';
import { RiskBadge } from './RiskBadge.tsx';
import { useProtectionText } from './text.ts';
import './protection.css';

/**
 * "My cases": the cases the reader works on (a supervisor: every case of the jurisdiction). A row the
 * reader only supervises shows no child's name, as the server sends none.
 */
export default function CasesPage() {
  const { t, format, stage: stageName, kind } = useProtectionText();
  const { can } = useSession();
  const mayRead = can('protection.case.read');
  const [stage, setStage] = useState('');
  const [risk, setRisk] = useState('');
  const list = useInfiniteQuery({
    queryKey: protectionKeys.cases(stage, risk),
    queryFn: ({ pageParam }) => listCases(stage, risk, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: mayRead,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  if (!mayRead) {
    return (
      <Page title={t('cases.title')}>
        <p className="notice">{t('inbox.none')}</p>
      </Page>
    );
  }
  return (
    <Page title={t('cases.title')}>
      <p>{can('protection.case.supervise') ? t('cases.introSupervisor') : t('cases.intro')}</p>
      <div className="field-row protection-filter">
        <SelectField label={t('cases.stage')} value={stage} onValueChange={setStage} options={[{ value: '', label: t('cases.anyStage') }, ...stages.map((s) => ({ value: s, label: stageName(s) }))]} />
        <SelectField label={t('inbox.risk')} value={risk} onValueChange={setRisk} options={[{ value: '', label: t('inbox.anyRisk') }, ...risks.map((r) => ({ value: r, label: t(`risk.${r}`) }))]} />
      </div>
      <ProblemAlert error={list.error} />
      {list.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {list.isSuccess && items.length === 0 ? <p className="notice">{t('cases.empty')}</p> : null}
      {items.length ? (
        <table className="queue-table protection-table">
          <caption>{t('cases.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cases.child')}</th>
              <th scope="col">{t('cases.kind')}</th>
              <th scope="col">{t('cases.stage')}</th>
              <th scope="col">{t('inbox.riskColumn')}</th>
              <th scope="col" className="number">
                {t('cases.tasks')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.id}>
                <td>
                  <Link to={`/protection/cases/${row.id}`}>{row.child === null ? t('cases.supervisedOnly') : (personName(row.child) ?? t('case.notNamed'))}</Link>
                  <span className="cell-facts">{t('cases.opened', { date: format.date(row.openedAt) })}</span>
                </td>
                <td>{kind(row.kind)}</td>
                <td>{stageName(row.stage)}</td>
                <td>
                  <RiskBadge risk={row.risk} />
                </td>
                <td className="number">
                  {format.number(row.openTasks)}
                  {row.overdueTasks ? <span className="badge overdue cell-badge">{t('tasks.overdueCount', { count: row.overdueTasks })}</span> : null}
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
