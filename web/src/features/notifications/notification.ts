import type { Notification } from '../../../../src/births/declaration.ts';

/** The notification form without the screen: what must be filled, and the body the API takes. */
export interface NotificationForm {
  facilityId: string;
  sex: '' | 'male' | 'female';
  dateOfBirth: string;
  timeOfBirth: string;
  weightGrams: string;
  plurality: string;
  birthOrder: string;
  mother: { surname: string; givenName: string; patronymic: string; iin: string };
  medicalCertificateNumber: string;
  phone: string;
  email: string;
}

export function emptyNotification(): NotificationForm {
  return {
    facilityId: '',
    sex: '',
    dateOfBirth: '',
    timeOfBirth: '',
    weightGrams: '',
    plurality: '1',
    birthOrder: '1',
    mother: { surname: '', givenName: '', patronymic: '', iin: '' },
    medicalCertificateNumber: '',
    phone: '',
    email: '',
  };
}

/** The fields (as the server names them) that must be filled: the facility and the date of birth. */
export function notificationMissing(form: NotificationForm): string[] {
  return [!form.facilityId.trim() && 'facilityId', !form.dateOfBirth && 'child.dateOfBirth'].filter((f): f is string => typeof f === 'string');
}

const text = (value: string) => value.trim() || undefined;
const integer = (value: string) => (/^\s*\d+\s*$/.test(value) ? Number(value) : undefined);

function compact<T extends Record<string, unknown>>(value: T): T | undefined {
  const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? (kept as T) : undefined;
}

/** The Notification body: nothing empty is sent, names as typed. */
export function buildNotification(form: NotificationForm): Notification {
  const mother = compact({ surname: text(form.mother.surname), givenName: text(form.mother.givenName), patronymic: text(form.mother.patronymic), iin: text(form.mother.iin) });
  const contact = compact({ phone: text(form.phone), email: text(form.email) });
  return compact({
    facilityId: form.facilityId.trim(),
    child: compact({
      sex: form.sex || undefined,
      dateOfBirth: form.dateOfBirth,
      timeOfBirth: text(form.timeOfBirth),
      plurality: integer(form.plurality) ?? 1,
      birthOrder: integer(form.birthOrder) ?? 1,
      weightGrams: integer(form.weightGrams),
    })!,
    mother,
    medicalCertificateNumber: text(form.medicalCertificateNumber),
    contact,
  })!;
}
