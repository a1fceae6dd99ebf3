import type { Me } from '../../api/session.tsx';

/** The scopes of those who work from the registry's queues. */
const registryScopes = ['birth.declare', 'birth.validate', 'birth.register', 'correction.approve'];

/**
 * Where someone lands after signing in: the screen they were sent away from (kept in router state
 * by RequireSignIn), else the one their work starts from.
 */
export function startPage(me: Me, from: unknown): string {
  if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== '/' && from !== '/sign-in') return from;
  if (registryScopes.some((scope) => me.scopes.includes(scope))) return '/queues';
  if (me.scopes.includes('birth.notify')) return '/notifications';
  if (me.scopes.includes('user.manage')) return '/admin/users';
  return '/account';
}
