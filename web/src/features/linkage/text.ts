import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useFormat } from '../../i18n/format.ts';
import { type FieldScore, formatWeight, readNote } from './api.ts';
import './messages.ts';

type Names = { kk: string; ru: string; en: string };

/** How the linkage screens say things: field names, levels, notes, values, in the user's language. */
export function useLinkageText() {
  const { t, i18n } = useTranslation('linkage');
  const format = useFormat();
  const weight = (value: number) => formatWeight(value, format.language);
  const score = (value: number) => new Intl.NumberFormat(format.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  const sex = (value: string | null | undefined) => (value ? t(`sex.${value}`, { defaultValue: value }) : undefined);
  const note = (value: string | undefined) => {
    const read = readNote(value);
    if (!read) return '';
    if (read.key === 'other') return read.text;
    if (read.key === 'daysApart') return t('note.daysApart', { count: read.days });
    return t(`note.${read.key}`);
  };
  /** A compared value as written, except dates (as dates) and sex (in words). */
  const compared = (field: FieldScore['field'], value: string | null) => {
    if (value === null) return t('review.unknown');
    if (field.endsWith('date_of_birth')) return format.date(value);
    if (field === 'child_sex') return sex(value) ?? value;
    if (field === 'birth_order') return format.number(Number(value));
    return value;
  };
  const names = (value: Names | undefined) => (value ? (value[i18n.language as keyof Names] ?? value.en) : undefined);
  return { t, format, weight, score, sex, note, compared, names };
}

/** A place's name in the user's language (public reference data, cached for the session). */
export function usePlaceName(kato: string | undefined): string | undefined {
  const { names } = useLinkageText();
  const query = useQuery({ queryKey: ['places', 'one', kato], queryFn: () => api<{ name: Names }>('GET', `/places/${kato}`), enabled: Boolean(kato), staleTime: Infinity });
  return names(query.data?.name);
}

/** A health facility's name in the user's language. */
export function useFacilityName(id: string | undefined): string | undefined {
  const { names } = useLinkageText();
  const query = useQuery({
    queryKey: ['facilities', 'one', id],
    queryFn: () => api<{ name: Names }>('GET', `/facilities/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
    staleTime: Infinity,
  });
  return names(query.data?.name);
}
