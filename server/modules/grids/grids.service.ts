import {
  addToRollup,
  canBeResponsibleOrg,
  capacityOf,
  emptyRollup,
  fourOnesOf,
  type Grid,
  type GridCapacitySettings,
  type GridCreate,
  type GridListQuery,
  type GridRollup,
  type GridUpdate,
  isCircleKind,
  ruleCounts,
  threeOnesOf,
} from '../../../domain/grid.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { findScopedAccount } from '../accounts/accounts.repository.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findRootOrg, type OrgRow } from '../orgs/orgs.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { type BoundaryNotice, readBoundaryOrThrow } from './boundary.ts';
import {
  findGridIdByCode,
  findGridInScope,
  findOrgsInScope,
  type GridRow,
  type GridWrite,
  getCapacitySettings,
  gridExists,
  insertGrid,
  listChildOrgs,
  listGrids,
  listGridsUnder,
  replaceLinkedOrgs,
  saveCapacitySettings,
  updateGridFields,
} from './grids.repository.ts';

/** The API view of a stored grid: rules evaluated with the district's settings. */
export function toGrid(row: GridRow, settings: GridCapacitySettings): Grid {
  const { orgPath: _p, hasBoundary: _h, ...rest } = row;
  const counts = ruleCounts(row);
  return {
    ...rest,
    capacity: capacityOf(counts.youth, counts.members, settings),
    fourOnes: fourOnesOf({
      leaderAccountId: row.leader?.id ?? null,
      venue: row.venue,
      channels: row.channels,
      serviceProject: row.serviceProject,
    }),
    threeOnes: threeOnesOf(row.channels),
  };
}

/**
 * Loads a grid the actor may see. A grid outside the actor's subtree is answered like a missing one
 * (404), and the attempt is audited.
 */
export async function loadGridInScope(database: Database, actor: Actor, id: number, ex: Executor = database.db) {
  const grid = await findGridInScope(ex, actor, id);
  if (grid) return grid;
  if (await gridExists(database.db, id)) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'grid', entityId: id });
  }
  throw new AppError('GRID_NOT_FOUND');
}

/** The org a roll-up or coverage request is about: the named one, else the actor's own, else the district root. */
export async function resolveSubjectOrg(
  database: Database,
  actor: Actor,
  requestedDistrict: number | undefined,
  orgId: number | undefined,
): Promise<OrgRow> {
  const districtId = resolveDistrict(actor, requestedDistrict);
  if (orgId) {
    const org = await loadOrgInScope(database, actor, orgId);
    if (org.districtId !== districtId) throw new AppError('ORG_NOT_FOUND');
    return org;
  }
  if (actor.orgId) return loadOrgInScope(database, actor, actor.orgId);
  const root = await findRootOrg(database.db, districtId);
  if (!root) throw new AppError('DISTRICT_NOT_FOUND');
  return root;
}

export async function getGrid(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'org.read');
  const row = await loadGridInScope(database, actor, id);
  return toGrid(row, await getCapacitySettings(database.db, row.districtId));
}

export async function searchGrids(database: Database, actor: Actor, query: GridListQuery) {
  requirePermission(actor, 'org.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const settings = await getCapacitySettings(database.db, districtId);
  const { total, items } = await listGrids(database.db, actor, districtId, query, settings);
  return { total, items: items.map((r) => toGrid(r, settings)), page: query.page, pageSize: query.pageSize };
}

/** Checks the responsible org: in scope (404 + audit otherwise), active, and of a kind that owns grids. */
async function loadResponsibleOrg(database: Database, actor: Actor, orgId: number): Promise<OrgRow> {
  const org = await loadOrgInScope(database, actor, orgId);
  if (!canBeResponsibleOrg(org.kind)) {
    throw new AppError('GRID_ORG_KIND', { errors: [{ field: 'orgId', message: 'GRID_ORG_KIND' }] });
  }
  if (!org.active) throw new AppError('ORG_INACTIVE', { errors: [{ field: 'orgId', message: 'ORG_INACTIVE' }] });
  return org;
}

async function checkAccount(database: Database, actor: Actor, districtId: number, id: number, field: string) {
  const account = await findScopedAccount(database.db, actor, districtId, id);
  if (!account?.active) {
    throw new AppError('GRID_ACCOUNT_NOT_FOUND', { errors: [{ field, message: 'GRID_ACCOUNT_NOT_FOUND' }] });
  }
}

async function checkLinkedOrgs(database: Database, actor: Actor, districtId: number, ids: number[]) {
  const unique = [...new Set(ids)];
  const found = new Map((await findOrgsInScope(database.db, actor, districtId, unique)).map((o) => [o.id, o]));
  const errors = [];
  for (const [i, id] of unique.entries()) {
    const org = found.get(id);
    if (!org) errors.push({ field: `linkedOrgIds.${i}`, message: 'ORG_NOT_FOUND' });
    else if (org.hierarchical) errors.push({ field: `linkedOrgIds.${i}`, message: 'LINKED_ORG_NOT_ALLOWED' });
  }
  if (errors.length) {
    throw new AppError(errors[0].message === 'ORG_NOT_FOUND' ? 'ORG_NOT_FOUND' : 'LINKED_ORG_NOT_ALLOWED', { errors });
  }
  return unique;
}

function duplicateCode() {
  return new AppError('DUPLICATE_GRID_CODE', { errors: [{ field: 'code', message: 'DUPLICATE_GRID_CODE' }] });
}

/** A racing insert of the same code hits the unique index: answer it like the pre-check does. */
function mapUniqueViolation(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === '23505' && pg.constraint === 'grids_district_code_uq') throw duplicateCode();
  throw err;
}

