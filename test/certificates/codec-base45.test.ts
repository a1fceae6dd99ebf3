/** Base45 (RFC 9285): the RFC's own examples, the refusals §4.2 requires, and properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base45Alphabet, decodeBase45, encodeBase45 } from '../../src/certificates/codec/base45.ts';
import { CredentialError } from '../../src/certificates/codec/errors.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function reasonOf(input: string): string | undefined {
  try {
    decodeBase45(input);
    return undefined;
  } catch (error) {
    return error instanceof CredentialError ? error.reason : 'not a CredentialError';
  }
}

describe('Base45', () => {
  it('encodes and decodes the examples of RFC 9285 §4.3 and §4.4', () => {
    expect(encodeBase45(utf8('AB'))).toBe('BB8');
    expect(encodeBase45(utf8('Hello!!'))).toBe('%69 VD92EX0');
    expect(encodeBase45(utf8('base-45'))).toBe('UJCLQE7W581');
    expect(text(decodeBase45('QED8WEX0'))).toBe('ietf!');
    expect(text(decodeBase45('%69 VD92EX0'))).toBe('Hello!!');
    expect(encodeBase45(new Uint8Array(0))).toBe('');
    expect(decodeBase45('')).toEqual(new Uint8Array(0));
  });

  it('refuses a character outside the alphabet, lower case included', () => {
    expect(reasonOf('BB8=')).toBe('bad_base45');
    expect(reasonOf('bb8')).toBe('bad_base45');
    expect(reasonOf('BB\u00e9')).toBe('bad_base45');
  });

  it('refuses a dangling single character', () => {
    expect(reasonOf('B')).toBe('bad_base45');
    expect(reasonOf('BB8B')).toBe('bad_base45');
  });

  it('refuses a triple above 65535 ("GGW" is 65536, RFC 9285 §6) and a final pair above 255', () => {
    expect(reasonOf('GGW')).toBe('bad_base45');
    expect(reasonOf('FGW')).toBeUndefined(); // 65535
    expect(reasonOf('::')).toBe('bad_base45'); // 44 + 44·45
    expect(reasonOf('U5')).toBeUndefined(); // 30 + 5·45 = 255
    expect(reasonOf('V5')).toBe('bad_base45'); // 256
  });

  it('round-trips any bytes, with only alphabet characters, 3 per 2 bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encodeBase45(bytes);
        expect(encoded.length).toBe(Math.floor(bytes.length / 2) * 3 + (bytes.length % 2) * 2);
        expect([...encoded].every((c) => base45Alphabet.includes(c))).toBe(true);
        expect(decodeBase45(encoded)).toEqual(bytes);
      }),
    );
  });

  it('any text either fails bad_base45 or is the one encoding of what it decodes to (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...base45Alphabet, 'a', '=', 'Ә'), maxLength: 40 }), (input) => {
        let bytes: Uint8Array;
        try {
          bytes = decodeBase45(input);
        } catch (error) {
          expect((error as CredentialError).reason).toBe('bad_base45');
          return;
        }
        expect(encodeBase45(bytes)).toBe(input);
      }),
    );
  });
});
