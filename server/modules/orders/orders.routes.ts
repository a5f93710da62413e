import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamSchema } from '../../../domain/common.ts';
import {
  MenuItemCreateSchema,
  MenuItemSchema,
  MenuItemUpdateSchema,
  MenuListQuerySchema,
  MenuListSchema,
  OrderClassifySchema,
  OrderCompleteSchema,
  OrderCreateSchema,
  OrderDetailSchema,
  OrderDispatchCreateSchema,
  OrderListQuerySchema,
  OrderListSchema,
  OrderNoteSchema,
  OrderRateSchema,
  OrderReasonSchema,
  PublicMenuListSchema,
  PublicNeedListSchema,
  PublicNeedQuerySchema,
  PublicOrderCreatedSchema,
  PublicOrderCreateSchema,
  PublicOrderViewSchema,
  PublicRateSchema,
  PublicTrackSchema,
  RatesQuerySchema,
  RatesSchema,
  SmsCodeRequestSchema,
  SmsCodeSentSchema,
  SuggestionListSchema,
  TrackingParamSchema,
} from '../../../domain/order.ts';
import { PHOTO_BODY_LIMIT } from '../../../domain/photo.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { smsSenderFromConfig } from '../../lib/sms.ts';
import { orderPhotoRoutes } from './order-photos.routes.ts';
import * as orders from './orders.service.ts';
import { orderMoreRoutes } from './orders-more.routes.ts';

/**
 * 点单·派单·评单 service orders: cadre entry and the workflow, suggested assignees, the two rates,
 * the service menu, and the public phone pages (ordering with an SMS code, tracking, rating).
 */
