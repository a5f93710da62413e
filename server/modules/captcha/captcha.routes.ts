import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaptchaSchema } from '../../../domain/captcha.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { purgeExpired } from './captcha.repository.ts';
import { issueCaptcha } from './captcha.service.ts';

const PURGE_EVERY_MS = 10 * 60_000;

/** 图形验证码: a public form fetches one when the server answered CAPTCHA_REQUIRED (captcha.service.ts). */
export const captchaRoutes: FastifyPluginAsyncZod = async (app) => {
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  // Expired challenges and counters of past windows go every 10 minutes (idempotent: each server may run it).
  let lastPurge = 0;
  app.jobs.addTickTask(async (now) => {
    if (now.getTime() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now.getTime();
    await purgeExpired(app.database.db);
  });

  app.get(
    '/api/public/captcha',
    {
      config: {
        public: true,
        rateLimit: { max: Number(process.env.JINGWEI_CAPTCHA_RATE_LIMIT ?? 30), timeWindow: 60_000 },
      },
      schema: {
        tags: ['captcha'],
        security: [],
        description:
          'Public: a new captcha (SVG image of distorted characters, valid 5 minutes, one use). Send {id, text} as the field `captcha` of the form that asked for it.',
        response: { 200: CaptchaSchema },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      const { text: _answer, ...challenge } = await issueCaptcha(app.database, pii());
      return challenge;
    },
  );
};
