import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { TextAreaField } from '../../../app/fields.tsx';
import type { Declaration } from '../../../../../src/births/declaration.ts';
import type { LocalDocument } from './DocumentsStep.tsx';
import { useDocumentName } from './DocumentsStep.tsx';
import { fieldLabel, valueLabel } from './labels.ts';
import { changesBetween, factsOf, type FieldPath, type Requirements, type Step, stepOfField } from './model.ts';

/**
 * Everything that will be sent, step by step, each with a way back to change it; for a correction,
 * what changes (before and after) and why.
 */
export function ReviewStep({
  declaration,
  steps,
  missingRequired,
  documents,
  requirements,
  correction,
  onGoTo,
}: {
  declaration: Declaration | undefined;
  steps: Step[];
  missingRequired: FieldPath[];
  documents: LocalDocument[];
  requirements: Requirements | undefined;
  correction?: { before: Declaration; reason: string; reasonError?: string; onReason(reason: string): void };
  onGoTo(step: Step, field?: FieldPath): void;
}) {
  const { t, i18n } = useTranslation('declaration');
  const nameOf = useDocumentName(requirements);
  const facts = declaration ? factsOf(declaration).filter((f) => !f.field.startsWith('documents.')) : [];
  const shown = steps.filter((s) => s !== 'review' && s !== 'documents');
  const changes = correction && declaration ? changesBetween(correction.before, declaration) : [];
  return (
    <>
      {missingRequired.length ? (
        <div className="warning" role="alert">
          <p>{t('review.missingRequired')}</p>
          <ul>
            {missingRequired.map((field) => (
              <li key={field}>
                <button type="button" className="link-button" onClick={() => onGoTo(stepOfField(field, steps), field)}>
                  {fieldLabel(t, field)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {correction ? (
        <>
          <h3>{t('review.changesHeading')}</h3>
          {changes.length === 0 ? (
            <p>{t('review.noChanges')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('review.field')}</th>
                  <th scope="col">{t('review.before')}</th>
                  <th scope="col">{t('review.after')}</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((change) => (
                  <tr key={change.field}>
                    <th scope="row">{fieldLabel(t, change.field)}</th>
                    <td>{valueLabel(t, change.field, change.before, i18n.language)}</td>
                    <td>{valueLabel(t, change.field, change.after, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <TextAreaField label={t('review.reason')} help={t('review.reasonHelp')} required rows={3} maxLength={1000} value={correction.reason} onValueChange={correction.onReason} error={correction.reasonError} />
        </>
      ) : null}
      {shown.map((step) => {
        const here = facts.filter((f) => (step === 'path' ? f.field === 'path' : f.field !== 'path' && stepOfField(f.field, steps) === step));
        return (
          <section key={step} aria-labelledby={`review-${step}`}>
            <h3 id={`review-${step}`}>
              {t(`steps.${step}`)}{' '}
              <button type="button" className="link-button" onClick={() => onGoTo(step)}>
                {t('review.change')}
                <span className="visually-hidden"> {t(`steps.${step}`)}</span>
              </button>
            </h3>
            <dl className="facts">
              {here.map((fact) => (
                <Fragment key={fact.field}>
                  <dt>{fieldLabel(t, fact.field)}</dt>
                  <dd>{valueLabel(t, fact.field, fact.value, i18n.language)}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
        );
      })}
      {steps.includes('documents') ? (
        <section aria-labelledby="review-documents">
          <h3 id="review-documents">
            {t('steps.documents')}{' '}
            <button type="button" className="link-button" onClick={() => onGoTo('documents')}>
              {t('review.change')}
              <span className="visually-hidden"> {t('steps.documents')}</span>
            </button>
          </h3>
          {documents.length ? (
            <ul>
              {documents.map((d) => (
                <li key={d.id}>
                  {nameOf(d.type)} — {d.name}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('documents.noneAdded')}</p>
          )}
        </section>
      ) : null}
    </>
  );
}
