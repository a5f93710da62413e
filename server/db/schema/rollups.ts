import { index, integer, pgTable, primaryKey, smallint, varchar } from 'drizzle-orm/pg-core';

/**
 * 汇总计数 roll-up counters of the org tree, maintained on write by statement-level triggers on orgs, accounts,
 * grids and people (migration 0013_rollups). Per (org, source, slot): `direct` = attached to the org itself,
 * `subtree` = attached anywhere in its subtree. Readers sum the slots (the slot spreads concurrent writers over
 * rows; it is the writing backend's pid % 16). Derived data: `jw_rollup_rebuild()` recounts it from the base tables.
 */
export const orgRollups = pgTable(
  'org_rollups',
  {
    orgId: integer('org_id').notNull(),
    districtId: integer('district_id').notNull(),
    /** orgs | accounts | grids | people | members */
    source: varchar('source', { length: 20 }).notNull(),
    slot: smallint('slot').notNull().default(0),
    direct: integer('direct').notNull().default(0),
    subtree: integer('subtree').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.source, t.slot] }), index('org_rollups_district_idx').on(t.districtId)],
);