/** 新建网格 Creates a grid under a village/community branch or grid branch in the actor's scope. */
export async function createGrid(database: Database, actor: Actor, input: GridCreate) {
  requirePermission(actor, 'org.write');
  const org = await loadResponsibleOrg(database, actor, input.orgId);
  const districtId = org.districtId;
  if (isCircleKind(input.kind) && input.boundary) {
    throw new AppError('POLYGON_ON_CIRCLE', { errors: [{ field: 'boundary', message: 'POLYGON_ON_CIRCLE' }] });
  }
  if (await findGridIdByCode(database.db, districtId, input.code)) throw duplicateCode();
  if (input.leaderAccountId) await checkAccount(database, actor, districtId, input.leaderAccountId, 'leaderAccountId');
  if (input.contactAccountId)
    await checkAccount(database, actor, districtId, input.contactAccountId, 'contactAccountId');
  const linked = await checkLinkedOrgs(database, actor, districtId, input.linkedOrgIds ?? []);
  let boundaryHex: string | null = null;
  let notice: BoundaryNotice | null = null;
  if (input.boundary) {
    const b = await readBoundaryOrThrow(database.db, districtId, input.boundary, { ...input, lang: actor.lang });
    boundaryHex = b.hex;
    notice = b.notice;
  }
  const settings = await getCapacitySettings(database.db, districtId);
  return database.db
    .transaction(async (tx) => {
      const id = await insertGrid(tx, districtId, {
        code: input.code,
        name: input.name,
        kind: input.kind,
        orgId: org.id,
        leaderAccountId: input.leaderAccountId ?? null,
        contactAccountId: input.contactAccountId ?? null,
        venue: input.venue ?? null,
        channels: input.channels ?? [],
        serviceProject: input.serviceProject ?? null,
        youthCount: input.youthCount ?? null,
        memberCount: input.memberCount ?? null,
        boundaryHex,
      });
      if (linked.length) await replaceLinkedOrgs(tx, id, districtId, linked);
      const grid = toGrid((await findGridInScope(tx, actor, id))!, settings);
      await recordAudit(tx, actor, { action: 'grid.create', entity: 'grid', entityId: id, districtId, after: grid });
      return { ...grid, boundaryNotice: notice };
    })
    .catch(mapUniqueViolation);
}

