/**
 * Every permission the code checks. Roles (country-pack data) are named sets of these; a route
 * or use case names the one it needs. Adding a scope here is how a new permission comes to exist.
 */
export const scopes = [
  'birth.notify',
  'birth.declare',
  'birth.validate',
  'birth.register',
  'certificate.issue',
  'correction.approve',
  'record.read',
  'statistics.read',
  'protection.case.read',
  'protection.case.write',
  'protection.case.supervise',
  'protection.bid.decide',
  'benefits.ledger.read',
  'user.manage',
  'audit.read',
  'system.admin',
] as const;

export type Scope = (typeof scopes)[number];

/** What a route may declare: a scope, 'public' (anyone), or 'signed-in' (any authenticated actor). */
export type RouteScope = Scope | 'public' | 'signed-in';

export function isScope(value: string): value is Scope {
  return (scopes as readonly string[]).includes(value);
}

/**
 * Scopes that act on accounts, clients or the audit: only people hold them. A pack cannot allow
 * them to API clients, so a leaked client secret can never create accounts or further clients.
 */
export const neverForMachines: readonly Scope[] = ['user.manage', 'audit.read', 'system.admin'];
