import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certificateClaims, certificateFields, type CertificateFacts } from '../../src/certificates/fields.ts';
import { certificateStatus } from '../../src/certificates/status.ts';
import { decodeStatusList, encodeStatusList, statusListBits, statusListPosition } from '../../src/certificates/status-list.ts';
import { VerifyLimiter } from '../../src/certificates/verify-limit.ts';

const tz = 'Asia/Almaty';
const at = (iso: string) => new Date(iso);

describe('a certificate’s status', () => {
  const issuedAtVersion5 = { recordVersion: 5, revokedAt: null };
  it.each([
    ['valid with nothing after it', [], { state: 'valid' }],
    ['valid when the correction it follows was approved before it', [{ type: 'APPROVE_CORRECTION', recordSeq: 4, at: at('2026-03-01T10:00:00Z') }], { state: 'valid' }],
    ['superseded by a correction approved after it', [{ type: 'APPROVE_CORRECTION', recordSeq: 7, at: at('2026-05-03T20:00:00Z') }], { state: 'superseded', since: '2026-05-04' }],
    ['not superseded by a correction only requested', [{ type: 'REQUEST_CORRECTION', recordSeq: 6, at: at('2026-05-03T10:00:00Z') }], { state: 'valid' }],
    ['revoked with the registration', [{ type: 'REVOKE', recordSeq: 6, at: at('2026-06-01T10:00:00Z') }], { state: 'revoked', since: '2026-06-01' }],
    [
      'revoked wins over superseded',
      [
        { type: 'APPROVE_CORRECTION', recordSeq: 6, at: at('2026-05-03T10:00:00Z') },
        { type: 'REVOKE', recordSeq: 8, at: at('2026-06-01T10:00:00Z') },
      ],
      { state: 'revoked', since: '2026-06-01' },
    ],
  ])('%s', (_name, history, expected) => {
    expect(certificateStatus(issuedAtVersion5, history, tz)).toEqual(expected);
  });

  it('is revoked from the day the certificate itself was revoked', () => {
    expect(certificateStatus({ recordVersion: 5, revokedAt: at('2026-04-10T19:30:00Z') }, [], tz)).toEqual({ state: 'revoked', since: '2026-04-11' });
  });
});

describe('the bitstring status list', () => {
  it('reads the W3C Recommendation’s example list as 131,072 bits, all clear', () => {
    const bit = decodeStatusList('uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA');
    for (let i = 0; i < statusListBits; i += 997) expect(bit(i)).toBe(false);
  });

  it('sets exactly the bits of the revoked certificates, most significant bit first', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: statusListBits - 1 }), { maxLength: 40 }), fc.integer({ min: 0, max: statusListBits - 1 }), (revoked, probe) => {
        const bit = decodeStatusList(encodeStatusList(revoked));
        for (const i of revoked) expect(bit(i)).toBe(true);
        expect(bit(probe)).toBe(revoked.includes(probe));
      }),
      { numRuns: 30 },
    );
    const first = Buffer.from(encodeStatusList([0]).slice(1), 'base64url');
    expect(first.length).toBeGreaterThan(10);
  });

  it('places certificate n in list n / 131072', () => {
    expect(statusListPosition(0)).toEqual({ list: 0, index: 0 });
    expect(statusListPosition(131_073)).toEqual({ list: 1, index: 1 });
  });
});

describe('what a certificate says', () => {
  const facts: CertificateFacts = {
    serial: 'KZ-2026-0000042',
    kind: 'birth_certificate',
    issuedOn: '2026-03-09',
    child: { surname: 'Нұрсұлтанова', givenName: 'Әйгерім', sex: 'female', dateOfBirth: '2026-02-28', iin: '260228600015', citizenship: 'KZ' },
    mother: { surname: 'Нұрсұлтанова', givenName: 'Гүлнар', patronymic: 'Қайратқызы', iin: '900101400123', citizenship: 'UZ' },
    father: null,
    placeOfBirth: { kato: '711310000', name: { kk: 'Астана қ., Алматы ауданы', ru: 'г. Астана, район Алматы' } },
    registration: { number: 'kz-rgo-71-01/2026/000001', date: '2026-03-02', office: { kk: 'АХАЖ', ru: 'ЗАГС' } },
    issuingOffice: { kk: 'АХАЖ', ru: 'ЗАГС' },
    registrarName: 'Айгерім Сәрсенбаева',
    country: { code: 'KZ', name: { kk: 'Қазақстан Республикасы', ru: 'Республика Казахстан', en: 'Republic of Kazakhstan' } },
  };

  it('prints the date of birth in words per language, citizenships by name, and nothing for a father not established', () => {
    const fields = certificateFields(facts);
    expect(fields['child.dateOfBirth']).toMatchObject({ ru: 'двадцать восьмое февраля две тысячи двадцать шестого года', en: '28 February 2026' });
    expect(fields['child.citizenship']).toEqual(facts.country.name);
    expect(fields['mother.citizenship']).toMatchObject({ ru: 'Узбекистан' });
    expect(fields['father.fullName']).toBe('');
    expect(fields['child.dateOfBirth.numeric']).toBe('28.02.2026');
  });

  it('signs the facts a verifier compares with the paper, and no parent IIN', () => {
    const claims = certificateClaims(facts);
    expect(claims).toMatchObject({ serial: 'KZ-2026-0000042', iin: '260228600015', child: { surname: 'Нұрсұлтанова', givenName: 'Әйгерім' }, mother: { patronymic: 'Қайратқызы' }, placeOfBirth: { kato: '711310000', name: 'Астана қ., Алматы ауданы' } });
    expect(claims.father).toBeUndefined();
    expect(JSON.stringify(claims)).not.toContain('900101400123');
  });
});

describe('the verification limit', () => {
  it('lets an address through up to the limit a minute, then says how long to wait', () => {
    const limiter = new VerifyLimiter({ perMinute: 3, maxTrackedAddresses: 10 });
    expect([0, 1, 2].map((s) => limiter.take('a', s * 1000))).toEqual([0, 0, 0]);
    expect(limiter.take('a', 10_000)).toBe(50);
    expect(limiter.take('b', 10_000)).toBe(0);
    expect(limiter.take('a', 60_000)).toBe(0);
  });

  it('never tracks more addresses than it may', () => {
    const limiter = new VerifyLimiter({ perMinute: 1, maxTrackedAddresses: 5 });
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 600_000 }))), (calls) => {
      for (const [address, now] of calls.sort((x, y) => x[1] - y[1])) limiter.take(String(address), now);
      expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(5);
    }));
  });
});
