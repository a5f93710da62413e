import { type SQL, sql } from 'drizzle-orm';
import { DEFAULT_TARGET_ORG_KINDS, LEVEL_OF_ORG_KIND, type TowerGroup } from '../../../domain/notice.ts';
import type { OrgKind } from '../../../domain/org.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';
import { intArray } from './notices.repository.ts';

/** Org kinds that have a group in the tower: the district and the levels below it. */
export const TOWER_ORG_KINDS: readonly OrgKind[] = ['district_committee', ...DEFAULT_TARGET_ORG_KINDS];

function kindsArray(kinds: readonly OrgKind[]): SQL {
  return sql`${`{${kinds.join(',')}}`}::text[]`;
}

/** Scope of a group: the org it belongs to (for a grid, the grid's responsible org) in the actor's subtree. */
function scopeOf(actor: Actor, districtId: number | null): SQL {
  if (districtId === null) return sql`TRUE`;
  return orgScopeCondition(actor, districtId, 'so');
}

const SELECT_GROUP = sql`SELECT tg.id, tg.district_id, tg.org_id, o.name AS org_name, o.kind AS org_kind, tg.grid_id,
    g.name AS grid_name, g.code AS grid_code, tg.channel, tg.name, tg.ident, tg.admin_account_id,
    adm.display_name AS admin_name, tg.instructor_account_ids, tg.active, tg.created_at, tg.updated_at,
    so.path AS scope_path,
    (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.display_name) ORDER BY a.id), '[]'::json)
       FROM accounts a WHERE a.id = ANY(tg.instructor_account_ids)) AS instructors
  FROM tower_groups tg
  LEFT JOIN orgs o ON o.id = tg.org_id
  LEFT JOIN grids g ON g.id = tg.grid_id
  JOIN orgs so ON so.id = coalesce(tg.org_id, g.org_id)
  LEFT JOIN accounts adm ON adm.id = tg.admin_account_id`;

export type TowerGroupRow = TowerGroup & { scopePath: string; adminAccountId: number | null };

function toGroup(r: any): TowerGroupRow {
  const instructors = typeof r.instructors === 'string' ? JSON.parse(r.instructors) : r.instructors;
  return {
    id: r.id,
    districtId: r.district_id,
    org: r.org_id ? { id: r.org_id, name: r.org_name, kind: r.org_kind } : null,
    grid: r.grid_id ? { id: r.grid_id, name: r.grid_name, code: r.grid_code } : null,
    level: r.grid_id ? 'grid' : (LEVEL_OF_ORG_KIND[r.org_kind as OrgKind] ?? 'other'),
    channel: r.channel,
    name: r.name,
    ident: r.ident,
    admin: r.admin_account_id ? { id: r.admin_account_id, name: r.admin_name } : null,
    adminAccountId: r.admin_account_id,
    instructors,
    active: r.active,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    scopePath: r.scope_path,
  };
}

export async function findGroupInScope(ex: Executor, actor: Actor, id: number): Promise<TowerGroupRow | undefined> {
  const r = await one(ex, sql`${SELECT_GROUP} WHERE tg.id = ${id} AND ${scopeOf(actor, actor.districtId)}`);
  return r ? toGroup(r) : undefined;
}

export async function groupExists(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 AS x FROM tower_groups WHERE id = ${id}`));
}

export async function listGroups(
  ex: Executor,
  actor: Actor,
  districtId: number,
  q: { underPath: string | null; channel?: string; page: number; pageSize: number },
) {
  const where = sql`tg.district_id = ${districtId} AND tg.active AND ${orgScopeCondition(actor, districtId, 'so')}
    ${q.underPath ? sql`AND so.path LIKE ${`${q.underPath}%`}` : sql``}
    ${q.channel ? sql`AND tg.channel = ${q.channel}` : sql``}`;
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM tower_groups tg LEFT JOIN grids g ON g.id = tg.grid_id
        JOIN orgs so ON so.id = coalesce(tg.org_id, g.org_id) WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${SELECT_GROUP} WHERE ${where} ORDER BY so.path, tg.grid_id NULLS FIRST, tg.id
        LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toGroup) };
}

export type GroupWrite = {
  channel: string;
  name: string;
  ident: string | null;
  adminAccountId: number | null;
  instructorAccountIds: number[];
};

export async function insertGroup(
  ex: Executor,
  districtId: number,
  owner: { orgId: number | null; gridId: number | null },
  g: GroupWrite,
): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO tower_groups (district_id, org_id, grid_id, channel, name, ident, admin_account_id, instructor_account_ids)
        VALUES (${districtId}, ${owner.orgId}, ${owner.gridId}, ${g.channel}, ${g.name}, ${g.ident}, ${g.adminAccountId},
                ${intArray(g.instructorAccountIds)})
        RETURNING id`,
  );
  return r!.id;
}

