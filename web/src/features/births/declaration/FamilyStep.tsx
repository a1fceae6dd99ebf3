import { useTranslation } from 'react-i18next';
import { CheckboxField, ChoiceField, SelectField, TextField } from '../../../app/fields.tsx';
import { nameInput } from './ChildStep.tsx';
import { useFieldError } from './field-errors.tsx';
import { type DeclarationForm, pathOf } from './model.ts';
import { ParentFields } from './ParentFields.tsx';

type Relation = DeclarationForm['informant']['relation'];

/** Who may declare a foundling: those who found or took charge of the child. */
const foundlingInformants: Relation[] = ['police', 'guardianship_authority', 'health_facility', 'other'];
const informants: Relation[] = ['mother', 'father', 'relative', 'guardian', 'health_facility', 'police', 'guardianship_authority', 'other'];

export function FamilyStep({ form, onChange }: { form: DeclarationForm; onChange(form: DeclarationForm): void }) {
  const { t } = useTranslation('declaration');
  const errorFor = useFieldError();
  const foundling = pathOf(form.answers) === 'foundling';
  const informant = (
    <fieldset>
      <legend>{t('sections.informant')}</legend>
      <div className="field-row">
        <SelectField
          label={t('family.informant')}
          required
          value={form.informant.relation}
          onValueChange={(relation) => onChange({ ...form, informant: { ...form.informant, relation: relation as Relation } })}
          error={errorFor('informant.relation')}
          options={[{ value: '', label: t('family.relations.unset') }, ...(foundling ? foundlingInformants : informants).map((value) => ({ value, label: t(`family.relations.${value}`) }))]}
        />
        <TextField label={t('family.informantName')} value={form.informant.name} onValueChange={(name) => onChange({ ...form, informant: { ...form.informant, name } })} error={errorFor('informant.name')} {...nameInput} />
      </div>
    </fieldset>
  );
  if (foundling) return informant;
  const parentages = (['marriage', 'joint_declaration', 'father_declaration', 'court_decision', 'not_established'] as const).filter((p) => p !== 'marriage' || form.maritalStatus === 'married');
  return (
    <>
      <fieldset>
        <legend>{t('sections.family')}</legend>
        <ChoiceField
          legend={t('family.maritalStatus')}
          name="marital-status"
          value={form.maritalStatus || undefined}
          error={errorFor('maritalStatus')}
          options={(['married', 'not_married', 'unknown'] as const).map((value) => ({ value, label: t(`family.maritalStatuses.${value}`) }))}
          onValueChange={(value) => {
            const maritalStatus = value as DeclarationForm['maritalStatus'];
            // A marriage is how parentage follows by default; without one, "by the marriage" is no answer.
            const parentage = maritalStatus === 'married' && !form.parentage ? 'marriage' : maritalStatus !== 'married' && form.parentage === 'marriage' ? '' : form.parentage;
            onChange({ ...form, maritalStatus, parentage, fatherKnown: form.fatherKnown || maritalStatus === 'married' });
          }}
        />
        <SelectField
          label={t('family.parentage')}
          required
          value={form.parentage}
          onValueChange={(parentage) => onChange({ ...form, parentage: parentage as DeclarationForm['parentage'], fatherKnown: parentage === 'not_established' ? form.fatherKnown : true })}
          error={errorFor('parentage')}
          options={[{ value: '', label: t('family.parentages.unset') }, ...parentages.map((value) => ({ value, label: t(`family.parentages.${value}`) }))]}
        />
        <SelectField
          label={t('family.attendant')}
          value={form.attendant}
          onValueChange={(attendant) => onChange({ ...form, attendant: attendant as DeclarationForm['attendant'] })}
          error={errorFor('attendant')}
          options={(['', 'physician', 'midwife', 'nurse', 'other', 'none'] as const).map((value) => ({ value, label: t(`family.attendants.${value || 'unset'}`) }))}
        />
      </fieldset>
      <fieldset>
        <legend>{t('sections.father')}</legend>
        <CheckboxField label={t('sections.fatherKnown')} checked={form.fatherKnown} onCheckedChange={(fatherKnown) => onChange({ ...form, fatherKnown })} />
        {form.fatherKnown ? <ParentFields role="father" parent={form.father} answers={form.answers} declared={false} onChange={(father) => onChange({ ...form, father })} /> : null}
      </fieldset>
      {informant}
    </>
  );
}