/** 编辑网格 Edits a grid; `boundary: null` clears the polygon, `active` deactivates or reactivates it. */
export async function updateGrid(database: Database, actor: Actor, id: number, patch: GridUpdate) {
  requirePermission(actor, 'org.write');
  const current = await loadGridInScope(database, actor, id);
  const districtId = current.districtId;
  const write: Partial<GridWrite> & { active?: boolean } = {};
  if (patch.orgId !== undefined && patch.orgId !== current.orgId) {
    write.orgId = (await loadResponsibleOrg(database, actor, patch.orgId)).id;
  }
  const kind = patch.kind ?? current.kind;
  const willHaveBoundary = patch.boundary === undefined ? current.hasBoundary : patch.boundary !== null;
  if (isCircleKind(kind) && willHaveBoundary) {
    throw new AppError('POLYGON_ON_CIRCLE', {
      errors: [{ field: patch.boundary ? 'boundary' : 'kind', message: 'POLYGON_ON_CIRCLE' }],
    });
  }
  if (patch.code !== undefined && patch.code !== current.code) {
    if (await findGridIdByCode(database.db, districtId, patch.code)) throw duplicateCode();
    write.code = patch.code;
  }
  if (patch.leaderAccountId) await checkAccount(database, actor, districtId, patch.leaderAccountId, 'leaderAccountId');
  if (patch.contactAccountId)
    await checkAccount(database, actor, districtId, patch.contactAccountId, 'contactAccountId');
  const linked =
    patch.linkedOrgIds === undefined
      ? undefined
      : await checkLinkedOrgs(database, actor, districtId, patch.linkedOrgIds);
  let notice: BoundaryNotice | null = null;
  if (patch.boundary) {
    const b = await readBoundaryOrThrow(database.db, districtId, patch.boundary, { ...patch, lang: actor.lang });
    write.boundaryHex = b.hex;
    notice = b.notice;
  } else if (patch.boundary === null) write.boundaryHex = null;
  if (patch.name !== undefined) write.name = patch.name;
  if (patch.kind !== undefined) write.kind = patch.kind;
  for (const key of [
    'leaderAccountId',
    'contactAccountId',
    'venue',
    'serviceProject',
    'youthCount',
    'memberCount',
  ] as const) {
    if (patch[key] !== undefined) (write as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.channels !== undefined) write.channels = patch.channels;
  if (patch.active !== undefined) write.active = patch.active;

  const settings = await getCapacitySettings(database.db, districtId);
  const before = toGrid(current, settings);
  return database.db
    .transaction(async (tx) => {
      await updateGridFields(tx, id, write);
      if (linked) await replaceLinkedOrgs(tx, id, districtId, linked);
      const after = toGrid((await findGridInScope(tx, { ...actor, districtId: null, scopePath: null }, id))!, settings);
      const action =
        patch.active === false && current.active
          ? 'grid.deactivate'
          : patch.active === true && !current.active
            ? 'grid.reactivate'
            : 'grid.update';
      await recordAudit(tx, actor, { action, entity: 'grid', entityId: id, districtId, before, after });
      return { ...after, boundaryNotice: notice };
    })
    .catch(mapUniqueViolation);
}

/** 停用网格 Grids are never hard-deleted: their history (and later their people's) stays. */
export async function deactivateGrid(database: Database, actor: Actor, id: number) {
  return updateGrid(database, actor, id, { active: false });
}

/** 四个一 roll-up for an org's subtree and for each of its direct children. */
export async function getGridStats(database: Database, actor: Actor, query: { districtId?: number; orgId?: number }) {
  requirePermission(actor, 'org.read');
  const org = await resolveSubjectOrg(database, actor, query.districtId, query.orgId);
  const settings = await getCapacitySettings(database.db, org.districtId);
  const rows = await listGridsUnder(database.db, actor, org.districtId, org.path, {
    withBoundary: false,
    activeOnly: true,
  });
  const children = await listChildOrgs(database.db, org.id);
  const total = emptyRollup();
  const perChild = new Map<number, GridRollup>(children.map((c) => [c.id, emptyRollup()]));
  for (const row of rows) {
    const grid = toGrid(row, settings);
    const entry = { ...grid, hasBoundary: row.hasBoundary };
    addToRollup(total, entry);
    const child = children.find((c) => row.orgPath.startsWith(c.path));
    if (child) addToRollup(perChild.get(child.id)!, entry);
  }
  return {
    orgId: org.id,
    orgName: org.name,
    settings,
    total,
    children: children.map((c) => ({ orgId: c.id, orgName: c.name, orgKind: c.kind, ...perChild.get(c.id)! })),
  };
}

export async function getSettings(database: Database, actor: Actor, requestedDistrict?: number) {
  requirePermission(actor, 'org.read');
  const districtId = resolveDistrict(actor, requestedDistrict);
  return { districtId, capacity: await getCapacitySettings(database.db, districtId) };
}

/** District settings of the capacity rule: district and platform admins only. */
export async function updateSettings(
  database: Database,
  actor: Actor,
  input: { districtId?: number; capacity: Partial<GridCapacitySettings> },
) {
  requirePermission(actor, 'org.write');
  if (actor.role !== 'district_admin' && actor.role !== 'platform_admin') throw new AppError('FORBIDDEN');
  const districtId = resolveDistrict(actor, input.districtId);
  const before = await getCapacitySettings(database.db, districtId);
  const after = { ...before, ...Object.fromEntries(Object.entries(input.capacity).filter(([, v]) => v !== undefined)) };
  return database.db.transaction(async (tx) => {
    await saveCapacitySettings(tx, districtId, after);
    await recordAudit(tx, actor, {
      action: 'grid.settings',
      entity: 'district_settings',
      entityId: districtId,
      districtId,
      before,
      after,
    });
    return { districtId, capacity: after };
  });
}
