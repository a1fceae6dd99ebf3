import { Type } from 'typebox';
import { attachDocument, documentMediaTypes, readDocument } from '../../births/documents.ts';
import type { BirthDeps } from '../../births/workflow.ts';
import { AppError } from '../../core/errors.ts';
import { requestContext } from '../authenticate.ts';
import type { App } from '../types.ts';
import { BirthView, Id, idempotencyKey, tags, view } from './births-common.ts';

/** Supporting documents: upload (the file is the body) and read. */
export function registerBirthDocumentRoutes(app: App, deps: BirthDeps, limits: { uploadLimitBytes: number }): void {
  // Scans and photos arrive as they are; checkDocument reads the whole file, not only the label.
  app.addContentTypeParser([...documentMediaTypes], { parseAs: 'buffer', bodyLimit: limits.uploadLimitBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v1/births/:id/documents',
    {
      config: { scope: 'birth.declare' },
      bodyLimit: limits.uploadLimitBytes,
      schema: {
        tags,
        summary: 'Attach a supporting document (PDF, JPEG or PNG, as the request body) of a type the pack knows',
        params: Id,
        querystring: Type.Object({ type: Type.String({ maxLength: 60, description: 'e.g. medical_birth_certificate (pack.json birthRegistration.documentTypes)' }) }),
        response: {
          201: Type.Object({
            document: Type.Object({ id: Type.String(), type: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String() }),
            record: BirthView,
          }),
        },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError('validation_failed', 'send the document itself as the body', { field: 'content-type', hint: `one of: ${documentMediaTypes.join(', ')}` });
      }
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
      const result = await attachDocument(deps, request.params.id, { type: request.query.type, mediaType, content: request.body }, { actor: request.actor, idempotencyKey: idempotencyKey(request) });
      return reply.status(201).send({ document: result.document, record: view(deps, request.actor, result.record) });
    },
  );

  app.get(
    '/api/v1/births/:id/documents/:documentId',
    {
      config: { scope: 'record.read' },
      schema: { tags, summary: 'A supporting document, as uploaded, as a download (every read is audited)', params: Type.Object({ id: Type.String({ maxLength: 64 }), documentId: Type.String({ maxLength: 64 }) }) },
    },
    async (request, reply) => {
      const document = await readDocument(deps, request.params.id, request.params.documentId, request.actor, requestContext(request, deps));
      // A download, never rendered in the app's origin: an uploaded file cannot act as a page of tirkeu.
      const extension = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' }[document.mediaType] ?? 'bin';
      return reply
        .type(document.mediaType)
        .header('x-content-sha256', document.sha256)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${document.id}.${extension}"`)
        .send(document.content);
    },
  );
}
