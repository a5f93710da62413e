import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';
import { people } from './people.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
const fen = (name: string) => bigint(name, { mode: 'number' });

/** 活动类别 a district's activity categories (社会民生, 产业服务, 教育培训, 人文宣传 by default). */
export const activityCategories = pgTable(
  'activity_categories',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** the default's code (null for a district's own) */
    code: varchar('code', { length: 20 }),
    name: varchar('name', { length: 30 }).notNull(),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('activity_categories_district_name_uq').on(t.districtId, t.name)],
);

/** 征集主题 a solicitation of activity themes by an org, with a deadline. */
export const activityThemes = pgTable(
  'activity_themes',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    title: varchar('title', { length: 100 }).notNull(),
    description: text('description'),
    deadline: ts('deadline').notNull(),
    status: varchar('status', { length: 12 }).notNull().default('soliciting'),
    publishedAt: ts('published_at'),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('activity_themes_org_idx').on(t.orgId),
    check('activity_themes_status_ck', sql`${t.status} IN ('soliciting', 'published', 'closed')`),
  ],
);

/** 主题建议 an idea submitted to a theme solicitation by a youth (public page) or a cadre. */
export const activityThemeIdeas = pgTable(
  'activity_theme_ideas',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    themeId: integer('theme_id')
      .notNull()
      .references(() => activityThemes.id),
    text: text('text').notNull(),
    authorName: varchar('author_name', { length: 50 }).notNull(),
    source: varchar('source', { length: 10 }).notNull(),
    accountId: integer('account_id').references(() => accounts.id),
    phoneEnc: text('phone_enc'),
    phoneIdx: varchar('phone_idx', { length: 64 }),
    personId: integer('person_id').references(() => people.id),
    shortlisted: boolean('shortlisted').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('activity_theme_ideas_theme_idx').on(t.themeId)],
);

/** 活动方案 a plan proposed under a theme by an org (or a grid's org). */
export const activityPlans = pgTable(
  'activity_plans',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    themeId: integer('theme_id').references(() => activityThemes.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    title: varchar('title', { length: 100 }).notNull(),
    purpose: text('purpose').notNull(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => activityCategories.id),
    gridIds: integer('grid_ids').array().notNull().default(sql`'{}'::int[]`),
    venue: varchar('venue', { length: 200 }).notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    budgetFen: fen('budget_fen').notNull().default(0),
    resources: text('resources'),
    team: varchar('team', { length: 500 }),
    brandProject: boolean('brand_project').notNull().default(false),
    gridProject: boolean('grid_project').notNull().default(false),
    status: varchar('status', { length: 12 }).notNull().default('draft'),
    reviewNote: text('review_note'),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('activity_plans_org_idx').on(t.orgId),
    index('activity_plans_theme_idx').on(t.themeId),
    check('activity_plans_status_ck', sql`${t.status} IN ('draft', 'submitted', 'approved', 'returned', 'cancelled')`),
    check('activity_plans_range_ck', sql`${t.endsAt} > ${t.startsAt}`),
    check('activity_plans_numbers_ck', sql`${t.capacity} > 0 AND ${t.budgetFen} >= 0`),
  ],
);

