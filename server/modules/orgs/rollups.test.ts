/**
 * Roll-up counters kept on write (org_rollups, migration 0013): after a random sequence of writes to orgs,
 * accounts, grids and people — single rows and multi-row statements, moves, deactivations, deletions — every
 * org's direct and subtree counters equal a fresh recount from the base tables, and the tree endpoint answers them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgTreeNode } from '../../../domain/org.ts';
import { many, one } from '../../db/sql.ts';
import { buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { getRollupSources } from './org-extensions.ts';
import { insertOrg, listDirectCounters, moveOrgSubtree, type OrgRow } from './orgs.repository.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
});
afterAll(() => ctx?.close());

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Counts = Map<string, number>; // `${orgId}:${source}` → n

/** Fresh recount: the registered sources' own per-org counts (what the tree summed on read before) plus orgs. */
async function recount(districtId: number): Promise<{ direct: Counts; subtree: Counts }> {
  const orgs = await many<{ id: number; path: string; active: boolean }>(
    ctx.database.db,
    sql`SELECT id, path, active FROM orgs WHERE district_id = ${districtId}`,
  );
  const direct: Counts = new Map();
  const subtree: Counts = new Map();
  const add = (orgId: number, source: string, n: number) => {
    if (!n) return;
    const org = orgs.find((o) => o.id === orgId)!;
    direct.set(`${orgId}:${source}`, (direct.get(`${orgId}:${source}`) ?? 0) + n);
    for (const a of org.path.split('/').filter(Boolean)) {
      subtree.set(`${a}:${source}`, (subtree.get(`${a}:${source}`) ?? 0) + n);
    }
  };
  for (const o of orgs) add(o.id, 'orgs', o.active ? 1 : 0);
  for (const s of getRollupSources()) {
    for (const [orgId, n] of await s.directCounts(ctx.database.db, districtId)) add(orgId, s.key, n);
  }
  return { direct, subtree };
}

async function stored(districtId: number): Promise<{ direct: Counts; subtree: Counts }> {
  const direct: Counts = new Map();
  const subtree: Counts = new Map();
  for (const r of await listDirectCounters(ctx.database.db, districtId)) {
    if (r.direct) direct.set(`${r.org_id}:${r.source}`, r.direct);
    if (r.subtree) subtree.set(`${r.org_id}:${r.source}`, r.subtree);
  }
  return { direct, subtree };
}

const sorted = (m: Counts) => Object.fromEntries([...m.entries()].sort());

