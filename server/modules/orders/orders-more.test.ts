import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKING_RE } from '../../../domain/order.ts';
import { many, one } from '../../db/sql.ts';
import { lastDevSmsCode } from '../../lib/sms.ts';
import { addAccount, addGrid, addOrg, buildWorld, PASSWORD, squareBoundary } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';

/**
 * The second half of the orders module: district deadlines and reminders, review tasks from
 * dissatisfied ratings, participants' on-site ratings, the two rates (attraction, satisfaction),
 * the public leaderboard and resources, rate limits per phone and IP, and Open311 GeoReport v2.
 */

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let adminB: Client;
let t1Admin: Client;
let s1Admin: Client;
let anon: Client;
let team: OrgRow;
let other: OrgRow;

const POINT = { lon: 120.5005, lat: 30.0005 };
let phoneSeq = 0;
const newPhone = () => `1370000${String(1000 + phoneSeq++).padStart(4, '0')}`;

async function sendCode(phone: string, purpose: 'order' | 'rate' = 'order') {
  const res = await anon.post('/api/public/sms-codes', { districtId: world.districtA, phone, purpose });
  expect(res.statusCode, res.body).toBe(202);
  return lastDevSmsCode(phone)!;
}

async function publicOrder(phone = newPhone(), extra: Record<string, unknown> = {}) {
  const code = await sendCode(phone);
  const res = await anon.post(`/api/public/districts/${world.districtA}/orders`, {
    name: '陈晓',
    phone,
    code,
    category: 'culture',
    title: '社区青年篮球赛',
    location: POINT,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  const { trackingNo, token } = res.json();
  const row = await one<{ id: number }>(
    ctx.database.db,
    sql`SELECT id FROM service_orders WHERE tracking_no = ${trackingNo}`,
  );
  return { id: row!.id, trackingNo, token, phone };
}

async function dispatched(extra: Record<string, unknown> = {}, orgId = team.id) {
  const order = await publicOrder();
  expect((await t1Admin.post(`/api/orders/${order.id}/classify`, { classification: 'immediate' })).statusCode).toBe(
    200,
  );
  const res = await t1Admin.post(`/api/orders/${order.id}/dispatch`, { assigneeOrgId: orgId, ...extra });
  expect(res.statusCode, res.body).toBe(200);
  return { ...order, detail: res.json() };
}

async function completed(participants?: number, planned?: number) {
  const order = await dispatched(planned ? { plannedParticipants: planned } : {});
  expect((await s1Admin.post(`/api/orders/${order.id}/accept`, {})).statusCode).toBe(200);
  const done = await s1Admin.post(`/api/orders/${order.id}/complete`, {
    note: '比赛顺利举行',
    ...(participants === undefined ? {} : { participants }),
  });
  expect(done.statusCode, done.body).toBe(200);
  return order;
}

beforeAll(async () => {
  process.env.JINGWEI_SMS_RATE_LIMIT = '1000';
  process.env.JINGWEI_SMS_IP_HOURLY = '10000';
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0' });
  world = await buildWorld(ctx.database);
  team = await addOrg(ctx.database, world.t1, 'youth_social_org', '青鸟社工服务中心');
  other = await addOrg(ctx.database, world.t1, 'youth_social_org', '晨光青年志愿队');
  await addAccount(ctx.database, 'team_admin', 'org_admin', team);
  await addGrid(ctx.database, world.v1, 'G1', { boundary: squareBoundary(0) });
  const login = async (username: string) => {
    const c = new Client(ctx.app);
    const res = await c.login(username, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  adminB = await login('admin_b');
  t1Admin = await login('t1_admin');
  s1Admin = await login('team_admin');
  anon = new Client(ctx.app);
  const menu = await admin.post('/api/service-menu', { orgId: team.id, category: 'culture', title: '青年篮球联赛' });
  expect(menu.statusCode, menu.body).toBe(201);
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('件件有回音: district deadlines and reminders', () => {
  it('takes the deadlines of the class from the district settings', async () => {
    const refused = await t1Admin.put('/api/orders/settings', {
      deadlines: { immediate: { respond: 1, complete: 4 } },
    });
    expect(refused.statusCode).toBe(403);
    const wrong = await admin.put('/api/orders/settings', { deadlines: { immediate: { respond: 5, complete: 4 } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('deadlines');
    const set = await admin.put('/api/orders/settings', { deadlines: { immediate: { respond: 1, complete: 4 } } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().deadlines.immediate).toEqual({ respond: 1, complete: 4 });
    expect(set.json().deadlines.hard).toEqual({ respond: 72, complete: 720 });
    const order = await dispatched();
    const d = order.detail;
    const dispatchedAt = new Date(d.dispatchedAt).getTime();
    expect(new Date(d.respondDueAt).getTime() - dispatchedAt).toBe(3600_000);
    expect(new Date(d.completeDueAt).getTime() - dispatchedAt).toBe(4 * 3600_000);
    // The other district keeps the defaults.
    expect((await adminB.get('/api/orders/settings')).json().deadlines.immediate).toEqual({ respond: 2, complete: 24 });
    await admin.put('/api/orders/settings', { deadlines: { immediate: { respond: 2, complete: 24 } } });
  });

  it('reminds once when the response deadline passes, lists the order as overdue, and hides it from the requester', async () => {
    const order = await dispatched();
    const jobs = await many<any>(
      ctx.database.db,
      sql`SELECT payload->>'kind' AS kind FROM jobs WHERE kind = 'order.deadline' AND (payload->>'orderId')::int = ${order.id}
          ORDER BY id`,
    );
    expect(jobs.map((j) => j.kind)).toEqual(['respond', 'complete']);
    expect(await ctx.app.jobs.tick()).toBe(0); // nothing due yet
    // Time passes: the deadline and its job are now in the past.
    await ctx.database.query(`UPDATE service_orders SET respond_due_at = now() - interval '1 minute' WHERE id = $1`, [
      order.id,
    ]);
    await ctx.database.query(
      `UPDATE jobs SET run_at = now() - interval '1 minute' WHERE kind = 'order.deadline' AND (payload->>'orderId')::int = $1
         AND payload->>'kind' = 'respond'`,
      [order.id],
    );
    expect(await ctx.app.jobs.tick()).toBe(1);
    const detail = (await t1Admin.get(`/api/orders/${order.id}`)).json();
    expect(detail.overdue).toBe(true);
    expect(detail.reminders).toHaveLength(1);
    expect(detail.reminders[0]).toMatchObject({ kind: 'respond', dispatchNo: 1, org: { id: team.id } });
    const remind = detail.events.find((e: any) => e.action === 'remind_respond');
    expect(remind).toMatchObject({ actorKind: 'system', internal: true });
    const overdue = await t1Admin.get('/api/orders?overdue=true');
    expect(overdue.json().items.map((o: any) => o.id)).toContain(order.id);
    const assigned = await s1Admin.get('/api/orders?view=assigned&overdue=true');
    expect(assigned.json().items.map((o: any) => o.id)).toContain(order.id);
    const view = await anon.post(`/api/public/orders/${order.trackingNo}/view`, { token: order.token });
    expect(view.json().timeline.map((e: any) => e.action)).not.toContain('remind_respond');
    // A job run again (a retry) reminds no second time.
    await ctx.database.query(
      `INSERT INTO jobs (kind, payload, run_at) VALUES ('order.deadline', $1::jsonb, now() - interval '1 second')`,
      [JSON.stringify({ orderId: order.id, kind: 'respond', dispatchNo: 1 })],
    );
    expect(await ctx.app.jobs.tick()).toBe(1);
    const n = await one<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM service_order_reminders WHERE order_id = ${order.id}`,
    );
    expect(n!.n).toBe(1);
  });

  it('does not remind an order answered in time, nor a stale dispatch', async () => {
    const order = await dispatched();
    await s1Admin.post(`/api/orders/${order.id}/accept`, {});
    await ctx.database.query(`UPDATE service_orders SET respond_due_at = now() - interval '1 minute' WHERE id = $1`, [
      order.id,
    ]);
    await ctx.database.query(
      `UPDATE jobs SET run_at = now() - interval '1 minute' WHERE kind = 'order.deadline' AND (payload->>'orderId')::int = $1
         AND payload->>'kind' = 'respond'`,
      [order.id],
    );
    expect(await ctx.app.jobs.tick()).toBe(1);
    expect((await t1Admin.get(`/api/orders/${order.id}`)).json().reminders).toEqual([]);
  });
});

describe('评单: review tasks, participants, two rates', () => {
  it('opens a review task for the district on a dissatisfied rating, not on a satisfied one', async () => {
    const happy = await completed();
    expect(
      (await anon.post(`/api/public/orders/${happy.trackingNo}/rating`, { token: happy.token, score: 4 })).statusCode,
    ).toBe(200);
    const sad = await completed();
    const rated = await anon.post(`/api/public/orders/${sad.trackingNo}/rating`, {
      token: sad.token,
      score: 2,
      comment: '组织得比较乱',
    });
    expect(rated.statusCode, rated.body).toBe(200);
    const list = await admin.get('/api/orders/reviews');
    expect(list.statusCode, list.body).toBe(200);
    const orders = list.json().items.map((r: any) => r.order.id);
    expect(orders).toContain(sad.id);
    expect(orders).not.toContain(happy.id);
    const task = list.json().items.find((r: any) => r.order.id === sad.id);
    expect(task).toMatchObject({
      status: 'open',
      score: 2,
      comment: '组织得比较乱',
      byKind: 'requester',
      org: { id: team.id },
    });
    // The other district sees none; an org admin may read but not close.
    expect((await adminB.get('/api/orders/reviews')).json().items).toEqual([]);
    expect((await t1Admin.post(`/api/orders/reviews/${task.id}/close`, { resolution: 'x' })).statusCode).toBe(403);
    expect((await adminB.post(`/api/orders/reviews/${task.id}/close`, { resolution: 'x' })).statusCode).toBe(404);
    const closed = await admin.post(`/api/orders/reviews/${task.id}/close`, { resolution: '已电话回访，下次提前通知' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', resolvedBy: 'admin_a' });
    expect((await admin.post(`/api/orders/reviews/${task.id}/close`, { resolution: '再次' })).statusCode).toBe(409);
    const events = (await admin.get(`/api/orders/${sad.id}`)).json().events.map((e: any) => e.action);
    expect(events).toEqual(expect.arrayContaining(['rate', 'review_open', 'review_close']));
  });

  it('takes on-site ratings from several participants of a group service, one per phone, no more than took part', async () => {
    const order = await completed(2, 4);
    const rate = async (phone: string, score: number) => {
      const code = await sendCode(phone, 'rate');
      return anon.post(`/api/public/orders/${order.trackingNo}/participant-ratings`, { phone, code, score });
    };
    const p1 = newPhone();
    const first = await rate(p1, 5);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ ratings: 1, satisfied: 1 });
    await ctx.database.query(`UPDATE sms_codes SET created_at = created_at - interval '2 minutes'`);
    const again = await rate(p1, 1);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ORDER_PARTICIPANT_RATED');
    // The requester rates on the tracking page, not as a participant.
    const own = await anon.post(`/api/public/orders/${order.trackingNo}/participant-ratings`, {
      phone: order.phone,
      code: '123456',
      score: 5,
    });
    expect(own.json().code).toBe('ORDER_PARTICIPANT_RATED');
    const second = await rate(newPhone(), 3);
    expect(second.statusCode, second.body).toBe(201);
    const third = await rate(newPhone(), 5);
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('ORDER_PARTICIPANTS_RATED');
    // A wrong code writes nothing.
    const wrongCode = await anon.post(`/api/public/orders/${order.trackingNo}/participant-ratings`, {
      phone: newPhone(),
      code: '000000',
      score: 5,
    });
    expect(wrongCode.statusCode).toBe(422);
    // The dissatisfied participant (3★) opened a review task.
    const tasks = (await admin.get('/api/orders/reviews')).json().items.filter((r: any) => r.order.id === order.id);
    expect(tasks.map((t: any) => t.byKind)).toEqual(['participant']);
    const detail = (await admin.get(`/api/orders/${order.id}`)).json();
    expect(detail).toMatchObject({
      plannedParticipants: 4,
      participants: 2,
      participantRatings: { ratings: 2, satisfied: 1 },
    });
    // Not a group service: no participants recorded.
    const single = await completed();
    const p3 = newPhone();
    const code = await sendCode(p3, 'rate');
    const refused = await anon.post(`/api/public/orders/${single.trackingNo}/participant-ratings`, {
      phone: p3,
      code,
      score: 5,
    });
    expect(refused.json().code).toBe('ORDER_NOT_GROUP');
  });

  it('computes attraction and satisfaction per org and per service, and marks incubation eligibility with the district threshold', async () => {
    const rates = await admin.get('/api/orders/rates?groupBy=org');
    expect(rates.statusCode, rates.body).toBe(200);
    const row = rates.json().items.find((r: any) => r.org.id === team.id);
    // One group service: 2 of 4 planned came.
    expect(row.attraction).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    // Ratings: 4, 2 (requesters), 5, 3 (participants) → 2 of 4 satisfied.
    expect(row.satisfaction).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    expect(row.eligible).toBe(false);
    const lowered = await admin.put('/api/orders/settings', { incubationThreshold: 0.5 });
    expect(lowered.statusCode).toBe(200);
    const again = await admin.get('/api/orders/rates?groupBy=org');
    expect(again.json().threshold).toBe(0.5);
    expect(again.json().items.find((r: any) => r.org.id === team.id).eligible).toBe(true);
    await admin.put('/api/orders/settings', { incubationThreshold: 0.8 });
    // Orders placed from the menu are grouped per service.
    const services = await admin.get('/api/orders/rates?groupBy=service');
    expect(services.statusCode, services.body).toBe(200);
  });

  it('publishes the leaderboard of social organisations without personal data', async () => {
    const board = await anon.get(`/api/public/districts/${world.districtA}/leaderboard`);
    expect(board.statusCode, board.body).toBe(200);
    const names = board.json().items.map((i: any) => i.orgName);
    expect(names).toEqual(expect.arrayContaining(['青鸟社工服务中心', '晨光青年志愿队']));
    const mine = board.json().items.find((i: any) => i.orgName === '青鸟社工服务中心');
    expect(mine).toMatchObject({ rank: 1, eligible: false, attraction: { rate: 0.5 } });
    // No data yet does not disqualify.
    expect(board.json().items.find((i: any) => i.orgName === '晨光青年志愿队')).toMatchObject({ eligible: true });
    expect(board.body).not.toMatch(/陈晓|1370000|requester|phone/);
    expect(board.json().threshold).toBe(0.8);
    expect((await anon.get('/api/public/districts/999999/leaderboard')).statusCode).toBe(404);
    const past = await anon.get(`/api/public/districts/${world.districtA}/leaderboard?year=2020`);
    expect(past.json().items.every((i: any) => i.satisfaction.denominator === 0)).toBe(true);
    const resources = await anon.get(`/api/public/districts/${world.districtA}/resources`);
    expect(resources.statusCode).toBe(200);
    expect(resources.json().items).toEqual([
      { orgName: '青鸟社工服务中心', orgKind: 'youth_social_org', categories: ['culture'], services: 1 },
    ]);
  });
});

describe('rate limits on the public endpoints', () => {
  it('limits codes per IP per hour and orders per phone per day', async () => {
    process.env.JINGWEI_SMS_IP_HOURLY = '3';
    try {
      const ip = '203.0.113.9';
      const send = (phone: string) =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/public/sms-codes',
          remoteAddress: ip,
          payload: { districtId: world.districtA, phone, purpose: 'order' },
        });
      for (let i = 0; i < 3; i++) expect((await send(newPhone())).statusCode).toBe(202);
      const fourth = await send(newPhone());
      expect(fourth.statusCode).toBe(429);
      expect(fourth.json().code).toBe('SMS_TOO_FREQUENT');
    } finally {
      process.env.JINGWEI_SMS_IP_HOURLY = '10000';
    }
    process.env.JINGWEI_ORDERS_PER_PHONE_DAY = '2';
    try {
      const phone = newPhone();
      await publicOrder(phone);
      await ctx.database.query(`UPDATE sms_codes SET created_at = created_at - interval '2 minutes'`);
      await publicOrder(phone);
      await ctx.database.query(`UPDATE sms_codes SET created_at = created_at - interval '2 minutes'`);
      const code = await sendCode(phone);
      const third = await anon.post(`/api/public/districts/${world.districtA}/orders`, {
        name: '陈晓',
        phone,
        code,
        category: 'culture',
        title: '第三次',
      });
      expect(third.statusCode).toBe(429);
      expect(third.json().code).toBe('ORDERS_TOO_MANY');
    } finally {
      delete process.env.JINGWEI_ORDERS_PER_PHONE_DAY;
    }
  });
});

describe('Open311 GeoReport v2', () => {
  let apiKey: string;
  let clientId: number;

  it('issues a district api_key once and keeps only its hash', async () => {
    expect((await t1Admin.post('/api/orders/open311-clients', { name: '12355 热线' })).statusCode).toBe(403);
    const res = await admin.post('/api/orders/open311-clients', { name: '12355 青少年服务热线' });
    expect(res.statusCode, res.body).toBe(201);
    apiKey = res.json().apiKey;
    clientId = res.json().id;
    expect(apiKey).toMatch(/^jw311_/);
    const rows = await many<any>(ctx.database.db, sql`SELECT * FROM open311_clients`);
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await admin.get('/api/orders/open311-clients');
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toContain(apiKey);
  });

  it('lists services: our categories and the menu', async () => {
    const res = await anon.get(`/api/open311/v2/services.json?jurisdiction_id=${world.districtA}`);
    expect(res.statusCode, res.body).toBe(200);
    const codes = res.json().map((s: any) => s.service_code);
    expect(codes).toEqual(expect.arrayContaining(['education', 'culture', 'other']));
    const menu = res.json().find((s: any) => s.service_code.startsWith('menu-'));
    expect(menu).toMatchObject({ service_name: '青年篮球联赛', group: '文体活动', metadata: false, type: 'realtime' });
    const def = await anon.get(`/api/open311/v2/services/${menu.service_code}.json?jurisdiction_id=${world.districtA}`);
    expect(def.statusCode, def.body).toBe(200);
    expect(def.json()).toEqual({ service_code: menu.service_code, attributes: [] });
    expect((await anon.get(`/api/open311/v2/services/nope.json?jurisdiction_id=${world.districtA}`)).statusCode).toBe(
      404,
    );
    expect((await anon.get('/api/open311/v2/services.json?jurisdiction_id=999999')).statusCode).toBe(404);
    expect((await anon.get('/api/open311/v2/services.json')).statusCode).toBe(400);
    const en = await new Client(ctx.app, 'en').get(`/api/open311/v2/services.json?jurisdiction_id=${world.districtA}`);
    expect(en.json().find((s: any) => s.service_code === 'legal').service_name).toBe('Legal advice');
  });

  it('takes a form-encoded request with the api_key and follows it to closed', async () => {
    const form = new URLSearchParams({
      jurisdiction_id: String(world.districtA),
      api_key: apiKey,
      service_code: 'education',
      lat: String(POINT.lat),
      long: String(POINT.lon),
      address_string: '北村 5 号',
      first_name: '小红',
      last_name: '李',
      phone: '13511112222',
      description: '初二数学辅导\n每周两次',
    });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const [{ service_request_id: id, service_notice }] = res.json();
    expect(id).toMatch(TRACKING_RE);
    expect(service_notice).toContain('受理');
    const stored = await one<any>(ctx.database.db, sql`SELECT * FROM service_orders WHERE tracking_no = ${id}`);
    expect(stored).toMatchObject({
      source: 'youth_voice',
      title: '初二数学辅导',
      requester_name: '李小红',
      org_id: world.v1.id,
    });
    expect(stored.open311_client_id).toBe(clientId);
    expect(JSON.stringify(stored)).not.toContain('13511112222');

    // Public read by id: no places; the trusted system sees the address and point.
    const pub = await anon.get(`/api/open311/v2/requests/${id}.json?jurisdiction_id=${world.districtA}`);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json()[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'education',
      lat: null,
      address: null,
    });
    expect(pub.body).not.toMatch(/李小红|13511112222|每周两次/);
    const trusted = await anon.get(
      `/api/open311/v2/requests/${id}.json?jurisdiction_id=${world.districtA}&api_key=${apiKey}`,
    );
    expect(trusted.json()[0]).toMatchObject({ address: '北村 5 号', lat: POINT.lat, long: POINT.lon });
    // Listing all needs the key; by ids it does not.
    expect((await anon.get(`/api/open311/v2/requests.json?jurisdiction_id=${world.districtA}`)).statusCode).toBe(401);
    const byIds = await anon.get(
      `/api/open311/v2/requests.json?jurisdiction_id=${world.districtA}&service_request_id=${id}`,
    );
    expect(byIds.json().map((r: any) => r.service_request_id)).toEqual([id]);
    const all = await anon.get(
      `/api/open311/v2/requests.json?jurisdiction_id=${world.districtA}&api_key=${apiKey}&status=open&service_code=education`,
    );
    expect(all.json().map((r: any) => r.service_request_id)).toContain(id);

    // The order goes through the workflow; Open311 reports it closed.
    const orderId = stored.id as number;
    await t1Admin.post(`/api/orders/${orderId}/classify`, { classification: 'immediate' });
    await t1Admin.post(`/api/orders/${orderId}/dispatch`, { assigneeOrgId: other.id });
    await t1Admin.post(`/api/orders/${orderId}/accept`, {});
    await t1Admin.post(`/api/orders/${orderId}/complete`, { note: '已安排志愿者' });
    const closed = await anon.get(`/api/open311/v2/requests/${id}.json?jurisdiction_id=${world.districtA}`);
    expect(closed.json()[0]).toMatchObject({ status: 'closed', agency_responsible: '晨光青年志愿队' });
    const closedList = await anon.get(
      `/api/open311/v2/requests.json?jurisdiction_id=${world.districtA}&api_key=${apiKey}&status=open`,
    );
    expect(closedList.json().map((r: any) => r.service_request_id)).not.toContain(id);
  });

  it('refuses a request without a valid key, phone or service, and a key of another district', async () => {
    const base = {
      jurisdiction_id: String(world.districtA),
      api_key: apiKey,
      service_code: 'culture',
      first_name: '明',
      phone: '13511113333',
      description: '篮球场地',
    };
    const post = (payload: unknown) => anon.post('/api/open311/v2/requests.json', payload);
    const badPhone = await post({ ...base, phone: '12345' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().errors.map((e: any) => e.field)).toContain('phone');
    const noName = await post({ ...base, first_name: undefined });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().errors.map((e: any) => e.field)).toContain('first_name');
    const badKey = await post({ ...base, api_key: 'jw311_notarealkeyatallxxxxxxxx' });
    expect(badKey.statusCode).toBe(403);
    expect(badKey.json().code).toBe('OPEN311_KEY_INVALID');
    const otherDistrict = await post({ ...base, jurisdiction_id: String(world.districtB) });
    expect(otherDistrict.statusCode).toBe(403);
    const badService = await post({ ...base, service_code: 'menu-999999' });
    expect(badService.statusCode).toBe(404);
    expect(badService.json().errors[0].field).toBe('service_code');
    const halfPoint = await post({ ...base, lat: '30.0' });
    expect(halfPoint.statusCode).toBe(400);
    const n = await one<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM service_orders WHERE title = '篮球场地'`,
    );
    expect(n!.n).toBe(0);
    // A deactivated key stops working.
    expect((await admin.post(`/api/orders/open311-clients/${clientId}/deactivate`)).statusCode).toBe(200);
    expect((await post(base)).statusCode).toBe(403);
  });
});
