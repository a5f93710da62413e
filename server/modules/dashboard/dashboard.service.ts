import type { DashboardOverview } from '../../../domain/dashboard.ts';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { requirePermission } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { getGridRollups } from '../grids/grids.dashboard.ts';
import { resolveSubjectOrg } from '../grids/grids.service.ts';
import { getOrgCounters } from '../orgs/orgs.service.ts';
import { getDashboardSections } from './dashboard.sections.ts';

/**
 * The overview of an org's subtree. Every number is the one the detailed pages show (the org tree's roll-ups, the
 * grid statistics, each module's figures), scoped to the caller, so the dashboard and the lists cannot disagree; it
 * is read from counters kept on write (org_rollups, dashboard_counts) wherever a figure would otherwise count people
 * or check-ins, so its cost does not grow with the district's youth (docs/PERFORMANCE.md, issue 9).
 */
export async function getOverview(
  database: Database,
  actor: Actor,
  query: { districtId?: number; orgId?: number },
): Promise<DashboardOverview> {
  requirePermission(actor, 'org.read');
  const org = await resolveSubjectOrg(database, actor, query.districtId, query.orgId);
  const counters = await getOrgCounters(database, actor, org.districtId, org.id);
  if (!counters) throw new AppError('ORG_NOT_FOUND');
  // Active children only (as the grid statistics list them).
  const children = counters.children.map((c) => ({ id: c.id, path: c.path }));
  const scope = { districtId: org.districtId, org: { id: org.id, path: org.path }, children };
  const [grids, sections] = await Promise.all([
    getGridRollups(database, actor, org, children),
    Promise.all(
      getDashboardSections()
        .filter((s) => s.visibleTo(actor))
        .map(async (s) => ({ key: s.key, ...(await s.compute(database, scope)) })),
    ),
  ]);
  return {
    org: { id: org.id, name: org.name, kind: org.kind },
    totals: counters.org.counts,
    grids: grids.total,
    children: counters.children.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      hierarchical: c.hierarchical,
      counts: c.counts,
      grids: grids.children.get(c.id)!,
    })),
    sections,
    generatedAt: new Date().toISOString(),
  };
}
