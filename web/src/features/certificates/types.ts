/**
 * What the certificate routes answer (src/http/routes/certificates*.ts, the contract of issue 10).
 * The claims a QR code certifies come from the codec's own type, so a change there shows here.
 */
import type { BirthClaims, CredentialFailure } from './codec.ts';

export type { BirthClaims, CredentialFailure };

export const certificateKinds = ['birth_certificate', 'certified_copy', 'extract'] as const;
export type CertificateKind = (typeof certificateKinds)[number];

export type Delivery = 'in_person' | 'electronic';

export interface Collector {
  name: string;
  relationship: string | null;
  documentType: string;
  documentNumber: string;
}

/** One issuance of a certificate (GET /births/:id/certificates, newest first). */
export interface Issuance {
  serial: string;
  kind: CertificateKind;
  issuedAt: string;
  issuedBy: string;
  officeId: string;
  delivery: Delivery;
  collector: Collector | null;
  status: 'valid' | 'superseded' | 'revoked';
  supersededOn: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
}

export type ServerVerdict = 'valid' | 'superseded' | 'revoked' | 'invalid';

/** POST /certificates/verify: the registry's word on one payload (public, rate-limited). */
export interface VerifyAnswer {
  verdict: ServerVerdict;
  /** A codec failure, 'revoked', 'superseded', or a reason of the registry's own (e.g. a certificate it has no record of). */
  reason: string | null;
  message: { kk: string; ru: string; en: string };
  birth: BirthClaims | null;
  keyId: string | null;
  statusDate: string | null;
}
