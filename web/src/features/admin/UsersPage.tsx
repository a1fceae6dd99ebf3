import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { CheckboxField, SelectField, TextField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { PlacePicker } from '../places/PlacePicker.tsx';
import { adminKeys, isRefused, type Page as ListPage, useLocalName, useOffices, usePlaceNames, useRoleName, useRoles, type UserView } from './data.ts';
import { Checklist, Dialog, FormProblem, NotAllowed, Outcome, Refusal, useFieldProblem } from './ui.tsx';
import './admin.css';

type Status = '' | 'true' | 'false';
type Action = { kind: 'roles' | 'reset' | 'deactivate'; user: UserView };

/** User accounts inside the administrator's jurisdiction: list, create, roles, password reset, deactivation. */
export default function UsersPage() {
  const { t } = useTranslation('admin');
  const shell = useTranslation('shell').t;
  const { me } = useSession();
  const roleName = useRoleName();
  const local = useLocalName();
  const [filter, setFilter] = useState<{ prefix: string; active: Status }>({ prefix: '', active: '' });
  const [prefix, setPrefix] = useState('');
  const [active, setActive] = useState<Status>('');
  const [creating, setCreating] = useState(false);
  const [action, setAction] = useState<Action | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();

  const list = useInfiniteQuery({
    queryKey: [...adminKeys.users, filter],
    queryFn: ({ pageParam }) =>
      api<ListPage<UserView, string>>('GET', '/users', { query: { limit: 50, after: pageParam, prefix: filter.prefix.trim().toLowerCase(), active: filter.active } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const users = list.data?.pages.flatMap((page) => page.items) ?? [];
  const placeName = usePlaceNames(users.map((u) => u.jurisdiction));
  const offices = useOffices(me?.jurisdiction);
  const officeName = (id: string | null) => (id ? local(offices.data?.items.find((o) => o.id === id)?.name, id) : '—');

  const done = (text: string) => {
    setAction(undefined);
    setOutcome(text);
  };

  if (isRefused(list.error)) {
    return (
      <Page title={t('users.title')}>
        <NotAllowed />
      </Page>
    );
  }

  return (
    <Page
      title={t('users.title')}
      actions={
        creating ? null : (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setOutcome(undefined);
              setCreating(true);
            }}
          >
            {t('users.new')}
          </button>
        )
      }
    >
      <Outcome text={outcome} />
      {creating ? (
        <CreateUser
          onCancel={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setOutcome(t('users.create.created', { username: user.username }));
          }}
        />
      ) : null}

      <form
        className="admin-filters"
        aria-label={t('users.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          setFilter({ prefix, active });
        }}
      >
        <TextField label={t('users.prefix')} type="search" value={prefix} onValueChange={setPrefix} autoComplete="off" spellCheck={false} maxLength={64} />
        <SelectField
          label={t('users.status')}
          value={active}
          onValueChange={(value) => setActive(value as Status)}
          options={[
            { value: '', label: t('users.all') },
            { value: 'true', label: t('active') },
            { value: 'false', label: t('inactive') },
          ]}
        />
        <button type="submit">{t('filter')}</button>
      </form>

      <ProblemAlert error={list.error} />
      <table className="admin-table">
        <caption className="visually-hidden">{t('users.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.displayName')}</th>
            <th scope="col">{t('users.roles')}</th>
            <th scope="col">{t('users.jurisdiction')}</th>
            <th scope="col">{t('users.office')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('users.totp')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <th scope="row" className="admin-id">
                {user.username}
                {user.id === me?.id ? <span className="badge">{t('you')}</span> : null}
              </th>
              <td>{user.displayName}</td>
              <td>{user.roles.map(roleName).join(', ')}</td>
              <td>{placeName(user.jurisdiction)}</td>
              <td>{officeName(user.officeId)}</td>
              <td>
                {user.active ? t('active') : <span className="badge">{t('inactive')}</span>}
                {user.active && user.passwordMustChange ? <span className="admin-note">{t('users.mustChange')}</span> : null}
              </td>
              <td>{user.totpEnabled ? t('users.totpOn') : t('users.totpOff')}</td>
              <td>
                {/* Nobody administers their own account, and a deactivated one has nothing left to change. */}
                {user.active && user.id !== me?.id ? (
                  <div className="admin-row-actions">
                    {(['roles', 'reset', 'deactivate'] as const).map((kind) => (
                      <button
                        key={kind}
                        type="button"
                        className={kind === 'deactivate' ? 'danger' : undefined}
                        onClick={() => {
                          setOutcome(undefined);
                          setAction({ kind, user });
                        }}
                      >
                        {t(`users.${kind === 'roles' ? 'changeRoles' : kind}.button`)}
                        <span className="visually-hidden"> — {user.username}</span>
                      </button>
                    ))}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.isPending ? <p className="loading">{shell('common.loading')}</p> : null}
      {list.isSuccess && users.length === 0 ? <p>{t('users.empty')}</p> : null}
      {list.hasNextPage ? (
        <div className="actions">
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {shell('common.more')}
          </button>
        </div>
      ) : null}

      {action?.kind === 'roles' ? (
        <ChangeRoles user={action.user} onClose={() => setAction(undefined)} onDone={() => done(t('users.changeRoles.done', { username: action.user.username }))} />
      ) : null}
      {action?.kind === 'reset' ? (
        <ResetPassword user={action.user} onClose={() => setAction(undefined)} onDone={() => done(t('users.reset.done', { username: action.user.username }))} />
      ) : null}
      {action?.kind === 'deactivate' ? (
        <Deactivate user={action.user} onClose={() => setAction(undefined)} onDone={() => done(t('users.deactivate.done', { username: action.user.username }))} />
      ) : null}
    </Page>
  );
}

/** The roles this administrator may grant, each by its name, sensitive ones marked. */
function useGrantable(): { value: string; label: string }[] {
  const { t } = useTranslation('admin');
  const roles = useRoles();
  const local = useLocalName();
  return (roles.data?.roles ?? [])
    .filter((role) => role.grantable)
    .map((role) => ({ value: role.id, label: `${local(role.name, role.id)}${role.sensitive ? ` (${t('users.sensitive')})` : ''}` }));
}

function useUserChange<T>(request: (body: T) => Promise<unknown>, onDone: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      onDone();
    },
  });
}

function CreateUser({ onCancel, onCreated }: { onCancel(): void; onCreated(user: UserView): void }) {
  const { t } = useTranslation('admin');
  const shell = useTranslation('shell').t;
  const { me } = useSession();
  const problem = useFieldProblem('user');
  const local = useLocalName();
  const grantable = useGrantable();
  const offices = useOffices(me?.jurisdiction);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [officeId, setOfficeId] = useState('');
  const [jurisdiction, setJurisdiction] = useState<string | undefined>(me?.jurisdiction ?? undefined);
  const [national, setNational] = useState(false);
  const [roles, setRoles] = useState<string[]>([]);
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      api<UserView>('POST', '/users', {
        body: { username: username.trim(), displayName: displayName.trim(), officeId: officeId || null, jurisdiction: national ? null : (jurisdiction ?? null), roles, password },
      }),
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      onCreated(user);
    },
  });
  const error = create.error;
  const missingPlace = checked && !national && !jurisdiction;
  const missingRole = checked && roles.length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if ((!national && !jurisdiction) || roles.length === 0) return;
    create.mutate();
  };

  return (
    <section aria-labelledby="create-user-title" className="admin-panel">
      <h2 id="create-user-title">{t('users.create.title')}</h2>
      <form onSubmit={submit} noValidate>
        <FormProblem error={error} fields={['username', 'displayName', 'officeId', 'jurisdiction', 'roles', 'password']} />
        <div className="field-row">
          <TextField
            label={t('users.username')}
            help={t('users.create.usernameHelp')}
            value={username}
            onValueChange={setUsername}
            error={problem(error, 'username', t('users.username'))}
            required
            autoFocus
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
          />
          <TextField
            label={t('users.create.displayName')}
            value={displayName}
            onValueChange={setDisplayName}
            error={problem(error, 'displayName', t('users.create.displayName'))}
            required
            autoComplete="off"
            maxLength={200}
          />
        </div>
        <div className="field-row">
          <SelectField
            label={t('users.create.office')}
            help={t('users.create.officeHelp')}
            value={officeId}
            onValueChange={(id) => {
              setOfficeId(id);
              const office = offices.data?.items.find((o) => o.id === id);
              if (office) {
                setJurisdiction(office.kato);
                setNational(false);
              }
            }}
            error={problem(error, 'officeId', t('users.create.office'))}
            options={[{ value: '', label: t('users.create.officeNone') }, ...(offices.data?.items ?? []).map((o) => ({ value: o.id, label: local(o.name, o.id) }))]}
          />
          {national ? null : (
            <PlacePicker
              label={t('users.jurisdiction')}
              help={t('users.create.jurisdictionHelp')}
              value={jurisdiction}
              onChange={setJurisdiction}
              within={me?.jurisdiction ?? undefined}
              error={problem(error, 'jurisdiction', t('users.jurisdiction')) ?? (missingPlace ? t('users.create.needPlace') : undefined)}
              required
            />
          )}
        </div>
        {me?.jurisdiction === null ? <CheckboxField label={t('users.create.national')} checked={national} onCheckedChange={setNational} /> : null}
        <Checklist
          legend={t('users.roleList')}
          options={grantable}
          value={roles}
          onChange={setRoles}
          error={problem(error, 'roles', t('users.roleList')) ?? (missingRole ? t('users.needRole') : undefined)}
        />
        <TextField
          label={t('users.create.password')}
          help={t('users.create.passwordHelp')}
          type="password"
          value={password}
          onValueChange={setPassword}
          error={problem(error, 'password', t('users.create.password'))}
          required
          autoComplete="new-password"
          maxLength={256}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('users.create.submit')}
          </button>
          <button type="button" onClick={onCancel}>
            {shell('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function DialogButtons({ submit, danger, pending, onClose }: { submit: string; danger?: boolean; pending: boolean; onClose(): void }) {
  const shell = useTranslation('shell').t;
  return (
    <div className="actions">
      <button type="submit" className={danger ? 'danger' : 'primary'} disabled={pending}>
        {submit}
      </button>
      <button type="button" onClick={onClose}>
        {shell('common.cancel')}
      </button>
    </div>
  );
}

function ChangeRoles({ user, onClose, onDone }: { user: UserView; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('admin');
  const problem = useFieldProblem('user');
  const grantable = useGrantable();
  const [roles, setRoles] = useState(user.roles);
  const [checked, setChecked] = useState(false);
  const change = useUserChange((body: { roles: string[] }) => api('PUT', `/users/${user.id}/roles`, { body }), onDone);
  return (
    <Dialog title={t('users.changeRoles.title', { username: user.username })} onClose={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setChecked(true);
          if (roles.length) change.mutate({ roles });
        }}
      >
        <FormProblem error={change.error} fields={['roles', 'id']} />
        <Refusal text={problem(change.error, 'id', '')} />
        <Checklist
          legend={t('users.roleList')}
          options={grantable}
          value={roles}
          onChange={setRoles}
          error={problem(change.error, 'roles', t('users.roleList')) ?? (checked && roles.length === 0 ? t('users.needRole') : undefined)}
        />
        <DialogButtons submit={t('users.changeRoles.submit')} pending={change.isPending} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function ResetPassword({ user, onClose, onDone }: { user: UserView; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('admin');
  const problem = useFieldProblem('user');
  const [password, setPassword] = useState('');
  const reset = useUserChange((body: { password: string }) => api('POST', `/users/${user.id}/password`, { body }), onDone);
  return (
    <Dialog title={t('users.reset.title', { username: user.username })} onClose={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          reset.mutate({ password });
        }}
      >
        <FormProblem error={reset.error} fields={['password', 'id', 'roles']} />
        <Refusal text={problem(reset.error, 'id', '') ?? problem(reset.error, 'roles', '')} />
        <TextField
          label={t('users.reset.password')}
          help={t('users.reset.help')}
          type="password"
          value={password}
          onValueChange={setPassword}
          error={problem(reset.error, 'password', t('users.reset.password'))}
          required
          autoFocus
          autoComplete="new-password"
          maxLength={256}
        />
        <DialogButtons submit={t('users.reset.submit')} pending={reset.isPending} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function Deactivate({ user, onClose, onDone }: { user: UserView; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('admin');
  const problem = useFieldProblem('user');
  const deactivate = useUserChange(() => api('POST', `/users/${user.id}/deactivate`), onDone);
  return (
    <Dialog title={t('users.deactivate.title', { username: user.username })} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          deactivate.mutate(undefined);
        }}
      >
        <p>{t('users.deactivate.body', { username: user.username })}</p>
        <FormProblem error={deactivate.error} fields={['id', 'roles']} />
        <Refusal text={problem(deactivate.error, 'id', '') ?? problem(deactivate.error, 'roles', '')} />
        <DialogButtons submit={t('users.deactivate.submit')} danger pending={deactivate.isPending} onClose={onClose} />
      </form>
    </Dialog>
  );
}
