import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { newIdempotencyKey } from '../../../api/client.ts';
import { useSession } from '../../../api/session.tsx';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../../app/fields.tsx';
import { Page } from '../../../app/Page.tsx';
import { ProblemAlert, problemConcerns } from '../../../app/problems.tsx';
import { compact, createTracing, type NewRequest, relations, tracingKeys } from './api.ts';
import { useTracingText } from './text.ts';
import './tracing.css';

/**
 * A tracing request as a parent or relative gives it: who they are and how they are related, who
 * they are looking for (names as they write them, an age or a date of birth), where and when they
 * last saw them, and the family's consent to tracing, without which nothing is searched.
 */
export default function TracingFormPage() {
  const { t, relation } = useTracingText();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const caseId = params.get('case') ?? undefined;
  const [requester, setRequester] = useState({ surname: '', givenName: '', patronymic: '', relation: 'mother', contact: '' });
  const [sought, setSought] = useState({ surname: '', givenName: '', patronymic: '', sex: '', dateOfBirth: '', years: '', place: '', on: '', circumstances: '' });
  const [consented, setConsented] = useState(false);
  const [consentName, setConsentName] = useState('');
  const [consentRelation, setConsentRelation] = useState('');
  const [tried, setTried] = useState(false);
  const key = useRef(newIdempotencyKey());
  const mutation = useMutation({
    mutationFn: (input: NewRequest) => createTracing(input, key.current),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: tracingKeys.all });
      navigate(`/protection/tracing/${created.id}`);
    },
  });
  if (!can('protection.case.write')) {
    return (
      <Page title={t('form.title')}>
        <p className="notice">{t('none')}</p>
      </Page>
    );
  }
  const years = sought.years.trim() === '' ? undefined : Number(sought.years);
  const badYears = years !== undefined && (!Number.isInteger(years) || years < 0 || years > 120);
  const soughtNamed = Boolean(sought.surname.trim() || sought.givenName.trim());
  const requesterNamed = Boolean(requester.surname.trim() || requester.givenName.trim());
  const consentGiven = consented && consentName.trim() && consentRelation.trim();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!soughtNamed || !requesterNamed || badYears || !consentGiven) return;
    const lastSeen = compact({ place: sought.place, on: sought.on, circumstances: sought.circumstances });
    mutation.mutate({
      requester: compact(requester) as NewRequest['requester'],
      sought: {
        ...compact({ surname: sought.surname, givenName: sought.givenName, patronymic: sought.patronymic, dateOfBirth: sought.dateOfBirth }),
        ...(sought.sex === 'male' || sought.sex === 'female' ? { sex: sought.sex } : {}),
        ...(years !== undefined ? { approximateAge: { years } } : {}),
        ...(Object.keys(lastSeen).length ? { lastSeen } : {}),
      },
      consent: { givenBy: { name: consentName.trim(), relation: consentRelation.trim() } },
      ...(caseId ? { caseId } : {}),
    });
  };
  const serverError = (field: string) => (problemConcerns(mutation.error, field) ? t('form.refused') : undefined);
  const back = (
    <Link to="/protection/tracing" className="button">
      {t('form.back')}
    </Link>
  );
  return (
    <Page title={t('form.title')} actions={back}>
      <p className="help">{t('form.intro')}</p>
      <form onSubmit={onSubmit} noValidate className="tracing-form">
        <fieldset>
          <legend>{t('form.requester')}</legend>
          <TextField label={t('form.surname')} value={requester.surname} onValueChange={(surname) => setRequester({ ...requester, surname })} maxLength={100} autoComplete="off" error={tried && !requesterNamed ? t('form.nameRequired') : serverError('requester.surname')} />
          <TextField label={t('form.givenName')} value={requester.givenName} onValueChange={(givenName) => setRequester({ ...requester, givenName })} maxLength={100} autoComplete="off" />
          <TextField label={t('form.patronymic')} value={requester.patronymic} onValueChange={(patronymic) => setRequester({ ...requester, patronymic })} maxLength={100} autoComplete="off" />
          <SelectField label={t('form.relation')} help={t('form.relationHelp')} value={requester.relation} onValueChange={(value) => setRequester({ ...requester, relation: value })} options={relations.map((value) => ({ value, label: relation(value) }))} />
          <TextField label={t('form.contact')} help={t('form.contactHelp')} value={requester.contact} onValueChange={(contact) => setRequester({ ...requester, contact })} maxLength={300} autoComplete="off" />
        </fieldset>
        <fieldset>
          <legend>{t('form.sought')}</legend>
          <p className="help">{t('form.soughtHelp')}</p>
          <TextField label={t('form.surname')} value={sought.surname} onValueChange={(surname) => setSought({ ...sought, surname })} maxLength={100} autoComplete="off" error={tried && !soughtNamed ? t('form.nameRequired') : serverError('sought.surname')} />
          <TextField label={t('form.givenName')} value={sought.givenName} onValueChange={(givenName) => setSought({ ...sought, givenName })} maxLength={100} autoComplete="off" />
          <TextField label={t('form.patronymic')} value={sought.patronymic} onValueChange={(patronymic) => setSought({ ...sought, patronymic })} maxLength={100} autoComplete="off" />
          <SelectField
            label={t('form.sex')}
            value={sought.sex}
            onValueChange={(sex) => setSought({ ...sought, sex })}
            options={[
              { value: '', label: t('form.sexUnknown') },
              { value: 'male', label: t('sex.male') },
              { value: 'female', label: t('sex.female') },
            ]}
          />
          <TextField label={t('form.years')} help={t('form.yearsHelp')} inputMode="numeric" value={sought.years} onValueChange={(value) => setSought({ ...sought, years: value })} maxLength={3} error={tried && badYears ? t('form.badYears') : serverError('sought.approximateAge')} />
          <TextField label={t('form.dateOfBirth')} help={t('form.dateOfBirthHelp')} type="date" value={sought.dateOfBirth} onValueChange={(dateOfBirth) => setSought({ ...sought, dateOfBirth })} error={serverError('sought.dateOfBirth')} />
        </fieldset>
        <fieldset>
          <legend>{t('form.lastSeen')}</legend>
          <TextField label={t('form.lastSeenPlace')} help={t('form.lastSeenPlaceHelp')} value={sought.place} onValueChange={(place) => setSought({ ...sought, place })} maxLength={200} autoComplete="off" />
          <TextField label={t('form.lastSeenOn')} type="date" value={sought.on} onValueChange={(on) => setSought({ ...sought, on })} error={serverError('sought.lastSeen.on')} />
          <TextAreaField label={t('form.circumstances')} value={sought.circumstances} onValueChange={(circumstances) => setSought({ ...sought, circumstances })} maxLength={2000} rows={3} />
        </fieldset>
        <fieldset>
          <legend>{t('form.consent')}</legend>
          <p className="help">{t('form.consentHelp')}</p>
          <CheckboxField label={t('form.consentGiven')} checked={consented} onCheckedChange={setConsented} />
          {tried && !consented ? (
            <p className="field-error" role="alert">
              {t('form.consentRequired')}
            </p>
          ) : null}
          <TextField label={t('form.consentName')} value={consentName} onValueChange={setConsentName} maxLength={200} required autoComplete="off" error={tried && !consentName.trim() ? t('required') : serverError('consent')} />
          <TextField label={t('form.consentRelation')} help={t('form.consentRelationHelp')} value={consentRelation} onValueChange={setConsentRelation} maxLength={40} required autoComplete="off" error={tried && !consentRelation.trim() ? t('required') : undefined} />
        </fieldset>
        {mutation.error && !problemConcerns(mutation.error, 'sought') && !problemConcerns(mutation.error, 'requester') ? <ProblemAlert error={mutation.error} /> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={mutation.isPending}>
            {t('form.submit')}
          </button>
        </div>
      </form>
    </Page>
  );
}
