import type { TowerGroupCreate, TowerGroupUpdate } from '../../../domain/notice.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, type FieldError, pgErrorOf } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import * as repo from './towers.repository.ts';

/** 塔群登记 The tower registry: one group per org or grid and channel, with its admin and instructors. */

function toView(row: repo.TowerGroupRow) {
  const { scopePath: _p, adminAccountId: _a, ...group } = row;
  return group;
}

async function loadGroup(database: Database, actor: Actor, id: number) {
  const row = await repo.findGroupInScope(database.db, actor, id);
  if (row) return row;
  if (await repo.groupExists(database.db, id)) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'tower_group', entityId: id });
  }
  throw new AppError('TOWER_GROUP_NOT_FOUND');
}

/** The org path of whatever the group belongs to, after checking it lies in the actor's scope. */
async function resolveOwner(
  database: Database,
  actor: Actor,
  input: { orgId?: number | null; gridId?: number | null },
) {
  if (input.orgId) {
    const org = await loadOrgInScope(database, actor, input.orgId);
    if (!org.active) throw new AppError('ORG_INACTIVE', { errors: [{ field: 'orgId', message: 'ORG_INACTIVE' }] });
    return { districtId: org.districtId, path: org.path, orgId: org.id, gridId: null };
  }
  const grid = await repo.findGridForGroup(database.db, actor, actor.districtId, input.gridId!);
  if (!grid) {
    if (await repo.gridExistsAnywhere(database.db, input.gridId!))
      await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'grid', entityId: input.gridId! });
    throw new AppError('GRID_NOT_FOUND', { errors: [{ field: 'gridId', message: 'GRID_NOT_FOUND' }] });
  }
  if (!grid.active) throw new AppError('GRID_INACTIVE', { errors: [{ field: 'gridId', message: 'GRID_INACTIVE' }] });
  return { districtId: grid.district_id, path: grid.path, orgId: null, gridId: grid.id };
}

async function checkAccounts(
  database: Database,
  actor: Actor,
  districtId: number,
  groupPath: string,
  admin: number | null | undefined,
  instructors: number[] | undefined,
) {
  const ids = [...(admin ? [admin] : []), ...(instructors ?? [])];
  const ok = await repo.findEligibleAccounts(database.db, actor, districtId, groupPath, ids);
  const errors: FieldError[] = [];
  if (admin && !ok.has(admin)) errors.push({ field: 'adminAccountId', message: 'TOWER_ACCOUNT_NOT_FOUND' });
  (instructors ?? []).forEach((id, i) => {
    if (!ok.has(id)) errors.push({ field: `instructorAccountIds.${i}`, message: 'TOWER_ACCOUNT_NOT_FOUND' });
  });
  if (errors.length) throw new AppError('TOWER_ACCOUNT_NOT_FOUND', { errors });
}

function mapDuplicate(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === '23505' && pg.constraint?.startsWith('tower_groups_')) {
    throw new AppError('DUPLICATE_TOWER_GROUP', { errors: [{ field: 'channel', message: 'DUPLICATE_TOWER_GROUP' }] });
  }
  throw err;
}

export async function listTowerGroups(
  database: Database,
  actor: Actor,
  q: { districtId?: number; orgId?: number; channel?: string; page: number; pageSize: number },
) {
  requirePermission(actor, 'notice.send');
  const districtId = resolveDistrict(actor, q.districtId);
  let underPath: string | null = null;
  if (q.orgId) {
    const org = await loadOrgInScope(database, actor, q.orgId);
    if (org.districtId !== districtId) throw new AppError('ORG_NOT_FOUND');
    underPath = org.path;
  }
  const { total, items } = await repo.listGroups(database.db, actor, districtId, { ...q, underPath });
  return { total, items: items.map(toView), page: q.page, pageSize: q.pageSize };
}

export async function listTowerGaps(
  database: Database,
  actor: Actor,
  q: { districtId?: number; orgId?: number; limit: number },
) {
  requirePermission(actor, 'notice.send');
  const districtId = resolveDistrict(actor, q.districtId);
  let underPath: string | null = null;
  if (q.orgId) {
    const org = await loadOrgInScope(database, actor, q.orgId);
    if (org.districtId !== districtId) throw new AppError('ORG_NOT_FOUND');
    underPath = org.path;
  }
  return repo.listGaps(database.db, actor, districtId, underPath, q.limit);
}

export async function createTowerGroup(database: Database, actor: Actor, input: TowerGroupCreate) {
  requirePermission(actor, 'notice.manage');
  const owner = await resolveOwner(database, actor, input);
  await checkAccounts(database, actor, owner.districtId, owner.path, input.adminAccountId, input.instructorAccountIds);
  return database.db
    .transaction(async (tx) => {
      const id = await repo.insertGroup(tx, owner.districtId, owner, {
        channel: input.channel,
        name: input.name,
        ident: input.ident ?? null,
        adminAccountId: input.adminAccountId ?? null,
        instructorAccountIds: [...new Set(input.instructorAccountIds ?? [])],
      });
      const group = toView((await repo.findGroupInScope(tx, actor, id))!);
      await recordAudit(tx, actor, {
        action: 'tower.create',
        entity: 'tower_group',
        entityId: id,
        districtId: owner.districtId,
        after: group,
      });
      return group;
    })
    .catch(mapDuplicate);
}

export async function updateTowerGroup(database: Database, actor: Actor, id: number, patch: TowerGroupUpdate) {
  requirePermission(actor, 'notice.manage');
  const current = await loadGroup(database, actor, id);
  await checkAccounts(
    database,
    actor,
    current.districtId,
    current.scopePath,
    patch.adminAccountId,
    patch.instructorAccountIds,
  );
  return database.db
    .transaction(async (tx) => {
      await repo.updateGroup(tx, id, {
        ...(patch.channel !== undefined ? { channel: patch.channel } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.ident !== undefined ? { ident: patch.ident ?? null } : {}),
        ...(patch.adminAccountId !== undefined ? { adminAccountId: patch.adminAccountId ?? null } : {}),
        ...(patch.instructorAccountIds !== undefined
          ? { instructorAccountIds: [...new Set(patch.instructorAccountIds)] }
          : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      });
      const after = toView((await repo.findGroupInScope(tx, actor, id))!);
      await recordAudit(tx, actor, {
        action: patch.active === false ? 'tower.deactivate' : 'tower.update',
        entity: 'tower_group',
        entityId: id,
        districtId: current.districtId,
        before: toView(current),
        after,
      });
      return after;
    })
    .catch(mapDuplicate);
}

export async function deactivateTowerGroup(database: Database, actor: Actor, id: number) {
  return updateTowerGroup(database, actor, id, { active: false });
}
