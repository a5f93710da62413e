import { roleCan } from '../../../domain/account.ts';
import { percent } from '../../../domain/activity.ts';
import { type DashboardSectionSource, registerDashboardSection } from '../dashboard/dashboard.sections.ts';
import { countsByChild, sumOf } from '../dashboard/dashboard-counts.ts';

/** The current year in Asia/Shanghai (UTC+8, no DST) as [from, to). */
export function shanghaiYear(now = new Date()): { from: string; to: string } {
  const y = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  return { from: `${y}-01-01T00:00:00+08:00`, to: `${y + 1}-01-01T00:00:00+08:00` };
}

/** The current year in Asia/Shanghai as a number (the period of the overview's yearly counters). */
export function shanghaiYearNumber(now = new Date()): number {
  return new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
}

/**
 * 活动 on the overview, this year: activities held (not cancelled), summarised or later, published,
 * and the participation rate (registered youth of the subtree who checked in to ≥1 activity) — the numbers of
 * GET /api/activity-figures/participation and the activity lists for the same orgs and year. Read from the counters
 * kept on write (dashboard_counts, migration 0020): a few rows per grid and org, not every person and check-in.
 */
export const activitiesSection: DashboardSectionSource = {
  key: 'activities',
  visibleTo: (actor) => roleCan(actor.role, 'activity.read'),
  async compute(database, scope) {
    const year = shanghaiYearNumber();
    const rows = await countsByChild(
      database.db,
      scope.districtId,
      scope.org.path,
      ['youth', 'participants', 'activities', 'activities_summarised', 'activities_published'],
      [0, year],
    );
    // Each place is counted once, under the child of the subject org whose id follows the subject's path in the
    // place's org path; the subject's own figure is the sum of all.
    const figures = (child?: number) => ({
      activities: sumOf(rows, 'activities', year, child),
      summarised: sumOf(rows, 'activities_summarised', year, child),
      published: sumOf(rows, 'activities_published', year, child),
      participationRate: percent(sumOf(rows, 'participants', year, child), sumOf(rows, 'youth', 0, child)),
    });
    return {
      values: figures(),
      byChild: Object.fromEntries(scope.children.map((c) => [String(c.id), figures(c.id)])),
    };
  },
};

export function registerActivitiesSection(): void {
  registerDashboardSection(activitiesSection);
}
