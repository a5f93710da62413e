import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many, one } from '../../db/sql.ts';
import { addGrid, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let t2Admin: Client;
let adminB: Client;
let leader: Client;
let youth: Client;
let categoryId: number;
let gridV1: number;
let gridV2: number;

const MIN = 60_000;
const inMinutes = (m: number) => new Date(Date.now() + m * MIN).toISOString();

async function count(table: string, where = sql`TRUE`) {
  const r = await one<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${where}`,
  );
  return r!.n;
}

function anon(app: FastifyInstance) {
  return {
    get: (url: string) => app.inject({ method: 'GET', url }),
    post: (url: string, payload: unknown, lang = 'zh-CN') =>
      app.inject({ method: 'POST', url, payload: payload as any, headers: { 'accept-language': lang } }),
  };
}

let seq = 0;
function planInput(orgId: number, extra: Record<string, unknown> = {}) {
  seq++;
  return {
    orgId,
    title: `青春议事会${seq}`,
    purpose: '听取青年对社区治理的意见',
    categoryId,
    venue: '北村青年之家',
    startsAt: inMinutes(10),
    endsAt: inMinutes(120),
    capacity: 30,
    budgetFen: 150_00,
    resources: '投影仪',
    team: '北村网格志愿队',
    ...extra,
  };
}

/** A plan of `orgId` made by `author`, submitted and approved by `approver`. */
async function approvedPlan(author: Client, approver: Client, orgId: number, extra: Record<string, unknown> = {}) {
  const res = await author.post('/api/activity-plans', planInput(orgId, extra));
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id;
  expect((await author.post(`/api/activity-plans/${id}/submit`)).statusCode).toBe(200);
  const ok = await approver.post(`/api/activity-plans/${id}/approve`, { note: '同意' });
  expect(ok.statusCode, ok.body).toBe(200);
  return id as number;
}

async function openActivity(client: Client, planId: number, extra: Record<string, unknown> = {}) {
  const res = await client.post(`/api/activity-plans/${planId}/activities`, { signupClosesAt: inMinutes(5), ...extra });
  expect(res.statusCode, res.body).toBe(201);
  const a = res.json();
  return { ...a, token: (a.qrUrl as string).split('/a/')[1] } as {
    id: number;
    token: string;
    qrUrl: string;
    status: string;
  };
}

beforeAll(async () => {
  process.env.JINGWEI_SIGNUP_RATE_LIMIT = '100000';
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  const login = async (username: string, lang = 'zh-CN') => {
    const c = new Client(ctx.app, lang);
    const res = await c.login(username, PASSWORD);
    expect(res.statusCode).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  adminB = await login('admin_b', 'en');
  leader = await login('v1_leader');
  youth = await login('v1_youth');
  gridV1 = await addGrid(ctx.database, world.v1, 'A01');
  gridV2 = await addGrid(ctx.database, world.v2, 'B01');
  const cats = await t1Admin.get('/api/activity-categories');
  expect(cats.statusCode).toBe(200);
  categoryId = cats.json().items[0].id;
});
afterAll(() => ctx?.close());

describe('categories', () => {
  it('starts with the four defaults, editable by the district only', async () => {
    const res = await admin.get('/api/activity-categories');
    expect(res.json().items.map((c: { name: string }) => c.name)).toEqual([
      '社会民生',
      '产业服务',
      '教育培训',
      '人文宣传',
    ]);
    const created = await admin.post('/api/activity-categories', { name: '生态环保' });
    expect(created.statusCode, created.body).toBe(201);
    expect((await admin.post('/api/activity-categories', { name: '生态环保' })).statusCode).toBe(409);
    expect((await t1Admin.post('/api/activity-categories', { name: '体育' })).statusCode).toBe(403);
    const renamed = await admin.patch(`/api/activity-categories/${created.json().id}`, { name: '绿色环保' });
    expect(renamed.json().name).toBe('绿色环保');
    // district B has its own defaults, and cannot touch A's
    const b = await adminB.get('/api/activity-categories');
    expect(b.json().items).toHaveLength(4);
    expect((await adminB.patch(`/api/activity-categories/${created.json().id}`, { active: false })).statusCode).toBe(
      404,
    );
  });
});

describe('themes', () => {
  it('solicits ideas from cadres and youth, shortlists and publishes', async () => {
    const created = await t1Admin.post('/api/activity-themes', {
      orgId: world.t1.id,
      title: '2027 年青春社区',
      deadline: inMinutes(60 * 24),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await t1Admin.post(`/api/activity-themes/${id}/ideas`, { text: '暑期托管' })).statusCode).toBe(201);
    const pub = anon(ctx.app);
    const idea = await pub.post(`/api/public/activity-themes/${id}/ideas`, {
      name: '张小明',
      phone: '13800000001',
      text: '青年夜校',
    });
    expect(idea.statusCode, idea.body).toBe(201);
    expect(
      (await pub.post(`/api/public/activity-themes/${id}/ideas`, { name: 'x', phone: '123', text: 'y' })).json()
        .errors[0].field,
    ).toBe('phone');
    // publishing needs a shortlist
    expect((await t1Admin.post(`/api/activity-themes/${id}/publish`, {})).statusCode).toBe(422);
    const detail = (await t1Admin.get(`/api/activity-themes/${id}`)).json();
    expect(detail.ideas.map((i: { author: string }) => i.author)).toEqual(['t1_admin', '张**']);
    const ideaId = detail.ideas[1].id;
    expect(
      (await t2Admin.post(`/api/activity-theme-ideas/${ideaId}/shortlist`, { shortlisted: true })).statusCode,
    ).toBe(404);
    expect(
      (await t1Admin.post(`/api/activity-theme-ideas/${ideaId}/shortlist`, { shortlisted: true })).statusCode,
    ).toBe(200);
    const published = await t1Admin.post(`/api/activity-themes/${id}/publish`, {});
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().status).toBe('published');
    const page = (await pub.get(`/api/public/activity-themes/${id}`)).json();
    expect(page.shortlist).toEqual([{ text: '青年夜校', author: '张**' }]);
    expect(JSON.stringify(page)).not.toContain('13800000001');
    expect(
      (await pub.post(`/api/public/activity-themes/${id}/ideas`, { name: '李', phone: '13800000002', text: '晚了' }))
        .statusCode,
    ).toBe(409);
    // a village below files a plan under the town's published theme; another town cannot
    const plan = await leader.post('/api/activity-plans', planInput(world.v1.id, { themeId: id }));
    expect(plan.statusCode, plan.body).toBe(201);
    expect(plan.json().theme).toEqual({ id, name: '2027 年青春社区' });
    const other = await t2Admin.post('/api/activity-plans', planInput(world.t2.id, { themeId: id }));
    expect(other.statusCode).toBe(404);
    expect(other.json().errors[0].field).toBe('themeId');
    // scope: another town sees nothing of it
    expect((await t2Admin.get(`/api/activity-themes/${id}`)).statusCode).toBe(404);
    expect(
      await count(
        'audit_log',
        sql`action = 'scope.denied' AND entity = 'activity_theme' AND entity_id = ${String(id)}`,
      ),
    ).toBeGreaterThan(0);
  });
});

describe('plans: validation, approval by the level above, comments', () => {
  it('names every wrong field and refuses grids outside the scope', async () => {
    const bad = await t1Admin.post('/api/activity-plans', {
      ...planInput(world.t1.id),
      title: '',
      capacity: 0,
      budgetFen: 1.5,
      endsAt: inMinutes(5),
      startsAt: inMinutes(10),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'capacity', 'budgetFen']));
    const order = await t1Admin.post('/api/activity-plans', { ...planInput(world.t1.id), endsAt: inMinutes(5) });
    expect(order.statusCode).toBe(400);
    expect(order.json().errors).toEqual([{ field: 'endsAt', message: '结束时间须晚于开始时间' }]);
    const grid = await t1Admin.post('/api/activity-plans', planInput(world.t1.id, { gridIds: [gridV1, gridV2] }));
    expect(grid.statusCode).toBe(404);
    expect(grid.json().errors[0].field).toBe('gridIds.1');
    const org = await t1Admin.post('/api/activity-plans', planInput(world.t2.id));
    expect(org.statusCode).toBe(404);
    expect(org.json().errors[0].field).toBe('orgId');
    expect((await youth.post('/api/activity-plans', planInput(world.v1.id))).statusCode).toBe(403);
    expect(await count('activity_plans', sql`org_id = ${world.t2.id}`)).toBe(0);
  });

  it('records every transition; approval only from above; return and resubmit', async () => {
    const res = await leader.post('/api/activity-plans', planInput(world.v1.id, { gridIds: [gridV1] }));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect(res.json().grids).toEqual([{ id: gridV1, name: 'A01网格' }]);
    expect(res.json().budgetFen).toBe(15000);
    // a draft cannot be approved
    expect((await t1Admin.post(`/api/activity-plans/${id}/approve`, {})).statusCode).toBe(409);
    expect((await leader.post(`/api/activity-plans/${id}/submit`)).statusCode).toBe(200);
    // the grid leader cannot approve, another town sees nothing, district B neither
    expect((await leader.post(`/api/activity-plans/${id}/approve`, {})).statusCode).toBe(403);
    expect((await t2Admin.post(`/api/activity-plans/${id}/approve`, {})).statusCode).toBe(404);
    expect((await adminB.post(`/api/activity-plans/${id}/approve`, {})).statusCode).toBe(404);
    expect(
      await count('audit_log', sql`action = 'scope.denied' AND entity = 'activity_plan' AND entity_id = ${String(id)}`),
    ).toBe(2);
    // editing a submitted plan is refused
    expect((await leader.patch(`/api/activity-plans/${id}`, { title: '改' })).statusCode).toBe(409);
    const toApprove = (await t1Admin.get('/api/activity-plans?view=to_approve')).json().items;
    expect(toApprove.map((p: { id: number }) => p.id)).toContain(id);
    expect(toApprove.find((p: { id: number }) => p.id === id).canApprove).toBe(true);
    expect((await t1Admin.post(`/api/activity-plans/${id}/return`, {})).statusCode).toBe(400);
    const back = await t1Admin.post(`/api/activity-plans/${id}/return`, { note: '请补充预算明细' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'returned', reviewNote: '请补充预算明细' });
    expect((await leader.patch(`/api/activity-plans/${id}`, { budgetFen: 120_00 })).json().budgetFen).toBe(12000);
    expect((await leader.post(`/api/activity-plans/${id}/submit`)).json().status).toBe('submitted');
    const ok = await t1Admin.post(`/api/activity-plans/${id}/approve`, { note: '同意' });
    expect(ok.json().status).toBe('approved');
    expect(
      ok.json().events.map((e: { action: string; toStatus: string; actor: string }) => [e.action, e.toStatus, e.actor]),
    ).toEqual([
      ['create', 'draft', 'v1_leader'],
      ['submit', 'submitted', 'v1_leader'],
      ['return', 'returned', 't1_admin'],
      ['resubmit', 'submitted', 'v1_leader'],
      ['approve', 'approved', 't1_admin'],
    ]);
    expect((await t1Admin.post(`/api/activity-plans/${id}/approve`, {})).statusCode).toBe(409);
  });

  it('a town plan is approved by the district, not by the town itself', async () => {
    const id = (await t1Admin.post('/api/activity-plans', planInput(world.t1.id))).json().id;
    await t1Admin.post(`/api/activity-plans/${id}/submit`);
    const self = await t1Admin.post(`/api/activity-plans/${id}/approve`, {});
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('PLAN_APPROVAL_LEVEL');
    expect((await admin.post(`/api/activity-plans/${id}/approve`, {})).json().status).toBe('approved');
  });

  it('youth comment from the phone page; the organiser adopts or explains; text stored as typed', async () => {
    const id = (await leader.post('/api/activity-plans', planInput(world.v1.id))).json().id;
    const pub = anon(ctx.app);
    // drafts are not public
    expect((await pub.get(`/api/public/activity-plans/${id}`)).statusCode).toBe(404);
    await leader.post(`/api/activity-plans/${id}/submit`);
    const script = '<script>alert(1)</script>建议增加篮球赛';
    const c1 = await pub.post(`/api/public/activity-plans/${id}/comments`, {
      name: '王五',
      phone: '13900000001',
      text: script,
    });
    expect(c1.statusCode, c1.body).toBe(201);
    expect(c1.json().comments[0]).toMatchObject({ author: '王*', text: script, reply: null });
    await pub.post(`/api/public/activity-plans/${id}/comments`, {
      name: '赵六',
      phone: '13900000002',
      text: '时间改到周末',
    });
    const comments = (await leader.get(`/api/activity-plans/${id}`)).json().comments;
    const noReason = await leader.post(`/api/activity-plan-comments/${comments[1].id}/reply`, {
      reply: '好',
      adopted: false,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0]).toEqual({ field: 'reason', message: '未采纳的意见须说明理由' });
    expect(
      (await t2Admin.post(`/api/activity-plan-comments/${comments[0].id}/reply`, { reply: 'x', adopted: true }))
        .statusCode,
    ).toBe(404);
    await leader.post(`/api/activity-plan-comments/${comments[0].id}/reply`, { reply: '已加入篮球赛', adopted: true });
    await leader.post(`/api/activity-plan-comments/${comments[1].id}/reply`, {
      reply: '场地周末已满',
      adopted: false,
      reason: '青年之家周末已被预订',
    });
    const page = (await pub.get(`/api/public/activity-plans/${id}`)).json();
    expect(page.comments.map((c: { adopted: boolean; reason: string | null }) => [c.adopted, c.reason])).toEqual([
      [true, null],
      [false, '青年之家周末已被预订'],
    ]);
    const stored = await one<{ text: string; phone_enc: string }>(
      ctx.database.db,
      sql`SELECT text, phone_enc FROM activity_plan_comments WHERE plan_id = ${id} ORDER BY id LIMIT 1`,
    );
    expect(stored!.text).toBe(script);
    expect(stored!.phone_enc).not.toContain('13900000001');
    expect(JSON.stringify(page)).not.toContain('13900000001');
  });
});

describe('activities: sign-up, waiting list, check-in, summary, publication', () => {
  it('never over-admits: 200 parallel sign-ups for 50 places admit exactly 50', async () => {
    const planId = await approvedPlan(leader, t1Admin, world.v1.id, { capacity: 50 });
    const a = await openActivity(leader, planId);
    const pub = anon(ctx.app);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pub.post(`/api/public/activity-qr/${a.token}/signups`, {
          name: `青年${i}`,
          phone: `137${String(i).padStart(8, '0')}`,
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
    const statuses = results.map((r) => r.json().status);
    expect(statuses.filter((s) => s === 'admitted')).toHaveLength(50);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(150);
    expect(await count('activity_signups', sql`activity_id = ${a.id} AND status = 'admitted'`)).toBe(50);
    const row = await one<{ admitted_count: number }>(
      ctx.database.db,
      sql`SELECT admitted_count FROM activities WHERE id = ${a.id}`,
    );
    expect(row!.admitted_count).toBe(50);
    const positions = results
      .map((r) => r.json().position)
      .filter((p) => p !== null)
      .sort((x, y) => x - y);
    expect(positions[0]).toBe(1);
    const detail = (await leader.get(`/api/activities/${a.id}`)).json();
    expect(detail).toMatchObject({ admitted: 50, waitlisted: 150, capacity: 50 });
    // capacity cannot drop below the admitted
    expect((await leader.patch(`/api/activities/${a.id}`, { capacity: 40 })).statusCode).toBe(409);
  });

  it('runs the whole way: check-in window, once only, walk-ins, no-shows, summary, publication, ratings', async () => {
    const planId = await approvedPlan(leader, t1Admin, world.v1.id, { capacity: 2, gridIds: [gridV1] });
    // checks in from 30 minutes before the start: the plan starts in 10 minutes
    const later = await openActivity(leader, planId, { startsAt: inMinutes(60 * 24), endsAt: inMinutes(60 * 26) });
    const a = await openActivity(leader, planId);
    expect(a.status).toBe('open');
    expect(a.qrUrl).toMatch(/\/a\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const pub = anon(ctx.app);
    const info = (await pub.get(`/api/public/activity-qr/${a.token}`)).json();
    expect(info).toMatchObject({ status: 'open', capacity: 2, placesLeft: 2, orgName: '北村团总支' });
    const sign = (name: string, phone: string, token = a.token) =>
      pub.post(`/api/public/activity-qr/${token}/signups`, { name, phone });
    expect((await sign('甲', '13600000001')).json()).toEqual({ status: 'admitted', position: null });
    const dup = await sign('甲', '136 0000 0001');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('phone');
    expect((await sign('乙', '13600000002')).json().status).toBe('admitted');
    expect((await sign('丙', '13600000003')).json()).toEqual({ status: 'waitlisted', position: 1 });
    await sign('丁', '13600000004');
    await sign('戊', '13600000005', later.token);

    // the later activity's check-in is not open yet
    const early = await pub.post(`/api/public/activity-qr/${later.token}/check-in`, { phone: '13600000005' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('CHECKIN_OUTSIDE_WINDOW');
    // an activity code is not a registration code, nor the other way round
    expect((await pub.get(`/api/qr/${a.token}`)).statusCode).toBe(404);

    const ci = await pub.post(`/api/public/activity-qr/${a.token}/check-in`, { phone: '13600000001' });
    expect(ci.statusCode, ci.body).toBe(201);
    const again = await pub.post(`/api/public/activity-qr/${a.token}/check-in`, { phone: '13600000001' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CHECKIN_DUPLICATE');
    expect((await pub.post(`/api/public/activity-qr/${a.token}/check-in`, { phone: '13600000003' })).json().code).toBe(
      'CHECKIN_NOT_ADMITTED',
    );
    expect((await pub.post(`/api/public/activity-qr/${a.token}/check-in`, { phone: '13600000009' })).statusCode).toBe(
      404,
    );
    // the organiser adds a walk-in; another town cannot
    expect(
      (await t2Admin.post(`/api/activities/${a.id}/walk-ins`, { name: '己', phone: '13600000006' })).statusCode,
    ).toBe(404);
    const walk = await leader.post(`/api/activities/${a.id}/walk-ins`, { name: '己', phone: '13600000006' });
    expect(walk.statusCode, walk.body).toBe(201);
    expect(walk.json().walkIn).toBe(true);

    // a reissued code replaces the old one
    const fresh = await leader.post(`/api/activities/${a.id}/qr`);
    expect(fresh.statusCode).toBe(200);
    const revoked = await pub.get(`/api/public/activity-qr/${a.token}`);
    expect(revoked.json().code).toBe('QR_TOKEN_REVOKED');
    const token = fresh.json().token as string;

    // the state machine at the API: finishing an open activity is refused
    expect((await leader.post(`/api/activities/${a.id}/finish`, {})).statusCode).toBe(409);
    expect((await leader.post(`/api/activities/${a.id}/start`, {})).json().status).toBe('running');
    expect((await leader.patch(`/api/activities/${a.id}`, { title: '改名' })).statusCode).toBe(409);
    expect((await leader.post(`/api/activities/${a.id}/finish`, {})).json().status).toBe('finished');
    const edit = await leader.patch(`/api/activities/${a.id}`, { venue: '别处' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('ACTIVITY_STATE');
    expect((await leader.post(`/api/activities/${a.id}/cancel`, {})).statusCode).toBe(409);
    expect((await leader.post(`/api/activities/${a.id}/publish`, {})).statusCode).toBe(409);

    const signups = (await leader.get(`/api/activities/${a.id}/signups`)).json().items;
    expect(signups.map((s: { name: string; noShow: boolean; phone: string }) => [s.name, s.noShow, s.phone])).toEqual([
      ['甲', false, '136****0001'],
      ['乙', true, '136****0002'],
      ['丙', false, '136****0003'],
      ['丁', false, '136****0004'],
      ['己', false, '136****0006'],
    ]);

    // ratings: participants only, once
    const rate = (phone: string, stars: number) =>
      pub.post(`/api/public/activity-qr/${token}/ratings`, { phone, stars, comment: '很好<b>' });
    expect((await rate('13600000002', 5)).json().code).toBe('RATING_NOT_ALLOWED');
    expect((await rate('13600000001', 6)).statusCode).toBe(400);
    expect((await rate('13600000001', 5)).json()).toEqual({ count: 1, average: 5 });
    expect((await rate('13600000001', 4)).json().code).toBe('RATING_DUPLICATE');
    expect((await rate('13600000006', 4)).json()).toEqual({ count: 2, average: 4.5 });

    // not public before publication
    expect((await pub.get(`/api/public/activities/${a.id}`)).statusCode).toBe(404);
    const summary = await leader.post(`/api/activities/${a.id}/summary`, {
      text: '开展议事会一场，收集建议 12 条',
      outcome: '形成 3 项微实事',
      spendFen: 98_50,
    });
    expect(summary.statusCode, summary.body).toBe(201);
    expect(summary.json().summary).toMatchObject({ attendance: 2, spendFen: 9850 });
    expect((await leader.post(`/api/activities/${a.id}/summary`, { text: '再写' })).statusCode).toBe(409);
    const published = await leader.post(`/api/activities/${a.id}/publish`, {});
    expect(published.json().status).toBe('published');
    expect(published.json().events.map((e: { action: string }) => e.action)).toEqual([
      'open',
      'start',
      'finish',
      'summarise',
      'publish',
    ]);
    const page = await pub.get(`/api/public/activities/${a.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ status: 'published', summary: { attendance: 2, outcome: '形成 3 项微实事' } });
    expect(page.json().rating).toEqual({ count: 2, average: 4.5 });
    const text = page.body;
    for (const secret of ['13600000001', '甲', '乙', '己']) expect(text).not.toContain(secret);
    // scope of the detail: the organiser's ancestors see it, a sibling town and another district do not
    expect((await t1Admin.get(`/api/activities/${a.id}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/activities/${a.id}`)).statusCode).toBe(200);
    expect((await t2Admin.get(`/api/activities/${a.id}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/activities/${a.id}`)).statusCode).toBe(404);
    expect((await t2Admin.get('/api/activities')).json().items.map((x: { id: number }) => x.id)).not.toContain(a.id);
    // no plain phone number anywhere in the module's tables
    const leaks = await many(
      ctx.database.db,
      sql`SELECT 1 FROM activity_signups WHERE phone_enc LIKE '%13600000001%' OR phone_idx LIKE '%13600000001%'`,
    );
    expect(leaks).toHaveLength(0);
  });

  it('a cancelled seat goes to the first of the waiting list', async () => {
    const planId = await approvedPlan(leader, t1Admin, world.v1.id, { capacity: 1 });
    const a = await openActivity(leader, planId);
    const pub = anon(ctx.app);
    for (const [name, phone] of [
      ['子', '13400000001'],
      ['丑', '13400000002'],
      ['寅', '13400000003'],
    ])
      await pub.post(`/api/public/activity-qr/${a.token}/signups`, { name, phone });
    const list = async () =>
      (await leader.get(`/api/activities/${a.id}/signups`))
        .json()
        .items.map((s: { name: string; status: string }) => [s.name, s.status]);
    const mine = await pub.post(`/api/public/activity-qr/${a.token}/cancel`, { phone: '13400000001' });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(await list()).toEqual([
      ['子', 'cancelled'],
      ['丑', 'admitted'],
      ['寅', 'waitlisted'],
    ]);
    const ids = (await leader.get(`/api/activities/${a.id}/signups`)).json().items.map((s: { id: number }) => s.id);
    expect((await t2Admin.post(`/api/activities/${a.id}/signups/${ids[1]}/cancel`)).statusCode).toBe(404);
    const byOrganiser = await leader.post(`/api/activities/${a.id}/signups/${ids[1]}/cancel`);
    expect(byOrganiser.json()).toEqual({ cancelled: true, promotedSignupId: ids[2] });
    await leader.post(`/api/activities/${a.id}/signups/${ids[2]}/cancel`);
    expect((await leader.post(`/api/activities/${a.id}/signups/${ids[2]}/cancel`)).statusCode).toBe(404);
    const row = await one<{ admitted_count: number }>(
      ctx.database.db,
      sql`SELECT admitted_count FROM activities WHERE id = ${a.id}`,
    );
    expect(row!.admitted_count).toBe(0);
    expect(
      (await pub.post(`/api/public/activity-qr/${a.token}/signups`, { name: '卯', phone: '13400000004' })).json()
        .status,
    ).toBe('admitted');
  });

  it('refuses sign-up outside the window and on a cancelled activity', async () => {
    const planId = await approvedPlan(leader, t1Admin, world.v1.id);
    const a = await openActivity(leader, planId, { signupOpensAt: inMinutes(60), signupClosesAt: inMinutes(90) });
    const pub = anon(ctx.app);
    const r = await pub.post(`/api/public/activity-qr/${a.token}/signups`, { name: '庚', phone: '13500000001' }, 'en');
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'SIGNUP_CLOSED', title: 'Sign-up is not open' });
    expect((await leader.post(`/api/activities/${a.id}/cancel`, { note: '天气原因' })).json().status).toBe('cancelled');
    expect((await leader.post(`/api/activities/${a.id}/start`, {})).statusCode).toBe(409);
    expect(await count('activity_signups', sql`activity_id = ${a.id}`)).toBe(0);
  });
});
