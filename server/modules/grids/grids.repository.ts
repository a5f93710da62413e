import { type SQL, sql } from 'drizzle-orm';
import {
  type GridCapacitySettings,
  type GridChannel,
  type GridKind,
  type GridListQuery,
  resolveCapacitySettings,
} from '../../../domain/grid.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, likeEscape, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

/** A grid as stored, with the names the API shows beside the ids. */
export type GridRow = {
  id: number;
  districtId: number;
  code: string;
  name: string;
  kind: GridKind;
  orgId: number;
  orgName: string;
  orgPath: string;
  leader: { id: number; name: string } | null;
  contact: { id: number; name: string } | null;
  venue: string | null;
  channels: GridChannel[];
  serviceProject: string | null;
  youthCount: number | null;
  memberCount: number | null;
  registeredYouth: number;
  registeredMembers: number;
  linkedOrgs: { id: number; name: string; kind: string }[];
  hasBoundary: boolean;
  /** GeoJSON MultiPolygon when asked for */
  boundary: { type: 'MultiPolygon'; coordinates: number[][][][] } | null;
  areaM2: number | null;
  labelPoint: [number, number] | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
};

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** The people registered in grid g now (people_home_grid_idx): `reg.youth`, `reg.members`. */
const registryJoin = sql`LEFT JOIN LATERAL (
    SELECT count(*)::int AS youth, count(*) FILTER (WHERE p.political_status = 'league_member')::int AS members
    FROM people p WHERE p.home_grid_id = g.id AND p.status = 'registered' AND p.withdrawn_at IS NULL) reg ON TRUE`;
/** The counts the capacity rule reads, as `ruleCounts` in domain/grid.ts: the registry once it has anyone. */
const ruleYouth = sql`(CASE WHEN reg.youth > 0 THEN reg.youth ELSE g.youth_count END)`;
const ruleMembers = sql`(CASE WHEN reg.youth > 0 THEN reg.members ELSE g.member_count END)`;

function selectGrids(withBoundary: boolean): SQL {
  return sql`
    SELECT g.id, g.district_id, g.code, g.name, g.kind, g.org_id, o.name AS org_name, o.path AS org_path,
           g.leader_account_id, la.display_name AS leader_name, g.contact_account_id, ca.display_name AS contact_name,
           g.venue, g.channels, g.service_project, g.youth_count, g.member_count, reg.youth AS registered_youth,
           reg.members AS registered_members, g.active, g.created_at, g.updated_at,
           g.boundary IS NOT NULL AS has_boundary,
           ${withBoundary ? sql`ST_AsGeoJSON(g.boundary, 7)` : sql`NULL`} AS boundary_json,
           ST_Area(g.boundary::geography) AS area_m2,
           ST_X(ST_PointOnSurface(g.boundary)) AS label_x, ST_Y(ST_PointOnSurface(g.boundary)) AS label_y,
           (SELECT coalesce(json_agg(json_build_object('id', lo.id, 'name', lo.name, 'kind', lo.kind) ORDER BY lo.id), '[]'::json)
              FROM grid_linked_orgs l JOIN orgs lo ON lo.id = l.org_id WHERE l.grid_id = g.id) AS linked
    FROM grids g
    JOIN orgs o ON o.id = g.org_id
    LEFT JOIN accounts la ON la.id = g.leader_account_id
    LEFT JOIN accounts ca ON ca.id = g.contact_account_id
    ${registryJoin}`;
}

