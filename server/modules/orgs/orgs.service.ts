import {
  canPlaceUnder,
  isHierarchicalKind,
  type OrgCreate,
  type OrgTreeNode,
  type OrgUpdate,
} from '../../../domain/org.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { getOrgDependents, getRollupSources } from './org-extensions.ts';
import {
  countActiveChildren,
  filterOrgIdsInScope,
  findOrgInScope,
  insertOrg,
  listAllianceMembers,
  listDistrictRootCounters,
  listOrgAndChildCounters,
  listOrgs,
  listSubtreeCounters,
  listTreeRows,
  MAINTAINED_ROLLUPS,
  moveOrgSubtree,
  type OrgListFilter,
  type OrgRow,
  orgExists,
  replaceAllianceMembers,
  siblingNameTaken,
  toOrg,
  updateOrgFields,
} from './orgs.repository.ts';

/**
 * Loads an org the actor may see. An id that exists outside the actor's subtree is answered exactly
 * like a missing one (404), and the attempt is audited.
 */
export async function loadOrgInScope(
  database: Database,
  actor: Actor,
  id: number,
  notFound: 'ORG_NOT_FOUND' | 'PARENT_NOT_FOUND' = 'ORG_NOT_FOUND',
  ex: Executor = database.db,
): Promise<OrgRow> {
  const org = await findOrgInScope(ex, actor, id);
  if (org) return org;
  const existing = await orgExists(database.db, id);
  if (existing) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'org', entityId: id });
  }
  throw new AppError(
    notFound,
    notFound === 'PARENT_NOT_FOUND' ? { errors: [{ field: 'parentId', message: notFound }] } : {},
  );
}

/**
 * The org tree of the actor's subtree with every roll-up counter over each node's subtree. The maintained
 * sources (orgs, accounts, grids, people, members) are read from `org_rollups`, which the database keeps on write;
 * a source registered without a trigger is still counted per org and summed bottom-up here.
 */
export async function getOrgTree(database: Database, actor: Actor, requestedDistrict?: number) {
  requirePermission(actor, 'org.read');
  const districtId = resolveDistrict(actor, requestedDistrict);
  const onRead = getRollupSources().filter((s) => !MAINTAINED_ROLLUPS.includes(s.key));
  const [rows, counters, direct] = await Promise.all([
    listTreeRows(database.db, actor, districtId),
    listSubtreeCounters(database.db, actor, districtId),
    Promise.all(onRead.map((s) => s.directCounts(database.db, districtId))),
  ]);
  const keys = ['orgs', ...getRollupSources().map((s) => s.key)];

  const nodes = new Map<number, OrgTreeNode>();
  for (const r of rows) {
    const stored = counters.get(r.id);
    const counts: Record<string, number> = {};
    for (const k of keys) counts[k] = stored?.[k] ?? 0;
    onRead.forEach((s, i) => {
      counts[s.key] = direct[i].get(r.id) ?? 0;
    });
    nodes.set(r.id, {
      id: r.id,
      parentId: r.parent_id,
      kind: r.kind,
      name: r.name,
      hierarchical: r.hierarchical,
      active: r.active,
      counts,
      children: [],
    });
  }
  const roots: OrgTreeNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id)!;
    const parent = r.parent_id === null ? undefined : nodes.get(r.parent_id);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  if (onRead.length) {
    // Rows come parents-first (ordered by depth), so summing in reverse adds every child before its parent.
    for (let i = rows.length - 1; i >= 0; i--) {
      const node = nodes.get(rows[i].id)!;
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      if (!parent) continue;
      for (const s of onRead) parent.counts[s.key] += node.counts[s.key];
    }
  }
  return { roots, total: rows.length };
}

/** An org of an overview with the roll-up counters over its subtree (a tree node without children). */
export type OrgCounters = Omit<OrgTreeNode, 'children'> & { path: string };

/**
 * An org and its active children, each with every roll-up counter over its subtree: the numbers of the same nodes of
 * getOrgTree, read for these orgs only (one query of the stored counters) — what the overview shows. With a source
 * registered without a trigger (summed on read), the counts come from the whole tree instead.
 */
