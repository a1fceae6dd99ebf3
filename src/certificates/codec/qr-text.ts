import { Unzlib, zlibSync } from 'fflate';
import { decodeBase45, encodeBase45 } from './base45.ts';
import { type Bytes, plainBytes } from './bytes.ts';
import { CredentialError } from './errors.ts';

/** The prefix of tirkeu's QR payloads: country and payload version (the EU DCC uses HC1:). */
export const tirkeuQrPrefix = 'KZ1:';
/** Prefixes unwrapQrText removes: ours and the EU Digital COVID Certificate's. */
export const knownQrPrefixes = [tirkeuQrPrefix, 'HC1:'] as const;
/** A version 40 QR code holds at most 4296 alphanumeric characters: longer text did not come from one. */
export const maxQrTextLength = 4096;
/**
 * The most a payload may inflate to. A QR-sized zlib stream can inflate to megabytes (a
 * decompression bomb, megabytes of CBOR to walk); a real credential, even one with a small face
 * image as Claim 169 allows, is a few kilobytes.
 */
export const maxInflatedBytes = 65_536;

/** tirkeu's QR text for a COSE message: "KZ1:" + Base45(zlib(cose)), compressed at level 9. */
export function wrapQrText(cose: Uint8Array): string {
  return tirkeuQrPrefix + encodeBase45(zlibSync(plainBytes(cose), { level: 9 }));
}

/** How many "%20" a link may hold for every reading of them to be tried (2^n inflates at most). */
const maxPercentSpaces = 8;

/**
 * The COSE bytes of a QR text: a bare Base45 payload, one with a known prefix (KZ1:, HC1:), or a
 * link whose fragment is the payload (https://host/verify#KZ1:…). The text is never trimmed: a
 * space is a Base45 character. Base45 → zlib inflate; bytes without a zlib header are taken as
 * uncompressed CBOR, as EU DCC readers do. Throws too_large, bad_base45 or bad_compression.
 */
export function unwrapQrText(text: string): Bytes {
  if (text.length > maxQrTextLength) {
    throw new CredentialError('too_large', `the text has ${text.length} characters; no QR code holds more than ${maxQrTextLength}`);
  }
  const payload = payloadOf(text);
  try {
    return inflate(decodeBase45(payload));
  } catch (error) {
    // A browser percent-encodes the spaces of a link's fragment (location.hash reads "%20"), and
    // "%20" is also valid Base45, so the text cannot say which "%20" was a space. The original
    // decodes with a matching zlib checksum; a misread one almost never does. Try the spaces back
    // (all of them first, then fewer, for a payload that also held a real "%20"); keep the first error.
    const parts = payload.split('%20');
    const gaps = parts.length - 1;
    if (gaps === 0) throw error;
    const reading = (space: (gap: number) => boolean) => parts.reduce((text, part, i) => (i === 0 ? part : text + (space(i - 1) ? ' ' : '%20') + part), '');
    const readings = [reading(() => true)];
    // A payload holds ~1 space in 45 characters, so a real "%20" besides them is rare: every mix is tried only for a few.
    if (gaps <= maxPercentSpaces) for (let mask = 2 ** gaps - 2; mask > 0; mask--) readings.push(reading((gap) => (mask & (1 << gap)) !== 0));
    for (const candidate of readings) {
      try {
        return inflate(decodeBase45(candidate));
      } catch {
        // not this reading
      }
    }
    throw error;
  }
}

function payloadOf(text: string): string {
  let payload = text;
  if (/^https?:\/\//i.test(text)) {
    const hash = text.indexOf('#');
    if (hash < 0) throw new CredentialError('bad_base45', 'the link carries no payload: nothing follows "#"');
    payload = text.slice(hash + 1);
  }
  for (const prefix of knownQrPrefixes) if (payload.startsWith(prefix)) return payload.slice(prefix.length);
  return payload;
}

/** RFC 1950: compression method 8 (deflate), window ≤ 32 KiB, header check bits, no preset dictionary. */
function isZlibHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  const cmf = bytes[0]!;
  const flg = bytes[1]!;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}

function inflate(bytes: Bytes): Bytes {
  if (bytes.length === 0) throw new CredentialError('bad_base45', 'the payload is empty');
  if (!isZlibHeader(bytes)) return bytes;
  if (bytes.length < 6) throw new CredentialError('bad_compression', 'the zlib stream is truncated');
  const inflated = inflateBounded(bytes);
  // fflate drops the Adler-32 trailer unchecked; checking it catches a truncated or misread stream
  // that still happens to inflate.
  const n = bytes.length;
  const expected = ((bytes[n - 4]! << 24) | (bytes[n - 3]! << 16) | (bytes[n - 2]! << 8) | bytes[n - 1]!) >>> 0;
  if (adler32(inflated) !== expected) throw new CredentialError('bad_compression', 'the zlib checksum (Adler-32) does not match the inflated data');
  return plainBytes(inflated);
}

/** zlib inflate that stops as soon as the output passes maxInflatedBytes. */
function inflateBounded(bytes: Bytes): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > maxInflatedBytes) throw new CredentialError('too_large', `the payload inflates to more than ${maxInflatedBytes} bytes: no credential is that large`);
    chunks.push(chunk);
  });
  try {
    stream.push(bytes, true);
  } catch (error) {
    if (error instanceof CredentialError) throw error;
    throw new CredentialError('bad_compression', `the zlib stream does not inflate: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // Reduced every 5552 bytes as zlib does (NMAX): the sums stay small exact integers.
  for (let i = 0; i < bytes.length; i += 5552) {
    const end = Math.min(i + 5552, bytes.length);
    for (let j = i; j < end; j++) {
      a += bytes[j]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
