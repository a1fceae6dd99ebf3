import { useTranslation } from 'react-i18next';
import { ChoiceField } from '../../../app/fields.tsx';
import { useFieldError } from './field-errors.tsx';
import { answer, type DeclarationForm, pathOf, type PathAnswers, questionsFor } from './model.ts';

const choices = {
  foundling: ['yes', 'no'],
  bornWhere: ['facility', 'elsewhere', 'abroad'],
  motherHasDocuments: ['yes', 'no'],
  parentsStatus: ['citizens', 'foreigners', 'stateless', 'unknown'],
} as const;

function asText(value: PathAnswers[keyof PathAnswers]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value;
}

/** The questions that decide the legal path, each shown once the one before it is answered. */
export function PathStep({ form, onChange }: { form: DeclarationForm; onChange(form: DeclarationForm): void }) {
  const { t } = useTranslation('declaration');
  const errorFor = useFieldError();
  const path = pathOf(form.answers);
  return (
    <>
      <p>{t('questions.intro')}</p>
      {questionsFor(form.answers).map((question) => (
        <ChoiceField
          key={question}
          legend={t(`questions.${question}.legend`)}
          name={question}
          value={asText(form.answers[question])}
          error={errorFor(`answers.${question}`)}
          options={choices[question].map((value) => ({ value, label: t(`questions.${question}.${value}`) }))}
          onValueChange={(value) => {
            const given = question === 'foundling' || question === 'motherHasDocuments' ? value === 'yes' : value;
            onChange(answer(form, { [question]: given } as PathAnswers));
          }}
        />
      ))}
      {path ? (
        <div className="notice" role="status">
          <p>
            <strong>{t('paths.decided', { path: t(`paths.${path}`) })}</strong>
          </p>
          <p>{t(`paths.explain.${path}`)}</p>
        </div>
      ) : null}
    </>
  );
}