describe('roll-up counters maintained on write', () => {
  it('equal a fresh recount after a random sequence of writes', async () => {
    const db = ctx.database.db;
    const rand = rng(20261201);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const districts = [world.districtA, world.districtB];
    let seq = 0;

    const orgsOf = (d: number) =>
      many<OrgRow & { depth: number }>(
        db,
        sql`SELECT id, district_id AS "districtId", parent_id AS "parentId", kind, path, depth, active, hierarchical
            FROM orgs WHERE district_id = ${d}`,
      );
    const gridsOf = (d: number) =>
      many<{ id: number; org_id: number; active: boolean }>(
        db,
        sql`SELECT id, org_id, active FROM grids WHERE district_id = ${d}`,
      );
    const peopleOf = (d: number) =>
      many<{ id: number }>(db, sql`SELECT id FROM people WHERE district_id = ${d} ORDER BY id`);

    for (let step = 0; step < 160; step++) {
      const d = pick(districts);
      const orgs = await orgsOf(d);
      const nonRoot = orgs.filter((o) => o.parentId !== null);
      const grids = await gridsOf(d);
      const op = Math.floor(rand() * 12);
      seq++;
      if (op === 0) {
        const parent = pick(orgs.filter((o) => o.hierarchical));
        await insertOrg(db, {
          districtId: d,
          parent: parent as any,
          kind: 'village_branch',
          name: `随机${seq}`,
          hierarchical: true,
        });
      } else if (op === 1 && nonRoot.length) {
        const org = pick(nonRoot);
        const targets = orgs.filter((o) => !o.path.startsWith(org.path) && o.id !== org.parentId);
        if (targets.length) {
          const to = pick(targets);
          await db.transaction((tx) => moveOrgSubtree(tx, org as any, to as any));
        }
      } else if (op === 2 && nonRoot.length) {
        await db.execute(sql`UPDATE orgs SET active = NOT active WHERE id = ${pick(nonRoot).id}`);
      } else if (op === 3) {
        const n = 1 + Math.floor(rand() * 3);
        const values = Array.from(
          { length: n },
          (_, i) => sql`(${d}, ${`G${seq}-${i}`}, ${`网格${seq}-${i}`}, 'grid', ${pick(orgs).id}, ${rand() < 0.8})`,
        );
        await db.execute(
          sql`INSERT INTO grids (district_id, code, name, kind, org_id, active) VALUES ${sql.join(values, sql`, `)}`,
        );
      } else if (op === 4 && grids.length) {
        await db.execute(sql`UPDATE grids SET org_id = ${pick(orgs).id} WHERE id = ${pick(grids).id}`);
      } else if (op === 5 && grids.length) {
        await db.execute(sql`UPDATE grids SET active = NOT active WHERE id = ${pick(grids).id}`);
      } else if (op === 6 || op === 7) {
        const n = 1 + Math.floor(rand() * 20);
        const values = Array.from({ length: n }, () => {
          const inGrid = grids.length > 0 && rand() < 0.6;
          return sql`(${d}, ${`青年${seq}`}, ${rand() < 0.4 ? 'league_member' : 'mass'}, 'other',
                      ${inGrid ? pick(grids).id : null}, ${inGrid && rand() < 0.5 ? null : pick(orgs).id}, 'staff',
                      ${pick(['registered', 'registered', 'pending', 'withdrawn'])})`;
        });
        await db.execute(
          sql`INSERT INTO people (district_id, name, political_status, category, home_grid_id, branch_org_id, source, status)
              VALUES ${sql.join(values, sql`, `)}`,
        );
      } else if (op === 8) {
        const people = await peopleOf(d);
        if (people.length) {
          const ids = people.filter(() => rand() < 0.2).map((p) => p.id);
          if (ids.length) {
            await db.execute(
              sql`UPDATE people SET status = CASE WHEN status = 'registered' THEN 'withdrawn' ELSE 'registered' END,
                      political_status = CASE WHEN id % 3 = 0 THEN 'league_member' ELSE political_status END
                  WHERE id IN (${sql.join(
                    ids.map((i) => sql`${i}`),
                    sql`, `,
                  )})`,
            );
          }
        }
      } else if (op === 9) {
        const people = await peopleOf(d);
        if (people.length) {
          const p = pick(people);
          const grid = grids.length && rand() < 0.5 ? pick(grids).id : null;
          await db.execute(
            sql`UPDATE people SET home_grid_id = ${grid}, branch_org_id = ${pick(orgs).id} WHERE id = ${p.id}`,
          );
          if (rand() < 0.3) {
            await db.execute(sql`DELETE FROM person_circles WHERE person_id = ${p.id}`);
            await db.execute(sql`DELETE FROM people WHERE id = ${p.id}`);
          }
        }
      } else if (op === 10) {
        await db.execute(
          sql`INSERT INTO accounts (username, display_name, role, password_hash, org_id, district_id, active)
              VALUES (${`acct${seq}`}, ${`账号${seq}`}, 'org_admin', 'x', ${pick(orgs).id}, ${d}, ${rand() < 0.8})`,
        );
      } else if (op === 11) {
        const accounts = await many<{ id: number }>(
          db,
          sql`SELECT id FROM accounts WHERE district_id = ${d} AND username LIKE 'acct%'`,
        );
        if (accounts.length) {
          const a = pick(accounts);
          if (rand() < 0.5) await db.execute(sql`UPDATE accounts SET active = NOT active WHERE id = ${a.id}`);
          else await db.execute(sql`UPDATE accounts SET org_id = ${pick(orgs).id} WHERE id = ${a.id}`);
        }
      }
    }

    for (const d of districts) {
      const fresh = await recount(d);
      const kept = await stored(d);
      expect(sorted(kept.direct)).toEqual(sorted(fresh.direct));
      expect(sorted(kept.subtree)).toEqual(sorted(fresh.subtree));
    }
    // Enough happened for the comparison to mean something.
    const total = await one<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM people`);
    expect(total!.n).toBeGreaterThan(50);

    // A full rebuild from the base tables gives the same counters.
    const before = await stored(world.districtA);
    await db.execute(sql`SELECT jw_rollup_rebuild()`);
    const after = await stored(world.districtA);
    expect(sorted(after.subtree)).toEqual(sorted(before.subtree));
    expect(sorted(after.direct)).toEqual(sorted(before.direct));

    // The tree endpoint reads them.
    const admin = new Client(ctx.app);
    await admin.login('admin_a', PASSWORD);
    const res = await admin.get('/api/orgs/tree');
    expect(res.statusCode).toBe(200);
    const root: OrgTreeNode = res.json().roots[0];
    const fresh = await recount(world.districtA);
    for (const key of ['orgs', 'accounts', 'grids', 'people', 'members']) {
      expect(root.counts[key]).toBe(fresh.subtree.get(`${root.id}:${key}`) ?? 0);
    }

    // The province view (platform admins): every district's root counters and their sum.
    const platform = new Client(ctx.app);
    await platform.login('platform', PASSWORD);
    const province = await platform.get('/api/orgs/rollups/districts');
    expect(province.statusCode).toBe(200);
    let people = 0;
    for (const d of [world.districtA, world.districtB]) {
      const entry = province.json().districts.find((x: { districtId: number }) => x.districtId === d);
      const recounted = await recount(d);
      expect(entry.counts.people).toBe(recounted.subtree.get(`${entry.rootOrgId}:people`) ?? 0);
      expect(entry.counts.grids).toBe(recounted.subtree.get(`${entry.rootOrgId}:grids`) ?? 0);
      people += entry.counts.people;
    }
    expect(province.json().totals.people).toBe(people);
    expect((await admin.get('/api/orgs/rollups/districts')).statusCode).toBe(403);
  });
});
