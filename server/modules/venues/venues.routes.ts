import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamSchema } from '../../../domain/common.ts';
import {
  BookingCreateSchema,
  BookingDecisionSchema,
  BookingListQuerySchema,
  BookingListSchema,
  BookingSchema,
  CalendarQuerySchema,
  CalendarSchema,
  PublicVenueListSchema,
  PublicVenueQuerySchema,
  UsageQuerySchema,
  UsageSchema,
  VenueCreateSchema,
  VenueListQuerySchema,
  VenueListSchema,
  VenueSchema,
  VenueUpdateSchema,
} from '../../../domain/venue.ts';
import { registerVenuesSection } from './venues.dashboard.ts';
import * as venues from './venues.service.ts';

/** 阵地 venues, their public map, and conflict-free booking. */
export const venueRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['venues'];
  registerVenuesSection();

  app.get(
    '/api/venues',
    {
      schema: {
        tags,
        description: "Venues of the caller's district, filtered by type, capacity, facilities and free time.",
        querystring: VenueListQuerySchema,
        response: { 200: VenueListSchema },
      },
    },
    async (req) => venues.searchVenues(db, req.actor(), req.query),
  );

  app.post(
    '/api/venues',
    { schema: { tags, body: VenueCreateSchema, response: { 201: VenueSchema } } },
    async (req, reply) => {
      reply.code(201);
      return venues.createVenue(db, req.actor(), req.body);
    },
  );

  app.get('/api/venues/:id', { schema: { tags, params: IdParamSchema, response: { 200: VenueSchema } } }, async (req) =>
    venues.getVenue(db, req.actor(), req.params.id),
  );

  app.patch(
    '/api/venues/:id',
    { schema: { tags, params: IdParamSchema, body: VenueUpdateSchema, response: { 200: VenueSchema } } },
    async (req) => venues.updateVenue(db, req.actor(), req.params.id, req.body),
  );

  app.delete(
    '/api/venues/:id',
    {
      schema: {
        tags,
        description: 'Deactivates the venue (never a hard delete).',
        params: IdParamSchema,
        response: { 200: VenueSchema },
      },
    },
    async (req) => venues.deactivateVenue(db, req.actor(), req.params.id),
  );

  app.get(
    '/api/venues/:id/bookings',
    {
      schema: {
        tags,
        description: 'Calendar: the bookings of a venue overlapping [from, to) (at most 62 days).',
        params: IdParamSchema,
        querystring: CalendarQuerySchema,
        response: { 200: CalendarSchema },
      },
    },
    async (req) => venues.getCalendar(db, req.actor(), req.params.id, req.query),
  );

  app.post(
    '/api/venues/:id/bookings',
    {
      schema: {
        tags,
        description:
          'Books [start, end) for an org of your subtree. 409 BOOKING_CONFLICT when the slot overlaps a live booking.',
        params: IdParamSchema,
        body: BookingCreateSchema,
        response: { 201: BookingSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return venues.createBooking(db, req.actor(), req.params.id, req.body);
    },
  );

  app.get(
    '/api/venues/:id/usage',
    {
      schema: {
        tags,
        description: 'Hours booked and utilisation (approved hours over opening hours) in [from, to).',
        params: IdParamSchema,
        querystring: UsageQuerySchema,
        response: { 200: UsageSchema },
      },
    },
    async (req) => venues.getUsage(db, req.actor(), req.params.id, req.query),
  );

  app.get(
    '/api/venue-bookings',
    {
      schema: {
        tags,
        description: 'Bookings made by your subtree (view=mine) or awaiting your decision (view=to_decide).',
        querystring: BookingListQuerySchema,
        response: { 200: BookingListSchema },
      },
    },
    async (req) => venues.searchBookings(db, req.actor(), req.query),
  );

  app.post(
    '/api/venue-bookings/:id/approve',
    { schema: { tags, params: IdParamSchema, body: BookingDecisionSchema, response: { 200: BookingSchema } } },
    async (req) => venues.decideBooking(db, req.actor(), req.params.id, 'approved', req.body?.note),
  );

  app.post(
    '/api/venue-bookings/:id/reject',
    { schema: { tags, params: IdParamSchema, body: BookingDecisionSchema, response: { 200: BookingSchema } } },
    async (req) => venues.decideBooking(db, req.actor(), req.params.id, 'rejected', req.body?.note),
  );

  app.post(
    '/api/venue-bookings/:id/cancel',
    { schema: { tags, params: IdParamSchema, body: BookingDecisionSchema, response: { 200: BookingSchema } } },
    async (req) => venues.cancelBooking(db, req.actor(), req.params.id, req.body?.note),
  );

  app.get(
    '/api/public/districts/:id/venues',
    {
      config: { public: true, rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description:
          "Public: the district's active venues for a map (no login). Only the venue's own public contact, nothing about bookings or people.",
        params: IdParamSchema,
        querystring: PublicVenueQuerySchema,
        response: { 200: PublicVenueListSchema },
      },
    },
    async (req) => venues.getPublicVenues(db, req.params.id, req.query),
  );
};
