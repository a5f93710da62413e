import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
const fen = (name: string) => bigint(name, { mode: 'number' });

/** 公积金政策 a district's provident-fund policy: the withdrawal multiplier in percent (110–150). */
export const fundPolicies = pgTable(
  'fund_policies',
  {
    districtId: integer('district_id')
      .primaryKey()
      .references(() => districts.id),
    multiplierPct: integer('multiplier_pct').notNull().default(120),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('fund_policies_multiplier_ck', sql`${t.multiplierPct} BETWEEN 110 AND 150`)],
);

/** 党群公积金账户 one org's provident-fund account for one year (village/community, two-new org …). */
export const fundAccounts = pgTable(
  'fund_accounts',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    year: integer('year').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('fund_accounts_org_year_uq').on(t.orgId, t.year),
    index('fund_accounts_district_idx').on(t.districtId),
  ],
);

/** 提取申请 a withdrawal request naming an activity or order; the district approves or rejects it. */
export const fundWithdrawals = pgTable(
  'fund_withdrawals',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => fundAccounts.id),
    amountFen: fen('amount_fen').notNull(),
    purpose: varchar('purpose', { length: 200 }).notNull(),
    /** the activity or order the money is for (free text until those modules exist) */
    reference: varchar('reference', { length: 200 }).notNull(),
    /** spent on a twin-net (双网互动) activity or project: counts towards the town's ≥ 50% rule */
    twinNet: boolean('twin_net').notNull().default(false),
    /** requested | approved | rejected */
    status: varchar('status', { length: 20 }).notNull().default('requested'),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => accounts.id),
    decidedBy: integer('decided_by').references(() => accounts.id),
    decidedAt: ts('decided_at'),
    decisionNote: varchar('decision_note', { length: 200 }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('fund_withdrawals_account_idx').on(t.accountId),
    check('fund_withdrawals_amount_ck', sql`${t.amountFen} > 0`),
    check('fund_withdrawals_status_ck', sql`${t.status} IN ('requested', 'approved', 'rejected')`),
  ],
);

/**
 * 分类账 the append-only ledger in integer fen: deposits and donations positive, withdrawals negative;
 * a correction is a reversing entry (same kind, opposite amount, `reverses_entry_id`). A trigger added
 * by hand to the migration refuses UPDATE and DELETE.
 */
export const fundEntries = pgTable(
  'fund_entries',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => fundAccounts.id),
    /** deposit | donation | withdrawal */
    kind: varchar('kind', { length: 20 }).notNull(),
    amountFen: fen('amount_fen').notNull(),
    /** donations: 爱心义卖 charity sale | 社会捐赠 donation | 企业冠名 sponsorship */
    sourceType: varchar('source_type', { length: 20 }),
    /** donations: who gave */
    source: varchar('source', { length: 200 }),
    memo: varchar('memo', { length: 200 }),
    /** the withdrawal request this entry posts (at most one entry posts a request) */
    withdrawalId: integer('withdrawal_id').references(() => fundWithdrawals.id),
    /** the entry this one reverses (at most one reversal per entry) */
    reversesEntryId: integer('reverses_entry_id').references((): AnyPgColumn => fundEntries.id),
    createdBy: integer('created_by')
      .notNull()
      .references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('fund_entries_account_idx').on(t.accountId),
    uniqueIndex('fund_entries_withdrawal_uq').on(t.withdrawalId),
    uniqueIndex('fund_entries_reverses_uq').on(t.reversesEntryId),
    check('fund_entries_kind_ck', sql`${t.kind} IN ('deposit', 'donation', 'withdrawal')`),
    check(
      'fund_entries_sign_ck',
      sql`${t.reversesEntryId} IS NOT NULL OR (${t.kind} = 'withdrawal' AND ${t.amountFen} < 0) OR (${t.kind} <> 'withdrawal' AND ${t.amountFen} > 0)`,
    ),
  ],
);

/** 团建经费预算 a town's declared annual League budget (the ≥ ¥20,000 rule of the seeds). */
export const townBudgets = pgTable(
  'town_budgets',
  {
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    year: integer('year').notNull(),
    budgetFen: fen('budget_fen').notNull(),
    updatedBy: integer('updated_by')
      .notNull()
      .references(() => accounts.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'town_budgets_pk', columns: [t.orgId, t.year] }),
    index('town_budgets_district_idx').on(t.districtId, t.year),
    check('town_budgets_amount_ck', sql`${t.budgetFen} >= 0`),
  ],
);
