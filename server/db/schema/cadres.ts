import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';
import { serviceOrders } from './orders.ts';
import { people } from './people.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** 团干部 a person of the registry with posts (migration 0014_people_more). */
export const cadres = pgTable(
  'cadres',
  {
    personId: integer('person_id')
      .primaryKey()
      .references(() => people.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** grid_leader | contact_person | group_admin | instructor | secretary | other */
    posts: jsonb('posts').notNull().default(sql`'[]'::jsonb`),
    /** grid_worker | minqing_secretary | village_cadre | police_officer | enterprise_staff | teacher | volunteer | other */
    recruitedFrom: varchar('recruited_from', { length: 30 }),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('cadres_district_idx').on(t.districtId)],
);

/** 培训记录 a cadre's training. */
export const cadreTrainings = pgTable(
  'cadre_trainings',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    cadrePersonId: integer('cadre_person_id')
      .notNull()
      .references(() => cadres.personId),
    title: varchar('title', { length: 100 }).notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    hours: numeric('hours', { precision: 5, scale: 1 }),
    note: varchar('note', { length: 500 }),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('cadre_trainings_cadre_idx').on(t.cadrePersonId)],
);

/** 1+100 the youth a cadre contacts directly (at most 100 per cadre, checked under a row lock). */
export const cadreContacts = pgTable(
  'cadre_contacts',
  {
    cadrePersonId: integer('cadre_person_id')
      .notNull()
      .references(() => cadres.personId),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cadrePersonId, t.personId] }), index('cadre_contacts_person_idx').on(t.personId)],
);

/** 联系记录 one contact of a cadre with one of his youth. Kept when the youth leaves the list. */
export const contactLogs = pgTable(
  'contact_logs',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    cadrePersonId: integer('cadre_person_id')
      .notNull()
      .references(() => cadres.personId),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    contactedOn: date('contacted_on', { mode: 'string' }).notNull(),
    channel: varchar('channel', { length: 15 }).notNull(),
    note: varchar('note', { length: 500 }),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('contact_logs_cadre_person_on_idx').on(t.cadrePersonId, t.personId, t.contactedOn),
    check(
      'contact_logs_channel_ck',
      sql`${t.channel} IN ('phone', 'wechat', 'qq', 'face_to_face', 'activity', 'other')`,
    ),
  ],
);

/** 走访日 the district's monthly visit day (default the 9th, Rencheng's 议事日). */
export const visitSettings = pgTable(
  'visit_settings',
  {
    districtId: integer('district_id')
      .primaryKey()
      .references(() => districts.id),
    visitDay: smallint('visit_day').notNull().default(9),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('visit_settings_day_ck', sql`${t.visitDay} BETWEEN 1 AND 28`)],
);

/** 走访记录 a visit of a person, an enterprise or an organisation by an org of the network. */
export const visits = pgTable(
  'visits',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    visitedOn: date('visited_on', { mode: 'string' }).notNull(),
    /** person | enterprise | organisation */
    targetKind: varchar('target_kind', { length: 12 }).notNull(),
    personId: integer('person_id').references(() => people.id),
    targetName: varchar('target_name', { length: 100 }),
    visitorPersonId: integer('visitor_person_id').references(() => people.id),
    notes: varchar('notes', { length: 2000 }).notNull(),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('visits_district_on_idx').on(t.districtId, t.visitedOn),
    index('visits_org_idx').on(t.orgId),
    check('visits_target_kind_ck', sql`${t.targetKind} IN ('person', 'enterprise', 'organisation')`),
    check(
      'visits_target_ck',
      sql`(${t.targetKind} = 'person' AND ${t.personId} IS NOT NULL) OR (${t.targetKind} <> 'person' AND ${t.personId} IS NULL AND ${t.targetName} IS NOT NULL)`,
    ),
  ],
);

/** 诉求 a demand collected on a visit; the orders module turns it into a service order (order_id). */
export const visitDemands = pgTable(
  'visit_demands',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    visitId: integer('visit_id')
      .notNull()
      .references(() => visits.id),
    text: varchar('text', { length: 500 }).notNull(),
    /** open | ordered | closed */
    status: varchar('status', { length: 10 }).notNull().default('open'),
    orderId: integer('order_id').references(() => serviceOrders.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('visit_demands_visit_idx').on(t.visitId),
    index('visit_demands_district_status_idx').on(t.districtId, t.status),
    check('visit_demands_status_ck', sql`${t.status} IN ('open', 'ordered', 'closed')`),
  ],
);
