import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { CheckboxField, TextField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { FacilityPicker, PlacePicker } from '../places/PlacePicker.tsx';
import { adminKeys, type ClientView, isRefused, useFacilities, useLocalName, usePlaceNames, useRoles } from './data.ts';
import { Checklist, Dialog, FormProblem, NotAllowed, Outcome, Refusal, useFieldProblem } from './ui.tsx';
import './admin.css';

/** A secret just issued: held in this screen's state only, until the administrator says it is stored. */
interface Issued {
  id: string;
  secret: string;
}

type Action = { kind: 'rotate' | 'deactivate'; client: ClientView };

/** API clients (hospital systems): list, register with the scopes the pack allows machines, new secret, deactivation. */
export default function ClientsPage() {
  const { t } = useTranslation('admin');
  const shell = useTranslation('shell').t;
  const local = useLocalName();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<Issued | undefined>();
  const [action, setAction] = useState<Action | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();
  const list = useQuery({ queryKey: adminKeys.clients, queryFn: () => api<{ items: ClientView[] }>('GET', '/clients') });
  const clients = list.data?.items ?? [];
  const placeName = usePlaceNames(clients.map((c) => c.jurisdiction));
  const facilities = useFacilities();
  const facilityName = (id: string | null) => (id ? local(facilities.data?.items.find((f) => f.id === id)?.name, id) : '—');

  if (isRefused(list.error)) {
    return (
      <Page title={t('clients.title')}>
        <NotAllowed />
      </Page>
    );
  }

  const start = () => {
    setOutcome(undefined);
    setIssued(undefined);
  };

  return (
    <Page
      title={t('clients.title')}
      actions={
        creating ? null : (
          <button
            type="button"
            className="primary"
            onClick={() => {
              start();
              setCreating(true);
            }}
          >
            {t('clients.new')}
          </button>
        )
      }
    >
      <p>{t('clients.intro')}</p>
      <Outcome text={outcome} />
      {issued ? <SecretOnce issued={issued} onDone={() => setIssued(undefined)} /> : null}
      {creating ? (
        <CreateClient
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setIssued(created);
          }}
        />
      ) : null}

      <ProblemAlert error={list.error} />
      <table className="admin-table">
        <caption className="visually-hidden">{t('clients.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('clients.id')}</th>
            <th scope="col">{t('clients.name')}</th>
            <th scope="col">{t('clients.scopes')}</th>
            <th scope="col">{t('clients.jurisdiction')}</th>
            <th scope="col">{t('clients.facility')}</th>
            <th scope="col">{t('clients.status')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((client) => (
            <tr key={client.id}>
              <th scope="row" className="admin-id">
                {client.id}
              </th>
              <td>{client.name}</td>
              <td>{client.scopes.map((scope) => t(`scopes.${scope}`, { defaultValue: scope })).join(', ')}</td>
              <td>{placeName(client.jurisdiction)}</td>
              <td>{facilityName(client.facilityId)}</td>
              <td>{client.active ? t('active') : <span className="badge">{t('inactive')}</span>}</td>
              <td>
                {client.active ? (
                  <div className="admin-row-actions">
                    {(['rotate', 'deactivate'] as const).map((kind) => (
                      <button
                        key={kind}
                        type="button"
                        className={kind === 'deactivate' ? 'danger' : undefined}
                        onClick={() => {
                          start();
                          setAction({ kind, client });
                        }}
                      >
                        {t(`clients.${kind}.button`)}
                        <span className="visually-hidden"> — {client.id}</span>
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
      {list.isSuccess && clients.length === 0 ? <p>{t('clients.empty')}</p> : null}

      {action?.kind === 'rotate' ? (
        <Rotate
          client={action.client}
          onClose={() => setAction(undefined)}
          onIssued={(secret) => {
            setAction(undefined);
            setIssued({ id: action.client.id, secret });
          }}
        />
      ) : null}
      {action?.kind === 'deactivate' ? (
        <Deactivate
          client={action.client}
          onClose={() => setAction(undefined)}
          onDone={() => {
            setAction(undefined);
            setOutcome(t('clients.deactivate.done', { id: action.client.id }));
          }}
        />
      ) : null}
    </Page>
  );
}

/**
 * The secret, shown once: the server keeps only its hash, so this is the only moment it exists in
 * clear. It lives in this component's state (never in the query cache or storage) and is gone when
 * the administrator says it is stored or leaves the screen.
 */
function SecretOnce({ issued, onDone }: { issued: Issued; onDone(): void }) {
  const { t } = useTranslation('admin');
  const [copy, setCopy] = useState<'copied' | 'copyFailed' | undefined>();
  // Focus moves here so that a keyboard or screen-reader user meets the secret and its warning first.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [issued]);
  return (
    <section className="warning admin-panel" aria-labelledby="secret-title">
      <h2 id="secret-title" tabIndex={-1} ref={heading}>
        {t('clients.secret.title', { id: issued.id })}
      </h2>
      <p>{t('clients.secret.warning')}</p>
      <div className="admin-secret">
        <input readOnly value={issued.secret} aria-label={t('clients.secret.label')} spellCheck={false} onFocus={(event) => event.target.select()} />
        <button
          type="button"
          onClick={() => {
            navigator.clipboard.writeText(issued.secret).then(
              () => setCopy('copied'),
              () => setCopy('copyFailed'),
            );
          }}
        >
          {t('clients.secret.copy')}
        </button>
        <button type="button" className="primary" onClick={onDone}>
          {t('clients.secret.done')}
        </button>
      </div>
      <p role="status">{copy ? t(`clients.secret.${copy}`) : null}</p>
    </section>
  );
}

function CreateClient({ onCancel, onCreated }: { onCancel(): void; onCreated(issued: Issued): void }) {
  const { t } = useTranslation('admin');
  const shell = useTranslation('shell').t;
  const { me } = useSession();
  const problem = useFieldProblem('client');
  const roles = useRoles();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [jurisdiction, setJurisdiction] = useState<string | undefined>(me?.jurisdiction ?? undefined);
  const [national, setNational] = useState(false);
  const [facilityId, setFacilityId] = useState<string | undefined>();
  const [checked, setChecked] = useState(false);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      api<{ client: ClientView; secret: string }>('POST', '/clients', {
        body: { id: id.trim(), name: name.trim(), scopes, jurisdiction: national ? null : (jurisdiction ?? null), facilityId: facilityId ?? null },
      }),
    // The answer holds the secret: it is handed to the screen's state and not kept by the mutation.
    gcTime: 0,
    onSuccess: async ({ client, secret }) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.clients });
      onCreated({ id: client.id, secret });
    },
  });
  const error = create.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if ((!national && !jurisdiction) || scopes.length === 0) return;
    create.mutate();
  };

  return (
    <section aria-labelledby="create-client-title" className="admin-panel">
      <h2 id="create-client-title">{t('clients.create.title')}</h2>
      <form onSubmit={submit} noValidate>
        <FormProblem error={error} fields={['id', 'name', 'scopes', 'jurisdiction', 'facilityId']} />
        <div className="field-row">
          <TextField
            label={t('clients.id')}
            help={t('clients.create.idHelp')}
            value={id}
            onValueChange={setId}
            error={problem(error, 'id', t('clients.id'))}
            required
            autoFocus
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
          />
          <TextField
            label={t('clients.name')}
            help={t('clients.create.nameHelp')}
            value={name}
            onValueChange={setName}
            error={problem(error, 'name', t('clients.name'))}
            required
            autoComplete="off"
            maxLength={200}
          />
        </div>
        <Checklist
          legend={t('clients.scopes')}
          options={(roles.data?.clientScopes ?? []).map((scope) => ({ value: scope, label: t(`scopes.${scope}`, { defaultValue: scope }) }))}
          value={scopes}
          onChange={setScopes}
          error={problem(error, 'scopes', t('clients.scopes')) ?? (checked && scopes.length === 0 ? t('clients.create.needScope') : undefined)}
        />
        {me?.jurisdiction === null ? <CheckboxField label={t('clients.create.national')} checked={national} onCheckedChange={setNational} /> : null}
        <div className="field-row">
          {national ? null : (
            <PlacePicker
              label={t('clients.jurisdiction')}
              value={jurisdiction}
              onChange={setJurisdiction}
              within={me?.jurisdiction ?? undefined}
              error={problem(error, 'jurisdiction', t('clients.jurisdiction')) ?? (checked && !jurisdiction ? t('clients.create.needPlace') : undefined)}
              required
            />
          )}
          <FacilityPicker
            label={t('clients.facility')}
            help={t('clients.create.facilityHelp')}
            value={facilityId}
            onChange={setFacilityId}
            within={national ? undefined : jurisdiction}
            error={problem(error, 'facilityId', t('clients.facility'))}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('clients.create.submit')}
          </button>
          <button type="button" onClick={onCancel}>
            {shell('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Rotate({ client, onClose, onIssued }: { client: ClientView; onClose(): void; onIssued(secret: string): void }) {
  const { t } = useTranslation('admin');
  const shell = useTranslation('shell').t;
  const problem = useFieldProblem('client');
  const rotate = useMutation({
    mutationFn: () => api<{ secret: string }>('POST', `/clients/${encodeURIComponent(client.id)}/secrets`),
    gcTime: 0,
    onSuccess: ({ secret }) => onIssued(secret),
  });
  return (
    <Dialog title={t('clients.rotate.title', { id: client.id })} onClose={onClose}>
      <p>{t('clients.rotate.body')}</p>
      <FormProblem error={rotate.error} fields={['id']} />
      <Refusal text={problem(rotate.error, 'id', '')} />
      <div className="actions">
        <button type="button" className="primary" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
          {t('clients.rotate.submit')}
        </button>
        <button type="button" onClick={onClose}>
          {shell('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

function Deactivate({ client, onClose, onDone }: { client: ClientView; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('admin');
  const shell = useTranslation('shell').t;
  const problem = useFieldProblem('client');
  const queryClient = useQueryClient();
  const deactivate = useMutation({
    mutationFn: () => api<ClientView>('POST', `/clients/${encodeURIComponent(client.id)}/deactivate`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.clients });
      onDone();
    },
  });
  return (
    <Dialog title={t('clients.deactivate.title', { id: client.id })} onClose={onClose}>
      <p>{t('clients.deactivate.body')}</p>
      <FormProblem error={deactivate.error} fields={['id']} />
      <Refusal text={problem(deactivate.error, 'id', '')} />
      <div className="actions">
        <button type="button" className="danger" disabled={deactivate.isPending} onClick={() => deactivate.mutate()}>
          {t('clients.deactivate.submit')}
        </button>
        <button type="button" onClick={onClose}>
          {shell('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
