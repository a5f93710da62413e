import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { piiCipherFor } from '../../lib/crypto.ts';
import { addGrid, addPerson, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let t2Admin: Client;
let adminB: Client;
let leader: Client;
const grids = {} as Record<'a' | 'b' | 'c', number>;
const people = {} as Record<'p1' | 'p2' | 'p3' | 'p4', number>;
const PHONES = { p1: '13700000001', p2: '13700000002', p3: '13700000003', p4: '13700000004' } as const;
let activityId: number;
let categoryId: number;
let callId: number;

const MIN = 60_000;
const inMinutes = (m: number) => new Date(Date.now() + m * MIN).toISOString();
const period = () =>
  `from=${encodeURIComponent(inMinutes(-60 * 24 * 40))}&to=${encodeURIComponent(inMinutes(60 * 24))}`;

beforeAll(async () => {
  process.env.JINGWEI_SIGNUP_RATE_LIMIT = '100000';
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  const login = async (username: string) => {
    const c = new Client(ctx.app);
    expect((await c.login(username, PASSWORD)).statusCode).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  adminB = await login('admin_b');
  leader = await login('v1_leader');
  grids.a = await addGrid(ctx.database, world.v1, 'NA');
  grids.b = await addGrid(ctx.database, world.v1, 'NB');
  grids.c = await addGrid(ctx.database, world.v2, 'SC');
  const pii = piiCipherFor(ctx.app.config.dataDir);
  const home = { p1: grids.a, p2: grids.a, p3: grids.b, p4: grids.c } as const;
  for (const key of ['p1', 'p2', 'p3', 'p4'] as const) {
    people[key] = await addPerson(ctx.database, key === 'p4' ? world.v2 : world.v1, `青年${key}`);
    await ctx.database.db.execute(
      sql`UPDATE people SET phone_idx = ${pii.blindIndex('phone', PHONES[key])}, home_grid_id = ${home[key]}
          WHERE id = ${people[key]}`,
    );
  }
  categoryId = (await t1Admin.get('/api/activity-categories')).json().items[2].id;
  // the pipeline once through: theme → plan → activity
  const theme = await t1Admin.post('/api/activity-themes', {
    orgId: world.t1.id,
    title: '冬季',
    deadline: inMinutes(600),
  });
  await t1Admin.post(`/api/activity-themes/${theme.json().id}/ideas`, { text: '冬令营' });
  const ideaId = (await t1Admin.get(`/api/activity-themes/${theme.json().id}`)).json().ideas[0].id;
  await t1Admin.post(`/api/activity-theme-ideas/${ideaId}/shortlist`, { shortlisted: true });
  expect((await t1Admin.post(`/api/activity-themes/${theme.json().id}/publish`)).statusCode).toBe(200);
  const body = {
    themeId: theme.json().id,
    orgId: world.v1.id,
    title: '冬季助学',
    purpose: '辅导功课',
    categoryId,
    gridIds: [grids.a],
    venue: '北村文化礼堂',
    startsAt: inMinutes(10),
    endsAt: inMinutes(120),
    capacity: 10,
  };
  const plan = await leader.post('/api/activity-plans', body);
  expect(plan.statusCode, plan.body).toBe(201);
  await leader.post(`/api/activity-plans/${plan.json().id}/submit`);
  // a second plan that stays a draft is not counted as a plan
  expect((await leader.post('/api/activity-plans', body)).statusCode).toBe(201);
  await t1Admin.post(`/api/activity-plans/${plan.json().id}/approve`, {});
  const act = await leader.post(`/api/activity-plans/${plan.json().id}/activities`, { signupClosesAt: inMinutes(5) });
  expect(act.statusCode, act.body).toBe(201);
  activityId = act.json().id;
});
afterAll(() => ctx?.close());

describe('calls 二维召集令', () => {
  it('publishes a call across grids; replies are sign-ups; counts those from outside the organising grid', async () => {
    const res = await leader.post('/api/activity-calls', {
      activityId,
      title: '冬季助学召集令',
      message: '招募志愿者',
      gridIds: [grids.a, grids.b, grids.c],
      categoryIds: [categoryId],
    });
    expect(res.statusCode, res.body).toBe(201);
    callId = res.json().id;
    expect(res.json()).toMatchObject({ recipients: 4, signups: 0, fromOutside: 0 });
    expect(res.json().qrUrl).toMatch(new RegExp(`/a/[^?]+\\?call=${callId}$`));
    const token = (res.json().qrUrl as string).split('/a/')[1].split('?')[0];
    for (const [name, phone] of [
      ['一', PHONES.p1],
      ['三', PHONES.p3],
      ['四', PHONES.p4],
      ['外', '13700000099'],
    ]) {
      const r = await ctx.app.inject({
        method: 'POST',
        url: `/api/public/activity-qr/${token}/signups`,
        payload: { name, phone, callId },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const list = (await t1Admin.get('/api/activity-calls')).json().items;
    expect(list.find((c: { id: number }) => c.id === callId)).toMatchObject({ signups: 4, fromOutside: 2 });
    expect((await t2Admin.get('/api/activity-calls')).json().items).toEqual([]);
    const bad = await leader.post('/api/activity-calls', { activityId, title: 'x', message: 'y', gridIds: [999999] });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().errors[0].field).toBe('gridIds.0');
    expect((await t2Admin.post('/api/activity-calls', { activityId, title: 'x', message: 'y' })).statusCode).toBe(404);
  });

  it('attendance runs the activity to publication', async () => {
    const signups = (await leader.get(`/api/activities/${activityId}/signups`)).json().items;
    for (const s of signups.filter((x: { name: string }) => x.name === '一' || x.name === '三')) {
      expect((await leader.post(`/api/activities/${activityId}/check-ins`, { signupId: s.id })).statusCode).toBe(201);
    }
    const again = await leader.post(`/api/activities/${activityId}/check-ins`, { signupId: signups[0].id });
    expect(again.json().code).toBe('CHECKIN_DUPLICATE');
    for (const step of ['start', 'finish']) await leader.post(`/api/activities/${activityId}/${step}`, {});
    expect((await leader.post(`/api/activities/${activityId}/summary`, { text: '完成' })).statusCode).toBe(201);
    expect((await leader.post(`/api/activities/${activityId}/publish`, {})).json().status).toBe('published');
  });
});

describe('figures', () => {
  it('counts the funnel per subtree and period', async () => {
    const t1 = await t1Admin.get(`/api/activity-figures/funnel?${period()}`);
    expect(t1.statusCode, t1.body).toBe(200);
    expect(t1.json()).toEqual({ themes: 1, plans: 1, activities: 1, summaries: 1, published: 1 });
    expect((await admin.get(`/api/activity-figures/funnel?${period()}&orgId=${world.t2.id}`)).json()).toEqual({
      themes: 0,
      plans: 0,
      activities: 0,
      summaries: 0,
      published: 0,
    });
    // a period before it all
    const before = `from=${encodeURIComponent(inMinutes(-60 * 24 * 80))}&to=${encodeURIComponent(inMinutes(-60 * 24 * 40))}`;
    expect((await admin.get(`/api/activity-figures/funnel?${before}`)).json().plans).toBe(0);
    const outside = await t1Admin.get(`/api/activity-figures/funnel?${period()}&orgId=${world.t2.id}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().errors[0].field).toBe('orgId');
    expect((await adminB.get(`/api/activity-figures/funnel?${period()}`)).json().activities).toBe(0);
    const wrong = await admin.get(
      `/api/activity-figures/funnel?from=${encodeURIComponent(inMinutes(0))}&to=${encodeURIComponent(inMinutes(-10))}`,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('to');
  });

  it('computes the participation rate per town, grid and month', async () => {
    const res = await admin.get(`/api/activity-figures/participation?${period()}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.total).toEqual({ registered: 4, participants: 2, rate: 50 });
    const town = (id: number) => p.towns.find((t: { id: number }) => t.id === id);
    expect(town(world.t1.id)).toMatchObject({ registered: 3, participants: 2, rate: 66.7 });
    expect(town(world.t2.id)).toMatchObject({ registered: 1, participants: 0, rate: 0 });
    const grid = (id: number) => p.grids.find((g: { id: number }) => g.id === id);
    expect(grid(grids.a)).toMatchObject({ registered: 2, participants: 1, rate: 50 });
    expect(grid(grids.b)).toMatchObject({ registered: 1, participants: 1, rate: 100 });
    expect(grid(grids.c)).toMatchObject({ registered: 1, participants: 0 });
    const month = new Date(Date.now() + 8 * 3600_000 + 10 * MIN).toISOString().slice(0, 7);
    expect(p.months.find((m: { month: string }) => m.month === month)).toEqual({ month, participants: 2, rate: 50 });
    expect(p.months.length).toBeGreaterThanOrEqual(2);
    // a town cadre sees his own subtree only
    const t2 = (await t2Admin.get(`/api/activity-figures/participation?${period()}`)).json();
    expect(t2.total).toEqual({ registered: 1, participants: 0, rate: 0 });
  });

  it('counts activities and teams by category', async () => {
    await leader.post('/api/service-teams', {
      orgId: world.v1.id,
      name: '北村网格志愿服务队',
      kind: 'grid_volunteer',
      categoryId,
      leadUnit: '柯桥农商银行',
      gridIds: [grids.a],
    });
    const res = (await admin.get(`/api/activity-figures/by-category?${period()}`)).json().items;
    expect(
      res.map((c: { name: string; activities: number; teams: number }) => [c.name, c.activities, c.teams]),
    ).toEqual([
      ['社会民生', 0, 0],
      ['产业服务', 0, 0],
      ['教育培训', 1, 1],
      ['人文宣传', 0, 0],
    ]);
  });
});

describe('dashboard section', () => {
  it('adds this year’s activities and the participation rate to the overview, per town', async () => {
    const res = await admin.get('/api/dashboard/overview');
    expect(res.statusCode, res.body).toBe(200);
    const section = res.json().sections.find((s: { key: string }) => s.key === 'activities');
    expect(section.values).toEqual({ activities: 1, summarised: 1, published: 1, participationRate: 50 });
    expect(section.byChild[String(world.t1.id)]).toEqual({
      activities: 1,
      summarised: 1,
      published: 1,
      participationRate: 66.7,
    });
    expect(section.byChild[String(world.t2.id)]).toMatchObject({ activities: 0, participationRate: 0 });
  });
});

describe('service teams', () => {
  it('keeps members, backbones and reserves, warns when missing, lists grids without a team, counts hours', async () => {
    const created = await leader.post('/api/service-teams', {
      orgId: world.v1.id,
      name: '青少年爱心帮教队',
      kind: 'caring_mentoring',
      categoryId,
      leadOrgId: world.t1.id,
      gridIds: [grids.a, grids.b],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(created.json().warnings).toEqual(['backbones_missing', 'reserves_missing']);
    expect(created.json().leadOrg).toEqual({ id: world.t1.id, name: '东湖镇团委' });
    for (const [key, role] of [
      ['p1', 'backbone'],
      ['p2', 'backbone'],
      ['p3', 'reserve'],
    ] as const) {
      const r = await leader.put(`/api/service-teams/${id}/members`, { personId: people[key], role });
      expect(r.statusCode, r.body).toBe(200);
    }
    const team = (await leader.get(`/api/service-teams/${id}`)).json();
    expect(team).toMatchObject({ members: 3, backbones: 2, reserves: 1, warnings: ['reserves_missing'] });
    expect(team.memberList.find((m: { personId: number }) => m.personId === people.p1).hours).toBe(1.8);
    // a person of another town cannot be added; another town cannot see the team
    const outside = await leader.put(`/api/service-teams/${id}/members`, { personId: people.p4, role: 'member' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().errors[0].field).toBe('personId');
    expect((await t2Admin.get(`/api/service-teams/${id}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/service-teams/${id}`)).statusCode).toBe(404);
    expect((await leader.delete(`/api/service-teams/${id}/members/${people.p2}`)).json().backbones).toBe(1);
    // grids without a grid volunteer team (the caring team does not count)
    const gaps = (await admin.get('/api/service-teams/grid-gaps')).json().items.map((g: { id: number }) => g.id);
    expect(gaps).toEqual(expect.arrayContaining([grids.b, grids.c]));
    expect(gaps).not.toContain(grids.a);
    const t1gaps = (await t1Admin.get('/api/service-teams/grid-gaps')).json().items.map((g: { id: number }) => g.id);
    expect(t1gaps).toContain(grids.b);
    expect(t1gaps).not.toContain(grids.c);
    const hours = (await t1Admin.get('/api/activity-figures/volunteer-hours')).json().items;
    expect(hours.map((h: { personId: number; hours: number }) => [h.personId, h.hours]).sort()).toEqual(
      [
        [people.p1, 1.8],
        [people.p3, 1.8],
      ].sort(),
    );
    const bad = await leader.post('/api/service-teams', { orgId: world.v1.id, name: '', kind: 'x', categoryId });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'kind']));
  });
});

describe('iCalendar feed', () => {
  it('serves the activities of an org subtree and of a grid as text/calendar', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/public/orgs/${world.t1.id}/activities.ics` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(res.body).toContain(`UID:activity-${activityId}@`);
    expect(res.body).toContain('SUMMARY:冬季助学');
    for (const line of res.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(res.body).not.toMatch(/1370000000/);
    const grid = await ctx.app.inject({ method: 'GET', url: `/api/public/grids/${grids.a}/activities.ics` });
    expect(grid.body).toContain('SUMMARY:冬季助学');
    const other = await ctx.app.inject({ method: 'GET', url: `/api/public/grids/${grids.c}/activities.ics` });
    expect(other.body).not.toContain('VEVENT');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/public/orgs/999999/activities.ics' })).statusCode).toBe(
      404,
    );
  });
});
