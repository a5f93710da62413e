import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKING_RE } from '../../../domain/order.ts';
import { many, one } from '../../db/sql.ts';
import { lastDevSmsCode } from '../../lib/sms.ts';
import { addAccount, addGrid, addOrg, buildWorld, PASSWORD, squareBoundary } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let adminB: Client;
let t1Admin: Client;
let t2Admin: Client;
let s1Admin: Client;
let leader: Client;
let anon: Client;
let near: OrgRow;
let far: OrgRow;
let partner: OrgRow;
let gridId: number;

/** Inside grid G1 (the square at 120.5–120.501, 30.0–30.001). */
const POINT = { lon: 120.5005, lat: 30.0005 };

async function addVenue(org: OrgRow, lon: number, lat: number) {
  await ctx.database.query(
    `INSERT INTO venues (district_id, org_id, type, name, location, opening_hours)
     VALUES ($1, $2, 'youth_home', $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), '{}'::jsonb)`,
    [org.districtId, org.id, `${org.name}之家`, lon, lat],
  );
}

let phoneSeq = 0;
/** A fresh mobile number per use (the send limit is one code a minute per phone). */
const newPhone = () => `1390000${String(1000 + phoneSeq++).padStart(4, '0')}`;

async function sendCode(phone: string, purpose: 'order' | 'rate' = 'order', districtId = world.districtA) {
  const res = await anon.post('/api/public/sms-codes', { districtId, phone, purpose });
  expect(res.statusCode, res.body).toBe(202);
  const code = lastDevSmsCode(phone);
  expect(code).toMatch(/^\d{6}$/);
  return code!;
}

