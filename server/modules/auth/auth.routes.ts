import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LoginSchema, MeSchema, PasswordChangeSchema } from '../../../domain/account.ts';
import { OkSchema } from '../../../domain/common.ts';
import { pickLang } from '../../../domain/messages.ts';
import { AppError } from '../../lib/errors.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import type { AccountRow } from '../accounts/accounts.repository.ts';
import { getDistrictName } from '../districts/districts.repository.ts';
import { changePassword, login, logout, permissionsOf, toAccount } from './auth.service.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
  };

  async function meOf(account: AccountRow, csrfToken: string) {
    return {
      account: toAccount(account),
      districtName: account.districtId ? await getDistrictName(app.database.db, account.districtId) : null,
      permissions: permissionsOf(account),
      csrfToken,
    };
  }

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: app.config.loginRateLimit, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], body: LoginSchema, response: { 200: MeSchema } },
    },
    async (req, reply) => {
      const { token, csrfToken, account } = await login(app.database, req.body.username, req.body.password, {
        ip: req.ip,
        lang: pickLang(req.headers['accept-language']),
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return meOf(account, csrfToken);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { tags: ['auth'], response: { 200: OkSchema } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(app.database, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me',
    { config: { allowPasswordChangePending: true }, schema: { tags: ['auth'], response: { 200: MeSchema } } },
    async (req) => {
      const ctx = req.sessionContext;
      if (!ctx) throw new AppError('UNAUTHENTICATED');
      return meOf(ctx.account, ctx.csrfToken);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { allowPasswordChangePending: true },
      schema: { tags: ['auth'], body: PasswordChangeSchema, response: { 200: OkSchema } },
    },
    async (req) => {
      await changePassword(app.database, req.sessionContext!, req.body.currentPassword, req.body.newPassword);
      return { ok: true as const };
    },
  );
};
