import { sql } from 'drizzle-orm';
import { type Executor, many } from '../../db/sql.ts';

/**
 * The overview's counters kept on write (`dashboard_counts`, migration 0020_dashboard_counts): per place — a grid, or
 * an org — and source, with a period (0, or a Shanghai year). Sources:
 * - `youth`, `members` (period 0): registered, not withdrawn people (League members) at their home grid, else at
 *   their League branch;
 * - `participants` (period = year): of those, the ones who checked in to ≥ 1 activity of their district starting
 *   that year;
 * - `activities`, `activities_summarised`, `activities_published` (period = year): activities not cancelled
 *   starting that year, at their organising org; those summarised or published; those published.
 * *Seam*: the table is written by database triggers on people, activities, sign-ups and check-ins (not by those
 * modules' code), and read here and by the grids module's overview part, so the overview reads a few thousand counter
 * rows instead of every person and check-in.
 */
export const DASHBOARD_SOURCES = [
  'youth',
  'members',
  'participants',
  'activities',
  'activities_summarised',
  'activities_published',
] as const;
export type DashboardSource = (typeof DASHBOARD_SOURCES)[number];

export type ChildCount = { child: number | null; source: DashboardSource; period: number; n: number };

/**
 * The counters of the places under an org (its subtree, by the grids' responsible orgs as they are now), summed per
 * child of the org: `child` is the id that follows the org's path in the place's org path ('/1/7/' + '42/…' → 42), or
 * null for places at the org itself. The org's own figure is the sum over all rows.
 */
export async function countsByChild(
  ex: Executor,
  districtId: number,
  orgPath: string,
  sources: readonly DashboardSource[],
  periods: readonly number[],
): Promise<ChildCount[]> {
  return many<ChildCount>(
    ex,
    sql`SELECT NULLIF(split_part(substr(o.path, ${orgPath.length + 1}), '/', 1), '')::int AS child, c.source,
               c.period::int AS period, sum(c.n)::int AS n
        FROM dashboard_counts c
        -- the district condition lets the planner look only at this district's grids (a province holds 100,000)
        LEFT JOIN grids g ON c.grid_id <> 0 AND g.id = c.grid_id AND g.district_id = c.district_id
        JOIN orgs o ON o.id = CASE WHEN c.grid_id <> 0 THEN g.org_id ELSE c.org_id END
        WHERE c.district_id = ${districtId}
          AND c.source IN (${sql.join(
            sources.map((s) => sql`${s}`),
            sql`, `,
          )})
          AND c.period IN (${sql.join(
            periods.map((p) => sql`${p}`),
            sql`, `,
          )})
          AND o.district_id = ${districtId} AND o.path LIKE ${`${orgPath}%`}
        GROUP BY 1, 2, 3`,
  );
}

/** Sum of one source and period over the rows of one child (or, with `child` undefined, over all). */
export function sumOf(rows: readonly ChildCount[], source: DashboardSource, period: number, child?: number): number {
  let n = 0;
  for (const r of rows) {
    if (r.source === source && r.period === period && (child === undefined || r.child === child)) n += r.n;
  }
  return n;
}

/** Registered, not withdrawn youth and League members per grid (the registry counts of the grids list). */
export async function registryCountsOfGrids(
  ex: Executor,
  districtId: number,
): Promise<Map<number, { youth: number; members: number }>> {
  const rows = await many<{ grid_id: number; youth: number; members: number }>(
    ex,
    sql`SELECT grid_id, coalesce(sum(n) FILTER (WHERE source = 'youth'), 0)::int AS youth,
               coalesce(sum(n) FILTER (WHERE source = 'members'), 0)::int AS members
        FROM dashboard_counts
        WHERE district_id = ${districtId} AND source IN ('youth', 'members') AND period = 0 AND grid_id <> 0
        GROUP BY grid_id`,
  );
  return new Map(rows.map((r) => [r.grid_id, { youth: r.youth, members: r.members }]));
}

/** Counters of the grid places of a district (per grid, source and period): the grid map's per-grid figures. */
export async function countsByGrid(
  ex: Executor,
  districtId: number,
  sources: readonly DashboardSource[],
  periods: readonly number[],
): Promise<{ grid_id: number; source: DashboardSource; period: number; n: number }[]> {
  return many(
    ex,
    sql`SELECT grid_id, source, period::int AS period, sum(n)::int AS n FROM dashboard_counts
        WHERE district_id = ${districtId} AND grid_id <> 0
          AND source IN (${sql.join(
            sources.map((s) => sql`${s}`),
            sql`, `,
          )})
          AND period IN (${sql.join(
            periods.map((p) => sql`${p}`),
            sql`, `,
          )})
        GROUP BY 1, 2, 3`,
  );
}

/** The Shanghai year a [from, to) range is exactly, or null (the yearly counters answer only whole years). */
export function shanghaiYearOf(from: string, to: string): number | null {
  const y = new Date(Date.parse(from) + 8 * 3600_000).getUTCFullYear();
  const start = Date.UTC(y, 0, 1) - 8 * 3600_000;
  const end = Date.UTC(y + 1, 0, 1) - 8 * 3600_000;
  return Date.parse(from) === start && Date.parse(to) === end ? y : null;
}

/** A fresh recount of the district's counters from the base tables (`jw_dash_rebuild`, e.g. after a bulk load). */
export async function rebuildDashboardCounts(ex: Executor, districtId?: number): Promise<void> {
  await ex.execute(
    districtId === undefined ? sql`SELECT jw_dash_rebuild()` : sql`SELECT jw_dash_rebuild(${districtId})`,
  );
}
