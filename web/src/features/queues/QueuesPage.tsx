import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { SelectField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { useFormat } from '../../i18n/format.ts';
import { PlacePicker } from '../places/PlacePicker.tsx';
import { Lookup } from './Lookup.tsx';
import './messages.ts';
import './queues.css';
import { useBirthStatus } from '../births/status.ts';
import { ShowMore } from '../../app/ShowMore.tsx';

type Names = { kk: string; ru: string; en: string };

/** One entry of a work queue, as GET /births/queues/:queue answers it. */
interface QueueEntry {
  id: string;
  status: string;
  childName: string | null;
  dateOfBirth: string | null;
  waitingDays: number;
  late: boolean;
  place: Names | null;
  assignedTo: string | null;
  assignee: string | null;
}

interface QueuePage {
  items: QueueEntry[];
  next: string | null;
}

/**
 * The queues, in the order work flows, each shown to those whose scopes let them act on what waits
 * in it (the server lets anyone with record.read list any of them).
 */
const queues: { name: string; scopes: string[] }[] = [
  { name: 'notified', scopes: ['birth.declare'] },
  { name: 'ready_to_validate', scopes: ['birth.validate'] },
  { name: 'requires_update', scopes: ['birth.declare'] },
  { name: 'ready_to_register', scopes: ['birth.register'] },
  { name: 'suspected_duplicates', scopes: ['birth.register'] },
  { name: 'late_registrations', scopes: ['birth.register'] },
  { name: 'corrections', scopes: ['correction.approve'] },
  { name: 'recently_registered', scopes: ['birth.register', 'correction.approve'] },
  { name: 'ready_to_print', scopes: ['certificate.issue'] },
  { name: 'mine', scopes: ['birth.declare'] },
];

/** A key typed into a form control is text, not a shortcut. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The work queues: counts, one queue's table, filters by office and area, lookup, and keyboard shortcuts. */
export default function QueuesPage() {
  const { t, i18n } = useTranslation('queues');
  const birthStatus = useBirthStatus();
  const format = useFormat();
  const navigate = useNavigate();
  const { me, can } = useSession();
  const { queue: asked } = useParams();
  const [office, setOffice] = useState('');
  const [area, setArea] = useState<string | undefined>();
  const [selection, setSelection] = useState({ list: '', index: -1 });
  const lookup = useRef<HTMLFormElement>(null);
  const table = useRef<HTMLTableSectionElement>(null);

  const visible = can('record.read') ? queues.filter((q) => q.scopes.some((scope) => can(scope))).map((q) => q.name) : [];
  const current = asked && visible.includes(asked) ? asked : visible[0];
  const actor = me ? `${me.kind}:${me.id}` : undefined;
  const within = area && /^\d{9}$/.test(area) ? area : undefined;
  const filter = { office: office || undefined, within };
  const pick = (names: Names | null) => (names ? (names[i18n.language as keyof Names] ?? names.en) : '—');

  const offices = useQuery({
    queryKey: ['offices', me?.jurisdiction ?? 'all'],
    queryFn: () => api<{ items: { id: string; name: Names }[] }>('GET', '/offices', { query: { within: me?.jurisdiction ?? undefined } }).then((answer) => answer.items),
    staleTime: Infinity,
    enabled: visible.length > 0,
  });
  const counts = useQuery({
    queryKey: ['queues', 'counts', filter],
    queryFn: () => api<{ queues: Record<string, number> }>('GET', '/births/queues', { query: filter }).then((answer) => answer.queues),
    enabled: visible.length > 0,
  });
  const list = useInfiniteQuery({
    queryKey: ['queues', current, filter],
    queryFn: ({ pageParam }) => api<QueuePage>('GET', `/births/queues/${current}`, { query: { ...filter, after: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: current !== undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  // A new queue or new filters start with nothing selected.
  const listKey = `${current}|${office}|${within ?? ''}`;
  const selected = selection.list === listKey ? selection.index : -1;
  const setSelected = (index: number) => setSelection({ list: listKey, index });

  const itemCount = items.length;
  const selectedId = items[selected]?.id;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      if (event.key === '/') {
        event.preventDefault();
        lookup.current?.querySelector<HTMLInputElement>('input')?.focus();
        return;
      }
      const step = event.key === 'j' || event.key === 'ArrowDown' ? 1 : event.key === 'k' || event.key === 'ArrowUp' ? -1 : 0;
      if (step && itemCount) {
        event.preventDefault();
        const next = Math.min(itemCount - 1, Math.max(0, selected + step));
        setSelection({ list: listKey, index: next });
        // The selected row's link takes the focus: it is seen, read out, and opens with Enter like any link.
        table.current?.querySelectorAll<HTMLAnchorElement>('a.open')[next]?.focus();
        return;
      }
      if (event.key === 'Enter' && selectedId && !(event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        navigate(`/births/${selectedId}`);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [itemCount, selected, selectedId, listKey, navigate]);

  if (!current) {
    return (
      <Page title={t('title')}>
        <p className="notice">{t('none')}</p>
      </Page>
    );
  }

  const queueName = t(`queue.${current}`);
  return (
    <Page title={t('title')}>
      <div className="queues-layout">
        <nav aria-label={t('listLabel')} className="queue-list">
          <ul>
            {visible.map((name) => (
              <li key={name}>
                <Link to={`/queues/${name}`} className={name === current ? 'active' : undefined} aria-current={name === current ? 'page' : undefined}>
                  <span className="queue-name">{t(`queue.${name}`)}</span>
                  <span className="badge queue-count">
                    {counts.data ? format.number(counts.data[name] ?? 0) : '…'}
                    <span className="visually-hidden"> {t('count', { count: counts.data?.[name] ?? 0 })}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="queue-main">
          <Lookup containerRef={lookup} />
          <fieldset className="queue-filters">
            <legend>{t('filters.legend')}</legend>
            <div className="field-row">
              <SelectField
                label={t('filters.office')}
                value={office}
                onValueChange={(value) => {
                  setOffice(value);
                  if (value) setArea(undefined);
                }}
                options={[{ value: '', label: t('filters.anyOffice') }, ...(offices.data ?? []).map((o) => ({ value: o.id, label: pick(o.name) }))]}
              />
              <PlacePicker
                label={t('filters.area')}
                help={t('filters.areaHelp')}
                value={area}
                within={me?.jurisdiction ?? undefined}
                onChange={(kato) => {
                  setArea(kato);
                  if (kato) setOffice('');
                }}
              />
            </div>
            {office || area ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setOffice('');
                  setArea(undefined);
                }}
              >
                {t('filters.clear')}
              </button>
            ) : null}
          </fieldset>

          <h2 id="queue-title">{queueName}</h2>
          <p className="keys-help">
            <Trans t={t} i18nKey="keys.help" components={[<kbd key="j" />, <kbd key="down" />, <kbd key="k" />, <kbd key="up" />, <kbd key="enter" />, <kbd key="slash" />]} />
          </p>
          <ProblemAlert error={counts.error ?? list.error} />
          {list.isPending ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
          {list.isSuccess && items.length === 0 ? <p>{t('table.empty')}</p> : null}
          {items.length ? (
            <table className="queue-table" aria-labelledby="queue-title">
              <caption className="visually-hidden">{t(current === 'recently_registered' ? 'table.captionNewest' : 'table.caption', { queue: queueName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('table.child')}</th>
                  <th scope="col">{t('table.dateOfBirth')}</th>
                  <th scope="col">{t('table.place')}</th>
                  <th scope="col" className="number">
                    {t('table.waiting')}
                  </th>
                  {current === 'mine' ? <th scope="col">{t('table.status')}</th> : null}
                  <th scope="col">{t('table.assignee')}</th>
                </tr>
              </thead>
              <tbody ref={table}>
                {items.map((item, index) => (
                  <tr key={item.id} className={index === selected ? 'selected' : undefined}>
                    <td>
                      <Link className="open" to={`/births/${item.id}`} onFocus={() => setSelected(index)}>
                        {item.childName ?? <em>{t('table.notNamed')}</em>}
                      </Link>
                    </td>
                    <td>{format.date(item.dateOfBirth)}</td>
                    <td>{pick(item.place)}</td>
                    <td className="number">
                      {format.number(item.waitingDays)}
                      {item.late ? <span className="badge overdue">{t('table.overdue')}</span> : null}
                    </td>
                    {current === 'mine' ? <td>{birthStatus(item.status)}</td> : null}
                    <td>{item.assignedTo ? (item.assignedTo === actor ? t('table.you') : (item.assignee ?? item.assignedTo)) : t('table.nobody')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <ShowMore count={items.length} shown={t('table.shown', { count: items.length })} more={t('table.more')} list={list} />
        </div>
      </div>
    </Page>
  );
}