export async function getOrgCounters(
  database: Database,
  actor: Actor,
  districtId: number,
  orgId: number,
): Promise<{ org: OrgCounters; children: OrgCounters[] } | undefined> {
  requirePermission(actor, 'org.read');
  const keys = ['orgs', ...getRollupSources().map((s) => s.key)];
  const onRead = getRollupSources().some((s) => !MAINTAINED_ROLLUPS.includes(s.key));
  const [rows, tree] = await Promise.all([
    listOrgAndChildCounters(database.db, actor, districtId, orgId),
    onRead ? getOrgTree(database, actor, districtId) : undefined,
  ]);
  const fromTree = new Map<number, Record<string, number>>();
  if (tree) {
    const stack = [...tree.roots];
    while (stack.length) {
      const n = stack.pop()!;
      fromTree.set(n.id, n.counts);
      stack.push(...n.children);
    }
  }
  const nodes = new Map<number, OrgCounters>();
  for (const r of rows) {
    let node = nodes.get(r.id);
    if (!node) {
      const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
      node = {
        id: r.id,
        parentId: r.parent_id,
        kind: r.kind,
        name: r.name,
        hierarchical: r.hierarchical,
        active: r.active,
        path: r.path,
        counts: fromTree.get(r.id) ?? counts,
      };
      nodes.set(r.id, node);
    }
    if (!tree && r.source !== null && keys.includes(r.source)) node.counts[r.source] = r.n ?? 0;
  }
  const org = nodes.get(orgId);
  if (!org) return undefined;
  return { org, children: [...nodes.values()].filter((n) => n.id !== orgId) };
}

/**
 * 全省汇总 the root counters of every district (a platform admin's province view): one read of `org_rollups`,
 * however many districts and people there are.
 */
export async function getDistrictRollups(database: Database, actor: Actor) {
  requirePermission(actor, 'org.read');
  if (actor.districtId !== null) throw new AppError('FORBIDDEN');
  const rows = await listDistrictRootCounters(database.db);
  const keys = ['orgs', ...getRollupSources().map((s) => s.key)];
  const zero = () => Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;
  const districts = new Map<
    number,
    { districtId: number; name: string; rootOrgId: number; counts: Record<string, number> }
  >();
  const totals = zero();
  for (const r of rows) {
    let d = districts.get(r.district_id);
    if (!d) {
      d = { districtId: r.district_id, name: r.district_name, rootOrgId: r.org_id, counts: zero() };
      districts.set(r.district_id, d);
    }
    d.counts[r.source] = (d.counts[r.source] ?? 0) + r.n;
    totals[r.source] = (totals[r.source] ?? 0) + r.n;
  }
  return { totals, districts: [...districts.values()] };
}

export async function searchOrgs(database: Database, actor: Actor, query: OrgListFilter & { districtId?: number }) {
  requirePermission(actor, 'org.read');
  const { districtId: requested, ...filter } = query;
  const districtId = resolveDistrict(actor, requested);
  return listOrgs(database.db, actor, districtId, filter);
}

export async function getOrg(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'org.read');
  return toOrg(await loadOrgInScope(database, actor, id));
}

/** 新建组织 Creates an org under a parent inside the actor's subtree. */
export async function createOrg(database: Database, actor: Actor, input: OrgCreate) {
  requirePermission(actor, 'org.write');
  const parent = await loadOrgInScope(database, actor, input.parentId, 'PARENT_NOT_FOUND');
  if (!parent.active) throw new AppError('ORG_INACTIVE', { errors: [{ field: 'parentId', message: 'ORG_INACTIVE' }] });
  if (!canPlaceUnder(input.kind, parent.kind)) {
    throw new AppError('KIND_NOT_ALLOWED_HERE', { errors: [{ field: 'kind', message: 'KIND_NOT_ALLOWED_HERE' }] });
  }
  if (await siblingNameTaken(database.db, parent.districtId, parent.id, input.name)) {
    throw new AppError('DUPLICATE_NAME', { errors: [{ field: 'name', message: 'DUPLICATE_NAME' }] });
  }
  return database.db.transaction(async (tx) => {
    const org = await insertOrg(tx, {
      districtId: parent.districtId,
      parent,
      kind: input.kind,
      name: input.name,
      hierarchical: isHierarchicalKind(input.kind),
      secretaryName: input.secretaryName,
      contact: input.contact,
      description: input.description,
    });
    await recordAudit(tx, actor, {
      action: 'org.create',
      entity: 'org',
      entityId: org.id,
      districtId: org.districtId,
      after: toOrg(org),
    });
    return toOrg(org);
  });
}

