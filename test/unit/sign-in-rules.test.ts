import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword, contextWords, type PasswordContext } from '../../src/access/password-rules.ts';
import { addressKey, lockMsForAttempt, lockoutPolicy, usernameKey } from '../../src/access/throttle.ts';
import { isAppError } from '../../src/core/errors.ts';

const context: PasswordContext = {
  username: 'aliya.s',
  displayName: 'Aliya Seitkali',
  placeNames: ['Astana', 'Астана', 'Karaganda Region', 'Қарағанды облысы'],
  field: 'newPassword',
};

async function rule(password: string, c: PasswordContext = context): Promise<string | undefined> {
  try {
    await checkPassword(password, c);
    return undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.details.field).toBe(c.field);
    expect(error.message.startsWith(`${c.field}: `)).toBe(true);
    return error.details.rule as string;
  }
}

describe('password rules', () => {
  it('refuses long passwords that attackers try first, naming the field', async () => {
    for (const password of ['Password123!', 'Qwerty123456!', 'Welcome12345', 'iloveyou1234']) {
      expect(await rule(password), password).toBe('guessable');
      expect(await rule(password, { ...context, field: 'password' }), password).toBe('guessable');
    }
  });

  it('keeps the shipped blocklist, the username and repetition rules', async () => {
    expect(await rule('password1234')).toBe('common');
    expect(await rule('my name is aliya.s here')).toBe('contains_username');
    expect(await rule('abababababab')).toBe('repetitive');
    expect(await rule('short one')).toBe('too_short');
  });

  it('refuses passwords that are little more than context words', async () => {
    expect(await rule('Seitkali.Karaganda.1990')).toBe('context');
    expect(await rule('tirkeu-tirkeu-2026')).toBe('context');
    expect(await rule('Astana!Astana!2026')).toBe('context');
    expect(await rule('Karaganda winters taught me patience')).toBeUndefined();
  });

  it('accepts long unrelated phrases', async () => {
    expect(await rule('steppe horses run at dawn')).toBeUndefined();
    expect(await rule('copper kettles sing at noon')).toBeUndefined();
  });

  it('takes context words from names and places, leaving out generic ones', () => {
    const words = contextWords(context);
    expect(words).toEqual(expect.arrayContaining(['aliya', 'seitkali', 'tirkeu', 'astana', 'астана', 'karaganda', 'қарағанды']));
    expect(words).not.toContain('region');
    expect(words).not.toContain('облысы');
  });
});

describe('lockout policy', () => {
  it('lets the first attempts through free, then locks for 30 s doubling up to an hour', () => {
    expect([1, 2, 3, 4].map(lockMsForAttempt)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7].map(lockMsForAttempt)).toEqual([30_000, 60_000, 120_000]);
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 10_000 }), (n) => {
        const ms = lockMsForAttempt(n);
        return ms >= lockoutPolicy.firstLockMs && ms <= lockoutPolicy.maxLockMs && lockMsForAttempt(n + 1) >= ms;
      }),
    );
  });

  it('keys a username the same however it is typed, without keeping it in clear', () => {
    expect(usernameKey(' Aliya.S ')).toBe(usernameKey('aliya.s'));
    expect(usernameKey('aliya.s')).not.toContain('aliya');
  });

  it('throttles IPv4 addresses one by one and IPv6 by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:DB8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:0db8:0001:0002::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('::1')).toBe('0000:0000:0000:0000::/64');
    expect(addressKey('64:ff9b::203.0.113.7')).toBe('0064:ff9b:0000:0000::/64');
  });
});
