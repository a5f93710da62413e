import { sql } from 'drizzle-orm';
import {
  bigint,
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

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType() {
    return 'bytea';
  },
});

/** 通知时限 a district's deadlines; a district without a row uses the defaults (urgent 180 s, general 600 s). */
export const noticeSettings = pgTable('notice_settings', {
  districtId: integer('district_id')
    .primaryKey()
    .references(() => districts.id),
  urgentSeconds: integer('urgent_seconds').notNull().default(180),
  generalSeconds: integer('general_seconds').notNull().default(600),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * 塔群 a group of the tower: the chat group of one org or grid (WeChat, WeChat Work, QQ or in-app),
 * with the cadre who is its admin at this level and the instructors from the level above.
 */
export const towerGroups = pgTable(
  'tower_groups',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** exactly one of org and grid */
    orgId: integer('org_id').references(() => orgs.id),
    gridId: integer('grid_id').references(() => grids.id),
    /** wechat | wecom | qq | in_app */
    channel: varchar('channel', { length: 20 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    /** 群号或链接 group number or invitation link */
    ident: varchar('ident', { length: 300 }),
    /** 群管理员 the cadre of this level who administers the group */
    adminAccountId: integer('admin_account_id').references(() => accounts.id),
    /** 指导员 cadres of the level above who sit in this group */
    instructorAccountIds: integer('instructor_account_ids').array().notNull().default(sql`'{}'::int[]`),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('tower_groups_one_owner', sql`(${t.orgId} IS NULL) <> (${t.gridId} IS NULL)`),
    uniqueIndex('tower_groups_org_channel_uq')
      .on(t.orgId, t.channel)
      .where(sql`${t.active} AND ${t.orgId} IS NOT NULL`),
    uniqueIndex('tower_groups_grid_channel_uq')
      .on(t.gridId, t.channel)
      .where(sql`${t.active} AND ${t.gridId} IS NOT NULL`),
    index('tower_groups_district_idx').on(t.districtId),
  ],
);

/** 通知 a notice sent down the tower. Never edited once sent: a correction is a new notice pointing here. */
export const notices = pgTable(
  'notices',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    senderAccountId: integer('sender_account_id')
      .notNull()
      .references(() => accounts.id),
    /** the sender's org (the district root for a platform admin): who may read the report follows it */
    senderOrgId: integer('sender_org_id')
      .notNull()
      .references(() => orgs.id),
    title: varchar('title', { length: 200 }).notNull(),
    body: text('body').notNull(),
    /** urgent | general */
    priority: varchar('priority', { length: 10 }).notNull(),
    /** time each reached org has to acknowledge, from the district's settings when sent */
    deadlineSeconds: integer('deadline_seconds').notNull(),
    /** 回执要求 a required reply (short answer or form), null when a tap is enough */
    replySpec: jsonb('reply_spec'),
    /** how the targets were chosen, as sent */
    targetSpec: jsonb('target_spec').notNull(),
    targetCount: integer('target_count').notNull().default(0),
    sentAt: ts('sent_at').notNull().defaultNow(),
    /** 更正 this notice corrects that one */
    correctionOf: integer('correction_of').references((): any => notices.id),
    /** set on the original when a correction replaces it: its deadlines stop escalating */
    supersededBy: integer('superseded_by').references((): any => notices.id),
  },
  (t) => [
    index('notices_district_sent_idx').on(t.districtId, t.sentAt),
    index('notices_sender_org_idx').on(t.senderOrgId),
    index('notices_correction_idx').on(t.correctionOf),
  ],
);

/** 附件 a file attached to a notice (small: the route refuses large ones). */
export const noticeAttachments = pgTable(
  'notice_attachments',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    noticeId: integer('notice_id')
      .notNull()
      .references(() => notices.id),
    name: varchar('name', { length: 200 }).notNull(),
    mimeType: varchar('mime_type', { length: 100 }).notNull(),
    size: integer('size').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [index('notice_attachments_notice_idx').on(t.noticeId)],
);

/**
 * 回执 one row per org or grid a notice reached: who must acknowledge, by when, and what happened.
 * Written for every target in the same transaction as the notice.
 */
export const noticeTargets = pgTable(
  'notice_targets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    districtId: integer('district_id').notNull(),
    noticeId: integer('notice_id')
      .notNull()
      .references(() => notices.id),
    /** the reached org, or the responsible org of the reached grid */
    orgId: integer('org_id').notNull(),
    gridId: integer('grid_id'),
    /** district | town | village | grid | other, at the time of sending */
    level: varchar('level', { length: 10 }).notNull(),
    /** the cadres who may acknowledge (besides admins above) */
    responsibleAccountIds: integer('responsible_account_ids').array().notNull(),
    deadlineAt: ts('deadline_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: integer('acknowledged_by'),
    /** web | phone | sms | wecom … */
    ackChannel: varchar('ack_channel', { length: 20 }),
    reply: jsonb('reply'),
    repliedAt: ts('replied_at'),
    /** 0 none, 1 instructors above alerted, 2 one level further */
    escalationLevel: smallint('escalation_level').notNull().default(0),
    escalatedAt: ts('escalated_at'),
  },
  (t) => [
    index('notice_targets_notice_idx').on(t.noticeId, t.orgId),
    index('notice_targets_responsible_gin').using('gin', t.responsibleAccountIds),
  ],
);

/** 升级 each escalation of a late target: at most one per (target, level). */
export const noticeEscalations = pgTable(
  'notice_escalations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    districtId: integer('district_id').notNull(),
    noticeId: integer('notice_id')
      .notNull()
      .references(() => notices.id),
    targetId: bigint('target_id', { mode: 'number' }).notNull(),
    level: smallint('level').notNull(),
    alertedAccountIds: integer('alerted_account_ids').array().notNull(),
    resendChannel: varchar('resend_channel', { length: 20 }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notice_escalations_target_level_uq').on(t.targetId, t.level),
    index('notice_escalations_notice_idx').on(t.noticeId),
  ],
);

/**
 * 投递记录 the outbox and log of channel deliveries (SMS, WeChat Work, the development recorder): a row is
 * written pending in the transaction that decides to send, and a worker hands it to the channel adapter.
 */
export const noticeDeliveries = pgTable(
  'notice_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    districtId: integer('district_id').notNull(),
    noticeId: integer('notice_id')
      .notNull()
      .references(() => notices.id),
    targetId: bigint('target_id', { mode: 'number' }),
    accountId: integer('account_id'),
    /** in_app | sms | wecom */
    channel: varchar('channel', { length: 20 }).notNull(),
    /** resend (to the responsible cadres) | alert (to instructors above) */
    purpose: varchar('purpose', { length: 20 }).notNull(),
    /** pending | sent | recorded | failed */
    status: varchar('status', { length: 20 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** adapter name and its answer or error */
    detail: text('detail'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('notice_deliveries_notice_idx').on(t.noticeId),
    index('notice_deliveries_pending_idx').on(t.id).where(sql`${t.status} = 'pending'`),
  ],
);
