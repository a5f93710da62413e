import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamSchema, OkSchema } from '../../../domain/common.ts';
import {
  CoverageQuerySchema,
  CoverageSchema,
  DivideAcceptSchema,
  DivideInputSchema,
  DivisionSchema,
  GridCreateSchema,
  GridImportResultSchema,
  GridImportSchema,
  GridListQuerySchema,
  GridListSchema,
  GridSchema,
  GridStatsQuerySchema,
  GridStatsSchema,
  GridUpdateSchema,
  GridWriteResultSchema,
  SettingsSchema,
  SettingsUpdateSchema,
  TerritoryInputSchema,
  TerritorySchema,
} from '../../../domain/grid.ts';
import { checkCoverage, getTerritory, removeTerritory, setTerritory } from './coverage.service.ts';
import { acceptDivision, proposeDivision } from './divide.service.ts';
import { exportGrids, importGrids } from './geojson.service.ts';
import * as grids from './grids.service.ts';

/** Largest GeoJSON upload: a whole district's grids drawn in detail fit well below this. */
const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
/** A single drawn boundary (20,000 points at most) fits in this. */
const WRITE_BODY_LIMIT = 2 * 1024 * 1024;

/** 网格 grids, their coverage, territories and GeoJSON exchange. */
export const gridRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['grids'];

  app.get(
    '/api/grids',
    { schema: { tags, querystring: GridListQuerySchema, response: { 200: GridListSchema } } },
    async (req) => grids.searchGrids(db, req.actor(), req.query),
  );

  app.get(
    '/api/grids/stats',
    {
      schema: {
        tags,
        description: '四个一 and capacity roll-up of an org (default: your own org) and of each of its children.',
        querystring: GridStatsQuerySchema,
        response: { 200: GridStatsSchema },
      },
    },
    async (req) => grids.getGridStats(db, req.actor(), req.query),
  );

  app.get(
    '/api/grids/coverage',
    {
      schema: {
        tags,
        description: 'Overlaps between grids, gaps in the territory and grids sticking out of a drawn territory.',
        querystring: CoverageQuerySchema,
        response: { 200: CoverageSchema },
      },
    },
    async (req) => checkCoverage(db, req.actor(), req.query),
  );

  app.get(
    '/api/grids/settings',
    {
      schema: {
        tags,
        querystring: z.object({ districtId: z.coerce.number().int().positive().optional() }).strict(),
        response: { 200: SettingsSchema },
      },
    },
    async (req) => grids.getSettings(db, req.actor(), req.query.districtId),
  );

  app.put(
    '/api/grids/settings',
    { schema: { tags, body: SettingsUpdateSchema, response: { 200: SettingsSchema } } },
    async (req) => grids.updateSettings(db, req.actor(), req.body),
  );

  app.get(
    '/api/grids/export',
    {
      schema: {
        tags,
        description: 'GeoJSON FeatureCollection (RFC 7946, WGS-84) of the active grids under an org, for QGIS.',
        querystring: GridStatsQuerySchema,
      },
    },
    async (req, reply) => {
      const { org, collection } = await exportGrids(db, req.actor(), req.query);
      reply
        .type('application/geo+json; charset=utf-8')
        .header('content-disposition', `attachment; filename="grids-${org.districtId}-${org.id}.geojson"`);
      return JSON.stringify(collection);
    },
  );

  app.post(
    '/api/grids/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        description: 'Imports a GeoJSON FeatureCollection: every feature or none.',
        body: GridImportSchema,
        response: { 200: GridImportResultSchema },
      },
    },
    async (req) => importGrids(db, req.actor(), req.body),
  );

  app.post(
    '/api/grids/divide',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        description: 'Division assistant: proposes grids for a village/community from youth locations. Writes nothing.',
        body: DivideInputSchema,
        response: { 200: DivisionSchema },
      },
    },
    async (req) => proposeDivision(db, req.actor(), req.body),
  );

  app.post(
    '/api/grids/divide/accept',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        description: 'Creates the accepted (possibly adjusted) proposal in one transaction.',
        body: DivideAcceptSchema,
        response: { 200: GridImportResultSchema },
      },
    },
    async (req) => acceptDivision(db, req.actor(), req.body),
  );

  app.get(
    '/api/grids/territories/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: TerritorySchema } } },
    async (req) => getTerritory(db, req.actor(), req.params.id),
  );

  app.put(
    '/api/grids/territories/:id',
    {
      bodyLimit: WRITE_BODY_LIMIT,
      schema: {
        tags,
        description: "Draws an org's territory (the id is the org's).",
        params: IdParamSchema,
        body: TerritoryInputSchema,
        response: { 200: TerritorySchema },
      },
    },
    async (req) => setTerritory(db, req.actor(), req.params.id, req.body),
  );

  app.delete(
    '/api/grids/territories/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: OkSchema } } },
    async (req) => removeTerritory(db, req.actor(), req.params.id),
  );

  app.post(
    '/api/grids',
    { bodyLimit: WRITE_BODY_LIMIT, schema: { tags, body: GridCreateSchema, response: { 201: GridWriteResultSchema } } },
    async (req, reply) => {
      reply.code(201);
      return grids.createGrid(db, req.actor(), req.body);
    },
  );

  app.get('/api/grids/:id', { schema: { tags, params: IdParamSchema, response: { 200: GridSchema } } }, async (req) =>
    grids.getGrid(db, req.actor(), req.params.id),
  );

  app.patch(
    '/api/grids/:id',
    {
      bodyLimit: WRITE_BODY_LIMIT,
      schema: { tags, params: IdParamSchema, body: GridUpdateSchema, response: { 200: GridWriteResultSchema } },
    },
    async (req) => grids.updateGrid(db, req.actor(), req.params.id, req.body),
  );

  app.delete(
    '/api/grids/:id',
    {
      schema: {
        tags,
        description: 'Deactivates the grid (never a hard delete).',
        params: IdParamSchema,
        response: { 200: GridWriteResultSchema },
      },
    },
    async (req) => grids.deactivateGrid(db, req.actor(), req.params.id),
  );
};
