import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditLine } from '../../../../src/access/audit.ts';
import type { ApiClient } from '../../../../src/access/clients.ts';
import type { RoleView } from '../../../../src/access/roles.ts';
import type { Scope } from '../../../../src/access/scopes.ts';
import type { User } from '../../../../src/access/users.ts';
import { api, ApiProblem } from '../../api/client.ts';
import { isLanguage } from '../../i18n/index.ts';

/** The administration API's answers, as its routes serialise them (instants as ISO strings). */
export type UserView = Omit<User, 'createdAt' | 'language'> & { createdAt: string };
export type ClientView = Omit<ApiClient, 'createdAt'>;
export type AuditLineView = Omit<AuditLine, 'at'> & { at: string };
export interface Page<T, C> {
  items: T[];
  next: C | null;
}

type Names = { kk: string; ru: string; en: string };
interface Place {
  kato: string;
  name: Names;
}
export interface Office {
  id: string;
  kato: string;
  name: Names;
}

/** Reference data changes with a deployment, not while a screen is open. */
const reference = { staleTime: Infinity, gcTime: Infinity } as const;

export const adminKeys = {
  users: ['admin', 'users'] as const,
  clients: ['admin', 'clients'] as const,
};

/** A name in the language the user reads, from the pack's three. */
export function useLocalName(): (names: Names | undefined, fallback: string) => string {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  return (names, fallback) => names?.[language] ?? fallback;
}

export function useRoles() {
  return useQuery({
    queryKey: ['admin', 'roles'],
    queryFn: () => api<{ roles: RoleView[]; clientScopes: Scope[] }>('GET', '/roles'),
    ...reference,
  });
}

/** A role's name in the user's language; an id the pack no longer has stays as it is. */
export function useRoleName(): (id: string) => string {
  const roles = useRoles();
  const local = useLocalName();
  return (id) => local(roles.data?.roles.find((r) => r.id === id)?.name, id);
}

export function useOffices(within: string | null | undefined) {
  return useQuery({
    queryKey: ['admin', 'offices', within ?? null],
    queryFn: () => api<{ items: Office[] }>('GET', '/offices', { query: { within: within ?? undefined } }),
    ...reference,
  });
}

export function useFacilities() {
  return useQuery({ queryKey: ['admin', 'facilities'], queryFn: () => api<{ items: Office[] }>('GET', '/facilities'), ...reference });
}

/** Names of the places a table shows, one request per distinct code, each cached for the session. */
export function usePlaceNames(katos: (string | null)[]): (kato: string | null) => string {
  const { t } = useTranslation('admin');
  const local = useLocalName();
  const distinct = [...new Set(katos.filter((k): k is string => k !== null))];
  const answers = useQueries({
    queries: distinct.map((kato) => ({ queryKey: ['admin', 'place', kato], queryFn: () => api<Place>('GET', `/places/${kato}`), ...reference })),
  });
  return (kato) => {
    if (kato === null) return t('wholeCountry');
    return local(answers[distinct.indexOf(kato)]?.data?.name, kato);
  };
}

/** The server said this reader may not use the screen at all (a missing scope, or a regional reader of the national audit). */
export function isRefused(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 403;
}
