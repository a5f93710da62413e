import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../../../domain/order.ts';
import { one } from '../../db/sql.ts';
import { addOrg, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';

/**
 * 点单 on the overview (orders by state, open and overdue, the two rates and the leaderboard) equal
 * the order list and GET /api/orders/rates for the same scope; the orders module's ranking metrics
 * (order timeliness, attraction rate, satisfaction rate) and their drill-down.
 */

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];
let team: OrgRow;
let team2: OrgRow;
let adminId: number;
let seq = 0;

const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

async function addOrder(
  orgId: number,
  status: string,
  extra: { assignee?: number; respondDue?: string; planned?: number; participants?: number } = {},
) {
  const row = await one<{ id: number }>(
    ctx.database.db,
    sql`INSERT INTO service_orders (district_id, tracking_no, source, category, title, org_id, status, classification,
                                    assignee_org_id, respond_due_at, planned_participants, participants, done_at)
        VALUES (${world.districtA}, ${`JWT${String(seq++).padStart(6, '0')}`}, 'party_gov', 'culture', ${`需求${seq}`},
                ${orgId}, ${status}, 'immediate', ${extra.assignee ?? null}, ${extra.respondDue ?? null},
                ${extra.planned ?? null}, ${extra.participants ?? null},
                ${status === 'done' || status === 'rated' ? at(-5) : null})
        RETURNING id`,
  );
  return row!.id;
}

async function addDispatch(orderId: number, orgId: number, outcome: string, dueIn: number, answeredIn: number | null) {
  await ctx.database.db.execute(
    sql`INSERT INTO service_order_dispatches (district_id, order_id, org_id, dispatched_by, dispatched_at, respond_due_at,
                                              outcome, responded_at)
        VALUES (${world.districtA}, ${orderId}, ${orgId}, ${adminId}, ${at(-120)}, ${at(dueIn)}, ${outcome},
                ${answeredIn === null ? null : at(answeredIn)})`,
  );
}