export const orderRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['orders'];
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  const sms = smsSenderFromConfig(app.config, app.log);
  const publicConfig = (max: number) => ({ public: true, rateLimit: { max, timeWindow: 60_000 } });

  app.get(
    '/api/orders',
    {
      schema: {
        tags,
        description: 'Orders requested in or assigned to your subtree, filtered.',
        querystring: OrderListQuerySchema,
        response: { 200: OrderListSchema },
      },
    },
    async (req) => orders.searchOrders(db, pii(), req.actor(), req.query),
  );

  app.post(
    '/api/orders',
    {
      schema: {
        tags,
        description: 'Enter an order: a party & government need, or a resident request on behalf (代点单).',
        body: OrderCreateSchema,
        response: { 201: OrderDetailSchema.omit({ events: true, dispatches: true }) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return orders.createOrder(db, pii(), req.actor(), req.body);
    },
  );

  app.get(
    '/api/orders/rates',
    {
      schema: {
        tags,
        description:
          '两率: attraction rate (Σ min(participants, planned) ÷ Σ planned) and satisfaction rate (ratings ≥ 4 ÷ ratings, requesters and participants) per org, town or service, in [from, to); also the response rate (accepted within the deadline ÷ answered or overdue dispatches). Eligible for incubation: both two rates ≥ the district threshold.',
        querystring: RatesQuerySchema,
        response: { 200: RatesSchema },
      },
    },
    async (req) => orders.getRates(db, req.actor(), req.query),
  );

  app.get(
    '/api/orders/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: OrderDetailSchema } } },
    async (req) => orders.getOrder(db, pii(), req.actor(), req.params.id),
  );

  app.get(
    '/api/orders/:id/suggestions',
    {
      schema: {
        tags,
        description:
          'Suggested assignees, best first, each with its score components (category match, distance, workload, satisfaction, class fit).',
        params: IdParamSchema,
        response: { 200: SuggestionListSchema },
      },
    },
    async (req) => orders.suggestAssignees(db, req.actor(), req.params.id),
  );

  const detail = { 200: OrderDetailSchema };
  app.post(
    '/api/orders/:id/classify',
    { schema: { tags, params: IdParamSchema, body: OrderClassifySchema, response: detail } },
    async (req) => orders.classifyOrder(db, pii(), req.actor(), req.params.id, req.body),
  );
  app.post(
    '/api/orders/:id/dispatch',
    {
      schema: {
        tags,
        description: 'Dispatch or re-dispatch to an active org of the district (not one that declined this order).',
        params: IdParamSchema,
        body: OrderDispatchCreateSchema,
        response: detail,
      },
    },
    async (req) => orders.dispatchOrder(db, pii(), req.actor(), req.params.id, req.body),
  );
  app.post(
    '/api/orders/:id/accept',
    { schema: { tags, params: IdParamSchema, body: OrderNoteSchema, response: detail } },
    async (req) => orders.acceptOrder(db, pii(), req.actor(), req.params.id, req.body?.note),
  );
  app.post(
    '/api/orders/:id/decline',
    { schema: { tags, params: IdParamSchema, body: OrderReasonSchema, response: detail } },
    async (req) => orders.declineOrder(db, pii(), req.actor(), req.params.id, req.body.reason),
  );
  app.post(
    '/api/orders/:id/start',
    { schema: { tags, params: IdParamSchema, body: OrderNoteSchema, response: detail } },
    async (req) => orders.startOrder(db, pii(), req.actor(), req.params.id, req.body?.note),
  );
  app.post(
    '/api/orders/:id/complete',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      schema: {
        tags,
        description:
          'Completion with a note, up to 6 photos and, for a group service, the number of participants (attraction rate).',
        params: IdParamSchema,
        body: OrderCompleteSchema,
        response: detail,
      },
    },
    async (req) =>
      orders.completeOrder(
        db,
        pii(),
        req.actor(),
        req.params.id,
        req.body?.note,
        req.body?.participants,
        req.body?.photos,
      ),
  );
  app.post(
    '/api/orders/:id/reject',
    { schema: { tags, params: IdParamSchema, body: OrderReasonSchema, response: detail } },
    async (req) => orders.rejectOrder(db, pii(), req.actor(), req.params.id, req.body.reason),
  );
  app.post(
    '/api/orders/:id/cancel',
    { schema: { tags, params: IdParamSchema, body: OrderReasonSchema, response: detail } },
    async (req) => orders.cancelOrder(db, pii(), req.actor(), req.params.id, req.body.reason),
  );
  app.post(
    '/api/orders/:id/rating',
    {
      schema: {
        tags,
        description: 'A rating entered by a cadre of the requesting side on behalf of the requester (one per order).',
        params: IdParamSchema,
        body: OrderRateSchema,
        response: detail,
      },
    },
    async (req) => orders.rateOrder(db, pii(), req.actor(), req.params.id, req.body),
  );

  app.get(
    '/api/service-menu',
    { schema: { tags, querystring: MenuListQuerySchema, response: { 200: MenuListSchema } } },
    async (req) => orders.searchMenu(db, req.actor(), req.query),
  );
  app.post(
    '/api/service-menu',
    { schema: { tags, body: MenuItemCreateSchema, response: { 201: MenuItemSchema } } },
    async (req, reply) => {
      reply.code(201);
      return orders.createMenuItem(db, req.actor(), req.body);
    },
  );
  app.patch(
    '/api/service-menu/:id',
    { schema: { tags, params: IdParamSchema, body: MenuItemUpdateSchema, response: { 200: MenuItemSchema } } },
    async (req) => orders.updateMenuItem(db, req.actor(), req.params.id, req.body),
  );

  // ── public phone pages (no login) ──────────────────────────────────────────────────────────

  app.post(
    '/api/public/sms-codes',
    {
      config: publicConfig(Number(process.env.JINGWEI_SMS_RATE_LIMIT ?? 10)),
      schema: {
        tags,
        security: [],
        description:
          'Public: sends a 6-digit code to a mobile number (valid 5 minutes; at most one a minute and ten a day per phone).',
        body: SmsCodeRequestSchema,
        response: { 202: SmsCodeSentSchema },
      },
    },
    async (req, reply) => {
      reply.code(202);
      return orders.sendSmsCode(db, pii(), sms, req.body, req.ip);
    },
  );

  app.post(
    '/api/public/districts/:id/orders',
    {
      config: publicConfig(20),
      bodyLimit: PHOTO_BODY_LIMIT,
      schema: {
        tags,
        security: [],
        description:
          "Public: a resident's request (群众点单) with the SMS code sent to the phone. Answers the tracking number and an access token for the tracking page.",
        params: IdParamSchema,
        body: PublicOrderCreateSchema,
        response: { 201: PublicOrderCreatedSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return orders.createPublicOrder(db, pii(), req.params.id, req.body, req.ip);
    },
  );

  app.get(
    '/api/public/districts/:id/needs',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Public: the needs list (需求清单) of a district — no names, phones or descriptions.',
        params: IdParamSchema,
        querystring: PublicNeedQuerySchema,
        response: { 200: PublicNeedListSchema },
      },
    },
    async (req) => orders.getPublicNeeds(db, req.params.id, req.query),
  );

  app.get(
    '/api/public/districts/:id/service-menu',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Public: the service menu (服务清单, 共青团所能) of a district.',
        params: IdParamSchema,
        response: { 200: PublicMenuListSchema },
      },
    },
    async (req) => orders.getPublicMenu(db, req.params.id),
  );

  app.post(
    '/api/public/orders/:tracking/view',
    {
      config: publicConfig(60),
      schema: {
        tags,
        security: [],
        description:
          "Public: the requester's tracking page, proven by the access token or the last four digits of the phone (in the body, never the URL).",
        params: TrackingParamSchema,
        body: PublicTrackSchema,
        response: { 200: PublicOrderViewSchema },
      },
    },
    async (req) => orders.viewPublicOrder(db, pii(), req.params.tracking, req.body),
  );

  app.post(
    '/api/public/orders/:tracking/rating',
    {
      config: publicConfig(20),
      schema: {
        tags,
        security: [],
        description:
          'Public: the requester rates a completed order (1–5), proven by the access token or the phone with a code of purpose "rate". One rating per order.',
        params: TrackingParamSchema,
        body: PublicRateSchema,
        response: { 200: PublicOrderViewSchema },
      },
    },
    async (req) => orders.ratePublicOrder(db, pii(), req.params.tracking, req.body),
  );

  await app.register(orderMoreRoutes);
  await app.register(orderPhotoRoutes);
};
