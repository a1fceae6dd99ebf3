import { describe, expect, it } from 'vitest';
import { buildNotification, emptyNotification, notificationMissing } from './notification.ts';

describe('the notification body', () => {
  it('needs only the facility and the date of birth, and sends nothing empty', () => {
    const form = emptyNotification();
    expect(notificationMissing(form)).toEqual(['facilityId', 'child.dateOfBirth']);
    form.facilityId = 'kz-hf-71-001';
    form.dateOfBirth = '2026-03-01';
    expect(notificationMissing(form)).toEqual([]);
    expect(buildNotification(form)).toEqual({ facilityId: 'kz-hf-71-001', child: { dateOfBirth: '2026-03-01', plurality: 1, birthOrder: 1 } });
  });

  it('keeps the mother’s name as typed and the contact given', () => {
    const form = { ...emptyNotification(), facilityId: 'kz-hf-71-001', dateOfBirth: '2026-03-01', sex: 'male' as const, timeOfBirth: '04:35', weightGrams: '3400', plurality: '2', birthOrder: '2' };
    form.mother = { surname: ' Сейітқызы ', givenName: 'Әсем', patronymic: '', iin: '' };
    form.phone = '+7 701 000 00 00';
    expect(buildNotification(form)).toEqual({
      facilityId: 'kz-hf-71-001',
      child: { sex: 'male', dateOfBirth: '2026-03-01', timeOfBirth: '04:35', plurality: 2, birthOrder: 2, weightGrams: 3400 },
      mother: { surname: 'Сейітқызы', givenName: 'Әсем' },
      contact: { phone: '+7 701 000 00 00' },
    });
  });
});
