import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DashboardOverviewSchema, DashboardQuerySchema } from '../../../domain/dashboard.ts';
import { getOverview } from './dashboard.service.ts';

/** 数据看板 the overview behind the workbench and the big screen. */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/dashboard/overview',
    {
      schema: {
        tags: ['dashboard'],
        description:
          'Totals of an org subtree (default: your own org) and per child org: roll-up counters of every module, ' +
          'grid capacity and 四个一, and module sections. Scoped like the detailed lists.',
        querystring: DashboardQuerySchema,
        response: { 200: DashboardOverviewSchema },
      },
    },
    async (req) => getOverview(app.database, req.actor(), req.query),
  );
};
