import type { Declaration } from '../../../../../src/births/declaration.ts';
import type { HistoryEntry } from './api.ts';
import { changedFields } from './Correction.tsx';
import { FieldValue } from './Facts.tsx';
import { useRecordText } from './labels.ts';

interface Step {
  entry: HistoryEntry;
  /** What a declaration or a correction changed against the declaration before it. */
  changes: ReturnType<typeof changedFields>;
}

/** Walks the history keeping the declaration in force, so each new one shows what it changed. */
function withChanges(history: HistoryEntry[]): Step[] {
  let current: Declaration | null = null;
  let proposed: Declaration | null = null;
  return history.map((entry) => {
    const payload = entry.payload as { declaration?: Declaration; proposed?: Declaration };
    let changes: Step['changes'] = [];
    if (entry.type === 'DECLARE' && payload.declaration) {
      if (current) changes = changedFields(current, payload.declaration);
      current = payload.declaration;
    } else if (entry.type === 'REQUEST_CORRECTION' && payload.proposed) {
      changes = changedFields(current, payload.proposed);
      proposed = payload.proposed;
    } else if (entry.type === 'APPROVE_CORRECTION' && proposed) {
      current = proposed;
    }
    return { entry, changes };
  });
}

function Details({ entry }: { entry: HistoryEntry }) {
  const { t, format, documentType } = useRecordText();
  const p = entry.payload as {
    document?: { type: string; size?: number; sha256?: string; reference?: string | null };
    registration?: { number: string; iin: string; timeliness: string };
    timeliness?: string;
  };
  if (entry.type === 'ATTACH_DOCUMENT' && p.document) {
    return (
      <p className="timeline-detail">
        {documentType(p.document.type)}, {t('attached.bytes', { size: format.number(p.document.size ?? 0) })}, SHA-256 <code className="hash">{p.document.sha256}</code>
      </p>
    );
  }
  if (entry.type === 'EVIDENCE_SEEN' && p.document) {
    return (
      <p className="timeline-detail">
        {t('history.seen', { type: documentType(p.document.type) })}
        {p.document.reference ? ` (${t('attached.reference', { reference: p.document.reference })})` : ''}
      </p>
    );
  }
  if (entry.type === 'REGISTER' && p.registration) {
    return <p className="timeline-detail">{t('history.registered', { number: p.registration.number, iin: p.registration.iin, timeliness: t(`values.timeliness.${p.registration.timeliness}`) })}</p>;
  }
  if (entry.type === 'APPROVE_REGISTRATION' && p.timeliness) {
    return <p className="timeline-detail">{t('history.approved', { timeliness: t(`values.timeliness.${p.timeliness}`) })}</p>;
  }
  return null;
}

/** The record's history, oldest first: who, when, what, why, what changed, documents with their hashes. */
export function Timeline({ history, jurisdiction }: { history: HistoryEntry[]; jurisdiction: string }) {
  const { t, format, fieldLabel } = useRecordText();
  return (
    <section className="record-part" aria-labelledby="history-title">
      <h2 id="history-title">{t('sections.history')}</h2>
      {history.length === 0 ? <p>{t('history.none')}</p> : null}
      <ol className="timeline">
        {withChanges(history).map(({ entry, changes }) => (
          <li key={entry.recordSeq}>
            <p className="timeline-head">
              <time dateTime={entry.at}>{format.dateTime(entry.at)}</time> <strong>{t(`event.${entry.type}`, { defaultValue: entry.type })}</strong>{' '}
              <span className="help">{t('history.by', { who: entry.actorName ?? entry.actor })}</span>
            </p>
            {entry.reason ? <p className="timeline-detail">{t('history.reason', { reason: entry.reason })}</p> : null}
            <Details entry={entry} />
            {changes.length ? (
              <ul className="timeline-changes">
                {changes.map((change) => (
                  <li key={change.path}>
                    {fieldLabel(change.path)}: {change.now === undefined ? t('correction.empty') : <FieldValue path={change.path} value={change.now} jurisdiction={jurisdiction} />} →{' '}
                    {change.proposed === undefined ? t('correction.empty') : <FieldValue path={change.path} value={change.proposed} jurisdiction={jurisdiction} />}
                  </li>
                ))}
              </ul>
            ) : null}
            <details className="timeline-hash">
              <summary>{t('history.hash')}</summary>
              <code className="hash">{entry.hash}</code>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
