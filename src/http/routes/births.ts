import type { BirthDeps } from '../../births/workflow.ts';
import { AppError } from '../../core/errors.ts';
import type { App } from '../types.ts';
import { registerBirthDocumentRoutes } from './births-documents.ts';
import { registerBirthGapRoutes } from './births-gap.ts';
import { registerBirthNotificationRoutes } from './births-notifications.ts';
import { registerBirthWorkflowRoutes } from './births-workflow.ts';

/** The births API, one file per resource: notifications, the workflow, documents, the gap. */
export function registerBirthRoutes(app: App, deps: BirthDeps, limits: { uploadLimitBytes: number }): void {
  // Hospitals integrated with OpenCRVS or an HL7 BFDR system send FHIR as it is.
  app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError('validation_failed', 'the body is not valid JSON', { field: 'body' }), undefined);
    }
  });
  registerBirthNotificationRoutes(app, deps);
  registerBirthWorkflowRoutes(app, deps);
  registerBirthDocumentRoutes(app, deps, limits);
  registerBirthGapRoutes(app, deps);
}
