import { Decoder, Encoder, Tag } from 'cbor-x';
import { type Bytes, plainBytes, toBase64Url } from './bytes.ts';
import { CredentialError, type CredentialFailure } from './errors.ts';

/**
 * cbor-x configured as a plain RFC 8949 codec. Its defaults suit its own records, not COSE:
 * - mapsAsObjects false: every map is a Map, so integer keys (COSE labels 1, 4; CWT claims 1, 4,
 *   6; -260; 169; our -70001) stay integers instead of becoming the strings "1", "4"…
 * - useRecords false: no cbor-x record extension.
 * - tagUint8Array false: in Node, cbor-x would otherwise write tag 64 before every byte string,
 *   which COSE forbids (a protected header or a signature is a bare bstr).
 * - mapsAsObjects false also keeps cbor-x from writing tag 259 before encoded Maps.
 * Unknown tags (18 COSE_Sign1, 61 CWT) decode to cbor-x `Tag` objects.
 */
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
const encoder = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false });

export { Tag };

/** Decodes exactly one CBOR item (trailing bytes are an error); any failure is `reason` (bad_cbor unless told). */
export function decodeCbor(bytes: Uint8Array, what: string, reason: CredentialFailure = 'bad_cbor'): unknown {
  // A plain Uint8Array source makes cbor-x return byte strings as Uint8Array, not Node Buffers.
  const source = plainBytes(bytes);
  if (source.length === 0) throw new CredentialError(reason, `${what} is empty`);
  try {
    return decoder.decode(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CredentialError(reason, `${what} is not valid CBOR: ${detail}`, { cause: error });
  }
}

/** Encodes a value (Maps, arrays, strings, integers, byte arrays, Tags) as a plain Uint8Array. */
export function encodeCbor(value: unknown): Bytes {
  // cbor-x returns a Buffer in Node, possibly a view into its reusable buffer: copy it out.
  return plainBytes(encoder.encode(value));
}

export function isByteString(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** The JSON form of decoded CBOR, as VerifiedCredential.claims carries it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deeper than this is no credential anyone issues; refusing it keeps the conversion off the stack limit. */
const maxDepth = 64;

/**
 * Decoded CBOR as plain JSON values: maps become objects (keys as text: -260 → "-260"), byte
 * strings base64url text, tags { tag, value }, dates (tags 0, 1) ISO text, big integers decimal
 * text, non-finite floats text. Throws a CredentialError(`reason`) on nesting deeper than 64.
 */
export function toJsonValue(value: unknown, reason: CredentialFailure = 'bad_claims', depth = 0): JsonValue {
  if (depth > maxDepth) throw new CredentialError(reason, `decoded data is nested more than ${maxDepth} levels deep`);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    default:
      break;
  }
  if (value instanceof Uint8Array) return toBase64Url(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (n) => toJsonValue(n, reason, depth + 1));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Tag) return object([['tag', value.tag], ['value', toJsonValue(value.value, reason, depth + 1)]]);
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, reason, depth + 1));
  if (value instanceof Set) return [...value].map((item) => toJsonValue(item, reason, depth + 1));
  if (value instanceof Map) {
    return object([...value].map(([key, item]) => [keyText(key, reason, depth), toJsonValue(item, reason, depth + 1)]));
  }
  if (typeof value === 'object') {
    return object(Object.entries(value).map(([key, item]) => [key, toJsonValue(item, reason, depth + 1)]));
  }
  throw new CredentialError(reason, `decoded data holds a value of unexpected type ${typeof value}`);
}

function keyText(key: unknown, reason: CredentialFailure, depth: number): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') return String(key);
  return JSON.stringify(toJsonValue(key, reason, depth + 1));
}

/** An object from entries, safe for any key (a "__proto__" key becomes a plain property). */
function object(entries: [string, JsonValue][]): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}