export async function updateGroup(ex: Executor, id: number, patch: Partial<GroupWrite> & { active?: boolean }) {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (patch.channel !== undefined) sets.push(sql`channel = ${patch.channel}`);
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.ident !== undefined) sets.push(sql`ident = ${patch.ident}`);
  if (patch.adminAccountId !== undefined) sets.push(sql`admin_account_id = ${patch.adminAccountId}`);
  if (patch.instructorAccountIds !== undefined)
    sets.push(sql`instructor_account_ids = ${intArray(patch.instructorAccountIds)}`);
  if (patch.active !== undefined) sets.push(sql`active = ${patch.active}`);
  await ex.execute(sql`UPDATE tower_groups SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

/** A grid the actor may see, with its responsible org's path. */
export async function findGridForGroup(ex: Executor, actor: Actor, districtId: number | null, gridId: number) {
  return one<{ id: number; district_id: number; path: string; active: boolean }>(
    ex,
    sql`SELECT g.id, g.district_id, o.path, g.active FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.id = ${gridId} AND ${districtId === null ? sql`TRUE` : orgScopeCondition(actor, districtId, 'o')}`,
  );
}

export async function gridExistsAnywhere(ex: Executor, gridId: number) {
  return !!(await one(ex, sql`SELECT 1 AS x FROM grids WHERE id = ${gridId}`));
}

/**
 * Of the given accounts, the active ones of the district bound either inside the actor's scope or to
 * an org on the path above the group (instructors come from the level above, which may lie outside a
 * town cadre's own subtree).
 */
export async function findEligibleAccounts(
  ex: Executor,
  actor: Actor,
  districtId: number,
  groupPath: string,
  ids: readonly number[],
): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await many<{ id: number }>(
    ex,
    sql`SELECT a.id FROM accounts a JOIN orgs o ON o.id = a.org_id
        WHERE a.id = ANY(${intArray(ids)}) AND a.active AND a.district_id = ${districtId}
          AND (${orgScopeCondition(actor, districtId, 'o')} OR ${groupPath} LIKE o.path || '%')`,
  );
  return new Set(rows.map((r) => r.id));
}

/** 缺群 orgs of the tower levels and active grids in the subtree without a group, or with no admin. */
export async function listGaps(
  ex: Executor,
  actor: Actor,
  districtId: number,
  underPath: string | null,
  limit: number,
) {
  const orgWhere = sql`o.district_id = ${districtId} AND o.active AND o.kind = ANY(${kindsArray(TOWER_ORG_KINDS)})
    AND ${orgScopeCondition(actor, districtId, 'o')} ${underPath ? sql`AND o.path LIKE ${`${underPath}%`}` : sql``}`;
  const rows = await many<any>(
    ex,
    sql`WITH gaps AS (
          SELECT 'org' AS kind, o.id, o.name, o.kind AS org_kind, p.name AS parent_name, o.path AS sort_path, 0 AS sort_grid,
            CASE WHEN NOT EXISTS (SELECT 1 FROM tower_groups tg WHERE tg.org_id = o.id AND tg.active) THEN 'no_group'
                 WHEN NOT EXISTS (SELECT 1 FROM tower_groups tg WHERE tg.org_id = o.id AND tg.active
                                  AND tg.admin_account_id IS NOT NULL) THEN 'no_admin' END AS problem
          FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE ${orgWhere}
          UNION ALL
          SELECT 'grid', g.id, g.name, NULL, o.name, o.path, g.id,
            CASE WHEN NOT EXISTS (SELECT 1 FROM tower_groups tg WHERE tg.grid_id = g.id AND tg.active) THEN 'no_group'
                 WHEN NOT EXISTS (SELECT 1 FROM tower_groups tg WHERE tg.grid_id = g.id AND tg.active
                                  AND tg.admin_account_id IS NOT NULL) THEN 'no_admin' END
          FROM grids g JOIN orgs o ON o.id = g.org_id
          WHERE g.district_id = ${districtId} AND g.active AND ${orgScopeCondition(actor, districtId, 'o')}
            ${underPath ? sql`AND o.path LIKE ${`${underPath}%`}` : sql``})
        SELECT *, count(*) FILTER (WHERE problem = 'no_group') OVER ()::int AS no_group,
                  count(*) FILTER (WHERE problem = 'no_admin') OVER ()::int AS no_admin
        FROM gaps WHERE problem IS NOT NULL ORDER BY sort_path, sort_grid LIMIT ${limit}`,
  );
  return {
    items: rows.map((r) => ({
      kind: r.kind as 'org' | 'grid',
      id: r.id,
      name: r.name,
      level: r.kind === 'grid' ? ('grid' as const) : (LEVEL_OF_ORG_KIND[r.org_kind as OrgKind] ?? 'other'),
      parentName: r.parent_name,
      problem: r.problem as 'no_group' | 'no_admin',
    })),
    noGroup: rows[0]?.no_group ?? 0,
    noAdmin: rows[0]?.no_admin ?? 0,
  };
}
