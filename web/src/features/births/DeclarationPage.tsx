import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { Declaration, Notification } from '../../../../src/births/declaration.ts';
import { api, ApiProblem, newIdempotencyKey, Offline } from '../../api/client.ts';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert, useProblemText } from '../../app/problems.tsx';
import { addMessages } from '../../i18n/index.ts';
import { submit, whenSettled } from '../offline/outbox.ts';
import { ChildStep } from './declaration/ChildStep.tsx';
import './declaration/declaration.css';
import { DocumentsStep, type LocalDocument, MissingDocuments } from './declaration/DocumentsStep.tsx';
import { FamilyStep } from './declaration/FamilyStep.tsx';
import { type ErrorFor, FieldErrorsProvider } from './declaration/field-errors.tsx';
import { fieldLabel } from './declaration/labels.ts';
import { declarationMessages } from './declaration/messages.ts';
import {
  allRequiredMissing,
  buildDeclaration,
  type DeclarationForm,
  emptyForm,
  type FieldPath,
  type FormMode,
  formFromDeclaration,
  formFromNotification,
  labelOf,
  missingDocuments,
  normaliseField,
  pathOf,
  requiredDocuments,
  requiredMissing,
  type Step,
  stepOfField,
  stepsFor,
} from './declaration/model.ts';
import { MotherStep } from './declaration/ParentFields.tsx';
import { PathStep } from './declaration/PathStep.tsx';
import { useRequirements } from './declaration/requirements.ts';
import { ReviewStep } from './declaration/ReviewStep.tsx';

addMessages('declaration', declarationMessages);

/** The birth as GET /births/:id gives it, as far as this form reads it. */
interface BirthView {
  id: string;
  status: string;
  version: number;
  data: {
    declaration: Declaration | null;
    notification: Notification | null;
    attachments: { type: string }[];
    evidenceSeen?: { type: string }[];
    lastReason: string | null;
  };
}

const declarable = ['NOTIFIED', 'DECLARED', 'REQUIRES_UPDATE'];
/** Refusals of an uploaded file name the request's parts, not a field of the declaration. */
const documentFields = ['body', 'content-type', 'type'];

/**
 * /births/new (a new declaration), /births/:id/declare (a notified birth, or a declaration sent
 * back for update) and /births/:id/correct (a correction of a registered birth, with a reason).
 */
