import { sql } from 'drizzle-orm';
import { type GridMap, type GridMapLegendItem, NO_DATA_COLOR, numericLegend } from '../../../domain/dashboard.ts';
import { capacityOf, fourOnesOf, ruleCounts } from '../../../domain/grid.ts';
import type { Lang } from '../../../domain/messages.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { many } from '../../db/sql.ts';
import { type Actor, orgScopeCondition, requirePermission } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { getCapacitySettings } from '../grids/grids.repository.ts';
import { resolveSubjectOrg } from '../grids/grids.service.ts';
import { registryCountsOfGrids } from './dashboard-counts.ts';

/**
 * 网格地图指标 What the dashboard's grid map can be coloured by, as a registry: the grids module's
 * figures are built in here (capacity status, registered youth, League members, 四个一), and
 * modules register their own (activities: participation rate and activities; orders: open orders).
 *
 * A metric answers, in ONE query, a value for every active grid of the subject org's subtree
 * inside the viewer's scope: a count, a percentage (0–100, one decimal; null = nothing to divide
 * by) or a category key. The endpoint classifies the values and adds the legend.
 */
export type GridMapContext = {
  actor: Actor;
  districtId: number;
  /** materialised path of the subject org (its subtree, already inside the viewer's scope) */
  path: string;
  /** [from, to) of the period the figures cover: the current Shanghai year */
  from: string;
  to: string;
};
export type GridMapCategory = { key: string; label: Record<Lang, string>; color: string };
export type GridMapMetric = {
  key: string;
  label: Record<Lang, string>;
  kind: 'count' | 'percent' | 'category';
  /** the category keys, in legend order, with their colours (kind category) */
  categories?: GridMapCategory[];
  visibleTo(actor: Actor): boolean;
  /** gridId → value, for the grids of the subtree in scope (grids left out count as 0 / no data) */
  compute(ex: Executor, ctx: GridMapContext): Promise<Map<number, number | string | null>>;
};

const metrics = new Map<string, GridMapMetric>();

export function registerGridMapMetric(metric: GridMapMetric): void {
  metrics.set(metric.key, metric);
}
export function getGridMapMetric(key: string): GridMapMetric | undefined {
  return metrics.get(key);
}
export function listGridMapMetrics(): GridMapMetric[] {
  return [...metrics.values()];
}

/**
 * Every active grid of the subtree (scoped) with what the grid rules read: the registry counts per home grid (from
 * the counters kept on write, dashboard_counts: registered, not withdrawn), the declared counts and the four-ones
 * fields. The rules themselves are the domain's (capacityOf, ruleCounts, fourOnesOf), as in the grid list.
 */
async function gridsOf(ex: Executor, ctx: GridMapContext) {
  const [settings, registry, rows] = await Promise.all([
    getCapacitySettings(ex, ctx.districtId),
    registryCountsOfGrids(ex, ctx.districtId),
    many<any>(
      ex,
      sql`SELECT g.id, g.youth_count, g.member_count, g.leader_account_id, g.venue, g.channels, g.service_project
          FROM grids g JOIN orgs o ON o.id = g.org_id
          WHERE ${orgScopeCondition(ctx.actor, ctx.districtId)} AND g.district_id = ${ctx.districtId} AND g.active
            AND o.path LIKE ${`${ctx.path}%`}`,
    ),
  ]);
  return rows.map((r) => {
    const g = {
      id: r.id as number,
      youthCount: r.youth_count as number | null,
      memberCount: r.member_count as number | null,
      registeredYouth: registry.get(r.id)?.youth ?? 0,
      registeredMembers: registry.get(r.id)?.members ?? 0,
    };
    const counts = ruleCounts(g);
    const channels = typeof r.channels === 'string' ? JSON.parse(r.channels) : (r.channels ?? []);
    return {
      ...g,
      capacity: capacityOf(counts.youth, counts.members, settings),
      fourOnes: fourOnesOf({
        leaderAccountId: r.leader_account_id,
        venue: r.venue,
        channels,
        serviceProject: r.service_project,
      }),
    };
  });
}

function gridField(
  key: string,
  label: Record<Lang, string>,
  value: (g: Awaited<ReturnType<typeof gridsOf>>[number]) => number,
): GridMapMetric {
  return {
    key,
    label,
    kind: 'count',
    visibleTo: () => true,
    async compute(ex, ctx) {
      return new Map((await gridsOf(ex, ctx)).map((g) => [g.id, value(g)]));
    },
  };
}