/** 编辑 / 移动 / 停用 Edits an org; a new parentId moves its whole subtree. */
export async function updateOrg(database: Database, actor: Actor, id: number, patch: OrgUpdate) {
  requirePermission(actor, 'org.write');
  const org = await loadOrgInScope(database, actor, id);
  const moving = patch.parentId !== undefined && patch.parentId !== org.parentId;
  let newParent: OrgRow | undefined;
  if (moving) {
    if (org.parentId === null) throw new AppError('ROOT_IMMUTABLE');
    if (patch.parentId === org.id) throw moveError();
    newParent = await loadOrgInScope(database, actor, patch.parentId!, 'PARENT_NOT_FOUND');
    if (newParent.path.startsWith(org.path)) throw moveError();
    if (!newParent.active)
      throw new AppError('ORG_INACTIVE', { errors: [{ field: 'parentId', message: 'ORG_INACTIVE' }] });
    if (!canPlaceUnder(org.kind, newParent.kind)) {
      throw new AppError('KIND_NOT_ALLOWED_HERE', {
        errors: [{ field: 'parentId', message: 'KIND_NOT_ALLOWED_HERE' }],
      });
    }
  }
  const name = patch.name ?? org.name;
  const parentId = newParent?.id ?? org.parentId;
  if ((moving || name !== org.name) && (await siblingNameTaken(database.db, org.districtId, parentId, name, org.id))) {
    throw new AppError('DUPLICATE_NAME', { errors: [{ field: 'name', message: 'DUPLICATE_NAME' }] });
  }
  if (patch.active === false && org.active) await assertDeactivatable(database, org);
  if (patch.active === true && !org.active && org.parentId !== null) {
    const parent = await findOrgInScope(database.db, actor, org.parentId);
    if (parent && !parent.active)
      throw new AppError('ORG_INACTIVE', { errors: [{ field: 'active', message: 'ORG_INACTIVE' }] });
  }

  return database.db.transaction(async (tx) => {
    if (newParent) await moveOrgSubtree(tx, org, newParent);
    const { parentId: _p, ...fields } = patch;
    await updateOrgFields(tx, org.id, fields);
    const after = (await findOrgInScope(tx, { ...actor, scopePath: null, districtId: null }, org.id))!;
    await recordAudit(tx, actor, {
      action: moving ? 'org.move' : patch.active === false ? 'org.deactivate' : 'org.update',
      entity: 'org',
      entityId: org.id,
      districtId: org.districtId,
      before: toOrg(org),
      after: toOrg(after),
    });
    return toOrg(after);
  });
}

/** 停用 Deactivates an org. Orgs are never hard-deleted: their history stays. */
export async function deactivateOrg(database: Database, actor: Actor, id: number) {
  return updateOrg(database, actor, id, { active: false });
}

async function assertDeactivatable(database: Database, org: OrgRow) {
  if (org.parentId === null) throw new AppError('ROOT_IMMUTABLE');
  if ((await countActiveChildren(database.db, org.id)) > 0) throw new AppError('ORG_HAS_CHILDREN');
  for (const dependent of getOrgDependents()) {
    if ((await dependent.activeCount(database.db, org.id)) > 0) throw new AppError(dependent.code);
  }
}

function moveError() {
  return new AppError('MOVE_INTO_DESCENDANT', { errors: [{ field: 'parentId', message: 'MOVE_INTO_DESCENDANT' }] });
}

export async function getAllianceMembers(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'org.read');
  const alliance = await loadOrgInScope(database, actor, id);
  if (alliance.kind !== 'alliance') throw new AppError('NOT_AN_ALLIANCE');
  return { items: await listAllianceMembers(database.db, alliance.id) };
}

/** 联盟成员 Sets an alliance's member orgs; all must be orgs the actor may see in the same district. */
export async function setAllianceMembers(database: Database, actor: Actor, id: number, orgIds: number[]) {
  requirePermission(actor, 'org.write');
  const alliance = await loadOrgInScope(database, actor, id);
  if (alliance.kind !== 'alliance') throw new AppError('NOT_AN_ALLIANCE');
  const unique = [...new Set(orgIds)].filter((o) => o !== alliance.id);
  const visible = new Set(await filterOrgIdsInScope(database.db, actor, alliance.districtId, unique));
  const unknown = unique.filter((o) => !visible.has(o));
  if (unknown.length) {
    throw new AppError('ORG_NOT_FOUND', {
      errors: unknown.map((o) => ({ field: `orgIds.${unique.indexOf(o)}`, message: 'ORG_NOT_FOUND' })),
    });
  }
  const before = await listAllianceMembers(database.db, alliance.id);
  return database.db.transaction(async (tx) => {
    await replaceAllianceMembers(tx, alliance.id, alliance.districtId, unique);
    const items = await listAllianceMembers(tx, alliance.id);
    await recordAudit(tx, actor, {
      action: 'org.alliance_members',
      entity: 'org',
      entityId: alliance.id,
      districtId: alliance.districtId,
      before: before.map((m) => m.id),
      after: items.map((m) => m.id),
    });
    return { items };
  });
}
