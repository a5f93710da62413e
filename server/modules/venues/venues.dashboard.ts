import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import { many } from '../../db/sql.ts';
import { type DashboardSectionSource, registerDashboardSection } from '../dashboard/dashboard.sections.ts';
import { shanghaiMonth } from '../notices/notices.dashboard.ts';

/** 阵地 on the overview: active venues owned in the subtree and this month's approved booking hours. */
export const venuesSection: DashboardSectionSource = {
  key: 'venues',
  visibleTo: (actor) => roleCan(actor.role, 'venue.read'),
  async compute(database, scope) {
    const { from, to } = shanghaiMonth();
    const values = sql.join(
      [scope.org, ...scope.children].map((p) => sql`(${p.id}::int, ${p.path}::text)`),
      sql`, `,
    );
    const rows = await many<{ id: number; venues: number; hours: number }>(
      database.db,
      sql`SELECT x.id, count(DISTINCT v.id)::int AS venues,
                 coalesce(sum(extract(epoch FROM (upper(b.period * tstzrange(${from}::timestamptz, ${to}::timestamptz))
                   - lower(b.period * tstzrange(${from}::timestamptz, ${to}::timestamptz)))) / 3600), 0)::float8 AS hours
          FROM (VALUES ${values}) AS x(id, path)
          LEFT JOIN orgs o ON o.district_id = ${scope.districtId} AND o.path LIKE x.path || '%'
          LEFT JOIN venues v ON v.org_id = o.id AND v.active
          LEFT JOIN venue_bookings b ON b.venue_id = v.id AND b.status = 'approved'
            AND b.period && tstzrange(${from}::timestamptz, ${to}::timestamptz)
          GROUP BY x.id`,
    );
    const by = new Map(
      rows.map((r) => [r.id, { venues: r.venues, bookedHours: Math.round(Number(r.hours) * 10) / 10 }]),
    );
    const empty = { venues: 0, bookedHours: 0 };
    return {
      values: by.get(scope.org.id) ?? empty,
      byChild: Object.fromEntries(scope.children.map((c) => [String(c.id), by.get(c.id) ?? empty])),
    };
  },
};

export function registerVenuesSection(): void {
  registerDashboardSection(venuesSection);
}
