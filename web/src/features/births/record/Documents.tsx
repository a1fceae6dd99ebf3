import type { UnverifiedParentFact } from '../../../../../src/births/record.ts';
import type { BirthView } from './api.ts';
import { useRecordText } from './labels.ts';

/** An unverified parent fact in the user's language: which field, and what is wrong with it. */
export function useFactText() {
  const { t, fieldLabel } = useRecordText();
  return (fact: Pick<UnverifiedParentFact, 'field' | 'code'>) => `${fieldLabel(fact.field)}: ${t(`facts.${fact.code}`, { defaultValue: fact.code })}`;
}

/** Parent facts kept as given but not verified, and who confirmed those that were. */
export function Warnings({ view, names }: { view: BirthView; names: Map<string, string> }) {
  const { t, format } = useRecordText();
  const factText = useFactText();
  const facts = view.data.unverified ?? [];
  if (!facts.length) return null;
  const open = facts.filter((f) => !f.confirmedBy);
  return (
    <section className="record-part" aria-labelledby="warnings-title">
      <h2 id="warnings-title">{t('sections.warnings')}</h2>
      {open.length ? <p className="warning">{t('warnings.intro')}</p> : null}
      <ul>
        {facts.map((fact) => (
          <li key={`${fact.field}-${fact.code}`}>
            {factText(fact)}
            {fact.confirmedBy ? (
              <span className="help"> — {t('warnings.confirmedBy', { who: names.get(fact.confirmedBy) ?? fact.confirmedBy, at: format.dateTime(fact.confirmedAt) })}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Documents still missing for the legal path; documents uploaded, with their hash and a download; originals seen. */
export function Documents({ view, names }: { view: BirthView; names: Map<string, string> }) {
  const { t, format, documentType } = useRecordText();
  const { data } = view;
  const seen = data.evidenceSeen ?? [];
  const showMissing = !['REGISTERED', 'CORRECTION_REQUESTED', 'ARCHIVED', 'REVOKED'].includes(view.status);
  return (
    <>
      {showMissing ? (
        <section className="record-part" aria-labelledby="missing-title">
          <h2 id="missing-title">{t('sections.missing')}</h2>
          {data.missingDocuments.length ? (
            <ul className="missing-documents">
              {data.missingDocuments.map((anyOf) => (
                <li key={anyOf.join('|')}>{anyOf.length === 1 ? documentType(anyOf[0]!) : t('missing.oneOf', { types: anyOf.map(documentType).join(', ') })}</li>
              ))}
            </ul>
          ) : (
            <p>{t('missing.none')}</p>
          )}
        </section>
      ) : null}
      <section className="record-part" aria-labelledby="attached-title">
        <h2 id="attached-title">{t('sections.attached')}</h2>
        {data.attachments.length ? (
          <table className="documents">
            <thead>
              <tr>
                <th scope="col">{t('attached.type')}</th>
                <th scope="col" className="number">
                  {t('attached.size')}
                </th>
                <th scope="col">{t('attached.sha256')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('attached.download')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.attachments.map((document) => (
                <tr key={document.id}>
                  <td>{documentType(document.type)}</td>
                  <td className="number">{t('attached.bytes', { size: format.number(document.size) })}</td>
                  <td>
                    <code className="hash">{document.sha256}</code>
                  </td>
                  <td>
                    <a href={`/api/v1/births/${view.id}/documents/${document.id}`} download>
                      {t('attached.download')}
                      <span className="visually-hidden"> {documentType(document.type)}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('attached.none')}</p>
        )}
        {seen.length ? (
          <>
            <h3>{t('attached.seen')}</h3>
            <ul>
              {seen.map((s) => (
                <li key={`${s.type}-${s.at}`}>
                  {documentType(s.type)}
                  {s.reference ? ` (${t('attached.reference', { reference: s.reference })})` : ''}
                  <span className="help"> — {t('attached.seenBy', { who: names.get(s.seenBy) ?? s.seenBy, at: format.dateTime(s.at) })}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
