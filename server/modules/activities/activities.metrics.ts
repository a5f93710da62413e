import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import { percent } from '../../../domain/dashboard.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, many } from '../../db/sql.ts';
import type { MetricContext, RankingMetric } from '../assessments/ranking-metrics.ts';
import { registerRankingMetric, scopeCond, subjectOf } from '../assessments/ranking-metrics.ts';
import { countsByGrid, shanghaiYearOf } from '../dashboard/dashboard-counts.ts';
import { registerGridMapMetric } from '../dashboard/dashboard-map.ts';

/**
 * 活动 metrics of the rankings and the 1000-point scheme (participation rate, activities held) and
 * of the dashboard's grid map (participation, activities). The participation rate is the figure of
 * GET /api/activity-figures/participation: registered youth of the subtree (placed by their home
 * grid's org, else their League branch) who checked in to ≥1 activity starting in the period.
 */

/** Registered youth and participants per org path (youth placed by home grid's org, else branch). */
async function participationByOrg(ex: Executor, ctx: MetricContext, path: string) {
  return many<{ path: string; registered: number; participants: number }>(
    ex,
    sql`WITH youth AS (
          SELECT p.id, o.path
          FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
          JOIN orgs o ON o.id = COALESCE(g.org_id, p.branch_org_id)
          WHERE p.district_id = ${ctx.districtId} AND p.status = 'registered' AND p.withdrawn_at IS NULL
            AND o.path LIKE ${`${path}%`} AND ${scopeCond(ctx.actor.scopePath)}),
        took_part AS (
          SELECT DISTINCT s.person_id FROM activity_signups s
          JOIN activity_checkins k ON k.signup_id = s.id
          JOIN activities a ON a.id = s.activity_id
          WHERE a.district_id = ${ctx.districtId} AND s.person_id IS NOT NULL
            AND a.starts_at >= ${ctx.from}::timestamptz AND a.starts_at < ${ctx.to}::timestamptz)
        SELECT y.path, count(*)::int AS registered, count(tp.person_id)::int AS participants
        FROM youth y LEFT JOIN took_part tp ON tp.person_id = y.id
        GROUP BY y.path`,
  );
}

const participationRate: RankingMetric = {
  key: 'participation_rate',
  label: { 'zh-CN': '青年参与率', en: 'Participation rate' },
  description: {
    'zh-CN': '辖区登记青年中，本期至少签到参加过一次活动的比例',
    en: 'Share of the registered youth of the subtree who checked in to at least one activity of the period',
  },
  unit: 'ratio',
  async compute(ex, ctx, subjects) {
    const rows = await participationByOrg(ex, ctx, ctx.actor.scopePath ?? '/');
    const sums = new Map(subjects.map((s) => [s.id, { registered: 0, participants: 0 }]));
    for (const r of rows) {
      const s = subjectOf(subjects, r.path);
      if (!s) continue;
      const sum = sums.get(s.id)!;
      sum.registered += r.registered;
      sum.participants += r.participants;
    }
    return new Map(
      subjects.map((s) => {
        const { registered, participants } = sums.get(s.id)!;
        return [
          s.id,
          {
            value: registered > 0 ? participants / registered : null,
            numerator: participants,
            denominator: registered,
          },
        ];
      }),
    );
  },
  /** Per home grid (or branch, for youth without a grid): registered youth, participants, rate — no names. */
  async records(ex, ctx, subject, limit) {
    const rows = await many<{
      grid_code: string | null;
      grid_name: string | null;
      org_name: string;
      registered: number;
      participants: number;
    }>(
      ex,
      sql`WITH youth AS (
            SELECT p.id, p.home_grid_id, COALESCE(g.org_id, p.branch_org_id) AS org_id
            FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
            JOIN orgs o ON o.id = COALESCE(g.org_id, p.branch_org_id)
            WHERE p.district_id = ${ctx.districtId} AND p.status = 'registered' AND p.withdrawn_at IS NULL
              AND o.path LIKE ${`${subject.path}%`} AND ${scopeCond(ctx.actor.scopePath)}),
          took_part AS (
            SELECT DISTINCT s.person_id FROM activity_signups s
            JOIN activity_checkins k ON k.signup_id = s.id
            JOIN activities a ON a.id = s.activity_id
            WHERE a.district_id = ${ctx.districtId} AND s.person_id IS NOT NULL
              AND a.starts_at >= ${ctx.from}::timestamptz AND a.starts_at < ${ctx.to}::timestamptz)
          SELECT g.code AS grid_code, g.name AS grid_name, o.name AS org_name,
                 count(*)::int AS registered, count(tp.person_id)::int AS participants
          FROM youth y LEFT JOIN took_part tp ON tp.person_id = y.id
          LEFT JOIN grids g ON g.id = y.home_grid_id JOIN orgs o ON o.id = y.org_id
          GROUP BY g.code, g.name, o.name, o.path ORDER BY o.path, g.code NULLS FIRST
          LIMIT ${limit + 1}`,
    );
    return {
      columns: [
        { key: 'grid', label: { 'zh-CN': '网格', en: 'Grid' } },
        { key: 'org', label: { 'zh-CN': '组织', en: 'Organisation' } },
        { key: 'registered', label: { 'zh-CN': '登记青年', en: 'Registered youth' } },
        { key: 'participants', label: { 'zh-CN': '参与青年', en: 'Participants' } },
        { key: 'ratePct', label: { 'zh-CN': '参与率 %', en: 'Rate %' } },
      ],
      rows: rows.slice(0, limit).map((r) => ({
        grid: r.grid_code ? `${r.grid_code} ${r.grid_name}` : null,
        org: r.org_name,
        registered: r.registered,
        participants: r.participants,
        ratePct: percent(r.participants, r.registered),
      })),
      truncated: rows.length > limit,
    };
  },
};

