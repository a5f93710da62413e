import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
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
    /** district: the assessors score every org; self_review: each org scores itself, then the district reviews */
    mode: varchar('mode', { length: 20 }).notNull().default('district'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('assessment_rounds_district_idx').on(t.districtId),
    check('assessment_rounds_mode_ck', sql`${t.mode} IN ('district', 'self_review')`),
  ],
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
    /** self_review rounds: pending → self_submitted → reviewed */
    state: varchar('state', { length: 20 }).notNull().default('pending'),
    selfSubmittedAt: ts('self_submitted_at'),
    selfSubmittedBy: integer('self_submitted_by').references(() => accounts.id),
    reviewedAt: ts('reviewed_at'),
    reviewedBy: integer('reviewed_by').references(() => accounts.id),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.orgId] }),
    check('assessment_targets_state_ck', sql`${t.state} IN ('pending', 'self_submitted', 'reviewed')`),
  ],
);

/**
 * 自评 an assessed org's own score of one item in a self_review round, and the district's review of
 * it (accepted as is, or adjusted with a note). The reviewed score is what counts: on review it is
 * also written to assessment_scores under the reviewer, where the results read it.
 */
export const assessmentSelfScores = pgTable(
  'assessment_self_scores',
  {
    roundId: integer('round_id').notNull(),
    orgId: integer('org_id').notNull(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    itemKey: varchar('item_key', { length: 20 }).notNull(),
    score: numeric('score', { precision: 4, scale: 2, mode: 'number' }).notNull(),
    note: varchar('note', { length: 500 }),
    evidence: varchar('evidence', { length: 500 }),
    enteredBy: integer('entered_by')
      .notNull()
      .references(() => accounts.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** accepted | adjusted (null until reviewed) */
    decision: varchar('decision', { length: 10 }),
    reviewedScore: numeric('reviewed_score', { precision: 4, scale: 2, mode: 'number' }),
    reviewNote: varchar('review_note', { length: 500 }),
    reviewedBy: integer('reviewed_by').references(() => accounts.id),
    reviewedAt: ts('reviewed_at'),
  },
  (t) => [
    primaryKey({ name: 'assessment_self_scores_pk', columns: [t.roundId, t.orgId, t.itemKey] }),
    foreignKey({
      name: 'assessment_self_scores_target_fk',
      columns: [t.roundId, t.orgId],
      foreignColumns: [assessmentTargets.roundId, assessmentTargets.orgId],
    }),
    check('assessment_self_scores_scale', sql`${t.score} BETWEEN 1 AND 7`),
    check(
      'assessment_self_scores_reviewed_scale',
      sql`${t.reviewedScore} IS NULL OR ${t.reviewedScore} BETWEEN 1 AND 7`,
    ),
    check(
      'assessment_self_scores_decision_ck',
      sql`${t.decision} IS NULL OR ${t.decision} IN ('accepted', 'adjusted')`,
    ),
  ],
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
    /** a link to the evidence (attachment) of this item's score */
    evidence: varchar('evidence', { length: 500 }),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.orgId, t.assessorId, t.itemKey] }),
    check('assessment_scores_scale', sql`${t.score} BETWEEN 1 AND 7`),
  ],
);

/**
 * 排行方案 a ranking scheme: the quarterly ranking of villages/communities (kind quarterly) or the
 * 1000-point scheme of towns (kind thousand). `definition` holds categories → items (computed from a
 * registered metric or scored by hand, each with its maximum points) and the subsidy tier table.
 */
export const rankingSchemes = pgTable(
  'ranking_schemes',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    kind: varchar('kind', { length: 20 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    definition: jsonb('definition').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('ranking_schemes_district_idx').on(t.districtId),
    check('ranking_schemes_kind_ck', sql`${t.kind} IN ('quarterly', 'thousand')`),
  ],
);

/** One period of a scheme (2026Q4, 2026): live while open, a frozen snapshot once published. */
export const rankingPeriods = pgTable(
  'ranking_periods',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    schemeId: integer('scheme_id')
      .notNull()
      .references(() => rankingSchemes.id),
    period: varchar('period', { length: 10 }).notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    status: varchar('status', { length: 10 }).notNull().default('open'),
    results: jsonb('results'),
    publishedAt: ts('published_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ranking_periods_scheme_period_uq').on(t.schemeId, t.period),
    check('ranking_periods_status_ck', sql`${t.status} IN ('open', 'published')`),
  ],
);

/** A manual item's points for one org in one period, with its note and evidence. */
export const rankingManualScores = pgTable(
  'ranking_manual_scores',
  {
    periodId: integer('period_id')
      .notNull()
      .references(() => rankingPeriods.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    itemKey: varchar('item_key', { length: 40 }).notNull(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    points: numeric('points', { precision: 7, scale: 2, mode: 'number' }).notNull(),
    note: varchar('note', { length: 500 }),
    evidence: varchar('evidence', { length: 500 }),
    scoredBy: integer('scored_by')
      .notNull()
      .references(() => accounts.id),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'ranking_manual_scores_pk', columns: [t.periodId, t.orgId, t.itemKey] }),
    check('ranking_manual_scores_points_ck', sql`${t.points} >= 0`),
  ],
);

/** 评优类别 an award kind of a district (示范网格团组织, 最美网格团干部 …). */
export const awardKinds = pgTable(
  'award_kinds',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    name: varchar('name', { length: 100 }).notNull(),
    description: varchar('description', { length: 500 }),
    /** org | grid | person | project | team */
    nomineeType: varchar('nominee_type', { length: 20 }).notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('award_kinds_district_name_uq').on(t.districtId, t.name),
    check('award_kinds_nominee_type_ck', sql`${t.nomineeType} IN ('org', 'grid', 'person', 'project', 'team')`),
  ],
);

/** 推荐 a nomination by an org, reviewed by the district and then published. */
export const awardNominations = pgTable(
  'award_nominations',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    kindId: integer('kind_id')
      .notNull()
      .references(() => awardKinds.id),
    year: integer('year').notNull(),
    /** the nominated org, or the org the nominated person / grid / project / team belongs to */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    nomineeName: varchar('nominee_name', { length: 100 }).notNull(),
    reasons: text('reasons').notNull(),
    evidence: jsonb('evidence').notNull().default(sql`'[]'::jsonb`),
    status: varchar('status', { length: 12 }).notNull().default('nominated'),
    nominatedBy: integer('nominated_by')
      .notNull()
      .references(() => accounts.id),
    reviewNote: varchar('review_note', { length: 500 }),
    reviewedBy: integer('reviewed_by').references(() => accounts.id),
    reviewedAt: ts('reviewed_at'),
    publishedAt: ts('published_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('award_nominations_district_idx').on(t.districtId, t.year, t.kindId),
    check('award_nominations_status_ck', sql`${t.status} IN ('nominated', 'approved', 'rejected')`),
  ],
);

/** 结果公布 one publication per award kind and year (also when nothing was approved). */
export const awardPublications = pgTable(
  'award_publications',
  {
    kindId: integer('kind_id')
      .notNull()
      .references(() => awardKinds.id),
    year: integer('year').notNull(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    publishedBy: integer('published_by')
      .notNull()
      .references(() => accounts.id),
    publishedAt: ts('published_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'award_publications_pk', columns: [t.kindId, t.year] })],
);
