import { sql } from 'drizzle-orm';
import type { MetricValue } from '../../../domain/assessment.ts';
import type { Lang } from '../../../domain/messages.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { computeTownBudgets } from '../funds/funds.service.ts';
import { getCapacitySettings, listGridsUnder } from '../grids/grids.repository.ts';
import { toGrid } from '../grids/grids.service.ts';

/**
 * 计算指标 The computed metrics of the rankings and the 1000-point scheme, as a registry: a module
 * registers its own (`registerRankingMetric`) and every scheme may use it by key. Built in here:
 * grids (四个一, capacity), notices (on-time rate), funds (budget rules). The other modules register
 * theirs: activities (participation rate, activities held: activities.metrics.ts), orders (timeliness,
 * the two rates: orders.metrics.ts), people (registration growth, 1+100 contact coverage, visit-day
 * records: people.metrics.ts).
 *
 * A metric gives, per ranked org (its subtree), a value — a ratio in [0, 1] or a count — with the
 * numerator and denominator behind it, and lists the records behind one org's number (drill-down).
 */
export type MetricSubject = { id: number; path: string };
export type MetricContext = {
  /** the caller (a district admin computing the ranking): scope of the underlying reads */
  actor: Actor;
  districtId: number;
  /** [from, to) instants of the period (Asia/Shanghai) and its calendar year */
  from: string;
  to: string;
  year: number;
};
export type MetricRecords = {
  columns: { key: string; label: Record<Lang, string> }[];
  rows: Record<string, string | number | boolean | null>[];
  truncated: boolean;
};
export type RankingMetric = {
  key: string;
  label: Record<Lang, string>;
  description: Record<Lang, string>;
  unit: 'ratio' | 'count';
  compute(ex: Executor, ctx: MetricContext, subjects: MetricSubject[]): Promise<Map<number, MetricValue>>;
  records(ex: Executor, ctx: MetricContext, subject: MetricSubject, limit: number): Promise<MetricRecords>;
};

/** SQL: the org alias lies inside the caller's scope (everything for a platform admin). */
export const scopeCond = (scopePath: string | null, alias = 'o') =>
  scopePath === null ? sql`TRUE` : sql`${sql.raw(alias)}.path LIKE ${`${scopePath}%`}`;

/** The subject whose subtree holds `path` (subjects never nest within one scheme). */
export const subjectOf = (subjects: MetricSubject[], path: string) => subjects.find((s) => path.startsWith(s.path));

const metrics = new Map<string, RankingMetric>();

export function registerRankingMetric(metric: RankingMetric): void {
  metrics.set(metric.key, metric);
}
export function getRankingMetric(key: string): RankingMetric | undefined {
  return metrics.get(key);
}
export function listRankingMetrics(): RankingMetric[] {
  return [...metrics.values()];
}

const ratio = (num: number, den: number): MetricValue => ({
  value: den > 0 ? num / den : null,
  numerator: num,
  denominator: den,
});

/** The subject whose subtree holds `path` (subjects never nest within one scheme). */
function bucket<T>(subjects: MetricSubject[], items: T[], pathOf: (t: T) => string): Map<number, T[]> {
  const out = new Map<number, T[]>(subjects.map((s) => [s.id, []]));
  for (const item of items) {
    const p = pathOf(item);
    const s = subjects.find((x) => p.startsWith(x.path));
    if (s) out.get(s.id)!.push(item);
  }
  return out;
}

async function gridsOf(ex: Executor, ctx: MetricContext, path: string) {
  const settings = await getCapacitySettings(ex, ctx.districtId);
  const rows = await listGridsUnder(ex, ctx.actor, ctx.districtId, path, { withBoundary: false, activeOnly: true });
  return rows.map((r) => ({ path: r.orgPath, grid: toGrid(r, settings) }));
}

const GRID_COLUMNS = [
  { key: 'code', label: { 'zh-CN': '网格编号', en: 'Code' } },
  { key: 'name', label: { 'zh-CN': '网格名称', en: 'Grid' } },
  { key: 'org', label: { 'zh-CN': '责任组织', en: 'Organisation' } },
  { key: 'youth', label: { 'zh-CN': '青年数', en: 'Youth' } },
  { key: 'members', label: { 'zh-CN': '团员数', en: 'Members' } },
];

