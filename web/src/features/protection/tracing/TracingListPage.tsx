import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../../api/session.tsx';
import { SelectField } from '../../../app/fields.tsx';
import { Page } from '../../../app/Page.tsx';
import { ProblemAlert } from '../../../app/problems.tsx';
import { ShowMore } from '../../../app/ShowMore.tsx';
import { listTracing, personName, tracingKeys } from './api.ts';
import { useTracingText } from './text.ts';
import './tracing.css';

const statuses = ['OPEN', 'MATCHED', 'VERIFIED', 'ASSESSED', 'REUNIFIED', 'NOT_REUNIFIED', 'CONSENT_WITHDRAWN', 'CLOSED'];

/** The tracing requests the reader works on (a supervisor: all of the jurisdiction, without names unless they work on one). */
export default function TracingListPage() {
  const { t, format, relation, status } = useTracingText();
  const { can } = useSession();
  const [filter, setFilter] = useState('');
  const allowed = can('protection.case.read');
  const list = useInfiniteQuery({
    queryKey: tracingKeys.list(filter),
    queryFn: ({ pageParam }) => listTracing(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: allowed,
  });
  if (!allowed) {
    return (
      <Page title={t('list.title')}>
        <p className="notice">{t('none')}</p>
      </Page>
    );
  }
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const actions = can('protection.case.write') ? (
    <Link to="/protection/tracing/new" className="button primary">
      {t('list.new')}
    </Link>
  ) : undefined;
  return (
    <Page title={t('list.title')} actions={actions}>
      <p className="help">{t('list.intro')}</p>
      <div className="tracing-filter">
        <SelectField label={t('list.show')} value={filter} onValueChange={setFilter} options={[{ value: '', label: t('list.all') }, ...statuses.map((value) => ({ value, label: status(value) }))]} />
      </div>
      {list.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {items.length ? (
        <table>
          <caption>{t('list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.sought')}</th>
              <th scope="col">{t('list.requester')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('list.confirmed')}</th>
              <th scope="col">{t('list.created')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <th scope="row">
                  <Link to={`/protection/tracing/${item.id}`}>{personName(item.sought) ?? t('list.hidden')}</Link>
                </th>
                <td>{item.requester ? `${personName(item.requester) ?? t('unknown')} (${relation(item.requester.relation)})` : t('list.hidden')}</td>
                <td>{status(item.status)}</td>
                <td className="number">{format.number(item.confirmedMatches)}</td>
                <td>{format.date(item.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list.data ? (
        <p className="notice">{t('list.empty')}</p>
      ) : null}
      <ShowMore count={items.length} shown={t('list.shown', { count: items.length })} more={t('list.more')} list={list} />
    </Page>
  );
}
