import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamSchema } from '../../../domain/common.ts';
import { pickLang } from '../../../domain/messages.ts';
import {
  Open311ClientCreatedSchema,
  Open311ClientCreateSchema,
  Open311ClientListQuerySchema,
  Open311ClientListSchema,
  Open311ClientSchema,
  Open311CodeParamSchema,
  Open311CreatedSchema,
  Open311IdParamSchema,
  Open311JurisdictionQuerySchema,
  Open311RequestCreateSchema,
  Open311RequestListSchema,
  Open311RequestQuerySchema,
  Open311RequestsQuerySchema,
  Open311ServiceDefinitionSchema,
  Open311ServiceListSchema,
} from '../../../domain/open311.ts';
import {
  OrderReviewListSchema,
  OrderReviewQuerySchema,
  OrderReviewResolveSchema,
  OrderReviewSchema,
  OrderSettingsQuerySchema,
  OrderSettingsSchema,
  OrderSettingsUpdateSchema,
  ParticipantRatingResultSchema,
  PublicLeaderboardQuerySchema,
  PublicLeaderboardSchema,
  PublicParticipantRateSchema,
  PublicResourceListSchema,
  TrackingParamSchema,
} from '../../../domain/order.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import * as open311 from './open311.service.ts';
import * as more from './orders-more.service.ts';

/**
 * Routes of the orders module's second half: district settings, review tasks, on-site ratings by
 * participants, the public leaderboard and resource list, and Open311 GeoReport v2 with its api keys.
 */
export const orderMoreRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['orders'];
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  const publicConfig = (max: number) => ({ public: true, rateLimit: { max, timeWindow: 60_000 } });

  app.jobs.register(more.DEADLINE_JOB, async (ex, payload, job) => {
    await more.runDeadlineJob(ex, payload, job.now);
    return undefined;
  });

  app.get(
    '/api/orders/settings',
    {
      schema: {
        tags,
        description: '件件有回音: the district deadlines per class (hours) and the incubation threshold.',
        querystring: OrderSettingsQuerySchema,
        response: { 200: OrderSettingsSchema },
      },
    },
    async (req) => more.getOrderSettings(db, req.actor(), req.query.districtId),
  );
  app.put(
    '/api/orders/settings',
    {
      schema: {
        tags,
        description: 'District and platform admins: deadlines per class and the incubation threshold (0–1).',
        body: OrderSettingsUpdateSchema,
        response: { 200: OrderSettingsSchema },
      },
    },
    async (req) => more.updateOrderSettings(db, req.actor(), req.body),
  );

  app.get(
    '/api/orders/reviews',
    {
      schema: {
        tags,
        description: 'Review tasks opened by dissatisfied ratings, of orders in your scope.',
        querystring: OrderReviewQuerySchema,
        response: { 200: OrderReviewListSchema },
      },
    },
    async (req) => more.listReviewTasks(db, req.actor(), req.query),
  );
  app.post(
    '/api/orders/reviews/:id/close',
    {
      schema: {
        tags,
        description: 'The district closes a review task with what was done.',
        params: IdParamSchema,
        body: OrderReviewResolveSchema,
        response: { 200: OrderReviewSchema },
      },
    },
    async (req) => more.resolveReviewTask(db, req.actor(), req.params.id, req.body.resolution),
  );

  app.get(
    '/api/orders/open311-clients',
    {
      schema: {
        tags,
        description: 'Open311 clients (trusted systems) of the district.',
        querystring: Open311ClientListQuerySchema,
        response: { 200: Open311ClientListSchema },
      },
    },
    async (req) => open311.listClients(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/orders/open311-clients',
    {
      schema: {
        tags,
        description: 'A new Open311 client; the api_key is in this answer only (stored as SHA-256).',
        body: Open311ClientCreateSchema,
        response: { 201: Open311ClientCreatedSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return open311.createClient(db, req.actor(), req.body);
    },
  );
  app.post(
    '/api/orders/open311-clients/:id/deactivate',
    { schema: { tags, params: IdParamSchema, response: { 200: Open311ClientSchema } } },
    async (req) => open311.deactivateClient(db, req.actor(), req.params.id),
  );

  // ── public ─────────────────────────────────────────────────────────────────────────────────

  app.post(
    '/api/public/orders/:tracking/participant-ratings',
    {
      config: publicConfig(20),
      schema: {
        tags,
        security: [],
        description:
          'Public: 现场评单 — a participant of a completed group service rates it (phone + code of purpose "rate"); one per phone, at most as many as took part.',
        params: TrackingParamSchema,
        body: PublicParticipantRateSchema,
        response: { 201: ParticipantRatingResultSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return more.rateAsParticipant(db, pii(), req.params.tracking, req.body);
    },
  );
  app.get(
    '/api/public/districts/:id/leaderboard',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description:
          'Public: 两率排行榜 — attraction and satisfaction rates of the social organisations for a year, with the incubation mark.',
        params: IdParamSchema,
        querystring: PublicLeaderboardQuerySchema,
        response: { 200: PublicLeaderboardSchema },
      },
    },
    async (req) => more.getPublicLeaderboard(db, req.params.id, req.query.year),
  );
  app.get(
    '/api/public/districts/:id/resources',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Public: 资源清单 — organisations offering services, with their categories.',
        params: IdParamSchema,
        response: { 200: PublicResourceListSchema },
      },
    },
    async (req) => more.getPublicResources(db, req.params.id),
  );

  await app.register(open311Routes);
};

