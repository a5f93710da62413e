import type { Boundary, Crs } from '../../../domain/grid.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { readBoundaryOrThrow } from './boundary.ts';
import {
  deleteTerritory,
  findGaps,
  findOverlaps,
  findStickOuts,
  findTerritory,
  upsertTerritory,
} from './coverage.repository.ts';
import { resolveSubjectOrg } from './grids.service.ts';

/**
 * 覆盖检查 Coverage of an org's territory by the grids of its subtree: overlapping pairs, gaps
 * (inside the drawn territory, or holes of the grids' union) and grids sticking out of a drawn
 * territory. All geometry in PostGIS; areas geodesic (geography) in m².
 */
export async function checkCoverage(
  database: Database,
  actor: Actor,
  query: { districtId?: number; orgId?: number; minAreaM2: number },
) {
  requirePermission(actor, 'org.read');
  const started = performance.now();
  const org = await resolveSubjectOrg(database, actor, query.districtId, query.orgId);
  const [overlaps, gaps, outside] = await Promise.all([
    findOverlaps(database.db, actor, org.districtId, org.path, query.minAreaM2),
    findGaps(database.db, actor, org.districtId, org, query.minAreaM2),
    findStickOuts(database.db, actor, org.districtId, org.path, query.minAreaM2),
  ]);
  const gapArea = gaps.gaps.reduce((s, g) => s + g.areaM2, 0);
  const territory =
    gaps.drawnTerritoryAreaM2 !== null
      ? { source: 'drawn' as const, areaM2: gaps.drawnTerritoryAreaM2 }
      : gaps.grids > 0
        ? { source: 'union' as const, areaM2: gaps.coveredAreaM2 + gapArea }
        : { source: 'none' as const, areaM2: 0 };
  return {
    orgId: org.id,
    territory,
    grids: gaps.grids,
    coveredAreaM2: gaps.coveredAreaM2,
    overlaps,
    gaps: gaps.gaps,
    outside,
    elapsedMs: Math.round(performance.now() - started),
  };
}

export async function getTerritory(database: Database, actor: Actor, orgId: number) {
  requirePermission(actor, 'org.read');
  const org = await loadOrgInScope(database, actor, orgId);
  const territory = await findTerritory(database.db, org.id);
  if (!territory) throw new AppError('TERRITORY_NOT_FOUND');
  return { ...territory, boundaryNotice: null };
}

/** 绘制辖区 Draws (or redraws) an org's territory, against which its grids are checked. */
export async function setTerritory(
  database: Database,
  actor: Actor,
  orgId: number,
  input: { boundary: Boundary; crs?: Crs; repair?: boolean },
) {
  requirePermission(actor, 'org.write');
  const org = await loadOrgInScope(database, actor, orgId);
  const b = await readBoundaryOrThrow(database.db, org.districtId, input.boundary, { ...input, lang: actor.lang });
  const before = await findTerritory(database.db, org.id);
  return database.db.transaction(async (tx) => {
    await upsertTerritory(tx, org.id, org.districtId, b.hex);
    const after = (await findTerritory(tx, org.id))!;
    await recordAudit(tx, actor, {
      action: 'org.territory',
      entity: 'org',
      entityId: org.id,
      districtId: org.districtId,
      before: before ?? null,
      after,
    });
    return { ...after, boundaryNotice: b.notice };
  });
}

export async function removeTerritory(database: Database, actor: Actor, orgId: number) {
  requirePermission(actor, 'org.write');
  const org = await loadOrgInScope(database, actor, orgId);
  const before = await findTerritory(database.db, org.id);
  if (!before) throw new AppError('TERRITORY_NOT_FOUND');
  await database.db.transaction(async (tx) => {
    await deleteTerritory(tx, org.id);
    await recordAudit(tx, actor, {
      action: 'org.territory_delete',
      entity: 'org',
      entityId: org.id,
      districtId: org.districtId,
      before,
    });
  });
  return { ok: true as const };
}