function toGridRow(r: any): GridRow {
  return {
    id: r.id,
    districtId: r.district_id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    orgId: r.org_id,
    orgName: r.org_name,
    orgPath: r.org_path,
    leader: r.leader_account_id ? { id: r.leader_account_id, name: r.leader_name } : null,
    contact: r.contact_account_id ? { id: r.contact_account_id, name: r.contact_name } : null,
    venue: r.venue,
    channels: parseJson(r.channels) ?? [],
    serviceProject: r.service_project,
    youthCount: r.youth_count,
    memberCount: r.member_count,
    registeredYouth: Number(r.registered_youth ?? 0),
    registeredMembers: Number(r.registered_members ?? 0),
    linkedOrgs: parseJson(r.linked) ?? [],
    hasBoundary: r.has_boundary,
    boundary: r.boundary_json ? JSON.parse(r.boundary_json) : null,
    areaM2: r.area_m2 === null || r.area_m2 === undefined ? null : Number(r.area_m2),
    labelPoint: r.label_x === null || r.label_x === undefined ? null : [Number(r.label_x), Number(r.label_y)],
    active: r.active,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Scope of a lookup by id: the responsible org inside the actor's subtree (platform admins: anywhere). */
function scopeOf(actor: Actor): SQL {
  return actor.districtId === null ? sql`TRUE` : orgScopeCondition(actor, actor.districtId);
}

export async function findGridInScope(
  ex: Executor,
  actor: Actor,
  id: number,
  withBoundary = true,
): Promise<GridRow | undefined> {
  const r = await one(ex, sql`${selectGrids(withBoundary)} WHERE g.id = ${id} AND ${scopeOf(actor)}`);
  return r ? toGridRow(r) : undefined;
}

export async function gridExists(ex: Executor, id: number): Promise<{ districtId: number } | undefined> {
  const r = await one<{ district_id: number }>(ex, sql`SELECT district_id FROM grids WHERE id = ${id}`);
  return r ? { districtId: r.district_id } : undefined;
}

export async function findGridIdByCode(ex: Executor, districtId: number, code: string): Promise<number | undefined> {
  const r = await one<{ id: number }>(
    ex,
    sql`SELECT id FROM grids WHERE district_id = ${districtId} AND code = ${code}`,
  );
  return r?.id;
}

/** The capacity rule in SQL, the same as `capacityOf` in domain/grid.ts (a test keeps them equal). */
function capacityStatusSql(s: GridCapacitySettings): SQL {
  return sql`CASE
    WHEN ${ruleYouth} IS NULL AND ${ruleMembers} IS NULL THEN 'unknown'
    WHEN ${ruleYouth} <= ${s.youthMax + s.youthTolerance} OR ${ruleMembers} <= ${s.membersMax} THEN
      CASE WHEN ${ruleYouth} < ${s.youthFloor} THEN 'under_used' ELSE 'ok' END
    ELSE 'over' END`;
}

const fourOnesCompleteSql = sql`(g.leader_account_id IS NOT NULL AND btrim(coalesce(g.venue, '')) <> ''
  AND jsonb_array_length(g.channels) > 0 AND btrim(coalesce(g.service_project, '')) <> '')`;

/** Grids whose responsible org lies in the subtree of org `id` (nothing when `id` is not in this district). */
function underOrg(id: number, districtId: number): SQL {
  return sql`o.path LIKE (SELECT s.path FROM orgs s WHERE s.id = ${id} AND s.district_id = ${districtId}) || '%'`;
}

export async function listGrids(
  ex: Executor,
  actor: Actor,
  districtId: number,
  f: GridListQuery,
  settings: GridCapacitySettings,
) {
  const conds: SQL[] = [orgScopeCondition(actor, districtId), sql`g.district_id = ${districtId}`];
  for (const id of [f.townId, f.villageId, f.orgId]) if (id) conds.push(underOrg(id, districtId));
  if (f.kind) conds.push(sql`g.kind = ${f.kind}`);
  if (f.active !== 'all') conds.push(sql`g.active = ${f.active === 'true'}`);
  if (f.state) conds.push(sql`(${capacityStatusSql(settings)}) = ${f.state}`);
  if (f.fourOnes) conds.push(f.fourOnes === 'complete' ? fourOnesCompleteSql : sql`NOT ${fourOnesCompleteSql}`);
  if (f.q) {
    const text = `%${likeEscape(f.q)}%`;
    conds.push(sql`(g.code ILIKE ${text} OR g.name ILIKE ${text})`);
  }
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM grids g JOIN orgs o ON o.id = g.org_id ${f.state ? registryJoin : sql``}
        WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${selectGrids(f.withBoundary === 'true')} WHERE ${where} ORDER BY o.path, g.code
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toGridRow) };
}

/** Every grid of an org's subtree, for roll-ups and export. */
export async function listGridsUnder(
  ex: Executor,
  actor: Actor,
  districtId: number,
  orgPath: string,
  opts: { withBoundary: boolean; activeOnly: boolean },
): Promise<GridRow[]> {
  const rows = await many(
    ex,
    sql`${selectGrids(opts.withBoundary)}
        WHERE ${orgScopeCondition(actor, districtId)} AND g.district_id = ${districtId}
          AND o.path LIKE ${`${orgPath}%`} ${opts.activeOnly ? sql`AND g.active` : sql``}
        ORDER BY o.path, g.code`,
  );
  return rows.map(toGridRow);
}

