import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** PostGIS MultiPolygon in WGS-84. Read and written through SQL (ST_GeomFromGeoJSON / ST_AsGeoJSON). */
const multiPolygon = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'geometry(MultiPolygon,4326)';
  },
});

/** 网格 a grid (or a polygon-less circle) with its boundary, four-ones fields and recorded counts. */
export const grids = pgTable(
  'grids',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** 网格编码, unique in the district (inactive grids keep theirs) */
    code: varchar('code', { length: 40 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    kind: varchar('kind', { length: 30 }).notNull(),
    /** 责任组织 village/community branch or grid branch; scope follows its path */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    leaderAccountId: integer('leader_account_id').references(() => accounts.id),
    contactAccountId: integer('contact_account_id').references(() => accounts.id),
    venue: varchar('venue', { length: 200 }),
    /** [{ type, name, ident, admin }] */
    channels: jsonb('channels').notNull().default(sql`'[]'::jsonb`),
    serviceProject: varchar('service_project', { length: 500 }),
    youthCount: integer('youth_count'),
    memberCount: integer('member_count'),
    boundary: multiPolygon('boundary'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grids_district_code_uq').on(t.districtId, t.code),
    index('grids_org_idx').on(t.orgId),
    index('grids_boundary_gix').using('gist', t.boundary),
  ],
);

/** 下沉组织 non-hierarchical orgs that sink into a grid (many-to-many). */
export const gridLinkedOrgs = pgTable(
  'grid_linked_orgs',
  {
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
  },
  (t) => [primaryKey({ columns: [t.gridId, t.orgId] }), index('grid_linked_orgs_org_idx').on(t.orgId)],
);

/** 辖区 an org's drawn territory; without one, an org's territory is the union of its grids. */
export const orgTerritories = pgTable(
  'org_territories',
  {
    orgId: integer('org_id')
      .primaryKey()
      .references(() => orgs.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    boundary: multiPolygon('boundary').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('org_territories_boundary_gix').using('gist', t.boundary)],
);

/** District-level settings of the grid rules (capacity numbers); missing keys take the defaults. */
export const districtSettings = pgTable('district_settings', {
  districtId: integer('district_id')
    .primaryKey()
    .references(() => districts.id),
  gridCapacity: jsonb('grid_capacity').notNull().default(sql`'{}'::jsonb`),
  /** activities: { planApprover: 'parent' | 'town' | 'district' } (migration 0019) */
  activitySettings: jsonb('activity_settings').notNull().default(sql`'{}'::jsonb`),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
