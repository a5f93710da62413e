import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { activityCalls } from './activities.ts';
import { accounts, districts } from './core.ts';
import { serviceOrderReminders, serviceOrders } from './orders.ts';
import { people } from './people.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** 我的召集令 a youth's personal inbox link: the token is `<id>.<HMAC-SM3 signature>`; revocable, expiring. */
export const youthInboxLinks = pgTable(
  'youth_inbox_links',
  {
    id: varchar('id', { length: 32 }).primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('youth_inbox_links_person_idx').on(t.personId, t.expiresAt)],
);

/** The SMS telling one recipient about one call (unique: a retried job never texts twice). */
export const activityCallNotices = pgTable(
  'activity_call_notices',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    callId: integer('call_id')
      .notNull()
      .references(() => activityCalls.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    /** sent | recorded (development sender) | failed | no_phone */
    status: varchar('status', { length: 20 }).notNull(),
    detail: text('detail'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('activity_call_notices_uq').on(t.callId, t.personId),
    check('activity_call_notices_status_ck', sql`${t.status} IN ('sent', 'recorded', 'failed', 'no_phone')`),
  ],
);

/** One order reminder to one account on one channel (SMS, WeChat template message). */
export const serviceOrderReminderDeliveries = pgTable(
  'service_order_reminder_deliveries',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    reminderId: integer('reminder_id')
      .notNull()
      .references(() => serviceOrderReminders.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => serviceOrders.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    /** sms | wechat */
    channel: varchar('channel', { length: 20 }).notNull(),
    /** assignee (the cadres of the assigned org) | escalation (the district) */
    purpose: varchar('purpose', { length: 20 }).notNull(),
    /** sent | recorded (development adapter) | failed */
    status: varchar('status', { length: 20 }).notNull(),
    detail: text('detail'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('service_order_reminder_deliveries_uq').on(t.reminderId, t.accountId, t.channel),
    index('service_order_reminder_deliveries_order_idx').on(t.orderId),
    check('service_order_reminder_deliveries_channel_ck', sql`${t.channel} IN ('sms', 'wechat')`),
    check('service_order_reminder_deliveries_purpose_ck', sql`${t.purpose} IN ('assignee', 'escalation')`),
    check('service_order_reminder_deliveries_status_ck', sql`${t.status} IN ('sent', 'recorded', 'failed')`),
  ],
);
