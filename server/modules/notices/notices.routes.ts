import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PoolClient } from 'pg';
import { IdParamSchema } from '../../../domain/common.ts';
import {
  AckResultSchema,
  AckSchema,
  AttachmentParamSchema,
  DistrictQuerySchema,
  InboxQuerySchema,
  InboxSchema,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  NoticeCorrectionSchema,
  NoticeDetailSchema,
  NoticeListQuerySchema,
  NoticeListSchema,
  NoticeSendSchema,
  NoticeSettingsSchema,
  NoticeSettingsUpdateSchema,
  type NoticeStreamEvent,
  OnTimeQuerySchema,
  OnTimeSchema,
  ReachReportSchema,
  StreamQuerySchema,
  TargetParamSchema,
  TowerGapsQuerySchema,
  TowerGapsSchema,
  TowerGroupCreateSchema,
  TowerGroupSchema,
  TowerGroupUpdateSchema,
  TowerListQuerySchema,
  TowerListSchema,
} from '../../../domain/notice.ts';
import { requirePermission } from '../../lib/actor.ts';
import { channelsFromConfig, DevRecorderAdapter } from './channels.ts';
import { NoticeHub } from './notice-hub.ts';
import { registerNoticesSection } from './notices.dashboard.ts';
import * as notices from './notices.service.ts';
import * as towers from './towers.service.ts';

/** A notice with its attachments in base64 (a third larger than the files) and the text. */
const SEND_BODY_LIMIT = Math.ceil((MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES * 4) / 3) + 256 * 1024;
/** Heartbeat on the event stream: keeps proxies from closing an idle connection. */
const HEARTBEAT_MS = 15_000;

declare module 'fastify' {
  interface FastifyInstance {
    notices: notices.NoticeRuntime & { dev: DevRecorderAdapter };
  }
}

