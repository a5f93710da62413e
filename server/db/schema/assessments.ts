import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** 指标体系 an indicator set of a district (copied from the Keqiao template or written). */
export const assessmentSets = pgTable('assessment_sets', {
  id: serial('id').primaryKey(),
  districtId: integer('district_id')
    .notNull()
    .references(() => districts.id),
  name: varchar('name', { length: 100 }).notNull(),
  definition: jsonb('definition').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** 测评轮次 a round: a set, the orgs assessed, the assessors, a period and a deadline. */
export const assessmentRounds = pgTable(
  'assessment_rounds',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    setId: integer('set_id')
      .notNull()
      .references(() => assessmentSets.id),
    name: varchar('name', { length: 100 }).notNull(),
    period: varchar('period', { length: 50 }).notNull(),
    deadline: ts('deadline').notNull(),
    status: varchar('status', { length: 10 }).notNull().default('open'),
    thresholds: jsonb('thresholds').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('assessment_rounds_district_idx').on(t.districtId)],
);

export const assessmentTargets = pgTable(
  'assessment_targets',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.orgId] })],
);

export const assessmentAssessors = pgTable(
  'assessment_assessors',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.accountId] })],
);

/** One assessor's score of one item for one org (7-point scale). */
export const assessmentScores = pgTable(
  'assessment_scores',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    assessorId: integer('assessor_id')
      .notNull()
      .references(() => accounts.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    itemKey: varchar('item_key', { length: 20 }).notNull(),
    /** Usually a whole point from an assessor; two decimals allow entering published means (historic rounds). */
    score: numeric('score', { precision: 4, scale: 2, mode: 'number' }).notNull(),
    note: varchar('note', { length: 500 }),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.orgId, t.assessorId, t.itemKey] }),
    check('assessment_scores_scale', sql`${t.score} BETWEEN 1 AND 7`),
  ],
);
