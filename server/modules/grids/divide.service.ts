import gcoord from 'gcoord';
import type { z } from 'zod';
import {
  bisectPoints,
  capacityOf,
  type DivideAcceptSchema,
  type DivideInputSchema,
  gridsNeeded,
  type LonLat,
  polsbyPopper,
} from '../../../domain/grid.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { readBoundaryOrThrow } from './boundary.ts';
import { clipTerritory, describeTerritory, findDivisionTerritory, pointsInTerritory } from './divide.repository.ts';
import { importGrids } from './geojson.service.ts';
import { getCapacitySettings } from './grids.repository.ts';

/**
 * 划分助手 Proposes grids for a village or community: recursive weighted bisection of the youth
 * locations (domain/grid.ts `bisectPoints`) into as many boxes as the capacity rule needs, then the
 * territory clipped by each box in PostGIS. Nothing is written; `acceptDivision` creates them.
 */
export async function proposeDivision(database: Database, actor: Actor, input: z.infer<typeof DivideInputSchema>) {
  requirePermission(actor, 'org.write');
  const started = performance.now();
  const org = await loadOrgInScope(database, actor, input.orgId);
  if (org.kind !== 'village_branch' && org.kind !== 'community_branch') {
    throw new AppError('GRID_ORG_KIND', { errors: [{ field: 'orgId', message: 'GRID_ORG_KIND' }] });
  }
  let territory: { source: 'given' | 'drawn' | 'union'; hex: string } | undefined;
  if (input.territory) {
    const b = await readBoundaryOrThrow(database.db, org.districtId, input.territory, {
      crs: input.crs,
      lang: actor.lang,
    });
    territory = { source: 'given', hex: b.hex };
  } else territory = await findDivisionTerritory(database.db, org.id);
  if (!territory)
    throw new AppError('TERRITORY_NOT_FOUND', { errors: [{ field: 'territory', message: 'TERRITORY_NOT_FOUND' }] });

  const raw = input.points as LonLat[];
  const points =
    input.crs === 'gcj02' ? raw.map((p) => gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84) as LonLat) : raw;
  const inside = await pointsInTerritory(database.db, territory.hex, points);
  const settings = await getCapacitySettings(database.db, org.districtId);
  const { box, areaM2 } = await describeTerritory(database.db, territory.hex);
  const leaves = bisectPoints(inside, box, gridsNeeded(inside.length, settings));
  const clipped = await clipTerritory(
    database.db,
    territory.hex,
    leaves.map((l) => l.box),
  );
  const place = org.name.replace(/(团总支|团支部)$/, '');
  const grids = clipped.map((c, i) => {
    const youth = leaves[c.index].youth;
    return {
      code: `${org.id}-${String(i + 1).padStart(2, '0')}`,
      name: `${place}第${i + 1}网格`,
      boundary: c.boundary,
      youth,
      areaM2: c.areaM2,
      polsbyPopper: polsbyPopper(c.areaM2, c.perimeterM),
      parts: c.parts,
      capacity: capacityOf(youth, null, settings),
    };
  });
  return {
    orgId: org.id,
    territory: { source: territory.source, areaM2 },
    youth: inside.length,
    ignoredPoints: points.length - inside.length,
    grids,
    quality: divisionQuality(grids),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Share of grids within the rule and contiguous, Polsby–Popper mean/min, max and median youth. */
export function divisionQuality(
  grids: { youth: number; polsbyPopper: number; parts: number; capacity: { status: string } }[],
) {
  const n = Math.max(grids.length, 1);
  const youth = grids.map((g) => g.youth).sort((a, b) => a - b);
  const mid = Math.floor(youth.length / 2);
  return {
    withinRule: grids.filter((g) => g.capacity.status !== 'over').length / n,
    contiguous: grids.filter((g) => g.parts === 1).length / n,
    polsbyPopperMean: grids.reduce((s, g) => s + g.polsbyPopper, 0) / n,
    polsbyPopperMin: grids.length ? Math.min(...grids.map((g) => g.polsbyPopper)) : 0,
    maxYouth: youth.length ? youth[youth.length - 1] : 0,
    medianYouth: youth.length ? (youth.length % 2 ? youth[mid] : (youth[mid - 1] + youth[mid]) / 2) : 0,
  };
}

/**
 * Accepts a (possibly adjusted) proposal: the grids are created in one transaction through the
 * GeoJSON import, so every check of a drawn grid applies and it is all or nothing.
 */
export async function acceptDivision(database: Database, actor: Actor, input: z.infer<typeof DivideAcceptSchema>) {
  requirePermission(actor, 'org.write');
  const org = await loadOrgInScope(database, actor, input.orgId);
  const kind = input.kind ?? (org.kind === 'community_branch' ? 'community' : 'village');
  return importGrids(database, actor, {
    districtId: org.districtId,
    orgId: org.id,
    collection: {
      type: 'FeatureCollection',
      features: input.grids.map((g) => ({
        type: 'Feature',
        geometry: g.boundary,
        properties: { code: g.code, name: g.name, kind, youth_count: g.youthCount ?? null },
      })),
    },
  });
}
