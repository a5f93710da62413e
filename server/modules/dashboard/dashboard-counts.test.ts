/**
 * The overview's counters kept on write (dashboard_counts and activity_participation, migration 0020): after a
 * random sequence of writes to people, grids, orgs, activities, sign-ups and check-ins — single rows and multi-row
 * statements, withdrawals, re-registrations that keep withdrawn_at, moves between grids and branches, activities
 * moved across the Shanghai new year, sign-ups handed to another person, check-ins removed — every counter equals a
 * recount in TypeScript from the base rows, and equals jw_dash_rebuild()'s recount.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many, one } from '../../db/sql.ts';
import { buildWorld } from '../../test/factories.ts';
import { createTestApp, type TestContext } from '../../test/harness.ts';
import { moveOrgSubtree, type OrgRow } from '../orgs/orgs.repository.ts';
import { rebuildDashboardCounts } from './dashboard-counts.ts';

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

const shanghaiYear = (t: unknown) => new Date(new Date(String(t)).getTime() + 8 * 3600_000).getUTCFullYear();

type Counts = Record<string, number>;

/** The counters as the overview reads them: summed over slots, zeros dropped. */
async function stored(): Promise<{ counts: Counts; participation: Counts }> {
  const db = ctx.database.db;
  const counts: Counts = {};
  for (const r of await many<{ k: string; n: number }>(
    db,
    sql`SELECT concat_ws('|', district_id, source, period, grid_id, org_id) AS k, sum(n)::int AS n
        FROM dashboard_counts GROUP BY 1 HAVING sum(n) <> 0`,
  ))
    counts[r.k] = r.n;
  const participation: Counts = {};
  for (const r of await many<{ k: string; n: number }>(
    db,
    sql`SELECT concat_ws('|', person_id, year) AS k, checkins AS n FROM activity_participation WHERE checkins <> 0`,
  ))
    participation[r.k] = r.n;
  return { counts, participation };
}

/** The same from the base rows, counted in TypeScript (the definitions of migration 0020, written out again). */
async function recount(): Promise<{ counts: Counts; participation: Counts }> {
  const db = ctx.database.db;
  const people = await many<{
    id: number;
    district_id: number;
    status: string;
    withdrawn_at: unknown;
    home_grid_id: number | null;
    branch_org_id: number | null;
    political_status: string;
  }>(db, sql`SELECT id, district_id, status, withdrawn_at, home_grid_id, branch_org_id, political_status FROM people`);
  const checkins = await many<{ person_id: number | null; starts_at: unknown; a_district: number }>(
    db,
    sql`SELECT s.person_id, a.starts_at, a.district_id AS a_district FROM activity_checkins k
        JOIN activity_signups s ON s.id = k.signup_id JOIN activities a ON a.id = s.activity_id`,
  );
  const activities = await many<{ district_id: number; org_id: number; status: string; starts_at: unknown }>(
    db,
    sql`SELECT district_id, org_id, status, starts_at FROM activities`,
  );
  const byId = new Map(people.map((p) => [p.id, p]));
  const counts: Counts = {};
  const add = (key: string, n = 1) => {
    counts[key] = (counts[key] ?? 0) + n;
  };
  const participation: Counts = {};
  for (const k of checkins) {
    const p = k.person_id === null ? undefined : byId.get(k.person_id);
    if (!p || p.district_id !== k.a_district) continue;
    const key = `${p.id}|${shanghaiYear(k.starts_at)}`;
    participation[key] = (participation[key] ?? 0) + 1;
  }
  for (const p of people) {
    if (p.status !== 'registered' || p.withdrawn_at !== null) continue;
    const place = p.home_grid_id !== null ? `${p.home_grid_id}|0` : `0|${p.branch_org_id}`;
    add(`${p.district_id}|youth|0|${place}`);
    if (p.political_status === 'league_member') add(`${p.district_id}|members|0|${place}`);
    for (const [key, n] of Object.entries(participation)) {
      const [person, year] = key.split('|');
      if (Number(person) === p.id && n > 0) add(`${p.district_id}|participants|${year}|${place}`);
    }
  }
  for (const a of activities) {
    if (a.status === 'cancelled') continue;
    const at = `${a.district_id}|%s|${shanghaiYear(a.starts_at)}|0|${a.org_id}`;
    add(at.replace('%s', 'activities'));
    if (a.status === 'summarised' || a.status === 'published') add(at.replace('%s', 'activities_summarised'));
    if (a.status === 'published') add(at.replace('%s', 'activities_published'));
  }
  for (const k of Object.keys(counts)) if (counts[k] === 0) delete counts[k];
  return { counts, participation };
}

