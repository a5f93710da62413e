import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ActivityDetailSchema,
  ActivitySchema,
  FunnelSchema,
  ParticipationSchema,
  PlanDetailSchema,
  PlanSchema,
  SignupSchema,
  TeamSchema,
  ThemeSchema,
} from '../../../../domain/activity.ts';
import { useDistrict } from '../../app/district.tsx';
import { api } from '../../lib/api.ts';

export type Plan = z.infer<typeof PlanSchema>;
export type PlanDetail = z.infer<typeof PlanDetailSchema>;
export type Activity = z.infer<typeof ActivitySchema>;
export type ActivityDetail = z.infer<typeof ActivityDetailSchema>;
export type Signup = z.infer<typeof SignupSchema>;
export type Team = z.infer<typeof TeamSchema>;
export type Theme = z.infer<typeof ThemeSchema>;
export type Funnel = z.infer<typeof FunnelSchema>;
export type Participation = z.infer<typeof ParticipationSchema>;

export const activityKeys = { all: ['activities'] as const };

/** A list of the caller's district (platform admins name the district they work on). */
function useDistrictList<T>(name: string, path: string, extra: Record<string, string | number> = {}) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: ['activities', name, districtId ?? null, extra],
    queryFn: () => api<{ items: T[] }>('GET', path, { query: { districtId, ...extra } }),
    enabled: !canChoose || districtId !== undefined,
  });
}

export const usePlans = () => useDistrictList<Plan>('plans', '/api/activity-plans');
export const useActivities = () => useDistrictList<Activity>('list', '/api/activities');
export const useThemes = () => useDistrictList<Theme>('themes', '/api/activity-themes');
export const useTeams = () => useDistrictList<Team>('teams', '/api/service-teams');

export function usePlan(id: number | null) {
  return useQuery({
    queryKey: ['activities', 'plan', id],
    queryFn: () => api<PlanDetail>('GET', `/api/activity-plans/${id}`),
    enabled: id !== null,
  });
}

export function useActivity(id: number | null) {
  return useQuery({
    queryKey: ['activities', 'one', id],
    queryFn: () => api<ActivityDetail>('GET', `/api/activities/${id}`),
    enabled: id !== null,
  });
}

export function useSignups(id: number | null) {
  return useQuery({
    queryKey: ['activities', 'signups', id],
    queryFn: () => api<{ items: Signup[] }>('GET', `/api/activities/${id}/signups`),
    enabled: id !== null,
  });
}

/** This year in Asia/Shanghai as [from, to). */
export function thisYear() {
  const y = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  return { from: `${y}-01-01T00:00:00+08:00`, to: `${y + 1}-01-01T00:00:00+08:00` };
}

export function useFigures() {
  const { districtId, canChoose } = useDistrict();
  const range = thisYear();
  const enabled = !canChoose || districtId !== undefined;
  const funnel = useQuery({
    queryKey: ['activities', 'funnel', districtId ?? null],
    queryFn: () => api<Funnel>('GET', '/api/activity-figures/funnel', { query: { districtId, ...range } }),
    enabled,
  });
  const participation = useQuery({
    queryKey: ['activities', 'participation', districtId ?? null],
    queryFn: () =>
      api<Participation>('GET', '/api/activity-figures/participation', { query: { districtId, ...range } }),
    enabled,
  });
  return { funnel, participation };
}
