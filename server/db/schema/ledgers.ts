import { index, integer, jsonb, pgTable, serial, timestamp, varchar } from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/**
 * 台账导入 one spreadsheet import of the youth ledger and its row-level report (the rejected rows with
 * row, column and reason), kept so the cadre can download the report later. Holds no personal data:
 * issues name cells, never their content.
 */
export const peopleImports = pgTable(
  'people_imports',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    accountId: integer('account_id').references(() => accounts.id),
    fileName: varchar('file_name', { length: 200 }).notNull(),
    mode: varchar('mode', { length: 10 }).notNull(),
    status: varchar('status', { length: 10 }).notNull(),
    total: integer('total').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
    review: integer('review').notNull(),
    rejected: integer('rejected').notNull(),
    /** [{ row, column, field, code }] */
    issues: jsonb('issues').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('people_imports_org_idx').on(t.orgId, t.createdAt)],
);
