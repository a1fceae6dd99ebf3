import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useSession } from '../../api/session.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { type Dashboard, getDashboard, protectionKeys, type Risk, risks, scaleOf, stages } from './api.ts';
import { useProtectionText } from './text.ts';
import './protection.css';

interface Bar {
  key: string;
  label: string;
  count: number;
  /** Parts of the bar, stacked (cases of a stage by risk). */
  parts?: { key: Risk; count: number }[];
}

/** A figure as a bar chart drawn with CSS, and beside it the same figures as a table (what a screen reader reads). */
function BarChart({ title, bars, column }: { title: string; bars: Bar[]; column: string }) {
  const { t, format, risk } = useProtectionText();
  const id = useId();
  const max = scaleOf(bars.map((b) => b.count));
  return (
    <section className="dashboard-part" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {bars.length === 0 ? (
        <p>{t('dashboard.nothing')}</p>
      ) : (
        <div className="chart-and-table">
          <div className="bar-chart" aria-hidden="true">
            {bars.map((bar) => (
              <div key={bar.key} className="bar-row">
                <span className="bar-label">{bar.label}</span>
                <span className="bar-track">
                  {bar.parts ? (
                    bar.parts.map((part) => <span key={part.key} className={`bar bar-${part.key}`} style={{ width: `${(part.count / max) * 100}%` }} title={`${risk(part.key)}: ${part.count}`} />)
                  ) : (
                    <span className="bar" style={{ width: `${(bar.count / max) * 100}%` }} />
                  )}
                </span>
                <span className="bar-count">{format.number(bar.count)}</span>
              </div>
            ))}
          </div>
          <table className="dashboard-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{column}</th>
                {bars[0]?.parts
                  ? risks.map((r) => (
                      <th scope="col" key={r} className="number">
                        {risk(r)}
                      </th>
                    ))
                  : null}
                <th scope="col" className="number">
                  {t('dashboard.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.key}>
                  <th scope="row">{bar.label}</th>
                  {bar.parts
                    ? risks.map((r) => (
                        <td key={r} className="number">
                          {format.number(bar.parts?.find((p) => p.key === r)?.count ?? 0)}
                        </td>
                      ))
                    : null}
                  <td className="number">{format.number(bar.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Cases of each stage, split by risk; stages with no case are left out. */
export function stageBars(data: Dashboard['casesByStage'], stageName: (s: string) => string): Bar[] {
  const known = [...stages, ...data.map((d) => d.stage).filter((s) => !(stages as readonly string[]).includes(s))];
  return [...new Set(known)]
    .map((stage) => {
      const parts = risks.map((risk) => ({ key: risk, count: data.filter((d) => d.stage === stage && d.risk === risk).reduce((n, d) => n + d.count, 0) }));
      return { key: stage, label: stageName(stage), count: parts.reduce((n, p) => n + p.count, 0), parts };
    })
    .filter((bar) => bar.count > 0);
}

/**
 * The supervisor's dashboard: cases by stage and risk, overdue tasks and escalated referrals, how
 * fast flagged children were first contacted, the determinations' outcomes, referrals by agency,
 * and cases per worker — each chart with its table.
 */
export default function DashboardPage() {
  const { t, format, stage, agency, duration } = useProtectionText();
  const { can } = useSession();
  const allowed = can('protection.case.supervise');
  const query = useQuery({ queryKey: protectionKeys.dashboard, queryFn: getDashboard, enabled: allowed });
  if (!allowed) {
    return (
      <Page title={t('dashboard.title')}>
        <p className="notice">{t('dashboard.none')}</p>
      </Page>
    );
  }
  const data = query.data;
  const fc = data?.firstContact;
  return (
    <Page title={t('dashboard.title')}>
      <ProblemAlert error={query.error} />
      {query.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {data && fc ? (
        <>
          <dl className="figures">
            <div className={data.overdueTasks ? 'figure alert' : 'figure'}>
              <dt>{t('dashboard.overdueTasks')}</dt>
              <dd>{format.number(data.overdueTasks)}</dd>
            </div>
            <div className={data.escalatedReferrals ? 'figure alert' : 'figure'}>
              <dt>{t('dashboard.escalated')}</dt>
              <dd>{format.number(data.escalatedReferrals)}</dd>
            </div>
            <div className="figure">
              <dt>{t('dashboard.withinDeadline')}</dt>
              <dd>
                {fc.count ? t('dashboard.ofContacted', { within: format.number(fc.withinDeadline), count: format.number(fc.count), share: format.number(Math.round((fc.withinDeadline / fc.count) * 100)) }) : '—'}
              </dd>
            </div>
            <div className="figure">
              <dt>{t('dashboard.medianHours')}</dt>
              <dd>{fc.medianHours === null ? '—' : duration('hour', Math.round(fc.medianHours))}</dd>
            </div>
          </dl>
          <BarChart title={t('dashboard.byStage')} column={t('cases.stage')} bars={stageBars(data.casesByStage, stage)} />
          <BarChart title={t('dashboard.bidOutcomes')} column={t('dashboard.option')} bars={data.bidOutcomes.map((b) => ({ key: b.option, label: t(`bidOption.${b.option}`, { defaultValue: b.option }), count: b.count }))} />
          <BarChart title={t('dashboard.byAgency')} column={t('services.agency')} bars={data.referralsByAgency.map((b) => ({ key: b.agency, label: agency(b.agency), count: b.count }))} />
          <BarChart title={t('dashboard.perWorker')} column={t('dashboard.worker')} bars={data.casesPerWorker.map((b) => ({ key: b.worker, label: b.name ?? b.worker, count: b.count }))} />
        </>
      ) : null}
    </Page>
  );
}