async function publicOrder(extra: Record<string, unknown> = {}, phone = newPhone()) {
  const code = await sendCode(phone);
  const res = await anon.post(`/api/public/districts/${world.districtA}/orders`, {
    name: '王小明',
    phone,
    code,
    category: 'education',
    title: '孩子暑假作业辅导',
    description: '家住北村 3 号，双职工家庭',
    location: POINT,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { trackingNo: string; token: string };
  const row = await one<{ id: number }>(
    ctx.database.db,
    sql`SELECT id FROM service_orders WHERE tracking_no = ${body.trackingNo}`,
  );
  return { ...body, id: row!.id, phone };
}

async function dispatched(orgId = near.id) {
  const order = await publicOrder();
  expect((await t1Admin.post(`/api/orders/${order.id}/classify`, { classification: 'immediate' })).statusCode).toBe(
    200,
  );
  const res = await t1Admin.post(`/api/orders/${order.id}/dispatch`, { assigneeOrgId: orgId });
  expect(res.statusCode, res.body).toBe(200);
  return order;
}

beforeAll(async () => {
  process.env.JINGWEI_SMS_RATE_LIMIT = '1000';
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  near = await addOrg(ctx.database, world.t1, 'youth_social_org', '近邻青年社工站');
  far = await addOrg(ctx.database, world.t2, 'youth_social_org', '远山青年志愿队');
  partner = await addOrg(ctx.database, world.rootA, 'partner_unit', '区图书馆');
  await addAccount(ctx.database, 's1_admin', 'org_admin', near);
  gridId = await addGrid(ctx.database, world.v1, 'G1', { boundary: squareBoundary(0) });
  await addVenue(near, 120.502, 30.001);
  await addVenue(far, 120.62, 30.1);
  const login = async (username: string, lang = 'zh-CN') => {
    const c = new Client(ctx.app, lang);
    const res = await c.login(username, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  adminB = await login('admin_b');
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  s1Admin = await login('s1_admin');
  leader = await login('v1_leader');
  anon = new Client(ctx.app);
  for (const [org, title, category] of [
    [near, '课业辅导', 'education'],
    [far, '青少年学业帮扶', 'education'],
    [partner, '法律咨询进社区', 'legal'],
  ] as const) {
    const res = await admin.post('/api/service-menu', { orgId: org.id, category, title });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('full cycle: public order → SMS code → dispatch → accept → complete → rating → two rates', () => {
  it('runs end to end', async () => {
    const phone = '13800138000';
    const code = await sendCode(phone);

    const wrong = await anon.post(`/api/public/districts/${world.districtA}/orders`, {
      name: '王小明',
      phone,
      code: code === '000000' ? '111111' : '000000',
      category: 'education',
      title: '作业辅导',
      location: POINT,
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('SMS_CODE_INVALID');
    expect(wrong.json().errors[0].field).toBe('code');

    const created = await anon.post(`/api/public/districts/${world.districtA}/orders`, {
      name: '王小明',
      phone,
      code,
      category: 'education',
      title: '孩子暑假作业辅导',
      location: POINT,
      clientId: 'form-0001-abc',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { trackingNo, token } = created.json();
    expect(trackingNo).toMatch(TRACKING_RE);

    // The code is used up; the same form again is refused.
    const again = await anon.post(`/api/public/districts/${world.districtA}/orders`, {
      name: '王小明',
      phone,
      code,
      category: 'education',
      title: '孩子暑假作业辅导',
    });
    expect(again.json().code).toBe('SMS_CODE_EXPIRED');

    // The phone is stored only encrypted, and the order falls to the grid under the point.
    const stored = await one<any>(ctx.database.db, sql`SELECT * FROM service_orders WHERE tracking_no = ${trackingNo}`);
    expect(JSON.stringify(stored)).not.toContain(phone);
    expect(stored.grid_id).toBe(gridId);
    expect(stored.org_id).toBe(world.v1.id);
    const id = stored.id as number;

    // The town of the grid sees it (masked), the other town and the other district do not.
    const list = await t1Admin.get('/api/orders?view=to_dispatch');
    const mine = list.json().items.find((o: any) => o.id === id);
    expect(mine.requesterPhone).toBe('138****8000');
    expect((await t2Admin.get(`/api/orders/${id}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/orders/${id}`)).statusCode).toBe(404);
    expect((await t2Admin.post(`/api/orders/${id}/classify`, { classification: 'immediate' })).statusCode).toBe(404);

    // Dispatch needs a class first.
    const unclassified = await t1Admin.post(`/api/orders/${id}/dispatch`, { assigneeOrgId: near.id });
    expect(unclassified.json().code).toBe('ORDER_NOT_CLASSIFIED');
    expect((await t1Admin.post(`/api/orders/${id}/classify`, { classification: 'immediate' })).statusCode).toBe(200);

    // Suggestions: both social orgs offer education; the near one ranks first, because of distance.
    const sug = await t1Admin.get(`/api/orders/${id}/suggestions`);
    expect(sug.statusCode, sug.body).toBe(200);
    const items = sug.json().items as any[];
    expect(items[0].org.id).toBe(near.id);
    const farItem = items.find((s) => s.org.id === far.id);
    expect(farItem).toBeDefined();
    expect(items[0].components.category).toBe(40);
    expect(farItem.components.category).toBe(40);
    expect(items[0].distanceMeters).toBeLessThan(300);
    expect(farItem.distanceMeters).toBeGreaterThan(10_000);
    expect(items[0].components.distance).toBeGreaterThan(farItem.components.distance);
    // The partner unit offers legal advice, not education: no category points, and it fits no immediate class.
    const partnerItem = items.find((s) => s.org.id === partner.id);
    expect(partnerItem.components.category).toBe(0);
    expect(partnerItem.score).toBeLessThan(items[0].score);

    // Out of scope: the other town cannot dispatch.
    expect((await t2Admin.post(`/api/orders/${id}/dispatch`, { assigneeOrgId: far.id })).statusCode).toBe(404);
    // An assignee of another district is refused, naming the field.
    const otherDistrict = await t1Admin.post(`/api/orders/${id}/dispatch`, { assigneeOrgId: world.tb.id });
    expect(otherDistrict.statusCode).toBe(404);
    expect(otherDistrict.json().errors[0].field).toBe('assigneeOrgId');

    const disp = await t1Admin.post(`/api/orders/${id}/dispatch`, { assigneeOrgId: near.id, note: '请尽快联系' });
    expect(disp.statusCode, disp.body).toBe(200);
    const d = disp.json();
    expect(d.status).toBe('dispatched');
    expect(new Date(d.respondDueAt).getTime() - new Date(d.dispatchedAt).getTime()).toBe(2 * 3600_000);

    // Rating before done is refused.
    const early = await anon.post(`/api/public/orders/${trackingNo}/rating`, { token, score: 5 });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('ORDER_STATE');

    // Cadres of the assignee org (or above it: the town holds the social org) work it.
    expect((await t1Admin.post(`/api/orders/${id}/accept`, {})).statusCode).toBe(200);
    const undo = await t1Admin.get(`/api/orders/${id}`);
    expect(undo.json().status).toBe('accepted');
    expect((await s1Admin.post(`/api/orders/${id}/start`, {})).statusCode).toBe(200);
    const done = await s1Admin.post(`/api/orders/${id}/complete`, { note: '已安排两名大学生志愿者每周辅导两次' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('done');

    // The tracking page: by the last four digits (wrong ones refused), public timeline only.
    expect((await anon.post(`/api/public/orders/${trackingNo}/view`, { phoneLast4: '1234' })).statusCode).toBe(403);
    const view = await anon.post(`/api/public/orders/${trackingNo}/view`, { phoneLast4: '8000' });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().canRate).toBe(true);
    expect(view.json().timeline.map((e: any) => e.action)).toEqual([
      'create',
      'dispatch',
      'accept',
      'start',
      'complete',
    ]);
    expect(view.body).not.toContain('王小明');
    expect(view.body).not.toContain('classify');

    const rated = await anon.post(`/api/public/orders/${trackingNo}/rating`, { token, score: 5, comment: '很满意' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().status).toBe('rated');
    const twice = await anon.post(`/api/public/orders/${trackingNo}/rating`, { token, score: 1 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ORDER_ALREADY_RATED');
    const forged = await anon.post(`/api/public/orders/${trackingNo}/rating`, {
      token: 'AAAAAAAAAAAAAAAAAAAAAA',
      score: 1,
    });
    expect(forged.statusCode).toBe(403);

    // Two rates: the near org accepted in time (1/1) and was rated 5 (1/1).
    const rates = await admin.get('/api/orders/rates?groupBy=org');
    expect(rates.statusCode, rates.body).toBe(200);
    const row = rates.json().items.find((r: any) => r.org.id === near.id);
    expect(row.response).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(row.satisfaction).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(row.eligible).toBe(true);
    const towns = await admin.get('/api/orders/rates?groupBy=town');
    expect(towns.json().items.find((r: any) => r.org.id === world.t1.id).satisfaction.numerator).toBeGreaterThanOrEqual(
      1,
    );
    // The other district sees none of it.
    expect((await adminB.get('/api/orders/rates')).json().items).toEqual([]);

    const detail = await admin.get(`/api/orders/${id}`);
    expect(detail.json().events.map((e: any) => e.action)).toEqual([
      'create',
      'classify',
      'dispatch',
      'accept',
      'start',
      'complete',
      'rate',
    ]);
    expect(detail.json().dispatches).toHaveLength(1);
    expect(detail.json().dispatches[0].outcome).toBe('accepted');
  });
});

describe('SMS codes', () => {
  it('refuse an expired code', async () => {
    const phone = newPhone();
    const code = await sendCode(phone);
    await ctx.database.query(`UPDATE sms_codes SET expires_at = now() - interval '1 minute'`);
    const res = await anon.post(`/api/public/districts/${world.districtA}/orders`, {
      name: '李四',
      phone,
      code,
      category: 'care',
      title: '独居老人陪伴',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('SMS_CODE_EXPIRED');
  });

  it('die after five wrong attempts, even for the right code', async () => {
    const phone = newPhone();
    const code = await sendCode(phone);
    const wrong = code === '999999' ? '888888' : '999999';
    const body = (c: string) => ({ name: '李四', phone, code: c, category: 'care', title: '独居老人陪伴' });
    for (let i = 0; i < 5; i++) {
      const res = await anon.post(`/api/public/districts/${world.districtA}/orders`, body(wrong));
      expect(res.json().code).toBe('SMS_CODE_INVALID');
    }
    const locked = await anon.post(`/api/public/districts/${world.districtA}/orders`, body(code));
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('SMS_CODE_LOCKED');
    const n = await one<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM service_orders WHERE title = '独居老人陪伴'`,
    );
    expect(n!.n).toBe(0);
  });

  it('are sent at most once a minute per phone, and only hashed', async () => {
    const phone = newPhone();
    const code = await sendCode(phone);
    const res = await anon.post('/api/public/sms-codes', { districtId: world.districtA, phone, purpose: 'order' });
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('SMS_TOO_FREQUENT');
    const rows = await many<any>(ctx.database.db, sql`SELECT * FROM sms_codes`);
    expect(JSON.stringify(rows)).not.toContain(phone);
    expect(rows.every((r) => r.code_hash !== code)).toBe(true);
  });

  it('name every wrong field of the form, in English when asked', async () => {
    const en = new Client(ctx.app, 'en');
    const res = await en.post(`/api/public/districts/${world.districtA}/orders`, {
      name: '',
      phone: '12345',
      code: 'abc',
      category: 'nope',
      title: '作业',
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'phone', 'code', 'category']));
    expect(res.json().errors.find((e: any) => e.field === 'phone').message).toMatch(/mobile/);
  });
});

describe('rating by phone and code', () => {
  it('accepts the requester proven by a fresh code of purpose rate, refuses another phone', async () => {
    const order = await dispatched();
    await s1Admin.post(`/api/orders/${order.id}/accept`, {});
    await s1Admin.post(`/api/orders/${order.id}/complete`, {});
    const other = newPhone();
    const otherCode = await sendCode(other, 'rate');
    const refused = await anon.post(`/api/public/orders/${order.trackingNo}/rating`, {
      phone: other,
      code: otherCode,
      score: 5,
    });
    expect(refused.statusCode).toBe(403);
    // A minute must pass between two codes to one phone.
    await ctx.database.query(`UPDATE sms_codes SET created_at = created_at - interval '2 minutes'`);
    const code = await sendCode(order.phone, 'rate');
    const res = await anon.post(`/api/public/orders/${order.trackingNo}/rating`, {
      phone: order.phone,
      code,
      score: 3,
      comment: '来得有点晚',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rating.score).toBe(3);
  });
});

describe('dispatch rules', () => {
  it('refuses a re-dispatch loop to an org that declined, and re-dispatches elsewhere', async () => {
    const order = await dispatched();
    const declined = await s1Admin.post(`/api/orders/${order.id}/decline`, { reason: '本周人手不足' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().status).toBe('returned');
    // Declined orders leave the assignee's view.
    expect((await s1Admin.get(`/api/orders/${order.id}`)).statusCode).toBe(404);
    const loop = await t1Admin.post(`/api/orders/${order.id}/dispatch`, { assigneeOrgId: near.id });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().code).toBe('ORDER_DISPATCH_LOOP');
    const sug = await t1Admin.get(`/api/orders/${order.id}/suggestions`);
    expect(sug.json().items.find((s: any) => s.org.id === near.id).declinedBefore).toBe(true);
    const re = await t1Admin.post(`/api/orders/${order.id}/dispatch`, { assigneeOrgId: far.id });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json().events.at(-1).action).toBe('redispatch');
    // The far org's town now sees it as assignee but may not dispatch it.
    expect((await t2Admin.get(`/api/orders/${order.id}`)).statusCode).toBe(200);
    expect((await t2Admin.post(`/api/orders/${order.id}/dispatch`, { assigneeOrgId: partner.id })).statusCode).toBe(
      403,
    );
    // The decline counts against the near org's response rate.
    const rates = await admin.get('/api/orders/rates');
    const nearRow = rates.json().items.find((r: any) => r.org.id === near.id);
    expect(nearRow.response.denominator).toBeGreaterThan(nearRow.response.numerator);
  });

  it('lets only the assignee side work an order, and only in order', async () => {
    const order = await dispatched();
    expect((await t2Admin.post(`/api/orders/${order.id}/accept`, {})).statusCode).toBe(404);
    expect((await s1Admin.post(`/api/orders/${order.id}/complete`, {})).statusCode).toBe(409);
    expect((await leader.post(`/api/orders/${order.id}/accept`, {})).statusCode).toBe(403);
  });

  it('rejects with a reason the requester sees', async () => {
    const order = await publicOrder();
    const res = await t1Admin.post(`/api/orders/${order.id}/reject`, { reason: '不属于服务范围' });
    expect(res.statusCode).toBe(200);
    const view = await anon.post(`/api/public/orders/${order.trackingNo}/view`, { token: order.token });
    expect(view.json().status).toBe('rejected');
    expect(view.json().statusReason).toBe('不属于服务范围');
  });
});

describe('cadre entry and scope', () => {
  it('enters a party & government need and an on-behalf request with a masked phone', async () => {
    const gov = await leader.post('/api/orders', {
      source: 'party_gov',
      category: 'safety',
      title: '平安志愿大巡防',
    });
    expect(gov.statusCode, gov.body).toBe(201);
    expect(gov.json().org.id).toBe(world.v1.id);
    expect(gov.json().status).toBe('submitted');
    const onBehalf = await t1Admin.post('/api/orders', {
      source: 'resident',
      gridId,
      category: 'livelihood',
      title: '楼道灯维修',
      requesterName: '赵大妈',
      requesterPhone: '13912345678',
      classification: 'immediate',
    });
    expect(onBehalf.statusCode, onBehalf.body).toBe(201);
    expect(onBehalf.json().requesterPhone).toBe('139****5678');
    expect(onBehalf.json().status).toBe('classified');
    // A grid leader may not classify; a town cannot enter for another town's org.
    const cls = await leader.post('/api/orders', {
      source: 'party_gov',
      category: 'safety',
      title: 'x',
      classification: 'hard',
    });
    expect(cls.statusCode).toBe(403);
    const foreign = await t2Admin.post('/api/orders', {
      source: 'party_gov',
      orgId: world.v1.id,
      category: 'safety',
      title: 'x',
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors[0].field).toBe('orgId');
    // The other district sees none of A's orders.
    const listB = await adminB.get('/api/orders');
    expect(listB.json().items).toEqual([]);
    expect((await adminB.get(`/api/orders?districtId=${world.districtA}`)).statusCode).toBe(404);
  });
});

describe('public lists', () => {
  it('show needs and the menu without any personal data', async () => {
    await publicOrder({ title: '公开清单测试' }, '13700137000');
    const needs = await anon.get(`/api/public/districts/${world.districtA}/needs`);
    expect(needs.statusCode, needs.body).toBe(200);
    expect(needs.json().items.some((n: any) => n.title === '公开清单测试')).toBe(true);
    expect(needs.body).not.toContain('13700137000');
    expect(needs.body).not.toContain('7000');
    expect(needs.body).not.toContain('王小明');
    expect(needs.body).not.toContain('双职工');
    expect(needs.body).not.toMatch(/requester|phone|trackingNo/i);
    const menu = await anon.get(`/api/public/districts/${world.districtA}/service-menu`);
    expect(menu.statusCode).toBe(200);
    expect(menu.json().items.map((i: any) => i.title)).toEqual(expect.arrayContaining(['课业辅导', '法律咨询进社区']));
    expect((await anon.get('/api/public/districts/999999/needs')).statusCode).toBe(404);
  });

  it('lets a resident order from the menu', async () => {
    const menu = await anon.get(`/api/public/districts/${world.districtA}/service-menu`);
    const legal = menu.json().items.find((i: any) => i.title === '法律咨询进社区');
    const order = await publicOrder({ menuItemId: legal.id, category: 'education', title: '想咨询劳动合同' });
    const row = await one<any>(
      ctx.database.db,
      sql`SELECT source, category FROM service_orders WHERE id = ${order.id}`,
    );
    expect(row).toEqual({ source: 'menu', category: 'legal' });
  });
});