/** Open311 GeoReport v2, JSON only. POST takes the spec's form encoding or JSON. */
const open311Routes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['open311'];
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  const publicConfig = (max: number) => ({ public: true, rateLimit: { max, timeWindow: 60_000 } });
  const lang = (h: string | undefined) => pickLang(h);

  // The spec posts application/x-www-form-urlencoded; only inside this plugin.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => {
      try {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );

  app.get(
    '/api/open311/v2/services.json',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Open311: the services of a district (jurisdiction_id = district id): categories and menu items.',
        querystring: Open311JurisdictionQuerySchema,
        response: { 200: Open311ServiceListSchema },
      },
    },
    async (req) => open311.listServices(db, req.query.jurisdiction_id, lang(req.headers['accept-language'])),
  );
  app.get(
    '/api/open311/v2/services/:code.json',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Open311: a service definition (no extra attributes).',
        params: Open311CodeParamSchema,
        querystring: Open311JurisdictionQuerySchema,
        response: { 200: Open311ServiceDefinitionSchema },
      },
    },
    async (req) => open311.serviceDefinition(db, req.query.jurisdiction_id, req.params.code),
  );
  app.get(
    '/api/open311/v2/requests.json',
    {
      config: publicConfig(60),
      schema: {
        tags,
        security: [],
        description:
          'Open311: requests. Without api_key only the ones named in service_request_id, without places; with the district api_key all of the last 90 days (or the range), with addresses.',
        querystring: Open311RequestsQuerySchema,
        response: { 200: Open311RequestListSchema },
      },
    },
    async (req) => open311.listRequests(db, req.query, lang(req.headers['accept-language'])),
  );
  app.post(
    '/api/open311/v2/requests.json',
    {
      config: publicConfig(30),
      schema: {
        tags,
        security: [],
        description:
          'Open311: submit a request with the district api_key (the trusted system verified the caller). Name, mobile number and service_code are required.',
        body: Open311RequestCreateSchema,
        response: { 201: Open311CreatedSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return open311.createRequest(db, pii(), req.body, lang(req.headers['accept-language']));
    },
  );
  app.get(
    '/api/open311/v2/requests/:id.json',
    {
      config: publicConfig(60),
      schema: {
        tags,
        security: [],
        description: 'Open311: one request by its service_request_id (tracking number), as an array of one.',
        params: Open311IdParamSchema,
        querystring: Open311RequestQuerySchema,
        response: { 200: Open311RequestListSchema },
      },
    },
    async (req) =>
      open311.getRequest(
        db,
        req.query.jurisdiction_id,
        req.params.id,
        req.query.api_key,
        lang(req.headers['accept-language']),
      ),
  );
};