/** 方案意见 a youth's comment on a plan and the organiser's reply (adopted or not, with a reason). */
export const activityPlanComments = pgTable(
  'activity_plan_comments',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    planId: integer('plan_id')
      .notNull()
      .references(() => activityPlans.id),
    authorName: varchar('author_name', { length: 50 }).notNull(),
    phoneEnc: text('phone_enc'),
    phoneIdx: varchar('phone_idx', { length: 64 }),
    personId: integer('person_id').references(() => people.id),
    /** stored exactly as typed; escaped wherever rendered */
    text: text('text').notNull(),
    reply: text('reply'),
    adopted: boolean('adopted'),
    reason: text('reason'),
    repliedBy: integer('replied_by').references(() => accounts.id),
    repliedAt: ts('replied_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('activity_plan_comments_plan_idx').on(t.planId)],
);

/** 活动 an activity an approved plan became (one plan may run several times: a series). */
export const activities = pgTable(
  'activities',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    planId: integer('plan_id')
      .notNull()
      .references(() => activityPlans.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    title: varchar('title', { length: 100 }).notNull(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => activityCategories.id),
    gridIds: integer('grid_ids').array().notNull().default(sql`'{}'::int[]`),
    venue: varchar('venue', { length: 200 }).notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    capacity: integer('capacity').notNull(),
    /** seats taken; moved only by conditional UPDATEs so it never passes capacity */
    admittedCount: integer('admitted_count').notNull().default(0),
    signupOpensAt: ts('signup_opens_at').notNull(),
    signupClosesAt: ts('signup_closes_at').notNull(),
    checkinBeforeMinutes: integer('checkin_before_minutes').notNull().default(30),
    status: varchar('status', { length: 12 }).notNull().default('open'),
    brandProject: boolean('brand_project').notNull().default(false),
    gridProject: boolean('grid_project').notNull().default(false),
    publishedAt: ts('published_at'),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('activities_org_idx').on(t.orgId),
    index('activities_plan_idx').on(t.planId),
    index('activities_district_starts_idx').on(t.districtId, t.startsAt),
    check(
      'activities_status_ck',
      sql`${t.status} IN ('open', 'running', 'finished', 'summarised', 'published', 'cancelled')`,
    ),
    check('activities_range_ck', sql`${t.endsAt} > ${t.startsAt} AND ${t.signupClosesAt} > ${t.signupOpensAt}`),
    check('activities_seats_ck', sql`${t.admittedCount} >= 0 AND ${t.admittedCount} <= ${t.capacity}`),
  ],
);

/** 召集令 a call for a (large) activity published to youth across grids; replies are sign-ups. */
export const activityCalls = pgTable(
  'activity_calls',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    activityId: integer('activity_id')
      .notNull()
      .references(() => activities.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    title: varchar('title', { length: 100 }).notNull(),
    message: text('message').notNull(),
    categoryIds: integer('category_ids').array().notNull().default(sql`'{}'::int[]`),
    skills: jsonb('skills').notNull().default(sql`'[]'::jsonb`),
    gridIds: integer('grid_ids').array().notNull().default(sql`'{}'::int[]`),
    /** youth of the registry the call reached when published */
    recipients: integer('recipients').notNull().default(0),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('activity_calls_activity_idx').on(t.activityId)],
);

/** 报名 a sign-up: admitted (a seat) or on the waiting list. Phone only as ciphertext + blind index. */
export const activitySignups = pgTable(
  'activity_signups',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    activityId: integer('activity_id')
      .notNull()
      .references(() => activities.id),
    name: varchar('name', { length: 50 }).notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: varchar('phone_idx', { length: 64 }).notNull(),
    /** the registry's person with that phone, if any */
    personId: integer('person_id').references(() => people.id),
    /** that person's home grid when signing up (cross-grid counts) */
    gridId: integer('grid_id'),
    callId: integer('call_id').references(() => activityCalls.id),
    status: varchar('status', { length: 12 }).notNull(),
    source: varchar('source', { length: 10 }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    cancelledAt: ts('cancelled_at'),
  },
  (t) => [
    uniqueIndex('activity_signups_activity_phone_uq').on(t.activityId, t.phoneIdx),
    index('activity_signups_person_idx').on(t.personId),
    index('activity_signups_activity_status_idx').on(t.activityId, t.status),
    check('activity_signups_status_ck', sql`${t.status} IN ('admitted', 'waitlisted', 'cancelled')`),
    check('activity_signups_source_ck', sql`${t.source} IN ('online', 'qr', 'call', 'walk_in')`),
  ],
);

/** 签到 one check-in per sign-up (a second is refused by the unique key). */
export const activityCheckins = pgTable(
  'activity_checkins',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    activityId: integer('activity_id')
      .notNull()
      .references(() => activities.id),
    signupId: integer('signup_id')
      .notNull()
      .references(() => activitySignups.id),
    method: varchar('method', { length: 10 }).notNull(),
    byAccount: integer('by_account').references(() => accounts.id),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('activity_checkins_signup_uq').on(t.signupId),
    index('activity_checkins_activity_idx').on(t.activityId),
    check('activity_checkins_method_ck', sql`${t.method} IN ('qr', 'staff', 'walk_in')`),
  ],
);

