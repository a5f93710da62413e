import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pickLang } from '../../../domain/messages.ts';
import {
  QrInfoSchema,
  QrRegisterResultSchema,
  QrRegisterSchema,
  RegistrationSettingsSchema,
  RegistrationSettingsUpdateSchema,
  RegistrationTokenCreateSchema,
  RegistrationTokenListQuerySchema,
  RegistrationTokenListSchema,
  RegistrationTokenSchema,
} from '../../../domain/person.ts';
import {
  QrConfirmSchema,
  QrIdentifyResultSchema,
  QrIdentifySchema,
  QrLocateResultSchema,
  QrLocateSchema,
} from '../../../domain/registration.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import * as registrations from './registrations.service.ts';

const TokenIdParamSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{10,32}$/) });
const TokenParamSchema = z.object({ token: z.string().max(100) });
const DistrictQuerySchema = z.object({ districtId: z.coerce.number().int().positive().optional() }).strict();

/**
 * 二维报到 QR self-registration: cadres make, download and revoke codes; the public phone page reads
 * a code and registers. Env: JINGWEI_PUBLIC_BASE_URL (the address QR codes point at; default: the
 * request's own host), JINGWEI_QR_RATE_LIMIT (registrations per IP and minute, default 20). Per code
 * and per code + IP, counted in the database across servers: see scanRules in the service (captcha
 * after repeated attempts, 429 for a code hammered beyond JINGWEI_QR_TOKEN_PER_MINUTE).
 */
export const registrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['registrations'];
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  const configuredBase = process.env.JINGWEI_PUBLIC_BASE_URL?.trim() || null;
  const baseUrl = (req: FastifyRequest) => configuredBase ?? `${req.protocol}://${req.host}`;
  const registerLimit = Number(process.env.JINGWEI_QR_RATE_LIMIT ?? 20);

  app.get(
    '/api/registration-tokens',
    {
      schema: { tags, querystring: RegistrationTokenListQuerySchema, response: { 200: RegistrationTokenListSchema } },
    },
    async (req) => registrations.searchTokens(db, pii(), req.actor(), req.query, baseUrl(req)),
  );

  app.post(
    '/api/registration-tokens',
    {
      schema: {
        tags,
        description: 'A signed, revocable registration code for a grid or an org.',
        body: RegistrationTokenCreateSchema,
        response: { 201: RegistrationTokenSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return registrations.createToken(db, pii(), req.actor(), req.body, baseUrl(req));
    },
  );

  app.delete(
    '/api/registration-tokens/:id',
    {
      schema: {
        tags,
        description: 'Revokes the code.',
        params: TokenIdParamSchema,
        response: { 200: RegistrationTokenSchema },
      },
    },
    async (req) => registrations.revokeRegistrationToken(db, pii(), req.actor(), req.params.id, baseUrl(req)),
  );

  app.get(
    '/api/registration-tokens/:id/qr',
    {
      schema: {
        tags,
        description: 'The QR code as PNG (default) or SVG, encoding <public base URL>/r/<token>.',
        params: TokenIdParamSchema,
        querystring: z.object({ format: z.enum(['png', 'svg']).default('png') }).strict(),
      },
    },
    async (req, reply) => {
      const { body, type } = await registrations.tokenImage(
        db,
        pii(),
        req.actor(),
        req.params.id,
        req.query.format,
        baseUrl(req),
      );
      return reply
        .type(type)
        .header('content-disposition', `attachment; filename="qr-${req.params.id}.${req.query.format}"`)
        .send(body);
    },
  );

  app.get(
    '/api/registrations/settings',
    { schema: { tags, querystring: DistrictQuerySchema, response: { 200: RegistrationSettingsSchema } } },
    async (req) => registrations.getSettings(db, req.actor(), req.query.districtId),
  );

  app.put(
    '/api/registrations/settings',
    {
      schema: {
        tags,
        querystring: DistrictQuerySchema,
        body: RegistrationSettingsUpdateSchema,
        response: { 200: RegistrationSettingsSchema },
      },
    },
    async (req) => registrations.updateSettings(db, req.actor(), req.body, req.query.districtId),
  );

  app.get(
    '/api/qr/:token',
    {
      config: { public: true, rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description: 'Public: what the phone page needs (names of the grid and org, the privacy notice).',
        params: TokenParamSchema,
        response: { 200: QrInfoSchema },
      },
    },
    async (req) => registrations.getPublicInfo(db, pii(), req.params.token, pickLang(req.headers['accept-language'])),
  );

  app.post(
    '/api/qr/:token/register',
    {
      config: { public: true, rateLimit: { max: registerLimit, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description: 'Public: self-registration through a code. Rate-limited per IP.',
        params: TokenParamSchema,
        body: QrRegisterSchema,
        response: { 200: QrRegisterResultSchema },
      },
    },
    async (req) => registrations.registerViaQr(db, pii(), req.params.token, req.body, req.ip),
  );

  app.post(
    '/api/qr/:token/locate',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description:
          "Public: the grid of the code's org subtree containing the phone's position (WGS-84 or GCJ-02), else the nearest within 500 m. The position is not stored.",
        params: TokenParamSchema,
        body: QrLocateSchema,
        response: { 200: QrLocateResultSchema },
      },
    },
    async (req) => registrations.suggestGrid(db, pii(), req.params.token, req.body),
  );

  app.post(
    '/api/qr/:token/identify',
    {
      config: { public: true, rateLimit: { max: registerLimit, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description:
          'Public: whether phone + ID number (or birth date) name one known person, for the one-tap confirm. Counted like the form (captcha after repeated attempts).',
        params: TokenParamSchema,
        body: QrIdentifySchema,
        response: { 200: QrIdentifyResultSchema },
      },
    },
    async (req) => registrations.identifyViaQr(db, pii(), req.params.token, req.body, req.ip),
  );

  app.post(
    '/api/qr/:token/confirm',
    {
      config: { public: true, rateLimit: { max: registerLimit, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description:
          "Public: one-tap confirm of a known person (phone + ID number or birth date): joins the code's grid through the review list, like a re-registration.",
        params: TokenParamSchema,
        body: QrConfirmSchema,
        response: { 200: QrRegisterResultSchema },
      },
    },
    async (req) => registrations.confirmViaQr(db, pii(), req.params.token, req.body, req.ip),
  );
};