/** Activities held: of orgs of the subtree, starting in the period, run to the end (finished or later). */
const HELD = sql`a.status IN ('finished', 'summarised', 'published')`;

async function heldUnder(ex: Executor, ctx: MetricContext, path: string, limit?: number) {
  return many<any>(
    ex,
    sql`SELECT a.id, a.title, a.starts_at, a.status, o.path, o.name AS org_name,
               (SELECT count(*)::int FROM activity_checkins k WHERE k.activity_id = a.id) AS checkins
        FROM activities a JOIN orgs o ON o.id = a.org_id
        WHERE a.district_id = ${ctx.districtId} AND ${HELD}
          AND a.starts_at >= ${ctx.from}::timestamptz AND a.starts_at < ${ctx.to}::timestamptz
          AND o.path LIKE ${`${path}%`} AND ${scopeCond(ctx.actor.scopePath)}
        ORDER BY a.starts_at, a.id ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`,
  );
}

const activitiesHeld: RankingMetric = {
  key: 'activities_held',
  label: { 'zh-CN': '开展活动数', en: 'Activities held' },
  description: {
    'zh-CN': '辖区组织本期开展并已结束（结束、已总结或已发布）的活动数',
    en: 'Activities of the subtree’s orgs starting in the period and run to the end (finished, summarised or published)',
  },
  unit: 'count',
  async compute(ex, ctx, subjects) {
    const rows = await many<{ path: string; n: number }>(
      ex,
      sql`SELECT o.path, count(*)::int AS n FROM activities a JOIN orgs o ON o.id = a.org_id
          WHERE a.district_id = ${ctx.districtId} AND ${HELD}
            AND a.starts_at >= ${ctx.from}::timestamptz AND a.starts_at < ${ctx.to}::timestamptz
            AND ${scopeCond(ctx.actor.scopePath)}
          GROUP BY o.path`,
    );
    const counts = new Map(subjects.map((s) => [s.id, 0]));
    for (const r of rows) {
      const s = subjectOf(subjects, r.path);
      if (s) counts.set(s.id, counts.get(s.id)! + r.n);
    }
    return new Map(
      subjects.map((s) => [s.id, { value: counts.get(s.id)!, numerator: counts.get(s.id)!, denominator: null }]),
    );
  },
  async records(ex, ctx, subject, limit) {
    const rows = await heldUnder(ex, ctx, subject.path, limit + 1);
    return {
      columns: [
        { key: 'title', label: { 'zh-CN': '活动', en: 'Activity' } },
        { key: 'org', label: { 'zh-CN': '组织', en: 'Organisation' } },
        { key: 'startsAt', label: { 'zh-CN': '开始时间', en: 'Starts' } },
        { key: 'status', label: { 'zh-CN': '状态', en: 'Status' } },
        { key: 'checkins', label: { 'zh-CN': '签到人数', en: 'Check-ins' } },
      ],
      rows: rows.slice(0, limit).map((r) => ({
        title: r.title,
        org: r.org_name,
        startsAt: iso(r.starts_at),
        status: r.status,
        checkins: r.checkins,
      })),
      truncated: rows.length > limit,
    };
  },
};

