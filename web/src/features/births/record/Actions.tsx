import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem } from '../../../api/client.ts';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../../app/fields.tsx';
import { ProblemAlert, problemConcerns, useProblemText } from '../../../app/problems.tsx';
import { type BirthView, fetchHistory, performAction, type RecordAction } from './api.ts';
import { useFactText } from './Documents.tsx';
import { useRecordText } from './labels.ts';

/** Actions that ask something first (a reason, confirmations, the document seen); the rest act at once. */
const asking: RecordAction[] = ['REQUEST_UPDATE', 'ARCHIVE', 'APPROVE_REGISTRATION', 'REGISTER', 'APPROVE_CORRECTION', 'REJECT_CORRECTION', 'REVOKE', 'EVIDENCE_SEEN'];
const reasonRequired: RecordAction[] = ['REQUEST_UPDATE', 'ARCHIVE', 'APPROVE_REGISTRATION', 'REJECT_CORRECTION', 'REVOKE'];
const dangerous: RecordAction[] = ['ARCHIVE', 'REVOKE', 'REJECT_CORRECTION'];
/** The order the buttons come in: the step forward first. */
const order: string[] = ['DECLARE', 'VALIDATE', 'APPROVE_REGISTRATION', 'REGISTER', 'APPROVE_CORRECTION', 'EVIDENCE_SEEN', 'ASSIGN', 'UNASSIGN', 'REQUEST_UPDATE', 'REQUEST_CORRECTION', 'REJECT_CORRECTION', 'ARCHIVE', 'REVOKE'];

function isRecordAction(action: string): action is RecordAction {
  return order.includes(action) && action !== 'DECLARE' && action !== 'REQUEST_CORRECTION';
}

interface Submit {
  action: RecordAction;
  body?: Record<string, unknown>;
}

/** The facts a registrar must confirm before this action stands (registration, or approving a correction). */
function factsToConfirm(view: BirthView, action: RecordAction) {
  if (action === 'REGISTER') return (view.data.unverified ?? []).filter((f) => !f.confirmedBy);
  if (action === 'APPROVE_CORRECTION') {
    const pending = view.data.corrections.at(-1);
    return pending?.outcome === 'pending' ? (pending.unverified ?? []).filter((f) => !f.confirmedBy) : [];
  }
  return [];
}

