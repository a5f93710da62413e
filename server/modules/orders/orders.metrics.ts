import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import type { MetricValue } from '../../../domain/assessment.ts';
import { attractionRate, type Rate, responseRate, satisfactionRate } from '../../../domain/order.ts';
import { iso, isoOrNull, many } from '../../db/sql.ts';
import {
  type MetricContext,
  type MetricSubject,
  type RankingMetric,
  registerRankingMetric,
} from '../assessments/ranking-metrics.ts';
import { registerGridMapMetric } from '../dashboard/dashboard-map.ts';
import * as more from './orders-more.repository.ts';

/**
 * 点单 metrics of the rankings: order timeliness (响应及时率: dispatches to orgs of the subtree
 * accepted within the response deadline of the order's class, of those answered or overdue) and the
 * two rates (吸引率, 满意率) — the same rules and rows as GET /api/orders/rates, bucketed per
 * ranked org's subtree. And the grid map's open orders.
 */

const rateValue = (r: Rate): MetricValue => ({ value: r.rate, numerator: r.numerator, denominator: r.denominator });

/** Rows bucketed by the subject whose subtree holds their org's path. */
function bucket<T extends { path: string }>(subjects: MetricSubject[], rows: T[]) {
  const out = new Map<number, T[]>(subjects.map((s) => [s.id, []]));
  for (const r of rows) {
    const s = subjects.find((x) => r.path.startsWith(x.path));
    if (s) out.get(s.id)!.push(r);
  }
  return out;
}

const scopeOf = (ctx: MetricContext, path: string) =>
  sql`og.path LIKE ${`${path}%`} ${ctx.actor.scopePath === null ? sql`` : sql`AND og.path LIKE ${`${ctx.actor.scopePath}%`}`}`;

const ORDER_COLUMNS = [
  { key: 'trackingNo', label: { 'zh-CN': '受理编号', en: 'Tracking no.' } },
  { key: 'title', label: { 'zh-CN': '需求', en: 'Order' } },
  { key: 'org', label: { 'zh-CN': '承接组织', en: 'Organisation' } },
];

const orderTimeliness: RankingMetric = {
  key: 'order_timeliness',
  label: { 'zh-CN': '订单响应及时率', en: 'Order timeliness' },
  description: {
    'zh-CN': '本期派给辖区组织的订单中，在分类时限内接单的比例（未到时限且未答复的不计）',
    en: 'Share of the period’s dispatches to the subtree accepted within the class’s response deadline (pending ones before it not counted)',
  },
  unit: 'ratio',
  async compute(ex, ctx, subjects) {
    const rows = await more.rateDispatches(ex, ctx.districtId, ctx.actor.scopePath, ctx.from, ctx.to);
    const by = bucket(subjects, rows);
    const now = new Date();
    return new Map(subjects.map((s) => [s.id, rateValue(responseRate(by.get(s.id)!, now))]));
  },
  async records(ex, ctx, subject, limit) {
    const rows = await many<any>(
      ex,
      sql`SELECT so.tracking_no, so.title, so.classification, og.name AS org_name, d.dispatched_at, d.respond_due_at,
                 d.outcome, d.responded_at
          FROM service_order_dispatches d JOIN orgs og ON og.id = d.org_id JOIN service_orders so ON so.id = d.order_id
          WHERE d.district_id = ${ctx.districtId} AND ${scopeOf(ctx, subject.path)}
            AND d.dispatched_at >= ${ctx.from}::timestamptz AND d.dispatched_at < ${ctx.to}::timestamptz
          ORDER BY d.dispatched_at, d.id LIMIT ${limit + 1}`,
    );
    const now = new Date();
    return {
      columns: [
        ...ORDER_COLUMNS,
        { key: 'classification', label: { 'zh-CN': '分类', en: 'Class' } },
        { key: 'dispatchedAt', label: { 'zh-CN': '派单时间', en: 'Dispatched' } },
        { key: 'respondDueAt', label: { 'zh-CN': '响应时限', en: 'Respond by' } },
        { key: 'outcome', label: { 'zh-CN': '结果', en: 'Outcome' } },
        { key: 'respondedAt', label: { 'zh-CN': '答复时间', en: 'Answered' } },
        { key: 'onTime', label: { 'zh-CN': '及时', en: 'On time' } },
      ],
      rows: rows.slice(0, limit).map((r) => {
        const d = {
          dispatchedAt: new Date(iso(r.dispatched_at)),
          respondDueAt: new Date(iso(r.respond_due_at)),
          outcome: r.outcome,
          respondedAt: r.responded_at ? new Date(iso(r.responded_at)) : null,
        };
        const rate = responseRate([d], now);
        return {
          trackingNo: r.tracking_no,
          title: r.title,
          org: r.org_name,
          classification: r.classification,
          dispatchedAt: iso(r.dispatched_at),
          respondDueAt: iso(r.respond_due_at),
          outcome: r.outcome,
          respondedAt: isoOrNull(r.responded_at),
          // null: still within its deadline, not counted yet
          onTime: rate.denominator === 0 ? null : rate.numerator === 1,
        };
      }),
      truncated: rows.length > limit,
    };
  },
};

