import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IndicatorSetCreateSchema,
  IndicatorSetDefinitionSchema,
  IndicatorSetListSchema,
  IndicatorSetSchema,
  RoundCreateSchema,
  RoundDetailSchema,
  RoundListSchema,
  RoundResultsSchema,
  RoundSchema,
  ScoreEntrySchema,
  ScoreListSchema,
} from '../../../domain/assessment.ts';
import { IdParamSchema } from '../../../domain/common.ts';
import * as assessments from './assessments.service.ts';

const DistrictQuery = z.object({ districtId: z.coerce.number().int().positive().optional() }).strict();

/** 考核 assessment rounds on the 7-point scale (Keqiao template built in). */
export const assessmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['assessments'];

  app.get(
    '/api/assessments/template',
    {
      schema: {
        tags,
        description: 'The built-in Keqiao 2013 set (10 indicators, 30 items)',
        response: { 200: IndicatorSetDefinitionSchema },
      },
    },
    async () => assessments.getTemplate(),
  );
  app.get(
    '/api/assessments/sets',
    { schema: { tags, querystring: DistrictQuery, response: { 200: IndicatorSetListSchema } } },
    async (req) => assessments.getSets(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/assessments/sets',
    {
      schema: {
        tags,
        querystring: DistrictQuery,
        body: IndicatorSetCreateSchema,
        response: { 201: IndicatorSetSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return assessments.createSet(db, req.actor(), req.body, req.query.districtId);
    },
  );
  app.get(
    '/api/assessments/rounds',
    { schema: { tags, querystring: DistrictQuery, response: { 200: RoundListSchema } } },
    async (req) => assessments.getRounds(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/assessments/rounds',
    { schema: { tags, querystring: DistrictQuery, body: RoundCreateSchema, response: { 201: RoundSchema } } },
    async (req, reply) => {
      reply.code(201);
      return assessments.createRound(db, req.actor(), req.body, req.query.districtId);
    },
  );
  app.get(
    '/api/assessments/rounds/:id',
    {
      schema: {
        tags,
        description: 'One round with the indicator set it is scored against (for its assessors too)',
        params: IdParamSchema,
        querystring: DistrictQuery,
        response: { 200: RoundDetailSchema },
      },
    },
    async (req) => assessments.getRound(db, req.actor(), req.params.id, req.query.districtId),
  );
  app.get(
    '/api/assessments/rounds/:id/scores',
    {
      schema: {
        tags,
        description: "The caller's own scores of one assessed org",
        params: IdParamSchema,
        querystring: DistrictQuery.extend({ orgId: z.coerce.number().int().positive() }).strict(),
        response: { 200: ScoreListSchema },
      },
    },
    async (req) => assessments.getMyScores(db, req.actor(), req.params.id, req.query.orgId, req.query.districtId),
  );
  app.put(
    '/api/assessments/rounds/:id/scores',
    {
      schema: {
        tags,
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: ScoreEntrySchema,
        response: { 200: ScoreListSchema },
      },
    },
    async (req) => assessments.enterScores(db, req.actor(), req.params.id, req.body, req.query.districtId),
  );
  app.get(
    '/api/assessments/rounds/:id/results',
    { schema: { tags, params: IdParamSchema, querystring: DistrictQuery, response: { 200: RoundResultsSchema } } },
    async (req) => assessments.getResults(db, req.actor(), req.params.id, req.query.districtId),
  );
};
