import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { SelectField, TextField } from '../../app/fields.tsx';
import { Page } from '../../app/Page.tsx';
import { ProblemAlert, useProblemText } from '../../app/problems.tsx';
import { useBirthStatus } from '../births/status.ts';
import { PlacePicker } from '../places/PlacePicker.tsx';
import { childName, linkageKeys, personName, refusedField, type SearchQuery, searchBirths } from './api.ts';
import { useLinkageText } from './text.ts';
import './linkage.css';
import { ShowMore } from '../../app/ShowMore.tsx';

type Names = { kk: string; ru: string; en: string };

/** Every status a birth record can be in, in the order work flows (src/births/record.ts). */
const statuses = ['NOTIFIED', 'DECLARED', 'REQUIRES_UPDATE', 'VALIDATED', 'DUPLICATE_SUSPECTED', 'REGISTERED', 'CORRECTION_REQUESTED', 'ARCHIVED', 'REVOKED'];

const empty: SearchQuery = { q: '', mother: '', father: '', motherIin: '', dobFrom: '', dobTo: '', sex: '', place: undefined, status: '', office: '' };

/** A key typed into a form control is text, not a shortcut. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** What is wrong with the form before anything is sent, by field. */
function check(query: SearchQuery): Partial<Record<keyof SearchQuery, 'nothing' | 'badIin' | 'badRange'>> {
  const problems: Partial<Record<keyof SearchQuery, 'nothing' | 'badIin' | 'badRange'>> = {};
  if (!Object.values(query).some((value) => typeof value === 'string' && value.trim() !== '')) problems.q = 'nothing';
  if (query.motherIin?.trim() && !/^\d{12}$/.test(query.motherIin.trim())) problems.motherIin = 'badIin';
  if (query.dobFrom && query.dobTo && query.dobFrom > query.dobTo) problems.dobTo = 'badRange';
  return problems;
}

/**
 * Search over births: one box for an IIN, an act number or names in any script, and filters. What
 * was searched for stays in this screen's state: the address bar never holds a name or an IIN.
 */
