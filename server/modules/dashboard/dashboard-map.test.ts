import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { niceStep, numericLegend } from '../../../domain/dashboard.ts';
import { one } from '../../db/sql.ts';
import { addAccount, addGrid, addPerson, buildWorld, PASSWORD, squareBoundary } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

/**
 * The dashboard's grid map: per-grid values of a chosen metric for the viewer's scope, equal to the
 * grid list, the participation figures and the records behind them; the legend's classes; and the
 * activities module's ranking metrics (participation rate, activities held) with their drill-down.
 */

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];
const grids = {} as Record<'na' | 'nb' | 'sc', number>;
const people: number[] = [];

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** An activity of `orgId` naming `gridIds`, started half an hour ago, with check-ins of `attendees`. */
async function addActivity(orgId: number, gridIds: number[], status: string, attendees: number[]) {
  const db = ctx.database.db;
  const category = await one<{ id: number }>(
    db,
    sql`SELECT id FROM activity_categories WHERE district_id = ${world.districtA} ORDER BY id LIMIT 1`,
  );
  const categoryId =
    category?.id ??
    (await one<{ id: number }>(
      db,
      sql`INSERT INTO activity_categories (district_id, name) VALUES (${world.districtA}, '社会民生') RETURNING id`,
    ))!.id;
  const ids = sql`${`{${gridIds.join(',')}}`}::int[]`;
  const plan = await one<{ id: number }>(
    db,
    sql`INSERT INTO activity_plans (district_id, org_id, title, purpose, category_id, grid_ids, venue, starts_at, ends_at, capacity, status)
        VALUES (${world.districtA}, ${orgId}, '方案', '目的', ${categoryId}, ${ids}, '礼堂', ${ago(30)}, ${ago(-60)}, 50, 'approved')
        RETURNING id`,
  );
  const act = await one<{ id: number }>(
    db,
    sql`INSERT INTO activities (district_id, plan_id, org_id, title, category_id, grid_ids, venue, starts_at, ends_at, capacity,
                                signup_opens_at, signup_closes_at, status)
        VALUES (${world.districtA}, ${plan!.id}, ${orgId}, ${`活动${status}`}, ${categoryId}, ${ids}, '礼堂', ${ago(30)},
                ${ago(-60)}, 50, ${ago(600)}, ${ago(40)}, ${status})
        RETURNING id`,
  );
  for (const [i, personId] of attendees.entries()) {
    const signup = await one<{ id: number }>(
      db,
      sql`INSERT INTO activity_signups (district_id, activity_id, name, phone_enc, phone_idx, person_id, status, source)
          VALUES (${world.districtA}, ${act!.id}, '青年', 'x', ${`idx-${act!.id}-${i}`}, ${personId}, 'admitted', 'online')
          RETURNING id`,
    );
    await db.execute(sql`INSERT INTO activity_checkins (district_id, activity_id, signup_id, method)
                         VALUES (${world.districtA}, ${act!.id}, ${signup!.id}, 'staff')`);
  }
  return act!.id;
}

async function addOrder(orgId: number, gridId: number, status: string) {
  await ctx.database.db.execute(
    sql`INSERT INTO service_orders (district_id, tracking_no, source, category, title, org_id, grid_id, status)
        VALUES (${world.districtA}, ${`JW${Math.random().toString(36).slice(2, 12)}`}, 'party_gov', 'culture', '需求',
                ${orgId}, ${gridId}, ${status})`,
  );
}

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  await addAccount(ctx.database, 't1_leader', 'team_leader', world.t1);
  for (const name of ['admin_a', 'admin_b', 't1_admin', 't2_admin', 'v1_youth']) {
    clients[name] = new Client(ctx.app);
    expect((await clients[name].login(name, PASSWORD)).statusCode).toBe(200);
  }
  grids.na = await addGrid(ctx.database, world.v1, 'NA', { boundary: squareBoundary(0) });
  grids.nb = await addGrid(ctx.database, world.v1, 'NB', { boundary: squareBoundary(2) });
  grids.sc = await addGrid(ctx.database, world.v2, 'SC', { boundary: squareBoundary(4) });
  // NA: 3 youth (2 League members), NB: 1, SC: none; one more youth of V1 without a grid.
  for (const [grid, member] of [
    [grids.na, true],
    [grids.na, true],
    [grids.na, false],
    [grids.nb, false],
    [null, false],
  ] as const) {
    const id = await addPerson(ctx.database, world.v1, `青年${people.length}`);
    await ctx.database.db.execute(
      sql`UPDATE people SET home_grid_id = ${grid}, political_status = ${member ? 'league_member' : 'masses'}
          WHERE id = ${id}`,
    );
    people.push(id);
  }
  // Two of NA's youth and the youth without a grid took part in a finished activity of V1 in NA.
  await addActivity(world.v1.id, [grids.na], 'finished', [people[0], people[1], people[4]]);
  // A cancelled one counts nowhere; an open one in NB counts on the map (activities this year) but is not "held".
  await addActivity(world.v1.id, [grids.na], 'cancelled', []);
  await addActivity(world.v1.id, [grids.nb], 'open', []);
  await addOrder(world.v1.id, grids.na, 'submitted');
  await addOrder(world.v1.id, grids.na, 'dispatched');
  await addOrder(world.v1.id, grids.na, 'rated');
  await addOrder(world.v2.id, grids.sc, 'accepted');
});
afterAll(() => ctx?.close());

