import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamSchema, OkSchema } from '../../../domain/common.ts';
import {
  KeyYouthListQuerySchema,
  KeyYouthListSchema,
  KeyYouthSchema,
  KeyYouthSetSchema,
  PersonCreateSchema,
  PersonIdentifiersSchema,
  PersonListQuerySchema,
  PersonListSchema,
  PersonLookupSchema,
  PersonReviewListQuerySchema,
  PersonReviewListSchema,
  PersonReviewResolveSchema,
  PersonReviewSchema,
  PersonSchema,
  PersonUpdateSchema,
  PersonWriteResultSchema,
} from '../../../domain/person.ts';
import { assertPiiKeysConfigured, piiCipherFor } from '../../lib/crypto.ts';
import { cadreRoutes } from './cadres.routes.ts';
import * as people from './people.service.ts';

/** 青年库 the people registry, its review list and the key-youth archive. */
export const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['people'];
  assertPiiKeysConfigured();
  // Made on first use: apps that never touch personal data create no development key file.
  const pii = () => piiCipherFor(app.config.dataDir, app.log);

  app.get(
    '/api/people',
    {
      schema: {
        tags,
        description: 'The registry of the caller’s subtree (identifiers masked); no key youth, no withdrawn people.',
        querystring: PersonListQuerySchema,
        response: { 200: PersonListSchema },
      },
    },
    async (req) => people.searchPeople(db, pii(), req.actor(), req.query),
  );

  app.post(
    '/api/people',
    {
      schema: {
        tags,
        description:
          'Staff entry. A known ID or phone updates that person (200); a conflict goes to the review list (202).',
        body: PersonCreateSchema,
        response: { 200: PersonWriteResultSchema, 201: PersonWriteResultSchema, 202: PersonWriteResultSchema },
      },
    },
    async (req, reply) => {
      const result = await people.createPerson(db, pii(), req.actor(), req.body);
      reply.code(result.outcome === 'created' ? 201 : result.outcome === 'review' ? 202 : 200);
      return result;
    },
  );

  app.post(
    '/api/people/lookup',
    {
      schema: {
        tags,
        description: 'Exact lookup by phone or ID number (in the body, so identifiers never reach URLs or logs).',
        body: PersonLookupSchema,
        response: { 200: PersonListSchema },
      },
    },
    async (req) => people.lookupPeople(db, pii(), req.actor(), req.body),
  );

  app.get(
    '/api/people/reviews',
    { schema: { tags, querystring: PersonReviewListQuerySchema, response: { 200: PersonReviewListSchema } } },
    async (req) => people.searchReviews(db, pii(), req.actor(), req.query),
  );

  app.post(
    '/api/people/reviews/:id/resolve',
    {
      schema: {
        tags,
        params: IdParamSchema,
        body: PersonReviewResolveSchema,
        response: { 200: z.object({ review: PersonReviewSchema, person: PersonSchema.nullable() }) },
      },
    },
    async (req) => people.resolveReview(db, pii(), req.actor(), req.params.id, req.body),
  );

  app.get(
    '/api/people/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: PersonSchema } } },
    async (req) => people.getPerson(db, pii(), req.actor(), req.params.id),
  );

  app.patch(
    '/api/people/:id',
    { schema: { tags, params: IdParamSchema, body: PersonUpdateSchema, response: { 200: PersonSchema } } },
    async (req) => people.updatePerson(db, pii(), req.actor(), req.params.id, req.body),
  );

  app.get(
    '/api/people/:id/identifiers',
    {
      schema: {
        tags,
        description: 'Unmasked phone and ID number. Needs person.pii; every call is audited.',
        params: IdParamSchema,
        response: { 200: PersonIdentifiersSchema },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return people.getIdentifiers(db, pii(), req.actor(), req.params.id);
    },
  );

  const transitions = {
    confirm: people.confirmPerson,
    deactivate: people.deactivatePerson,
    reactivate: people.reactivatePerson,
    'withdraw-consent': people.withdrawConsent,
  } as const;
  for (const [name, fn] of Object.entries(transitions)) {
    app.post(
      `/api/people/:id/${name}`,
      { schema: { tags, params: IdParamSchema, response: { 200: PersonSchema } } },
      async (req) => fn(db, pii(), req.actor(), req.params.id),
    );
  }

  const keyTags = ['key-youth'];
  app.get(
    '/api/key-youth',
    {
      schema: {
        tags: keyTags,
        description: 'The restricted archive (person.key_youth); every read is audited.',
        querystring: KeyYouthListQuerySchema,
        response: { 200: KeyYouthListSchema },
      },
    },
    async (req) => people.searchKeyYouth(db, pii(), req.actor(), req.query),
  );
  app.get(
    '/api/people/:id/key-youth',
    { schema: { tags: keyTags, params: IdParamSchema, response: { 200: KeyYouthSchema } } },
    async (req) => people.getKeyYouth(db, pii(), req.actor(), req.params.id),
  );
  app.put(
    '/api/people/:id/key-youth',
    { schema: { tags: keyTags, params: IdParamSchema, body: KeyYouthSetSchema, response: { 200: KeyYouthSchema } } },
    async (req) => people.setKeyYouth(db, pii(), req.actor(), req.params.id, req.body),
  );
  app.delete(
    '/api/people/:id/key-youth',
    { schema: { tags: keyTags, params: IdParamSchema, response: { 200: OkSchema } } },
    async (req) => people.removeKeyYouth(db, req.actor(), req.params.id),
  );

  // 团干部、1+100、走访 (cadres.routes.ts)
  await app.register(cadreRoutes);
};
