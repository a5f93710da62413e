import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many, one, onePrepared } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

export type TokenRow = {
  id: string;
  districtId: number;
  grid: { id: number; name: string } | null;
  gridActive: boolean | null;
  org: { id: number; name: string };
  orgActive: boolean;
  orgPath: string;
  districtName: string;
  expiresAt: string;
  expired: boolean;
  revokedAt: string | null;
  registrations: number;
  createdAt: string;
  /** set for an activity's sign-up / check-in code (never a registration code) */
  activityId: number | null;
};

const SELECT_TOKENS = sql`
  SELECT t.id, t.district_id, t.grid_id, g.name AS grid_name, g.active AS grid_active, t.org_id, o.name AS org_name,
         o.active AS org_active, o.path AS org_path, d.name AS district_name, t.expires_at, t.expires_at <= now() AS expired,
         t.revoked_at, t.created_at, t.activity_id,
         (SELECT count(*)::int FROM registration_submissions s WHERE s.token_id = t.id) AS registrations
  FROM registration_tokens t
  JOIN orgs o ON o.id = t.org_id
  JOIN districts d ON d.id = t.district_id
  LEFT JOIN grids g ON g.id = t.grid_id`;

function toTokenRow(r: any): TokenRow {
  return {
    id: r.id,
    districtId: r.district_id,
    grid: r.grid_id ? { id: r.grid_id, name: r.grid_name } : null,
    gridActive: r.grid_id ? r.grid_active : null,
    org: { id: r.org_id, name: r.org_name },
    orgActive: r.org_active,
    orgPath: r.org_path,
    districtName: r.district_name,
    expiresAt: iso(r.expires_at),
    expired: r.expired,
    revokedAt: isoOrNull(r.revoked_at),
    registrations: r.registrations,
    createdAt: iso(r.created_at),
    activityId: r.activity_id ?? null,
  };
}

function scopeOf(actor: Actor): SQL {
  return actor.districtId === null ? sql`TRUE` : orgScopeCondition(actor, actor.districtId);
}

export async function insertToken(
  ex: Executor,
  v: {
    id: string;
    districtId: number;
    gridId: number | null;
    orgId: number;
    days: number;
    createdBy: number;
    activityId?: number | null;
  },
) {
  await ex.execute(
    sql`INSERT INTO registration_tokens (id, district_id, grid_id, org_id, expires_at, created_by, activity_id)
        VALUES (${v.id}, ${v.districtId}, ${v.gridId}, ${v.orgId}, now() + make_interval(days => ${v.days}), ${v.createdBy},
                ${v.activityId ?? null})`,
  );
}

/** Revokes every live code of an activity (a new one replaces them). */
export async function revokeActivityTokens(ex: Executor, activityId: number, accountId: number | null) {
  await ex.execute(
    sql`UPDATE registration_tokens SET revoked_at = now(), revoked_by = ${accountId}
        WHERE activity_id = ${activityId} AND revoked_at IS NULL`,
  );
}

/** The newest live (unrevoked, unexpired) code of an activity. */
export async function findLiveActivityToken(ex: Executor, activityId: number): Promise<TokenRow | undefined> {
  const r = await one(
    ex,
    sql`${SELECT_TOKENS} WHERE t.activity_id = ${activityId} AND t.revoked_at IS NULL AND t.expires_at > now()
        ORDER BY t.created_at DESC LIMIT 1`,
  );
  return r ? toTokenRow(r) : undefined;
}

/** A token by id, with no scope: for the public phone page (after its signature was checked). */
export async function findToken(ex: Executor, id: string): Promise<TokenRow | undefined> {
  const r = await one(ex, sql`${SELECT_TOKENS} WHERE t.id = ${id}`);
  return r ? toTokenRow(r) : undefined;
}

/**
 * The token a public scan names, with its district's auto-register setting, in ONE query and without the
 * registration count (counting a token's submissions on every scan made a mass event quadratic).
 */
export async function findPublicToken(
  ex: Executor,
  id: string,
): Promise<(TokenRow & { autoRegister: boolean }) | undefined> {
  const r = await onePrepared<any>(
    ex,
    sql`SELECT t.id, t.district_id, t.grid_id, g.name AS grid_name, g.active AS grid_active, t.org_id, o.name AS org_name,
               o.active AS org_active, o.path AS org_path, d.name AS district_name, t.expires_at,
               t.expires_at <= now() AS expired, t.revoked_at, t.created_at, t.activity_id, 0 AS registrations,
               coalesce(rs.auto_register, false) AS auto_register
        FROM registration_tokens t
        JOIN orgs o ON o.id = t.org_id
        JOIN districts d ON d.id = t.district_id
        LEFT JOIN grids g ON g.id = t.grid_id
        LEFT JOIN registration_settings rs ON rs.district_id = t.district_id
        WHERE t.id = ${id}`,
  );
  return r ? { ...toTokenRow(r), autoRegister: r.auto_register } : undefined;
}

