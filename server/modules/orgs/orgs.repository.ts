import { type SQL, sql } from 'drizzle-orm';
import type { Org, OrgKind } from '../../../domain/org.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, likeEscape, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';
import { pinyinKeys } from '../../lib/pinyin.ts';

export type OrgRow = Org & { path: string };

const ORG_COLUMNS = sql`o.id, o.district_id, o.parent_id, o.kind, o.name, o.hierarchical, o.depth, o.path,
  o.secretary_name, o.contact, o.description, o.active, o.created_at, o.updated_at`;

function toOrgRow(r: any): OrgRow {
  return {
    id: r.id,
    districtId: r.district_id,
    parentId: r.parent_id,
    kind: r.kind,
    name: r.name,
    hierarchical: r.hierarchical,
    depth: r.depth,
    path: r.path,
    secretaryName: r.secretary_name,
    contact: r.contact,
    description: r.description,
    active: r.active,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function toOrg(row: OrgRow): Org {
  const { path: _path, ...org } = row;
  return org;
}

/** Scope of a lookup by id: inside the actor's subtree (platform admins: any district). */
function scopeOf(actor: Actor): SQL {
  return actor.districtId === null ? sql`TRUE` : orgScopeCondition(actor, actor.districtId);
}

export async function findOrgInScope(ex: Executor, actor: Actor, id: number): Promise<OrgRow | undefined> {
  const r = await one(ex, sql`SELECT ${ORG_COLUMNS} FROM orgs o WHERE o.id = ${id} AND ${scopeOf(actor)}`);
  return r ? toOrgRow(r) : undefined;
}

/** Whether an org id exists at all (to tell a scope violation, which is audited, from a typo). */
export async function orgExists(ex: Executor, id: number): Promise<{ districtId: number } | undefined> {
  const r = await one<{ district_id: number }>(ex, sql`SELECT district_id FROM orgs WHERE id = ${id}`);
  return r ? { districtId: r.district_id } : undefined;
}

export async function findRootOrg(ex: Executor, districtId: number): Promise<OrgRow | undefined> {
  const r = await one(
    ex,
    sql`SELECT ${ORG_COLUMNS} FROM orgs o WHERE o.district_id = ${districtId} AND o.parent_id IS NULL`,
  );
  return r ? toOrgRow(r) : undefined;
}

export async function siblingNameTaken(
  ex: Executor,
  districtId: number,
  parentId: number | null,
  name: string,
  exceptId?: number,
): Promise<boolean> {
  const r = await one(
    ex,
    sql`SELECT 1 FROM orgs WHERE district_id = ${districtId} AND coalesce(parent_id, 0) = ${parentId ?? 0}
        AND name = ${name} AND id <> ${exceptId ?? 0}`,
  );
  return !!r;
}

export type OrgInsert = {
  districtId: number;
  parent: { id: number; path: string; depth: number } | null;
  kind: OrgKind;
  name: string;
  hierarchical: boolean;
  secretaryName?: string | null;
  contact?: string | null;
  description?: string | null;
};

/** Inserts an org; its id and materialised path are assigned in one statement. */
export async function insertOrg(ex: Executor, o: OrgInsert): Promise<OrgRow> {
  const keys = pinyinKeys(o.name);
  const parentPath = o.parent?.path ?? '/';
  const r = await one(
    ex,
    sql`WITH n AS (SELECT nextval('orgs_id_seq')::int AS id)
        INSERT INTO orgs AS o (id, district_id, parent_id, kind, name, hierarchical, path, depth, name_pinyin, name_initials,
                          secretary_name, contact, description)
        SELECT n.id, ${o.districtId}, ${o.parent?.id ?? null}, ${o.kind}, ${o.name}, ${o.hierarchical},
               ${parentPath} || n.id || '/', ${o.parent ? o.parent.depth + 1 : 0}, ${keys.full}, ${keys.initials},
               ${o.secretaryName ?? null}, ${o.contact ?? null}, ${o.description ?? null}
        FROM n
        RETURNING ${ORG_COLUMNS}`,
  );
  return toOrgRow(r);
}

export async function updateOrgFields(
  ex: Executor,
  id: number,
  patch: {
    name?: string;
    secretaryName?: string | null;
    contact?: string | null;
    description?: string | null;
    active?: boolean;
  },
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (patch.name !== undefined) {
    const keys = pinyinKeys(patch.name);
    sets.push(sql`name = ${patch.name}, name_pinyin = ${keys.full}, name_initials = ${keys.initials}`);
  }
  if (patch.secretaryName !== undefined) sets.push(sql`secretary_name = ${patch.secretaryName}`);
  if (patch.contact !== undefined) sets.push(sql`contact = ${patch.contact}`);
  if (patch.description !== undefined) sets.push(sql`description = ${patch.description}`);
  if (patch.active !== undefined) sets.push(sql`active = ${patch.active}`);
  await ex.execute(sql`UPDATE orgs SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

/** Moves an org under a new parent; every descendant's path and depth follow in the same statement. */
export async function moveOrgSubtree(
  ex: Executor,
  org: { id: number; districtId: number; path: string; depth: number },
  newParent: { id: number; path: string; depth: number },
): Promise<void> {
  const newPath = `${newParent.path}${org.id}/`;
  const depthDelta = newParent.depth + 1 - org.depth;
  await ex.execute(sql`
    UPDATE orgs SET
      path = ${newPath} || substr(path, ${org.path.length + 1}),
      depth = depth + ${depthDelta},
      parent_id = CASE WHEN id = ${org.id} THEN ${newParent.id} ELSE parent_id END,
      updated_at = CASE WHEN id = ${org.id} THEN now() ELSE updated_at END
    WHERE district_id = ${org.districtId} AND path LIKE ${`${org.path}%`}`);
}

export async function countActiveChildren(ex: Executor, id: number): Promise<number> {
  const r = await one<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM orgs WHERE parent_id = ${id} AND active`);
  return r?.n ?? 0;
}

export type OrgListFilter = {
  q?: string;
  kind?: OrgKind;
  parentId?: number;
  active: 'true' | 'false' | 'all';
  page: number;
  pageSize: number;
};

/** Search by name, full pinyin or pinyin initials, inside the actor's scope. */
export async function listOrgs(ex: Executor, actor: Actor, districtId: number, f: OrgListFilter) {
  const conds: SQL[] = [orgScopeCondition(actor, districtId)];
  if (f.q) {
    const text = `%${likeEscape(f.q)}%`;
    const key = `%${likeEscape(f.q.toLowerCase().replace(/\s+/g, ''))}%`;
    conds.push(sql`(o.name ILIKE ${text} OR o.name_pinyin LIKE ${key} OR o.name_initials LIKE ${key})`);
  }
  if (f.kind) conds.push(sql`o.kind = ${f.kind}`);
  if (f.parentId) conds.push(sql`o.parent_id = ${f.parentId}`);
  if (f.active !== 'all') conds.push(sql`o.active = ${f.active === 'true'}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM orgs o WHERE ${where}`);
  // Exact and prefix matches first, then the shallow ones: a search for "kqjd" should put 柯桥街道 on top.
  const order = f.q
    ? sql`(o.name = ${f.q} OR o.name_initials = ${f.q.toLowerCase()}) DESC, o.depth, o.name`
    : sql`o.path`;
  const rows = await many<any>(
    ex,
    sql`SELECT ${ORG_COLUMNS}, p.name AS parent_name FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
        WHERE ${where} ORDER BY ${order} LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return {
    total: total?.n ?? 0,
    items: rows.map((r) => ({ ...toOrg(toOrgRow(r)), parentName: r.parent_name ?? null })),
  };
}

export type TreeRow = {
  id: number;
  parent_id: number | null;
  kind: OrgKind;
  name: string;
  hierarchical: boolean;
  active: boolean;
};

/** Every org of the actor's subtree, parents before children. */
export async function listTreeRows(ex: Executor, actor: Actor, districtId: number): Promise<TreeRow[]> {
  return many<TreeRow>(
    ex,
    sql`SELECT o.id, o.parent_id, o.kind, o.name, o.hierarchical, o.active FROM orgs o
        WHERE ${orgScopeCondition(actor, districtId)} ORDER BY o.depth, o.hierarchical DESC, o.id`,
  );
}

export async function listAllianceMembers(ex: Executor, allianceId: number) {
  return many<{ id: number; name: string; kind: OrgKind }>(
    ex,
    sql`SELECT o.id, o.name, o.kind FROM alliance_members m JOIN orgs o ON o.id = m.org_id
        WHERE m.alliance_id = ${allianceId} ORDER BY o.path`,
  );
}

/** Of the given ids, those that are orgs inside the actor's scope in this district. */
export async function filterOrgIdsInScope(ex: Executor, actor: Actor, districtId: number, ids: number[]) {
  if (!ids.length) return [];
  const rows = await many<{ id: number }>(
    ex,
    sql`SELECT o.id FROM orgs o WHERE o.id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) AND ${orgScopeCondition(actor, districtId)}`,
  );
  return rows.map((r) => r.id);
}

export async function replaceAllianceMembers(ex: Executor, allianceId: number, districtId: number, orgIds: number[]) {
  await ex.execute(sql`DELETE FROM alliance_members WHERE alliance_id = ${allianceId}`);
  for (const orgId of orgIds) {
    await ex.execute(
      sql`INSERT INTO alliance_members (alliance_id, org_id, district_id) VALUES (${allianceId}, ${orgId}, ${districtId})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Roll-up counters (table org_rollups, kept on write by the triggers of migration 0013_rollups)
// ---------------------------------------------------------------------------------------------

/** The roll-up sources whose counters the database keeps on write; any other source is summed on read. */
export const MAINTAINED_ROLLUPS: readonly string[] = ['orgs', 'accounts', 'grids', 'people', 'members'];

/** Subtree counters of every org of the actor's subtree: org id → source → count. */
export async function listSubtreeCounters(
  ex: Executor,
  actor: Actor,
  districtId: number,
): Promise<Map<number, Record<string, number>>> {
  const rows = await many<{ org_id: number; source: string; n: number }>(
    ex,
    sql`SELECT r.org_id, r.source, sum(r.subtree)::int AS n FROM org_rollups r JOIN orgs o ON o.id = r.org_id
        WHERE r.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
        GROUP BY r.org_id, r.source`,
  );
  const out = new Map<number, Record<string, number>>();
  for (const r of rows) {
    const counts = out.get(r.org_id) ?? {};
    counts[r.source] = r.n;
    out.set(r.org_id, counts);
  }
  return out;
}

/** Direct counters (attached to the org itself) of one district, per source: the "maintained" view of directCounts. */
export async function listDirectCounters(ex: Executor, districtId: number) {
  return many<{ org_id: number; source: string; direct: number; subtree: number }>(
    ex,
    sql`SELECT org_id, source, sum(direct)::int AS direct, sum(subtree)::int AS subtree FROM org_rollups
        WHERE district_id = ${districtId} GROUP BY org_id, source HAVING sum(direct) <> 0 OR sum(subtree) <> 0`,
  );
}

/**
 * An org and its active children with their subtree counters (what the overview of that org reads): one row per org
 * and source (source null: no counter yet), the org first, then its children in tree order.
 */
export async function listOrgAndChildCounters(ex: Executor, actor: Actor, districtId: number, orgId: number) {
  return many<TreeRow & { path: string; source: string | null; n: number | null }>(
    ex,
    sql`SELECT o.id, o.parent_id, o.kind, o.name, o.hierarchical, o.active, o.path, r.source, sum(r.subtree)::int AS n
        FROM orgs o LEFT JOIN org_rollups r ON r.org_id = o.id
        WHERE ${orgScopeCondition(actor, districtId)} AND (o.id = ${orgId} OR (o.parent_id = ${orgId} AND o.active))
        GROUP BY o.id, r.source
        ORDER BY o.depth, o.hierarchical DESC, o.id`,
  );
}

/** Root counters of every district (the province view of a platform admin): one row per district and source. */
export async function listDistrictRootCounters(ex: Executor) {
  return many<{ district_id: number; district_name: string; org_id: number; source: string; n: number }>(
    ex,
    sql`SELECT d.id AS district_id, d.name AS district_name, o.id AS org_id, r.source, sum(r.subtree)::int AS n
        FROM districts d JOIN orgs o ON o.district_id = d.id AND o.parent_id IS NULL
        JOIN org_rollups r ON r.org_id = o.id
        GROUP BY d.id, d.name, o.id, r.source ORDER BY d.id`,
  );
}
