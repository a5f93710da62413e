import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { MeSchema, Permission } from '../../../../domain/account.ts';
import { ApiError, api, setCsrfToken } from '../../lib/api.ts';

/** The logged-in account as /api/me and /api/auth/login answer it. */
export type Me = z.infer<typeof MeSchema>;

export const ME_KEY = ['me'] as const;

/** sessionStorage key of the reason the last session ended (shown once on the login page). */
export const SESSION_NOTICE_KEY = 'jingwei.sessionNotice';

/** Fetches /api/me; null when nobody is logged in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('GET', '/api/me', { silentSession: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

const ME_STALE_MS = 5 * 60_000;

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: ME_STALE_MS, retry: false });
}

/**
 * Fills in the session before the first render (main.tsx): the answer is usually there already (web/src/boot.ts
 * asked for it while the scripts loaded), and the auth gate then renders the console at once instead of a
 * spinner first (issue 10).
 */
export function primeSession(client: QueryClient): Promise<void> {
  return client.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: ME_STALE_MS, retry: false });
}

/** The session of a page rendered behind the auth gate (always present there). */
export function useSession(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useSession outside the auth gate');
  return data;
}

/** False while the account must first change its password or enrol a second factor (the auth gate shows only that). */
export function canSeeConsole(me: Me): boolean {
  return !me.account.mustChangePassword && !me.secondFactor.pending;
}

export function useCan(permission: Permission): boolean {
  const { data } = useMe();
  return data?.permissions.includes(permission) ?? false;
}

/** Stores a freshly returned session (login) in the cache. */
export function useSetSession() {
  const client = useQueryClient();
  return (me: Me | null) => {
    setCsrfToken(me?.csrfToken ?? null);
    if (!me) client.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    client.setQueryData(ME_KEY, me);
  };
}
