import { Type } from 'typebox';
import { publishedKeySet } from '../../certificates/keys.ts';
import type { App, AppDeps } from '../types.ts';

const PublishedKey = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String({ description: 'the raw 32-byte Ed25519 public key, base64url' }),
  kid: Type.String({ description: 'hex of the first 8 bytes of SHA-256 of the raw public key: the COSE kid of the QR payloads it signed' }),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
  validFrom: Type.String({ format: 'date-time', description: 'from when the key may sign' }),
  validTo: Type.String({ format: 'date-time', description: 'until when the key may sign (its retirement, once retired)' }),
  retired: Type.Boolean({ description: 'no longer signs; kept so that what it signed still verifies' }),
});

const KeySet = Type.Object({
  issuer: Type.String({ description: 'the CWT issuer of the certificates these keys sign' }),
  keys: Type.Array(PublishedKey),
});

/**
 * Public halves only, and no personal data: verifiers (the verification page, offline readers,
 * other registries) may keep a copy for an hour and fetch it from any origin.
 */
const cacheable = 'public, max-age=3600';

/** The published key set, at the API and at a well-known URL a verifier can find from the host alone. */
export function registerCertificateKeyRoutes(app: App, deps: AppDeps): void {
  for (const url of ['/api/v1/certificates/keys', '/.well-known/tirkeu-keys.json']) {
    app.get(
      url,
      {
        config: { scope: 'public' },
        schema: {
          tags: ['certificates'],
          summary: 'The public keys that sign certificates and the action log, retired ones included (a JWKS-like key set)',
          hide: url.startsWith('/.well-known/'),
          response: { 200: KeySet },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', cacheable).header('access-control-allow-origin', '*');
        return publishedKeySet(deps.db);
      },
    );
  }
}