export type GridWrite = {
  code: string;
  name: string;
  kind: GridKind;
  orgId: number;
  leaderAccountId: number | null;
  contactAccountId: number | null;
  venue: string | null;
  channels: GridChannel[];
  serviceProject: string | null;
  youthCount: number | null;
  memberCount: number | null;
  /** hex EWKB of a valid MultiPolygon, or null */
  boundaryHex: string | null;
};

export async function insertGrid(ex: Executor, districtId: number, g: GridWrite): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO grids (district_id, code, name, kind, org_id, leader_account_id, contact_account_id, venue, channels,
                           service_project, youth_count, member_count, boundary)
        VALUES (${districtId}, ${g.code}, ${g.name}, ${g.kind}, ${g.orgId}, ${g.leaderAccountId}, ${g.contactAccountId},
                ${g.venue}, ${JSON.stringify(g.channels)}::jsonb, ${g.serviceProject}, ${g.youthCount}, ${g.memberCount},
                ${g.boundaryHex}::geometry)
        RETURNING id`,
  );
  return r!.id;
}

export async function updateGridFields(
  ex: Executor,
  id: number,
  patch: Partial<GridWrite> & { active?: boolean },
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  const col: Record<string, string> = {
    code: 'code',
    name: 'name',
    kind: 'kind',
    orgId: 'org_id',
    leaderAccountId: 'leader_account_id',
    contactAccountId: 'contact_account_id',
    venue: 'venue',
    serviceProject: 'service_project',
    youthCount: 'youth_count',
    memberCount: 'member_count',
    active: 'active',
  };
  for (const [key, column] of Object.entries(col)) {
    const value = (patch as Record<string, unknown>)[key];
    if (value !== undefined) sets.push(sql`${sql.identifier(column)} = ${value}`);
  }
  if (patch.channels !== undefined) sets.push(sql`channels = ${JSON.stringify(patch.channels)}::jsonb`);
  if (patch.boundaryHex !== undefined) sets.push(sql`boundary = ${patch.boundaryHex}::geometry`);
  await ex.execute(sql`UPDATE grids SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function replaceLinkedOrgs(ex: Executor, gridId: number, districtId: number, orgIds: number[]) {
  await ex.execute(sql`DELETE FROM grid_linked_orgs WHERE grid_id = ${gridId}`);
  for (const orgId of orgIds) {
    await ex.execute(
      sql`INSERT INTO grid_linked_orgs (grid_id, org_id, district_id) VALUES (${gridId}, ${orgId}, ${districtId})`,
    );
  }
}

/** Of the given org ids, those in the actor's scope, with whether each is hierarchical. */
export async function findOrgsInScope(ex: Executor, actor: Actor, districtId: number, ids: number[]) {
  if (!ids.length) return [];
  return many<{ id: number; hierarchical: boolean }>(
    ex,
    sql`SELECT o.id, o.hierarchical FROM orgs o WHERE o.id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) AND ${orgScopeCondition(actor, districtId)}`,
  );
}

// Boundary preparation ---------------------------------------------------------------------------

export type PreparedBoundary =
  | { ok: true; hex: string; repairedReason: string | null }
  | { ok: false; reason: 'invalid' | 'empty' | 'outside_area'; detail: string | null };

/**
 * Parses a GeoJSON boundary in PostGIS: drops altitudes, checks validity, repairs with ST_MakeValid
 * when allowed (keeping only the polygonal part), and checks it against the district's drawn
 * territory when the district has one.
 */
