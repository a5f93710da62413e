import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import { attractionRate, ORDER_STATUSES, type Rate, responseRate, satisfactionRate } from '../../../domain/order.ts';
import { many } from '../../db/sql.ts';
import { type DashboardSectionSource, registerDashboardSection } from '../dashboard/dashboard.sections.ts';
import { OPEN_ORDER_STATUSES } from './orders.metrics.ts';
import * as more from './orders-more.repository.ts';
import { computeRates, shanghaiYear, shanghaiYearStart } from './orders-more.service.ts';

const pct = (r: Rate) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10);

/** How many leaderboard rows the overview carries. */
export const LEADERBOARD_SIZE = 10;

/**
 * 点单 on the overview: orders requested in the subtree by state (all time — the numbers of
 * GET /api/orders?orgId=…&status=…), open and overdue ones, this year's two rates and response rate
 * of the orgs of the subtree (GET /api/orders/rates), and the two-rate leaderboard of those orgs
 * in the rates' own order (top 10).
 */
export const ordersSection: DashboardSectionSource = {
  key: 'orders',
  visibleTo: (actor) => roleCan(actor.role, 'order.read'),
  async compute(database, scope) {
    const values = sql.join(
      [scope.org, ...scope.children].map((p) => sql`(${p.id}::int, ${p.path}::text)`),
      sql`, `,
    );
    const rows = await many<{ id: number; status: string | null; n: number; overdue: number }>(
      database.db,
      sql`SELECT x.id, so.status, count(so.id)::int AS n,
                 count(so.id) FILTER (WHERE (so.status = 'dispatched' AND so.respond_due_at < now())
                   OR (so.status IN ('accepted', 'in_progress') AND so.complete_due_at < now()))::int AS overdue
          FROM (VALUES ${values}) AS x(id, path)
          LEFT JOIN orgs o ON o.district_id = ${scope.districtId} AND o.path LIKE x.path || '%'
          LEFT JOIN service_orders so ON so.org_id = o.id AND so.district_id = ${scope.districtId}
          GROUP BY x.id, so.status`,
    );
    const now = new Date();
    const y = shanghaiYear(now);
    const range = { from: shanghaiYearStart(y), to: shanghaiYearStart(y + 1) };
    const from = range.from.toISOString();
    const to = range.to.toISOString();
    // The subtree's rates and leaderboard as GET /api/orders/rates computes them; the children's totals
    // from the same rows, bucketed by the child whose path holds the rated org (no query per child).
    const [subtreeRates, dispatches, scores, services] = await Promise.all([
      computeRates(database.db, scope.districtId, scope.org.path, range, 'org', now),
      more.rateDispatches(database.db, scope.districtId, scope.org.path, from, to),
      more.rateScores(database.db, scope.districtId, scope.org.path, from, to),
      more.rateServices(database.db, scope.districtId, scope.org.path, from, to),
    ]);
    const of = <T extends { path: string }>(rows: T[], path: string) => rows.filter((r) => r.path.startsWith(path));
    const childRates = scope.children.map((c) => ({
      id: c.id,
      total: {
        attraction: attractionRate(of(services, c.path)),
        response: responseRate(of(dispatches, c.path), now),
        satisfaction: satisfactionRate(of(scores, c.path).map((r) => r.score)),
      },
    }));
    const figures = (id: number, total: typeof subtreeRates.total) => {
      const out: Record<string, number | null> = { total: 0, open: 0, overdue: 0 };
      for (const s of ORDER_STATUSES) out[s] = 0;
      for (const r of rows) {
        if (r.id !== id || r.status === null) continue;
        out[r.status] = r.n;
        out.total = (out.total ?? 0) + r.n;
        if (OPEN_ORDER_STATUSES.includes(r.status)) out.open = (out.open ?? 0) + r.n;
        out.overdue = (out.overdue ?? 0) + r.overdue;
      }
      out.attractionPct = pct(total.attraction);
      out.satisfactionPct = pct(total.satisfaction);
      out.responsePct = pct(total.response);
      return out;
    };
    return {
      values: figures(scope.org.id, subtreeRates.total),
      byChild: Object.fromEntries(childRates.map((c) => [String(c.id), figures(c.id, c.total)])),
      lists: {
        leaderboard: subtreeRates.items.slice(0, LEADERBOARD_SIZE).map((i, n) => ({
          rank: n + 1,
          orgId: i.org.id,
          orgName: i.org.name,
          attractionPct: pct(i.attraction),
          satisfactionPct: pct(i.satisfaction),
          ratings: i.satisfaction.denominator,
          eligible: i.eligible,
        })),
      },
    };
  },
};

export function registerOrdersSection(): void {
  registerDashboardSection(ordersSection);
}
