import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import { ORDER_STATUSES, type Rate } from '../../../domain/order.ts';
import { many } from '../../db/sql.ts';
import { type DashboardSectionSource, registerDashboardSection } from '../dashboard/dashboard.sections.ts';
import { OPEN_ORDER_STATUSES } from './orders.metrics.ts';
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
    const now = new Date();
    const y = shanghaiYear(now);
    const range = { from: shanghaiYearStart(y), to: shanghaiYearStart(y + 1) };
    // Orders requested under the subject by state, each bucketed by the child whose id follows the subject's path
    // in the requesting org's path (null: the subject itself); the subject's figure is the sum of all. The subtree's
    // rates and leaderboard as GET /api/orders/rates computes them (one pass over the year's rows); a child's
    // totals are the sums of the numerators and denominators of the rated orgs under it (the three rates are ratios
    // of sums, so this equals computing them over the child's own rows).
    const [rows, subtreeRates, paths] = await Promise.all([
      many<{ child: number | null; status: string; n: number; overdue: number }>(
        database.db,
        sql`SELECT NULLIF(split_part(substr(o.path, ${scope.org.path.length + 1}), '/', 1), '')::int AS child,
                   so.status, count(*)::int AS n,
                   count(*) FILTER (WHERE (so.status = 'dispatched' AND so.respond_due_at < now())
                     OR (so.status IN ('accepted', 'in_progress') AND so.complete_due_at < now()))::int AS overdue
            FROM service_orders so JOIN orgs o ON o.id = so.org_id
            WHERE so.district_id = ${scope.districtId} AND o.district_id = ${scope.districtId}
              AND o.path LIKE ${`${scope.org.path}%`}
            GROUP BY 1, 2`,
      ),
      computeRates(database.db, scope.districtId, scope.org.path, range, 'org', now),
      many<{ id: number; path: string }>(
        database.db,
        sql`SELECT id, path FROM orgs WHERE district_id = ${scope.districtId} AND path LIKE ${`${scope.org.path}%`}`,
      ),
    ]);
    const pathOf = new Map(paths.map((p) => [p.id, p.path]));
    const add = (a: Rate, b: Rate): Rate => {
      const numerator = a.numerator + b.numerator;
      const denominator = a.denominator + b.denominator;
      return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
    };
    const none: Rate = { numerator: 0, denominator: 0, rate: null };
    const childRates = scope.children.map((c) => {
      const total = { attraction: none, response: none, satisfaction: none };
      for (const i of subtreeRates.items) {
        if (!pathOf.get(i.org.id)?.startsWith(c.path)) continue;
        total.attraction = add(total.attraction, i.attraction);
        total.response = add(total.response, i.response);
        total.satisfaction = add(total.satisfaction, i.satisfaction);
      }
      return { id: c.id, total };
    });
    const figures = (child: number | undefined, total: typeof subtreeRates.total) => {
      const out: Record<string, number | null> = { total: 0, open: 0, overdue: 0 };
      for (const s of ORDER_STATUSES) out[s] = 0;
      for (const r of rows) {
        if (child !== undefined && r.child !== child) continue;
        out[r.status] = (out[r.status] ?? 0) + r.n;
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
      values: figures(undefined, subtreeRates.total),
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
