import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CadreDetailSchema,
  CadreListQuerySchema,
  CadreListSchema,
  CadreSchema,
  CadreSetSchema,
  ContactCoverageSchema,
  ContactLogCreateSchema,
  ContactLogListQuerySchema,
  ContactLogListSchema,
  ContactLogSchema,
  ContactParamsSchema,
  ContactsAddResultSchema,
  ContactsAddSchema,
  CoverageQuerySchema,
  DemandListQuerySchema,
  DemandListSchema,
  DistrictQuerySchema,
  TrainingCreateSchema,
  TrainingSchema,
  VisitCreateSchema,
  VisitListQuerySchema,
  VisitListSchema,
  VisitSchema,
  VisitSettingsSchema,
  VisitSettingsUpdateSchema,
} from '../../../domain/cadre.ts';
import { IdParamSchema, OkSchema } from '../../../domain/common.ts';
import * as cadres from './cadres.service.ts';

/** 团干部 (posts, trainings), 1+100 contacts and their log, the coverage dashboard, and 走访 visits. */
export const cadreRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['cadres'];

  app.get(
    '/api/cadres',
    {
      schema: {
        tags,
        description: 'Cadres of the caller’s subtree with the size of their 1+100 list and this quarter’s contacts.',
        querystring: CadreListQuerySchema,
        response: { 200: CadreListSchema },
      },
    },
    async (req) => cadres.searchCadres(db, req.actor(), req.query),
  );

  app.get(
    '/api/cadres/coverage',
    {
      schema: {
        tags,
        description: '1+100 dashboard: per cadre, contacts reached this quarter (Asia/Shanghai) and those not reached.',
        querystring: CoverageQuerySchema,
        response: { 200: ContactCoverageSchema },
      },
    },
    async (req) => cadres.getContactCoverage(db, req.actor(), req.query),
  );

  app.get(
    '/api/cadres/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: CadreDetailSchema } } },
    async (req) => cadres.getCadre(db, req.actor(), req.params.id),
  );

  app.put(
    '/api/cadres/:id',
    {
      schema: {
        tags,
        description: 'Makes person :id a cadre with these posts (201), or changes his posts (200).',
        params: IdParamSchema,
        body: CadreSetSchema,
        response: { 200: CadreSchema, 201: CadreSchema },
      },
    },
    async (req, reply) => {
      const r = await cadres.setCadre(db, req.actor(), req.params.id, req.body);
      reply.code(r.outcome === 'created' ? 201 : 200);
      return r.cadre;
    },
  );

  app.post(
    '/api/cadres/:id/trainings',
    { schema: { tags, params: IdParamSchema, body: TrainingCreateSchema, response: { 201: TrainingSchema } } },
    async (req, reply) => {
      reply.code(201);
      return cadres.addTraining(db, req.actor(), req.params.id, req.body);
    },
  );

  app.post(
    '/api/cadres/:id/contacts',
    {
      schema: {
        tags,
        description: 'Adds youth to the cadre’s 1+100 list (at most 100 in all; all or nothing).',
        params: IdParamSchema,
        body: ContactsAddSchema,
        response: { 200: ContactsAddResultSchema },
      },
    },
    async (req) => cadres.addContacts(db, req.actor(), req.params.id, req.body.personIds),
  );

  app.delete(
    '/api/cadres/:id/contacts/:personId',
    {
      schema: {
        tags,
        description: 'Takes a youth off the list; his contact log stays.',
        params: ContactParamsSchema,
        response: { 200: OkSchema },
      },
    },
    async (req) => cadres.removeContact(db, req.actor(), req.params.id, req.params.personId),
  );

  app.get(
    '/api/cadres/:id/contact-logs',
    {
      schema: {
        tags,
        params: IdParamSchema,
        querystring: ContactLogListQuerySchema,
        response: { 200: ContactLogListSchema },
      },
    },
    async (req) => cadres.searchContactLogs(db, req.actor(), req.params.id, req.query),
  );

  app.post(
    '/api/cadres/:id/contact-logs',
    {
      schema: {
        tags,
        description: 'Logs a contact (date, channel, note) with a youth of the cadre’s list.',
        params: IdParamSchema,
        body: ContactLogCreateSchema,
        response: { 201: ContactLogSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return cadres.logContact(db, req.actor(), req.params.id, req.body);
    },
  );

  app.get(
    '/api/visits/settings',
    { schema: { tags, querystring: DistrictQuerySchema, response: { 200: VisitSettingsSchema } } },
    async (req) => cadres.getVisitSettings(db, req.actor(), req.query.districtId),
  );

  app.put(
    '/api/visits/settings',
    {
      schema: {
        tags,
        description: 'The district’s monthly visit day (1–28; default the 9th). District admins only.',
        querystring: DistrictQuerySchema,
        body: VisitSettingsUpdateSchema,
        response: { 200: VisitSettingsSchema },
      },
    },
    async (req) => cadres.updateVisitSettings(db, req.actor(), req.body, req.query.districtId),
  );

  app.get(
    '/api/visits/demands',
    {
      schema: {
        tags,
        description: 'Demands collected on visits in the caller’s subtree (open ones become service orders).',
        querystring: DemandListQuerySchema,
        response: { 200: DemandListSchema },
      },
    },
    async (req) => cadres.searchDemands(db, req.actor(), req.query),
  );

  app.get(
    '/api/visits',
    { schema: { tags, querystring: VisitListQuerySchema, response: { 200: VisitListSchema } } },
    async (req) => cadres.searchVisits(db, req.actor(), req.query),
  );

  app.post(
    '/api/visits',
    {
      schema: {
        tags,
        description: 'Records a visit of a person, enterprise or organisation with notes and the demands collected.',
        body: VisitCreateSchema,
        response: { 201: VisitSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return cadres.createVisit(db, req.actor(), req.body);
    },
  );

  app.get('/api/visits/:id', { schema: { tags, params: IdParamSchema, response: { 200: VisitSchema } } }, async (req) =>
    cadres.getVisit(db, req.actor(), req.params.id),
  );
};
