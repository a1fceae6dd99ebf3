import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../../app/fields.tsx';
import { useFormat } from '../../../i18n/format.ts';
import { type DocumentMediaType, prepareFile } from './files.ts';
import type { Requirements } from './model.ts';

/** A document added in this form, waiting to go with the declaration (through the outbox). */
export interface LocalDocument {
  id: string;
  type: string;
  name: string;
  blob: Blob;
  mediaType: DocumentMediaType;
  /** A blob: URL for the thumbnail of a photo; the page revokes it when the document goes. */
  previewUrl?: string;
}

/** A document type's name in the user's language, as the pack gives it. */
export function useDocumentName(requirements: Requirements | undefined): (type: string) => string {
  const { i18n } = useTranslation();
  const language = (['kk', 'ru', 'en'] as const).find((l) => l === i18n.language) ?? 'en';
  return (type) => requirements?.documentTypes.find((d) => d.type === type)?.name[language] ?? type;
}

export function DocumentsStep({
  requirements,
  missing,
  documents,
  onRecord,
  refusal,
  onAdd,
  onChangeType,
  onRemove,
}: {
  requirements: Requirements | undefined;
  missing: string[][];
  documents: LocalDocument[];
  /** Types already held by the record (uploaded before, or originals seen). */
  onRecord: string[];
  /** The server's refusal of a document, in words. */
  refusal?: string;
  onAdd(document: LocalDocument): void;
  onChangeType(id: string, type: string): void;
  onRemove(id: string): void;
}) {
  const { t } = useTranslation('declaration');
  const format = useFormat();
  const nameOf = useDocumentName(requirements);
  const inputId = useId();
  const types = requirements?.documentTypes.map((d) => d.type) ?? [...new Set([...missing.flat(), ...documents.map((d) => d.type)])];
  const suggested = missing[0]?.[0] ?? types[0] ?? '';
  const [chosenType, setType] = useState<string>('');
  const type = chosenType || suggested;
  const [fileError, setFileError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const add = async (file: File | undefined) => {
    if (!file || !type) return;
    setBusy(true);
    setFileError(undefined);
    const prepared = await prepareFile(file);
    setBusy(false);
    if (!prepared.ok) {
      setFileError(t(`documents.reasons.${prepared.reason}`));
      return;
    }
    onAdd({
      id: crypto.randomUUID(),
      type,
      name: file.name || type,
      blob: prepared.blob,
      mediaType: prepared.mediaType,
      previewUrl: prepared.mediaType === 'application/pdf' ? undefined : URL.createObjectURL(prepared.blob),
    });
    setType('');
  };

  return (
    <>
      {refusal ? (
        <p className="problem" role="alert">
          {t('documents.refused', { reason: refusal })}
        </p>
      ) : null}
      {onRecord.length ? <p>{t('documents.onRecord', { names: [...new Set(onRecord)].map(nameOf).join(', ') })}</p> : null}
      <fieldset>
        <legend>{t('documents.add')}</legend>
        <SelectField label={t('documents.type')} value={type} onValueChange={setType} options={types.map((value) => ({ value, label: nameOf(value) }))} />
        <div className="field">
          <label htmlFor={inputId}>{t('documents.file')}</label>
          <input
            id={inputId}
            type="file"
            accept="image/*,application/pdf"
            capture="environment"
            disabled={busy || !type}
            aria-describedby={`${inputId}-help${fileError ? ` ${inputId}-error` : ''}`}
            aria-invalid={fileError ? true : undefined}
            onChange={(event) => {
              const input = event.currentTarget;
              void add(input.files?.[0]).finally(() => {
                input.value = '';
              });
            }}
          />
          <span className="help" id={`${inputId}-help`}>
            {t('documents.fileHelp')}
          </span>
          {fileError ? (
            <p className="field-error" id={`${inputId}-error`} role="alert">
              {fileError}
            </p>
          ) : null}
        </div>
      </fieldset>
      <h3>{t('documents.added')}</h3>
      {documents.length === 0 ? (
        <p>{t('documents.noneAdded')}</p>
      ) : (
        <table className="documents">
          <thead>
            <tr>
              <th scope="col">{t('documents.previewColumn')}</th>
              <th scope="col">{t('documents.type')}</th>
              <th scope="col">{t('documents.file')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('documents.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {documents.map((document) => (
              <tr key={document.id}>
                <td>
                  {document.previewUrl ? (
                    <img className="thumbnail" src={document.previewUrl} alt={t('documents.preview', { name: document.name })} />
                  ) : (
                    <span className="badge">{t('documents.pdf')}</span>
                  )}
                </td>
                <td>
                  <SelectField
                    label={`${t('documents.type')} — ${document.name}`}
                    value={document.type}
                    onValueChange={(value) => onChangeType(document.id, value)}
                    options={types.map((value) => ({ value, label: nameOf(value) }))}
                  />
                </td>
                <td>
                  {document.name}
                  <br />
                  <span className="help">{t('documents.size', { size: format.number(Math.max(1, Math.round(document.blob.size / 1024))) })}</span>
                </td>
                <td>
                  <button type="button" className="danger" onClick={() => onRemove(document.id)}>
                    {t('documents.remove')}
                    <span className="visually-hidden"> {document.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The documents still needed, live: the path and the date of birth decide them, uploads strike them off. */
export function MissingDocuments({ requirements, missing, unavailable, pathKnown }: { requirements: Requirements | undefined; missing: string[][]; unavailable: boolean; pathKnown: boolean }) {
  const { t } = useTranslation('declaration');
  const nameOf = useDocumentName(requirements);
  const timeliness = requirements?.dateOfBirth?.timeliness;
  let body;
  if (!pathKnown) body = <p>{t('documents.pickPath')}</p>;
  else if (!requirements) body = <p>{unavailable ? t('documents.unavailable') : null}</p>;
  else if (missing.length === 0) body = <p className="success">{t('documents.noneMissing')}</p>;
  else
    body = (
      <ul>
        {missing.map((anyOf) => (
          <li key={anyOf.join('|')}>{anyOf.length === 1 ? nameOf(anyOf[0]!) : t('documents.oneOf', { names: anyOf.map(nameOf).join('; ') })}</li>
        ))}
      </ul>
    );
  return (
    <aside className="missing-documents" aria-labelledby="missing-documents-title">
      <h2 id="missing-documents-title">{t('documents.missingHeading')}</h2>
      <div aria-live="polite">
        {body}
        {pathKnown && timeliness && timeliness !== 'current' ? <p className="warning">{t(`documents.${timeliness}`)}</p> : null}
      </div>
    </aside>
  );
}
