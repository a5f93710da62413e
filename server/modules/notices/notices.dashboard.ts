import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import { percent } from '../../../domain/dashboard.ts';
import { many } from '../../db/sql.ts';
import { type DashboardSectionSource, registerDashboardSection } from '../dashboard/dashboard.sections.ts';

/** The current month in Asia/Shanghai as [from, to). */
export function shanghaiMonth(now = new Date()): { from: string; to: string } {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const iso = (yy: number, mm: number) =>
    `${yy + Math.floor(mm / 12)}-${String((mm % 12) + 1).padStart(2, '0')}-01T00:00:00+08:00`;
  return { from: iso(y, m), to: iso(y, m + 1) };
}

/**
 * 通知及时率 on the overview: this month's receipts (sent this month, due or acknowledged) of the
 * subtree and of each child, the share acknowledged within the deadline — the figure of the
 * monthly on-time report (GET /api/notices/on-time) for the same orgs.
 */
export const noticesSection: DashboardSectionSource = {
  key: 'notices',
  visibleTo: (actor) => roleCan(actor.role, 'notice.read'),
  async compute(database, scope) {
    const { from, to } = shanghaiMonth();
    // Driven by this month's notices (notices_district_sent_idx → notice_targets_notice_idx), so the cost follows
    // the month's receipts, not every receipt ever sent; each receipt is bucketed by the child whose id follows the
    // subject's path in its org's path (null: the subject itself), the subject's figure is the sum of all.
    const rows = await many<{ child: number | null; targets: number; on_time: number }>(
      database.db,
      sql`SELECT NULLIF(split_part(substr(o.path, ${scope.org.path.length + 1}), '/', 1), '')::int AS child,
                 count(*)::int AS targets, count(*) FILTER (WHERE t.acknowledged_at <= t.deadline_at)::int AS on_time
          FROM notices n
          JOIN notice_targets t ON t.notice_id = n.id
          JOIN orgs o ON o.id = t.org_id
          WHERE n.district_id = ${scope.districtId} AND n.superseded_by IS NULL
            AND n.sent_at >= ${from}::timestamptz AND n.sent_at < ${to}::timestamptz
            AND t.district_id = ${scope.districtId} AND (t.acknowledged_at IS NOT NULL OR t.deadline_at <= now())
            AND o.district_id = ${scope.districtId} AND o.path LIKE ${`${scope.org.path}%`}
          GROUP BY 1`,
    );
    const figures = (list: typeof rows) => {
      const targets = list.reduce((n, r) => n + r.targets, 0);
      return {
        receipts: targets,
        onTimePct: percent(
          list.reduce((n, r) => n + r.on_time, 0),
          targets,
        ),
      };
    };
    return {
      values: figures(rows),
      byChild: Object.fromEntries(
        scope.children.map((c) => [String(c.id), figures(rows.filter((r) => r.child === c.id))]),
      ),
    };
  },
};

export function registerNoticesSection(): void {
  registerDashboardSection(noticesSection);
}
