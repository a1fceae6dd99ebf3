import type { Bytes } from './bytes.ts';
import { CredentialError } from './errors.ts';

/**
 * Base45 (RFC 9285): two bytes as three characters of the QR alphanumeric alphabet, so a QR code
 * stores the payload in alphanumeric mode (5.5 bits a character instead of 8). Written here
 * because the npm `base45` package accepts malformed input and needs Node's Buffer.
 */
export const base45Alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const valueOf = new Map<string, number>([...base45Alphabet].map((char, i) => [char, i]));

export function encodeBase45(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    text += base45Alphabet[c]! + base45Alphabet[d]! + base45Alphabet[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    text += base45Alphabet[n % 45]! + base45Alphabet[Math.floor(n / 45)]!;
  }
  return text;
}

/**
 * Refuses what RFC 9285 §4.2 says a decoder must: a character outside the alphabet (lower case
 * too), a dangling single character, a triple above 65535 and a final pair above 255 (which
 * would otherwise wrap into a different byte and make two texts decode alike).
 */
export function decodeBase45(text: string): Bytes {
  if (text.length % 3 === 1) {
    throw new CredentialError('bad_base45', `Base45 text of ${text.length} characters ends with a dangling single character`);
  }
  const bytes = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let out = 0;
  for (let i = 0; i < text.length; i += 3) {
    const group = text.slice(i, i + 3);
    let n = 0;
    let weight = 1;
    for (let j = 0; j < group.length; j++) {
      const value = valueOf.get(group[j]!);
      if (value === undefined) {
        throw new CredentialError(
          'bad_base45',
          `character ${JSON.stringify(group[j])} at position ${i + j} is not in the Base45 alphabet`,
        );
      }
      n += value * weight;
      weight *= 45;
    }
    if (group.length === 3) {
      if (n > 0xffff) throw new CredentialError('bad_base45', `Base45 group ${JSON.stringify(group)} at position ${i} exceeds 65535`);
      bytes[out++] = n >> 8;
      bytes[out++] = n & 0xff;
    } else {
      if (n > 0xff) throw new CredentialError('bad_base45', `final Base45 pair ${JSON.stringify(group)} exceeds 255`);
      bytes[out++] = n;
    }
  }
  return bytes;
}
