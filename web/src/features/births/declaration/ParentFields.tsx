import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from '../../../app/fields.tsx';
import { PlacePicker } from '../../places/PlacePicker.tsx';
import { nameInput } from './ChildStep.tsx';
import { countries } from './countries.ts';
import { useFieldError } from './field-errors.tsx';
import { homeCountry, legalStatusesFor, type ParentForm, type PathAnswers } from './model.ts';

/**
 * A parent as far as they are known. Nothing is required but what the status answer needs (a
 * foreign parent's country); a mother without documents gives her identity as she states it, so
 * she is asked for no document.
 */
export function ParentFields({
  role,
  parent,
  answers,
  declared,
  onChange,
}: {
  role: 'mother' | 'father';
  parent: ParentForm;
  answers: PathAnswers;
  declared: boolean;
  onChange(parent: ParentForm): void;
}) {
  const { t, i18n } = useTranslation('declaration');
  const errorFor = useFieldError();
  const set = (change: Partial<ParentForm>) => onChange({ ...parent, ...change });
  const statuses = legalStatusesFor(answers.parentsStatus, role === 'mother' ? answers.motherHasDocuments : true);
  return (
    <>
      <div className="field-row">
        <TextField label={t('parent.surname')} value={parent.surname} onValueChange={(surname) => set({ surname })} error={errorFor(`${role}.surname`)} {...nameInput} />
        <TextField label={t('parent.givenName')} value={parent.givenName} onValueChange={(givenName) => set({ givenName })} error={errorFor(`${role}.givenName`)} {...nameInput} />
        <TextField label={t('parent.patronymic')} value={parent.patronymic} onValueChange={(patronymic) => set({ patronymic })} error={errorFor(`${role}.patronymic`)} {...nameInput} />
      </div>
      <div className="field-row">
        <TextField label={t('parent.dateOfBirth')} type="date" value={parent.dateOfBirth} onValueChange={(dateOfBirth) => set({ dateOfBirth })} error={errorFor(`${role}.dateOfBirth`)} />
        <TextField
          label={t('parent.age')}
          help={t('parent.ageHelp')}
          type="number"
          min={0}
          max={130}
          inputMode="numeric"
          value={parent.age}
          disabled={parent.dateOfBirth !== ''}
          onValueChange={(age) => set({ age })}
          error={errorFor(`${role}.age`)}
        />
        <TextField label={t('parent.iin')} help={t('parent.iinHelp')} inputMode="numeric" autoComplete="off" maxLength={20} value={parent.iin} onValueChange={(iin) => set({ iin })} error={errorFor(`${role}.iin`)} />
      </div>
      <div className="field-row">
        {answers.parentsStatus === 'foreigners' ? (
          <SelectField
            label={t('parent.citizenship')}
            required
            value={parent.citizenship}
            onValueChange={(citizenship) => set({ citizenship })}
            error={errorFor(`${role}.citizenship`)}
            options={[{ value: '', label: t('child.chooseCountry') }, ...countries(i18n.language).filter((c) => c.code !== homeCountry).map((c) => ({ value: c.code, label: c.name }))]}
          />
        ) : null}
        {statuses.length > 1 ? (
          <SelectField
            label={t('parent.legalStatus')}
            value={parent.legalStatus}
            onValueChange={(legalStatus) => set({ legalStatus: legalStatus as ParentForm['legalStatus'] })}
            error={errorFor(`${role}.legalStatus`)}
            options={statuses.map((value) => ({ value, label: t(`parent.legalStatuses.${value}`) }))}
          />
        ) : null}
      </div>
      {declared ? null : (
        <div className="field-row">
          <TextField label={t('parent.documentType')} value={parent.documentType} onValueChange={(documentType) => set({ documentType })} error={errorFor(`${role}.document.type`)} />
          <TextField label={t('parent.documentNumber')} autoComplete="off" value={parent.documentNumber} onValueChange={(documentNumber) => set({ documentNumber })} error={errorFor(`${role}.document.number`)} />
        </div>
      )}
      <div className="field-row">
        <PlacePicker label={t('parent.residenceKato')} value={parent.residenceKato || undefined} onChange={(kato) => set({ residenceKato: kato ?? '' })} error={errorFor(`${role}.residence.kato`)} />
        <TextField label={t('parent.residenceAddress')} value={parent.residenceAddress} onValueChange={(residenceAddress) => set({ residenceAddress })} error={errorFor(`${role}.residence.address`)} />
      </div>
    </>
  );
}

export function MotherStep({ form, onChange }: { form: { mother: ParentForm; answers: PathAnswers }; onChange(mother: ParentForm): void }) {
  const { t } = useTranslation('declaration');
  const declared = form.answers.motherHasDocuments === false;
  return (
    <fieldset>
      <legend>{t(declared ? 'sections.motherDeclared' : 'sections.mother')}</legend>
      {declared ? <p className="notice">{t('sections.motherDeclaredHelp')}</p> : null}
      <ParentFields role="mother" parent={form.mother} answers={form.answers} declared={declared} onChange={onChange} />
    </fieldset>
  );
}
