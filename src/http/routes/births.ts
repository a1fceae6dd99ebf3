import type { BirthDeps } from '../../births/workflow.ts';
import type { App } from '../types.ts';
import { registerBirthDocumentRoutes } from './births-documents.ts';
import { registerBirthGapRoutes } from './births-gap.ts';
import { registerBirthNotificationRoutes } from './births-notifications.ts';
import { registerBirthQueueRoutes } from './births-queues.ts';
import { registerBirthRequirementRoutes } from './births-requirements.ts';
import { registerBirthWorkflowRoutes } from './births-workflow.ts';

/** The births API, one file per resource: notifications, the workflow, documents, the gap, the work queues, the requirements. */
export function registerBirthRoutes(app: App, deps: BirthDeps, limits: { uploadLimitBytes: number }): void {
  registerBirthNotificationRoutes(app, deps);
  registerBirthWorkflowRoutes(app, deps);
  registerBirthDocumentRoutes(app, deps, limits);
  registerBirthGapRoutes(app, deps);
  registerBirthQueueRoutes(app, deps);
  registerBirthRequirementRoutes(app, deps);
}
