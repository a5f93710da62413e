import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { many } from '../../db/sql.ts';
import type { MetricContext, MetricSubject, RankingMetric } from '../assessments/ranking-metrics.ts';
import { registerRankingMetric, scopeCond, subjectOf } from '../assessments/ranking-metrics.ts';

/**
 * 青年与干部 metrics of the rankings and the 1000-point scheme: registration growth, 1+100 contact coverage and
 * visit-day records. People are placed by their home grid's org, else their League branch (as everywhere); a cadre
 * by his own placement; a visit by the org that recorded it.
 */

/** The period's Shanghai calendar days, for the date columns (visited_on, contacted_on). */
const dayFrom = (ctx: MetricContext) => sql`(${ctx.from}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;
const dayTo = (ctx: MetricContext) => sql`(${ctx.to}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`;

/** Sums per-path rows into the subjects that hold them. */
function sumBySubject<T extends { path: string }>(subjects: MetricSubject[], rows: T[], add: (row: T) => number[]) {
  const sums = new Map(subjects.map((s) => [s.id, [0, 0]]));
  for (const r of rows) {
    const s = subjectOf(subjects, r.path);
    if (!s) continue;
    const sum = sums.get(s.id)!;
    add(r).forEach((v, i) => {
      sum[i] += v;
    });
  }
  return sums;
}

async function newRegistrations(ex: Executor, ctx: MetricContext, path: string, byGrid: boolean) {
  return many<{ path: string; grid: string | null; org: string; n: number }>(
    ex,
    sql`SELECT o.path, ${byGrid ? sql`g.code || ' ' || g.name` : sql`NULL`} AS grid, o.name AS org, count(*)::int AS n
        FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
        JOIN orgs o ON o.id = COALESCE(g.org_id, p.branch_org_id)
        WHERE p.district_id = ${ctx.districtId} AND p.status = 'registered' AND p.withdrawn_at IS NULL
          AND p.created_at >= ${ctx.from}::timestamptz AND p.created_at < ${ctx.to}::timestamptz
          AND o.path LIKE ${`${path}%`} AND ${scopeCond(ctx.actor.scopePath)}
        GROUP BY o.path, o.name ${byGrid ? sql`, g.code, g.name` : sql``}
        ORDER BY o.path ${byGrid ? sql`, g.code NULLS FIRST` : sql``}`,
  );
}

const registrationGrowth: RankingMetric = {
  key: 'registration_growth',
  label: { 'zh-CN': '青年报到增长', en: 'Registration growth' },
  description: {
    'zh-CN': '本期新登记（已报到、未撤回同意）的辖区青年人数',
    en: 'Youth of the subtree newly registered in the period (registered, consent not withdrawn)',
  },
  unit: 'count',
  async compute(ex, ctx, subjects) {
    const sums = sumBySubject(subjects, await newRegistrations(ex, ctx, ctx.actor.scopePath ?? '/', false), (r) => [
      r.n,
    ]);
    return new Map(subjects.map((s) => [s.id, { value: sums.get(s.id)![0], numerator: null, denominator: null }]));
  },
  async records(ex, ctx, subject, limit) {
    const rows = await newRegistrations(ex, ctx, subject.path, true);
    return {
      columns: [
        { key: 'grid', label: { 'zh-CN': '网格', en: 'Grid' } },
        { key: 'org', label: { 'zh-CN': '组织', en: 'Organisation' } },
        { key: 'registered', label: { 'zh-CN': '新登记青年', en: 'Newly registered' } },
      ],
      rows: rows.slice(0, limit).map((r) => ({ grid: r.grid, org: r.org, registered: r.n })),
      truncated: rows.length > limit,
    };
  },
};

/** Per cadre: his 1+100 list and how many of it he contacted in the period. */
async function contactsByCadre(ex: Executor, ctx: MetricContext, path: string) {
  return many<{ path: string; cadre: string; org: string; contacts: number; contacted: number }>(
    ex,
    sql`SELECT o.path, cp.name AS cadre, o.name AS org, count(*)::int AS contacts,
               count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM contact_logs l
                 WHERE l.cadre_person_id = c.cadre_person_id AND l.person_id = c.person_id
                   AND l.contacted_on >= ${dayFrom(ctx)} AND l.contacted_on < ${dayTo(ctx)}))::int AS contacted
        FROM cadre_contacts c JOIN people cp ON cp.id = c.cadre_person_id
        LEFT JOIN grids g ON g.id = cp.home_grid_id
        JOIN orgs o ON o.id = COALESCE(g.org_id, cp.branch_org_id)
        WHERE c.district_id = ${ctx.districtId} AND o.path LIKE ${`${path}%`} AND ${scopeCond(ctx.actor.scopePath)}
        GROUP BY o.path, o.name, c.cadre_person_id, cp.name ORDER BY o.path, cp.name`,
  );
}

const contactCoverage: RankingMetric = {
  key: 'contact_coverage',
  label: { 'zh-CN': '"1+100"联系覆盖率', en: '1+100 contact coverage' },
  description: {
    'zh-CN': '辖区团干部"1+100"联系名单中，本期至少联系过一次的青年比例',
    en: 'Share of the youth on the subtree’s cadres’ 1+100 lists contacted at least once in the period',
  },
  unit: 'ratio',
  async compute(ex, ctx, subjects) {
    const sums = sumBySubject(subjects, await contactsByCadre(ex, ctx, ctx.actor.scopePath ?? '/'), (r) => [
      r.contacted,
      r.contacts,
    ]);
    return new Map(
      subjects.map((s) => {
        const [contacted, contacts] = sums.get(s.id)!;
        return [
          s.id,
          { value: contacts > 0 ? contacted / contacts : null, numerator: contacted, denominator: contacts },
        ];
      }),
    );
  },
  async records(ex, ctx, subject, limit) {
    const rows = await contactsByCadre(ex, ctx, subject.path);
    return {
      columns: [
        { key: 'cadre', label: { 'zh-CN': '团干部', en: 'Cadre' } },
        { key: 'org', label: { 'zh-CN': '组织', en: 'Organisation' } },
        { key: 'contacts', label: { 'zh-CN': '联系名单', en: 'On the list' } },
        { key: 'contacted', label: { 'zh-CN': '本期已联系', en: 'Contacted' } },
      ],
      rows: rows
        .slice(0, limit)
        .map((r) => ({ cadre: r.cadre, org: r.org, contacts: r.contacts, contacted: r.contacted })),
      truncated: rows.length > limit,
    };
  },
};

/** Visits recorded on the district's visit day (走访日, default the 9th) in the period. */
async function visitDayRecords(ex: Executor, ctx: MetricContext, path: string, limit?: number) {
  return many<{ path: string; org: string; visited_on: string; target_kind: string; target: string | null }>(
    ex,
    sql`SELECT o.path, o.name AS org, v.visited_on::text AS visited_on, v.target_kind,
               v.target_name AS target
        FROM visits v JOIN orgs o ON o.id = v.org_id
        WHERE v.district_id = ${ctx.districtId}
          AND EXTRACT(DAY FROM v.visited_on) = COALESCE(
                (SELECT visit_day FROM visit_settings WHERE district_id = ${ctx.districtId}), 9)
          AND v.visited_on >= ${dayFrom(ctx)} AND v.visited_on < ${dayTo(ctx)}
          AND o.path LIKE ${`${path}%`} AND ${scopeCond(ctx.actor.scopePath)}
        ORDER BY v.visited_on, v.id ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`,
  );
}

const visitDays: RankingMetric = {
  key: 'visit_day_records',
  label: { 'zh-CN': '走访日记录', en: 'Visit-day records' },
  description: {
    'zh-CN': '本期在本区走访日（默认每月 9 日）登记的走访记录数',
    en: 'Visits recorded on the district’s visit day (the 9th by default) in the period',
  },
  unit: 'count',
  async compute(ex, ctx, subjects) {
    const sums = sumBySubject(subjects, await visitDayRecords(ex, ctx, ctx.actor.scopePath ?? '/'), () => [1]);
    return new Map(subjects.map((s) => [s.id, { value: sums.get(s.id)![0], numerator: null, denominator: null }]));
  },
  async records(ex, ctx, subject, limit) {
    const rows = await visitDayRecords(ex, ctx, subject.path, limit + 1);
    return {
      columns: [
        { key: 'visitedOn', label: { 'zh-CN': '走访日期', en: 'Visited on' } },
        { key: 'org', label: { 'zh-CN': '组织', en: 'Organisation' } },
        { key: 'kind', label: { 'zh-CN': '对象类型', en: 'Kind' } },
        { key: 'target', label: { 'zh-CN': '走访对象', en: 'Visited' } },
      ],
      rows: rows
        .slice(0, limit)
        .map((r) => ({ visitedOn: r.visited_on, org: r.org, kind: r.target_kind, target: r.target })),
      truncated: rows.length > limit,
    };
  },
};

export function registerPeopleMetrics(): void {
  registerRankingMetric(registrationGrowth);
  registerRankingMetric(contactCoverage);
  registerRankingMetric(visitDays);
}
