import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ActivitySettingsQuerySchema,
  ActivitySettingsSchema,
  ActivitySettingsUpdateSchema,
  InboxSchema,
  InboxTokenParamSchema,
} from '../../../domain/activity-more.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { smsSenderFromConfig } from '../../lib/sms.ts';
import { getActivitySettings, updateActivitySettings } from './approval.ts';
import * as inbox from './call-inbox.service.ts';

/**
 * Activities, second part: the district's plan approval level and the youth's call inbox
 * (我的召集令, a public phone page reached from the personal link sent by SMS with each call).
 * Env: JINGWEI_PUBLIC_BASE_URL (the address links point at; default: the request's own host).
 */
export const activityMoreRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['activities'];
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  const sms = smsSenderFromConfig(app.config, app.log);
  const configuredBase = process.env.JINGWEI_PUBLIC_BASE_URL?.trim() || null;
  const baseUrl = (req: FastifyRequest) => configuredBase ?? `${req.protocol}://${req.host}`;

  app.jobs.register(inbox.CALL_NOTICE_JOB, async (ex, payload) => {
    await inbox.runCallNoticeJob(ex, pii(), sms, payload);
    return undefined;
  });

  app.get(
    '/api/activity-settings',
    {
      schema: {
        tags,
        description:
          '上一级审批: which level approves plans in the district — parent (the org directly above, default), town (the town committee above) or district (the district committee). The approver org or an org above it decides.',
        querystring: ActivitySettingsQuerySchema,
        response: { 200: ActivitySettingsSchema },
      },
    },
    async (req) => getActivitySettings(db, req.actor(), req.query.districtId),
  );
  app.put(
    '/api/activity-settings',
    {
      schema: {
        tags,
        description: 'District and platform admins: the plan approval level (applies to plans awaiting approval too).',
        body: ActivitySettingsUpdateSchema,
        response: { 200: ActivitySettingsSchema },
      },
    },
    async (req) => updateActivitySettings(db, req.actor(), req.body),
  );

  app.get(
    '/api/public/call-inbox/:token',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description:
          '我的召集令 (public, the personal link sent by SMS): the open calls the youth receives (home grid / skills match the call, the rule that counted the recipients), each with its sign-up link. A forged link is 404, an expired or withdrawn one 410.',
        params: InboxTokenParamSchema,
        response: { 200: InboxSchema },
      },
    },
    async (req) => inbox.getInbox(db, pii(), req.params.token, baseUrl(req)),
  );
};