export function registerActivityMetrics(): void {
  registerRankingMetric(participationRate);
  registerRankingMetric(activitiesHeld);

  // 网格地图: per home grid, the participation rate of the year; activities (not cancelled) naming the grid.
  registerGridMapMetric({
    key: 'participation',
    label: { 'zh-CN': '青年参与率', en: 'Participation rate' },
    kind: 'percent',
    visibleTo: (actor) => roleCan(actor.role, 'activity.read'),
    async compute(ex, ctx) {
      // A whole Shanghai year (what the map asks for) is read from the counters kept on write (dashboard_counts:
      // youth and participants per home grid), any other range counted from people and check-ins.
      const year = shanghaiYearOf(ctx.from, ctx.to);
      if (year !== null) {
        const [grids, counts] = await Promise.all([
          many<{ id: number }>(
            ex,
            sql`SELECT g.id FROM grids g JOIN orgs o ON o.id = g.org_id
                WHERE g.district_id = ${ctx.districtId} AND g.active AND o.path LIKE ${`${ctx.path}%`}
                  AND ${scopeCond(ctx.actor.scopePath)}`,
          ),
          countsByGrid(ex, ctx.districtId, ['youth', 'participants'], [0, year]),
        ]);
        const of = new Map<number, { registered: number; participants: number }>();
        for (const c of counts) {
          const e = of.get(c.grid_id) ?? { registered: 0, participants: 0 };
          if (c.source === 'youth' && c.period === 0) e.registered += c.n;
          if (c.source === 'participants' && c.period === year) e.participants += c.n;
          of.set(c.grid_id, e);
        }
        return new Map(
          grids.map((g) => [g.id, percent(of.get(g.id)?.participants ?? 0, of.get(g.id)?.registered ?? 0)]),
        );
      }
      const rows = await many<{ grid_id: number; registered: number; participants: number }>(
        ex,
        sql`WITH took_part AS (
              SELECT DISTINCT s.person_id FROM activity_signups s
              JOIN activity_checkins k ON k.signup_id = s.id
              JOIN activities a ON a.id = s.activity_id
              WHERE a.district_id = ${ctx.districtId} AND s.person_id IS NOT NULL
                AND a.starts_at >= ${ctx.from}::timestamptz AND a.starts_at < ${ctx.to}::timestamptz)
            SELECT g.id AS grid_id, count(p.id)::int AS registered, count(tp.person_id)::int AS participants
            FROM grids g JOIN orgs o ON o.id = g.org_id
            LEFT JOIN people p ON p.home_grid_id = g.id AND p.status = 'registered' AND p.withdrawn_at IS NULL
            LEFT JOIN took_part tp ON tp.person_id = p.id
            WHERE g.district_id = ${ctx.districtId} AND g.active AND o.path LIKE ${`${ctx.path}%`}
              AND ${scopeCond(ctx.actor.scopePath)}
            GROUP BY g.id`,
      );
      return new Map(rows.map((r) => [r.grid_id, percent(r.participants, r.registered)]));
    },
  });
  registerGridMapMetric({
    key: 'activities',
    label: { 'zh-CN': '本年活动数', en: 'Activities this year' },
    kind: 'count',
    visibleTo: (actor) => roleCan(actor.role, 'activity.read'),
    async compute(ex, ctx) {
      const rows = await many<{ grid_id: number; n: number }>(
        ex,
        sql`WITH per_grid AS (
              SELECT x.grid_id, count(*)::int AS n
              FROM activities a CROSS JOIN LATERAL unnest(a.grid_ids) AS x(grid_id)
              WHERE a.district_id = ${ctx.districtId} AND a.status <> 'cancelled'
                AND a.starts_at >= ${ctx.from}::timestamptz AND a.starts_at < ${ctx.to}::timestamptz
              GROUP BY x.grid_id)
            SELECT g.id AS grid_id, coalesce(pg.n, 0)::int AS n
            FROM grids g JOIN orgs o ON o.id = g.org_id LEFT JOIN per_grid pg ON pg.grid_id = g.id
            WHERE g.district_id = ${ctx.districtId} AND g.active AND o.path LIKE ${`${ctx.path}%`}
              AND ${scopeCond(ctx.actor.scopePath)}`,
      );
      return new Map(rows.map((r) => [r.grid_id, r.n]));
    },
  });
}
