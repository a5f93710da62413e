import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many, one } from '../../db/sql.ts';
import { addAccount, addOrg, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';
import { type ReminderAdapter, WechatTemplateAdapter } from './order-reminders.channels.ts';
import { deliverDueReminders } from './order-reminders.service.ts';

/**
 * 件件有回音 delivery: an overdue order's reminder goes out once to the assignee's cadres on SMS and
 * WeChat (and, at the completion deadline or with nobody to tell, to the district's admins), run by
 * the job queue; a second run sends nothing new. Time is faked as in orders-more.test.ts: the
 * deadline and its job are moved into the past.
 */

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let t1Admin: Client;
let t2Admin: Client;
let adminB: Client;
let teamAdmin: Client;
let team: OrgRow;
let lonely: OrgRow;

type Delivery = { account: string; channel: string; purpose: string; status: string; detail: string | null };

async function login(username: string) {
  const c = new Client(ctx.app);
  expect((await c.login(username, PASSWORD)).statusCode).toBe(200);
  return c;
}

/** A cadre-entered order, classified immediate and dispatched to `orgId`. */
async function dispatched(orgId: number) {
  const created = await t1Admin.post('/api/orders', {
    source: 'party_gov',
    orgId: world.t1.id,
    category: 'culture',
    title: '青年篮球赛',
    classification: 'immediate',
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as number;
  const res = await t1Admin.post(`/api/orders/${id}/dispatch`, { assigneeOrgId: orgId });
  expect(res.statusCode, res.body).toBe(200);
  return { id, trackingNo: created.json().trackingNo as string };
}

/** The clock moves past the order's `kind` deadline: the deadline and its job lie in the past. */
async function pastDeadline(orderId: number, kind: 'respond' | 'complete') {
  await ctx.database.query(`UPDATE service_orders SET ${kind}_due_at = now() - interval '1 minute' WHERE id = $1`, [
    orderId,
  ]);
  await ctx.database.query(
    `UPDATE jobs SET run_at = now() - interval '1 minute'
     WHERE kind = 'order.deadline' AND (payload->>'orderId')::int = $1 AND payload->>'kind' = $2`,
    [orderId, kind],
  );
}

async function deliveries(orderId: number): Promise<Delivery[]> {
  return many<Delivery>(
    ctx.database.db,
    sql`SELECT a.username AS account, d.channel, d.purpose, d.status, d.detail
        FROM service_order_reminder_deliveries d JOIN accounts a ON a.id = d.account_id
        WHERE d.order_id = ${orderId} ORDER BY a.username, d.channel`,
  );
}

const pairs = (rows: Delivery[]) => rows.map((d) => `${d.account}/${d.channel}/${d.purpose}/${d.status}`);

beforeAll(async () => {
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0' });
  world = await buildWorld(ctx.database);
  team = await addOrg(ctx.database, world.t1, 'youth_social_org', '青鸟社工服务中心');
  lonely = await addOrg(ctx.database, world.t1, 'youth_social_org', '无人值守服务队');
  await addAccount(ctx.database, 'team_admin', 'org_admin', team);
  await addAccount(ctx.database, 'team_lead', 'team_leader', team);
  const gone = await addAccount(ctx.database, 'team_gone', 'org_admin', team);
  await ctx.database.db.execute(sql`UPDATE accounts SET active = false WHERE id = ${gone}`);
  await addAccount(ctx.database, 'team_youth', 'youth', team);
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  adminB = await login('admin_b');
  teamAdmin = await login('team_admin');
}, 120_000);
afterAll(() => ctx?.close());

describe('order reminders go out by SMS and WeChat, once', () => {
  it('nothing is sent before the deadline', async () => {
    const order = await dispatched(team.id);
    expect(await ctx.app.jobs.tick()).toBe(0);
    expect(await deliveries(order.id)).toEqual([]);
  });

  it('an overdue response: one delivery per reminder, cadre and channel; a second run sends nothing new', async () => {
    const order = await dispatched(team.id);
    const before = ctx.app.orderReminders.dev.sent.length;
    await pastDeadline(order.id, 'respond');
    expect(await ctx.app.jobs.tick()).toBe(1); // the deadline job; the tick's outbox delivers
    const rows = await deliveries(order.id);
    // the active cadres of the assigned org only (not the deactivated one, not the youth account)
    expect(pairs(rows)).toEqual([
      'team_admin/sms/assignee/recorded',
      'team_admin/wechat/assignee/recorded',
      'team_lead/sms/assignee/recorded',
      'team_lead/wechat/assignee/recorded',
    ]);
    const sent = ctx.app.orderReminders.dev.sent.slice(before);
    expect(sent).toHaveLength(4);
    expect(sent[0].text).toContain(order.trackingNo);
    expect(sent[0].text).toContain('响应时限');
    const reminder = await one<{ delivered_at: string | null }>(
      ctx.database.db,
      sql`SELECT delivered_at FROM service_order_reminders WHERE order_id = ${order.id}`,
    );
    expect(reminder?.delivered_at).not.toBeNull();

    // Another tick, the deadline job again (a retry), and two outbox runs at once: nothing new.
    expect(await ctx.app.jobs.tick()).toBe(0);
    await ctx.database.query(
      `INSERT INTO jobs (kind, payload, run_at) VALUES ('order.deadline', $1::jsonb, now() - interval '1 second')`,
      [JSON.stringify({ orderId: order.id, kind: 'respond', dispatchNo: 1 })],
    );
    expect(await ctx.app.jobs.tick()).toBe(1);
    const rt = ctx.app.orderReminders;
    expect(await Promise.all([deliverDueReminders(rt), deliverDueReminders(rt)])).toEqual([0, 0]);
    expect(await deliveries(order.id)).toHaveLength(4);
    expect(ctx.app.orderReminders.dev.sent.length - before).toBe(4);
  });

  it('two servers racing over the same due reminders deliver each exactly once', async () => {
    const a = await dispatched(team.id);
    const b = await dispatched(team.id);
    await pastDeadline(a.id, 'respond');
    await pastDeadline(b.id, 'respond');
    // the deadline jobs record the reminders; the outboxes race (a fresh batch each)
    await ctx.database.query(
      `UPDATE jobs SET run_at = now() + interval '1 day' WHERE kind <> 'order.deadline' AND done_at IS NULL`,
    );
    const rt = ctx.app.orderReminders;
    const runs = await Promise.all([ctx.app.jobs.runOne(), ctx.app.jobs.runOne()]);
    expect(runs.filter((r) => r === 'done')).toHaveLength(2);
    const counts = await Promise.all([deliverDueReminders(rt, 1), deliverDueReminders(rt, 1)]);
    expect(counts[0] + counts[1]).toBe(2);
    expect(await deliveries(a.id)).toHaveLength(4);
    expect(await deliveries(b.id)).toHaveLength(4);
  });

  it('an overdue completion also escalates to the district; nobody at the assignee escalates at once', async () => {
    const order = await dispatched(team.id);
    expect((await teamAdmin.post(`/api/orders/${order.id}/accept`, {})).statusCode).toBe(200);
    await pastDeadline(order.id, 'complete');
    expect(await ctx.app.jobs.tick()).toBe(1);
    const rows = await deliveries(order.id);
    expect(pairs(rows)).toEqual([
      'admin_a/sms/escalation/recorded',
      'admin_a/wechat/escalation/recorded',
      'team_admin/sms/assignee/recorded',
      'team_admin/wechat/assignee/recorded',
      'team_lead/sms/assignee/recorded',
      'team_lead/wechat/assignee/recorded',
    ]);
    const escalation = ctx.app.orderReminders.dev.sent.find(
      (m) => m.username === 'admin_a' && m.trackingNo === order.trackingNo,
    );
    expect(escalation?.text).toContain('督办');
    expect(escalation?.text).toContain(team.name);

    const alone = await dispatched(lonely.id);
    await pastDeadline(alone.id, 'respond');
    expect(await ctx.app.jobs.tick()).toBe(1);
    expect(pairs(await deliveries(alone.id))).toEqual([
      'admin_a/sms/escalation/recorded',
      'admin_a/wechat/escalation/recorded',
    ]);
  });

  it('a channel that fails is recorded as failed, the others still go out, nothing is retried', async () => {
    const rt = ctx.app.orderReminders;
    const wechat = rt.channels.wechat;
    const broken: ReminderAdapter = {
      name: 'broken',
      send: async () => {
        throw new Error('WeChat template: 200 43004 require subscribe');
      },
    };
    rt.channels.wechat = broken;
    try {
      const order = await dispatched(team.id);
      await pastDeadline(order.id, 'respond');
      expect(await ctx.app.jobs.tick()).toBe(1);
      const rows = await deliveries(order.id);
      expect(rows.filter((d) => d.channel === 'sms').map((d) => d.status)).toEqual(['recorded', 'recorded']);
      expect(rows.filter((d) => d.channel === 'wechat').map((d) => d.detail)).toEqual([
        'WeChat template: 200 43004 require subscribe',
        'WeChat template: 200 43004 require subscribe',
      ]);
      rt.channels.wechat = wechat;
      expect(await ctx.app.jobs.tick()).toBe(0);
      expect(await deliveries(order.id)).toHaveLength(4);
    } finally {
      rt.channels.wechat = wechat;
    }
  });

  it('cadres who see the order read its deliveries; others do not', async () => {
    const order = await dispatched(team.id);
    await pastDeadline(order.id, 'respond');
    await ctx.app.jobs.tick();
    const res = await t1Admin.get(`/api/orders/${order.id}/reminder-deliveries`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toHaveLength(4);
    expect(res.json().items[0]).toMatchObject({ reminderKind: 'respond', dispatchNo: 1, purpose: 'assignee' });
    expect((await teamAdmin.get(`/api/orders/${order.id}/reminder-deliveries`)).statusCode).toBe(200);
    expect((await t2Admin.get(`/api/orders/${order.id}/reminder-deliveries`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/orders/${order.id}/reminder-deliveries`)).statusCode).toBe(404);
  });
});

describe('WeChat template-message adapter', () => {
  it('takes an access token once, sends the template to the bound OpenID, refuses an unbound cadre', async () => {
    const calls: { url: string; body: any }[] = [];
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        calls.push({ url: req.url ?? '', body: raw ? JSON.parse(raw) : null });
        res.setHeader('content-type', 'application/json');
        if (req.url?.startsWith('/token')) res.end(JSON.stringify({ access_token: 'AT1', expires_in: 7200 }));
        else res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: 42 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const adapter = new WechatTemplateAdapter(
        { appId: 'wx1', appSecret: 's3cret', templateId: 'TPL', openids: { team_admin: 'OPENID-1' } },
        base,
      );
      const message = {
        deliveryId: 1,
        channel: 'wechat' as const,
        accountId: 1,
        username: 'team_admin',
        text: '工单已超时',
        trackingNo: 'JW1',
      };
      expect(await adapter.send(message)).toEqual({ status: 'sent', detail: 'wechat-template:42' });
      await adapter.send(message);
      expect(calls.filter((c) => c.url.startsWith('/token'))).toHaveLength(1);
      const sends = calls.filter((c) => c.url.startsWith('/message/template/send'));
      expect(sends).toHaveLength(2);
      expect(sends[0].url).toContain('access_token=AT1');
      expect(sends[0].body).toMatchObject({
        touser: 'OPENID-1',
        template_id: 'TPL',
        data: { keyword1: { value: 'JW1' } },
      });
      await expect(adapter.send({ ...message, username: 'someone_else' })).rejects.toThrow(/OpenID/);
    } finally {
      server.close();
    }
  });
});