function gridMetric(
  key: string,
  label: Record<Lang, string>,
  description: Record<Lang, string>,
  passes: (g: ReturnType<typeof toGrid>) => boolean,
  extra: { key: string; label: Record<Lang, string>; value: (g: ReturnType<typeof toGrid>) => string | boolean }[],
): RankingMetric {
  return {
    key,
    label,
    description,
    unit: 'ratio',
    async compute(ex, ctx, subjects) {
      const all = await gridsOf(ex, ctx, ctx.actor.scopePath ?? '/');
      const by = bucket(subjects, all, (g) => g.path);
      return new Map(
        subjects.map((s) => {
          const list = by.get(s.id)!;
          return [s.id, ratio(list.filter((g) => passes(g.grid)).length, list.length)];
        }),
      );
    },
    async records(ex, ctx, subject, limit) {
      const list = await gridsOf(ex, ctx, subject.path);
      return {
        columns: [...GRID_COLUMNS, ...extra.map((e) => ({ key: e.key, label: e.label })), { key: 'passes', label }],
        rows: list.slice(0, limit).map(({ grid }) => ({
          code: grid.code,
          name: grid.name,
          org: grid.orgName,
          youth: grid.youthCount,
          members: grid.memberCount,
          ...Object.fromEntries(extra.map((e) => [e.key, e.value(grid)])),
          passes: passes(grid),
        })),
        truncated: list.length > limit,
      };
    },
  };
}

/** Receipts of the period's notices (sent in [from, to), not superseded) under `path`, due or acknowledged. */
async function receiptsUnder(ex: Executor, ctx: MetricContext, path: string, limit?: number) {
  return many<any>(
    ex,
    sql`SELECT t.id, o.path, o.name AS org_name, g.name AS grid_name, n.title, n.sent_at, t.deadline_at, t.acknowledged_at,
               (t.acknowledged_at IS NOT NULL AND t.acknowledged_at <= t.deadline_at) AS on_time
        FROM notice_targets t
        JOIN notices n ON n.id = t.notice_id
        JOIN orgs o ON o.id = t.org_id
        LEFT JOIN grids g ON g.id = t.grid_id
        WHERE t.district_id = ${ctx.districtId} AND n.district_id = ${ctx.districtId}
          AND n.sent_at >= ${ctx.from}::timestamptz AND n.sent_at < ${ctx.to}::timestamptz AND n.superseded_by IS NULL
          AND (t.acknowledged_at IS NOT NULL OR t.deadline_at <= now())
          AND o.path LIKE ${`${path}%`}
          ${ctx.actor.scopePath === null ? sql`` : sql`AND o.path LIKE ${`${ctx.actor.scopePath}%`}`}
        ORDER BY n.sent_at, t.id ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`,
  );
}

