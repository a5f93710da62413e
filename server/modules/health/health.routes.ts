import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema } from '../../../domain/common.ts';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    { config: { public: true }, schema: { tags: ['system'], security: [], response: { 200: HealthSchema } } },
    async () => ({
      status: 'ok' as const,
      database: app.database.kind,
      migration: await app.database.migrationTag(),
      postgis: await app.database.postgisVersion(),
      version: app.appVersion,
    }),
  );
};
