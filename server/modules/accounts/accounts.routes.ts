import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AccountCreateSchema,
  AccountListQuerySchema,
  AccountListSchema,
  AccountSchema,
  AccountUpdateSchema,
} from '../../../domain/account.ts';
import { IdParamSchema } from '../../../domain/common.ts';
import { createAccount, listAccounts, updateAccountById } from './accounts.service.ts';

/** 账号 accounts bound to orgs, managed within the manager's subtree. */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['accounts'];
  app.get(
    '/api/accounts',
    { schema: { tags, querystring: AccountListQuerySchema, response: { 200: AccountListSchema } } },
    async (req) => {
      const result = await listAccounts(app.database, req.actor(), req.query);
      return { ...result, page: req.query.page, pageSize: req.query.pageSize };
    },
  );
  app.post(
    '/api/accounts',
    { schema: { tags, body: AccountCreateSchema, response: { 201: AccountSchema } } },
    async (req, reply) => {
      reply.code(201);
      return createAccount(app.database, req.actor(), req.body);
    },
  );
  app.patch(
    '/api/accounts/:id',
    { schema: { tags, params: IdParamSchema, body: AccountUpdateSchema, response: { 200: AccountSchema } } },
    async (req) => updateAccountById(app.database, req.actor(), req.params.id, req.body),
  );
};
