import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Open311ClientCreatedSchema, Open311ClientSchema } from '../../../../domain/open311.ts';
import type {
  MenuItemSchema,
  Order,
  OrderClassification,
  OrderDetailSchema,
  OrderReviewSchema,
  OrderSettingsSchema,
  PublicLeaderboardSchema,
  RatesSchema,
  SuggestionListSchema,
} from '../../../../domain/order.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';

export type { Order, OrderClassification };
export type OrderDetail = z.infer<typeof OrderDetailSchema>;
export type Suggestions = z.infer<typeof SuggestionListSchema>;
export type Rates = z.infer<typeof RatesSchema>;
export type Leaderboard = z.infer<typeof PublicLeaderboardSchema>;
export type Review = z.infer<typeof OrderReviewSchema>;
export type OrderSettings = z.infer<typeof OrderSettingsSchema>;
export type MenuItem = z.infer<typeof MenuItemSchema>;
export type Open311Client = z.infer<typeof Open311ClientSchema>;
export type Open311ClientCreated = z.infer<typeof Open311ClientCreatedSchema>;

export type OrderFilters = {
  view?: 'all' | 'to_dispatch' | 'assigned';
  status?: string;
  classification?: string;
  category?: string;
  source?: string;
  overdue?: 'true';
  q?: string;
};

export const orderKeys = {
  all: ['orders'] as const,
  list: (d: number | undefined, p: object) => ['orders', 'list', d ?? null, p] as const,
  one: (id: number) => ['orders', 'one', id] as const,
  suggestions: (id: number) => ['orders', 'suggestions', id] as const,
  rates: (d: number | undefined, groupBy: string) => ['orders', 'rates', d ?? null, groupBy] as const,
  board: (d: number | undefined) => ['orders', 'board', d ?? null] as const,
  reviews: (d: number | undefined, status: string) => ['orders', 'reviews', d ?? null, status] as const,
  settings: (d: number | undefined) => ['orders', 'settings', d ?? null] as const,
  clients: (d: number | undefined) => ['orders', 'clients', d ?? null] as const,
  menu: (d: number | undefined) => ['orders', 'menu', d ?? null] as const,
};

function useEnabled() {
  const { districtId, canChoose } = useDistrict();
  return { districtId, enabled: !canChoose || districtId !== undefined };
}

export function useOrderList(filters: OrderFilters & { page: number; pageSize: number }) {
  const { districtId, enabled } = useEnabled();
  return useQuery({
    queryKey: orderKeys.list(districtId, filters),
    queryFn: () => api<Page<Order>>('GET', '/api/orders', { query: { districtId, ...filters } }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useOrder(id: number | null) {
  return useQuery({
    queryKey: orderKeys.one(id ?? 0),
    queryFn: () => api<OrderDetail>('GET', `/api/orders/${id}`),
    enabled: id !== null,
  });
}

export function useSuggestions(id: number, enabled: boolean) {
  return useQuery({
    queryKey: orderKeys.suggestions(id),
    queryFn: () => api<Suggestions>('GET', `/api/orders/${id}/suggestions`),
    enabled,
  });
}

export function useRates(groupBy: 'org' | 'town' | 'service') {
  const { districtId, enabled } = useEnabled();
  return useQuery({
    queryKey: orderKeys.rates(districtId, groupBy),
    queryFn: () => api<Rates>('GET', '/api/orders/rates', { query: { districtId, groupBy } }),
    enabled,
  });
}

/** The public leaderboard of the district (what residents see on WeChat). */
export function useLeaderboard() {
  const { districtId, enabled } = useEnabled();
  const { data: settings } = useOrderSettings();
  const id = districtId ?? settings?.districtId;
  return useQuery({
    queryKey: orderKeys.board(id),
    queryFn: () => api<Leaderboard>('GET', `/api/public/districts/${id}/leaderboard`),
    enabled: enabled && id !== undefined,
  });
}

export function useReviews(status: 'open' | 'closed' | 'all') {
  const { districtId, enabled } = useEnabled();
  return useQuery({
    queryKey: orderKeys.reviews(districtId, status),
    queryFn: () => api<{ items: Review[] }>('GET', '/api/orders/reviews', { query: { districtId, status } }),
    enabled,
  });
}

export function useOrderSettings() {
  const { districtId, enabled } = useEnabled();
  return useQuery({
    queryKey: orderKeys.settings(districtId),
    queryFn: () => api<OrderSettings>('GET', '/api/orders/settings', { query: { districtId } }),
    enabled,
  });
}

export function useOpen311Clients(enabled: boolean) {
  const { districtId, enabled: e } = useEnabled();
  return useQuery({
    queryKey: orderKeys.clients(districtId),
    queryFn: () => api<{ items: Open311Client[] }>('GET', '/api/orders/open311-clients', { query: { districtId } }),
    enabled: e && enabled,
  });
}

export function useMenu() {
  const { districtId, enabled } = useEnabled();
  return useQuery({
    queryKey: orderKeys.menu(districtId),
    queryFn: () => api<{ items: MenuItem[] }>('GET', '/api/service-menu', { query: { districtId } }),
    enabled,
  });
}

/** A write on an order (a workflow step); refreshes everything about orders afterwards. */
export function useOrderAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body, method = 'POST' }: { path: string; body?: unknown; method?: 'POST' | 'PUT' }) =>
      api<unknown>(method, path, { body: body ?? {} }),
    onSuccess: () => client.invalidateQueries({ queryKey: orderKeys.all }),
  });
}