/** 塔群直达 notices through the tower: registry, sending, the live stream, receipts, reports. */
const noticeRoutesPlugin: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['notices'];
  registerNoticesSection();
  const dev = new DevRecorderAdapter();
  const rt: notices.NoticeRuntime & { dev: DevRecorderAdapter } = {
    database: db,
    hub: new NoticeHub(),
    channels: channelsFromConfig(app.config, dev),
    jobs: app.jobs,
    now: () => new Date(),
    log: app.log,
    dev,
  };
  app.decorate('notices', rt);
  if (db.pool) relayThroughPostgres(app, rt);
  app.jobs.register(notices.DEADLINE_JOB, (ex, payload, job) => notices.runDeadlineJob(rt, ex, payload, job.now));
  app.jobs.addTickTask(async () => {
    await notices.dispatchDeliveries(rt);
  });
  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => rt.hub.closeAll());

  // ── settings ─────────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/notices/settings',
    { schema: { tags, querystring: DistrictQuerySchema, response: { 200: NoticeSettingsSchema } } },
    async (req) => notices.getSettings(rt, req.actor(), req.query.districtId),
  );
  app.put(
    '/api/notices/settings',
    {
      schema: {
        tags,
        description: 'Deadlines of urgent and general notices in seconds (district admins).',
        body: NoticeSettingsUpdateSchema,
        response: { 200: NoticeSettingsSchema },
      },
    },
    async (req) => notices.updateSettings(rt, req.actor(), req.body),
  );

  // ── tower registry ───────────────────────────────────────────────────────────────────────
  app.get(
    '/api/notices/towers',
    { schema: { tags, querystring: TowerListQuerySchema, response: { 200: TowerListSchema } } },
    async (req) => towers.listTowerGroups(db, req.actor(), req.query),
  );
  app.get(
    '/api/notices/towers/gaps',
    {
      schema: {
        tags,
        description: 'Orgs of the tower levels and grids that have no group, or a group without an admin.',
        querystring: TowerGapsQuerySchema,
        response: { 200: TowerGapsSchema },
      },
    },
    async (req) => towers.listTowerGaps(db, req.actor(), req.query),
  );
  app.post(
    '/api/notices/towers',
    { schema: { tags, body: TowerGroupCreateSchema, response: { 201: TowerGroupSchema } } },
    async (req, reply) => {
      reply.code(201);
      return towers.createTowerGroup(db, req.actor(), req.body);
    },
  );
  app.patch(
    '/api/notices/towers/:id',
    { schema: { tags, params: IdParamSchema, body: TowerGroupUpdateSchema, response: { 200: TowerGroupSchema } } },
    async (req) => towers.updateTowerGroup(db, req.actor(), req.params.id, req.body),
  );
  app.delete(
    '/api/notices/towers/:id',
    {
      schema: {
        tags,
        description: 'Deactivates the group.',
        params: IdParamSchema,
        response: { 200: TowerGroupSchema },
      },
    },
    async (req) => towers.deactivateTowerGroup(db, req.actor(), req.params.id),
  );

  // ── sending and reading ──────────────────────────────────────────────────────────────────
  app.post(
    '/api/notices',
    {
      bodyLimit: SEND_BODY_LIMIT,
      schema: {
        tags,
        description:
          'Sends a notice to a subtree (filtered by kind) or to chosen orgs and grids. Every receipt row is stored in the same transaction as the notice, before anyone is told.',
        body: NoticeSendSchema,
        response: { 201: NoticeDetailSchema },
      },
    },
    async (req, reply) => {
      const result = await notices.sendNotice(rt, req.actor(), req.body);
      reply.code(201);
      return result;
    },
  );
  app.get(
    '/api/notices',
    { schema: { tags, querystring: NoticeListQuerySchema, response: { 200: NoticeListSchema } } },
    async (req) => notices.listNotices(rt, req.actor(), req.query),
  );
  app.get(
    '/api/notices/inbox',
    {
      schema: {
        tags,
        description: 'Receipts the caller answers for.',
        querystring: InboxQuerySchema,
        response: { 200: InboxSchema },
      },
    },
    async (req) => notices.getInbox(rt, req.actor(), req.query),
  );
  app.get(
    '/api/notices/on-time',
    {
      schema: {
        tags,
        description: 'On-time acknowledgement rate per town for the notices of a month (Asia/Shanghai).',
        querystring: OnTimeQuerySchema,
        response: { 200: OnTimeSchema },
      },
    },
    async (req) => notices.getOnTimeByTown(rt, req.actor(), req.query),
  );

  // Server-sent events. Hidden from the OpenAPI document: it is a stream, not a JSON answer.
  app.get('/api/notices/stream', { schema: { hide: true, querystring: StreamQuerySchema } }, async (req, reply) => {
    const actor = req.actor();
    requirePermission(actor, 'notice.read');
    const pending = (await notices.getInbox(rt, actor, { status: 'pending', limit: 1 })).pending;
    const headers: Record<string, string | number | string[]> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v as string;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      // The socket goes with the stream: an ended stream never lingers as a keep-alive connection
      // that would hold up the server's shutdown.
      connection: 'close',
    });
    const write = (event: NoticeStreamEvent) => {
      if (!raw.writableEnded) raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    write({ type: 'ready', accountId: actor.accountId, pending });
    if (req.query.once) {
      raw.end();
      return;
    }
    raw.write('retry: 3000\n\n');
    const heartbeat = setInterval(() => {
      if (!raw.writableEnded) raw.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    let unsubscribe = () => {};
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      if (!raw.writableEnded) raw.end(() => req.raw.socket?.destroy());
      else req.raw.socket?.destroy();
    };
    unsubscribe = rt.hub.subscribe(actor.accountId, write, end);
    req.raw.on('close', end);
  });

  app.get(
    '/api/notices/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: NoticeDetailSchema } } },
    async (req) => notices.getNotice(rt, req.actor(), req.params.id),
  );
  app.get(
    '/api/notices/:id/report',
    { schema: { tags, params: IdParamSchema, response: { 200: ReachReportSchema } } },
    async (req) => notices.getReport(rt, req.actor(), req.params.id),
  );
  app.post(
    '/api/notices/:id/corrections',
    {
      schema: {
        tags,
        description:
          'A sent notice is never edited: a correction is a new notice to the same targets, linked to the original (history kept).',
        params: IdParamSchema,
        body: NoticeCorrectionSchema,
        response: { 201: NoticeDetailSchema },
      },
    },
    async (req, reply) => {
      const result = await notices.correctNotice(rt, req.actor(), req.params.id, req.body);
      reply.code(201);
      return result;
    },
  );
  app.get(
    '/api/notices/:id/attachments/:attachmentId',
    { schema: { tags, params: AttachmentParamSchema }, config: { uploadedContent: true } },
    async (req, reply) => {
      const file = await notices.getAttachment(rt, req.actor(), req.params.id, req.params.attachmentId);
      reply
        .type(file.mimeType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
      return file.data;
    },
  );
  app.post(
    '/api/notices/targets/:id/ack',
    {
      schema: {
        tags,
        description: 'Acknowledges a receipt (one tap; idempotent), optionally with the reply asked for.',
        params: TargetParamSchema,
        body: AckSchema,
        response: { 200: AckResultSchema },
      },
    },
    async (req) => notices.acknowledge(rt, req.actor(), req.params.id, req.body),
  );
};

/** PostgreSQL NOTIFY channel carrying live events between app servers. */
const RELAY_CHANNEL = 'jw_notice_events';

/**
 * Several app servers on one PostgreSQL: each event is delivered by the server that committed it to
 * its own streams, and NOTIFYed so every other server delivers it to the streams open there.
 */
function relayThroughPostgres(app: FastifyInstance, rt: notices.NoticeRuntime) {
  const origin = crypto.randomUUID();
  const pool = rt.database.pool!;
  let listener: PoolClient | null = null;
  rt.relay = async (message) => {
    await rt.database.query('SELECT pg_notify($1, $2)', [RELAY_CHANNEL, JSON.stringify({ origin, message })]);
  };
  app.addHook('onReady', async () => {
    listener = await pool.connect();
    listener.on('error', (err) => app.log.error({ err }, 'notice relay connection failed'));
    listener.on('notification', (n) => {
      try {
        const { origin: from, message } = JSON.parse(n.payload ?? '{}');
        if (from !== origin && message) {
          notices.deliverLocally(rt, message).catch((err) => app.log.error({ err }, 'notice relay delivery failed'));
        }
      } catch (err) {
        app.log.error({ err }, 'bad notice relay payload');
      }
    });
    await listener.query(`LISTEN ${RELAY_CHANNEL}`);
  });
  app.addHook('preClose', async () => {
    const client = listener;
    listener = null;
    if (!client) return;
    await client.query(`UNLISTEN ${RELAY_CHANNEL}`).catch(() => {});
    client.release();
  });
}

/** Not encapsulated: the runtime (hub, channels) is decorated on the app for the bench and the tests. */
export const noticeRoutes = fp(noticeRoutesPlugin, { name: 'notices' });
