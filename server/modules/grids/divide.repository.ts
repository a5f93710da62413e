import { sql } from 'drizzle-orm';
import type { DivisionBox, LonLat } from '../../../domain/grid.ts';
import type { Executor } from '../../db/sql.ts';
import { many, one } from '../../db/sql.ts';

/** The territory to divide: the org's drawn one, else the union of its active grids (hex EWKB). */
export async function findDivisionTerritory(ex: Executor, orgId: number) {
  const r = await one<{ drawn: string | null; grids: string | null }>(
    ex,
    sql`SELECT (SELECT ST_AsHexEWKB(boundary) FROM org_territories WHERE org_id = ${orgId}) AS drawn,
               (SELECT ST_AsHexEWKB(ST_Multi(ST_Union(boundary))) FROM grids
                WHERE org_id = ${orgId} AND active AND boundary IS NOT NULL) AS grids`,
  );
  if (r?.drawn) return { source: 'drawn' as const, hex: r.drawn };
  if (r?.grids) return { source: 'union' as const, hex: r.grids };
  return undefined;
}

/** Bounding box and geodesic area of a territory. */
export async function describeTerritory(ex: Executor, hex: string) {
  const r = await one<any>(
    ex,
    sql`SELECT ST_XMin(g) AS west, ST_YMin(g) AS south, ST_XMax(g) AS east, ST_YMax(g) AS north,
               ST_Area(g::geography) AS area
        FROM (SELECT ${hex}::geometry AS g) t`,
  );
  return {
    box: { west: Number(r.west), south: Number(r.south), east: Number(r.east), north: Number(r.north) } as DivisionBox,
    areaM2: Number(r.area),
  };
}

/** Which of the points lie in the territory (boundary included). */
export async function pointsInTerritory(ex: Executor, hex: string, points: readonly LonLat[]): Promise<LonLat[]> {
  if (!points.length) return [];
  const rows = await many<{ i: number }>(
    ex,
    sql`SELECT (p.i - 1)::int AS i
        FROM jsonb_array_elements(${JSON.stringify(points)}::jsonb) WITH ORDINALITY AS p(v, i),
             (SELECT ${hex}::geometry AS g) t
        WHERE ST_Intersects(t.g, ST_SetSRID(ST_MakePoint((p.v->>0)::float8, (p.v->>1)::float8), 4326))`,
  );
  return rows.map((r) => points[r.i]);
}

/**
 * Clips the territory with each box: boxes that tile the territory's bounding box give polygons that
 * tile the territory. Full coordinate precision keeps shared edges identical.
 */
export async function clipTerritory(ex: Executor, hex: string, boxes: readonly DivisionBox[]) {
  const rows = await many<any>(
    ex,
    sql`SELECT (b.i - 1)::int AS i, ST_AsGeoJSON(c.g, 15) AS geom, ST_Area(c.g::geography) AS area,
               ST_Perimeter(c.g::geography) AS perimeter, ST_NumGeometries(c.g) AS parts
        FROM jsonb_array_elements(${JSON.stringify(boxes)}::jsonb) WITH ORDINALITY AS b(v, i)
        CROSS JOIN LATERAL (
          SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(${hex}::geometry,
                   ST_MakeEnvelope((b.v->>'west')::float8, (b.v->>'south')::float8,
                                   (b.v->>'east')::float8, (b.v->>'north')::float8, 4326)), 3)) AS g
        ) c
        WHERE NOT ST_IsEmpty(c.g)
        ORDER BY b.i`,
  );
  return rows.map((r) => ({
    index: r.i as number,
    boundary: JSON.parse(r.geom),
    areaM2: Number(r.area),
    perimeterM: Number(r.perimeter),
    parts: Number(r.parts),
  }));
}