function ActionDialog({ view, action, pending, error, onSubmit, onClose }: { view: BirthView; action: RecordAction; pending: boolean; error: unknown; onSubmit(submit: Submit): void; onClose(): void }) {
  const { t, documentType } = useRecordText();
  const problemText = useProblemText();
  const factText = useFactText();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const [documentTypeChosen, setDocumentType] = useState('');
  const [reference, setReference] = useState('');
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const facts = factsToConfirm(view, action);
  const needsReason = reasonRequired.includes(action);
  const reasonMissing = checked && needsReason && !reason.trim();
  // Facts are confirmed by field: two doubts about one IIN are one check.
  const fields = [...new Set(facts.map((f) => f.field))];
  const unconfirmed = fields.filter((field) => !confirmed.includes(field));
  const documentTypes = [...new Set([...view.data.missingDocuments.flat(), ...(view.data.declaration?.documents ?? []).map((d) => d.type)])];
  const allTypes = Object.keys(t('documentTypes', { returnObjects: true }) as Record<string, string>);
  const typeOptions = (documentTypes.length ? documentTypes : allTypes).map((type) => ({ value: type, label: documentType(type) }));
  const chosenType = documentTypeChosen || typeOptions[0]?.value || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (needsReason && !reason.trim()) return;
    if (unconfirmed.length) return;
    const body: Record<string, unknown> = {};
    if (reason.trim()) body.reason = reason.trim();
    if (fields.length) body.confirm = confirmed;
    if (action === 'EVIDENCE_SEEN') Object.assign(body, { type: chosenType, ...(reference.trim() && { reference: reference.trim() }) });
    onSubmit({ action, body });
  };

  const serverReasonError = problemConcerns(error, 'reason') ? problemText(error, t('actions.reason')) : undefined;
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>{t(`action.${action}`)}</h2>
        {action === 'REGISTER' ? <p>{t('actions.registerBody')}</p> : null}
        {fields.length ? (
          <fieldset>
            <legend>{t('actions.confirmTitle')}</legend>
            <p className="help">{t('actions.confirmHelp')}</p>
            {fields.map((field) => (
              <CheckboxField
                key={field}
                label={facts
                  .filter((f) => f.field === field)
                  .map(factText)
                  .join('; ')}
                checked={confirmed.includes(field)}
                onCheckedChange={(on) => setConfirmed((list) => (on ? [...list, field] : list.filter((f) => f !== field)))}
              />
            ))}
            {checked && unconfirmed.length ? (
              <p className="field-error" role="alert">
                {t('actions.confirmAll')}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        {action === 'EVIDENCE_SEEN' ? (
          <>
            <SelectField label={t('actions.documentType')} value={chosenType} onValueChange={setDocumentType} options={typeOptions} required />
            <TextField label={t('actions.documentReference')} value={reference} onValueChange={setReference} maxLength={120} autoComplete="off" />
          </>
        ) : null}
        {action !== 'REGISTER' ? (
          <TextAreaField
            label={needsReason ? t('actions.reason') : t('actions.optionalReason')}
            help={t('actions.reasonHelp')}
            value={reason}
            onValueChange={setReason}
            required={needsReason}
            maxLength={1000}
            rows={3}
            error={reasonMissing ? t('actions.reasonRequired') : serverReasonError}
          />
        ) : null}
        {error && !serverReasonError ? <ProblemAlert error={error} /> : null}
        <div className="actions">
          <button type="submit" className={dangerous.includes(action) ? 'danger' : 'primary'} disabled={pending}>
            {pending ? t('actions.working') : t(`actions.go.${action}`)}
          </button>
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** What the server said when the record changed under the reader: both versions, and what happened between. */
function VersionConflict({ id, seen, current, onReload }: { id: string; seen: number; current: number | undefined; onReload(): void }) {
  const { t, format } = useRecordText();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  const history = useQuery({ queryKey: ['birth', id, 'changes-since', seen], queryFn: () => fetchHistory(id) });
  const since = (history.data ?? []).filter((entry) => entry.recordSeq > seen);
  const now = current ?? history.data?.at(-1)?.recordSeq;
  return (
    <div className="problem version-conflict" role="alert" tabIndex={-1} ref={box}>
      <h3>{t('actions.conflictTitle')}</h3>
      <p>{t('actions.conflictBody', { seen: format.number(seen), current: now === undefined ? '?' : format.number(now) })}</p>
      {since.length ? (
        <>
          <p>{t('actions.conflictChanges')}</p>
          <ul>
            {since.map((entry) => (
              <li key={entry.recordSeq}>
                {format.dateTime(entry.at)}: {t(`event.${entry.type}`, { defaultValue: entry.type })} — {entry.actorName ?? entry.actor}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" className="primary" onClick={onReload}>
        {t('actions.reload')}
      </button>
    </div>
  );
}

/**
 * The actions the server says the reader may take now (allowedActions), as buttons, and nothing else.
 * Each sends the version on screen: a record changed meanwhile is refused (409), shown with both
 * versions and a reload, never overwritten.
 */
export function Actions({ view, onDone, onReload }: { view: BirthView; onDone(view: BirthView): void; onReload(): Promise<unknown> }) {
  const { t } = useRecordText();
  const [open, setOpen] = useState<RecordAction | null>(null);
  const [conflict, setConflict] = useState<{ seen: number; current: number | undefined } | null>(null);
  const [done, setDone] = useState<RecordAction | null>(null);
  const doneMessage = useRef<HTMLParagraphElement>(null);
  // The button pressed may be gone once the record moved on: the focus goes to what happened.
  useEffect(() => {
    if (done) doneMessage.current?.focus();
  }, [done]);
  const mutation = useMutation({
    mutationFn: ({ action, body }: Submit) => performAction(view.id, action, view.version, body),
    onMutate: () => setDone(null),
    onSuccess: (next, { action }) => {
      setOpen(null);
      setDone(action);
      onDone(next);
    },
    onError: (error) => {
      if (error instanceof ApiProblem && error.code === 'version_conflict') {
        const current = error.extra.currentVersion;
        setOpen(null);
        setConflict({ seen: view.version, current: typeof current === 'number' ? current : undefined });
      }
    },
  });
  const run = (submit: Submit) => mutation.mutate(submit);
  const available = order.filter((action) => view.allowedActions.includes(action));

  return (
    <section className="record-part record-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('sections.actions')}</h2>
      {conflict ? (
        <VersionConflict
          id={view.id}
          seen={conflict.seen}
          current={conflict.current}
          onReload={() => {
            void onReload().then(() => {
              setConflict(null);
              mutation.reset();
            });
          }}
        />
      ) : null}
      {done ? (
        <p className="success" role="status" tabIndex={-1} ref={doneMessage}>
          {t('actions.done', { action: t(`action.${done}`) })}
        </p>
      ) : null}
      {!open && mutation.error && !conflict ? <ProblemAlert error={mutation.error} /> : null}
      {available.length === 0 ? <p>{t('actions.none')}</p> : null}
      <div className="actions">
        {available.map((action) => {
          if (action === 'DECLARE') {
            return (
              <Link key={action} className="button primary" to={`/births/${view.id}/declare`}>
                {t('action.DECLARE')}
              </Link>
            );
          }
          if (action === 'REQUEST_CORRECTION') {
            return (
              <Link key={action} className="button" to={`/births/${view.id}/correct`}>
                {t('action.REQUEST_CORRECTION')}
              </Link>
            );
          }
          if (!isRecordAction(action)) return null;
          const primary = action === 'VALIDATE' || action === 'REGISTER' || action === 'APPROVE_REGISTRATION' || action === 'APPROVE_CORRECTION';
          return (
            <button
              key={action}
              type="button"
              className={dangerous.includes(action) ? 'danger' : primary ? 'primary' : undefined}
              disabled={mutation.isPending || conflict !== null}
              onClick={() => {
                mutation.reset();
                if (asking.includes(action)) setOpen(action);
                else run({ action });
              }}
            >
              {t(`action.${action}`)}
            </button>
          );
        })}
      </div>
      {open ? (
        <ActionDialog
          view={view}
          action={open}
          pending={mutation.isPending}
          error={mutation.error}
          onSubmit={run}
          onClose={() => {
            setOpen(null);
            mutation.reset();
          }}
        />
      ) : null}
    </section>
  );
}
