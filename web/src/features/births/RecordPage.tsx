import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ApiProblem } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert } from '../../app/problems.tsx';
import { CertificatesPanel } from '../certificates/CertificatesPanel.tsx';
import { DuplicateBanner } from '../linkage/DuplicateBanner.tsx';
import { Actions } from './record/Actions.tsx';
import { type BirthView, loadBirth, type LoadedRecord, recordKey } from './record/api.ts';
import { PendingCorrection } from './record/Correction.tsx';
import { Documents, Warnings } from './record/Documents.tsx';
import { Facts } from './record/Facts.tsx';
import { useRecordText } from './record/labels.ts';
import { Citizenship, ProtectionReferrals, Summary } from './record/Summary.tsx';
import { Timeline } from './record/Timeline.tsx';
import './record/record.css';

/** The child's name as typed (surname first, as the registers write it), or what the notification knows. */
function childName(view: BirthView): string | undefined {
  const child = view.data.declaration?.child;
  return [child?.surname, child?.givenName, child?.patronymic].filter(Boolean).join(' ') || undefined;
}

/** One birth record: where it stands, its facts, documents and history, and what the reader may do now. */
export default function RecordPage() {
  const { id = '' } = useParams();
  const { t, format } = useRecordText();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const actor = me ? `${me.kind}:${me.id}` : undefined;
  const query = useQuery({ queryKey: recordKey(id), queryFn: () => loadBirth(id, actor) });

  if (query.isPending) {
    return (
      <Page title={t('title')}>
        <p className="loading">{t('common.loading', { ns: 'shell' })}</p>
      </Page>
    );
  }
  // A failed refresh keeps what was read before on screen; only a first read that failed has nothing to show.
  if (!query.data) {
    const missing = query.error instanceof ApiProblem && query.error.status === 404;
    return <Page title={t('title')}>{missing ? <p className="notice">{t('notFound')}</p> : <ProblemAlert error={query.error} />}</Page>;
  }

  const { view, history, savedAt } = query.data;
  const names = new Map(history.filter((a) => a.actorName).map((a) => [a.actor, a.actorName!]));
  const name = childName(view);
  const onDone = (next: BirthView) => {
    queryClient.setQueryData<LoadedRecord>(recordKey(id), (old) => (old ? { ...old, view: next } : old));
    void queryClient.invalidateQueries({ queryKey: recordKey(id) });
    void queryClient.invalidateQueries({ queryKey: ['queues'] });
  };

  return (
    <Page title={t('title')}>
      <p className="record-subject">{name ?? t('notNamed')}</p>
      {savedAt ? (
        <p className="notice" role="status">
          {t('savedCopy', { at: format.dateTime(savedAt) })}
        </p>
      ) : null}
      <DuplicateBanner recordId={view.id} status={view.status} duplicates={view.data.duplicates} />
      <ProtectionReferrals view={view} />
      <div className="record-columns">
        <Summary view={view} names={names} me={actor} />
        <Citizenship view={view} />
      </div>
      {savedAt ? null : <Actions view={view} onDone={onDone} onReload={() => query.refetch()} />}
      {savedAt ? null : <CertificatesPanel view={view} onDone={onDone} onReload={() => query.refetch()} />}
      <Warnings view={view} names={names} />
      <PendingCorrection view={view} names={names} />
      <Facts view={view} />
      <Documents view={view} names={names} />
      <Timeline history={history} jurisdiction={view.jurisdiction} />
    </Page>
  );
}