export async function prepareBoundary(
  ex: Executor,
  districtId: number,
  geojson: unknown,
  repair: boolean,
): Promise<PreparedBoundary> {
  const r = await one<{ valid: boolean; reason: string | null; hex: string | null; empty: boolean; outside: boolean }>(
    ex,
    sql`WITH i AS (SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geojson)}), 4326)) AS g),
        f AS (SELECT g, ST_IsValid(g) AS valid,
                     CASE WHEN ST_IsValid(g) THEN NULL ELSE ST_IsValidReason(g) END AS reason,
                     ST_Multi(ST_CollectionExtract(CASE WHEN ST_IsValid(g) THEN g ELSE ST_MakeValid(g) END, 3)) AS fixed
              FROM i)
        SELECT f.valid, f.reason, ST_AsHexEWKB(f.fixed) AS hex, (ST_IsEmpty(f.fixed) OR ST_Area(f.fixed) = 0) AS empty,
               coalesce((SELECT ST_Area(ST_Difference(f.fixed, t.boundary)::geography) > 1
                         FROM org_territories t JOIN orgs r ON r.id = t.org_id
                         WHERE r.district_id = ${districtId} AND r.parent_id IS NULL), false) AS outside
        FROM f`,
  );
  if (!r) return { ok: false, reason: 'invalid', detail: null };
  if (!r.valid && !repair) return { ok: false, reason: 'invalid', detail: r.reason };
  if (r.empty || !r.hex) return { ok: false, reason: 'empty', detail: r.reason };
  if (r.outside) return { ok: false, reason: 'outside_area', detail: null };
  return { ok: true, hex: r.hex, repairedReason: r.valid ? null : r.reason };
}

// Settings -------------------------------------------------------------------------------------

export async function getCapacitySettings(ex: Executor, districtId: number): Promise<GridCapacitySettings> {
  const r = await one<{ grid_capacity: unknown }>(
    ex,
    sql`SELECT grid_capacity FROM district_settings WHERE district_id = ${districtId}`,
  );
  return resolveCapacitySettings(parseJson(r?.grid_capacity));
}

export async function saveCapacitySettings(ex: Executor, districtId: number, settings: GridCapacitySettings) {
  await ex.execute(sql`INSERT INTO district_settings (district_id, grid_capacity) VALUES (${districtId}, ${JSON.stringify(settings)}::jsonb)
    ON CONFLICT (district_id) DO UPDATE SET grid_capacity = excluded.grid_capacity, updated_at = now()`);
}

// Org tree hooks -------------------------------------------------------------------------------

/** Active grids attached directly to each org of a district (the org tree sums them up). */
export async function countGridsByOrg(ex: Executor, districtId: number): Promise<Map<number, number>> {
  const rows = await many<{ org_id: number; n: number }>(
    ex,
    sql`SELECT org_id, count(*)::int AS n FROM grids WHERE district_id = ${districtId} AND active GROUP BY org_id`,
  );
  return new Map(rows.map((r) => [r.org_id, r.n]));
}

export async function countActiveGridsOfOrg(ex: Executor, orgId: number): Promise<number> {
  const r = await one<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM grids WHERE org_id = ${orgId} AND active`);
  return r?.n ?? 0;
}

export async function listChildOrgs(ex: Executor, orgId: number) {
  return many<{ id: number; name: string; kind: string; path: string }>(
    ex,
    sql`SELECT id, name, kind, path FROM orgs WHERE parent_id = ${orgId} AND active ORDER BY hierarchical DESC, path`,
  );
}

/** A grid for bulk insertion (demo and benchmark data): the boundary as a GeoJSON MultiPolygon. */
export type GridBulkRow = Omit<GridWrite, 'boundaryHex'> & { boundary: unknown | null };

/** Inserts many grids in one statement per chunk (the demo district's 1,217 in a few statements). */
export async function insertGridsBulk(ex: Executor, districtId: number, rows: GridBulkRow[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, channels: r.channels, boundary: r.boundary }));
    const r = await one<{ n: number }>(
      ex,
      sql`WITH ins AS (
            INSERT INTO grids (district_id, code, name, kind, org_id, leader_account_id, contact_account_id, venue, channels,
                               service_project, youth_count, member_count, boundary)
            SELECT ${districtId}, x.code, x.name, x.kind, x."orgId", x."leaderAccountId", x."contactAccountId", x.venue,
                   coalesce(x.channels, '[]'::jsonb), x."serviceProject", x."youthCount", x."memberCount",
                   CASE WHEN x.boundary IS NULL OR x.boundary = 'null'::jsonb THEN NULL
                        ELSE ST_SetSRID(ST_GeomFromGeoJSON(x.boundary::text), 4326) END
            FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS x(
              code text, name text, kind text, "orgId" int, "leaderAccountId" int, "contactAccountId" int, venue text,
              channels jsonb, "serviceProject" text, "youthCount" int, "memberCount" int, boundary jsonb)
            RETURNING 1)
          SELECT count(*)::int AS n FROM ins`,
    );
    inserted += r?.n ?? 0;
  }
  return inserted;
}
