import type { ProtectionDeps } from '../../protection/deps.ts';
import type { App } from '../types.ts';
import { registerProtectionBidRoutes } from './protection-bids.ts';
import { registerProtectionCaseRoutes } from './protection-cases.ts';
import { registerProtectionReferralRoutes } from './protection-referrals.ts';
import { registerProtectionReportRoutes } from './protection-reports.ts';
import { registerProtectionTracingRoutes } from './protection-tracing.ts';

/** Child protection: the referral inbox, cases, best-interests determinations, family tracing. */
export function registerProtectionRoutes(app: App, deps: ProtectionDeps): void {
  registerProtectionReferralRoutes(app, deps);
  registerProtectionCaseRoutes(app, deps);
  registerProtectionBidRoutes(app, deps);
  registerProtectionTracingRoutes(app, deps);
  registerProtectionReportRoutes(app, deps);
}
