import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiProblem } from '../../api/client.ts';
import { ChoiceField, TextField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { useProblemText } from '../../app/problems.tsx';
import { addMessages } from '../../i18n/index.ts';
import { submit, whenSettled } from '../offline/outbox.ts';
import { FacilityPicker } from '../places/PlacePicker.tsx';
import { notificationMessages } from './messages.ts';
import { buildNotification, emptyNotification, type NotificationForm, notificationMissing } from './notification.ts';

addMessages('notifications', notificationMessages);

/** Names are typed as written, in any script. */
const nameInput = { autoComplete: 'off', autoCapitalize: 'words', spellCheck: false } as const;

function fieldOf(problem: unknown): string | undefined {
  if (!(problem instanceof ApiProblem) || !problem.field) return undefined;
  return problem.field.replace(/^\/+/, '').replace(/\//g, '.').replace(/^body\./, '');
}

/** /notifications/new: a health facility tells the registry of a birth within hours (through the outbox). */
export default function NotificationFormPage() {
  const { t } = useTranslation('notifications');
  const problemText = useProblemText();
  const navigate = useNavigate();
  const [form, setForm] = useState<NotificationForm>(emptyNotification);
  const [missing, setMissing] = useState<string[]>([]);
  const [problem, setProblem] = useState<unknown>();
  const [phase, setPhase] = useState<'editing' | 'sending' | 'queued'>('editing');
  const refusedField = fieldOf(problem);

  const errorFor = (field: string, label: string) => {
    // Shown once sending was tried, and only while the field is still empty.
    if (missing.includes(field) && notificationMissing(form).includes(field)) return t('form.required');
    if (refusedField === field) return problemText(problem, label);
    return undefined;
  };
  const set = (change: Partial<NotificationForm>) => setForm((f) => ({ ...f, ...change }));
  const setMother = (change: Partial<NotificationForm['mother']>) => setForm((f) => ({ ...f, mother: { ...f.mother, ...change } }));

  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const unfilled = notificationMissing(form);
    setMissing(unfilled);
    if (unfilled.length) {
      event.currentTarget.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setProblem(undefined);
    setPhase('sending');
    const submission = await submit({ kind: 'notify', body: buildNotification(form), label: [form.mother.surname, form.mother.givenName].join(' ').trim() || form.dateOfBirth });
    const settled = await whenSettled(submission.id);
    if (settled.state === 'sent') navigate('/notifications', { state: { sent: settled.recordId } });
    else if (settled.state === 'refused' && settled.problem) {
      setPhase('editing');
      setProblem(new ApiProblem(settled.problem.status, { ...settled.problem }));
    } else setPhase('queued');
  };

  if (phase === 'queued') {
    return (
      <Page title={t('form.title')}>
        <div className="success" role="status">
          <h2>{t('form.queuedTitle')}</h2>
          <p>{t('form.queuedBody')}</p>
        </div>
        <p className="actions">
          <Link to="/outbox">{t('form.outboxLink')}</Link>
          <button
            type="button"
            onClick={() => {
              setForm(emptyNotification());
              setPhase('editing');
            }}
          >
            {t('form.another')}
          </button>
        </p>
      </Page>
    );
  }

  const shown = ['facilityId', 'child.sex', 'child.dateOfBirth', 'child.timeOfBirth', 'child.weightGrams', 'child.plurality', 'child.birthOrder', 'mother.surname', 'mother.givenName', 'mother.patronymic', 'mother.iin', 'medicalCertificateNumber', 'contact.phone', 'contact.email'];
  return (
    <Page title={t('form.title')}>
      <p>{t('form.intro')}</p>
      {problem && !(refusedField && shown.includes(refusedField)) ? (
        <p className="problem" role="alert">
          {t('form.refused')} {problemText(problem)}
        </p>
      ) : null}
      <form onSubmit={(event) => void send(event)} noValidate>
        <FacilityPicker label={t('form.facility')} required value={form.facilityId || undefined} onChange={(facilityId) => set({ facilityId: facilityId ?? '' })} error={errorFor('facilityId', t('form.facility'))} />
        <fieldset>
          <legend>{t('form.child')}</legend>
          <ChoiceField
            legend={t('form.sex')}
            name="sex"
            value={form.sex || undefined}
            error={errorFor('child.sex', t('form.sex'))}
            options={(['female', 'male'] as const).map((value) => ({ value, label: t(`form.sexes.${value}`) }))}
            onValueChange={(sex) => set({ sex: sex as NotificationForm['sex'] })}
          />
          <div className="field-row">
            <TextField label={t('form.dateOfBirth')} type="date" required value={form.dateOfBirth} onValueChange={(dateOfBirth) => set({ dateOfBirth })} error={errorFor('child.dateOfBirth', t('form.dateOfBirth'))} />
            <TextField label={t('form.timeOfBirth')} type="time" value={form.timeOfBirth} onValueChange={(timeOfBirth) => set({ timeOfBirth })} error={errorFor('child.timeOfBirth', t('form.timeOfBirth'))} />
            <TextField
              label={t('form.weightGrams')}
              type="number"
              min={200}
              max={8000}
              step={10}
              inputMode="numeric"
              value={form.weightGrams}
              onValueChange={(weightGrams) => set({ weightGrams })}
              error={errorFor('child.weightGrams', t('form.weightGrams'))}
            />
          </div>
          <div className="field-row">
            <TextField label={t('form.plurality')} type="number" min={1} max={8} inputMode="numeric" value={form.plurality} onValueChange={(plurality) => set({ plurality })} error={errorFor('child.plurality', t('form.plurality'))} />
            <TextField label={t('form.birthOrder')} type="number" min={1} max={8} inputMode="numeric" value={form.birthOrder} onValueChange={(birthOrder) => set({ birthOrder })} error={errorFor('child.birthOrder', t('form.birthOrder'))} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('form.mother')}</legend>
          <div className="field-row">
            <TextField label={t('form.surname')} value={form.mother.surname} onValueChange={(surname) => setMother({ surname })} error={errorFor('mother.surname', t('form.surname'))} {...nameInput} />
            <TextField label={t('form.givenName')} value={form.mother.givenName} onValueChange={(givenName) => setMother({ givenName })} error={errorFor('mother.givenName', t('form.givenName'))} {...nameInput} />
            <TextField label={t('form.patronymic')} value={form.mother.patronymic} onValueChange={(patronymic) => setMother({ patronymic })} error={errorFor('mother.patronymic', t('form.patronymic'))} {...nameInput} />
          </div>
          <TextField label={t('form.iin')} help={t('form.iinHelp')} inputMode="numeric" autoComplete="off" maxLength={20} value={form.mother.iin} onValueChange={(iin) => setMother({ iin })} error={errorFor('mother.iin', t('form.iin'))} />
        </fieldset>
        <TextField
          label={t('form.certificate')}
          autoComplete="off"
          maxLength={60}
          value={form.medicalCertificateNumber}
          onValueChange={(medicalCertificateNumber) => set({ medicalCertificateNumber })}
          error={errorFor('medicalCertificateNumber', t('form.certificate'))}
        />
        <fieldset>
          <legend>{t('form.contact')}</legend>
          <div className="field-row">
            <TextField label={t('form.phone')} type="tel" autoComplete="off" maxLength={30} value={form.phone} onValueChange={(phone) => set({ phone })} error={errorFor('contact.phone', t('form.phone'))} />
            <TextField label={t('form.email')} type="email" autoComplete="off" maxLength={200} value={form.email} onValueChange={(email) => set({ email })} error={errorFor('contact.email', t('form.email'))} />
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={phase === 'sending'}>
            {t('form.submit')}
          </button>
          {phase === 'sending' ? (
            <span role="status" className="loading">
              {t('form.sending')}
            </span>
          ) : null}
        </div>
      </form>
    </Page>
  );
}
