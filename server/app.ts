import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { pickLang } from '../domain/messages.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { jobsPlugin } from './jobs/queue.ts';
import { countAccountsByOrg, countActiveAccountsOfOrg } from './modules/accounts/accounts.repository.ts';
import { accountRoutes } from './modules/accounts/accounts.routes.ts';
import { registerActivityMetrics } from './modules/activities/activities.metrics.ts';
import { activityRoutes } from './modules/activities/activities.routes.ts';
import { activityMoreRoutes } from './modules/activities/activities-more.routes.ts';
import { assessmentRoutes } from './modules/assessments/assessments.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { captchaRoutes } from './modules/captcha/captcha.routes.ts';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.ts';
import { districtRoutes } from './modules/districts/districts.routes.ts';
import { fundRoutes } from './modules/funds/funds.routes.ts';
import { countActiveGridsOfOrg, countGridsByOrg } from './modules/grids/grids.repository.ts';
import { gridRoutes } from './modules/grids/grids.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { ledgerRoutes } from './modules/ledgers/ledgers.routes.ts';
import { noticeRoutes } from './modules/notices/notices.routes.ts';
import { orderReminderRoutes } from './modules/orders/order-reminders.routes.ts';
import { registerOrdersSection } from './modules/orders/orders.dashboard.ts';
import { registerOrderMetrics } from './modules/orders/orders.metrics.ts';
import { orderRoutes } from './modules/orders/orders.routes.ts';
import { registerOrgDependent, registerRollupSource } from './modules/orgs/org-extensions.ts';
import { orgRoutes } from './modules/orgs/orgs.routes.ts';
import { registerPeopleMetrics } from './modules/people/people.metrics.ts';
import { countActivePeopleOfBranch, countMembersByOrg, countPeopleByOrg } from './modules/people/people.repository.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { photoRoutes } from './modules/photos/photos.routes.ts';
import { registrationRoutes } from './modules/registrations/registrations.routes.ts';
import { venueRoutes } from './modules/venues/venues.routes.ts';
import authPlugin from './plugins/auth.ts';
import errorsPlugin, { sendProblem } from './plugins/errors.ts';
import { downloadHeaders } from './trust/download-headers.ts';

declare module 'fastify' {
  interface FastifyInstance {
    appVersion: string;
  }
}

const VERSION: string = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** Plugs each module's counters and deactivation guards into the org tree. */
function registerOrgExtensions() {
  registerRollupSource({ key: 'accounts', directCounts: countAccountsByOrg });
  registerOrgDependent({ code: 'ORG_HAS_ACCOUNTS', activeCount: countActiveAccountsOfOrg });
  registerRollupSource({ key: 'grids', directCounts: countGridsByOrg });
  registerOrgDependent({ code: 'ORG_HAS_GRIDS', activeCount: countActiveGridsOfOrg });
  registerRollupSource({ key: 'people', directCounts: countPeopleByOrg });
  registerRollupSource({ key: 'members', directCounts: countMembersByOrg });
  registerOrgDependent({ code: 'ORG_HAS_PEOPLE', activeCount: countActivePeopleOfBranch });
}

/**
 * Headers of the router's refusals (malformed percent-escapes, over-long path parameters), which Fastify answers
 * before the onRequest hooks, so before helmet: a problem document needs no source at all.
 */
function routerRefusalHeaders(secure: boolean): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Builds the HTTP application on an open, migrated database. Used by `serve` and by tests. */
export async function buildApp(config: Config, database: Database): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
            ...(process.env.NODE_ENV === 'production' || !process.stdout.isTTY
              ? {}
              : { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } }),
          },
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // The router's own refusals (malformed URL, path parameter over 100 characters) as problem+json too. They are
    // answered before any hook runs, so without helmet's headers: set the strict ones here (DAST, SECURITY.md).
    frameworkErrors: (err, req, reply) => {
      reply.headers(routerRefusalHeaders(config.secureCookies));
      return sendProblem(reply, pickLang(req.headers['accept-language']), 'BAD_REQUEST', { detail: err.message });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('database', database);
  app.decorate('config', config);
  app.decorate('appVersion', VERSION);
  registerOrgExtensions();
  // Ranking and grid-map metrics of activities and orders, the orders' overview section (issue 9).
  registerActivityMetrics();
  registerPeopleMetrics();
  registerOrderMetrics();
  registerOrdersSection();

  await app.register(errorsPlugin);
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // 天地图 tiles (web/src/components/map/BaseLayers.tsx: https://t0…t7.tianditu.gov.cn)
        imgSrc: ["'self'", 'data:', 'blob:', 'https://*.tianditu.gov.cn'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // Only behind TLS: on a plain-HTTP intranet install (http://192.168.x.x) the browser would otherwise
        // rewrite every script URL to https:// and the console would never load.
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  await app.register(downloadHeaders);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => {
      const err = new Error('rate limited') as Error & { statusCode: number };
      err.statusCode = context.statusCode;
      return err;
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Jingwei 经纬 API',
        version: VERSION,
        description: 'Grid-based grassroots Youth League work (双网互动).',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'jw_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    // Adds named (recursive) schemas to components, so every $ref in the document resolves.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // swagger-ui's own CSP allows framing by the same origin; no page of ours may be framed.
    transformStaticCSP: (csp) => {
      const framed = csp.replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'");
      return config.secureCookies ? framed : framed.replace(/\s*upgrade-insecure-requests;?/, '');
    },
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(authPlugin);
  await app.register(jobsPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(districtRoutes);
  await app.register(orgRoutes);
  await app.register(accountRoutes);
  await app.register(auditRoutes);
  await app.register(gridRoutes);
  await app.register(peopleRoutes);
  await app.register(ledgerRoutes);
  await app.register(dashboardRoutes);
  await app.register(registrationRoutes);
  await app.register(captchaRoutes);
  await app.register(assessmentRoutes);
  await app.register(venueRoutes);
  await app.register(fundRoutes);

  await app.register(noticeRoutes);
  await app.register(orderRoutes);
  await app.register(activityRoutes);
  await app.register(activityMoreRoutes);
  await app.register(orderReminderRoutes);
  await app.register(photoRoutes);

  await registerWebConsole(app, config);
  return app;
}

/** Serves the built console and answers unknown non-API paths with index.html (client-side routes). */
async function registerWebConsole(app: FastifyInstance, config: Config) {
  const indexFile = config.webDist ? path.join(config.webDist, 'index.html') : null;
  const hasWeb = !!indexFile && fs.existsSync(indexFile);
  // 二维报到 /r/:token has its own light entry (web/phone.html, issue 10); an older build without it: the console
  const hasPhone = hasWeb && fs.existsSync(path.join(config.webDist!, 'phone.html'));
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: config.webDist!,
      wildcard: false,
      index: false,
      // The build writes .br/.gz beside each asset (vite.config.ts); hashed asset names never change content,
      // so browsers keep them for a year, while index.html is revalidated on every visit.
      preCompressed: true,
      cacheControl: false, // ours, below
      setHeaders: (res, file) =>
        res.setHeader(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
  app.setNotFoundHandler((req, reply) => {
    const lang = pickLang(req.headers['accept-language']);
    // Client-side routes get the console; API paths and missing build assets are plain 404s.
    const isPage = req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/');
    if (!isPage || !hasWeb) return sendProblem(reply, lang, 'NOT_FOUND');
    const page = hasPhone && /^\/r\/[^/?#]+\/?(?:[?#]|$)/.test(req.url) ? 'phone.html' : 'index.html';
    return reply.type('text/html; charset=utf-8').sendFile(page);
  });
}