export function registerBuiltinRankingMetrics(): void {
  registerRankingMetric(
    gridMetric(
      'four_ones',
      { 'zh-CN': '"四个一"完备率', en: 'Four-ones completeness' },
      {
        'zh-CN': '辖区网格中"四个一"（团干部、实体阵地、网上阵地、服务项目）齐全的比例',
        en: 'Share of the grids with a leader, a physical venue, an online venue and a service project',
      },
      (g) => g.fourOnes.complete,
      [
        { key: 'leader', label: { 'zh-CN': '团干部', en: 'Leader' }, value: (g) => g.fourOnes.leader },
        { key: 'venue', label: { 'zh-CN': '实体阵地', en: 'Venue' }, value: (g) => g.fourOnes.physicalVenue },
        { key: 'online', label: { 'zh-CN': '网上阵地', en: 'Online' }, value: (g) => g.fourOnes.onlineVenue },
        { key: 'project', label: { 'zh-CN': '服务项目', en: 'Project' }, value: (g) => g.fourOnes.serviceProject },
      ],
    ),
  );
  registerRankingMetric(
    gridMetric(
      'capacity_ok',
      { 'zh-CN': '网格容量达标率', en: 'Capacity compliance' },
      {
        'zh-CN': '辖区网格中容量达标（青年 ≤ 100+20 或团员 ≤ 10）的比例',
        en: 'Share of the grids within the capacity rule',
      },
      (g) => g.capacity.status === 'ok',
      [{ key: 'status', label: { 'zh-CN': '容量状态', en: 'Capacity' }, value: (g) => g.capacity.status }],
    ),
  );
  registerRankingMetric({
    key: 'notice_on_time',
    label: { 'zh-CN': '通知及时确认率', en: 'Notice on-time rate' },
    description: {
      'zh-CN': '本期发出的通知中，辖区组织和网格在时限内确认的比例（未到期且未确认的不计）',
      en: 'Share of the period’s notice receipts acknowledged within the deadline (pending ones not counted)',
    },
    unit: 'ratio',
    async compute(ex, ctx, subjects) {
      const rows = await receiptsUnder(ex, ctx, ctx.actor.scopePath ?? '/');
      const by = bucket(subjects, rows, (r) => r.path);
      return new Map(
        subjects.map((s) => [s.id, ratio(by.get(s.id)!.filter((r) => r.on_time).length, by.get(s.id)!.length)]),
      );
    },
    async records(ex, ctx, subject, limit) {
      const rows = await receiptsUnder(ex, ctx, subject.path, limit + 1);
      return {
        columns: [
          { key: 'title', label: { 'zh-CN': '通知', en: 'Notice' } },
          { key: 'sentAt', label: { 'zh-CN': '发出时间', en: 'Sent' } },
          { key: 'target', label: { 'zh-CN': '接收组织/网格', en: 'Receiver' } },
          { key: 'deadlineAt', label: { 'zh-CN': '时限', en: 'Deadline' } },
          { key: 'acknowledgedAt', label: { 'zh-CN': '确认时间', en: 'Acknowledged' } },
          { key: 'onTime', label: { 'zh-CN': '及时', en: 'On time' } },
        ],
        rows: rows.slice(0, limit).map((r) => ({
          title: r.title,
          sentAt: iso(r.sent_at),
          target: r.grid_name ?? r.org_name,
          deadlineAt: iso(r.deadline_at),
          acknowledgedAt: isoOrNull(r.acknowledged_at),
          onTime: r.on_time,
        })),
        truncated: rows.length > limit,
      };
    },
  });
  registerRankingMetric({
    key: 'budget_compliance',
    label: { 'zh-CN': '团建经费预算规则', en: 'Budget rules' },
    description: {
      'zh-CN': '年度团建经费预算 ≥ 2 万元、双网互动支出占比 ≥ 50%：两项均达标为 1，一项为 0.5',
      en: 'League budget ≥ ¥20,000 and ≥ 50% twin-net spending: both kept = 1, one = 0.5',
    },
    unit: 'ratio',
    async compute(ex, ctx, subjects) {
      const { items } = await computeTownBudgets(ex, ctx.districtId, ctx.year, ctx.actor.scopePath);
      const byTown = new Map(items.map((i) => [i.orgId, i]));
      return new Map(
        subjects.map((s) => {
          const b = byTown.get(s.id);
          const kept = b ? Number(b.budgetOk) + Number(b.shareOk) : 0;
          return [s.id, { value: b ? kept / 2 : null, numerator: kept, denominator: 2 }];
        }),
      );
    },
    async records(ex, ctx, subject) {
      const { items } = await computeTownBudgets(ex, ctx.districtId, ctx.year, subject.path);
      const b = items.find((i) => i.orgId === subject.id);
      return {
        columns: [
          { key: 'year', label: { 'zh-CN': '年度', en: 'Year' } },
          { key: 'budgetYuan', label: { 'zh-CN': '预算（元）', en: 'Budget (CNY)' } },
          { key: 'spentYuan', label: { 'zh-CN': '团建支出（元）', en: 'Spent (CNY)' } },
          { key: 'twinNetYuan', label: { 'zh-CN': '双网互动支出（元）', en: 'Twin-net (CNY)' } },
          { key: 'twinNetSharePct', label: { 'zh-CN': '双网占比 %', en: 'Twin-net %' } },
          { key: 'budgetOk', label: { 'zh-CN': '预算达标', en: 'Budget OK' } },
          { key: 'shareOk', label: { 'zh-CN': '占比达标', en: 'Share OK' } },
        ],
        rows: b
          ? [
              {
                year: b.year,
                budgetYuan: b.budgetFen === null ? null : b.budgetFen / 100,
                spentYuan: b.spentFen / 100,
                twinNetYuan: b.twinNetFen / 100,
                twinNetSharePct: b.twinNetSharePct,
                budgetOk: b.budgetOk,
                shareOk: b.shareOk,
              },
            ]
          : [],
        truncated: false,
      };
    },
  });
}
