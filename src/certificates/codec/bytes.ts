/**
 * Byte helpers with Web APIs only (no Buffer: the codec runs in browsers). Every byte array the
 * codec returns is a plain Uint8Array over its own ArrayBuffer: libraries may hand back a Node
 * Buffer or a view into a larger (reused) buffer, and WebCrypto's types want an ArrayBuffer.
 */
export type Bytes = Uint8Array<ArrayBuffer>;

/** A fresh plain Uint8Array copy of any byte view (a Buffer, a subarray of a shared buffer…). */
export function plainBytes(view: ArrayBufferView): Bytes {
  const copy = new Uint8Array(view.byteLength);
  copy.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return copy;
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Hex (either case) to bytes; throws on odd length or a non-hex character. */
export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('not a hex string');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const base64UrlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 4648 §5), as JWKs carry keys. */
export function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    text += base64UrlAlphabet[b0 >> 2]! + base64UrlAlphabet[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]!;
    if (b1 !== undefined) text += base64UrlAlphabet[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]!;
    if (b2 !== undefined) text += base64UrlAlphabet[b2 & 63]!;
  }
  return text;
}

/** base64url without padding to bytes; refuses padding, other characters and non-zero trailing bits. */
export function fromBase64Url(text: string): Bytes {
  if (text.length % 4 === 1) throw new Error('not base64url: impossible length');
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let bitCount = 0;
  let out = 0;
  for (const char of text) {
    const value = base64UrlAlphabet.indexOf(char);
    if (value < 0) throw new Error(`not base64url: character ${JSON.stringify(char)}`);
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[out++] = (bits >> bitCount) & 0xff;
    }
  }
  // Leftover bits must be zero, so each byte string has exactly one encoding.
  if ((bits & ((1 << bitCount) - 1)) !== 0) throw new Error('not base64url: non-zero trailing bits');
  return bytes;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Bytes {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
