import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { useFormat } from '../../i18n/format.ts';
import './certificates.css';
import './messages.ts';
import { ShowMore } from '../../app/ShowMore.tsx';

type Names = { kk: string; ru: string; en: string };

/** One registered birth waiting for its certificate, as GET /births/queues/ready_to_print lists it. */
interface ReadyEntry {
  id: string;
  childName: string | null;
  dateOfBirth: string | null;
  waitingDays: number;
  place: Names | null;
}

interface ReadyPage {
  items: ReadyEntry[];
  next: string | null;
}

/** The registrar's list of registered births never issued a certificate, oldest first; each opens the record to preview and issue. */
export default function ReadyToPrintPage() {
  const { t, i18n } = useTranslation('certificates');
  const format = useFormat();
  const { can } = useSession();
  const allowed = can('certificate.issue');
  const list = useInfiniteQuery({
    queryKey: ['certificates', 'ready'],
    queryFn: ({ pageParam }) => api<ReadyPage>('GET', '/births/queues/ready_to_print', { query: { after: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: allowed,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const pick = (names: Names | null) => (names ? (names[i18n.language as keyof Names] ?? names.en) : '—');

  if (!allowed) {
    return (
      <Page title={t('ready.title')}>
        <p className="notice">{t('ready.none')}</p>
      </Page>
    );
  }
  return (
    <Page title={t('ready.title')}>
      <p>{t('ready.intro')}</p>
      <ProblemAlert error={list.error} />
      {list.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {list.isSuccess && items.length === 0 ? <p className="notice">{t('ready.empty')}</p> : null}
      {items.length ? (
        <table className="queue-table">
          <caption className="visually-hidden">{t('ready.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ready.child')}</th>
              <th scope="col">{t('ready.dateOfBirth')}</th>
              <th scope="col">{t('ready.place')}</th>
              <th scope="col" className="number">
                {t('ready.waiting')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link to={`/births/${item.id}`}>{item.childName ?? <em>{t('ready.notNamed')}</em>}</Link>
                </td>
                <td>{format.date(item.dateOfBirth)}</td>
                <td>{pick(item.place)}</td>
                <td className="number">{format.number(item.waitingDays)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ShowMore count={items.length} shown={t('ready.shown', { count: items.length })} more={t('ready.more')} list={list} />
    </Page>
  );
}
