import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DashboardOverviewSchema,
  DashboardQuerySchema,
  GridMapQuerySchema,
  GridMapSchema,
} from '../../../domain/dashboard.ts';
import { getOverview } from './dashboard.service.ts';
import { getGridMap, registerBuiltinGridMapMetrics } from './dashboard-map.ts';

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

  registerBuiltinGridMapMetrics();
  app.get(
    '/api/dashboard/grid-map',
    {
      schema: {
        tags: ['dashboard'],
        description:
          'Per-grid values of one metric (capacity, youth, members, four_ones, participation, activities, open_orders …) ' +
          'for the active grids of an org subtree in your scope, classified, with the legend (colours, ranges, counts).',
        querystring: GridMapQuerySchema,
        response: { 200: GridMapSchema },
      },
    },
    async (req) => getGridMap(app.database, req.actor(), req.query),
  );
};