describe('dashboard counters maintained on write', () => {
  it('equal a fresh recount after a random sequence of writes', async () => {
    const db = ctx.database.db;
    const rand = rng(20261202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const districts = [world.districtA, world.districtB];
    // One category and plan per district for the activities (their only foreign keys besides the org).
    const plans = new Map<number, { plan: number; category: number }>();
    for (const d of districts) {
      const root = await one<{ id: number }>(
        db,
        sql`SELECT id FROM orgs WHERE district_id = ${d} AND parent_id IS NULL`,
      );
      const category = await one<{ id: number }>(
        db,
        sql`INSERT INTO activity_categories (district_id, name) VALUES (${d}, '随机') RETURNING id`,
      );
      const plan = await one<{ id: number }>(
        db,
        sql`INSERT INTO activity_plans (district_id, org_id, title, purpose, category_id, venue, starts_at, ends_at, capacity)
            VALUES (${d}, ${root!.id}, '随机方案', '测试', ${category!.id}, '阵地', now(), now() + interval '1 hour', 100)
            RETURNING id`,
      );
      plans.set(d, { plan: plan!.id, category: category!.id });
    }
    // Starts around the Shanghai new year (2026-12-31T16:00Z), so a small move changes the year.
    const starts = [
      '2026-03-01T02:00:00Z',
      '2026-12-31T15:30:00Z',
      '2026-12-31T16:30:00Z',
      '2027-06-01T02:00:00Z',
      '2025-12-31T15:59:00Z',
    ];
    const STATUSES = ['open', 'running', 'finished', 'summarised', 'published', 'cancelled'];
    let seq = 0;

    for (let step = 0; step < 200; step++) {
      const d = pick(districts);
      const orgs = await many<OrgRow & { depth: number }>(
        db,
        sql`SELECT id, district_id AS "districtId", parent_id AS "parentId", kind, path, depth, active, hierarchical
            FROM orgs WHERE district_id = ${d}`,
      );
      const grids = await many<{ id: number }>(db, sql`SELECT id FROM grids WHERE district_id = ${d}`);
      const people = await many<{ id: number }>(db, sql`SELECT id FROM people WHERE district_id = ${d} ORDER BY id`);
      const activities = await many<{ id: number }>(db, sql`SELECT id FROM activities WHERE district_id = ${d}`);
      const signups = await many<{ id: number; checked: boolean }>(
        db,
        sql`SELECT s.id, k.id IS NOT NULL AS checked FROM activity_signups s
            LEFT JOIN activity_checkins k ON k.signup_id = s.id WHERE s.district_id = ${d}`,
      );
      const op = Math.floor(rand() * 16);
      seq++;
      if (op === 0) {
        const n = 1 + Math.floor(rand() * 3);
        const values = Array.from(
          { length: n },
          (_, i) => sql`(${d}, ${`G${seq}-${i}`}, ${`网格${seq}-${i}`}, 'grid', ${pick(orgs).id}, ${rand() < 0.8})`,
        );
        await db.execute(
          sql`INSERT INTO grids (district_id, code, name, kind, org_id, active) VALUES ${sql.join(values, sql`, `)}`,
        );
      } else if (op === 1 && grids.length) {
        await db.execute(sql`UPDATE grids SET org_id = ${pick(orgs).id} WHERE id = ${pick(grids).id}`);
      } else if (op === 2) {
        const nonRoot = orgs.filter((o) => o.parentId !== null);
        const org = nonRoot.length ? pick(nonRoot) : undefined;
        const targets = org ? orgs.filter((o) => !o.path.startsWith(org.path) && o.id !== org.parentId) : [];
        if (org && targets.length) await db.transaction((tx) => moveOrgSubtree(tx, org as any, pick(targets) as any));
      } else if (op === 3 || op === 4) {
        const n = 1 + Math.floor(rand() * 15);
        const values = Array.from({ length: n }, () => {
          const inGrid = grids.length > 0 && rand() < 0.6;
          return sql`(${d}, ${`青年${seq}`}, ${rand() < 0.4 ? 'league_member' : 'masses'}, 'other',
                      ${inGrid ? pick(grids).id : null}, ${inGrid && rand() < 0.5 ? null : pick(orgs).id}, 'staff',
                      ${pick(['registered', 'registered', 'registered', 'pending', 'withdrawn'])})`;
        });
        await db.execute(
          sql`INSERT INTO people (district_id, name, political_status, category, home_grid_id, branch_org_id, source, status)
              VALUES ${sql.join(values, sql`, `)}`,
        );
      } else if (op === 5 && people.length) {
        // Withdrawal, and re-registration that keeps withdrawn_at (as the people service does), in bulk.
        const ids = people.filter(() => rand() < 0.2).map((p) => sql`${p.id}`);
        if (ids.length) {
          await db.execute(
            sql`UPDATE people SET status = CASE WHEN status = 'registered' THEN 'withdrawn' ELSE 'registered' END,
                    withdrawn_at = CASE WHEN status = 'registered' THEN now() ELSE withdrawn_at END,
                    political_status = CASE WHEN id % 3 = 0 THEN 'league_member' ELSE political_status END
                WHERE id IN (${sql.join(ids, sql`, `)})`,
          );
        }
      } else if (op === 6 && people.length) {
        const grid = grids.length && rand() < 0.5 ? pick(grids).id : null;
        await db.execute(
          sql`UPDATE people SET home_grid_id = ${grid}, branch_org_id = ${pick(orgs).id},
                  withdrawn_at = CASE WHEN ${rand() < 0.2}::boolean THEN NULL ELSE withdrawn_at END
              WHERE id = ${pick(people).id}`,
        );
      } else if (op === 7 && people.length) {
        // A person without sign-ups leaves the registry for good.
        const free = await many<{ id: number }>(
          db,
          sql`SELECT p.id FROM people p WHERE p.district_id = ${d}
                AND NOT EXISTS (SELECT 1 FROM activity_signups s WHERE s.person_id = p.id) LIMIT 5`,
        );
        if (free.length) await db.execute(sql`DELETE FROM people WHERE id = ${pick(free).id}`);
      } else if (op === 8) {
        const { plan, category } = plans.get(d)!;
        const n = 1 + Math.floor(rand() * 3);
        const values = Array.from({ length: n }, () => {
          const start = pick(starts);
          return sql`(${d}, ${plan}, ${pick(orgs).id}, '随机活动', ${category}, '阵地', ${start}::timestamptz,
                      ${start}::timestamptz + interval '2 hours', 1000, ${start}::timestamptz - interval '9 days',
                      ${start}::timestamptz - interval '1 day', ${pick(STATUSES)})`;
        });
        await db.execute(
          sql`INSERT INTO activities (district_id, plan_id, org_id, title, category_id, venue, starts_at, ends_at, capacity,
                                      signup_opens_at, signup_closes_at, status)
              VALUES ${sql.join(values, sql`, `)}`,
        );
      } else if (op === 9 && activities.length) {
        const a = pick(activities).id;
        const what = rand();
        if (what < 0.4) {
          const start = pick(starts);
          await db.execute(
            sql`UPDATE activities SET starts_at = ${start}::timestamptz, ends_at = ${start}::timestamptz + interval '2 hours',
                    signup_opens_at = ${start}::timestamptz - interval '9 days',
                    signup_closes_at = ${start}::timestamptz - interval '1 day' WHERE id = ${a}`,
          );
        } else if (what < 0.8) {
          await db.execute(sql`UPDATE activities SET status = ${pick(STATUSES)} WHERE id = ${a}`);
        } else if (what < 0.9) {
          await db.execute(sql`UPDATE activities SET org_id = ${pick(orgs).id} WHERE id = ${a}`);
        } else {
          // A seat taken (what every sign-up does): nothing counted changes.
          await db.execute(
            sql`UPDATE activities SET admitted_count = least(admitted_count + 1, capacity) WHERE id = ${a}`,
          );
        }
      } else if ((op === 10 || op === 11) && activities.length) {
        // Sign-ups (some of a person of the other district, some of nobody), most of them checked in at once.
        const others = await many<{ id: number }>(
          db,
          sql`SELECT id FROM people WHERE district_id <> ${d} ORDER BY id LIMIT 3`,
        );
        const n = 1 + Math.floor(rand() * 8);
        const values = Array.from({ length: n }, (_, i) => {
          const r = rand();
          const person =
            r < 0.75 && people.length ? pick(people).id : r < 0.85 && others.length ? pick(others).id : null;
          return sql`(${d}, ${pick(activities).id}, '报名', 'x', ${`phone-${seq}-${i}`}, ${person}, 'admitted', 'online')`;
        });
        const ids = await many<{ id: number }>(
          db,
          sql`INSERT INTO activity_signups (district_id, activity_id, name, phone_enc, phone_idx, person_id, status, source)
              VALUES ${sql.join(values, sql`, `)} RETURNING id`,
        );
        const checked = ids.filter(() => rand() < 0.8);
        if (checked.length) {
          await db.execute(
            sql`INSERT INTO activity_checkins (district_id, activity_id, signup_id, method)
                SELECT s.district_id, s.activity_id, s.id, 'staff' FROM activity_signups s
                WHERE s.id IN (${sql.join(
                  checked.map((c) => sql`${c.id}`),
                  sql`, `,
                )})`,
          );
        }
      } else if (op === 12 && signups.length) {
        const unchecked = signups.filter((s) => !s.checked);
        if (unchecked.length) {
          const s = pick(unchecked).id;
          await db.execute(
            sql`INSERT INTO activity_checkins (district_id, activity_id, signup_id, method)
                SELECT district_id, activity_id, id, 'qr' FROM activity_signups WHERE id = ${s}`,
          );
        }
      } else if (op === 13 && signups.length) {
        const checked = signups.filter((s) => s.checked);
        if (checked.length) await db.execute(sql`DELETE FROM activity_checkins WHERE signup_id = ${pick(checked).id}`);
      } else if (op === 14 && signups.length && people.length) {
        // A sign-up linked to another person (or unlinked), and a cancellation (nothing counted changes).
        const s = pick(signups).id;
        if (rand() < 0.7) {
          const person = rand() < 0.8 ? pick(people).id : null;
          await db.execute(sql`UPDATE activity_signups SET person_id = ${person} WHERE id = ${s}`);
        } else {
          await db.execute(sql`UPDATE activity_signups SET status = 'cancelled', cancelled_at = now() WHERE id = ${s}`);
        }
      } else if (op === 15 && signups.length) {
        // A sign-up without a check-in is removed.
        const unchecked = signups.filter((s) => !s.checked);
        if (unchecked.length) await db.execute(sql`DELETE FROM activity_signups WHERE id = ${pick(unchecked).id}`);
      }
    }

    const fresh = await recount();
    const kept = await stored();
    expect(kept.participation).toEqual(fresh.participation);
    expect(kept.counts).toEqual(fresh.counts);
    // Enough happened for the comparison to mean something.
    const sources = new Set(Object.keys(fresh.counts).map((k) => k.split('|')[1]));
    expect([...sources].sort()).toEqual([
      'activities',
      'activities_published',
      'activities_summarised',
      'members',
      'participants',
      'youth',
    ]);
    expect(Object.keys(fresh.participation).length).toBeGreaterThan(20);
    const years = new Set(Object.keys(fresh.participation).map((k) => k.split('|')[1]));
    expect(years.size).toBeGreaterThanOrEqual(3);

    // jw_dash_rebuild() (after bulk loads) counts the same.
    await rebuildDashboardCounts(db);
    const rebuilt = await stored();
    expect(rebuilt.participation).toEqual(fresh.participation);
    expect(rebuilt.counts).toEqual(fresh.counts);
    // …and so does a rebuild of one district, leaving the other as it is.
    await rebuildDashboardCounts(db, world.districtA);
    expect((await stored()).counts).toEqual(fresh.counts);
  });
});
