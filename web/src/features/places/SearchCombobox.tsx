import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../app/problems.tsx';
import { addMessages } from '../../i18n/index.ts';
import { messages } from './messages.ts';
import './places.css';

addMessages('places', messages);

/** One page of what the server found for a typed prefix. */
export interface Found<T> {
  /** The text these results answer, as the cache keys it. */
  query: string;
  items: T[];
  /** The server has more than this page: the list says to type on. */
  more: boolean;
}

export interface SearchComboboxProps<T> {
  label: string;
  help?: string;
  error?: string;
  required?: boolean;
  /** What is chosen: its item once known, or just its id while it is being looked up. */
  chosenId: string | undefined;
  chosen: T | undefined;
  /** Names the search (the kind of thing and its filters): with the typed text, the cache key. */
  searchKey: readonly unknown[];
  search(query: string, signal: AbortSignal): Promise<Found<T>>;
  idOf(item: T): string;
  nameOf(item: T): string;
  /** Where it is, or what kind it is: tells apart things with the same name. */
  detailOf(item: T): string;
  onChoose(item: T | undefined): void;
}

/**
 * Typing fast sends only after a pause this long; the first key after a pause is sent at once, so a
 * person typing at a normal pace sees each key's results without waiting for the pause.
 */
const pauseMs = 120;

/** The cache key of a typed text: the server ignores case and spacing too. */
function queryOf(text: string): string {
  return text.trim().toLocaleLowerCase().replace(/\s+/g, ' ');
}

/**
 * A WAI-ARIA 1.2 combobox (an input with a listbox popup) that searches the server as the person
 * types. Requests are few and cheap: a pause collapses fast typing into one request, a request
 * outrun by the next key is aborted, and recent prefixes answer again from the query cache. Focus
 * stays in the input; the active option is announced through aria-activedescendant.
 */
export function SearchCombobox<T>(props: SearchComboboxProps<T>) {
  const { label, help, error, required, chosenId, chosen, searchKey, search, idOf, nameOf, detailOf, onChoose } = props;
  const { t } = useTranslation('places');
  const problemText = useProblemText();
  const id = useId();
  const listId = `${id}-list`;
  /** What the person has typed since the last choice; null shows the chosen item's name. */
  const [text, setText] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const timer = useRef<number | undefined>(undefined);
  const lastKeyAt = useRef(-Infinity);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const found = useQuery({
    queryKey: [...searchKey, query],
    queryFn: ({ signal }) => search(query, signal),
    enabled: open && query !== '',
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
    gcTime: 2 * 60_000,
    retry: false,
    // Asked even with no connection: the search says so itself, and a typed code is still offered.
    networkMode: 'always',
  });
  const shown = open && query !== '' ? found.data : undefined;
  const items = shown?.items ?? [];
  const expanded = items.length > 0;
  const current = shown?.query === query && !found.isFetching;

  function typed(value: string) {
    setText(value);
    setOpen(true);
    setActive(-1);
    window.clearTimeout(timer.current);
    const now = performance.now();
    const paused = now - lastKeyAt.current >= pauseMs;
    lastKeyAt.current = now;
    if (paused) setQuery(queryOf(value));
    else timer.current = window.setTimeout(() => setQuery(queryOf(value)), pauseMs);
  }

  function choose(item: T) {
    window.clearTimeout(timer.current);
    setText(null);
    setOpen(false);
    setActive(-1);
    onChoose(item);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) {
          setOpen(true);
          if (text === null && chosen) typed(nameOf(chosen));
        } else if (!event.altKey && expanded) setActive((a) => (a + 1) % items.length);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (event.altKey) setOpen(false);
        else if (expanded) setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
        break;
      case 'Enter':
        if (expanded && items[active]) {
          event.preventDefault();
          choose(items[active]);
        }
        break;
      case 'Escape':
        // First Escape closes the list; a second one gives back the chosen name.
        if (open) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text !== null) {
          event.preventDefault();
          setText(null);
        }
        break;
    }
  }

  function onBlur() {
    setOpen(false);
    setActive(-1);
    if (text === null) return;
    if (text.trim() === '') {
      setText(null);
      if (chosenId !== undefined) onChoose(undefined);
    } else if (chosenId !== undefined) setText(null);
  }

  const display = text ?? (chosen ? nameOf(chosen) : (chosenId ?? ''));
  const notChosen = text !== null && text.trim() !== '' && !open;
  const chosenDetail = text === null && chosen ? detailOf(chosen) : '';
  /** Said to screen readers as it changes; the notes that matter are also shown under the list. */
  let status = '';
  let note = '';
  if (open && query !== '') {
    if (found.error && !found.isFetching) note = status = problemText(found.error);
    else if (!current) status = t('searching');
    else if (items.length === 0) note = status = t('none', { text: text ?? query });
    else {
      status = t('found', { count: items.length });
      if (shown?.more) note = t('more', { count: items.length });
    }
  }
  const described = [
    `${id}-instructions`,
    chosenDetail ? `${id}-chosen` : '',
    help ? `${id}-help` : '',
    notChosen ? `${id}-not-chosen` : '',
    error ? `${id}-error` : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div className="field picker">
      <label htmlFor={id}>
        {label}
        {required ? <span className="help"> ({t('shell:common.required')})</span> : null}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={described}
        aria-invalid={error ? true : undefined}
        required={required}
        value={display}
        onChange={(event) => typed(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      <div className="picker-popup" data-query={shown?.query} aria-busy={open && !current ? true : undefined}>
        {/* Named apart from the field, so that the field's label finds the field alone. */}
        <ul role="listbox" id={listId} aria-label={t('suggestions')} hidden={!expanded}>
          {items.map((item, index) => (
            <li
              key={idOf(item)}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              // Keeps the focus in the input, where the keyboard goes on working.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(item)}
            >
              <span className="picker-name">{nameOf(item)}</span>
              <span className="picker-detail">{detailOf(item)}</span>
            </li>
          ))}
        </ul>
        {note ? <p className="picker-note">{note}</p> : null}
      </div>
      <span className="visually-hidden" role="status">
        {status}
      </span>
      <span className="visually-hidden" id={`${id}-instructions`}>
        {t('instructions')}
      </span>
      {chosenDetail ? (
        <span className="help" id={`${id}-chosen`}>
          {chosenDetail}
        </span>
      ) : null}
      {help ? (
        <span className="help" id={`${id}-help`}>
          {help}
        </span>
      ) : null}
      {notChosen ? (
        <span className="help" id={`${id}-not-chosen`}>
          {t('notChosen')}
        </span>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