/** The grids module's figures, the same numbers the grid list shows. */
export function registerBuiltinGridMapMetrics(): void {
  registerGridMapMetric({
    key: 'capacity',
    label: { 'zh-CN': '容量状态', en: 'Capacity status' },
    kind: 'category',
    categories: [
      { key: 'ok', label: { 'zh-CN': '达标', en: 'Within the rule' }, color: '#52c41a' },
      { key: 'under_used', label: { 'zh-CN': '偏少', en: 'Under-used' }, color: '#faad14' },
      { key: 'over', label: { 'zh-CN': '超容', en: 'Over capacity' }, color: '#f5222d' },
      { key: 'unknown', label: { 'zh-CN': '未知', en: 'Unknown' }, color: '#bfbfbf' },
    ],
    visibleTo: () => true,
    async compute(ex, ctx) {
      return new Map((await gridsOf(ex, ctx)).map((g) => [g.id, g.capacity.status]));
    },
  });
  registerGridMapMetric(gridField('youth', { 'zh-CN': '登记青年', en: 'Registered youth' }, (g) => g.registeredYouth));
  registerGridMapMetric(gridField('members', { 'zh-CN': '团员', en: 'League members' }, (g) => g.registeredMembers));
  registerGridMapMetric({
    key: 'four_ones',
    label: { 'zh-CN': '"四个一"', en: 'Four ones' },
    kind: 'category',
    categories: [
      { key: 'complete', label: { 'zh-CN': '齐全', en: 'Complete' }, color: '#52c41a' },
      { key: 'incomplete', label: { 'zh-CN': '不齐', en: 'Incomplete' }, color: '#fa8c16' },
    ],
    visibleTo: () => true,
    async compute(ex, ctx) {
      return new Map((await gridsOf(ex, ctx)).map((g) => [g.id, g.fourOnes.complete ? 'complete' : 'incomplete']));
    },
  });
}

// ---- the endpoint's service ----

/** The current year in Asia/Shanghai (UTC+8, no DST) as [from, to). */
function shanghaiYear(now = new Date()): { from: string; to: string } {
  const y = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  return { from: `${y}-01-01T00:00:00+08:00`, to: `${y + 1}-01-01T00:00:00+08:00` };
}

/** The active grids of the subtree inside the viewer's scope (ids, codes, names), in the grid list's order. */
async function gridsInScope(ex: Executor, ctx: GridMapContext) {
  return many<{ id: number; code: string; name: string }>(
    ex,
    sql`SELECT g.id, g.code, g.name FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE ${orgScopeCondition(ctx.actor, ctx.districtId)} AND g.district_id = ${ctx.districtId} AND g.active
          AND o.path LIKE ${`${ctx.path}%`}
        ORDER BY o.path, g.code`,
  );
}

const NO_DATA: Record<Lang, string> = { 'zh-CN': '无数据', en: 'No data' };

/**
 * 网格地图 per-grid values of one metric for the subject org's subtree (default: the caller's own
 * org), inside the caller's scope, classified, with the legend (colours, ranges, counts per class).
 */
export async function getGridMap(
  database: Database,
  actor: Actor,
  query: { districtId?: number; orgId?: number; metric: string },
): Promise<GridMap> {
  requirePermission(actor, 'org.read');
  const metric = getGridMapMetric(query.metric);
  if (!metric) throw new AppError('VALIDATION', { errors: [{ field: 'metric', message: 'NOT_FOUND' }] });
  if (!metric.visibleTo(actor)) throw new AppError('FORBIDDEN');
  const org = await resolveSubjectOrg(database, actor, query.districtId, query.orgId);
  const ctx: GridMapContext = { actor, districtId: org.districtId, path: org.path, ...shanghaiYear() };
  const [grids, values] = await Promise.all([gridsInScope(database.db, ctx), metric.compute(database.db, ctx)]);
  const lang = actor.lang;
  let legend: GridMapLegendItem[];
  let classOf: (v: number | string | null) => number;
  let valueFor: (id: number) => number | string | null;
  if (metric.kind === 'category') {
    const cats = metric.categories ?? [];
    legend = cats.map((c) => ({ key: c.key, label: c.label[lang], color: c.color, min: null, max: null, count: 0 }));
    const index = new Map(cats.map((c, i) => [c.key, i]));
    valueFor = (id) => (values.get(id) as string | undefined) ?? null;
    const noData = () => {
      let i = legend.findIndex((l) => l.key === 'none');
      if (i < 0) {
        legend.push({ key: 'none', label: NO_DATA[lang], color: NO_DATA_COLOR, min: null, max: null, count: 0 });
        i = legend.length - 1;
      }
      return i;
    };
    classOf = (v) => (v === null ? noData() : (index.get(String(v)) ?? noData()));
    for (const g of grids) legend[classOf(valueFor(g.id))].count++;
  } else {
    // A grid the metric left out counts 0 (counts) or has no data (percentages).
    valueFor = (id) => {
      const v = values.get(id);
      return v === undefined ? (metric.kind === 'count' ? 0 : null) : (v as number | null);
    };
    const numeric = numericLegend(
      metric.kind,
      grids.map((g) => valueFor(g.id) as number | null),
      NO_DATA[lang],
    );
    legend = numeric.legend;
    classOf = (v) => numeric.classOf(v as number | null);
  }
  return {
    org: { id: org.id, name: org.name },
    metric: { key: metric.key, label: metric.label[lang], kind: metric.kind },
    metrics: listGridMapMetrics()
      .filter((m) => m.visibleTo(actor))
      .map((m) => ({ key: m.key, label: m.label[lang] })),
    legend,
    items: grids.map((g) => {
      const value = valueFor(g.id);
      return { gridId: g.id, code: g.code, name: g.name, value, class: classOf(value) };
    }),
    generatedAt: new Date().toISOString(),
  };
}
