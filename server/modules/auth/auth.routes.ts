import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  LoginSchema,
  MeSchema,
  PasswordChangeSchema,
  TotpCodeSchema,
  TotpSetupSchema,
} from '../../../domain/account.ts';
import { OkSchema } from '../../../domain/common.ts';
import { pickLang } from '../../../domain/messages.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import type { AccountRow } from '../accounts/accounts.repository.ts';
import { getDistrictName } from '../districts/districts.repository.ts';
import {
  type AuthPolicy,
  changePassword,
  confirmTotpEnrolment,
  login,
  logout,
  permissionsOf,
  secondFactorState,
  startTotpEnrolment,
  toAccount,
} from './auth.service.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const policy: AuthPolicy = {
    passwordProfile: app.config.passwordProfile,
    passwordMaxAgeDays: app.config.passwordMaxAgeDays,
    sessionMaxHours: app.config.sessionMaxHours,
    idleTimeoutMinutes: app.config.idleTimeoutMinutes,
    cipher: () => piiCipherFor(app.config.dataDir, app.log),
  };
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
  };

  async function meOf(account: AccountRow, csrfToken: string, sessionSecondFactor: boolean) {
    return {
      account: toAccount(account),
      districtName: account.districtId ? await getDistrictName(app.database.db, account.districtId) : null,
      permissions: permissionsOf(account),
      csrfToken,
      secondFactor: await secondFactorState(app.database, account, sessionSecondFactor, policy),
    };
  }

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: app.config.loginRateLimit, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], security: [], body: LoginSchema, response: { 200: MeSchema } },
    },
    async (req, reply) => {
      const { token, csrfToken, account, secondFactor } = await login(
        app.database,
        { ...req.body, previousToken: req.cookies[SESSION_COOKIE] },
        { ip: req.ip, lang: pickLang(req.headers['accept-language']) },
        policy,
      );
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return meOf(account, csrfToken, secondFactor);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { tags: ['auth'], security: [], response: { 200: OkSchema } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(app.database, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me',
    {
      config: { allowPasswordChangePending: true, allowSecondFactorPending: true },
      schema: { tags: ['auth'], response: { 200: MeSchema } },
    },
    async (req) => {
      const ctx = req.sessionContext;
      if (!ctx) throw new AppError('UNAUTHENTICATED');
      return meOf(ctx.account, ctx.csrfToken, ctx.secondFactor);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { allowPasswordChangePending: true, allowSecondFactorPending: true },
      schema: { tags: ['auth'], body: PasswordChangeSchema, response: { 200: OkSchema } },
    },
    async (req) => {
      await changePassword(
        app.database,
        req.sessionContext!,
        req.body.currentPassword,
        req.body.newPassword,
        app.config.passwordProfile,
      );
      return { ok: true as const };
    },
  );

  // TOTP second factor: any account may enrol; under the 等保 profile district and platform admins must.
  app.post(
    '/api/auth/totp/setup',
    {
      config: { allowPasswordChangePending: true, allowSecondFactorPending: true },
      schema: { tags: ['auth'], response: { 200: TotpSetupSchema } },
    },
    async (req) => startTotpEnrolment(app.database, req.sessionContext!, policy),
  );

  app.post(
    '/api/auth/totp/enable',
    {
      config: { allowPasswordChangePending: true, allowSecondFactorPending: true },
      schema: { tags: ['auth'], body: TotpCodeSchema, response: { 200: OkSchema } },
    },
    async (req) => {
      await confirmTotpEnrolment(app.database, req.sessionContext!, req.body.code, policy);
      return { ok: true as const };
    },
  );
};