export default function DeclarationPage() {
  const { id } = useParams();
  const location = useLocation();
  const { t } = useTranslation('declaration');
  const mode: FormMode = !id ? 'new' : location.pathname.endsWith('/correct') ? 'correct' : 'declare';
  const [round, setRound] = useState(0);
  // Read once: the form is built from it, and a change on the server meanwhile comes back as a version conflict, never as a lost edit.
  const record = useQuery({
    queryKey: ['births', 'declaration-of', id],
    queryFn: () => api<BirthView>('GET', `/births/${id}`),
    enabled: id !== undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

  if (id !== undefined) {
    const title = t(mode === 'correct' ? 'title.correct' : 'title.declare');
    if (record.isPending) {
      return (
        <Page title={title}>
          <p className="loading">{t('record.loading')}</p>
        </Page>
      );
    }
    if (record.error) {
      return (
        <Page title={title}>
          <ProblemAlert error={record.error} />
        </Page>
      );
    }
    const birth = record.data;
    const allowed = mode === 'correct' ? birth.status === 'REGISTERED' && birth.data.declaration !== null : declarable.includes(birth.status);
    if (!allowed) {
      return (
        <Page title={title}>
          <p className="warning">{mode === 'correct' ? t('record.notCorrectable') : t('record.notDeclarable', { status: birth.status })}</p>
          <p>
            <Link to={`/births/${birth.id}`}>{t('record.open')}</Link>
          </p>
        </Page>
      );
    }
    return <GuidedDeclaration key={birth.id} mode={mode} birth={birth} />;
  }
  return <GuidedDeclaration key={round} mode={mode} onAnother={() => setRound((n) => n + 1)} />;
}

function initialForm(birth: BirthView | undefined): DeclarationForm {
  if (birth?.data.declaration) return formFromDeclaration(birth.data.declaration);
  if (birth?.data.notification) return formFromNotification(birth.data.notification);
  return emptyForm();
}

function GuidedDeclaration({ mode, birth, onAnother }: { mode: FormMode; birth?: BirthView; onAnother?: () => void }) {
  const { t } = useTranslation('declaration');
  const problemText = useProblemText();
  const navigate = useNavigate();
  const [form, setForm] = useState(() => initialForm(birth));
  // The version the form was built from: sent with the change, so the server refuses it if the record moved on.
  const [seenVersion] = useState(birth?.version);
  const path = pathOf(form.answers);
  const steps = stepsFor(path, mode);
  // A declaration already written opens on its review; a new one, or a notification, on the questions.
  const [step, setStep] = useState<Step>(birth?.data.declaration ? 'review' : 'path');
  // The furthest step opened so far; every step of a declaration already written is open.
  const [reached, setReached] = useState(birth?.data.declaration ? Number.POSITIVE_INFINITY : 0);
  const [documents, setDocuments] = useState<LocalDocument[]>([]);
  const [shownRequired, setShownRequired] = useState<FieldPath[]>([]);
  const [problem, setProblem] = useState<unknown>();
  const [phase, setPhase] = useState<'editing' | 'sending' | 'queued'>('editing');
  const [reason, setReason] = useState('');
  const correctionKey = useRef<{ key: string; body: string }>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const stepBody = useRef<HTMLDivElement>(null);
  const [focus, setFocus] = useState<{ field?: FieldPath; at: number }>();

  const requirements = useRequirements(form.child.dateOfBirth);
  const onRecord = useMemo(() => [...(birth?.data.attachments ?? []), ...(birth?.data.evidenceSeen ?? [])].map((d) => d.type), [birth]);
  const missing = path && requirements.data ? missingDocuments(requiredDocuments(requirements.data, path, form.child.dateOfBirth), [...onRecord, ...documents.map((d) => d.type)]) : [];

  // Photos' preview URLs live as long as the form.
  const previews = useRef(new Set<string>());
  useEffect(() => {
    const urls = previews.current;
    return () => urls.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const currentStep = steps.includes(step) ? step : steps[steps.length - 1]!;
  const index = steps.indexOf(currentStep);

  useEffect(() => {
    if (!focus) return;
    const invalid = stepBody.current?.querySelector<HTMLElement>('[aria-invalid="true"], fieldset[aria-describedby] input');
    if (focus.field && invalid) invalid.focus();
    else heading.current?.focus();
  }, [focus]);

  /** Focus goes to the step's heading, or to the field named, once the step is shown. */
  const requestFocus = useCallback((field?: FieldPath) => setFocus((last) => ({ field, at: (last?.at ?? 0) + 1 })), []);

  const goTo = useCallback(
    (target: Step, field?: FieldPath) => {
      setStep(target);
      setReached((n) => Math.max(n, stepsFor(pathOf(form.answers), mode).indexOf(target)));
      requestFocus(field);
    },
    [form.answers, mode, requestFocus],
  );

  const problemField = problem instanceof ApiProblem && problem.field ? normaliseField(problem.field) : undefined;
  const stillMissing = new Set([...allRequiredMissing(form, mode), ...(mode === 'correct' && !reason.trim() ? ['reason'] : [])]);
  const errorFor: ErrorFor = (field) => {
    // Shown once leaving the step was tried, and only while the field is still empty.
    if (shownRequired.includes(field) && stillMissing.has(field)) return t(field.startsWith('answers.') ? 'errors.choose' : 'errors.required');
    if (problemField === field) return problemText(problem, fieldLabel(t, field));
    return undefined;
  };
  const problemLabel = problemField ? fieldLabel(t, problemField) : undefined;
  const documentRefusal = problemField && documentFields.includes(problemField) ? problemText(problem) : undefined;

  const next = (event: FormEvent) => {
    event.preventDefault();
    const missingHere = requiredMissing(form, currentStep);
    setShownRequired(missingHere);
    if (missingHere.length) {
      requestFocus(missingHere[0]);
      return;
    }
    if (currentStep === 'review') void send();
    else goTo(steps[index + 1]!);
  };

  const send = async () => {
    const unfilled = allRequiredMissing(form, mode);
    if (unfilled.length) {
      setShownRequired(unfilled);
      goTo(stepOfField(unfilled[0]!, steps), unfilled[0]);
      return;
    }
    const declaration = buildDeclaration(form, documents.map((d) => d.type));
    setProblem(undefined);
    if (mode === 'correct') {
      if (!reason.trim()) {
        setShownRequired(['reason']);
        requestFocus('reason');
        return;
      }
      await sendCorrection(declaration);
      return;
    }
    setPhase('sending');
    const submission = await submit({
      kind: mode === 'new' ? 'declare' : 'redeclare',
      body: declaration,
      recordId: birth?.id,
      version: seenVersion,
      attachments: documents.map(({ type, name, blob }) => ({ type, name, blob })),
      label: labelOf(form),
    });
    const settled = await whenSettled(submission.id);
    if (settled.state === 'sent' && settled.recordId) {
      navigate(`/births/${settled.recordId}`);
    } else if (settled.state === 'refused' && settled.recordId) {
      // The declaration is on the server and one of its documents was not: sending it again would declare the birth twice.
      navigate(`/births/${settled.recordId}`);
    } else if (settled.state === 'refused' && settled.problem) {
      const refusal = new ApiProblem(settled.problem.status, { ...settled.problem });
      setPhase('editing');
      setProblem(refusal);
      goTo(stepOfField(refusal.field ?? 'review', steps), refusal.field && normaliseField(refusal.field));
    } else {
      setPhase('queued');
    }
  };

  const sendCorrection = async (declaration: Declaration) => {
    const body = { declaration, reason: reason.trim(), version: seenVersion };
    const json = JSON.stringify(body);
    // The same correction sent again (after a lost connection) keeps its key, so it is recorded once.
    if (correctionKey.current?.body !== json) correctionKey.current = { key: newIdempotencyKey(), body: json };
    setPhase('sending');
    try {
      await api('POST', `/births/${birth!.id}/corrections`, { body, idempotencyKey: correctionKey.current.key });
      navigate(`/births/${birth!.id}`);
    } catch (error) {
      setPhase('editing');
      setProblem(error);
      if (error instanceof ApiProblem && error.field) goTo(stepOfField(error.field, steps), normaliseField(error.field));
      else if (!(error instanceof Offline || error instanceof ApiProblem)) throw error;
    }
  };

  const title =
    mode === 'correct' ? t('title.correct') : birth ? t(birth.status === 'NOTIFIED' ? 'title.declare' : 'title.update') : t('title.new');

  if (phase === 'queued') {
    return (
      <Page title={title}>
        <div className="success" role="status">
          <h2>{t('result.queuedTitle')}</h2>
          <p>{t('result.queuedBody')}</p>
        </div>
        <p className="actions">
          <Link to="/outbox">{t('result.outboxLink')}</Link>
          {onAnother ? (
            <button type="button" onClick={onAnother}>
              {t('result.another')}
            </button>
          ) : null}
        </p>
      </Page>
    );
  }

  const stepContent: Record<Step, () => ReactNode> = {
    path: () => <PathStep form={form} onChange={setForm} />,
    child: () => <ChildStep form={form} onChange={setForm} />,
    mother: () => <MotherStep form={form} onChange={(mother) => setForm({ ...form, mother })} />,
    family: () => <FamilyStep form={form} onChange={setForm} />,
    documents: () => (
      <DocumentsStep
        requirements={requirements.data}
        missing={missing}
        documents={documents}
        onRecord={onRecord}
        refusal={documentRefusal}
        onAdd={(document) => {
          if (document.previewUrl) previews.current.add(document.previewUrl);
          setDocuments((list) => [...list, document]);
          if (documentRefusal) setProblem(undefined);
        }}
        onChangeType={(docId, type) => setDocuments((list) => list.map((d) => (d.id === docId ? { ...d, type } : d)))}
        onRemove={(docId) => {
          setDocuments((list) => list.filter((d) => d.id !== docId));
          if (documentRefusal) setProblem(undefined);
        }}
      />
    ),
    review: () => (
      <ReviewStep
        declaration={path ? buildDeclaration(form, documents.map((d) => d.type)) : undefined}
        steps={steps}
        missingRequired={allRequiredMissing(form, mode)}
        documents={documents}
        requirements={requirements.data}
        correction={
          mode === 'correct' && birth?.data.declaration
            ? { before: birth.data.declaration, reason, onReason: setReason, reasonError: errorFor('reason') }
            : undefined
        }
        onGoTo={goTo}
      />
    ),
  };

  return (
    <Page title={title}>
      {birth?.status === 'REQUIRES_UPDATE' && birth.data.lastReason ? <p className="warning">{t('record.sentBack', { reason: birth.data.lastReason })}</p> : null}
      <nav className="steps" aria-label={t('steps.label')}>
        <ol>
          {steps.map((s, i) => (
            <li key={s}>
              <button type="button" aria-current={s === currentStep ? 'step' : undefined} disabled={i > reached && s !== currentStep} onClick={() => goTo(s)}>
                {i + 1}. {t(`steps.${s}`)}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div className="declaration">
        <form onSubmit={next} noValidate aria-labelledby="step-title">
          <p className="steps counter">{t('steps.counter', { n: index + 1, count: steps.length })}</p>
          <h2 id="step-title" className="step-title" tabIndex={-1} ref={heading}>
            {t(`steps.${currentStep}`)}
          </h2>
          {problem && !(documentRefusal && currentStep === 'documents') ? (
            <div className="problem" role="alert">
              <p>{problemLabel && problemLabel !== problemField ? t('review.refusedAt', { field: problemLabel }) : problemText(problem)}</p>
              {problemField && stepOfField(problemField, steps) !== currentStep ? (
                <button type="button" className="link-button" onClick={() => goTo(stepOfField(problemField, steps), problemField)}>
                  {t('review.goToField')}
                </button>
              ) : null}
            </div>
          ) : null}
          <FieldErrorsProvider value={errorFor}>
            <div ref={stepBody}>{stepContent[currentStep]()}</div>
          </FieldErrorsProvider>
          <div className="actions">
            {index > 0 ? (
              <button type="button" onClick={() => goTo(steps[index - 1]!)}>
                {t('shell:common.back')}
              </button>
            ) : null}
            <button type="submit" className="primary" disabled={phase === 'sending'}>
              {currentStep === 'review' ? t(mode === 'correct' ? 'review.submitCorrection' : 'review.submit') : t('shell:common.next')}
            </button>
            {phase === 'sending' ? (
              <span role="status" className="loading">
                {t('review.sending')}
              </span>
            ) : null}
          </div>
        </form>
        {mode === 'correct' ? null : <MissingDocuments requirements={requirements.data} missing={missing} unavailable={requirements.isError} pathKnown={path !== undefined} />}
      </div>
    </Page>
  );
}
