import type { BirthView } from './api.ts';
import { FieldValue, flatten } from './Facts.tsx';
import { useFactText } from './Documents.tsx';
import { useRecordText } from './labels.ts';

/** The fields a proposed declaration changes, by dotted path, with the value now and the value proposed. */
export function changedFields(now: object | null, proposed: object): { path: string; now: unknown; proposed: unknown }[] {
  const before = new Map(flatten(now, ''));
  const after = new Map(flatten(proposed, ''));
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  return paths.filter((path) => JSON.stringify(before.get(path)) !== JSON.stringify(after.get(path))).map((path) => ({ path, now: before.get(path), proposed: after.get(path) }));
}

/** The correction waiting for a decision: who asked, why, and only the fields it would change. */
export function PendingCorrection({ view, names }: { view: BirthView; names: Map<string, string> }) {
  const { t, format, fieldLabel } = useRecordText();
  const factText = useFactText();
  const pending = view.data.corrections.at(-1);
  if (!pending || pending.outcome !== 'pending') return null;
  const changes = changedFields(view.data.declaration, pending.proposed);
  const open = (pending.unverified ?? []).filter((f) => !f.confirmedBy);
  return (
    <section className="record-part" aria-labelledby="correction-title">
      <h2 id="correction-title">{t('sections.correction')}</h2>
      <p>{t('correction.intro', { who: names.get(pending.requestedBy) ?? pending.requestedBy, at: format.dateTime(pending.at), reason: pending.reason })}</p>
      {changes.length ? (
        <table className="correction">
          <thead>
            <tr>
              <th scope="col">{t('correction.field')}</th>
              <th scope="col">{t('correction.now')}</th>
              <th scope="col">{t('correction.proposed')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => (
              <tr key={change.path}>
                <th scope="row">{fieldLabel(change.path)}</th>
                <td>{change.now === undefined ? t('correction.empty') : <FieldValue path={change.path} value={change.now} jurisdiction={view.jurisdiction} />}</td>
                <td>
                  <ins>{change.proposed === undefined ? t('correction.empty') : <FieldValue path={change.path} value={change.proposed} jurisdiction={view.jurisdiction} />}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('correction.noChange')}</p>
      )}
      {open.length ? (
        <div className="warning">
          <p>{t('warnings.correctionIntro')}</p>
          <ul>
            {open.map((fact) => (
              <li key={`${fact.field}-${fact.code}`}>{factText(fact)}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
