import { useState } from 'react';
import { ApiProblem } from '../../../api/client.ts';
import { ChoiceField, SelectField, TextAreaField, TextField } from '../../../app/fields.tsx';
import { ProblemAlert } from '../../../app/problems.tsx';
import { agencies, type AssessmentKind, assessmentKinds, type PlannedService, type Risk, risks, sharingConsent } from '../api.ts';
import { RiskBadge } from '../RiskBadge.tsx';
import { useProtectionText } from '../text.ts';
import { ActionButton, ActionForm, lines } from './ActionForm.tsx';
import { useCase } from './context.tsx';

/** A supervisor's approve / return pair, each shown only when the server allows it now; a return says why. */
function Review({ approve, back, payload = {} }: { approve: string; back: string; payload?: Record<string, unknown> }) {
  const { allowed } = useCase();
  const { t, action } = useProtectionText();
  const [reason, setReason] = useState('');
  if (!allowed(approve) && !allowed(back)) return null;
  return (
    <div className="supervisor-actions" role="group" aria-label={t('supervisor.group')}>
      {allowed(back) ? <TextField label={t('supervisor.returnReason')} value={reason} onValueChange={setReason} maxLength={2000} /> : null}
      <div className="actions">
        {allowed(approve) ? <ActionButton action={{ type: approve, ...payload }} label={action(approve)} className="primary" /> : null}
        {allowed(back) ? <ActionButton action={{ type: back, ...payload, ...(reason.trim() ? { reason: reason.trim() } : {}) }} label={action(back)} onDone={() => setReason('')} /> : null}
      </div>
    </div>
  );
}

