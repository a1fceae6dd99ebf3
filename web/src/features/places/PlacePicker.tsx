import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Names } from '../../../../src/places/pack.ts';
import type { FacilityRow, PlaceRow } from '../../../../src/places/store.ts';
import { api, Offline } from '../../api/client.ts';
import { type Found, SearchCombobox } from './SearchCombobox.tsx';

/**
 * THE CONTRACT for choosing a place (KATO code) or a health facility: a combobox that searches the
 * server by the start of any word of the name, in Kazakh, Russian or English, a page at a time. No
 * list of places is ever downloaded whole: a country has 150,000 of them.
 */
export interface PlacePickerProps {
  label: string;
  /** The chosen place's 9-digit KATO code. */
  value: string | undefined;
  onChange(kato: string | undefined): void;
  /** Only places inside this KATO place. */
  within?: string;
  level?: 'region' | 'district' | 'okrug' | 'settlement';
  error?: string;
  help?: string;
  required?: boolean;
}

/** Rows a picker shows at once: enough to see the one wanted among namesakes, few enough to read. */
const pageSize = 10;
const kato = /^\d{9}$/;

/** A place known only by its code: typed while offline, so the server could not be asked. */
type Place = PlaceRow & { unchecked?: true };

function uncheckedPlace(code: string): Place {
  const name = { kk: code, ru: code, en: code };
  return { kato: code, parentKato: null, level: 'settlement', kind: '', name, population: null, crudeBirthRate: null, path: [], unchecked: true };
}

function useNameIn(): (names: Names) => string {
  const { i18n } = useTranslation();
  const language = i18n.language as keyof Names;
  return (names) => names[language] || names.ru || names.en;
}

/** The containing units nearest first: "Medeu District, Almaty". */
function pathText(path: PlaceRow['path'], nameIn: (names: Names) => string): string {
  return path
    .map((unit) => nameIn(unit.name))
    .reverse()
    .join(', ');
}

/**
 * Nine digits are taken as a KATO code: looked up, or, with no connection, offered as typed so that
 * a declaration can be completed offline (the server checks the code when it is sent).
 */
async function searchPlaces(query: string, signal: AbortSignal, filters: Pick<PlacePickerProps, 'within' | 'level'>): Promise<Found<Place>> {
  if (kato.test(query)) {
    try {
      return { query, items: [await api<PlaceRow>('GET', `/places/${query}`, { signal })], more: false };
    } catch (error) {
      if (error instanceof Offline) return { query, items: [uncheckedPlace(query)], more: false };
      throw error;
    }
  }
  const page = await api<{ items: PlaceRow[]; next: string | null }>('GET', '/places', {
    query: { q: query, within: filters.within, level: filters.level, limit: pageSize },
    signal,
  });
  return { query, items: page.items, more: page.next !== null };
}

export function PlacePicker({ label, value, onChange, within, level, error, help, required }: PlacePickerProps) {
  const { t } = useTranslation('places');
  const nameIn = useNameIn();
  const queryClient = useQueryClient();
  const chosen = useQuery({
    queryKey: ['places', 'one', value],
    queryFn: ({ signal }) => api<PlaceRow>('GET', `/places/${value}`, { signal }),
    enabled: value !== undefined,
    staleTime: Infinity,
    // With no connection the code is shown as typed, marked unchecked, rather than waiting.
    networkMode: 'always',
    retry: false,
  });
  return (
    <SearchCombobox<Place>
      label={label}
      help={help}
      error={error}
      required={required}
      chosenId={value}
      chosen={value !== undefined && chosen.error instanceof Offline ? uncheckedPlace(value) : chosen.data}
      searchKey={['places', 'search', within ?? '', level ?? '']}
      search={(query, signal) => searchPlaces(query, signal, { within, level })}
      idOf={(place) => place.kato}
      nameOf={(place) => (place.unchecked ? t('code', { code: place.kato }) : nameIn(place.name))}
      detailOf={(place) => (place.unchecked ? t('unchecked') : pathText(place.path, nameIn))}
      onChoose={(place) => {
        if (place && !place.unchecked) queryClient.setQueryData(['places', 'one', place.kato], place);
        onChange(place?.kato);
      }}
    />
  );
}

export interface FacilityPickerProps {
  label: string;
  /** The chosen facility's id (kz-hf-71-001). */
  value: string | undefined;
  onChange(facilityId: string | undefined): void;
  within?: string;
  error?: string;
  help?: string;
  required?: boolean;
}

export function FacilityPicker({ label, value, onChange, within, error, help, required }: FacilityPickerProps) {
  const { t } = useTranslation('places');
  const nameIn = useNameIn();
  const queryClient = useQueryClient();
  const chosen = useQuery({
    queryKey: ['facilities', 'one', value],
    queryFn: ({ signal }) => api<FacilityRow>('GET', `/facilities/${encodeURIComponent(value ?? '')}`, { signal }),
    enabled: value !== undefined,
    staleTime: Infinity,
  });
  return (
    <SearchCombobox<FacilityRow>
      label={label}
      help={help}
      error={error}
      required={required}
      chosenId={value}
      chosen={chosen.data}
      searchKey={['facilities', 'search', within ?? '']}
      search={async (query, signal) => {
        const page = await api<{ items: FacilityRow[]; next?: string | null }>('GET', '/facilities', {
          query: { q: query, within, limit: pageSize },
          signal,
        });
        return { query, items: page.items, more: Boolean(page.next) };
      }}
      idOf={(facility) => facility.id}
      nameOf={(facility) => nameIn(facility.name)}
      detailOf={(facility) =>
        [t(`facilityKind.${facility.kind}`, { defaultValue: '' }), pathText(facility.path, nameIn)].filter(Boolean).join(' · ')
      }
      onChoose={(facility) => {
        if (facility) queryClient.setQueryData(['facilities', 'one', facility.id], facility);
        onChange(facility?.id);
      }}
    />
  );
}
