import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import { percent } from '../../../domain/activity.ts';
import { many } from '../../db/sql.ts';
import { type DashboardSectionSource, registerDashboardSection } from '../dashboard/dashboard.sections.ts';

/** The current year in Asia/Shanghai (UTC+8, no DST) as [from, to). */
export function shanghaiYear(now = new Date()): { from: string; to: string } {
  const y = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  return { from: `${y}-01-01T00:00:00+08:00`, to: `${y + 1}-01-01T00:00:00+08:00` };
}

/**
 * 活动 on the overview, this year: activities held (not cancelled), summarised or later, published,
 * and the participation rate (registered youth of the subtree who checked in to ≥1 activity).
 */
export const activitiesSection: DashboardSectionSource = {
  key: 'activities',
  visibleTo: (actor) => roleCan(actor.role, 'activity.read'),
  async compute(database, scope) {
    const { from, to } = shanghaiYear();
    const values = sql.join(
      [scope.org, ...scope.children].map((p) => sql`(${p.id}::int, ${p.path}::text)`),
      sql`, `,
    );
    const acts = await many<{ id: number; activities: number; summarised: number; published: number }>(
      database.db,
      sql`SELECT x.id, count(a.id)::int AS activities,
                 count(a.id) FILTER (WHERE a.status IN ('summarised', 'published'))::int AS summarised,
                 count(a.id) FILTER (WHERE a.status = 'published')::int AS published
          FROM (VALUES ${values}) AS x(id, path)
          LEFT JOIN orgs o ON o.district_id = ${scope.districtId} AND o.path LIKE x.path || '%'
          LEFT JOIN activities a ON a.org_id = o.id AND a.status <> 'cancelled'
            AND a.starts_at >= ${from}::timestamptz AND a.starts_at < ${to}::timestamptz
          GROUP BY x.id`,
    );
    // Each registered youth is placed once, by the org that holds him (home grid's org, else branch), under the
    // child of the subject org whose id follows the subject's path in his path ('/1/7/' + '42/…' → child 42);
    // the subject's own figure is the sum of all. Linear in people (a join per child and person was not).
    const youth = await many<{ child: number | null; registered: number; participants: number }>(
      database.db,
      sql`WITH took_part AS (
            SELECT DISTINCT s.person_id FROM activity_signups s
            JOIN activity_checkins k ON k.signup_id = s.id
            JOIN activities a ON a.id = s.activity_id
            WHERE a.district_id = ${scope.districtId} AND s.person_id IS NOT NULL
              AND a.starts_at >= ${from}::timestamptz AND a.starts_at < ${to}::timestamptz),
          placed AS (
            SELECT p.id, substr(o.path, ${scope.org.path.length + 1}) AS rest
            FROM people p
            LEFT JOIN grids g ON g.id = p.home_grid_id
            JOIN orgs o ON o.id = COALESCE(g.org_id, p.branch_org_id)
            WHERE p.district_id = ${scope.districtId} AND p.status = 'registered' AND p.withdrawn_at IS NULL
              AND o.district_id = ${scope.districtId} AND o.path LIKE ${`${scope.org.path}%`})
          SELECT NULLIF(split_part(placed.rest, '/', 1), '')::int AS child,
                 count(*)::int AS registered, count(tp.person_id)::int AS participants
          FROM placed LEFT JOIN took_part tp ON tp.person_id = placed.id
          GROUP BY 1`,
    );
    const registered = youth.reduce((n, r) => n + r.registered, 0);
    const participants = youth.reduce((n, r) => n + r.participants, 0);
    const rates = new Map<number, number>([
      [scope.org.id, percent(participants, registered)],
      ...youth.filter((r) => r.child !== null).map((r) => [r.child!, percent(r.participants, r.registered)] as const),
    ]);
    const by = new Map(
      acts.map((r) => [
        r.id,
        {
          activities: r.activities,
          summarised: r.summarised,
          published: r.published,
          participationRate: rates.get(r.id) ?? 0,
        },
      ]),
    );
    const empty = { activities: 0, summarised: 0, published: 0, participationRate: 0 };
    return {
      values: by.get(scope.org.id) ?? empty,
      byChild: Object.fromEntries(scope.children.map((c) => [String(c.id), by.get(c.id) ?? empty])),
    };
  },
};

export function registerActivitiesSection(): void {
  registerDashboardSection(activitiesSection);
}