/** The assessments made, and a new one as a guided form: which assessment, what was found, the risk, then a check before sending. */
export function Assessments() {
  const { view, allowed, errorOf } = useCase();
  const { t, format } = useProtectionText();
  return (
    <section className="case-part" aria-labelledby="assessment-title">
      <h2 id="assessment-title">{t('assessment.title')}</h2>
      {view.data.assessments.length === 0 ? <p>{t('assessment.none')}</p> : null}
      {view.data.assessments.map((a) => (
        <article key={a.id} className="assessment">
          <h3>
            {t(`assessmentKind.${a.kind}`)} <span className={`badge status-${a.status}`}>{t(`reviewStatus.${a.status}`)}</span>
          </h3>
          <p className="help">{format.dateTime(a.at)}</p>
          <p>{a.findings}</p>
          {a.needs.length ? (
            <>
              <p>
                <strong>{t('assessment.needs')}</strong>
              </p>
              <ul>
                {a.needs.map((need, i) => (
                  <li key={i}>{need}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p>
            {t('assessment.riskFound')} <RiskBadge risk={a.risk} />
          </p>
          {a.status === 'submitted' ? <Review approve="APPROVE_ASSESSMENT" back="RETURN_ASSESSMENT" payload={{ assessmentId: a.id }} /> : null}
        </article>
      ))}
      <ProblemAlert error={errorOf(['APPROVE_ASSESSMENT', 'RETURN_ASSESSMENT'])} />
      {allowed('ASSESS') ? <GuidedAssessment /> : null}
    </section>
  );
}

function GuidedAssessment() {
  const { act, pending, errorOf, view } = useCase();
  const { t, risk: riskName } = useProtectionText();
  const [step, setStep] = useState(1);
  const [kind, setKind] = useState<AssessmentKind | undefined>(undefined);
  const [findings, setFindings] = useState('');
  const [needs, setNeeds] = useState('');
  const [risk, setRisk] = useState<Risk>(view.data.risk);
  const [missing, setMissing] = useState(false);
  const next = () => {
    const gap = (step === 1 && !kind) || (step === 2 && !findings.trim());
    setMissing(gap);
    if (!gap) setStep(step + 1);
  };
  const send = () => {
    if (!kind) return;
    void act({ type: 'ASSESS', kind, findings: findings.trim(), needs: lines(needs), risk }).then((ok) => {
      if (!ok) return;
      setStep(1);
      setKind(undefined);
      setFindings('');
      setNeeds('');
    });
  };
  return (
    <div className="case-form guided" role="group" aria-labelledby="assess-title">
      <h3 id="assess-title">
        {t('assessment.new')} <span className="help">{t('assessment.step', { step, of: 4 })}</span>
      </h3>
      {step === 1 ? (
        <>
          <ChoiceField
            legend={t('assessment.which')}
            name="assessment-kind"
            value={kind}
            onValueChange={(v) => setKind(v as AssessmentKind)}
            options={assessmentKinds.map((k) => ({ value: k, label: `${t(`assessmentKind.${k}`)} — ${t(`assessmentHint.${k}`)}` }))}
            error={missing ? t('form.choose') : undefined}
          />
        </>
      ) : null}
      {step === 2 && kind ? (
        <>
          <p className="help">{t(`assessmentPrompt.${kind}`)}</p>
          <TextAreaField label={t('assessment.findings')} required value={findings} onValueChange={setFindings} rows={5} maxLength={10000} error={missing ? t('form.required') : undefined} />
          <TextAreaField label={t('assessment.needs')} help={t('form.oneALine')} value={needs} onValueChange={setNeeds} rows={3} maxLength={4000} />
        </>
      ) : null}
      {step === 3 ? <ChoiceField legend={t('assessment.riskQuestion')} name="assessment-risk" value={risk} onValueChange={(v) => setRisk(v as Risk)} options={risks.map((r) => ({ value: r, label: riskName(r) }))} /> : null}
      {step === 4 && kind ? (
        <dl className="facts">
          <dt>{t('assessment.which')}</dt>
          <dd>{t(`assessmentKind.${kind}`)}</dd>
          <dt>{t('assessment.findings')}</dt>
          <dd>{findings}</dd>
          <dt>{t('assessment.needs')}</dt>
          <dd>{lines(needs).join('; ') || '—'}</dd>
          <dt>{t('assessment.riskFound')}</dt>
          <dd>{riskName(risk)}</dd>
        </dl>
      ) : null}
      <ProblemAlert error={errorOf('ASSESS')} />
      <div className="actions">
        {step > 1 ? (
          <button type="button" onClick={() => setStep(step - 1)}>
            {t('form.back')}
          </button>
        ) : null}
        {step < 4 ? (
          <button type="button" className="primary" onClick={next}>
            {t('form.next')}
          </button>
        ) : (
          <button type="button" className="primary" disabled={pending} onClick={send}>
            {t('action.ASSESS')}
          </button>
        )}
      </div>
    </div>
  );
}

const emptyService = (): PlannedService => ({ agency: 'legal_aid', service: '', responsible: '', dueOn: '' });

/** The case plan: goals, the services planned, the review date; the supervisor approves or returns it. */
export function PlanPart() {
  const { view, allowed, errorOf } = useCase();
  const { t, format, agency } = useProtectionText();
  const plan = view.data.plan;
  const [goals, setGoals] = useState('');
  const [services, setServices] = useState<PlannedService[]>([]);
  const [reviewOn, setReviewOn] = useState('');
  const [missing, setMissing] = useState(false);
  const setService = (i: number, change: Partial<PlannedService>) => setServices(services.map((s, j) => (j === i ? { ...s, ...change } : s)));
  return (
    <section className="case-part" aria-labelledby="plan-title">
      <h2 id="plan-title">{t('plan.title')}</h2>
      {plan ? (
        <>
          <p>
            <span className={`badge status-${plan.status}`}>{t(`planStatus.${plan.status}`)}</span> {t('plan.reviewOn', { date: format.date(plan.reviewOn) })}
          </p>
          <h3>{t('plan.goals')}</h3>
          <ul>
            {plan.goals.map((g, i) => (
              <li key={i}>{g}</li>
            ))}
          </ul>
          {plan.services.length ? (
            <>
              <h3>{t('plan.services')}</h3>
              <ul>
                {plan.services.map((s, i) => (
                  <li key={s.id ?? i}>
                    {agency(s.agency)}: {s.service}
                    {s.responsible ? ` · ${s.responsible}` : ''}
                    {s.dueOn ? ` · ${t('plan.by', { date: format.date(s.dueOn) })}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {plan.status === 'draft' ? <Review approve="APPROVE_PLAN" back="RETURN_PLAN" /> : null}
          <ProblemAlert error={errorOf(['APPROVE_PLAN', 'RETURN_PLAN'])} />
        </>
      ) : (
        <p>{t('plan.none')}</p>
      )}
      {allowed('PLAN') ? (
        <ActionForm
          type="PLAN"
          title={plan ? t('plan.redo') : t('plan.make')}
          submit={t('action.PLAN')}
          build={() => {
            const ok = lines(goals).length > 0 && Boolean(reviewOn) && services.every((s) => s.service.trim() && s.responsible?.trim() && s.dueOn);
            setMissing(!ok);
            if (!ok) return null;
            return { goals: lines(goals), services: services.map((s) => ({ agency: s.agency, service: s.service.trim(), responsible: s.responsible?.trim() ?? '', dueOn: s.dueOn ?? '' })), reviewOn };
          }}
          onDone={() => {
            setGoals('');
            setServices([]);
            setReviewOn('');
          }}
        >
          <TextAreaField label={t('plan.goals')} help={t('form.oneALine')} required value={goals} onValueChange={setGoals} rows={3} maxLength={4000} error={missing && !lines(goals).length ? t('form.required') : undefined} />
          {services.map((s, i) => (
            <fieldset key={i} className="field-row">
              <legend>{t('plan.serviceN', { n: i + 1 })}</legend>
              <SelectField label={t('services.agency')} value={s.agency} onValueChange={(v) => setService(i, { agency: v })} options={agencies.map((a) => ({ value: a, label: agency(a) }))} />
              <TextField label={t('services.service')} required value={s.service} onValueChange={(v) => setService(i, { service: v })} maxLength={200} error={missing && !s.service.trim() ? t('form.required') : undefined} />
              <TextField label={t('plan.responsible')} required value={s.responsible ?? ''} onValueChange={(v) => setService(i, { responsible: v })} maxLength={200} error={missing && !s.responsible?.trim() ? t('form.required') : undefined} />
              <TextField label={t('plan.dueOn')} type="date" required value={s.dueOn ?? ''} onValueChange={(v) => setService(i, { dueOn: v })} error={missing && !s.dueOn ? t('form.required') : undefined} />
              <button type="button" className="link-button" onClick={() => setServices(services.filter((_, j) => j !== i))}>
                {t('plan.removeService', { n: i + 1 })}
              </button>
            </fieldset>
          ))}
          <div className="actions">
            <button type="button" onClick={() => setServices([...services, emptyService()])}>
              {t('plan.addService')}
            </button>
          </div>
          <TextField label={t('plan.reviewDate')} type="date" required value={reviewOn} onValueChange={setReviewOn} error={missing && !reviewOn ? t('form.required') : undefined} />
        </ActionForm>
      ) : null}
    </section>
  );
}

/** Referrals to partner agencies, each needing the family's consent to share with that agency. */
export function Services() {
  const { view, allowed, errorOf } = useCase();
  const { t, format, agency: agencyName } = useProtectionText();
  const [agency, setAgency] = useState<string>('legal_aid');
  const [service, setService] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const consent = sharingConsent(view.data.consents, agency);
  const error = errorOf('REFER_SERVICE');
  const noConsent = error instanceof ApiProblem && error.status === 409 && error.field?.replace(/^\/?(body[./])?/, '') === 'consent';
  return (
    <section className="case-part" aria-labelledby="services-title">
      <h2 id="services-title">{t('services.title')}</h2>
      {view.data.services.length === 0 ? <p>{t('services.none')}</p> : null}
      <ul className="plain-list">
        {view.data.services.map((s) => (
          <li key={s.id}>
            <strong>{agencyName(s.agency)}</strong>: {s.service} · <span className="badge">{t(`serviceStatus.${s.status}`, { defaultValue: s.status })}</span> <span className="help">{format.date(s.at)}</span>
            {allowed('SERVICE_UPDATE') && (s.status === 'referred' || s.status === 'accepted') ? (
              <span className="inline-actions">
                {(s.status === 'referred' ? (['accepted', 'refused'] as const) : (['delivered', 'ended'] as const)).map((status) => (
                  <ActionButton key={status} action={{ type: 'SERVICE_UPDATE', serviceId: s.id, status }} label={t(`serviceMark.${status}`)} className="small" />
                ))}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <ProblemAlert error={errorOf('SERVICE_UPDATE')} />
      {allowed('REFER_SERVICE') ? (
        <ActionForm
          type="REFER_SERVICE"
          title={t('services.refer')}
          submit={t('action.REFER_SERVICE')}
          problem={
            noConsent ? (
              <p className="problem" role="alert">
                {t('services.refusedNoConsent', { agency: agencyName(agency) })}
              </p>
            ) : undefined
          }
          build={() => {
            setMissing(!service.trim());
            return service.trim() ? { agency, service: service.trim(), ...(note.trim() ? { note: note.trim() } : {}) } : null;
          }}
          onDone={() => {
            setService('');
            setNote('');
          }}
        >
          <div className="field-row">
            <SelectField label={t('services.agency')} value={agency} onValueChange={setAgency} options={agencies.map((a) => ({ value: a, label: agencyName(a) }))} />
            <TextField label={t('services.service')} required value={service} onValueChange={setService} maxLength={200} error={missing ? t('form.required') : undefined} />
          </div>
          <TextAreaField label={t('services.note')} value={note} onValueChange={setNote} rows={2} maxLength={2000} />
          {consent ? null : <p className="warning">{t('services.noConsent', { agency: agencyName(agency) })}</p>}
        </ActionForm>
      ) : null}
    </section>
  );
}

/** Follow-up visits and notes. */
export function FollowUp() {
  const { allowed } = useCase();
  const { t } = useProtectionText();
  const [note, setNote] = useState('');
  const [nextOn, setNextOn] = useState('');
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  if (!allowed('FOLLOW_UP') && !allowed('NOTE')) return null;
  return (
    <section className="case-part" aria-labelledby="follow-title">
      <h2 id="follow-title">{t('followUp.title')}</h2>
      {allowed('FOLLOW_UP') ? (
        <ActionForm
          type="FOLLOW_UP"
          title={t('followUp.record')}
          submit={t('action.FOLLOW_UP')}
          build={() => {
            setMissing(!note.trim() || !nextOn);
            return note.trim() && nextOn ? { note: note.trim(), nextOn } : null;
          }}
          onDone={() => {
            setNote('');
            setNextOn('');
          }}
        >
          <TextAreaField label={t('followUp.note')} required value={note} onValueChange={setNote} rows={2} maxLength={4000} error={missing && !note.trim() ? t('form.required') : undefined} />
          <TextField label={t('followUp.nextOn')} type="date" required value={nextOn} onValueChange={setNextOn} error={missing && !nextOn ? t('form.required') : undefined} />
        </ActionForm>
      ) : null}
      {allowed('NOTE') ? (
        <ActionForm type="NOTE" title={t('note.title')} submit={t('action.NOTE')} build={() => (text.trim() ? { text: text.trim() } : null)} onDone={() => setText('')}>
          <TextAreaField label={t('note.text')} value={text} onValueChange={setText} rows={2} maxLength={4000} />
        </ActionForm>
      ) : null}
    </section>
  );
}

/** Handing the case to another worker, district or agency; the recipient accepts or refuses. */
export function TransferPart() {
  const { view, allowed, errorOf } = useCase();
  const { t, agency: agencyName } = useProtectionText();
  const [target, setTarget] = useState<'userId' | 'jurisdiction' | 'agency'>('userId');
  const [value, setValue] = useState('');
  const [agency, setAgency] = useState<string>('guardianship');
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState('');
  const [missing, setMissing] = useState(false);
  const pending = view.data.transfers.filter((tr) => tr.status === 'pending');
  const mayDecide = allowed('ACCEPT_TRANSFER') || allowed('REFUSE_TRANSFER');
  if (!allowed('TRANSFER') && !mayDecide && view.data.transfers.length === 0) return null;
  const targetText = (to: { userId?: string; jurisdiction?: string; agency?: string }) => (to.agency ? agencyName(to.agency) : (to.userId ?? to.jurisdiction ?? '—'));
  return (
    <section className="case-part" aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t('transfer.title')}</h2>
      <ul className="plain-list">
        {view.data.transfers.map((tr) => (
          <li key={tr.id}>
            {t('transfer.to', { to: targetText(tr.to) })} · {tr.reason} · <span className="badge">{t(`transferStatus.${tr.status}`, { defaultValue: tr.status })}</span>
          </li>
        ))}
      </ul>
      {pending.length && mayDecide ? (
        <div className="case-form">
          {allowed('ACCEPT_TRANSFER') ? <ActionButton action={{ type: 'ACCEPT_TRANSFER', transferId: pending[0]!.id }} label={t('action.ACCEPT_TRANSFER')} className="primary" /> : null}
          {allowed('REFUSE_TRANSFER') ? (
            <>
              <TextField label={t('transfer.refusal')} value={refusal} onValueChange={setRefusal} maxLength={2000} />
              <ActionButton action={{ type: 'REFUSE_TRANSFER', transferId: pending[0]!.id, ...(refusal.trim() ? { reason: refusal.trim() } : {}) }} label={t('action.REFUSE_TRANSFER')} onDone={() => setRefusal('')} />
            </>
          ) : null}
          <ProblemAlert error={errorOf(['ACCEPT_TRANSFER', 'REFUSE_TRANSFER'])} />
        </div>
      ) : null}
      {allowed('TRANSFER') ? (
        <ActionForm
          type="TRANSFER"
          title={t('transfer.make')}
          submit={t('action.TRANSFER')}
          build={() => {
            const to = target === 'agency' ? { agency } : value.trim() ? { [target]: value.trim() } : null;
            setMissing(!to || !reason.trim());
            return to && reason.trim() ? { to, reason: reason.trim() } : null;
          }}
          onDone={() => {
            setValue('');
            setReason('');
          }}
        >
          <div className="field-row">
            <SelectField label={t('transfer.target')} value={target} onValueChange={(v) => setTarget(v as typeof target)} options={(['userId', 'jurisdiction', 'agency'] as const).map((k) => ({ value: k, label: t(`transfer.targets.${k}`) }))} />
            {target === 'agency' ? (
              <SelectField label={t('services.agency')} value={agency} onValueChange={setAgency} options={agencies.map((a) => ({ value: a, label: agencyName(a) }))} />
            ) : (
              <TextField label={t(`transfer.targets.${target}`)} required value={value} onValueChange={setValue} maxLength={64} error={missing && !value.trim() ? t('form.required') : undefined} />
            )}
          </div>
          <TextAreaField label={t('transfer.reason')} required value={reason} onValueChange={setReason} rows={2} maxLength={2000} error={missing && !reason.trim() ? t('form.required') : undefined} />
        </ActionForm>
      ) : null}
    </section>
  );
}

/** Closing the case: requested by the worker (refused while tasks are open), approved or returned by the supervisor; reopened with a reason. */
export function Closure() {
  const { view, allowed, errorOf } = useCase();
  const { t } = useProtectionText();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [reopen, setReopen] = useState('');
  const [missing, setMissing] = useState(false);
  const closure = view.data.closure;
  const error = errorOf('REQUEST_CLOSURE');
  const openTasks = error instanceof ApiProblem && Array.isArray(error.extra.openTasks) ? (error.extra.openTasks as unknown[]).length : 0;
  const tasksLeft = view.data.tasks.filter((task) => task.status === 'open').length;
  const closable = !['CLOSURE_REQUESTED', 'CLOSED'].includes(view.stage) && view.allowedActions.includes('COMPLETE_TASK');
  if (!closure && !allowed('REQUEST_CLOSURE') && !allowed('REOPEN') && !(closable && tasksLeft)) return null;
  return (
    <section className="case-part" aria-labelledby="closure-title">
      <h2 id="closure-title">{t('closure.title')}</h2>
      {closure ? (
        <p>
          {t('closure.requested', { reason: closure.reason })}
          {closure.note ? ` · ${closure.note}` : ''}
        </p>
      ) : null}
      {closable && tasksLeft && !allowed('REQUEST_CLOSURE') ? <p className="help">{t('closure.openTasks', { count: tasksLeft })}</p> : null}
      {view.stage === 'CLOSURE_REQUESTED' ? <Review approve="APPROVE_CLOSURE" back="RETURN_CLOSURE" /> : null}
      <ProblemAlert error={errorOf(['APPROVE_CLOSURE', 'RETURN_CLOSURE'])} />
      {allowed('REQUEST_CLOSURE') ? (
        <ActionForm
          type="REQUEST_CLOSURE"
          title={t('closure.request')}
          submit={t('action.REQUEST_CLOSURE')}
          problem={
            openTasks ? (
              <p className="problem" role="alert">
                {t('closure.openTasks', { count: openTasks })}
              </p>
            ) : undefined
          }
          build={() => {
            setMissing(!reason.trim());
            return reason.trim() ? { reason: reason.trim(), ...(note.trim() ? { note: note.trim() } : {}) } : null;
          }}
        >
          <TextField label={t('closure.reason')} required value={reason} onValueChange={setReason} maxLength={200} error={missing ? t('form.required') : undefined} />
          <TextAreaField label={t('closure.note')} value={note} onValueChange={setNote} rows={2} maxLength={4000} />
        </ActionForm>
      ) : null}
      {allowed('REOPEN') ? (
        <ActionForm type="REOPEN" title={t('closure.reopen')} submit={t('action.REOPEN')} build={() => (reopen.trim() ? { reason: reopen.trim() } : null)} onDone={() => setReopen('')}>
          <TextField label={t('closure.reopenReason')} required value={reopen} onValueChange={setReopen} maxLength={2000} />
        </ActionForm>
      ) : null}
    </section>
  );
}
