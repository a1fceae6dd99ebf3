import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useSession } from '../../api/session.tsx';
import { SelectField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { useBirthStatus } from '../births/status.ts';
import { childName, linkageKeys, listPairs, type PairStatus, type ReviewRecord } from './api.ts';
import { useLinkageText } from './text.ts';
import './linkage.css';
import { ShowMore } from '../../app/ShowMore.tsx';

const pairStatuses: PairStatus[] = ['open', 'duplicate', 'not_duplicate', 'closed'];

/** What the review hands back after a decision (router state, never the address bar). */
export interface DecidedState {
  decided: { decision: 'duplicate' | 'not_duplicate'; kept?: { id: string; name: string }; removedStatus?: string };
}

function isDecided(state: unknown): state is DecidedState {
  return typeof state === 'object' && state !== null && 'decided' in state;
}

function RecordCell({ record }: { record: ReviewRecord }) {
  const { t, format } = useLinkageText();
  const birthStatus = useBirthStatus();
  const child = record.facts?.child;
  return (
    <>
      <Link to={`/births/${record.id}`}>{childName(child) ?? <em>{t('search.notNamed')}</em>}</Link>
      <span className="pair-facts">
        {format.date(child?.dateOfBirth)} · {birthStatus(record.status)}
      </span>
    </>
  );
}

/** The suspected-duplicates queue: pairs of records that may be one birth, strongest first, each opening its review. */
export default function DuplicatesPage() {
  const { t, format, score } = useLinkageText();
  const { can } = useSession();
  const location = useLocation();
  const allowed = can('birth.register');
  const [status, setStatus] = useState<PairStatus>('open');
  const list = useInfiniteQuery({
    queryKey: linkageKeys.queue(status),
    queryFn: ({ pageParam }) => listPairs(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const decided = isDecided(location.state) ? location.state.decided : undefined;
  const birthStatus = useBirthStatus();

  if (!allowed) {
    return (
      <Page title={t('queue.title')}>
        <p className="notice">{t('queue.none')}</p>
      </Page>
    );
  }
  const statusName = t(`pairStatus.${status}`);
  return (
    <Page title={t('queue.title')}>
      {decided ? (
        <p className="success" role="status">
          {decided.decision === 'duplicate'
            ? t('queue.outcome.duplicate', { kept: decided.kept?.name ?? '', status: birthStatus(decided.removedStatus ?? '') })
            : t('queue.outcome.not_duplicate')}{' '}
          {decided.kept ? <Link to={`/births/${decided.kept.id}`}>{t('review.openRecord', { which: decided.kept.name })}</Link> : null}
        </p>
      ) : null}
      <p>{t('queue.intro')}</p>
      <div className="field-row pair-filter">
        <SelectField label={t('queue.show')} value={status} onValueChange={(value) => setStatus(value as PairStatus)} options={pairStatuses.map((s) => ({ value: s, label: t(`pairStatus.${s}`) }))} />
      </div>
      <h2 id="pairs-title">{statusName}</h2>
      <ProblemAlert error={list.error} />
      {list.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {list.isSuccess && items.length === 0 ? <p className="notice">{status === 'open' ? t('queue.emptyOpen') : t('queue.empty')}</p> : null}
      {items.length ? (
        <table className="queue-table pairs-table" aria-labelledby="pairs-title">
          <caption className="visually-hidden">{t('queue.caption', { status: statusName })}</caption>
          <thead>
            <tr>
              <th scope="col" className="number">
                {t('queue.score')}
              </th>
              <th scope="col">{t('queue.recordA')}</th>
              <th scope="col">{t('queue.recordB')}</th>
              <th scope="col">{t('queue.found')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('queue.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ pair, a, b }) => (
              <tr key={pair.id}>
                <td className="number">
                  <span className="pair-score">{score(pair.score)}</span> <span className={`badge band-${pair.band}`}>{t(`band.${pair.band}`, { defaultValue: pair.band })}</span>
                </td>
                <td>
                  <RecordCell record={a} />
                </td>
                <td>
                  <RecordCell record={b} />
                </td>
                <td>
                  {format.date(pair.foundAt)}
                  <span className="pair-facts">{t(`source.${pair.source}`, { defaultValue: pair.source })}</span>
                </td>
                <td>
                  <Link className="button" to={`/duplicates/${pair.id}`}>
                    {t('queue.open')}
                    <span className="visually-hidden">: {t('queue.openPair', { a: childName(a.facts?.child) ?? '—', b: childName(b.facts?.child) ?? '—' })}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ShowMore count={items.length} shown={t('queue.shown', { count: items.length })} more={t('queue.more')} list={list} />
    </Page>
  );
}
