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
    const paths = [scope.org, ...scope.children];
    const values = sql.join(
      paths.map((p) => sql`(${p.id}::int, ${p.path}::text)`),
      sql`, `,
    );
    const rows = await many<{ id: number; targets: number; on_time: number }>(
      database.db,
      sql`SELECT x.id, count(t.id)::int AS targets,
                 count(t.id) FILTER (WHERE t.acknowledged_at <= t.deadline_at)::int AS on_time
          FROM (VALUES ${values}) AS x(id, path)
          LEFT JOIN orgs o ON o.district_id = ${scope.districtId} AND o.path LIKE x.path || '%'
          LEFT JOIN notice_targets t ON t.org_id = o.id AND t.district_id = ${scope.districtId}
            AND (t.acknowledged_at IS NOT NULL OR t.deadline_at <= now())
            AND EXISTS (SELECT 1 FROM notices n WHERE n.id = t.notice_id AND n.superseded_by IS NULL
                        AND n.sent_at >= ${from}::timestamptz AND n.sent_at < ${to}::timestamptz)
          GROUP BY x.id`,
    );
    const by = new Map(rows.map((r) => [r.id, { receipts: r.targets, onTimePct: percent(r.on_time, r.targets) }]));
    const empty = { receipts: 0, onTimePct: null };
    return {
      values: by.get(scope.org.id) ?? empty,
      byChild: Object.fromEntries(scope.children.map((c) => [String(c.id), by.get(c.id) ?? empty])),
    };
  },
};

export function registerNoticesSection(): void {
  registerDashboardSection(noticesSection);
}