const attraction: RankingMetric = {
  key: 'attraction_rate',
  label: { 'zh-CN': '吸引率', en: 'Attraction rate' },
  description: {
    'zh-CN': '本期完成的群体性服务中，实际参与人数 ÷ 计划参与人数（每项最多计 100%）',
    en: 'Completed group services of the period: participants ÷ planned participants (each capped at 100%)',
  },
  unit: 'ratio',
  async compute(ex, ctx, subjects) {
    const rows = await more.rateServices(ex, ctx.districtId, ctx.actor.scopePath, ctx.from, ctx.to);
    const by = bucket(subjects, rows);
    return new Map(subjects.map((s) => [s.id, rateValue(attractionRate(by.get(s.id)!))]));
  },
  async records(ex, ctx, subject, limit) {
    const rows = await many<any>(
      ex,
      sql`SELECT so.tracking_no, so.title, og.name AS org_name, so.done_at, so.planned_participants, so.participants
          FROM service_orders so JOIN orgs og ON og.id = so.assignee_org_id
          WHERE so.district_id = ${ctx.districtId} AND ${scopeOf(ctx, subject.path)} AND so.status IN ('done', 'rated')
            AND so.planned_participants IS NOT NULL
            AND so.done_at >= ${ctx.from}::timestamptz AND so.done_at < ${ctx.to}::timestamptz
          ORDER BY so.done_at, so.id LIMIT ${limit + 1}`,
    );
    return {
      columns: [
        ...ORDER_COLUMNS,
        { key: 'doneAt', label: { 'zh-CN': '完成时间', en: 'Done' } },
        { key: 'planned', label: { 'zh-CN': '计划人数', en: 'Planned' } },
        { key: 'participants', label: { 'zh-CN': '实际人数', en: 'Participants' } },
      ],
      rows: rows.slice(0, limit).map((r) => ({
        trackingNo: r.tracking_no,
        title: r.title,
        org: r.org_name,
        doneAt: iso(r.done_at),
        planned: r.planned_participants,
        participants: r.participants,
      })),
      truncated: rows.length > limit,
    };
  },
};

const satisfaction: RankingMetric = {
  key: 'satisfaction_rate',
  label: { 'zh-CN': '满意率', en: 'Satisfaction rate' },
  description: {
    'zh-CN': '本期对辖区组织的评价（点单人与现场参与者）中，满意和基本满意（4 星及以上）的比例',
    en: 'Share of the period’s ratings of the subtree’s orgs (requesters and participants) of 4 stars or more',
  },
  unit: 'ratio',
  async compute(ex, ctx, subjects) {
    const rows = await more.rateScores(ex, ctx.districtId, ctx.actor.scopePath, ctx.from, ctx.to);
    const by = bucket(subjects, rows);
    return new Map(subjects.map((s) => [s.id, rateValue(satisfactionRate(by.get(s.id)!.map((r) => r.score)))]));
  },
  async records(ex, ctx, subject, limit) {
    const rows = await many<any>(
      ex,
      sql`SELECT so.tracking_no, so.title, og.name AS org_name, x.score, x.by_kind, x.created_at FROM (
            SELECT order_id, org_id, score, by_kind, created_at, district_id FROM service_order_ratings
            UNION ALL
            SELECT order_id, org_id, score, 'participant', created_at, district_id FROM service_order_participant_ratings) x
          JOIN orgs og ON og.id = x.org_id JOIN service_orders so ON so.id = x.order_id
          WHERE x.district_id = ${ctx.districtId} AND ${scopeOf(ctx, subject.path)}
            AND x.created_at >= ${ctx.from}::timestamptz AND x.created_at < ${ctx.to}::timestamptz
          ORDER BY x.created_at, so.id LIMIT ${limit + 1}`,
    );
    return {
      columns: [
        ...ORDER_COLUMNS,
        { key: 'score', label: { 'zh-CN': '评分', en: 'Score' } },
        { key: 'by', label: { 'zh-CN': '评价人', en: 'By' } },
        { key: 'ratedAt', label: { 'zh-CN': '评价时间', en: 'Rated' } },
        { key: 'satisfied', label: { 'zh-CN': '满意', en: 'Satisfied' } },
      ],
      rows: rows.slice(0, limit).map((r) => ({
        trackingNo: r.tracking_no,
        title: r.title,
        org: r.org_name,
        score: Number(r.score),
        by: r.by_kind,
        ratedAt: iso(r.created_at),
        satisfied: satisfactionRate([Number(r.score)]).numerator === 1,
      })),
      truncated: rows.length > limit,
    };
  },
};

/** Orders nobody has finished with yet (not done, rated, rejected or cancelled). */
export const OPEN_ORDER_STATUSES = ['submitted', 'classified', 'dispatched', 'accepted', 'in_progress', 'returned'];

export function registerOrderMetrics(): void {
  registerRankingMetric(orderTimeliness);
  registerRankingMetric(attraction);
  registerRankingMetric(satisfaction);

  registerGridMapMetric({
    key: 'open_orders',
    label: { 'zh-CN': '未办结订单', en: 'Open orders' },
    kind: 'count',
    visibleTo: (actor) => roleCan(actor.role, 'order.read'),
    async compute(ex, ctx) {
      const rows = await many<{ grid_id: number; n: number }>(
        ex,
        sql`WITH per_grid AS (
              SELECT so.grid_id, count(*)::int AS n FROM service_orders so
              WHERE so.district_id = ${ctx.districtId} AND so.grid_id IS NOT NULL
                AND so.status IN (${sql.join(
                  OPEN_ORDER_STATUSES.map((s) => sql`${s}`),
                  sql`, `,
                )})
              GROUP BY so.grid_id)
            SELECT g.id AS grid_id, coalesce(pg.n, 0)::int AS n
            FROM grids g JOIN orgs o ON o.id = g.org_id LEFT JOIN per_grid pg ON pg.grid_id = g.id
            WHERE g.district_id = ${ctx.districtId} AND g.active AND o.path LIKE ${`${ctx.path}%`}
              ${ctx.actor.scopePath === null ? sql`` : sql`AND o.path LIKE ${`${ctx.actor.scopePath}%`}`}`,
      );
      return new Map(rows.map((r) => [r.grid_id, r.n]));
    },
  });
}
