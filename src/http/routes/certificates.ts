import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { CertificateCollector, CertificateKind, CertificateSerial } from '../../births/record.ts';
import { exportCredential } from '../../certificates/credential.ts';
import { type CertificateDeps, issueCertificate, issuedCertificatePdf, listIssuances, previewCertificate, revokeCertificate } from '../../certificates/issuance.ts';
import { statusListCredential } from '../../certificates/status-list.ts';
import { verifyCertificate } from '../../certificates/verification.ts';
import { VerifyLimiter } from '../../certificates/verify-limit.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { BirthView, Id, idempotencyKey, Version, view } from './births-common.ts';

const tags = ['certificates'];
const Serial = Type.Object({ serial: CertificateSerial });
const Localised = Type.Object({ kk: Type.String(), ru: Type.String(), en: Type.String() });

const Issuance = Type.Object({
  serial: Type.String(),
  kind: CertificateKind,
  issuedAt: Type.String(),
  issuedBy: Type.String({ description: 'the name of who issued it' }),
  officeId: Type.Union([Type.String(), Type.Null()]),
  delivery: Type.Union([Type.Literal('in_person'), Type.Literal('electronic')]),
  collector: Type.Union([CertificateCollector, Type.Null()]),
  status: Type.Union([Type.Literal('valid'), Type.Literal('superseded'), Type.Literal('revoked')]),
  supersededOn: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  revocationReason: Type.Union([Type.String(), Type.Null()]),
});

const IssueBody = Type.Object({
  kind: CertificateKind,
  version: Version,
  delivery: Type.Union([Type.Literal('in_person'), Type.Literal('electronic')]),
  collector: Type.Optional(
    Type.Object({
      name: Type.String({ minLength: 1, maxLength: 200 }),
      relationship: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
      documentType: Type.String({ minLength: 1, maxLength: 100 }),
      documentNumber: Type.String({ minLength: 1, maxLength: 60 }),
    }),
  ),
});

const BirthClaimsView = Type.Unknown({ description: 'the facts the QR code certifies: serial, kind, registration number, IIN, names, date and place of birth, issue date' });

const VerifyResultView = Type.Object({
  verdict: Type.Union([Type.Literal('valid'), Type.Literal('superseded'), Type.Literal('revoked'), Type.Literal('invalid')]),
  reason: Type.Union([Type.String(), Type.Null()]),
  message: Localised,
  birth: BirthClaimsView,
  keyId: Type.Union([Type.String(), Type.Null()]),
  statusDate: Type.Union([Type.String(), Type.Null()]),
});

const pdf = (reply: FastifyReply, bytes: Uint8Array, name: string) =>
  reply.type('application/pdf').header('cache-control', 'no-store').header('content-disposition', `inline; filename="${name}.pdf"`).send(Buffer.from(bytes));

/** Issuing, printing, revoking and verifying certificates; the status list and the credential export. */
export function registerCertificateRoutes(app: App, deps: CertificateDeps): void {
  const births = deps.births;
  const limiter = new VerifyLimiter();

  app.get(
    '/api/v1/births/:id/certificates',
    { config: { scope: 'record.read' }, schema: { tags, summary: 'The certificates issued for a birth, newest first, each with its status now (audited)', params: Id, response: { 200: Type.Object({ items: Type.Array(Issuance) }) } } },
    async (request) => ({ items: await listIssuances(deps, request.params.id, request.actor, requestContext(request, births)) }),
  );

  app.get(
    '/api/v1/births/:id/certificates/preview',
    {
      config: { scope: 'certificate.issue' },
      schema: { tags, summary: 'A preview of the certificate as it would print now: marked PREVIEW, no serial, no QR code', params: Id, querystring: Type.Object({ kind: Type.Optional(CertificateKind) }) },
    },
    async (request, reply) => pdf(reply, await previewCertificate(deps, request.params.id, request.query.kind ?? 'birth_certificate', request.actor, requestContext(request, births)), 'preview'),
  );

  app.post(
    '/api/v1/births/:id/certificates',
    {
      config: { scope: 'certificate.issue' },
      schema: {
        tags,
        summary: 'Issue a certificate (first, reprint, certified copy or extract): a new serial and signed QR code; in person names who collected it and the ID they showed',
        params: Id,
        body: IssueBody,
        response: { 201: Type.Object({ issuance: Issuance, record: BirthView }) },
      },
    },
    async (request, reply) => {
      const { kind, delivery, collector, version } = request.body;
      const result = await issueCertificate(deps, request.params.id, { kind, delivery, collector }, { actor: request.actor, idempotencyKey: idempotencyKey(request), expectedVersion: version });
      return reply.status(201).send({ issuance: result.issuance, record: view(births, request.actor, result.record) });
    },
  );

  app.get(
    '/api/v1/certificates/:serial/pdf',
    { config: { scope: 'certificate.issue' }, schema: { tags, summary: 'The PDF of an issued certificate, to print: the same paper each time (audited)', params: Serial } },
    async (request, reply) => pdf(reply, await issuedCertificatePdf(deps, request.params.serial, request.actor, requestContext(request, births)), request.params.serial),
  );

  app.get(
    '/api/v1/certificates/:serial/credential',
    {
      config: { scope: 'certificate.issue' },
      schema: { tags, summary: 'The certificate as a W3C Verifiable Credential 2.0 secured with JOSE (application/vc+jwt; ?format=json for the credential unsigned, to read)', params: Serial, querystring: Type.Object({ format: Type.Optional(Type.Literal('json')) }) },
    },
    async (request, reply) => {
      const { credential, jwt } = await exportCredential(deps, request.params.serial, request.actor, requestContext(request, births));
      reply.header('cache-control', 'no-store');
      return request.query.format === 'json' ? reply.type('application/vc+ld+json').send(credential) : reply.type('application/vc+jwt').send(jwt);
    },
  );

  app.post(
    '/api/v1/certificates/:serial/revoke',
    { config: { scope: 'certificate.issue' }, schema: { tags, summary: 'Revoke a certificate (lost, stolen, issued in error), saying why', params: Serial, body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }), response: { 200: Issuance } } },
    async (request) => revokeCertificate(deps, request.params.serial, { actor: request.actor, idempotencyKey: idempotencyKey(request), reason: request.body.reason }),
  );

  app.post(
    '/api/v1/certificates/verify',
    {
      config: { scope: 'public' },
      schema: {
        tags,
        summary: 'Verify a certificate’s QR payload: the signature against the published keys, then its status (valid, superseded, revoked). Rate-limited per address.',
        body: Type.Object({ payload: Type.String({ minLength: 1, maxLength: 8192, description: 'the text of the QR code (KZ1:…, or the verification link)' }) }),
        response: { 200: VerifyResultView },
      },
    },
    async (request) => verifyCertificate(deps, request.body.payload, { address: request.ip ?? 'unknown', limiter }),
  );

  app.get(
    '/api/v1/certificates/status/:list',
    {
      config: { scope: 'public' },
      schema: { tags, summary: 'A revocation status list (W3C Bitstring Status List, application/vc+jwt; ?format=json unsigned, to read)', params: Type.Object({ list: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }), querystring: Type.Object({ format: Type.Optional(Type.Literal('json')) }) },
    },
    async (request, reply) => {
      const { credential, jwt } = await statusListCredential(deps, request.params.list);
      reply.header('cache-control', 'public, max-age=300');
      return request.query.format === 'json' ? reply.type('application/vc+ld+json').send(credential) : reply.type('application/vc+jwt').send(jwt);
    },
  );
}
