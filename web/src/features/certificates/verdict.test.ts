import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BirthClaims, CredentialFailure, VerifyAnswer } from './types.ts';
import { combine, furthest, type LocalCheck, needsStatus, type StatusCheck, toneOf } from './verdict.ts';

const birth: BirthClaims = {
  serial: 'KZ-2026-0000123',
  kind: 'birth_certificate',
  registrationNumber: '710000/2026/000045',
  iin: '260312500017',
  child: { surname: 'Сейтқали', givenName: 'Әлихан', patronymic: 'Ерланұлы' },
  dateOfBirth: '2026-03-12',
  placeOfBirth: { kato: '711000000', name: 'Астана' },
  issuedOn: '2026-03-20',
  issuer: 'KZ',
};
const failures: CredentialFailure[] = [
  'too_large',
  'bad_base45',
  'bad_compression',
  'bad_cbor',
  'bad_cose',
  'unsupported_algorithm',
  'unknown_key',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'key_expired',
  'bad_claims',
];
const message = { kk: 'kk', ru: 'ru', en: 'en' };
const verified: LocalCheck = { kind: 'verified', text: 'KZ1:X', birth, keyId: '0011223344556677', issuedAt: new Date('2026-03-20T08:00:00Z') };
const answer = (verdict: VerifyAnswer['verdict'], extra: Partial<VerifyAnswer> = {}): StatusCheck => ({
  kind: 'answered',
  answer: { verdict, reason: null, message, birth, keyId: '0011223344556677', statusDate: null, ...extra },
});

const localCheck = fc.oneof(
  fc.constant(verified),
  fc.constantFrom(...failures).map((reason): LocalCheck => ({ kind: 'failed', text: 'KZ1:X', reason })),
  fc.constant<LocalCheck>({ kind: 'no_keys', text: 'KZ1:X' }),
);
const statusCheck = fc.oneof(
  fc.constantFrom('valid' as const, 'superseded' as const, 'revoked' as const, 'invalid' as const).map((verdict) => answer(verdict, verdict === 'invalid' ? { reason: 'bad_signature' } : {})),
  fc.constantFrom('offline' as const, 'rate_limited' as const, 'refused' as const).map((why): StatusCheck => ({ kind: 'unreachable', why })),
  fc.constant<StatusCheck>({ kind: 'not_asked' }),
);

describe('the verdict of the verification page', () => {
  it('is valid when the signature holds here and the registry says it stands', () => {
    expect(combine(verified, answer('valid'))).toMatchObject({ verdict: 'valid', birth, keyId: '0011223344556677', reason: null });
  });

  it('is superseded or revoked with the date the registry gives, the facts being the signed ones', () => {
    expect(combine(verified, answer('superseded', { statusDate: '2026-05-02', reason: 'superseded' }))).toMatchObject({ verdict: 'superseded', statusDate: '2026-05-02', birth });
    expect(combine(verified, answer('revoked', { statusDate: '2026-06-01', reason: 'revoked' }))).toMatchObject({ verdict: 'revoked', statusDate: '2026-06-01' });
  });

  it('is invalid with its reason when the text is damaged or forged, whatever the registry would say', () => {
    for (const reason of failures.filter((f) => f !== 'unknown_key')) {
      const local: LocalCheck = { kind: 'failed', text: 'KZ1:X', reason };
      expect(needsStatus(local)).toBe(false);
      expect(combine(local, answer('valid'))).toMatchObject({ verdict: 'invalid', reason, birth: null });
    }
  });

  it('says the signature is genuine but the status unknown, when the registry cannot be asked', () => {
    expect(combine(verified, { kind: 'unreachable', why: 'offline' })).toMatchObject({ verdict: 'unchecked', unreachable: 'offline', birth });
    expect(combine(verified, { kind: 'unreachable', why: 'rate_limited' })).toMatchObject({ verdict: 'unchecked', unreachable: 'rate_limited' });
  });

  it('leaves a key this device does not know to the registry, and calls it unknown offline', () => {
    const local: LocalCheck = { kind: 'failed', text: 'KZ1:X', reason: 'unknown_key' };
    expect(needsStatus(local)).toBe(true);
    expect(combine(local, answer('valid'))).toMatchObject({ verdict: 'valid', birth });
    expect(combine(local, { kind: 'unreachable', why: 'offline' })).toMatchObject({ verdict: 'invalid', reason: 'unknown_key' });
  });

  it('cannot judge a first visit with no keys and no connection', () => {
    const local: LocalCheck = { kind: 'no_keys', text: 'KZ1:X' };
    expect(combine(local, { kind: 'unreachable', why: 'offline' })).toMatchObject({ verdict: 'unknown', reason: 'no_keys' });
    expect(combine(local, answer('invalid', { reason: 'bad_signature', birth: null }))).toMatchObject({ verdict: 'invalid', reason: 'bad_signature' });
  });

  it('is never valid unless the registry said so about a signature no check here refused', () => {
    fc.assert(
      fc.property(localCheck, statusCheck, (local, status) => {
        const outcome = combine(local, status);
        if (outcome.verdict !== 'valid') return;
        expect(status.kind === 'answered' && status.answer.verdict === 'valid').toBe(true);
        expect(local.kind === 'verified' || local.kind === 'no_keys' || local.reason === 'unknown_key').toBe(true);
      }),
    );
  });

  it('shows certified facts only when a signature vouches for them', () => {
    fc.assert(
      fc.property(localCheck, statusCheck, (local, status) => {
        const outcome = combine(local, status);
        if (outcome.birth) expect(['valid', 'superseded', 'revoked', 'unchecked']).toContain(outcome.verdict);
      }),
    );
  });

  it('is green only when valid', () => {
    expect(toneOf('valid')).toBe('ok');
    for (const verdict of ['superseded', 'unchecked', 'unknown'] as const) expect(toneOf(verdict)).toBe('warn');
    for (const verdict of ['revoked', 'invalid'] as const) expect(toneOf(verdict)).toBe('danger');
  });
});

describe('the failure reported among several readings of one text', () => {
  it('is the one that got furthest through the checks', () => {
    expect(furthest(['bad_base45', 'bad_signature'])).toBe('bad_signature');
    expect(furthest(['bad_signature', 'bad_base45'])).toBe('bad_signature');
    expect(furthest(['bad_compression'])).toBe('bad_compression');
    expect(furthest([])).toBeUndefined();
  });

  it('is one of those found, whatever their order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...failures), { minLength: 1 }), (found) => {
        const reported = furthest(found);
        expect(found).toContain(reported);
        expect(furthest([...found].reverse())).toBe(reported);
      }),
    );
  });
});

describe('a refusal of the registry', () => {
  it('keeps a codec failure as the reason, and leaves any other to the registry’s own sentence', () => {
    const local: LocalCheck = { kind: 'no_keys', text: 'KZ1:X' };
    expect(combine(local, answer('invalid', { reason: 'expired', birth: null }))).toMatchObject({ verdict: 'invalid', reason: 'expired' });
    expect(combine(verified, answer('invalid', { reason: 'unknown_certificate', birth: null }))).toMatchObject({ verdict: 'invalid', reason: null, serverMessage: message, birth: null });
  });
});