/** 活动总结 the organiser's summary of a finished activity. */
export const activitySummaries = pgTable('activity_summaries', {
  activityId: integer('activity_id')
    .primaryKey()
    .references(() => activities.id),
  districtId: integer('district_id')
    .notNull()
    .references(() => districts.id),
  text: text('text').notNull(),
  attendance: integer('attendance').notNull(),
  outcome: text('outcome'),
  spendFen: fen('spend_fen').notNull().default(0),
  createdBy: integer('created_by').references(() => accounts.id),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** 在线打分 a participant's rating (1–5) of an activity, one per sign-up. */
export const activityRatings = pgTable(
  'activity_ratings',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    activityId: integer('activity_id')
      .notNull()
      .references(() => activities.id),
    signupId: integer('signup_id')
      .notNull()
      .references(() => activitySignups.id),
    stars: integer('stars').notNull(),
    comment: text('comment'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('activity_ratings_signup_uq').on(t.signupId),
    index('activity_ratings_activity_idx').on(t.activityId),
    check('activity_ratings_stars_ck', sql`${t.stars} BETWEEN 1 AND 5`),
  ],
);

/** 状态变更 every transition of a plan or activity: action, from, to, who, when. */
export const activityEvents = pgTable(
  'activity_events',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    planId: integer('plan_id')
      .notNull()
      .references(() => activityPlans.id),
    activityId: integer('activity_id').references(() => activities.id),
    action: varchar('action', { length: 20 }).notNull(),
    fromStatus: varchar('from_status', { length: 12 }),
    toStatus: varchar('to_status', { length: 12 }).notNull(),
    actorAccountId: integer('actor_account_id').references(() => accounts.id),
    note: text('note'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    index('activity_events_plan_idx').on(t.planId),
    index('activity_events_activity_idx').on(t.activityId),
    index('activity_events_district_action_idx').on(t.districtId, t.action, t.at),
  ],
);

/** 服务团队 a service team (grid volunteer team, caring mentoring team, professional team …). */
export const serviceTeams = pgTable(
  'service_teams',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    name: varchar('name', { length: 100 }).notNull(),
    kind: varchar('kind', { length: 20 }).notNull(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => activityCategories.id),
    leadOrgId: integer('lead_org_id').references(() => orgs.id),
    leadUnit: varchar('lead_unit', { length: 100 }),
    gridIds: integer('grid_ids').array().notNull().default(sql`'{}'::int[]`),
    active: boolean('active').notNull().default(true),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('service_teams_org_idx').on(t.orgId),
    check('service_teams_kind_ck', sql`${t.kind} IN ('grid_volunteer', 'caring_mentoring', 'professional', 'other')`),
  ],
);

/** 团队成员 a member of a service team: member, backbone (骨干) or reserve backbone (后备骨干). */
export const serviceTeamMembers = pgTable(
  'service_team_members',
  {
    teamId: integer('team_id')
      .notNull()
      .references(() => serviceTeams.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    role: varchar('role', { length: 10 }).notNull().default('member'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.personId] }),
    index('service_team_members_person_idx').on(t.personId),
    check('service_team_members_role_ck', sql`${t.role} IN ('member', 'backbone', 'reserve')`),
  ],
);
