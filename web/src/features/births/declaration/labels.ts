import type { TFunction } from 'i18next';
import { formatDate } from '../../../i18n/format.ts';
import { normaliseField } from './model.ts';

/**
 * The words for a field of the Declaration (child.placeOfBirth.facilityId → "Health facility"), for
 * a refusal, a missing value or a line of a correction's before/after. A field the form has no
 * label for is shown by its path.
 */
const parentFields: Record<string, string> = {
  'document.type': 'documentType',
  'document.number': 'documentNumber',
  'residence.kato': 'residenceKato',
  'residence.address': 'residenceAddress',
};

export function fieldLabel(t: TFunction, field: string): string {
  const path = normaliseField(field).replace(/^answers\./, 'questions.');
  const [head, ...rest] = path.split('.');
  const tail = rest.join('.');
  const key = (k: string) => t(k, { defaultValue: '' });
  let label = '';
  if (head === 'questions') label = key(`questions.${tail}.legend`);
  else if (head === 'child') label = key(`child.${tail.replace(/^placeOfBirth\.(type)$/, 'placeType').replace(/^placeOfBirth\./, '')}`);
  else if (head === 'mother' || head === 'father') {
    const part = key(`parent.${parentFields[tail] ?? tail}`);
    label = part ? `${key(`sections.${head}`)}: ${part}` : '';
  } else if (head === 'maritalStatus' || head === 'parentage' || head === 'attendant') label = key(`family.${head}`);
  else if (head === 'informant') label = key(tail === 'name' ? 'family.informantName' : 'family.informant');
  else if (head === 'path') label = key('paths.label');
  else if (head === 'documents') label = key('review.documents');
  else if (head === 'reason') label = key('review.reason');
  return label || path;
}

/** A stored value in words where the form offers it as a choice; names and numbers as they are. */
export function valueLabel(t: TFunction, field: string, value: string, language: string): string {
  if (value === '') return t('review.empty');
  if (value === 'true' || value === 'false') return t(value === 'true' ? 'yes' : 'no');
  const path = normaliseField(field);
  if (path.endsWith('dateOfBirth')) return formatDate(value, language);
  if (/^(mother|father)\.citizenship$|^child\.placeOfBirth\.country$|\.residence\.country$/.test(path)) {
    if (value === 'stateless' || value === 'unknown') return t(`parent.${value}`);
    return new Intl.DisplayNames([language], { type: 'region', fallback: 'code' }).of(value) ?? value;
  }
  const choice: Record<string, string> = {
    path: 'paths',
    'child.sex': 'child.sexes',
    'child.nameForm': 'child.nameForms',
    'child.placeOfBirth.type': 'child.placeTypes',
    maritalStatus: 'family.maritalStatuses',
    parentage: 'family.parentages',
    'informant.relation': 'family.relations',
    attendant: 'family.attendants',
    'mother.legalStatus': 'parent.legalStatuses',
    'father.legalStatus': 'parent.legalStatuses',
  };
  const group = choice[path];
  return group ? t(`${group}.${value}`, { defaultValue: value }) : value;
}
