import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamSchema } from '../../../domain/common.ts';
import {
  AllianceMemberListSchema,
  AllianceMembersSchema,
  DistrictRollupsSchema,
  OrgCreateSchema,
  OrgListQuerySchema,
  OrgListSchema,
  OrgSchema,
  OrgTreeSchema,
  OrgUpdateSchema,
} from '../../../domain/org.ts';
import * as orgs from './orgs.service.ts';

/** 组织网络 the League organisation network. */
export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['orgs'];

  app.get(
    '/api/orgs/tree',
    {
      schema: {
        tags,
        querystring: z.object({ districtId: z.coerce.number().int().positive().optional() }).strict(),
        response: { 200: OrgTreeSchema },
      },
    },
    async (req) => orgs.getOrgTree(db, req.actor(), req.query.districtId),
  );

  app.get(
    '/api/orgs/rollups/districts',
    {
      schema: {
        tags,
        description: 'Root roll-up counters of every district (platform admins).',
        response: { 200: DistrictRollupsSchema },
      },
    },
    async (req) => orgs.getDistrictRollups(db, req.actor()),
  );

  app.get(
    '/api/orgs',
    { schema: { tags, querystring: OrgListQuerySchema, response: { 200: OrgListSchema } } },
    async (req) => {
      const result = await orgs.searchOrgs(db, req.actor(), req.query);
      return { ...result, page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  app.post(
    '/api/orgs',
    { schema: { tags, body: OrgCreateSchema, response: { 201: OrgSchema } } },
    async (req, reply) => {
      reply.code(201);
      return orgs.createOrg(db, req.actor(), req.body);
    },
  );

  app.get('/api/orgs/:id', { schema: { tags, params: IdParamSchema, response: { 200: OrgSchema } } }, async (req) =>
    orgs.getOrg(db, req.actor(), req.params.id),
  );

  app.patch(
    '/api/orgs/:id',
    { schema: { tags, params: IdParamSchema, body: OrgUpdateSchema, response: { 200: OrgSchema } } },
    async (req) => orgs.updateOrg(db, req.actor(), req.params.id, req.body),
  );

  app.delete(
    '/api/orgs/:id',
    {
      schema: {
        tags,
        description: 'Deactivates the org (never a hard delete); refused while it has active children or accounts.',
        params: IdParamSchema,
        response: { 200: OrgSchema },
      },
    },
    async (req) => orgs.deactivateOrg(db, req.actor(), req.params.id),
  );

  app.get(
    '/api/orgs/:id/members',
    { schema: { tags, params: IdParamSchema, response: { 200: AllianceMemberListSchema } } },
    async (req) => orgs.getAllianceMembers(db, req.actor(), req.params.id),
  );

  app.put(
    '/api/orgs/:id/members',
    {
      schema: { tags, params: IdParamSchema, body: AllianceMembersSchema, response: { 200: AllianceMemberListSchema } },
    },
    async (req) => orgs.setAllianceMembers(db, req.actor(), req.params.id, req.body.orgIds),
  );
};
