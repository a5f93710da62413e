import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { iso, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

type GridRef = { id: number; code: string; name: string };

/** Active polygon grids whose responsible org lies under `orgPath`, inside the actor's scope. */
function gridsUnder(actor: Actor, districtId: number, orgPath: string, g: string, o: string): SQL {
  const ga = sql.raw(g);
  const oa = sql.raw(o);
  return sql`${ga}.district_id = ${districtId} AND ${ga}.active AND ${ga}.boundary IS NOT NULL
    AND ${oa}.path LIKE ${`${orgPath}%`} AND ${orgScopeCondition(actor, districtId, o)}`;
}

/** Ids of the orgs under `orgPath` the actor may see: grids are then filtered by org_id alone. */
function orgsUnder(actor: Actor, districtId: number, orgPath: string): SQL {
  return sql`SELECT o.id FROM orgs o WHERE o.path LIKE ${`${orgPath}%`} AND ${orgScopeCondition(actor, districtId)}`;
}

/**
 * Pairs of grids whose interiors intersect, with the shared area (geodesic m²). The GiST index finds
 * bounding-box candidates; ST_Relate keeps pairs sharing area (neighbours sharing an edge do not);
 * only those few pairs are intersected.
 */
export async function findOverlaps(ex: Executor, actor: Actor, districtId: number, orgPath: string, minArea: number) {
  const rows = await many<any>(
    ex,
    sql`WITH scoped AS MATERIALIZED (${orgsUnder(actor, districtId, orgPath)}),
        pairs AS MATERIALIZED (
          SELECT a.id AS a_id, a.code AS a_code, a.name AS a_name, b.id AS b_id, b.code AS b_code, b.name AS b_name,
                 a.boundary AS ag, b.boundary AS bg
          FROM grids a JOIN grids b ON a.boundary && b.boundary AND a.id < b.id
          WHERE a.district_id = ${districtId} AND b.district_id = ${districtId} AND a.active AND b.active
            AND a.org_id IN (SELECT id FROM scoped) AND b.org_id IN (SELECT id FROM scoped)
            AND ST_Relate(a.boundary, b.boundary, 'T********')
        ),
        shared AS (SELECT pairs.*, ST_CollectionExtract(ST_Intersection(ag, bg), 3) AS ix FROM pairs)
        SELECT a_id, a_code, a_name, b_id, b_code, b_name, ST_AsGeoJSON(ix, 7) AS geom, ST_Area(ix::geography) AS area
        FROM shared WHERE ST_Area(ix::geography) >= ${minArea} ORDER BY area DESC`,
  );
  return rows.map((r) => ({
    a: { id: r.a_id, code: r.a_code, name: r.a_name } as GridRef,
    b: { id: r.b_id, code: r.b_code, name: r.b_name } as GridRef,
    areaM2: Number(r.area),
    geometry: JSON.parse(r.geom),
  }));
}

/**
 * Gaps: with a drawn territory, the territory minus the union of the grids; without one, the holes
 * of that union (minus any grid lying inside a hole). Also returns the union's area and grid count.
 */
export async function findGaps(
  ex: Executor,
  actor: Actor,
  districtId: number,
  org: { id: number; path: string },
  minArea: number,
) {
  const rows = await many<any>(
    ex,
    sql`WITH scoped AS MATERIALIZED (${orgsUnder(actor, districtId, org.path)}),
        u AS (
          SELECT ST_Union(g.boundary) AS geom, count(*)::int AS n
          FROM grids g
          WHERE g.district_id = ${districtId} AND g.active AND g.boundary IS NOT NULL
            AND g.org_id IN (SELECT id FROM scoped)
        ),
        t AS (SELECT boundary AS geom FROM org_territories WHERE org_id = ${org.id}),
        parts AS (SELECT (ST_Dump(u.geom)).geom AS p FROM u WHERE u.geom IS NOT NULL),
        holes AS (
          SELECT ST_MakePolygon(ST_InteriorRingN(parts.p, n)) AS h
          FROM parts, generate_series(1, ST_NumInteriorRings(parts.p)) n
        ),
        gaps AS (
          SELECT (ST_Dump(CASE WHEN u.geom IS NULL THEN t.geom ELSE ST_Difference(t.geom, u.geom) END)).geom AS p
          FROM t, u
          UNION ALL
          SELECT (ST_Dump(ST_Difference(holes.h, u.geom))).geom FROM holes, u WHERE NOT EXISTS (SELECT 1 FROM t)
        )
        SELECT 'gap' AS what, ST_AsGeoJSON(p, 7) AS geom, ST_Area(p::geography) AS area, NULL::int AS n,
               NULL::float8 AS territory
        FROM gaps WHERE ST_Dimension(p) = 2 AND ST_Area(p::geography) >= ${minArea}
        UNION ALL
        SELECT 'summary', NULL, coalesce(ST_Area(u.geom::geography), 0), u.n,
               (SELECT ST_Area(t.geom::geography) FROM t)
        FROM u`,
  );
  const summary = rows.find((r) => r.what === 'summary');
  const gaps = rows
    .filter((r) => r.what === 'gap')
    .map((r) => ({ areaM2: Number(r.area), geometry: JSON.parse(r.geom) }))
    .sort((a, b) => b.areaM2 - a.areaM2);
  return {
    grids: summary?.n ?? 0,
    coveredAreaM2: Number(summary?.area ?? 0),
    drawnTerritoryAreaM2:
      summary?.territory === null || summary?.territory === undefined ? null : Number(summary.territory),
    gaps,
  };
}

/**
 * Grids sticking out of a drawn territory: each grid is checked against the nearest org at or above
 * its responsible org (and at or below `orgPath`) that has one.
 */
export async function findStickOuts(ex: Executor, actor: Actor, districtId: number, orgPath: string, minArea: number) {
  const rows = await many<any>(
    ex,
    sql`WITH territories AS MATERIALIZED (
          SELECT t.org_id, t.boundary, tor.path FROM org_territories t JOIN orgs tor ON tor.id = t.org_id
          WHERE t.district_id = ${districtId} AND tor.path LIKE ${`${orgPath}%`}
        ),
        nearest AS MATERIALIZED (
          SELECT DISTINCT ON (g.id) g.id, g.code, g.name, t.org_id AS territory_org_id, g.boundary AS gb, t.boundary AS tb
          FROM territories t
          JOIN orgs o ON o.path LIKE t.path || '%' AND o.district_id = ${districtId}
          JOIN grids g ON g.org_id = o.id
          WHERE ${gridsUnder(actor, districtId, orgPath, 'g', 'o')}
          ORDER BY g.id, length(t.path) DESC
        ),
        diff AS (
          SELECT id, code, name, territory_org_id, ST_CollectionExtract(ST_Difference(gb, tb), 3) AS d
          FROM nearest WHERE NOT ST_CoveredBy(gb, tb)
        )
        SELECT id, code, name, territory_org_id, ST_AsGeoJSON(d, 7) AS geom, ST_Area(d::geography) AS area
        FROM diff WHERE ST_Area(d::geography) >= ${minArea} ORDER BY area DESC`,
  );
  return rows.map((r) => ({
    grid: { id: r.id, code: r.code, name: r.name } as GridRef,
    territoryOrgId: r.territory_org_id as number,
    areaM2: Number(r.area),
    geometry: JSON.parse(r.geom),
  }));
}

// Drawn territories ----------------------------------------------------------------------------

export async function findTerritory(ex: Executor, orgId: number) {
  const r = await one<any>(
    ex,
    sql`SELECT org_id, ST_AsGeoJSON(boundary, 7) AS geom, ST_Area(boundary::geography) AS area, updated_at
        FROM org_territories WHERE org_id = ${orgId}`,
  );
  return r
    ? { orgId: r.org_id as number, boundary: JSON.parse(r.geom), areaM2: Number(r.area), updatedAt: iso(r.updated_at) }
    : undefined;
}

export async function upsertTerritory(ex: Executor, orgId: number, districtId: number, hex: string) {
  await ex.execute(sql`INSERT INTO org_territories (org_id, district_id, boundary) VALUES (${orgId}, ${districtId}, ${hex}::geometry)
    ON CONFLICT (org_id) DO UPDATE SET boundary = excluded.boundary, updated_at = now()`);
}

export async function deleteTerritory(ex: Executor, orgId: number) {
  await ex.execute(sql`DELETE FROM org_territories WHERE org_id = ${orgId}`);
}
