import { gunzipSync, gzipSync } from 'fflate';
import { CompactSign } from 'jose';
import { AppError } from '../core/errors.ts';
import type { CertificateDeps } from './issuance.ts';
import { currentSigner, type Signer } from './keys.ts';

/**
 * Revocation published in bulk as a W3C Bitstring Status List (VC Data Model 2.0): bit i of list n
 * is certificate number n × 131,072 + i, set when it is revoked (or its registration was). A
 * relying party downloads the list once and checks any number of certificates offline; the list
 * says nothing about who a certificate belongs to.
 */
export const statusListBits = 131_072;

export function statusListUrl(deps: Pick<CertificateDeps, 'publicUrl'>, list: number): string {
  return `${deps.publicUrl}/api/v1/certificates/status/${list}`;
}

/** Bit order as the specification has it: index 0 is the most significant bit of the first byte. */
export function encodeStatusList(revoked: Iterable<number>, bits = statusListBits): string {
  const bytes = new Uint8Array(bits / 8);
  for (const i of revoked) {
    if (i < 0 || i >= bits) throw new RangeError(`status index ${i} outside the list`);
    bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return `u${Buffer.from(gzipSync(bytes, { mtime: 0 })).toString('base64url')}`;
}

/** The bits of an encodedList (multibase base64url of GZIP), as a third party reads them. */
export function decodeStatusList(encoded: string): (index: number) => boolean {
  if (!encoded.startsWith('u')) throw new RangeError('an encodedList is multibase base64url: it starts with u');
  const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  return (index) => index >= 0 && index < bytes.length * 8 && ((bytes[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
}

export function statusListPosition(statusIndex: number): { list: number; index: number } {
  return { list: Math.floor(statusIndex / statusListBits), index: statusIndex % statusListBits };
}

/** A VC secured with JOSE (VC-JOSE-COSE): a compact JWS whose payload is the credential itself. */
export async function signCredential(credential: Record<string, unknown>, signer: Signer): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'vc+jwt', cty: 'vc' })
    .sign(signer.keyObject);
}

/** The status list credential `list`, signed with the current key. */
export async function statusListCredential(deps: CertificateDeps, list: number): Promise<{ credential: Record<string, unknown>; jwt: string }> {
  const { db, clock } = deps.births;
  const { rows: top } = await db.query<{ max: number | null }>('SELECT max(status_index)::int AS max FROM certificates');
  const lists = top[0]?.max === null || top[0]?.max === undefined ? 1 : statusListPosition(top[0].max).list + 1;
  if (!Number.isInteger(list) || list < 0 || list >= lists) {
    throw new AppError('not_found', `there is no status list ${list}`, { field: 'list', hint: `lists 0 to ${lists - 1} exist` });
  }
  const signer = await currentSigner(db, clock, deps.passphrase);
  const from = list * statusListBits;
  const { rows } = await db.query<{ i: number }>(
    `SELECT (c.status_index - $1)::int AS i FROM certificates c JOIN records r ON r.id = c.record_id
     WHERE c.status_index >= $1 AND c.status_index < $2 AND (c.revoked_at IS NOT NULL OR r.status = 'REVOKED')`,
    [from, from + statusListBits],
  );
  const url = statusListUrl(deps, list);
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: deps.publicUrl,
    validFrom: clock.now().toISOString(),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(rows.map((r) => r.i)),
    },
  };
  return { credential, jwt: await signCredential(credential, signer) };
}
