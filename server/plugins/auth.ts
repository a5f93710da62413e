import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { pickLang } from '../../domain/messages.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { AppError } from '../lib/errors.ts';
import { resolveSession, type SessionContext } from '../modules/auth/auth.service.ts';

export const SESSION_COOKIE = 'jw_session';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    config: Config;
  }
  interface FastifyRequest {
    /** The session of the request, resolved once per request (null when public or anonymous). */
    sessionContext: SessionContext | null;
    /** The acting account; throws UNAUTHENTICATED on a public request. */
    actor(): Actor;
  }
  interface FastifyContextConfig {
    /** Routes open without a session (login, health, public pages). */
    public?: boolean;
    /** Routes usable while the account must still change its password. */
    allowPasswordChangePending?: boolean;
    /** Routes usable while an admin who must use TOTP has not enrolled yet (issue 11). */
    allowSecondFactorPending?: boolean;
    /** Downloads of files someone uploaded, served under the type the uploader claimed (see download-headers.ts). */
    uploadedContent?: boolean;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Session authentication for every /api route that is not marked public, the first-login
 * password change gate, and CSRF protection of cookie-authenticated writes (synchronizer token
 * kept in the session row, echoed by the client in x-csrf-token).
 */
export default fp(async (app: FastifyInstance) => {
  app.decorateRequest('sessionContext', null);
  app.decorateRequest('actor', function (this: FastifyRequest) {
    if (!this.sessionContext) throw new AppError('UNAUTHENTICATED');
    return this.sessionContext.actor;
  });

  // Pages, the API docs and unmatched paths (answered 404 by the not-found handler) need no session.
  const isApiRoute = (req: FastifyRequest) =>
    req.url.startsWith('/api/') && !req.url.startsWith('/api/docs') && !!req.routeOptions.url;
  const policy = { idleTimeoutMinutes: app.config.idleTimeoutMinutes, sessionMaxHours: app.config.sessionMaxHours };
  const infoOf = (req: FastifyRequest) => ({ ip: req.ip, lang: pickLang(req.headers['accept-language']) });

  // Public routes: the session is optional, resolved after the route's rate limit (an onRequest hook of the route).
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (!isApiRoute(req) || !req.routeOptions.config?.public) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.sessionContext = await resolveSession(app.database, token, policy, infoOf(req)).catch(() => null);
  });

  // Every other route: checked on arrival, before the body is read — an anonymous or forged request must not make
  // the server buffer and parse a body of up to the route's limit (20 MB for photos and imports; DAST, SECURITY.md).
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!isApiRoute(req)) return;
    const routeConfig = req.routeOptions.config ?? {};
    if (routeConfig.public) return;
    const token = req.cookies[SESSION_COOKIE];
    const info = infoOf(req);
    if (!token) throw new AppError('UNAUTHENTICATED');
    try {
      req.sessionContext = await resolveSession(app.database, token, policy, info);
    } catch (err) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      throw err;
    }
    if (UNSAFE_METHODS.has(req.method) && !sameToken(req.headers['x-csrf-token'], req.sessionContext.csrfToken)) {
      throw new AppError('CSRF');
    }
    if (req.sessionContext.actor.mustChangePassword && !routeConfig.allowPasswordChangePending) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
    if (!req.sessionContext.secondFactor && !routeConfig.allowSecondFactorPending) {
      throw new AppError('TOTP_ENROLMENT_REQUIRED');
    }
  });
});

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
