import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Cadre,
  CadreDetail,
  CadrePost,
  ContactCoverage,
  ContactLogListSchema,
  Visit,
  VisitSettingsSchema,
  VisitTargetKind,
} from '../../../../domain/cadre.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';

export type { Cadre, CadreDetail, ContactCoverage, Visit };
export type ContactLogList = z.infer<typeof ContactLogListSchema>;
export type VisitSettings = z.infer<typeof VisitSettingsSchema>;

export const cadreKeys = {
  all: ['cadres'] as const,
  list: (d: number | undefined, p: object) => ['cadres', 'list', d ?? null, p] as const,
  one: (id: number) => ['cadres', 'one', id] as const,
  logs: (id: number) => ['cadres', 'logs', id] as const,
  coverage: (d: number | undefined, orgId?: number) => ['cadres', 'coverage', d ?? null, orgId ?? null] as const,
  visits: (d: number | undefined, p: object) => ['visits', 'list', d ?? null, p] as const,
  visitSettings: (d: number | undefined) => ['visits', 'settings', d ?? null] as const,
};

function useReady() {
  const { districtId, canChoose } = useDistrict();
  return { districtId, ready: !canChoose || districtId !== undefined };
}

export function useCadres(f: { orgId?: number; post?: CadrePost; q?: string; page: number; pageSize: number }) {
  const { districtId, ready } = useReady();
  return useQuery({
    queryKey: cadreKeys.list(districtId, f),
    queryFn: () => api<Page<Cadre>>('GET', '/api/cadres', { query: { districtId, ...f } }),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
}

export function useCadre(id: number) {
  return useQuery({ queryKey: cadreKeys.one(id), queryFn: () => api<CadreDetail>('GET', `/api/cadres/${id}`) });
}

export function useContactLogs(id: number) {
  return useQuery({
    queryKey: cadreKeys.logs(id),
    queryFn: () => api<ContactLogList>('GET', `/api/cadres/${id}/contact-logs`, { query: { pageSize: 200 } }),
  });
}

export function useCoverage(orgId?: number) {
  const { districtId, ready } = useReady();
  return useQuery({
    queryKey: cadreKeys.coverage(districtId, orgId),
    queryFn: () => api<ContactCoverage>('GET', '/api/cadres/coverage', { query: { districtId, orgId } }),
    enabled: ready,
  });
}

export function useVisits(f: { orgId?: number; targetKind?: VisitTargetKind; page: number; pageSize: number }) {
  const { districtId, ready } = useReady();
  return useQuery({
    queryKey: cadreKeys.visits(districtId, f),
    queryFn: () => api<Page<Visit>>('GET', '/api/visits', { query: { districtId, ...f } }),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
}

export function useVisitSettings() {
  const { districtId, ready } = useReady();
  return useQuery({
    queryKey: cadreKeys.visitSettings(districtId),
    queryFn: () => api<VisitSettings>('GET', '/api/visits/settings', { query: { districtId } }),
    enabled: ready,
  });
}
