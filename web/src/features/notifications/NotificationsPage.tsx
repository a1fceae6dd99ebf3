import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { Notification } from '../../../../src/births/declaration.ts';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { SelectField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { useFormat } from '../../i18n/format.ts';
import { addMessages } from '../../i18n/index.ts';
import { notificationMessages } from './messages.ts';
import { useBirthStatus } from '../births/status.ts';

addMessages('notifications', notificationMessages);

/** One line of GET /births/notifications. */
interface NotificationEntry {
  id: string;
  status: string;
  facilityId: string;
  notifiedAt: string;
  child: Notification['child'];
  medicalCertificateNumber: string | null;
  overdue: boolean;
}

interface Facility {
  id: string;
  name: { kk: string; ru: string; en: string };
}

/** /notifications: the births notified in the clerk's area, newest first, with what became of each. */
export default function NotificationsPage() {
  const { t, i18n } = useTranslation('notifications');
  const birthStatus = useBirthStatus();
  const format = useFormat();
  const { me, can } = useSession();
  const sent = (useLocation().state as { sent?: string } | null)?.sent;
  const [facilityId, setFacilityId] = useState('');
  const language = (['kk', 'ru', 'en'] as const).find((l) => l === i18n.language) ?? 'en';

  const facilities = useQuery({
    queryKey: ['facilities', me?.jurisdiction ?? null],
    queryFn: () => api<{ items: Facility[] }>('GET', '/facilities', { query: { within: me?.jurisdiction ?? undefined } }),
    staleTime: 60 * 60_000,
  });
  const nameOf = (id: string) => facilities.data?.items.find((f) => f.id === id)?.name[language] ?? id;

  const list = useInfiniteQuery({
    queryKey: ['births', 'notifications', facilityId],
    queryFn: ({ pageParam }) => api<{ items: NotificationEntry[]; next: string | null }>('GET', '/births/notifications', { query: { facilityId: facilityId || undefined, after: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Page
      title={t('list.title')}
      actions={
        <Link className="button primary" to="/notifications/new">
          {t('list.new')}
        </Link>
      }
    >
      {sent ? (
        <p className="success" role="status">
          {t('list.sent')}
        </p>
      ) : null}
      <SelectField
        label={t('list.facility')}
        value={facilityId}
        onValueChange={setFacilityId}
        options={[{ value: '', label: t('list.allFacilities') }, ...(facilities.data?.items ?? []).map((f) => ({ value: f.id, label: f.name[language] }))]}
      />
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <p className="loading">{t('shell:common.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t('list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.notifiedAt')}</th>
              <th scope="col">{t('list.facility')}</th>
              <th scope="col">{t('list.dateOfBirth')}</th>
              <th scope="col">{t('list.sex')}</th>
              <th scope="col" className="number">
                {t('list.children')}
              </th>
              <th scope="col" className="number">
                {t('list.weight')}
              </th>
              <th scope="col">{t('list.certificate')}</th>
              <th scope="col">{t('list.status')}</th>
              {can('birth.declare') ? <th scope="col">{t('list.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} className={item.id === sent ? 'selected' : undefined}>
                <td>{format.dateTime(item.notifiedAt)}</td>
                <td>{nameOf(item.facilityId)}</td>
                <td>
                  {format.date(item.child.dateOfBirth)}
                  {item.child.timeOfBirth ? ` ${item.child.timeOfBirth}` : ''}
                </td>
                <td>{item.child.sex ? t(`form.sexes.${item.child.sex}`) : '—'}</td>
                <td className="number">{item.child.plurality > 1 ? t('list.childOf', { order: item.child.birthOrder, plurality: item.child.plurality }) : format.number(1)}</td>
                <td className="number">{item.child.weightGrams ? format.number(item.child.weightGrams) : '—'}</td>
                <td>{item.medicalCertificateNumber ?? '—'}</td>
                <td>
                  <span className="badge">{birthStatus(item.status)}</span>
                  {item.overdue ? <span className="badge overdue"> {t('list.overdue')}</span> : null}
                </td>
                {can('birth.declare') ? <td>{item.status === 'NOTIFIED' ? <Link to={`/births/${item.id}/declare`}>
                        {t('list.declare')}
                        <span className="visually-hidden"> {format.dateTime(item.notifiedAt)}</span>
                      </Link> : null}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage ? (
        <p className="actions">
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {t('shell:common.more')}
          </button>
        </p>
      ) : null}
    </Page>
  );
}