export async function findTokenInScope(ex: Executor, actor: Actor, id: string): Promise<TokenRow | undefined> {
  const r = await one(ex, sql`${SELECT_TOKENS} WHERE t.id = ${id} AND ${scopeOf(actor)}`);
  return r ? toTokenRow(r) : undefined;
}

export async function listTokens(
  ex: Executor,
  actor: Actor,
  districtId: number,
  f: { gridId?: number; orgId?: number },
): Promise<TokenRow[]> {
  const conds: SQL[] = [
    sql`t.district_id = ${districtId}`,
    sql`t.activity_id IS NULL`,
    orgScopeCondition(actor, districtId),
  ];
  if (f.gridId) conds.push(sql`t.grid_id = ${f.gridId}`);
  if (f.orgId) conds.push(sql`t.org_id = ${f.orgId} AND t.grid_id IS NULL`);
  const rows = await many<any>(
    ex,
    sql`${SELECT_TOKENS} WHERE ${sql.join(conds, sql` AND `)} ORDER BY t.created_at DESC LIMIT 500`,
  );
  return rows.map(toTokenRow);
}

export async function revokeToken(ex: Executor, id: string, accountId: number) {
  await ex.execute(
    sql`UPDATE registration_tokens SET revoked_at = now(), revoked_by = ${accountId} WHERE id = ${id} AND revoked_at IS NULL`,
  );
}

/**
 * Records a form submission with its outcome; false when the same submission id was already used with this token.
 * Called as the registration's last write but one: a replay then rolls back everything the transaction wrote (a
 * concurrent twin waits on the unique key until the first commits), in one statement instead of a claim first and
 * an outcome after.
 */
export async function recordSubmission(
  ex: Executor,
  tokenId: string,
  submissionId: string,
  outcome: { personId: number | null; reviewId: number | null },
): Promise<boolean> {
  const r = await onePrepared(
    ex,
    sql`INSERT INTO registration_submissions (token_id, submission_id, person_id, review_id)
        VALUES (${tokenId}, ${submissionId}, ${outcome.personId}, ${outcome.reviewId})
        ON CONFLICT DO NOTHING RETURNING token_id`,
  );
  return !!r;
}

export async function getRegistrationSettings(ex: Executor, districtId: number) {
  const r = await one<{ auto_register: boolean }>(
    ex,
    sql`SELECT auto_register FROM registration_settings WHERE district_id = ${districtId}`,
  );
  return { autoRegister: r?.auto_register ?? false };
}

export async function saveRegistrationSettings(ex: Executor, districtId: number, s: { autoRegister: boolean }) {
  await ex.execute(
    sql`INSERT INTO registration_settings (district_id, auto_register) VALUES (${districtId}, ${s.autoRegister})
        ON CONFLICT (district_id) DO UPDATE SET auto_register = excluded.auto_register, updated_at = now()`,
  );
}

// ── location suggestion and grid choice on an org code (issue 4) ─────────────────────────────

/** An active grid of the district whose responsible org lies in the subtree at `orgPath`. */
export async function findGridInSubtree(ex: Executor, districtId: number, orgPath: string, gridId: number) {
  return one<{ id: number; name: string; orgId: number }>(
    ex,
    sql`SELECT g.id, g.name, g.org_id AS "orgId" FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.id = ${gridId} AND g.district_id = ${districtId} AND g.active AND o.path LIKE ${`${orgPath}%`}`,
  );
}

/**
 * 定位推荐网格: the grid of the subtree whose boundary covers the point (the smallest, when grids overlap),
 * else the nearest within `maxMeters` (geodesic). The bounding-box test `&&` uses the GiST index of
 * grids.boundary; 0.01° is more than 500 m in both directions below 60° latitude.
 */
export async function nearestGridInSubtree(
  ex: Executor,
  v: { districtId: number; orgPath: string; lng: number; lat: number; maxMeters: number },
) {
  const r = await one<{ id: number; name: string; org_name: string; inside: boolean; meters: number }>(
    ex,
    sql`WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${v.lng}::float8, ${v.lat}::float8), 4326) AS pt)
        SELECT g.id, g.name, o.name AS org_name, ST_Covers(g.boundary, p.pt) AS inside,
               ST_Distance(g.boundary::geography, p.pt::geography) AS meters
        FROM grids g JOIN orgs o ON o.id = g.org_id CROSS JOIN p
        WHERE g.district_id = ${v.districtId} AND g.active AND g.boundary IS NOT NULL
          AND o.path LIKE ${`${v.orgPath}%`}
          AND g.boundary && ST_Expand(p.pt, 0.01)
          AND ST_DWithin(g.boundary::geography, p.pt::geography, ${v.maxMeters}::float8)
        ORDER BY ST_Covers(g.boundary, p.pt) DESC, ST_Distance(g.boundary::geography, p.pt::geography),
                 ST_Area(g.boundary), g.id
        LIMIT 1`,
  );
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    orgName: r.org_name,
    inside: r.inside,
    distanceMeters: r.inside ? 0 : Math.round(Number(r.meters)),
  };
}