async function addRating(orderId: number, orgId: number, score: number) {
  await ctx.database.db.execute(
    sql`INSERT INTO service_order_ratings (district_id, order_id, org_id, score, by_kind)
        VALUES (${world.districtA}, ${orderId}, ${orgId}, ${score}, 'requester')`,
  );
}

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  team = await addOrg(ctx.database, world.t1, 'youth_social_org', '东湖青年志愿服务社');
  team2 = await addOrg(ctx.database, world.t2, 'youth_social_org', '西山青年服务社');
  for (const name of ['admin_a', 'admin_b', 't1_admin', 't2_admin', 'v1_youth']) {
    clients[name] = new Client(ctx.app);
    expect((await clients[name].login(name, PASSWORD)).statusCode).toBe(200);
  }
  adminId = (await one<{ id: number }>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = 'admin_a'`))!.id;

  // Requested in V1 (under T1): two new, one overdue dispatch, one done group service, one rated, one cancelled.
  await addOrder(world.v1.id, 'submitted');
  await addOrder(world.v1.id, 'submitted');
  const late = await addOrder(world.v1.id, 'dispatched', { assignee: team.id, respondDue: at(-60) });
  const service = await addOrder(world.v1.id, 'done', { assignee: team.id, planned: 10, participants: 8 });
  const rated = await addOrder(world.v1.id, 'rated', { assignee: team.id });
  await addOrder(world.v1.id, 'cancelled');
  // Requested in T2: one accepted by T2's team.
  const t2order = await addOrder(world.t2.id, 'accepted', { assignee: team2.id });

  // Dispatches to T1's team: accepted in time, accepted late, pending and overdue; to T2's: one in time.
  await addDispatch(service, team.id, 'accepted', 60, -100);
  await addDispatch(rated, team.id, 'accepted', -90, -30);
  await addDispatch(late, team.id, 'pending', -60, null);
  await addDispatch(t2order, team2.id, 'accepted', 60, -110);
  // Ratings of T1's team: 5 (satisfied) and 3 (not); of T2's: 4.
  await addRating(rated, team.id, 5);
  await addRating(service, team.id, 3);
  await addRating(t2order, team2.id, 4);
});
afterAll(() => ctx?.close());

const ordersSection = (o: any) => o.sections.find((s: any) => s.key === 'orders');
const total = async (who: string, query: string) =>
  (await as(who).get(`/api/orders?pageSize=1&${query}`)).json().total as number;
const pct = (r: { rate: number | null }) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10);

describe('orders on the overview', () => {
  it('orders by state equal the order list, overall and per town', async () => {
    const o = (await as('admin_a').get(`/api/dashboard/overview?orgId=${world.rootA.id}`)).json();
    const s = ordersSection(o);
    expect(s).toBeDefined();
    expect(s.values.total).toBe(await total('admin_a', `orgId=${world.rootA.id}`));
    expect(s.values.total).toBe(7);
    for (const status of ORDER_STATUSES) {
      expect(s.values[status], status).toBe(await total('admin_a', `orgId=${world.rootA.id}&status=${status}`));
    }
    expect(s.values).toMatchObject({ submitted: 2, dispatched: 1, done: 1, rated: 1, cancelled: 1, accepted: 1 });
    expect(s.values.open).toBe(4);
    expect(s.values.overdue).toBe(await total('admin_a', `orgId=${world.rootA.id}&overdue=true`));
    expect(s.values.overdue).toBe(1);
    for (const town of [world.t1, world.t2]) {
      const child = s.byChild[String(town.id)];
      expect(child.total).toBe(await total('admin_a', `orgId=${town.id}`));
      expect(child.submitted).toBe(await total('admin_a', `orgId=${town.id}&status=submitted`));
    }
    expect(s.byChild[String(world.t1.id)].total).toBe(6);
  });

  it('the two rates and the leaderboard equal GET /api/orders/rates', async () => {
    const s = ordersSection((await as('admin_a').get(`/api/dashboard/overview?orgId=${world.rootA.id}`)).json());
    const rates = (await as('admin_a').get('/api/orders/rates?groupBy=org')).json();
    expect(s.values.attractionPct).toBe(pct(rates.total.attraction));
    expect(s.values.satisfactionPct).toBe(pct(rates.total.satisfaction));
    expect(s.values.responsePct).toBe(pct(rates.total.response));
    // 8 of 10 planned; 2 of 3 ratings ≥ 4; 2 of 4 dispatches accepted within the deadline
    expect([s.values.attractionPct, s.values.satisfactionPct, s.values.responsePct]).toEqual([80, 66.7, 50]);
    const board = s.lists.leaderboard;
    expect(board.map((r: any) => r.orgId)).toEqual(rates.items.slice(0, 10).map((i: any) => i.org.id));
    expect(board[0]).toMatchObject({ rank: 1, orgId: team2.id, satisfactionPct: 100, ratings: 1 });
    expect(board[1]).toMatchObject({ rank: 2, orgId: team.id, attractionPct: 80, satisfactionPct: 50 });
    // per town: the town's rates
    const t1Rates = (await as('t1_admin').get('/api/orders/rates')).json();
    expect(s.byChild[String(world.t1.id)].satisfactionPct).toBe(pct(t1Rates.total.satisfaction));
  });

  it('a town admin sees his own town only', async () => {
    const o = (await as('t1_admin').get('/api/dashboard/overview')).json();
    const s = ordersSection(o);
    expect(o.org.id).toBe(world.t1.id);
    expect(s.values.total).toBe(await total('t1_admin', `orgId=${world.t1.id}`));
    expect(s.values.total).toBe(6);
    expect(s.lists.leaderboard.map((r: any) => r.orgId)).toEqual([team.id]);
    const t2 = ordersSection((await as('t2_admin').get('/api/dashboard/overview')).json());
    expect(t2.values).toMatchObject({ total: 1, accepted: 1, satisfactionPct: 100 });
    expect(t2.lists.leaderboard.map((r: any) => r.orgId)).toEqual([team2.id]);
    expect((await as('admin_b').get(`/api/dashboard/overview?orgId=${world.t1.id}`)).statusCode).toBe(404);
  });
});

describe('order ranking metrics', () => {
  it('order timeliness and the two rates per town, with the records behind them', async () => {
    const y = String(new Date(Date.now() + 8 * 3600_000).getUTCFullYear());
    const scheme = await as('admin_a').post('/api/assessments/rankings/schemes', {
      name: '千分制',
      kind: 'thousand',
      definition: {
        categories: [
          {
            name: '点单',
            items: [
              { key: 'timely', label: '响应及时率', maxPoints: 400, source: 'metric', metric: 'order_timeliness' },
              { key: 'attract', label: '吸引率', maxPoints: 300, source: 'metric', metric: 'attraction_rate' },
              { key: 'satisfy', label: '满意率', maxPoints: 300, source: 'metric', metric: 'satisfaction_rate' },
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
    const id = period.json().id;
    const results = (await as('admin_a').get(`/api/assessments/rankings/periods/${id}/results`)).json();
    const t1 = results.rows.find((r: any) => r.orgId === world.t1.id);
    const item = (key: string) => t1.items.find((i: any) => i.key === key);
    // the same counts as the rates grouped by town
    const town = (await as('admin_a').get('/api/orders/rates?groupBy=town'))
      .json()
      .items.find((i: any) => i.org.id === world.t1.id);
    expect([item('timely').numerator, item('timely').denominator]).toEqual([
      town.response.numerator,
      town.response.denominator,
    ]);
    expect(item('timely')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(item('attract')).toMatchObject({ numerator: 8, denominator: 10, points: 240 });
    expect(item('satisfy')).toMatchObject({ numerator: 1, denominator: 2, points: 150 });
    expect([item('satisfy').numerator, item('satisfy').denominator]).toEqual([
      town.satisfaction.numerator,
      town.satisfaction.denominator,
    ]);
    const t2 = results.rows.find((r: any) => r.orgId === world.t2.id);
    expect(t2.rank).toBe(1);

    const drill = async (itemKey: string) =>
      (
        await as('admin_a').get(
          `/api/assessments/rankings/periods/${id}/drilldown?orgId=${world.t1.id}&itemKey=${itemKey}`,
        )
      ).json();
    const timely = await drill('timely');
    expect(timely.rows).toHaveLength(3);
    expect(timely.rows.map((r: any) => r.onTime).sort()).toEqual([false, false, true]);
    const attract = await drill('attract');
    expect(attract.rows).toEqual([expect.objectContaining({ planned: 10, participants: 8 })]);
    const satisfy = await drill('satisfy');
    expect(satisfy.rows.map((r: any) => [r.score, r.satisfied]).sort()).toEqual([
      [3, false],
      [5, true],
    ]);
  });
});
