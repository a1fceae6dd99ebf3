import { useState } from 'react';
import { Link } from 'react-router';
import { SelectField, TextAreaField, TextField } from '../../../app/fields.tsx';
import { consentPurposes, documentTypes, type CaseHistoryEntry, personName, type Risk, risks, taskOverdue, agencies } from '../api.ts';
import { BidLink, conveneBidPath, newTracingPath } from '../BidLink.tsx';
import { RiskBadge } from '../RiskBadge.tsx';
import { useProtectionText } from '../text.ts';
import { ActionButton, ActionForm } from './ActionForm.tsx';
import { useCase } from './context.tsx';

/** The names of the people on the case, as the timeline gave them, else their ids. */
function useWho() {
  const { names } = useCase();
  return (actor: string | null | undefined) => (actor ? (names.get(actor) ?? names.get(`user:${actor}`) ?? actor) : '—');
}

/** Who the child is, the case's kind and stage, who works on it, the birth record and the referrals that opened it. */
export function Summary() {
  const { view, allowed } = useCase();
  const { t, format, kind, stage, flagName, deadline } = useProtectionText();
  const who = useWho();
  const { data } = view;
  const child = data.child;
  const referrals = view.referrals ?? [];
  return (
    <section className="case-part" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('case.summary')}</h2>
      <dl className="facts">
        <dt>{t('case.child')}</dt>
        <dd>{personName(child) ?? t('case.notNamed')}</dd>
        {child.sex ? (
          <>
            <dt>{t('case.sex')}</dt>
            <dd>{t(`sex.${child.sex}`, { defaultValue: child.sex })}</dd>
          </>
        ) : null}
        <dt>{t('case.dateOfBirth')}</dt>
        <dd>{child.dateOfBirth ? format.date(child.dateOfBirth) : child.approximateAge ? t('case.approximateAge', { years: child.approximateAge.years }) : '—'}</dd>
        <dt>{t('case.kind')}</dt>
        <dd>{kind(data.kind)}</dd>
        <dt>{t('case.stage')}</dt>
        <dd>
          <strong>{stage(view.stage)}</strong>
        </dd>
        <dt>{t('case.risk')}</dt>
        <dd>
          <RiskBadge risk={data.risk} />
        </dd>
        <dt>{t('case.owner')}</dt>
        <dd>{who(data.owner)}</dd>
        {data.workers.length ? (
          <>
            <dt>{t('case.workers')}</dt>
            <dd>{data.workers.map(who).join(', ')}</dd>
          </>
        ) : null}
        <dt>{t('case.contacted')}</dt>
        <dd>{data.contactedAt ? format.dateTime(data.contactedAt) : t('case.notContacted')}</dd>
        <dt>{t('case.birthRecord')}</dt>
        <dd>{data.birthRecordId ? <Link to={`/births/${data.birthRecordId}`}>{t('inbox.openRecord')}</Link> : '—'}</dd>
      </dl>
      {referrals.length ? (
        <>
          <h3>{t('case.referrals')}</h3>
          <ul className="flag-list">
            {referrals.map((r) => (
              <li key={r.id}>
                {r.flags.map((f) => flagName(f.code)).join(', ')} · {t('case.referredOn', { date: format.dateTime(r.createdAt) })}
                {r.firstContactAt ? ` · ${t('case.contactedOn', { date: format.dateTime(r.firstContactAt) })}` : r.status === 'open' || !data.contactedAt ? ` · ${deadline(r.dueAt).text}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {allowed('CONTACT') && !data.contactedAt ? <Contact /> : null}
    </section>
  );
}

function Contact() {
  const { t } = useProtectionText();
  const [note, setNote] = useState('');
  return (
    <ActionForm type="CONTACT" title={t('contact.title')} submit={t('action.CONTACT')} build={() => (note.trim() ? { note: note.trim() } : {})} onDone={() => setNote('')}>
      <TextAreaField label={t('contact.note')} value={note} onValueChange={setNote} rows={2} maxLength={2000} />
    </ActionForm>
  );
}

/** The risk level, how it changed and why; a change needs a reason. */
export function RiskPart() {
  const { view, allowed } = useCase();
  const { t, format } = useProtectionText();
  const who = useWho();
  const [risk, setRisk] = useState<Risk>(view.data.risk);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const history = view.data.riskHistory ?? [];
  return (
    <section className="case-part" aria-labelledby="risk-title">
      <h2 id="risk-title">{t('case.riskTitle')}</h2>
      <p>
        <RiskBadge risk={view.data.risk} />
      </p>
      {history.length ? (
        <ul className="plain-list">
          {history.map((h, i) => (
            <li key={i}>
              {format.dateTime(h.at)} · <RiskBadge risk={h.risk} /> {t('history.by', { who: who(h.by) })} · {h.reason === 'opened' ? t('risk.atOpening') : h.reason.startsWith('assessment ') ? t('risk.byAssessment') : h.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {allowed('CHANGE_RISK') ? (
        <ActionForm
          type="CHANGE_RISK"
          title={t('risk.change')}
          submit={t('action.CHANGE_RISK')}
          build={() => {
            setMissing(!reason.trim());
            return reason.trim() ? { risk, reason: reason.trim() } : null;
          }}
          onDone={() => setReason('')}
        >
          <SelectField label={t('risk.new')} value={risk} onValueChange={(v) => setRisk(v as Risk)} options={risks.map((r) => ({ value: r, label: t(`risk.${r}`) }))} />
          <TextAreaField label={t('risk.reason')} required value={reason} onValueChange={setReason} rows={2} maxLength={2000} error={missing ? t('form.required') : undefined} />
        </ActionForm>
      ) : null}
    </section>
  );
}

/** The tasks: open ones first, an overdue one marked; done ones with when. Add a task; complete one. */
export function Tasks() {
  const { view, allowed } = useCase();
  const { t, format } = useProtectionText();
  const who = useWho();
  const now = new Date();
  const tasks = [...view.data.tasks].sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1));
  const [title, setTitle] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <section className="case-part" aria-labelledby="tasks-title">
      <h2 id="tasks-title">{t('tasks.title')}</h2>
      {tasks.length === 0 ? <p>{t('tasks.none')}</p> : null}
      <ul className="task-list">
        {tasks.map((task) => {
          const overdue = taskOverdue(task, now);
          return (
            <li key={task.id} className={task.status === 'done' ? 'done' : overdue ? 'overdue' : undefined}>
              <span className="task-title">{task.kind === 'other' ? task.title : t(`taskKind.${task.kind}`, { defaultValue: task.title })}</span>{' '}
              {task.status === 'done' ? (
                <span className="badge ok">{t('tasks.doneOn', { date: format.dateTime(task.doneAt) })}</span>
              ) : (
                <>
                  <span className="help">{t('tasks.due', { date: task.dueAt ? format.dateTime(task.dueAt) : format.date(task.dueOn) })}</span> {overdue ? <span className="badge overdue">{t('tasks.overdue')}</span> : null}
                  {task.assignee ? <span className="help"> · {who(task.assignee)}</span> : null}
                  {allowed('COMPLETE_TASK') ? <ActionButton action={{ type: 'COMPLETE_TASK', taskId: task.id }} label={t('tasks.complete')} className="small" /> : null}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {allowed('ADD_TASK') ? (
        <ActionForm
          type="ADD_TASK"
          title={t('tasks.add')}
          submit={t('action.ADD_TASK')}
          build={() => {
            setMissing(!title.trim() || !dueOn);
            return title.trim() && dueOn ? { title: title.trim(), dueOn } : null;
          }}
          onDone={() => {
            setTitle('');
            setDueOn('');
          }}
        >
          <div className="field-row">
            <TextField label={t('tasks.what')} required value={title} onValueChange={setTitle} maxLength={200} error={missing && !title.trim() ? t('form.required') : undefined} />
            <TextField label={t('tasks.dueOn')} required type="date" value={dueOn} onValueChange={setDueOn} error={missing && !dueOn ? t('form.required') : undefined} />
          </div>
        </ActionForm>
      ) : null}
    </section>
  );
}

/** Documents kept on the case (a reference to where the paper is, never the file here). */
export function Documents() {
  const { view, allowed } = useCase();
  const { t, format } = useProtectionText();
  const who = useWho();
  const [type, setType] = useState<string>('identity_document');
  const [reference, setReference] = useState('');
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <section className="case-part" aria-labelledby="documents-title">
      <h2 id="documents-title">{t('documents.title')}</h2>
      {view.data.documents.length === 0 ? <p>{t('documents.none')}</p> : null}
      <ul className="plain-list">
        {view.data.documents.map((d) => (
          <li key={d.id}>
            <strong>{t(`documentType.${d.type}`, { defaultValue: d.type })}</strong>
            {d.reference ? ` · ${d.reference}` : ''}
            {d.description ? ` · ${d.description}` : ''} <span className="help">({format.date(d.at)}, {who(d.by)})</span>
          </li>
        ))}
      </ul>
      {allowed('DOCUMENT') ? (
        <ActionForm
          type="DOCUMENT"
          title={t('documents.add')}
          submit={t('action.DOCUMENT')}
          build={() => {
            setMissing(!reference.trim() && !description.trim());
            if (!reference.trim() && !description.trim()) return null;
            return { documentType: type, ...(reference.trim() ? { reference: reference.trim() } : {}), ...(description.trim() ? { description: description.trim() } : {}) };
          }}
          onDone={() => {
            setReference('');
            setDescription('');
          }}
        >
          <div className="field-row">
            <SelectField label={t('documents.type')} value={type} onValueChange={setType} options={documentTypes.map((d) => ({ value: d, label: t(`documentType.${d}`) }))} />
            <TextField label={t('documents.reference')} help={t('documents.referenceHelp')} value={reference} onValueChange={setReference} maxLength={200} error={missing ? t('documents.say') : undefined} />
          </div>
          <TextAreaField label={t('documents.description')} value={description} onValueChange={setDescription} rows={2} maxLength={2000} />
        </ActionForm>
      ) : null}
    </section>
  );
}

/** The family's consents: to share with one agency, to trace, to use the data. Withdrawn at once. */
export function Consents() {
  const { view, allowed } = useCase();
  const { t, format, agency } = useProtectionText();
  const [purpose, setPurpose] = useState<string>('sharing');
  const [to, setTo] = useState<string>('legal_aid');
  const [name, setName] = useState('');
  const [relation, setRelation] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <section className="case-part" aria-labelledby="consents-title">
      <h2 id="consents-title">{t('consents.title')}</h2>
      {view.data.consents.length === 0 ? <p>{t('consents.none')}</p> : null}
      <ul className="plain-list">
        {view.data.consents.map((c) => (
          <li key={c.id} className={c.withdrawnAt ? 'withdrawn' : undefined}>
            <strong>{t(`purpose.${c.purpose}`, { defaultValue: c.purpose })}</strong>
            {c.agency ? ` · ${agency(c.agency)}` : ''} · {t('consents.givenBy', { who: `${c.givenBy.name} (${c.givenBy.relation})`, date: format.date(c.at) })}{' '}
            {c.withdrawnAt ? (
              <span className="badge">{t('consents.withdrawnOn', { date: format.date(c.withdrawnAt) })}</span>
            ) : allowed('WITHDRAW_CONSENT') ? (
              <ActionButton action={{ type: 'WITHDRAW_CONSENT', consentId: c.id }} label={t('consents.withdraw')} className="small danger" />
            ) : null}
          </li>
        ))}
      </ul>
      {allowed('GIVE_CONSENT') ? (
        <ActionForm
          type="GIVE_CONSENT"
          title={t('consents.give')}
          submit={t('action.GIVE_CONSENT')}
          build={() => {
            const ok = Boolean(name.trim() && relation.trim());
            setMissing(!ok);
            if (!ok) return null;
            return { purpose, ...(purpose === 'sharing' ? { agency: to } : {}), givenBy: { name: name.trim(), relation: relation.trim() } };
          }}
          onDone={() => {
            setName('');
            setRelation('');
          }}
        >
          <div className="field-row">
            <SelectField label={t('consents.purpose')} value={purpose} onValueChange={setPurpose} options={consentPurposes.map((p) => ({ value: p, label: t(`purpose.${p}`) }))} />
            {purpose === 'sharing' ? <SelectField label={t('consents.agency')} value={to} onValueChange={setTo} options={agencies.map((a) => ({ value: a, label: agency(a) }))} /> : null}
          </div>
          <div className="field-row">
            <TextField label={t('consents.who')} required value={name} onValueChange={setName} maxLength={200} error={missing && !name.trim() ? t('form.required') : undefined} />
            <TextField label={t('consents.relation')} help={t('consents.relationHelp')} required value={relation} onValueChange={setRelation} maxLength={40} error={missing && !relation.trim() ? t('form.required') : undefined} />
          </div>
        </ActionForm>
      ) : null}
    </section>
  );
}

/** The best-interests determinations of the case; each opens on its own page (the BID flow). */
export function Bids() {
  const { view } = useCase();
  const { t } = useProtectionText();
  return (
    <section className="case-part" aria-labelledby="bids-title">
      <h2 id="bids-title">{t('bids.title')}</h2>
      {view.data.bids.length === 0 ? <p>{t('bids.none')}</p> : null}
      <ul className="plain-list">
        {view.data.bids.map((bid) => (
          <li key={bid.bidId}>
            <BidLink bidId={bid.bidId} question={bid.question} status={bid.status} decision={bid.decision ?? undefined} />
          </li>
        ))}
      </ul>
      {view.access === 'work' || view.access === 'supervise' ? (
        <p className="case-links">
          <Link to={conveneBidPath(view.id)}>{t('bids.convene')}</Link> · <Link to={newTracingPath(view.id)}>{t('bids.trace')}</Link>
        </p>
      ) : null}
    </section>
  );
}

function Detail({ entry }: { entry: CaseHistoryEntry }) {
  const { t, agency, risk, format } = useProtectionText();
  const p = entry.payload;
  const bits: string[] = [];
  if (typeof p.risk === 'string') bits.push(risk(p.risk));
  if (typeof p.kind === 'string' && entry.type === 'ASSESS') bits.push(t(`assessmentKind.${p.kind}`, { defaultValue: p.kind }));
  if (typeof p.agency === 'string') bits.push(agency(p.agency));
  if (typeof p.service === 'string') bits.push(p.service);
  if (typeof p.purpose === 'string') bits.push(t(`purpose.${p.purpose}`, { defaultValue: p.purpose }));
  if (typeof p.title === 'string') bits.push(p.title);
  if (typeof p.documentType === 'string') bits.push(t(`documentType.${p.documentType}`, { defaultValue: p.documentType }));
  if (typeof p.note === 'string') bits.push(p.note);
  if (typeof p.text === 'string') bits.push(p.text);
  if (typeof p.nextOn === 'string') bits.push(t('followUp.next', { date: format.date(p.nextOn) }));
  if (typeof p.option === 'string') bits.push(t(`bidOption.${p.option}`, { defaultValue: p.option }));
  return bits.length ? <p className="timeline-detail">{bits.join(' · ')}</p> : null;
}

/** Everything that happened on the case, oldest first: who, when, what, why. */
export function Timeline({ history }: { history: CaseHistoryEntry[] | undefined }) {
  const { t, format, action } = useProtectionText();
  return (
    <section className="case-part" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('case.timeline')}</h2>
      {history === undefined ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      {history?.length === 0 ? <p>{t('history.none')}</p> : null}
      <ol className="timeline">
        {history?.map((entry) => (
          <li key={entry.seq}>
            <p className="timeline-head">
              <time dateTime={entry.at}>{format.dateTime(entry.at)}</time> <strong>{t(`event.${entry.type}`, { defaultValue: action(entry.type) })}</strong>{' '}
              <span className="help">{t('history.by', { who: entry.actorName ?? entry.actor })}</span>
            </p>
            {entry.reason ? <p className="timeline-detail">{t('history.reason', { reason: entry.reason })}</p> : null}
            <Detail entry={entry} />
          </li>
        ))}
      </ol>
    </section>
  );
}
