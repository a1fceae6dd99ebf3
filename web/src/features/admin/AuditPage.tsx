import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { SelectField, TextField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { useFormat } from '../../i18n/format.ts';
import { type AuditLineView, isRefused, type Page as ListPage, useRoleName, type UserView } from './data.ts';
import { NotAllowed } from './ui.tsx';
import './admin.css';

/** The events the server writes (src/access, src/births); a line with another still shows, by its code. */
const events = [
  'sign_in',
  'second_factor',
  'step_up',
  'lockout',
  'password_change',
  'password_reset',
  'totp_enrolment_started',
  'totp_enrolment',
  'recovery_codes_regenerated',
  'token',
  'user_created',
  'roles_changed',
  'user_deactivated',
  'client_created',
  'client_secret_rotated',
  'client_deactivated',
  'record_read',
  'document_read',
  'document_attached',
  'evidence_seen',
  'registration_approved',
  'access_denied',
] as const;

const outcomes = ['success', 'failure', 'denied'] as const;

interface Filters {
  actorId?: string;
  targetId?: string;
  event?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The audit stores ids, while an administrator knows usernames: a typed username is looked up (an
 * exact match of the username prefix search) and its id used; anything else (a client id, a record
 * id) is used as typed.
 */
async function accountId(text: string, mayListUsers: boolean): Promise<string | undefined> {
  const value = text.trim();
  if (!value) return undefined;
  if (!mayListUsers || uuid.test(value)) return value;
  const page = await api<ListPage<UserView, string>>('GET', '/users', { query: { prefix: value.toLowerCase(), limit: 1 } });
  const user = page.items[0];
  return user && user.username === value.toLowerCase() ? user.id : value;
}

/** A datetime-local value (the reader's own clock) as the instant the API expects. */
function instant(local: string): string | undefined {
  const date = new Date(local);
  return local && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** Usernames for the user ids on the page, for a reader who may see accounts; an id it may not see stays an id. */
function useUsernames(ids: string[], enabled: boolean): (id: string) => string {
  const distinct = [...new Set(ids)];
  const answers = useQueries({
    queries: distinct.map((id) => ({
      queryKey: ['admin', 'user', id],
      queryFn: () => api<UserView>('GET', `/users/${id}`),
      enabled,
      staleTime: Infinity,
      retry: (count: number, error: unknown) => !(error instanceof ApiProblem) && count < 2,
    })),
  });
  return (id) => answers[distinct.indexOf(id)]?.data?.username ?? id;
}

/** A line's details (ids, codes, counts: never personal data) as text; role and scope lists by their names. */
function detailText(details: unknown, t: TFunction<'admin'>, roleName: (id: string) => string): string {
  if (details === null || typeof details !== 'object') return details === null || details === undefined ? '' : String(details);
  if (Array.isArray(details)) return details.map((item) => detailText(item, t, roleName)).join(', ');
  const named: Record<string, (id: string) => string> = { roles: roleName, from: roleName, to: roleName, scopes: (scope) => t(`scopes.${scope}`, { defaultValue: scope }) };
  return Object.entries(details)
    .map(([key, value]) => {
      const label = t(`audit.detailKeys.${key}`, { defaultValue: key });
      const name = named[key];
      const text = name && Array.isArray(value) ? value.map((id) => name(String(id))).join(', ') : detailText(value, t, roleName);
      return `${label}: ${text}`;
    })
    .join('; ');
}

/** The access audit, newest first, filtered in this screen's state: nothing typed here reaches the address bar. */
export default function AuditPage() {
  const { t } = useTranslation('admin');
  const shell = useTranslation('shell').t;
  const format = useFormat();
  const roleName = useRoleName();
  const { can } = useSession();
  const mayListUsers = can('user.manage');
  const [actor, setActor] = useState('');
  const [target, setTarget] = useState('');
  const [event, setEvent] = useState('');
  const [outcome, setOutcome] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filters, setFilters] = useState<Filters>({});
  const [lookup, setLookup] = useState<unknown>();

  const list = useInfiniteQuery({
    queryKey: ['admin', 'audit', filters],
    queryFn: ({ pageParam }) => api<ListPage<AuditLineView, number>>('GET', '/audit', { query: { ...filters, limit: 50, before: pageParam } }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const lines = list.data?.pages.flatMap((page) => page.items) ?? [];
  const username = useUsernames(
    // A failed sign-in's actor is anonymous but names the account it tried.
    lines.flatMap((line) => [line.actorKind === 'client' ? null : line.actorId, line.targetType === 'user' ? line.targetId : null]).filter((id): id is string => id !== null && uuid.test(id)),
    mayListUsers,
  );

  if (isRefused(list.error)) {
    return (
      <Page title={t('audit.title')}>
        <NotAllowed />
      </Page>
    );
  }

  const apply = async (submitted: FormEvent) => {
    submitted.preventDefault();
    setLookup(undefined);
    try {
      const [actorId, targetId] = await Promise.all([accountId(actor, mayListUsers), accountId(target, mayListUsers)]);
      setFilters({ actorId, targetId, event: event || undefined, outcome: outcome || undefined, from: instant(from), to: instant(to) });
    } catch (error) {
      setLookup(error);
    }
  };

  const clear = () => {
    for (const reset of [setActor, setTarget, setEvent, setOutcome, setFrom, setTo]) reset('');
    setFilters({});
  };

  const any = { value: '', label: t('audit.any') };
  return (
    <Page title={t('audit.title')}>
      <p>{t('audit.intro')}</p>
      <form className="admin-filters" aria-label={t('audit.filters')} onSubmit={(submitted) => void apply(submitted)}>
        <TextField label={t('audit.actor')} help={t('audit.actorHelp')} type="search" value={actor} onValueChange={setActor} autoComplete="off" spellCheck={false} maxLength={64} />
        <TextField label={t('audit.target')} help={t('audit.targetHelp')} type="search" value={target} onValueChange={setTarget} autoComplete="off" spellCheck={false} maxLength={64} />
        <SelectField label={t('audit.event')} value={event} onValueChange={setEvent} options={[any, ...events.map((e) => ({ value: e, label: t(`audit.events.${e}`) }))]} />
        <SelectField label={t('audit.outcome')} value={outcome} onValueChange={setOutcome} options={[any, ...outcomes.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))]} />
        <TextField label={t('audit.from')} type="datetime-local" value={from} onValueChange={setFrom} />
        <TextField label={t('audit.to')} type="datetime-local" value={to} onValueChange={setTo} />
        <button type="submit">{t('filter')}</button>
        <button type="button" onClick={clear}>
          {t('clear')}
        </button>
      </form>

      <ProblemAlert error={lookup ?? list.error} />
      <table className="admin-table">
        <caption className="visually-hidden">{t('audit.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.event')}</th>
            <th scope="col">{t('audit.outcome')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.address')}</th>
            <th scope="col">{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.seq}>
              <td>
                <time dateTime={line.at}>{format.dateTime(line.at)}</time>
              </td>
              <td>
                {t(`audit.actorKinds.${line.actorKind}`, { defaultValue: line.actorKind })}
                {line.actorId ? <span className="admin-code"> {username(line.actorId)}</span> : null}
              </td>
              <td>{t(`audit.events.${line.event}`, { defaultValue: line.event })}</td>
              <td>
                <span className={`badge outcome-${line.outcome}`}>{t(`audit.outcomes.${line.outcome}`, { defaultValue: line.outcome })}</span>
              </td>
              <td>
                {line.targetType ? t(`audit.targetTypes.${line.targetType}`, { defaultValue: line.targetType }) : null}
                {line.targetId ? <span className="admin-code"> {line.targetType === 'user' ? username(line.targetId) : line.targetId}</span> : null}
              </td>
              <td className="admin-code admin-nowrap">{line.clientAddress ?? '—'}</td>
              <td>{detailText(line.details, t, roleName)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.isPending ? <p className="loading">{shell('common.loading')}</p> : null}
      {list.isSuccess && lines.length === 0 ? <p>{t('audit.empty')}</p> : null}
      {list.hasNextPage ? (
        <div className="actions">
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {shell('common.more')}
          </button>
        </div>
      ) : null}
    </Page>
  );
}
