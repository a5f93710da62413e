import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many, one } from '../../db/sql.ts';
import { addPerson, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { buildPeopleWorld, tempDataDir } from '../people/people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildPeopleWorld(ctx.database);
  // People in both towns (some pending: not counted as registered youth anywhere).
  for (let i = 0; i < 3; i++) await addPerson(ctx.database, world.v1, `东${i}`);
  await addPerson(ctx.database, world.v1, '东待', 'pending');
  for (let i = 0; i < 2; i++) await addPerson(ctx.database, world.v2, `西${i}`);
  for (const name of ['admin_a', 'admin_b', 't1_admin', 'v1_youth']) {
    clients[name] = new Client(ctx.app);
    await clients[name].login(name, PASSWORD);
  }
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard overview', () => {
  it('totals and per-town figures equal what the detailed lists show', async () => {
    const res = await as('admin_a').get(`/api/dashboard/overview?orgId=${world.rootA.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    expect(o.org.id).toBe(world.rootA.id);
    expect(o.children.map((c: any) => c.id).sort()).toEqual([world.t1.id, world.t2.id].sort());

    const people = await as('admin_a').get(`/api/people?orgId=${world.rootA.id}&status=registered&pageSize=1`);
    expect(o.totals.people).toBe(people.json().total);
    expect(o.totals.people).toBe(5);
    const grids = await as('admin_a').get(`/api/grids?orgId=${world.rootA.id}&pageSize=1`);
    expect(o.totals.grids).toBe(grids.json().total);
    expect(o.grids.grids).toBe(grids.json().total);

    for (const town of [world.t1, world.t2]) {
      const child = o.children.find((c: any) => c.id === town.id);
      const list = await as('admin_a').get(`/api/people?orgId=${town.id}&status=registered&pageSize=1`);
      expect(child.counts.people).toBe(list.json().total);
      const townGrids = await as('admin_a').get(`/api/grids?orgId=${town.id}&pageSize=1`);
      expect(child.grids.grids).toBe(townGrids.json().total);
    }
    expect(o.children.find((c: any) => c.id === world.t1.id).counts.people).toBe(3);
  });

  it('a town admin sees his town by default and nothing outside it', async () => {
    const own = await as('t1_admin').get('/api/dashboard/overview');
    expect(own.statusCode).toBe(200);
    expect(own.json().org.id).toBe(world.t1.id);
    expect(own.json().totals.people).toBe(3);
    expect((await as('t1_admin').get(`/api/dashboard/overview?orgId=${world.t2.id}`)).statusCode).toBe(404);
    expect((await as('t1_admin').get(`/api/dashboard/overview?orgId=${world.rootA.id}`)).statusCode).toBe(404);
    expect((await as('admin_b').get(`/api/dashboard/overview?orgId=${world.t1.id}`)).statusCode).toBe(404);
    expect((await as('v1_youth').get('/api/dashboard/overview')).statusCode).toBe(403);
  });
});

/** This Shanghai year as the overview counts it, [from, to). */
function thisYear() {
  const y = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  return { y, from: `${y}-01-01T00:00:00+08:00`, to: `${y + 1}-01-01T00:00:00+08:00` };
}

/**
 * Every figure of the overview that is read from counters kept on write (dashboard_counts) against the detailed
 * page that computes it on read: the grid statistics (GET /api/grids/stats) of the district and each town, the
 * participation rate (GET /api/activity-figures/participation) of the district and each town, and the activities of
 * the year (GET /api/activities, counted by hand) — plus the tree's counters.
 */
async function expectOverviewEqualsPages() {
  const admin = as('admin_a');
  const o = (await admin.get(`/api/dashboard/overview?orgId=${world.rootA.id}`)).json();
  const stats = (await admin.get(`/api/grids/stats?orgId=${world.rootA.id}`)).json();
  expect(o.grids).toEqual(stats.total);
  for (const c of o.children) {
    const { orgId: _i, orgName: _n, orgKind: _k, ...g } = stats.children.find((x: any) => x.orgId === c.id);
    expect(c.grids).toEqual(g);
  }
  const tree = (await admin.get('/api/orgs/tree')).json();
  const root = tree.roots.find((r: any) => r.id === world.rootA.id);
  expect(o.totals).toEqual(root.counts);
  for (const c of o.children) expect(c.counts).toEqual(root.children.find((x: any) => x.id === c.id).counts);

  const { from, to } = thisYear();
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const part = (await admin.get(`/api/activity-figures/participation?orgId=${world.rootA.id}&${range}`)).json();
  const section = o.sections.find((s: any) => s.key === 'activities');
  expect(section.values.participationRate).toBe(part.total.rate);
  for (const town of [world.t1, world.t2]) {
    const t = part.towns.find((x: any) => x.id === town.id);
    expect(section.byChild[String(town.id)].participationRate).toBe(t?.rate ?? 0);
  }
  const acts = (await admin.get('/api/activities')).json().items as any[];
  const towns = new Map([
    [world.t1.id, world.t1.id],
    [world.v1.id, world.t1.id],
    [world.t2.id, world.t2.id],
    [world.v2.id, world.t2.id],
  ]);
  const held = acts.filter(
    (a) =>
      a.status !== 'cancelled' && Date.parse(a.startsAt) >= Date.parse(from) && Date.parse(a.startsAt) < Date.parse(to),
  );
  const figures = (list: any[]) => ({
    activities: list.length,
    summarised: list.filter((a) => a.status === 'summarised' || a.status === 'published').length,
    published: list.filter((a) => a.status === 'published').length,
  });
  expect(section.values).toMatchObject(figures(held));
  for (const town of [world.t1, world.t2])
    expect(section.byChild[String(town.id)]).toMatchObject(
      figures(held.filter((a) => towns.get(a.org.id) === town.id)),
    );
  return { o, part, section };
}

describe('overview figures from counters kept on write', () => {
  it('equal the grid statistics, the participation page and the activity list, before and after writes', async () => {
    const db = ctx.database.db;
    const admin = as('admin_a');
    const { y } = thisYear();
    // Youth in grids: four in g1 (town T1, one a League member), two in g2 (T2); g1 gets a venue and a project.
    const youth: number[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await addPerson(ctx.database, i < 4 ? world.v1 : world.v2, `格${i}`);
      const res = await admin.patch(`/api/people/${id}`, {
        homeGridId: i < 4 ? world.g1 : world.g2,
        ...(i === 0 ? { politicalStatus: 'league_member' } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
      youth.push(id);
    }
    expect(
      (await admin.patch(`/api/grids/${world.g1}`, { venue: '村青年之家', serviceProject: '四点半课堂' })).statusCode,
    ).toBe(200);

    // This year's activities (and one of last year, one cancelled) with sign-ups and check-ins, as the pipeline
    // leaves them.
    const category = await one<{ id: number }>(
      db,
      sql`INSERT INTO activity_categories (district_id, name) VALUES (${world.districtA}, '测试') RETURNING id`,
    );
    const plan = await one<{ id: number }>(
      db,
      sql`INSERT INTO activity_plans (district_id, org_id, title, purpose, category_id, venue, starts_at, ends_at, capacity, status)
          VALUES (${world.districtA}, ${world.t1.id}, '方案', '测试', ${category!.id}, '阵地', now(), now() + interval '1 hour', 50, 'approved')
          RETURNING id`,
    );
    const activity = async (org: number, start: string, status: string) =>
      (await one<{ id: number }>(
        db,
        sql`INSERT INTO activities (district_id, plan_id, org_id, title, category_id, venue, starts_at, ends_at, capacity,
                                    signup_opens_at, signup_closes_at, status)
            VALUES (${world.districtA}, ${plan!.id}, ${org}, '活动', ${category!.id}, '阵地', ${start}::timestamptz,
                    ${start}::timestamptz + interval '2 hours', 50, ${start}::timestamptz - interval '9 days',
                    ${start}::timestamptz - interval '1 day', ${status})
            RETURNING id`,
      ))!.id;
    const a1 = await activity(world.v1.id, `${y}-03-01T10:00:00+08:00`, 'published');
    const a2 = await activity(world.t2.id, `${y}-05-01T10:00:00+08:00`, 'summarised');
    const a3 = await activity(world.v2.id, `${y}-06-01T10:00:00+08:00`, 'finished');
    await activity(world.v1.id, `${y - 1}-12-31T23:30:00+08:00`, 'published');
    await activity(world.v1.id, `${y}-07-01T10:00:00+08:00`, 'cancelled');
    const checkIn = async (activityId: number, personId: number) => {
      const s = await one<{ id: number }>(
        db,
        sql`INSERT INTO activity_signups (district_id, activity_id, name, phone_enc, phone_idx, person_id, status, source)
            VALUES (${world.districtA}, ${activityId}, '报名', 'x', ${`p-${activityId}-${personId}`}, ${personId}, 'admitted', 'online')
            RETURNING id`,
      );
      await db.execute(
        sql`INSERT INTO activity_checkins (district_id, activity_id, signup_id, method)
            VALUES (${world.districtA}, ${activityId}, ${s!.id}, 'qr')`,
      );
    };
    await checkIn(a1, youth[0]);
    await checkIn(a1, youth[1]);
    await checkIn(a2, youth[1]); // twice this year: still one participant
    await checkIn(a3, youth[4]);

    const before = await expectOverviewEqualsPages();
    // Not vacuous: 11 registered youth (5 by branch, 6 in grids), 3 took part; T1 2 of 7, T2 1 of 4.
    expect(before.part.total).toEqual({ registered: 11, participants: 3, rate: 27.3 });
    expect(before.section.values).toEqual({ activities: 3, summarised: 2, published: 1, participationRate: 27.3 });
    expect(before.section.byChild[String(world.t1.id)].participationRate).toBe(28.6);
    expect(before.o.grids.youth).toBe(6);

    // Writes: a participant withdraws consent; another moves to a grid of the other town; g2 is handed to T1's
    // village; a withdrawn person is registered again (withdrawn_at stays, as re-registration leaves it); an
    // activity moves to next year and another is cancelled.
    expect((await admin.post(`/api/people/${youth[0]}/withdraw-consent`)).statusCode).toBe(200);
    expect((await admin.patch(`/api/people/${youth[1]}`, { homeGridId: world.g2 })).statusCode).toBe(200);
    expect((await admin.patch(`/api/grids/${world.g2}`, { orgId: world.v1.id })).statusCode).toBe(200);
    await db.execute(sql`UPDATE people SET status = 'registered' WHERE id = ${youth[0]}`);
    await db.execute(
      sql`UPDATE activities SET starts_at = ${`${y + 1}-01-01T00:30:00+08:00`}::timestamptz,
              ends_at = ${`${y + 1}-01-01T02:30:00+08:00`}::timestamptz,
              signup_opens_at = ${`${y}-12-20T00:00:00+08:00`}::timestamptz,
              signup_closes_at = ${`${y}-12-31T00:00:00+08:00`}::timestamptz WHERE id = ${a3}`,
    );
    await db.execute(sql`UPDATE activities SET status = 'cancelled' WHERE id = ${a2}`);
    const after = await expectOverviewEqualsPages();
    // youth[0] (registered again but withdrawn_at kept) is not counted; youth[1] still took part (a1), now under
    // T1 by g2's new org; youth[4]'s activity left the year.
    expect(after.part.total).toEqual({ registered: 10, participants: 1, rate: 10 });
    expect(after.section.values).toEqual({ activities: 1, summarised: 1, published: 1, participationRate: 10 });
    const counted = await many<{ n: number }>(
      db,
      sql`SELECT sum(n)::int AS n FROM dashboard_counts WHERE district_id = ${world.districtA} AND source = 'youth'`,
    );
    expect(counted[0].n).toBe(10);
  });
});
