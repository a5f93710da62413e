import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';
import { grids } from './grids.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** PostGIS Point in WGS-84. Read and written through SQL (ST_MakePoint / ST_X, ST_Y). */
const point = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'geometry(Point,4326)';
  },
});

/** 服务清单 共青团所能: a service an org offers, which residents can order. */
export const serviceMenuItems = pgTable(
  'service_menu_items',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** 提供组织 the org offering the service (service team, social org, partner unit …) */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    category: varchar('category', { length: 30 }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    description: varchar('description', { length: 1000 }),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('service_menu_items_district_idx').on(t.districtId, t.category),
    index('service_menu_items_org_idx').on(t.orgId),
  ],
);

/**
 * 服务订单 a need (点单) with its dispatch (派单) and rating (评单). `org_id` is the requesting side
 * (the grid's responsible org, the org a cadre entered it for, or the district root); scope is the
 * union of that org's subtree and the assignee org's subtree.
 */
export const serviceOrders = pgTable(
  'service_orders',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** 受理编号 JW + Shanghai date + 6 random characters */
    trackingNo: varchar('tracking_no', { length: 24 }).notNull(),
    /** party_gov | resident | menu | youth_voice | visit */
    source: varchar('source', { length: 20 }).notNull(),
    category: varchar('category', { length: 30 }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    description: varchar('description', { length: 2000 }),
    location: point('location'),
    address: varchar('address', { length: 200 }),
    gridId: integer('grid_id').references(() => grids.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    menuItemId: integer('menu_item_id').references(() => serviceMenuItems.id),
    requesterName: varchar('requester_name', { length: 50 }),
    /** SM4 ciphertext and HMAC-SM3 blind index of the requester's mobile number */
    requesterPhoneEnc: text('requester_phone_enc'),
    requesterPhoneIdx: varchar('requester_phone_idx', { length: 64 }),
    /** immediate | non_immediate | hard (即办件 / 非即办件 / 疑难) */
    classification: varchar('classification', { length: 20 }),
    status: varchar('status', { length: 20 }).notNull().default('submitted'),
    /** reason of the last reject / cancel / return */
    statusReason: varchar('status_reason', { length: 500 }),
    assigneeOrgId: integer('assignee_org_id').references(() => orgs.id),
    respondDueAt: ts('respond_due_at'),
    completeDueAt: ts('complete_due_at'),
    classifiedAt: ts('classified_at'),
    dispatchedAt: ts('dispatched_at'),
    acceptedAt: ts('accepted_at'),
    startedAt: ts('started_at'),
    doneAt: ts('done_at'),
    ratedAt: ts('rated_at'),
    closedAt: ts('closed_at'),
    dispatchCount: integer('dispatch_count').notNull().default(0),
    completionNote: varchar('completion_note', { length: 2000 }),
    /** the cadre who entered it (null: the resident's own public request) */
    createdBy: integer('created_by').references(() => accounts.id),
    /** a replayed public form (same client id) is refused */
    clientId: varchar('client_id', { length: 64 }),
    /** 计划参与人数 planned participants of a group service (the attraction rate's denominator) */
    plannedParticipants: integer('planned_participants'),
    /** 实际参与人数 participants recorded at completion */
    participants: integer('participants'),
    /** the Open311 client (trusted system) that submitted it */
    open311ClientId: integer('open311_client_id').references((): AnyPgColumn => open311Clients.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('service_orders_tracking_uq').on(t.trackingNo),
    uniqueIndex('service_orders_client_uq').on(t.districtId, t.clientId).where(sql`${t.clientId} IS NOT NULL`),
    index('service_orders_district_status_idx').on(t.districtId, t.status),
    index('service_orders_org_idx').on(t.orgId),
    index('service_orders_assignee_idx').on(t.assigneeOrgId),
    index('service_orders_phone_idx').on(t.requesterPhoneIdx),
    index('service_orders_location_gix').using('gist', t.location),
    check(
      'service_orders_status_ck',
      sql`${t.status} IN ('submitted', 'classified', 'dispatched', 'accepted', 'in_progress', 'done', 'rated', 'rejected', 'cancelled', 'returned')`,
    ),
    check('service_orders_source_ck', sql`${t.source} IN ('party_gov', 'resident', 'menu', 'youth_voice', 'visit')`),
    check(
      'service_orders_class_ck',
      sql`${t.classification} IS NULL OR ${t.classification} IN ('immediate', 'non_immediate', 'hard')`,
    ),
  ],
);

/**
 * 派单记录 one dispatch of an order to an org, with its response deadline and outcome. The
 * response rate (响应率) of an org counts these rows.
 */
export const serviceOrderDispatches = pgTable(
  'service_order_dispatches',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => serviceOrders.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    dispatchedBy: integer('dispatched_by')
      .notNull()
      .references(() => accounts.id),
    dispatchedAt: ts('dispatched_at').notNull().defaultNow(),
    respondDueAt: ts('respond_due_at').notNull(),
    /** pending | accepted | declined | withdrawn (re-dispatched elsewhere before an answer) */
    outcome: varchar('outcome', { length: 20 }).notNull().default('pending'),
    respondedAt: ts('responded_at'),
    reason: varchar('reason', { length: 500 }),
  },
  (t) => [
    index('service_order_dispatches_order_idx').on(t.orderId),
    index('service_order_dispatches_org_idx').on(t.orgId, t.dispatchedAt),
    uniqueIndex('service_order_dispatches_pending_uq').on(t.orderId).where(sql`${t.outcome} = 'pending'`),
    check('service_order_dispatches_outcome_ck', sql`${t.outcome} IN ('pending', 'accepted', 'declined', 'withdrawn')`),
  ],
);

/** 订单动态 the order's history, append-only: who did what when, with a note. */
export const serviceOrderEvents = pgTable(
  'service_order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => serviceOrders.id),
    /** null: the requester on the public page, or the system */
    accountId: integer('account_id').references(() => accounts.id),
    /** cadre | requester | system */
    actorKind: varchar('actor_kind', { length: 20 }).notNull(),
    action: varchar('action', { length: 30 }).notNull(),
    fromStatus: varchar('from_status', { length: 20 }),
    toStatus: varchar('to_status', { length: 20 }),
    orgId: integer('org_id').references(() => orgs.id),
    note: varchar('note', { length: 2000 }),
    /** internal notes are never shown on the requester's page */
    internal: boolean('internal').notNull().default(false),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('service_order_events_order_idx').on(t.orderId, t.id)],
);

