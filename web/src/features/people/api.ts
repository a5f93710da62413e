import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Grid } from '../../../../domain/grid.ts';
import type {
  KeyYouthListSchema,
  Person,
  PersonCategory,
  PersonIdentifiersSchema,
  PersonReview,
  PersonWriteResult,
  PoliticalStatus,
  RegistrationSettingsSchema,
  RegistrationTokenSchema,
} from '../../../../domain/person.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';

export type { Person, PersonReview, PersonWriteResult };
export type PersonIdentifiers = z.infer<typeof PersonIdentifiersSchema>;
export type KeyYouthList = z.infer<typeof KeyYouthListSchema>;
export type KeyYouth = KeyYouthList['items'][number];
export type RegistrationToken = z.infer<typeof RegistrationTokenSchema>;
export type RegistrationSettings = z.infer<typeof RegistrationSettingsSchema>;

/** The list filters, named as the API's query parameters. */
export type PeopleFilters = {
  orgId?: number;
  gridId?: number;
  status?: 'pending' | 'registered' | 'inactive';
  politicalStatus?: PoliticalStatus;
  category?: PersonCategory;
  backbone?: 'true' | 'false';
  reserveBackbone?: 'true' | 'false';
  leaveReview?: 'true' | 'false';
  q?: string;
};

export const peopleKeys = {
  all: ['people'] as const,
  list: (districtId: number | undefined, params: object) => ['people', 'list', districtId ?? null, params] as const,
  one: (id: number) => ['people', 'one', id] as const,
  reviews: (districtId: number | undefined, status: string) =>
    ['people', 'reviews', districtId ?? null, status] as const,
  keyYouth: (districtId: number | undefined, params: object) =>
    ['people', 'key-youth', districtId ?? null, params] as const,
  tokens: (districtId: number | undefined, params: object) =>
    ['registration-tokens', districtId ?? null, params] as const,
  settings: (districtId: number | undefined) => ['registration-settings', districtId ?? null] as const,
};

function useDistrictReady() {
  const { districtId, canChoose } = useDistrict();
  return { districtId, ready: !canChoose || districtId !== undefined };
}

export function usePeopleList(filters: PeopleFilters & { page: number; pageSize: number }) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: peopleKeys.list(districtId, filters),
    queryFn: () => api<Page<Person>>('GET', '/api/people', { query: { districtId, ...filters } }),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: number | null) {
  return useQuery({
    queryKey: peopleKeys.one(id ?? 0),
    queryFn: () => api<Person>('GET', `/api/people/${id}`),
    enabled: id !== null,
  });
}

export function useReviews(status: 'open' | 'resolved', enabled = true) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: peopleKeys.reviews(districtId, status),
    queryFn: () =>
      api<{ items: PersonReview[]; total: number }>('GET', '/api/people/reviews', { query: { districtId, status } }),
    enabled: enabled && ready,
  });
}

export function useKeyYouth(params: { orgId?: number; kind?: string; page: number; pageSize: number }) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: peopleKeys.keyYouth(districtId, params),
    queryFn: () => api<KeyYouthList>('GET', '/api/key-youth', { query: { districtId, ...params } }),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
}

export function useRegistrationTokens(params: { gridId?: number; orgId?: number }) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: peopleKeys.tokens(districtId, params),
    queryFn: () =>
      api<{ items: RegistrationToken[] }>('GET', '/api/registration-tokens', { query: { districtId, ...params } }),
    enabled: ready,
  });
}

export function useRegistrationSettings() {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: peopleKeys.settings(districtId),
    queryFn: () => api<RegistrationSettings>('GET', '/api/registrations/settings', { query: { districtId } }),
    enabled: ready,
  });
}

/** Grids of the caller's scope matching `q`, for the grid and circle pickers. */
export function useGridSearch(q: string, enabled: boolean) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: ['grids', 'pick', districtId ?? null, q],
    queryFn: () => api<Page<Grid>>('GET', '/api/grids', { query: { districtId, q, pageSize: 50 } }),
    enabled: enabled && ready,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}
