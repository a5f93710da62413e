import { sql } from 'drizzle-orm';
import type { Executor } from '../db/sql.ts';
import { many } from '../db/sql.ts';
import type { seededRandom } from './demo.ts';

/**
 * Helpers of the demo's activity, order and notice data: set-based inserts (one INSERT … SELECT over
 * jsonb_to_recordset per few thousand rows), ids drawn from the tables' own sequences (so rows can
 * refer to each other before they are written, and timelines keep their order), and instants on the
 * Shanghai clock relative to the seed time.
 */

export type Rand = ReturnType<typeof seededRandom>;

const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** `n` fresh ids of a table's serial/bigserial id column, in ascending order. */
export async function allocIds(ex: Executor, table: string, n: number): Promise<number[]> {
  if (n <= 0) return [];
  const rows = await many<{ id: number | string }>(
    ex,
    sql`SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::bigint AS id FROM generate_series(1, ${n})`,
  );
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Column of a bulk insert: name and PostgreSQL type (both from the seed's own constants, never input). */
export type Column = readonly [name: string, type: string];

/**
 * INSERT INTO table (columns) SELECT … FROM jsonb_to_recordset(rows) — one statement per chunk.
 * Rows are objects keyed by column name; missing keys are NULL.
 */
export async function bulkInsert(
  ex: Executor,
  table: string,
  columns: readonly Column[],
  rows: readonly Record<string, unknown>[],
  chunk = 4000,
): Promise<void> {
  if (!/^[a-z_]+$/.test(table) || columns.some(([n, t]) => !/^[a-z_]+$/.test(n) || !/^[a-z0-9_ ()[\],]+$/i.test(t)))
    throw new Error(`bulkInsert: bad identifier for ${table}`);
  const names = columns.map(([n]) => n).join(', ');
  const defs = columns.map(([n, t]) => `${n} ${t}`).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await ex.execute(
      sql`INSERT INTO ${sql.raw(table)} (${sql.raw(names)})
          SELECT ${sql.raw(names)} FROM jsonb_to_recordset(${JSON.stringify(part)}::jsonb) AS x(${sql.raw(defs)})`,
    );
  }
}

/** The seed's clock: `at(days, hour, minute)` is that Shanghai wall-clock time `days` from today. */
export function shanghaiClock(now: Date) {
  const local = new Date(now.getTime() + 8 * HOUR);
  const midnightUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - 8 * HOUR;
  return {
    now,
    at: (days: number, hour = 9, minute = 0) => new Date(midnightUtc + days * DAY + hour * HOUR + minute * 60_000),
    plusHours: (d: Date, hours: number) => new Date(d.getTime() + hours * HOUR),
    /** the earlier of `d` and a minute before now (nothing in the history lies in the future) */
    past: (d: Date) => new Date(Math.min(d.getTime(), now.getTime() - 60_000)),
  };
}

/** Splits `total` over `weights` in proportion (largest remainders), exactly summing to `total`. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = total - out.reduce((s, n) => s + n, 0);
  for (let k = 0; k < missing; k++) out[order[k % order.length][1]]++;
  return out;
}

/** Fisher–Yates with the seeded generator. */
export function shuffle<T>(rand: Rand, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand.next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** `k` distinct items of `items` (all of them when k ≥ length), in random order. */
export function sample<T>(rand: Rand, items: readonly T[], k: number): T[] {
  if (k >= items.length) return shuffle(rand, [...items]);
  const picked = new Set<number>();
  const out: T[] = [];
  while (out.length < k) {
    const i = Math.floor(rand.next() * items.length);
    if (!picked.has(i)) {
      picked.add(i);
      out.push(items[i]);
    }
  }
  return out;
}

/** One of `values` by `weights`. */
export function weighted<T>(rand: Rand, values: readonly T[], weights: readonly number[]): T {
  const sum = weights.reduce((s, w) => s + w, 0);
  let x = rand.next() * sum;
  for (let i = 0; i < values.length; i++) {
    x -= weights[i];
    if (x < 0) return values[i];
  }
  return values[values.length - 1];
}

export const iso = (d: Date) => d.toISOString();

// ── the seeded district as the data seeds need it ───────────────────────────────────────────

export type WorldOrg = {
  id: number;
  parentId: number | null;
  depth: number;
  kind: string;
  path: string;
  name: string;
  /** the town (depth-1 org) above or equal to it; null for the root and orgs hanging off the root */
  townId: number | null;
};
export type WorldGrid = { id: number; orgId: number; name: string; leaderAccountId: number | null };
export type World = {
  districtId: number;
  root: WorldOrg;
  orgs: WorldOrg[];
  orgById: Map<number, WorldOrg>;
  towns: WorldOrg[];
  villages: WorldOrg[];
  grids: WorldGrid[];
  gridsByOrg: Map<number, WorldGrid[]>;
  /** the district admin */
  adminId: number;
  /** the org_admin account of each town (by town id) */
  townAdmin: Map<number, number>;
  /** registered youth: ids, placing org (home grid's org, else branch), home grid; only those with a phone when `withPhones` */
  people: { id: number; orgId: number; gridId: number | null }[];
  allPeople: number[];
  peopleByOrg: Map<number, number[]>;
  peopleByTown: Map<number, number[]>;
  peopleByGrid: Map<number, number[]>;
};

/** Reads the orgs, grids, cadre accounts and registered youth the demo seeded. */
export async function loadWorld(ex: Executor, districtId: number, withPhones: boolean): Promise<World> {
  const orgRows = await many<any>(
    ex,
    sql`SELECT id, parent_id, depth, kind, path, name FROM orgs WHERE district_id = ${districtId} AND active ORDER BY id`,
  );
  const orgs: WorldOrg[] = orgRows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    depth: r.depth,
    kind: r.kind,
    path: r.path,
    name: r.name,
    townId: null,
  }));
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const root = orgs.find((o) => o.parentId === null)!;
  const towns = orgs.filter((o) => o.depth === 1 && (o.kind === 'town_committee' || o.kind === 'devzone_committee'));
  const townIds = new Set(towns.map((t) => t.id));
  for (const o of orgs) {
    let cur: WorldOrg | undefined = o;
    while (cur && !townIds.has(cur.id)) cur = cur.parentId === null ? undefined : orgById.get(cur.parentId);
    o.townId = cur?.id ?? null;
  }
  const villages = orgs.filter((o) => o.kind === 'village_branch' || o.kind === 'community_branch');
  const grids = (
    await many<any>(
      ex,
      sql`SELECT id, org_id, name, leader_account_id FROM grids WHERE district_id = ${districtId} AND active ORDER BY id`,
    )
  ).map((r) => ({ id: r.id, orgId: r.org_id, name: r.name, leaderAccountId: r.leader_account_id }));
  const gridsByOrg = new Map<number, WorldGrid[]>();
  for (const g of grids) gridsByOrg.set(g.orgId, [...(gridsByOrg.get(g.orgId) ?? []), g]);
  const accounts = await many<{ id: number; org_id: number; role: string; username: string }>(
    ex,
    sql`SELECT id, org_id, role, username FROM accounts WHERE district_id = ${districtId} AND active
          AND role IN ('district_admin', 'org_admin') ORDER BY id`,
  );
  const adminId = (accounts.find((a) => a.role === 'district_admin' && a.username === 'admin') ??
    accounts.find((a) => a.role === 'district_admin'))!.id;
  const townAdmin = new Map<number, number>();
  for (const a of accounts) if (a.role === 'org_admin' && townIds.has(a.org_id)) townAdmin.set(a.org_id, a.id);
  const people = (
    await many<any>(
      ex,
      sql`SELECT p.id, COALESCE(g.org_id, p.branch_org_id) AS org_id, p.home_grid_id
          FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
          WHERE p.district_id = ${districtId} AND p.status = 'registered' AND p.withdrawn_at IS NULL
            AND COALESCE(g.org_id, p.branch_org_id) IS NOT NULL
            ${withPhones ? sql`AND p.phone_idx IS NOT NULL AND p.phone_enc IS NOT NULL` : sql``}
          ORDER BY p.id`,
    )
  ).map((r) => ({ id: r.id as number, orgId: r.org_id as number, gridId: (r.home_grid_id ?? null) as number | null }));
  const peopleByOrg = new Map<number, number[]>();
  const peopleByTown = new Map<number, number[]>();
  const peopleByGrid = new Map<number, number[]>();
  const push = (m: Map<number, number[]>, k: number, v: number) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const p of people) {
    push(peopleByOrg, p.orgId, p.id);
    const town = orgById.get(p.orgId)?.townId;
    if (town) push(peopleByTown, town, p.id);
    if (p.gridId) push(peopleByGrid, p.gridId, p.id);
  }
  return {
    districtId,
    root,
    orgs,
    orgById,
    towns,
    villages,
    grids,
    gridsByOrg,
    adminId,
    townAdmin,
    people,
    allPeople: people.map((p) => p.id),
    peopleByOrg,
    peopleByTown,
    peopleByGrid,
  };
}

/** The youth living near an org: its own (village), its town's (town or orgs inside a town), else everybody. */
export function poolOf(world: World, org: WorldOrg): number[] {
  if (org.kind === 'village_branch' || org.kind === 'community_branch') {
    const own = world.peopleByOrg.get(org.id) ?? [];
    if (own.length >= 10 || org.townId === null) return own;
  }
  if (org.townId !== null) return world.peopleByTown.get(org.townId) ?? [];
  return world.allPeople;
}

/** The cadre acting for an org: its town's admin, else the district admin. */
export function actorOf(world: World, org: WorldOrg): number {
  return (org.townId !== null ? world.townAdmin.get(org.townId) : undefined) ?? world.adminId;
}

/** Short place name of an org for titles: 柯桥街道团工委 → 柯桥街道, 梅湖村团总支 → 梅湖村. */
export function placeOf(org: WorldOrg): string {
  return org.name.replace(/(团工委|团委|团总支)$/, '');
}