export default function SearchPage() {
  const { t, format, names } = useLinkageText();
  const problemText = useProblemText();
  const birthStatus = useBirthStatus();
  const { me, can } = useSession();
  const allowed = can('record.read');
  const [draft, setDraft] = useState<SearchQuery>(empty);
  const [submitted, setSubmitted] = useState<SearchQuery | undefined>();
  const [checked, setChecked] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const set = (field: keyof SearchQuery) => (value: string | undefined) => setDraft((d) => ({ ...d, [field]: value }));

  const offices = useQuery({
    queryKey: ['offices', me?.jurisdiction ?? 'all'],
    queryFn: () => api<{ items: { id: string; name: Names }[] }>('GET', '/offices', { query: { within: me?.jurisdiction ?? undefined } }).then((answer) => answer.items),
    staleTime: Infinity,
    enabled: allowed,
  });
  const results = useInfiniteQuery({
    queryKey: linkageKeys.search(submitted ?? empty),
    queryFn: ({ pageParam, signal }) => searchBirths(submitted!, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed && submitted !== undefined,
    // What a person searched for is not kept once the screen is left.
    gcTime: 0,
    retry: false,
  });
  const items = results.data?.pages.flatMap((page) => page.items) ?? [];

  // "/" jumps to the search box from anywhere on the screen, as on the work queues.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      event.preventDefault();
      box.current?.querySelector<HTMLInputElement>('input')?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  if (!allowed) {
    return (
      <Page title={t('search.title')}>
        <p className="notice">{t('search.none')}</p>
      </Page>
    );
  }

  const local = checked ? check(draft) : {};
  const refused = results.error ? refusedField(results.error) : undefined;
  const fieldLabels: Partial<Record<string, string>> = {
    q: t('search.q'),
    mother: t('search.mother'),
    father: t('search.father'),
    motherIin: t('search.motherIin'),
    dobFrom: t('search.dobFrom'),
    dobTo: t('search.dobTo'),
    sex: t('search.sex'),
    place: t('search.place'),
    status: t('search.status'),
    office: t('search.office'),
  };
  /** The message under a field: the form's own check first, else the server's refusal naming it. */
  const errorOf = (field: keyof SearchQuery): string | undefined => {
    const mine = local[field];
    if (mine) return t(`search.${mine}`);
    if (refused !== field) return undefined;
    if (field === 'q') return submitted?.q?.trim() ? t('search.noWords') : t('search.nothing');
    return problemText(results.error, fieldLabels[field]);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(check(draft)).length) return;
    // The same search again asks the server again (a record may have changed meanwhile).
    if (submitted && JSON.stringify(submitted) === JSON.stringify(draft)) void results.refetch();
    else setSubmitted({ ...draft });
  };

  const clear = () => {
    setDraft(empty);
    setSubmitted(undefined);
    setChecked(false);
  };

  return (
    <Page title={t('search.title')}>
      <p>{t('search.intro')}</p>
      <form className="search-form" role="search" aria-label={t('search.title')} onSubmit={submit} noValidate>
        <div className="search-box" ref={box}>
          <TextField
            label={t('search.q')}
            help={t('search.qHelp')}
            type="search"
            value={draft.q ?? ''}
            onValueChange={set('q')}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            error={errorOf('q')}
          />
          <div className="search-button">
            <button type="submit" className="primary" disabled={results.isFetching && !results.isFetchingNextPage}>
              {t('search.find')}
            </button>
          </div>
        </div>
        <fieldset className="search-filters">
          <legend>{t('search.filters')}</legend>
          <div className="field-row">
            <TextField label={t('search.dobFrom')} type="date" value={draft.dobFrom ?? ''} onValueChange={set('dobFrom')} error={errorOf('dobFrom')} />
            <TextField label={t('search.dobTo')} type="date" value={draft.dobTo ?? ''} onValueChange={set('dobTo')} error={errorOf('dobTo')} />
            <SelectField
              label={t('search.sex')}
              value={draft.sex ?? ''}
              onValueChange={set('sex')}
              error={errorOf('sex')}
              options={[
                { value: '', label: t('search.anySex') },
                { value: 'female', label: t('sex.female') },
                { value: 'male', label: t('sex.male') },
              ]}
            />
          </div>
          <div className="field-row">
            <SelectField
              label={t('search.status')}
              value={draft.status ?? ''}
              onValueChange={set('status')}
              error={errorOf('status')}
              options={[{ value: '', label: t('search.anyStatus') }, ...statuses.map((status) => ({ value: status, label: birthStatus(status) }))]}
            />
            <SelectField
              label={t('search.office')}
              value={draft.office ?? ''}
              onValueChange={set('office')}
              error={errorOf('office')}
              options={[{ value: '', label: t('search.anyOffice') }, ...(offices.data ?? []).map((o) => ({ value: o.id, label: names(o.name) ?? o.id }))]}
            />
            <PlacePicker label={t('search.place')} help={t('search.placeHelp')} value={draft.place} within={me?.jurisdiction ?? undefined} onChange={set('place')} error={errorOf('place')} />
          </div>
          <div className="field-row">
            <TextField label={t('search.mother')} value={draft.mother ?? ''} onValueChange={set('mother')} maxLength={200} autoComplete="off" spellCheck={false} error={errorOf('mother')} />
            <TextField label={t('search.father')} value={draft.father ?? ''} onValueChange={set('father')} maxLength={200} autoComplete="off" spellCheck={false} error={errorOf('father')} />
            <TextField
              label={t('search.motherIin')}
              value={draft.motherIin ?? ''}
              onValueChange={set('motherIin')}
              inputMode="numeric"
              maxLength={12}
              autoComplete="off"
              error={errorOf('motherIin')}
            />
          </div>
        </fieldset>
        <div className="actions">
          <button type="button" className="link-button" onClick={clear}>
            {t('search.clear')}
          </button>
        </div>
      </form>

      {results.error && !refused ? <ProblemAlert error={results.error} /> : null}
      {submitted && results.isPending && !results.error ? <p className="loading">{t('common.loading', { ns: 'shell' })}</p> : null}
      <div role="status" className="search-status">
        {results.isSuccess && items.length === 0 ? <p>{t('search.empty')}</p> : null}
      </div>
      {items.length ? (
        <table className="queue-table search-results">
          <caption className="visually-hidden">{t('search.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('search.child')}</th>
              <th scope="col">{t('search.dateOfBirth')}</th>
              <th scope="col">{t('search.status')}</th>
              <th scope="col">{t('search.number')}</th>
              <th scope="col">{t('search.iin')}</th>
              <th scope="col">{t('search.motherColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((hit) => (
              <tr key={hit.recordId}>
                <td>
                  <Link to={`/births/${hit.recordId}`}>{childName(hit.child) ?? <em>{t('search.notNamed')}</em>}</Link>
                </td>
                <td>{format.date(hit.child.dateOfBirth)}</td>
                <td>{birthStatus(hit.status)}</td>
                <td className="identifier">{hit.number ?? '—'}</td>
                <td className="identifier">{hit.iin ?? '—'}</td>
                <td>{personName(hit.mother) ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ShowMore count={items.length} shown={t('search.shown', { count: items.length })} more={t('search.more')} list={results} />
    </Page>
  );
}
