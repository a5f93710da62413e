import { z } from 'zod';

/**
 * 数据看板 the overview of an org's subtree: roll-up counters of every module (from the org tree's
 * roll-up sources), the grid rule roll-up (capacity, 四个一) and module sections registered by
 * modules that land later (venues, notices, orders …), overall and per child org (the report's
 * Figure 1: grids / members / youth per town).
 */
const GridRollupSchema = z.object({
  grids: z.number().int(),
  withBoundary: z.number().int(),
  youth: z.number().int(),
  members: z.number().int(),
  capacity: z.record(z.string(), z.number().int()),
  fourOnes: z.object({
    leader: z.number().int(),
    physicalVenue: z.number().int(),
    onlineVenue: z.number().int(),
    serviceProject: z.number().int(),
    complete: z.number().int(),
  }),
  threeOnesComplete: z.number().int(),
});

export const DashboardQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().max(2147483647).optional(),
    /** whose subtree (default: the caller's own org, or the district root) */
    orgId: z.coerce.number().int().positive().max(2147483647).optional(),
  })
  .strict();

/** A module's figures: named numbers, overall and per child org (same keys). */
export const DashboardSectionSchema = z.object({
  key: z.string(),
  values: z.record(z.string(), z.number().nullable()),
  byChild: z.record(z.string(), z.record(z.string(), z.number().nullable())),
});
export type DashboardSection = z.infer<typeof DashboardSectionSchema>;

export const DashboardOverviewSchema = z.object({
  org: z.object({ id: z.number().int(), name: z.string(), kind: z.string() }),
  totals: z.record(z.string(), z.number().int()),
  grids: GridRollupSchema,
  children: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      kind: z.string(),
      /** false for industry committees, alliances … (shown apart from the towns) */
      hierarchical: z.boolean(),
      counts: z.record(z.string(), z.number().int()),
      grids: GridRollupSchema,
    }),
  ),
  sections: z.array(DashboardSectionSchema),
  generatedAt: z.string(),
});
export type DashboardOverview = z.infer<typeof DashboardOverviewSchema>;

/** Share as a percentage with one decimal, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}
