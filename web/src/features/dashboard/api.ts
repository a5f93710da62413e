import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { DashboardOverview } from '../../../../domain/dashboard.ts';
import { useDistrict } from '../../app/district.tsx';
import { api } from '../../lib/api.ts';
import type { Me } from '../auth/session.ts';

export type { DashboardOverview };

const overviewQuery = (districtId: number | undefined, orgId: number | undefined) => ({
  queryKey: ['dashboard', 'overview', districtId ?? null, orgId ?? null],
  queryFn: () => api<DashboardOverview>('GET', '/api/dashboard/overview', { query: { districtId, orgId } }),
  staleTime: 10_000,
});

/** The overview of an org's subtree (default: the account's own org, or the district root). */
export function useOverview(orgId: number | undefined, options: { enabled?: boolean; refetchMs?: number } = {}) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    ...overviewQuery(districtId, orgId),
    enabled: (options.enabled ?? true) && (!canChoose || districtId !== undefined),
    refetchInterval: options.refetchMs,
  });
}

/**
 * Starts the dashboard's own overview query before the first render (main.tsx, where the console lands; not for a
 * platform admin, whose dashboard asks for a chosen district): it takes the answer web/src/boot.ts asked for early,
 * and the figures can be in the cache by the time the dashboard first renders (issue 10).
 */
export function primeOverview(client: QueryClient, me: Me): void {
  if (me.account.role === 'platform_admin') return;
  void client.prefetchQuery(overviewQuery(undefined, undefined));
}
