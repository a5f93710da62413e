import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DistrictCreateSchema, DistrictListSchema, DistrictSchema } from '../../../domain/common.ts';
import { createDistrict, getDistricts } from './districts.service.ts';

/** 区县 districts: one tenant each. Platform admins create them; everyone else sees their own. */
export const districtRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['districts'];
  app.get('/api/districts', { schema: { tags, response: { 200: DistrictListSchema } } }, async (req) =>
    getDistricts(app.database, req.actor()),
  );
  app.post(
    '/api/districts',
    { schema: { tags, body: DistrictCreateSchema, response: { 201: DistrictSchema } } },
    async (req, reply) => {
      reply.code(201);
      return createDistrict(app.database, req.actor(), req.body.code, req.body.name);
    },
  );
};