/** 评单 the one rating of an order (1–5; ≥ 4 counts as satisfied). */
export const serviceOrderRatings = pgTable(
  'service_order_ratings',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => serviceOrders.id),
    /** the org rated: the assignee when the order was completed */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    score: smallint('score').notNull(),
    comment: varchar('comment', { length: 500 }),
    /** requester | cadre (on behalf) */
    byKind: varchar('by_kind', { length: 20 }).notNull(),
    accountId: integer('account_id').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('service_order_ratings_order_uq').on(t.orderId),
    index('service_order_ratings_org_idx').on(t.orgId, t.createdAt),
    check('service_order_ratings_score_ck', sql`${t.score} BETWEEN 1 AND 5`),
  ],
);

/** 短信验证码 a one-time code sent to a phone: only its keyed hash is kept, with expiry and attempts. */
export const smsCodes = pgTable(
  'sms_codes',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    phoneIdx: varchar('phone_idx', { length: 64 }).notNull(),
    /** order (place an order) | rate (rate an order) */
    purpose: varchar('purpose', { length: 20 }).notNull(),
    codeHash: varchar('code_hash', { length: 64 }).notNull(),
    expiresAt: ts('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    consumedAt: ts('consumed_at'),
    ip: varchar('ip', { length: 64 }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('sms_codes_phone_idx').on(t.phoneIdx, t.purpose, t.createdAt)],
);

/** District settings of orders: deadlines per class (hours; missing keys take the defaults) and the incubation threshold. */
export const orderSettings = pgTable(
  'order_settings',
  {
    districtId: integer('district_id')
      .primaryKey()
      .references(() => districts.id),
    deadlines: jsonb('deadlines').notNull().default(sql`'{}'::jsonb`),
    incubationThresholdPct: integer('incubation_threshold_pct').notNull().default(80),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('order_settings_threshold_ck', sql`${t.incubationThresholdPct} BETWEEN 1 AND 100`)],
);

/** Open311 GeoReport v2 clients (hotlines, reporting apps): one api_key each, stored as its SHA-256 only. */
export const open311Clients = pgTable(
  'open311_clients',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    name: varchar('name', { length: 100 }).notNull(),
    keyHash: varchar('key_hash', { length: 64 }).notNull(),
    /** the order source its requests get: resident | youth_voice (12355) */
    source: varchar('source', { length: 20 }).notNull().default('youth_voice'),
    active: boolean('active').notNull().default(true),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [
    uniqueIndex('open311_clients_key_uq').on(t.keyHash),
    index('open311_clients_district_idx').on(t.districtId),
    check('open311_clients_source_ck', sql`${t.source} IN ('resident', 'youth_voice')`),
  ],
);

/** 现场评单 on-site ratings of a group service by its participants: one per phone (blind index) and order. */
export const serviceOrderParticipantRatings = pgTable(
  'service_order_participant_ratings',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => serviceOrders.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    phoneIdx: varchar('phone_idx', { length: 64 }).notNull(),
    score: smallint('score').notNull(),
    comment: varchar('comment', { length: 500 }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('service_order_participant_ratings_uq').on(t.orderId, t.phoneIdx),
    index('service_order_participant_ratings_org_idx').on(t.orgId, t.createdAt),
    check('service_order_participant_ratings_score_ck', sql`${t.score} BETWEEN 1 AND 5`),
  ],
);

/** 回访复核 a review task for the district, opened by a dissatisfied rating. */
export const serviceOrderReviews = pgTable(
  'service_order_reviews',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => serviceOrders.id),
    /** the org rated */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    score: smallint('score').notNull(),
    comment: varchar('comment', { length: 500 }),
    /** requester | cadre | participant */
    byKind: varchar('by_kind', { length: 20 }).notNull(),
    status: varchar('status', { length: 20 }).notNull().default('open'),
    resolution: varchar('resolution', { length: 500 }),
    resolvedBy: integer('resolved_by').references(() => accounts.id),
    resolvedAt: ts('resolved_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('service_order_reviews_district_idx').on(t.districtId, t.status),
    index('service_order_reviews_order_idx').on(t.orderId),
    check('service_order_reviews_status_ck', sql`${t.status} IN ('open', 'closed')`),
  ],
);

/** 催办 a reminder sent when a response or completion deadline passed: once per order, kind and dispatch. */
export const serviceOrderReminders = pgTable(
  'service_order_reminders',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => serviceOrders.id),
    orgId: integer('org_id').references(() => orgs.id),
    /** respond | complete */
    kind: varchar('kind', { length: 20 }).notNull(),
    dispatchNo: integer('dispatch_no').notNull(),
    dueAt: ts('due_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** set in the transaction that hands the reminder to its channels (migration 0019) */
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    uniqueIndex('service_order_reminders_uq').on(t.orderId, t.kind, t.dispatchNo),
    index('service_order_reminders_district_idx').on(t.districtId, t.createdAt),
    index('service_order_reminders_undelivered_idx').on(t.id).where(sql`${t.deliveredAt} IS NULL`),
    check('service_order_reminders_kind_ck', sql`${t.kind} IN ('respond', 'complete')`),
  ],
);
