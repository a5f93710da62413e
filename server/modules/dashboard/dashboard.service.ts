import type { DashboardOverview } from '../../../domain/dashboard.ts';
import type { OrgTreeNode } from '../../../domain/org.ts';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { requirePermission } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { listChildOrgs } from '../grids/grids.repository.ts';
import { getGridStats, resolveSubjectOrg } from '../grids/grids.service.ts';
import { getOrgTree } from '../orgs/orgs.service.ts';
import { getDashboardSections } from './dashboard.sections.ts';

function findNode(nodes: OrgTreeNode[], id: number): OrgTreeNode | undefined {
  const stack = [...nodes];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.id === id) return n;
    stack.push(...n.children);
  }
  return undefined;
}

/**
 * The overview of an org's subtree. Every number comes from the same services the detailed pages
 * use (the org tree's roll-ups, the grid statistics), scoped to the caller, so the dashboard and the
 * lists cannot disagree.
 */
export async function getOverview(
  database: Database,
  actor: Actor,
  query: { districtId?: number; orgId?: number },
): Promise<DashboardOverview> {
  requirePermission(actor, 'org.read');
  const org = await resolveSubjectOrg(database, actor, query.districtId, query.orgId);
  const [tree, gridStats, children] = await Promise.all([
    getOrgTree(database, actor, org.districtId),
    getGridStats(database, actor, { districtId: org.districtId, orgId: org.id }),
    listChildOrgs(database.db, org.id),
  ]);
  const node = findNode(tree.roots, org.id);
  if (!node) throw new AppError('ORG_NOT_FOUND');
  const scope = { districtId: org.districtId, org: { id: org.id, path: org.path }, children };
  const sections = await Promise.all(
    getDashboardSections()
      .filter((s) => s.visibleTo(actor))
      .map(async (s) => ({ key: s.key, ...(await s.compute(database, scope)) })),
  );
  const gridsByChild = new Map(gridStats.children.map((c) => [c.orgId, c]));
  return {
    org: { id: org.id, name: org.name, kind: org.kind },
    totals: node.counts,
    grids: gridStats.total,
    // Active children, as the grid statistics list them (tree nodes also hold deactivated ones).
    children: node.children.flatMap((c) => {
      const stats = gridsByChild.get(c.id);
      if (!stats) return [];
      const { orgId: _id, orgName: _name, orgKind: _kind, ...grids } = stats;
      return [{ id: c.id, name: c.name, kind: c.kind, hierarchical: c.hierarchical, counts: c.counts, grids }];
    }),
    sections,
    generatedAt: new Date().toISOString(),
  };
}
