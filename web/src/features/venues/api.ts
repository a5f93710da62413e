import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Booking,
  BookingListSchema,
  CalendarSchema,
  UsageSchema,
  Venue,
  VenueCreate,
  VenueType,
  VenueUpdate,
} from '../../../../domain/venue.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';

export type { Booking, Venue, VenueCreate, VenueUpdate };
export type Calendar = z.infer<typeof CalendarSchema>;
export type Usage = z.infer<typeof UsageSchema>;
export type BookingList = z.infer<typeof BookingListSchema>;

/** The list filters, named as the API's query parameters. */
export type VenueFilters = {
  type?: VenueType;
  minCapacity?: number;
  /** comma-separated tags */
  facilities?: string;
  freeFrom?: string;
  freeTo?: string;
  q?: string;
  active?: 'true' | 'false' | 'all';
};

export const venueKeys = {
  all: ['venues'] as const,
  list: (districtId: number | undefined, params: object) => ['venues', 'list', districtId ?? null, params] as const,
  one: (id: number) => ['venues', 'one', id] as const,
  calendar: (id: number, from: string) => ['venues', 'calendar', id, from] as const,
  usage: (id: number, from: string) => ['venues', 'usage', id, from] as const,
  bookings: (districtId: number | undefined, view: string) => ['venues', 'bookings', districtId ?? null, view] as const,
};

export function useVenueList(filters: VenueFilters & { page: number; pageSize: number }) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: venueKeys.list(districtId, filters),
    queryFn: () => api<Page<Venue>>('GET', '/api/venues', { query: { districtId, ...filters } }),
    enabled: !canChoose || districtId !== undefined,
    placeholderData: keepPreviousData,
  });
}

export function useVenue(id: number | null) {
  return useQuery({
    queryKey: venueKeys.one(id ?? 0),
    queryFn: () => api<Venue>('GET', `/api/venues/${id}`),
    enabled: id !== null,
  });
}

export function useCalendar(id: number, from: string, to: string) {
  return useQuery({
    queryKey: venueKeys.calendar(id, from),
    queryFn: () => api<Calendar>('GET', `/api/venues/${id}/bookings`, { query: { from, to } }),
    placeholderData: keepPreviousData,
  });
}

export function useUsage(id: number, from: string, to: string) {
  return useQuery({
    queryKey: venueKeys.usage(id, from),
    queryFn: () => api<Usage>('GET', `/api/venues/${id}/usage`, { query: { from, to } }),
    placeholderData: keepPreviousData,
  });
}

export function useBookingList(view: 'mine' | 'to_decide', status?: string) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: [...venueKeys.bookings(districtId, view), status ?? null],
    queryFn: () =>
      api<BookingList>('GET', '/api/venue-bookings', { query: { districtId, view, status, pageSize: 100 } }),
    enabled: !canChoose || districtId !== undefined,
  });
}
