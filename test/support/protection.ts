import type { Actor } from '../../src/access/policy.ts';
import type { Scope } from '../../src/access/scopes.ts';
import type { Clock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db/types.ts';
import { type ProtectionDeps, protectionDepsFor } from '../../src/protection/deps.ts';

/** The protection module's dependencies for the Kazakhstan pack. */
export function protectionDeps(db: Db, clock: Clock): ProtectionDeps {
  return protectionDepsFor(db, clock, 'kz');
}

/** Astana's Yesil district, where the demo case workers sit; 71 is the whole city. */
export const yesil = '711300000';
export const astana = '710000000';
export const almaty = '750000000';

function user(id: string, roles: string[], scopes: Scope[], jurisdiction: string | null, officeId: string | null = 'kz-rgo-71-01'): Actor {
  return { kind: 'user', id, username: id, roles, scopes: new Set(scopes), jurisdiction, officeId, sessionId: `session-${id}` };
}

/** Case worker number n (a stable id per n), in a district. */
export function caseWorker(n = 1, jurisdiction = yesil): Actor {
  return user(`case-worker-${n}-${jurisdiction}`, ['case_worker'], ['protection.case.read', 'protection.case.write', 'record.read'], jurisdiction);
}

/** A protection supervisor of a region (Astana by default). */
export function supervisor(jurisdiction = astana, n = 1): Actor {
  return user(`supervisor-${n}-${jurisdiction}`, ['protection_supervisor'], ['protection.case.read', 'protection.case.write', 'protection.case.supervise', 'protection.bid.decide', 'record.read'], jurisdiction);
}

/** A registrar of a district: reads civil records there, never protection cases. */
export function districtRegistrar(jurisdiction = yesil): Actor {
  return user(`registrar-${jurisdiction}`, ['office_registrar'], ['birth.notify', 'birth.declare', 'birth.validate', 'birth.register', 'certificate.issue', 'record.read'], jurisdiction);
}

/**
 * A panel member for a best-interests determination: a user of the region who may sit on panels
 * (protection.bid.decide). The id is stable per profession; such users must also exist in the
 * users table when a use case looks them up (create them with createUser in the test).
 */
export function panelMember(profession: string, jurisdiction = astana): Actor {
  return user(`panel-${profession}`, ['protection_supervisor'], ['protection.case.read', 'protection.bid.decide'], jurisdiction);
}
