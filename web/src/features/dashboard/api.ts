import { useQuery } from '@tanstack/react-query';
import type { DashboardOverview } from '../../../../domain/dashboard.ts';
import { useDistrict } from '../../app/district.tsx';
import { api } from '../../lib/api.ts';

export type { DashboardOverview };

/** The overview of an org's subtree (default: the account's own org, or the district root). */
export function useOverview(orgId: number | undefined, options: { enabled?: boolean; refetchMs?: number } = {}) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: ['dashboard', 'overview', districtId ?? null, orgId ?? null],
    queryFn: () => api<DashboardOverview>('GET', '/api/dashboard/overview', { query: { districtId, orgId } }),
    enabled: (options.enabled ?? true) && (!canChoose || districtId !== undefined),
    refetchInterval: options.refetchMs,
    staleTime: 10_000,
  });
}
