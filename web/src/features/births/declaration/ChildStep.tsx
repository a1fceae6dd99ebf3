import { useTranslation } from 'react-i18next';
import { ChoiceField, SelectField, TextField } from '../../../app/fields.tsx';
import { FacilityPicker, PlacePicker } from '../../places/PlacePicker.tsx';
import { countries } from './countries.ts';
import { useFieldError } from './field-errors.tsx';
import { type DeclarationForm, homeCountry, pathOf } from './model.ts';

/** Names are typed as written: no pattern, no forced script, no autocorrection of a Kazakh name. */
export const nameInput = { autoComplete: 'off', autoCapitalize: 'words', spellCheck: false } as const;

export function ChildStep({ form, onChange }: { form: DeclarationForm; onChange(form: DeclarationForm): void }) {
  const { t, i18n } = useTranslation('declaration');
  const errorFor = useFieldError();
  const child = form.child;
  const set = (change: Partial<DeclarationForm['child']>) => onChange({ ...form, child: { ...child, ...change } });
  const foundling = pathOf(form.answers) === 'foundling';
  const bornWhere = foundling ? 'found' : form.answers.bornWhere;
  return (
    <>
      <fieldset>
        <legend>{t('child.heading')}</legend>
        <p className="help">{t('child.namesHelp')}</p>
        <div className="field-row">
          <TextField label={t('child.surname')} value={child.surname} onValueChange={(surname) => set({ surname })} error={errorFor('child.surname')} {...nameInput} />
          <TextField label={t('child.givenName')} value={child.givenName} onValueChange={(givenName) => set({ givenName })} error={errorFor('child.givenName')} {...nameInput} />
        </div>
        <div className="field-row">
          <SelectField
            label={t('child.nameForm')}
            value={child.nameForm}
            onValueChange={(nameForm) => set({ nameForm: nameForm as DeclarationForm['child']['nameForm'] })}
            error={errorFor('child.nameForm')}
            options={(['', 'patronymic', 'kazakh_suffix', 'none'] as const).map((value) => ({ value, label: t(`child.nameForms.${value || 'unset'}`) }))}
          />
          {child.nameForm === 'kazakh_suffix' || child.nameForm === 'none' ? null : (
            <TextField label={t('child.patronymic')} value={child.patronymic} onValueChange={(patronymic) => set({ patronymic })} error={errorFor('child.patronymic')} {...nameInput} />
          )}
        </div>
        <ChoiceField
          legend={t('child.sex')}
          name="child-sex"
          value={child.sex || undefined}
          error={errorFor('child.sex')}
          options={(['female', 'male'] as const).map((value) => ({ value, label: t(`child.sexes.${value}`) }))}
          onValueChange={(sex) => set({ sex: sex as 'male' | 'female' })}
        />
        <div className="field-row">
          <TextField label={t('child.dateOfBirth')} type="date" required value={child.dateOfBirth} onValueChange={(dateOfBirth) => set({ dateOfBirth })} error={errorFor('child.dateOfBirth')} />
          <TextField label={t('child.timeOfBirth')} type="time" value={child.timeOfBirth} onValueChange={(timeOfBirth) => set({ timeOfBirth })} error={errorFor('child.timeOfBirth')} />
        </div>
        <div className="field-row">
          <TextField label={t('child.plurality')} type="number" min={1} max={8} inputMode="numeric" value={child.plurality} onValueChange={(plurality) => set({ plurality })} error={errorFor('child.plurality')} />
          <TextField label={t('child.birthOrder')} type="number" min={1} max={8} inputMode="numeric" value={child.birthOrder} onValueChange={(birthOrder) => set({ birthOrder })} error={errorFor('child.birthOrder')} />
          <TextField label={t('child.weightGrams')} type="number" min={200} max={8000} step={10} inputMode="numeric" value={child.weightGrams} onValueChange={(weightGrams) => set({ weightGrams })} error={errorFor('child.weightGrams')} />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t(foundling ? 'child.placeFound' : 'child.place')}</legend>
        {bornWhere === 'facility' ? (
          <FacilityPicker label={t('child.facilityId')} required value={child.facilityId || undefined} onChange={(facilityId) => set({ facilityId: facilityId ?? '' })} error={errorFor('child.placeOfBirth.facilityId')} />
        ) : (
          <>
            {bornWhere === 'abroad' ? (
              <SelectField
                label={t('child.country')}
                required
                value={child.country}
                onValueChange={(country) => set({ country })}
                error={errorFor('child.placeOfBirth.country')}
                options={[{ value: '', label: t('child.chooseCountry') }, ...countries(i18n.language).filter((c) => c.code !== homeCountry).map((c) => ({ value: c.code, label: c.name }))]}
              />
            ) : null}
            <PlacePicker
              label={t(bornWhere === 'abroad' ? 'child.residence' : 'child.kato')}
              required
              value={child.kato || undefined}
              onChange={(kato) => set({ kato: kato ?? '' })}
              error={errorFor('child.placeOfBirth.kato')}
            />
            <TextField label={t('child.address')} value={child.address} onValueChange={(address) => set({ address })} error={errorFor('child.placeOfBirth.address')} />
          </>
        )}
      </fieldset>
    </>
  );
}
