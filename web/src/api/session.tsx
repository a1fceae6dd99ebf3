import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { claimDevice, clearLocalData, refreshAssignedRecords } from '../features/offline/local-data.ts';
import { isLanguage, setLanguage } from '../i18n/index.ts';
import { api, ApiProblem, Offline, setCsrfToken } from './client.ts';

/** Who is signed in, as GET /auth/me says. */
export interface Me {
  kind: 'user' | 'client';
  id: string;
  username?: string;
  displayName?: string;
  roles: string[];
  scopes: string[];
  jurisdiction: string | null;
  officeId: string | null;
  language: string | null;
  /** The roles' names in each language (people only). */
  roleNames?: { id: string; name: { kk: string; ru: string; en: string } }[];
  /** A TOTP second factor is enrolled: changing how one signs in asks for a code too. */
  totpEnabled?: boolean;
  csrfToken?: string;
}

interface SessionValue {
  me: Me | null;
  loading: boolean;
  /** No connection and nothing known yet: the app shell still opens, offline. */
  offline: boolean;
  can(scope: string): boolean;
  /** Ask the server again who is signed in (after a sign-in step finished). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);
export const meQueryKey = ['auth', 'me'] as const;

async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('GET', '/auth/me');
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: meQueryKey,
    // Once someone is signed in, a 401 does not take the page away from them: the Shell's dialog
    // (opened by the 401) asks them to sign in again over the open form.
    queryFn: async () => (await fetchMe()) ?? queryClient.getQueryData<Me | null>(meQueryKey) ?? null,
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof Offline) && count < 2,
  });
  const me = query.data ?? null;

  useEffect(() => {
    setCsrfToken(me?.csrfToken);
    if (!me) return;
    // Another person signing in on this device never sees what the last one left offline.
    const claimed = claimDevice(me.id);
    if (isLanguage(me.language)) void setLanguage(me.language);
    if (!me.scopes.includes('record.read')) return;
    // My assigned records, kept to be read offline: now, and again whenever the connection returns.
    const keepMine = () => void claimed.then(refreshAssignedRecords);
    keepMine();
    window.addEventListener('online', keepMine);
    return () => window.removeEventListener('online', keepMine);
  }, [me]);

  // Opened with no connection, the app never learnt who is signed in; ask again when it returns
  // (the query library saw no change of connection, having assumed one from the start).
  const openedOffline = query.error instanceof Offline;
  useEffect(() => {
    if (!openedOffline) return;
    const again = () => void queryClient.invalidateQueries({ queryKey: meQueryKey });
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [openedOffline, queryClient]);

  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: meQueryKey });
  }, [queryClient]);

  const signOut = useCallback(async () => {
    try {
      await api('POST', '/auth/sign-out');
    } finally {
      setCsrfToken(undefined);
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
      await clearLocalData();
    }
  }, [queryClient]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      loading: query.isPending,
      offline: query.error instanceof Offline,
      can: (scope) => me?.scopes.includes(scope) ?? false,
      refresh,
      signOut,
    }),
    [me, query.isPending, query.error, refresh, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
