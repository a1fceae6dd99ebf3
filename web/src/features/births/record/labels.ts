import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useFormat } from '../../../i18n/format.ts';
import './messages.ts';

type Names = { kk: string; ru: string; en: string };
const uploadId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Which list of translated values a field's value comes from, by the field's last name. */
const valueKinds: Record<string, string> = {
  sex: 'sex',
  path: 'path',
  nameForm: 'nameForm',
  legalStatus: 'legalStatus',
  maritalStatus: 'maritalStatus',
  parentage: 'parentage',
  attendant: 'attendant',
};

/**
 * How the record page says a declaration's fields and values: labels by dotted path (mother.iin),
 * coded values in the user's language, countries by the browser's own names, dates as dates.
 * Names and free text stay exactly as typed.
 */
export function useRecordText() {
  const { t, i18n } = useTranslation('record');
  const format = useFormat();

  const documentType = (type: string) => t(`documentTypes.${type}`, { defaultValue: type.replaceAll('_', ' ') });

  const country = (code: string) => {
    if (code === 'stateless' || code === 'unknown') return t(`values.citizenship.${code}`);
    try {
      return new Intl.DisplayNames([i18n.language], { type: 'region' }).of(code) ?? code;
    } catch {
      return code;
    }
  };

  const fieldLabel = (path: string) => {
    const [head, ...rest] = path.split('.');
    if (head === 'mother' || head === 'father') return `${t(`sections.${head}`)}: ${t(`fields.parent.${rest.join('.')}`, { defaultValue: rest.join('.') })}`;
    return t(`fields.${path}`, { defaultValue: path });
  };

  const fieldValue = (path: string, value: unknown): string => {
    if (value === undefined || value === null || value === '') return t('unknownValue');
    if (typeof value === 'boolean') return t(value ? 'values.yes' : 'values.no');
    if (typeof value === 'number') return format.number(value);
    if (Array.isArray(value)) {
      // An uploaded document is listed by its upload's id: the documents table shows it, with its hash.
      const listed = value.map((d: { type?: string; reference?: string }) => [documentType(String(d.type)), uploadId.test(d.reference ?? '') ? undefined : d.reference].filter(Boolean).join(' '));
      return [...new Set(listed)].join('; ') || t('common.none', { ns: 'shell' });
    }
    const text = String(value);
    const last = path.split('.').at(-1) ?? '';
    if (last === 'dateOfBirth') return format.date(text);
    if (last === 'citizenship' || last === 'country') return country(text);
    const kind = path === 'informant.relation' ? 'relation' : path === 'child.placeOfBirth.type' ? 'placeType' : valueKinds[last];
    return kind ? t(`values.${kind}.${text}`, { defaultValue: text }) : text;
  };

  const names = (value: Names | undefined) => (value ? (value[i18n.language as keyof Names] ?? value.en) : undefined);

  return { t, format, documentType, country, fieldLabel, fieldValue, names, language: i18n.language };
}

/** A place's or a facility's name, in the user's language (reference data: public, cached long). */
export function usePlaceName(kato: string | undefined): string | undefined {
  const { names } = useRecordText();
  const query = useQuery({
    queryKey: ['place', kato],
    queryFn: () => api<{ name: Names }>('GET', `/places/${kato}`),
    enabled: Boolean(kato),
    staleTime: Infinity,
  });
  return names(query.data?.name);
}

export function useFacilityName(facilityId: string | null | undefined, within: string | undefined): string | undefined {
  const { names } = useRecordText();
  const query = useQuery({
    queryKey: ['facilities', within],
    queryFn: () => api<{ items: { id: string; name: Names }[] }>('GET', '/facilities', { query: { within } }),
    enabled: Boolean(facilityId),
    staleTime: Infinity,
  });
  return names(query.data?.items.find((f) => f.id === facilityId)?.name);
}