const map = (who: string, query: string) => as(who).get(`/api/dashboard/grid-map?${query}`);
const valueFor = (body: any, gridId: number) => body.items.find((i: any) => i.gridId === gridId)?.value;

describe('numericLegend', () => {
  it('cuts counts into nice whole intervals from 0 and percentages into fifths', () => {
    expect([niceStep(0.4), niceStep(2.2), niceStep(7), niceStep(130)]).toEqual([1, 5, 10, 200]);
    const counts = numericLegend('count', [0, 3, 12], '无');
    expect(counts.legend.map((l) => l.label)).toEqual(['0–4', '5–9', '10–14']);
    expect(counts.legend.map((l) => l.count)).toEqual([2, 0, 1]);
    expect([counts.classOf(0), counts.classOf(4), counts.classOf(5), counts.classOf(12)]).toEqual([0, 0, 1, 2]);
    const zeros = numericLegend('count', [0, 0], '无');
    expect(zeros.legend.map((l) => l.label)).toEqual(['0']);
    const pct = numericLegend('percent', [0, 19.9, 20, 100, null], '无');
    expect(pct.legend.map((l) => l.count)).toEqual([2, 1, 0, 0, 1, 1]);
    expect(pct.legend.at(-1)).toMatchObject({ key: 'none', label: '无' });
  });
});

describe('grid map', () => {
  it('colours by capacity and by registered youth, the grid list’s own numbers', async () => {
    const cap = await map('admin_a', 'metric=capacity');
    expect(cap.statusCode, cap.body).toBe(200);
    const body = cap.json();
    expect(body.items.map((i: any) => i.code)).toEqual(['NA', 'NB', 'SC']);
    const list = (await as('admin_a').get('/api/grids?pageSize=100')).json().items;
    for (const g of list) {
      const item = body.items.find((i: any) => i.gridId === g.id);
      expect(item.value).toBe(g.capacity.status);
      expect(body.legend[item.class].key).toBe(g.capacity.status);
    }
    expect(body.legend.reduce((n: number, l: any) => n + l.count, 0)).toBe(3);
    expect(body.metrics.map((m: any) => m.key)).toEqual(
      expect.arrayContaining(['capacity', 'youth', 'members', 'participation', 'activities', 'open_orders']),
    );

    const youth = (await map('admin_a', 'metric=youth')).json();
    for (const g of list) expect(valueFor(youth, g.id)).toBe(g.registeredYouth);
    expect([grids.na, grids.nb, grids.sc].map((id) => valueFor(youth, id))).toEqual([3, 1, 0]);
    // every value lies in its class's range, and the legend counts the grids
    for (const item of youth.items) {
      const cls = youth.legend[item.class];
      expect(item.value).toBeGreaterThanOrEqual(cls.min);
      expect(item.value).toBeLessThanOrEqual(cls.max);
    }
    const members = (await map('admin_a', 'metric=members')).json();
    expect([grids.na, grids.nb, grids.sc].map((id) => valueFor(members, id))).toEqual([2, 0, 0]);
  });

  it('participation, activities and open orders per grid equal the detailed figures', async () => {
    const part = (await map('admin_a', 'metric=participation')).json();
    expect(part.metric.kind).toBe('percent');
    const y = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const from = encodeURIComponent(`${y}-01-01T00:00:00+08:00`);
    const to = encodeURIComponent(`${y + 1}-01-01T00:00:00+08:00`);
    const figures = (await as('admin_a').get(`/api/activity-figures/participation?from=${from}&to=${to}`)).json();
    expect(figures.grids.length).toBeGreaterThan(0);
    for (const g of figures.grids) expect(valueFor(part, g.id)).toBe(g.rate);
    expect([grids.na, grids.nb, grids.sc].map((id) => valueFor(part, id))).toEqual([66.7, 0, null]);
    // SC has no youth: no data, in the grey class
    const sc = part.items.find((i: any) => i.gridId === grids.sc);
    expect(part.legend[sc.class].key).toBe('none');

    const acts = (await map('admin_a', 'metric=activities')).json();
    expect([grids.na, grids.nb, grids.sc].map((id) => valueFor(acts, id))).toEqual([1, 1, 0]);
    const open = (await map('admin_a', 'metric=open_orders')).json();
    expect([grids.na, grids.nb, grids.sc].map((id) => valueFor(open, id))).toEqual([2, 0, 1]);
  });

  it('respects the viewer’s scope and refuses unknown metrics', async () => {
    const t1 = (await map('t1_admin', 'metric=youth')).json();
    expect(t1.org.id).toBe(world.t1.id);
    expect(t1.items.map((i: any) => i.code)).toEqual(['NA', 'NB']);
    const t2 = (await map('t2_admin', 'metric=open_orders')).json();
    expect(t2.items.map((i: any) => [i.code, i.value])).toEqual([['SC', 1]]);
    expect((await map('t1_admin', `metric=youth&orgId=${world.t2.id}`)).statusCode).toBe(404);
    expect((await map('admin_b', `metric=youth&orgId=${world.t1.id}`)).statusCode).toBe(404);
    expect((await map('v1_youth', 'metric=youth')).statusCode).toBe(403);
    const unknown = await map('admin_a', 'metric=nothing_here');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('metric');
    const sub = (await map('admin_a', `metric=youth&orgId=${world.v1.id}`)).json();
    expect(sub.items.map((i: any) => i.code)).toEqual(['NA', 'NB']);
  });
});

