import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamSchema } from '../../../domain/common.ts';
import {
  BudgetQuerySchema,
  BudgetReportSchema,
  DepositCreateSchema,
  DonationCreateSchema,
  FundAccountCreateSchema,
  FundAccountDetailSchema,
  FundAccountListQuerySchema,
  FundAccountListSchema,
  FundPolicySchema,
  FundPolicyUpdateSchema,
  ReversalCreateSchema,
  TownBudgetSchema,
  TownBudgetUpdateSchema,
  WithdrawalCreateSchema,
  WithdrawalDecisionSchema,
  WithdrawalListQuerySchema,
  WithdrawalListSchema,
  WithdrawalSchema,
} from '../../../domain/fund.ts';
import { registerFundsSection } from './funds.dashboard.ts';
import * as funds from './funds.service.ts';

/** 党群公积金 the party-mass provident fund: accounts, an append-only ledger in fen, withdrawals. */
export const fundRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['funds'];
  const created = { 201: FundAccountDetailSchema };
  registerFundsSection();

  app.get(
    '/api/funds/policy',
    {
      schema: {
        tags,
        querystring: z.object({ districtId: z.coerce.number().int().positive().optional() }).strict(),
        response: { 200: FundPolicySchema },
      },
    },
    async (req) => funds.getPolicy(db, req.actor(), req.query.districtId),
  );

  app.put(
    '/api/funds/policy',
    { schema: { tags, body: FundPolicyUpdateSchema, response: { 200: FundPolicySchema } } },
    async (req) => funds.updatePolicy(db, req.actor(), req.body),
  );

  app.get(
    '/api/funds/accounts',
    { schema: { tags, querystring: FundAccountListQuerySchema, response: { 200: FundAccountListSchema } } },
    async (req) => funds.searchAccounts(db, req.actor(), req.query),
  );

  app.post(
    '/api/funds/accounts',
    { schema: { tags, body: FundAccountCreateSchema, response: created } },
    async (req, reply) => {
      reply.code(201);
      return funds.createAccount(db, req.actor(), req.body);
    },
  );

  app.get(
    '/api/funds/accounts/:id',
    {
      schema: {
        tags,
        description: 'The account with its balance, limit, remaining limit and every ledger entry.',
        params: IdParamSchema,
        response: { 200: FundAccountDetailSchema },
      },
    },
    async (req) => funds.getAccount(db, req.actor(), req.params.id),
  );

  app.post(
    '/api/funds/accounts/:id/deposits',
    { schema: { tags, params: IdParamSchema, body: DepositCreateSchema, response: created } },
    async (req, reply) => {
      reply.code(201);
      return funds.addDeposit(db, req.actor(), req.params.id, req.body);
    },
  );

  app.post(
    '/api/funds/accounts/:id/donations',
    { schema: { tags, params: IdParamSchema, body: DonationCreateSchema, response: created } },
    async (req, reply) => {
      reply.code(201);
      return funds.addDonation(db, req.actor(), req.params.id, req.body);
    },
  );

  app.post(
    '/api/funds/accounts/:id/withdrawals',
    {
      schema: {
        tags,
        description:
          'Requests a withdrawal; beyond the limit (deposits × multiplier − withdrawn) it is refused with the numbers.',
        params: IdParamSchema,
        body: WithdrawalCreateSchema,
        response: { 201: WithdrawalSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return funds.requestWithdrawal(db, req.actor(), req.params.id, req.body);
    },
  );

  app.post(
    '/api/funds/entries/:id/reverse',
    {
      schema: {
        tags,
        description: 'Corrects an entry by appending its opposite (the ledger is never edited).',
        params: IdParamSchema,
        body: ReversalCreateSchema,
        response: created,
      },
    },
    async (req, reply) => {
      reply.code(201);
      return funds.reverseEntry(db, req.actor(), req.params.id, req.body.memo);
    },
  );

  app.get(
    '/api/funds/accounts/:id/statement.xlsx',
    {
      schema: {
        tags,
        description: 'The year-end statement of the account as .xlsx (every entry, then the totals).',
        params: IdParamSchema,
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await funds.statementWorkbook(db, req.actor(), req.params.id);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        )
        .send(buffer);
    },
  );

  app.get(
    '/api/funds/withdrawals',
    { schema: { tags, querystring: WithdrawalListQuerySchema, response: { 200: WithdrawalListSchema } } },
    async (req) => funds.searchWithdrawals(db, req.actor(), req.query),
  );

  app.post(
    '/api/funds/withdrawals/:id/approve',
    { schema: { tags, params: IdParamSchema, body: WithdrawalDecisionSchema, response: { 200: WithdrawalSchema } } },
    async (req) => funds.decideWithdrawal(db, req.actor(), req.params.id, 'approved', req.body?.note),
  );

  app.post(
    '/api/funds/withdrawals/:id/reject',
    { schema: { tags, params: IdParamSchema, body: WithdrawalDecisionSchema, response: { 200: WithdrawalSchema } } },
    async (req) => funds.decideWithdrawal(db, req.actor(), req.params.id, 'rejected', req.body?.note),
  );

  app.get(
    '/api/funds/budgets',
    {
      schema: {
        tags,
        description:
          'Budget rules per town and year: declared League budget ≥ ¥20,000 and ≥ 50% of League spending ' +
          '(posted fund withdrawals + registered activity spend) on twin-net activities.',
        querystring: BudgetQuerySchema,
        response: { 200: BudgetReportSchema },
      },
    },
    async (req) => funds.getBudgets(db, req.actor(), req.query),
  );

  app.put(
    '/api/funds/budgets',
    { schema: { tags, body: TownBudgetUpdateSchema, response: { 200: TownBudgetSchema } } },
    async (req) => funds.setBudget(db, req.actor(), req.body),
  );
};
