import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Account } from '../../../../domain/account.ts';
import type {
  CapacityStatus,
  CoverageSchema,
  Grid,
  GridImportResultSchema,
  GridKind,
  GridWriteResultSchema,
} from '../../../../domain/grid.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';

export type { Grid };
export type GridWriteResult = z.infer<typeof GridWriteResultSchema>;
export type Coverage = z.infer<typeof CoverageSchema>;
export type ImportResult = z.infer<typeof GridImportResultSchema>;

/** The list filters, named as the API's query parameters. */
export type GridFilters = {
  townId?: number;
  villageId?: number;
  orgId?: number;
  kind?: GridKind;
  state?: CapacityStatus;
  fourOnes?: 'complete' | 'incomplete';
  active?: 'true' | 'false' | 'all';
  q?: string;
};

export const gridKeys = {
  all: ['grids'] as const,
  list: (districtId: number | undefined, params: object) => ['grids', 'list', districtId ?? null, params] as const,
  map: (districtId: number | undefined, params: object) => ['grids', 'map', districtId ?? null, params] as const,
  one: (id: number) => ['grids', 'one', id] as const,
  coverage: (districtId: number | undefined, orgId: number) =>
    ['grids', 'coverage', districtId ?? null, orgId] as const,
};

export function useGridList(filters: GridFilters & { page: number; pageSize: number }) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: gridKeys.list(districtId, filters),
    queryFn: () => api<Page<Grid>>('GET', '/api/grids', { query: { districtId, ...filters } }),
    enabled: !canChoose || districtId !== undefined,
    placeholderData: keepPreviousData,
  });
}

/** Every matching grid with its polygon, for a map (at most 2,000: a whole district). */
export function useGridMap(filters: GridFilters, enabled = true) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: gridKeys.map(districtId, filters),
    queryFn: () =>
      api<Page<Grid>>('GET', '/api/grids', {
        query: { districtId, ...filters, withBoundary: true, pageSize: 2000 },
      }),
    enabled: enabled && (!canChoose || districtId !== undefined),
    staleTime: 15_000,
    placeholderData: keepPreviousData,
  });
}

export function useGrid(id: number | null) {
  return useQuery({
    queryKey: gridKeys.one(id ?? 0),
    queryFn: () => api<Grid>('GET', `/api/grids/${id}`),
    enabled: id !== null,
  });
}

export function useCoverage(orgId: number | undefined) {
  const { districtId } = useDistrict();
  return useQuery({
    queryKey: gridKeys.coverage(districtId, orgId ?? 0),
    queryFn: () => api<Coverage>('GET', '/api/grids/coverage', { query: { districtId, orgId } }),
    enabled: orgId !== undefined,
  });
}

/** Accounts of the caller's scope matching `q`, for the leader and contact pickers. */
export function useAccountSearch(q: string, enabled: boolean) {
  const { districtId } = useDistrict();
  return useQuery({
    queryKey: ['accounts', 'pick', districtId ?? null, q],
    queryFn: () => api<Page<Account>>('GET', '/api/accounts', { query: { districtId, q, pageSize: 20 } }),
    enabled,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}
