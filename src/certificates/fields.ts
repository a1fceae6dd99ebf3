import type { CertificateKind } from '../births/record.ts';
import type { BirthClaims } from './codec/claims.ts';
import { dateInWords } from './date-words.ts';
import type { CertificateFields } from './templates.ts';

/**
 * What a certificate says, worked out from the registered birth (pure): the values a template's
 * placeholders print, per language where a person reads them, and the claims its QR code signs.
 */
type Lang = 'kk' | 'ru' | 'en';
export type Localised = Partial<Record<Lang, string>>;

const langs: Lang[] = ['kk', 'ru', 'en'];

export interface PersonName {
  surname?: string;
  givenName?: string;
  patronymic?: string;
}

export interface CertificateFacts {
  serial: string;
  kind: CertificateKind;
  issuedOn: string;
  child: PersonName & { sex: 'male' | 'female'; dateOfBirth: string; iin: string; citizenship: string };
  mother: (PersonName & { iin?: string; citizenship: string }) | null;
  father: (PersonName & { iin?: string; citizenship: string }) | null;
  placeOfBirth: { kato: string; name: Localised };
  registration: { number: string; date: string; office: Localised };
  issuingOffice: Localised;
  registrarName: string;
  /** The country's own name and ISO code (its citizens' citizenship is printed as the country's name). */
  country: { code: string; name: Localised };
}

export function fullName(p: PersonName | null | undefined): string {
  return p ? [p.surname, p.givenName, p.patronymic].filter(Boolean).join(' ') : '';
}

export function numericDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

const sexNames: Record<'male' | 'female', Localised> = {
  male: { kk: 'ұл', ru: 'мужской', en: 'male' },
  female: { kk: 'қыз', ru: 'женский', en: 'female' },
};

const kindNames: Record<CertificateKind, Localised> = {
  birth_certificate: { kk: 'Туу туралы куәлік', ru: 'Свидетельство о рождении', en: 'Birth certificate' },
  certified_copy: { kk: 'Туу туралы куәліктің куәландырылған көшірмесі', ru: 'Заверенная копия свидетельства о рождении', en: 'Certified copy of a birth certificate' },
  extract: { kk: 'Туу туралы акт жазбасынан үзінді', ru: 'Выписка из актовой записи о рождении', en: 'Extract from the birth record' },
};

const regionNames = new Map<Lang, Intl.DisplayNames>();

/** A citizenship as printed: the country's own name, another country by ISO code, stateless, undetermined, or nothing known. */
export function citizenshipName(code: string, country: CertificateFacts['country']): Localised {
  if (code === country.code) return country.name;
  if (code === 'undetermined') return { kk: 'анықталмаған', ru: 'не определено', en: 'undetermined' };
  if (code === 'stateless') return { kk: 'азаматтығы жоқ адам', ru: 'лицо без гражданства', en: 'stateless' };
  if (!/^[A-Z]{2}$/.test(code)) return {};
  return Object.fromEntries(
    langs.map((lang) => {
      let names = regionNames.get(lang);
      if (!names) {
        names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' });
        regionNames.set(lang, names);
      }
      return [lang, names.of(code) ?? code];
    }),
  );
}

/** The placeholder values of every template (templates.ts lists the names they may use). */
export function certificateFields(f: CertificateFacts): CertificateFields {
  const parent = (p: CertificateFacts['mother'], role: 'mother' | 'father'): CertificateFields => ({
    [`${role}.fullName`]: fullName(p),
    [`${role}.iin`]: p?.iin && /^[0-9]{12}$/.test(p.iin) ? p.iin : '',
    [`${role}.citizenship`]: p ? citizenshipName(p.citizenship, f.country) : '',
  });
  return {
    'child.surname': f.child.surname ?? '',
    'child.givenName': f.child.givenName ?? '',
    'child.patronymic': f.child.patronymic ?? '',
    'child.fullName': fullName(f.child),
    'child.sex': sexNames[f.child.sex],
    'child.dateOfBirth': dateInWords(f.child.dateOfBirth),
    'child.dateOfBirth.numeric': numericDate(f.child.dateOfBirth),
    'child.placeOfBirth': f.placeOfBirth.name,
    'child.placeOfBirth.kato': f.placeOfBirth.kato,
    'child.iin': f.child.iin,
    'child.citizenship': citizenshipName(f.child.citizenship, f.country),
    ...parent(f.mother, 'mother'),
    ...parent(f.father, 'father'),
    'registration.number': f.registration.number,
    'registration.date': numericDate(f.registration.date),
    'registration.office': f.registration.office,
    'issue.date': numericDate(f.issuedOn),
    'issue.office': f.issuingOffice,
    'registrar.name': f.registrarName,
    'certificate.serial': f.serial,
    'certificate.kind': kindNames[f.kind],
  };
}

/** A name as the QR code signs it: only the parts there are (a foundling may have no patronymic). */
function claimName(p: PersonName): BirthClaims['child'] {
  return { ...(p.surname && { surname: p.surname }), ...(p.givenName && { givenName: p.givenName }), ...(p.patronymic && { patronymic: p.patronymic }) };
}

/**
 * The claims the QR code signs: enough for a verifier to compare with the paper, no more (no
 * parent IINs, no citizenship: the paper shows them, the code need not carry them).
 */
export function certificateClaims(f: CertificateFacts): BirthClaims {
  return {
    serial: f.serial,
    kind: f.kind,
    registrationNumber: f.registration.number,
    iin: f.child.iin,
    child: claimName(f.child),
    ...(f.mother && fullName(f.mother) && { mother: claimName(f.mother) }),
    ...(f.father && fullName(f.father) && { father: claimName(f.father) }),
    dateOfBirth: f.child.dateOfBirth,
    placeOfBirth: { kato: f.placeOfBirth.kato, name: f.placeOfBirth.name.kk ?? f.placeOfBirth.name.ru ?? '' },
    issuedOn: f.issuedOn,
    issuer: f.country.code,
  };
}