describe('activity ranking metrics', () => {
  it('participation rate and activities held per village, with the records behind them', async () => {
    const y = String(new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
    const scheme = await as('admin_a').post('/api/assessments/rankings/schemes', {
      name: '活动排行',
      kind: 'quarterly',
      definition: {
        categories: [
          {
            name: '活动',
            items: [
              { key: 'part', label: '参与率', maxPoints: 50, source: 'metric', metric: 'participation_rate' },
              { key: 'held', label: '活动数', maxPoints: 50, source: 'metric', metric: 'activities_held', target: 2 },
            ],
          },
        ],
        tiers: [],
      },
    });
    expect(scheme.statusCode, scheme.body).toBe(201);
    const period = await as('admin_a').post('/api/assessments/rankings/periods', {
      schemeId: scheme.json().id,
      period: y,
    });
    expect(period.statusCode, period.body).toBe(201);
    const results = (await as('admin_a').get(`/api/assessments/rankings/periods/${period.json().id}/results`)).json();
    const v1 = results.rows.find((r: any) => r.orgId === world.v1.id);
    const part = v1.items.find((i: any) => i.key === 'part');
    // 3 of V1's 5 registered youth took part — the participation figure of V1
    expect(part).toMatchObject({ numerator: 3, denominator: 5, value: 0.6, points: 30 });
    const y0 = encodeURIComponent(`${y}-01-01T00:00:00+08:00`);
    const y1 = encodeURIComponent(`${Number(y) + 1}-01-01T00:00:00+08:00`);
    const fig = (
      await as('admin_a').get(`/api/activity-figures/participation?orgId=${world.v1.id}&from=${y0}&to=${y1}`)
    ).json();
    expect([fig.total.participants, fig.total.registered]).toEqual([part.numerator, part.denominator]);
    const held = v1.items.find((i: any) => i.key === 'held');
    expect(held).toMatchObject({ value: 1, points: 25 });
    const v2 = results.rows.find((r: any) => r.orgId === world.v2.id);
    expect(v2.items.find((i: any) => i.key === 'part').value).toBeNull();

    const drill = await as('admin_a').get(
      `/api/assessments/rankings/periods/${period.json().id}/drilldown?orgId=${world.v1.id}&itemKey=part`,
    );
    expect(drill.statusCode, drill.body).toBe(200);
    const rows = drill.json().rows;
    expect(rows.reduce((n: number, r: any) => n + r.registered, 0)).toBe(5);
    expect(rows.reduce((n: number, r: any) => n + r.participants, 0)).toBe(3);
    expect(rows.find((r: any) => r.grid === 'NA NA网格')).toMatchObject({ registered: 3, participants: 2 });
    const heldRows = (
      await as('admin_a').get(
        `/api/assessments/rankings/periods/${period.json().id}/drilldown?orgId=${world.v1.id}&itemKey=held`,
      )
    ).json().rows;
    expect(heldRows).toHaveLength(1);
    expect(heldRows[0]).toMatchObject({ status: 'finished', checkins: 3 });
  });
});
