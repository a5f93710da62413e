import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
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

/** A half-open time range [start, end) of timestamptz. Read and written through SQL. */
const tstzrange = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'tstzrange';
  },
});

/** 阵地 a venue that organisations book: youth home, culture hall, meeting room … */
export const venues = pgTable(
  'venues',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** 所属组织 the org that runs the venue; managing it follows that org's subtree */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    gridId: integer('grid_id').references(() => grids.id),
    type: varchar('type', { length: 30 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    location: point('location').notNull(),
    address: varchar('address', { length: 200 }),
    capacity: integer('capacity'),
    facilities: text('facilities').array().notNull().default(sql`'{}'::text[]`),
    /** { mon: [{ from: '08:30', to: '17:00' }], … } in Asia/Shanghai local time */
    openingHours: jsonb('opening_hours').notNull(),
    /** who may book: 'district' (any org of the district) or 'owner_subtree' */
    bookableBy: varchar('bookable_by', { length: 20 }).notNull().default('district'),
    advanceDays: integer('advance_days').notNull().default(30),
    maxMinutes: integer('max_minutes').notNull().default(240),
    needsApproval: boolean('needs_approval').notNull().default(false),
    /** the venue's own public contact (front desk), shown on the public map */
    contactName: varchar('contact_name', { length: 50 }),
    contactPhone: varchar('contact_phone', { length: 30 }),
    description: varchar('description', { length: 1000 }),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('venues_district_idx').on(t.districtId),
    index('venues_org_idx').on(t.orgId),
    index('venues_location_gix').using('gist', t.location),
    check('venues_bookable_by_ck', sql`${t.bookableBy} IN ('district', 'owner_subtree')`),
    check('venues_rules_ck', sql`${t.advanceDays} >= 0 AND ${t.maxMinutes} > 0`),
  ],
);

/**
 * 预订 a booking of a venue for a time range. Two live bookings (requested or approved) of one
 * venue never overlap: an exclusion constraint (btree_gist) added by hand to the migration,
 * `venue_bookings_no_overlap`, enforces it in the database.
 */
export const venueBookings = pgTable(
  'venue_bookings',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    venueId: integer('venue_id')
      .notNull()
      .references(() => venues.id),
    /** 预订组织 the org the venue is booked for */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    bookedBy: integer('booked_by')
      .notNull()
      .references(() => accounts.id),
    purpose: varchar('purpose', { length: 200 }).notNull(),
    attendees: integer('attendees'),
    period: tstzrange('period').notNull(),
    /** requested | approved | rejected | cancelled */
    status: varchar('status', { length: 20 }).notNull(),
    decidedBy: integer('decided_by').references(() => accounts.id),
    decidedAt: ts('decided_at'),
    decisionNote: varchar('decision_note', { length: 200 }),
    cancelledBy: integer('cancelled_by').references(() => accounts.id),
    cancelledAt: ts('cancelled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('venue_bookings_venue_idx').on(t.venueId),
    index('venue_bookings_org_idx').on(t.orgId),
    check('venue_bookings_status_ck', sql`${t.status} IN ('requested', 'approved', 'rejected', 'cancelled')`),
    check(
      'venue_bookings_period_ck',
      sql`NOT isempty(${t.period}) AND NOT lower_inf(${t.period}) AND NOT upper_inf(${t.period})`,
    ),
  ],
);
