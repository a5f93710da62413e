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
  /** ranked lists of the section (e.g. the orders' two-rate leaderboard), named rows of cells */
  lists: z
    .record(z.string(), z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))))
    .optional(),
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

// ---- Grid map coloured by a metric (网格地图) ----

export const GridMapQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().max(2147483647).optional(),
    /** whose subtree (default: the caller's own org, or the district root) */
    orgId: z.coerce.number().int().positive().max(2147483647).optional(),
    /** a registered grid-map metric (capacity, youth, members, four_ones, participation, activities, open_orders …) */
    metric: z
      .string()
      .max(40)
      .regex(/^[a-z][a-z0-9_]*$/)
      .default('capacity'),
  })
  .strict();

export const GridMapLegendItemSchema = z.object({
  /** category key, or the class's range as "min-max" */
  key: z.string(),
  label: z.string(),
  color: z.string(),
  /** inclusive bounds of a numeric class (null for categories and "no data") */
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** grids in the class */
  count: z.number().int(),
});
export type GridMapLegendItem = z.infer<typeof GridMapLegendItemSchema>;

export const GridMapSchema = z.object({
  org: z.object({ id: z.number().int(), name: z.string() }),
  metric: z.object({ key: z.string(), label: z.string(), kind: z.enum(['count', 'percent', 'category']) }),
  /** the metrics the caller may choose */
  metrics: z.array(z.object({ key: z.string(), label: z.string() })),
  legend: z.array(GridMapLegendItemSchema),
  items: z.array(
    z.object({
      gridId: z.number().int(),
      code: z.string(),
      name: z.string(),
      value: z.union([z.number(), z.string()]).nullable(),
      /** index into legend */
      class: z.number().int(),
    }),
  ),
  generatedAt: z.string(),
});
export type GridMap = z.infer<typeof GridMapSchema>;

/** Sequential ramps (light → dark): counts in reds, percentages in greens; grey is "no data". */
export const COUNT_RAMP = ['#fee5d9', '#fcbba1', '#fc9272', '#fb6a4a', '#de2d26', '#a50f15'];
export const PERCENT_RAMP = ['#f7fcf5', '#c7e9c0', '#74c476', '#31a354', '#006d2c'];
export const NO_DATA_COLOR = '#d9d9d9';

/** 1, 2 or 5 × 10^k, the smallest such step ≥ x (and ≥ 1: counts are whole). */
export function niceStep(x: number): number {
  if (x <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * Classes of a numeric map: counts in equal whole-number intervals from 0 of a nice step (at most
 * six classes, the last holding the maximum); percentages in five fixed classes of 20 points.
 * A value belongs to the class whose [min, max] holds it; null goes to a trailing "no data" class
 * (only present when some value is null).
 */
export function numericLegend(
  kind: 'count' | 'percent',
  values: readonly (number | null)[],
  noDataLabel: string,
): { legend: GridMapLegendItem[]; classOf: (v: number | null) => number } {
  const known = values.filter((v): v is number => v !== null);
  let bounds: [number, number][];
  let ramp: string[];
  if (kind === 'percent') {
    bounds = [
      [0, 20],
      [20, 40],
      [40, 60],
      [60, 80],
      [80, 100],
    ];
    ramp = PERCENT_RAMP;
  } else {
    const max = known.length ? Math.max(0, ...known) : 0;
    const step = niceStep((max + 1) / COUNT_RAMP.length);
    const n = Math.max(1, Math.ceil((max + 1) / step));
    bounds = Array.from({ length: n }, (_, i) => [i * step, (i + 1) * step - 1] as [number, number]);
    ramp = n === 1 ? [COUNT_RAMP[0]] : COUNT_RAMP.slice(COUNT_RAMP.length - n);
  }
  const hasNull = known.length < values.length;
  const classOf = (v: number | null) => {
    if (v === null) return bounds.length;
    if (kind === 'percent') return Math.min(bounds.length - 1, Math.floor(v / 20));
    const i = bounds.findIndex(([, hi]) => v <= hi);
    return i < 0 ? bounds.length - 1 : i;
  };
  const legend: GridMapLegendItem[] = bounds.map(([lo, hi], i) => ({
    key: `${lo}-${hi}`,
    label:
      kind === 'percent'
        ? i === bounds.length - 1
          ? `${lo}–${hi}%`
          : `${lo}–<${hi}%`
        : lo === hi
          ? `${lo}`
          : `${lo}–${hi}`,
    color: ramp[i],
    min: lo,
    max: hi,
    count: 0,
  }));
  if (hasNull) legend.push({ key: 'none', label: noDataLabel, color: NO_DATA_COLOR, min: null, max: null, count: 0 });
  for (const v of values) legend[classOf(v)].count++;
  return { legend, classOf };
}
