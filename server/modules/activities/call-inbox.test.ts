import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many, one } from '../../db/sql.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { lastDevSmsCode } from '../../lib/sms.ts';
import { addAccount, addGrid, addPerson, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

/**
 * 我的召集令: a call's recipients (home grid in the call's grids, a skill in common — the rule that
 * counted them) are texted their personal link when the call is published; the link opens their
 * inbox. Non-recipients and other districts do not see the call; forged, expired and withdrawn
 * links are refused.
 */

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let leader: Client;
let t1Admin: Client;
let tbAdmin: Client;
let adminB: Client;

const MIN = 60_000;
const inMinutes = (m: number) => new Date(Date.now() + m * MIN).toISOString();
const PHONES = {
  p1: '13900000001',
  p2: '13900000002',
  p3: '13900000003',
  p5: '13900000005',
  p6: '13900000006',
} as const;
type Who = keyof typeof PHONES;
const people = {} as Record<Who, number>;
const grids = {} as Record<'a' | 'b' | 'c' | 'x', number>;
let activityA: number;
let activityB: number;

async function login(username: string) {
  const c = new Client(ctx.app);
  expect((await c.login(username, PASSWORD)).statusCode).toBe(200);
  return c;
}

/** theme-less plan → submitted → approved → an open activity. */
async function openActivity(author: Client, approver: Client, orgId: number, title: string) {
  const categoryId = (await author.get('/api/activity-categories')).json().items[0].id;
  const plan = await author.post('/api/activity-plans', {
    orgId,
    title,
    purpose: '服务青年',
    categoryId,
    venue: '青年之家',
    startsAt: inMinutes(60 * 24),
    endsAt: inMinutes(60 * 26),
    capacity: 30,
  });
  expect(plan.statusCode, plan.body).toBe(201);
  expect((await author.post(`/api/activity-plans/${plan.json().id}/submit`)).statusCode).toBe(200);
  expect((await approver.post(`/api/activity-plans/${plan.json().id}/approve`, {})).statusCode).toBe(200);
  const act = await author.post(`/api/activity-plans/${plan.json().id}/activities`, {
    signupClosesAt: inMinutes(60 * 20),
  });
  expect(act.statusCode, act.body).toBe(201);
  return act.json().id as number;
}

async function publishCall(by: Client, body: Record<string, unknown>) {
  const res = await by.post('/api/activity-calls', { title: '召集令', message: '欢迎报名', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; recipients: number };
}

const tokenOf = (who: Who) => lastDevSmsCode(PHONES[who]);
const inboxOf = (token: string) => ctx.app.inject({ method: 'GET', url: `/api/public/call-inbox/${token}` });
const callIdsOf = async (who: Who) => {
  const res = await inboxOf(tokenOf(who)!);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: number }[]).map((c) => c.id);
};
const noticeCount = async (callId: number) =>
  (await one<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM activity_call_notices WHERE call_id = ${callId} AND status <> 'no_phone'`,
  ))!.n;

beforeAll(async () => {
  process.env.JINGWEI_SIGNUP_RATE_LIMIT = '100000';
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0' });
  world = await buildWorld(ctx.database);
  await addAccount(ctx.database, 'tb_leader', 'grid_leader', world.tb);
  leader = await login('v1_leader');
  t1Admin = await login('t1_admin');
  tbAdmin = await login('tb_admin');
  adminB = await login('admin_b');
  grids.a = await addGrid(ctx.database, world.v1, 'IA');
  grids.b = await addGrid(ctx.database, world.v1, 'IB');
  grids.c = await addGrid(ctx.database, world.v2, 'IC');
  grids.x = await addGrid(ctx.database, world.tb, 'IX');
  const pii = piiCipherFor(ctx.app.config.dataDir);
  const setup: Record<Who, { org: typeof world.v1; grid: number; skills: string[] }> = {
    p1: { org: world.v1, grid: grids.a, skills: ['摄影'] },
    p2: { org: world.v1, grid: grids.b, skills: [] },
    p3: { org: world.v2, grid: grids.c, skills: ['摄影', '急救'] },
    p5: { org: world.v1, grid: grids.a, skills: ['摄影'] },
    p6: { org: world.tb, grid: grids.x, skills: ['摄影'] },
  };
  for (const who of Object.keys(setup) as Who[]) {
    const s = setup[who];
    people[who] = await addPerson(ctx.database, s.org, `青年${who}`);
    await ctx.database.db.execute(
      sql`UPDATE people SET phone_enc = ${pii.encrypt(PHONES[who])}, phone_idx = ${pii.blindIndex('phone', PHONES[who])},
            home_grid_id = ${s.grid}, skills = ${JSON.stringify(s.skills)}::jsonb WHERE id = ${people[who]}`,
    );
  }
  // p5 left the registry: never a recipient
  await ctx.database.db.execute(sql`UPDATE people SET withdrawn_at = now() WHERE id = ${people.p5}`);
  activityA = await openActivity(leader, t1Admin, world.v1.id, '摄影志愿服务');
  activityB = await openActivity(tbAdmin, adminB, world.tb.id, '乙区植树');
}, 120_000);
afterAll(() => ctx?.close());

describe('我的召集令 the youth call inbox', () => {
  let photoCall: number;
  let gridBCall: number;
  let allCall: number;
  let callB: number;

  it('texts the recipients their personal link once, by the rule that counted them', async () => {
    const call = await publishCall(leader, { activityId: activityA, gridIds: [grids.a, grids.c], skills: ['摄影'] });
    photoCall = call.id;
    expect(call.recipients).toBe(2); // p1 and p3 (p5 withdrawn, p2 no skill in common)
    for (const who of Object.keys(PHONES) as Who[]) expect(tokenOf(who), who).toBeUndefined();
    expect(await ctx.app.jobs.tick()).toBe(1);
    expect(await noticeCount(photoCall)).toBe(call.recipients);
    expect(tokenOf('p1')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(tokenOf('p3')).toBeDefined();
    for (const who of ['p2', 'p5', 'p6'] as const) expect(tokenOf(who), who).toBeUndefined();
    // a second run of the same job (a retry, a second server) texts nobody again. Due a second ago: the
    // queue compares with the JS clock (milliseconds), and the server's now() of the same millisecond is later.
    await ctx.database.query(
      `INSERT INTO jobs (kind, payload, run_at) VALUES ('activity.call.notice', $1::jsonb, now() - interval '1 second')`,
      [JSON.stringify({ callId: photoCall, baseUrl: 'http://localhost' })],
    );
    expect(await ctx.app.jobs.tick()).toBe(1);
    expect(await noticeCount(photoCall)).toBe(2);

    gridBCall = (await publishCall(leader, { activityId: activityA, gridIds: [grids.b] })).id;
    allCall = (await publishCall(leader, { activityId: activityA })).id;
    callB = (await publishCall(tbAdmin, { activityId: activityB })).id;
    expect(await ctx.app.jobs.tick()).toBe(3);
    expect(await noticeCount(gridBCall)).toBe(1);
    expect(await noticeCount(allCall)).toBe(3); // p1, p2, p3 — the whole district A, not p6
    expect(await noticeCount(callB)).toBe(1);
    // one live link per person: later calls reuse it
    const links = await many<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM youth_inbox_links GROUP BY person_id`,
    );
    expect(links.every((l) => l.n === 1)).toBe(true);
  });

  it('shows each youth exactly the calls he receives, in his district, with a sign-up link', async () => {
    expect(await callIdsOf('p1')).toEqual([allCall, photoCall]);
    expect(await callIdsOf('p3')).toEqual([allCall, photoCall]);
    expect(await callIdsOf('p2')).toEqual([allCall, gridBCall]);
    expect(await callIdsOf('p6')).toEqual([callB]);
    const res = await inboxOf(tokenOf('p1')!);
    const body = res.json();
    expect(body.name).toBe('青**');
    expect(JSON.stringify(body)).not.toContain(PHONES.p1);
    const item = body.items.find((c: { id: number }) => c.id === photoCall);
    expect(item).toMatchObject({ orgName: '北村团总支', activity: { id: activityA, placesLeft: 30 }, signedUp: false });
    expect(item.signupUrl).toMatch(new RegExp(`/a/[^?]+\\?call=${photoCall}$`));
    // the link signs him up for the call; the inbox then says so
    const qr = (item.signupUrl as string).split('/a/')[1].split('?')[0];
    const signup = await ctx.app.inject({
      method: 'POST',
      url: `/api/public/activity-qr/${qr}/signups`,
      payload: { name: '青年p1', phone: PHONES.p1, callId: photoCall },
    });
    expect(signup.statusCode, signup.body).toBe(201);
    const after = (await inboxOf(tokenOf('p1')!)).json();
    expect(after.items.find((c: { id: number }) => c.id === photoCall).signedUp).toBe(true);
  });

  it('refuses a forged link, a QR code, an expired link and a withdrawn youth', async () => {
    const good = tokenOf('p2')!;
    const [id, sig] = good.split('.');
    const forged = `${id}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const token of [forged, `${'A'.repeat(22)}.${sig}`, `${id}x.${sig}`]) {
      const res = await inboxOf(token);
      expect(res.statusCode, token).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('INBOX_LINK_INVALID');
    }
    // an activity QR token is signed with the same key but is never an inbox link
    const qrUrl = (await leader.get(`/api/activities/${activityA}`)).json().qrUrl as string;
    const qrToken = qrUrl.split('/a/')[1];
    expect((await inboxOf(qrToken)).statusCode).toBe(404);
    // hostile input: the schema names the field
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/public/call-inbox/%3Cscript%3E' });
    expect(bad.statusCode).toBe(400);

    await ctx.database.db.execute(
      sql`UPDATE youth_inbox_links SET expires_at = now() - interval '1 minute' WHERE person_id = ${people.p2}`,
    );
    const expired = await inboxOf(good);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('INBOX_LINK_EXPIRED');

    await ctx.database.db.execute(sql`UPDATE people SET withdrawn_at = now() WHERE id = ${people.p3}`);
    expect((await inboxOf(tokenOf('p3')!)).statusCode).toBe(410);

    // a new call renews the expired link for p2 (a new token, which works)
    await publishCall(leader, { activityId: activityA, gridIds: [grids.b] });
    expect(await ctx.app.jobs.tick()).toBe(1);
    expect(tokenOf('p2')).not.toBe(good);
    expect((await inboxOf(tokenOf('p2')!)).statusCode).toBe(200);
  });
});
