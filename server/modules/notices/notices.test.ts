import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldEscalate } from '../../../domain/notice.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { many, one } from '../../db/sql.ts';
import { addAccount, addOrg, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let v1Leader: Client;
let t1Leader: Client;
let v1Youth: Client;
let t2Admin: Client;
let adminB: Client;
let ids: Record<string, number>;
let gridId: number;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function login(username: string) {
  const c = new Client(ctx.app);
  const res = await c.login(username, PASSWORD);
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

async function accountId(username: string) {
  const r = await one<{ id: number }>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = ${username}`);
  return r!.id;
}

async function count(query: ReturnType<typeof sql>) {
  return (await one<{ n: number }>(ctx.database.db, query))!.n;
}

const send = (c: Client, body: Record<string, unknown>) =>
  c.post('/api/notices', { title: '防汛紧急通知', body: '今晚 8 点前到岗', priority: 'urgent', ...body });

beforeAll(async () => {
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0', JINGWEI_LOGIN_RATE_LIMIT: '100000' });
  world = await buildWorld(ctx.database);
  await addAccount(ctx.database, 't1_leader', 'grid_leader', world.t1);
  const v1LeaderId = await accountId('v1_leader');
  const g = await one<{ id: number }>(
    ctx.database.db,
    sql`INSERT INTO grids (district_id, code, name, kind, org_id, leader_account_id)
        VALUES (${world.districtA}, 'G-V1-1', '北村第1网格', 'village', ${world.v1.id}, ${v1LeaderId}) RETURNING id`,
  );
  gridId = g!.id;
  admin = await login('admin_a');
  t1Admin = await login('t1_admin');
  v1Leader = await login('v1_leader');
  t1Leader = await login('t1_leader');
  v1Youth = await login('v1_youth');
  t2Admin = await login('t2_admin');
  adminB = await login('admin_b');
  ids = {
    adminA: await accountId('admin_a'),
    t1Admin: await accountId('t1_admin'),
    t2Admin: await accountId('t2_admin'),
    v1Leader: v1LeaderId,
  };
});
let restarted = false;
afterAll(async () => {
  if (!restarted) return ctx?.close();
  await ctx.app.close();
  await ctx.database.close();
});

describe('tower registry', () => {
  it('registers groups with an admin and instructors from above; lists gaps; refuses out-of-scope input', async () => {
    const res = await t1Admin.post('/api/notices/towers', {
      orgId: world.v1.id,
      channel: 'wechat',
      name: '北村青年群',
      ident: 'wxid-123',
      adminAccountId: ids.v1Leader,
      instructorAccountIds: [ids.t1Admin, ids.adminA], // the district's cadre sits above t1_admin's subtree
    });
    expect(res.statusCode, res.body).toBe(201);
    const group = res.json();
    expect(group.level).toBe('village');
    expect(group.admin.id).toBe(ids.v1Leader);
    expect(group.instructors.map((i: { id: number }) => i.id).sort()).toEqual([ids.adminA, ids.t1Admin].sort());

    const dup = await t1Admin.post('/api/notices/towers', { orgId: world.v1.id, channel: 'wechat', name: '又一个' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('channel');

    // An instructor from a sibling town is neither in scope nor above the group.
    const bad = await t1Admin.post('/api/notices/towers', {
      orgId: world.v1.id,
      channel: 'qq',
      name: 'QQ群',
      instructorAccountIds: [ids.t2Admin],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ field: 'instructorAccountIds.0', message: expect.any(String) }]);

    const outside = await t1Admin.post('/api/notices/towers', { orgId: world.t2.id, channel: 'wechat', name: 'x' });
    expect(outside.statusCode).toBe(404);
    const both = await t1Admin.post('/api/notices/towers', { orgId: world.v1.id, gridId, channel: 'qq', name: 'x' });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('orgId');

    const gridGroup = await t1Admin.post('/api/notices/towers', { gridId, channel: 'in_app', name: '网格群' });
    expect(gridGroup.statusCode, gridGroup.body).toBe(201);
    expect(gridGroup.json().admin).toBeNull();

    const gaps = (await admin.get('/api/notices/towers/gaps')).json();
    const problems = new Map(gaps.items.map((g: any) => [`${g.kind}:${g.id}`, g.problem]));
    expect(problems.get(`org:${world.v1.id}`)).toBeUndefined();
    expect(problems.get(`org:${world.t1.id}`)).toBe('no_group');
    expect(problems.get(`grid:${gridId}`)).toBe('no_admin');
    expect(gaps.noGroup).toBeGreaterThanOrEqual(4);

    const list = (await t1Admin.get('/api/notices/towers')).json();
    expect(list.total).toBe(2);
    expect((await t2Admin.get('/api/notices/towers')).json().total).toBe(0);
    const edit = await t2Admin.patch(`/api/notices/towers/${group.id}`, { name: '改' });
    expect(edit.statusCode).toBe(404);
  });
});

describe('sending: bad input', () => {
  it('refuses an empty target and says why, writing nothing', async () => {
    const before = await count(sql`SELECT count(*)::int AS n FROM notices`);
    const none = await send(admin, { target: { mode: 'chosen', orgIds: [], gridIds: [] } });
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe('NOTICE_TARGET_EMPTY');
    expect(none.json().detail).toMatch(/没有选择/);
    const noKinds = await send(t1Admin, {
      target: { mode: 'subtree', rootOrgId: world.v1.id, orgKinds: ['town_committee'], includeGrids: false },
    });
    expect(noKinds.statusCode).toBe(422);
    expect(noKinds.json().detail).toContain('北村团总支');
    expect(noKinds.json().errors[0].field).toBe('target');
    expect(await count(sql`SELECT count(*)::int AS n FROM notices`)).toBe(before);
    expect(await count(sql`SELECT count(*)::int AS n FROM jobs`)).toBe(0);
  });

  it('refuses a subtree or org outside the scope (404, audited) and another district', async () => {
    const res = await send(t1Admin, { target: { mode: 'subtree', rootOrgId: world.t2.id } });
    expect(res.statusCode).toBe(404);
    const chosen = await send(t1Admin, { target: { mode: 'chosen', orgIds: [world.v1.id, world.tb.id] } });
    expect(chosen.statusCode).toBe(404);
    expect(chosen.json().errors).toEqual([{ field: 'target.orgIds.1', message: expect.any(String) }]);
    const otherDistrict = await send(adminB, { target: { mode: 'chosen', gridIds: [gridId] } });
    expect(otherDistrict.statusCode).toBe(404);
    expect(otherDistrict.json().errors[0].field).toBe('target.gridIds.0');
    const named = await send(t1Admin, { districtId: world.districtB, target: { mode: 'subtree' } });
    expect(named.statusCode).toBe(404);
    const audited = await count(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'scope.denied'`);
    expect(audited).toBeGreaterThanOrEqual(2);
  });

  it('validates fields, refuses senders without the permission and oversized attachments', async () => {
    const res = await admin.post('/api/notices', { title: '', priority: 'soon', target: { mode: 'subtree' } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'body', 'priority']));
    expect((await send(v1Leader, { target: { mode: 'subtree' } })).statusCode).toBe(403);
    expect((await send(v1Youth, { target: { mode: 'subtree' } })).statusCode).toBe(403);

    const big = Buffer.alloc(2 * 1024 * 1024 + 1, 7).toString('base64');
    const tooBig = await send(admin, {
      target: { mode: 'subtree' },
      attachments: [{ name: 'big.pdf', mimeType: 'application/pdf', dataBase64: big }],
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().errors[0].field).toBe('attachments.0.dataBase64');
    const huge = Buffer.alloc(9 * 1024 * 1024, 1).toString('base64');
    const overLimit = await send(admin, {
      target: { mode: 'subtree' },
      attachments: [{ name: 'huge.bin', mimeType: 'application/octet-stream', dataBase64: huge }],
    });
    expect(overLimit.statusCode).toBe(413);
    // A sent notice is never edited in place: there is no such route; corrections are.
    expect((await admin.patch('/api/notices/1', { title: 'x' })).statusCode).toBe(404);
  });
});

describe('sending, receiving, acknowledging', () => {
  let noticeId: number;
  let v1Target: number;
  let t2Target: number;

  it('stores the notice and one receipt per reached org and grid with their responsible cadres', async () => {
    const file = Buffer.from('值班表').toString('base64');
    const res = await send(admin, {
      priority: 'general',
      target: { mode: 'subtree' },
      replySpec: {
        kind: 'form',
        prompt: '今晚可出动人数',
        fields: [{ key: 'headcount', label: '人数', type: 'number' }],
      },
      attachments: [{ name: '值班表.txt', mimeType: 'text/plain', dataBase64: file }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const notice = res.json();
    noticeId = notice.id;
    // T1, T2, V1, V2 and the grid; the district root (the sender's own org) is not a target.
    expect(notice.targetCount).toBe(5);
    expect(notice.deadlineSeconds).toBe(600);
    expect(notice.attachments).toHaveLength(1);
    const rows = await many<any>(
      ctx.database.db,
      sql`SELECT org_id, grid_id, level, responsible_account_ids FROM notice_targets WHERE notice_id = ${noticeId}`,
    );
    expect(rows).toHaveLength(5);
    const byOrg = (orgId: number) => rows.find((r) => r.org_id === orgId && r.grid_id === null);
    expect(byOrg(world.t1.id).level).toBe('town');
    expect(byOrg(world.v1.id).level).toBe('village');
    expect(byOrg(world.v1.id).responsible_account_ids.map(Number)).toContain(ids.v1Leader);
    expect(byOrg(world.t1.id).responsible_account_ids.map(Number)).toContain(ids.t1Admin);
    expect(rows.find((r) => r.grid_id === gridId).responsible_account_ids.map(Number)).toEqual([ids.v1Leader]);
    expect(await count(sql`SELECT count(*)::int AS n FROM jobs WHERE payload->>'noticeId' = ${String(noticeId)}`)).toBe(
      1,
    );

    const inbox = (await v1Leader.get('/api/notices/inbox?status=pending')).json();
    expect(inbox.pending).toBe(2); // V1 and its grid
    const item = inbox.items.find((i: any) => i.org.id === world.v1.id && !i.grid);
    expect(item.replySpec.kind).toBe('form');
    expect(item.attachments[0].name).toBe('值班表.txt');
    v1Target = item.targetId;
    const download = await v1Leader.get(`/api/notices/${noticeId}/attachments/${item.attachments[0].id}`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('值班表');
    expect((await adminB.get(`/api/notices/${noticeId}/attachments/${item.attachments[0].id}`)).statusCode).toBe(404);
    t2Target = (await t2Admin.get('/api/notices/inbox')).json().items[0].targetId;
  });

  it('acknowledgement: responsible cadre once (idempotent), not someone else; reply checked', async () => {
    const bystander = await t1Leader.post(`/api/notices/targets/${v1Target}/ack`, {});
    expect(bystander.statusCode).toBe(403);
    expect(bystander.json().code).toBe('NOTICE_NOT_RESPONSIBLE');
    expect((await t2Admin.post(`/api/notices/targets/${v1Target}/ack`, {})).statusCode).toBe(404);
    expect((await adminB.post(`/api/notices/targets/${v1Target}/ack`, {})).statusCode).toBe(404);
    expect((await v1Youth.post(`/api/notices/targets/${v1Target}/ack`, {})).statusCode).toBe(403);
    expect((await v1Leader.post('/api/notices/targets/999999999/ack', {})).statusCode).toBe(404);

    const wrong = await v1Leader.post(`/api/notices/targets/${v1Target}/ack`, {
      reply: { values: { headcount: '很多' } },
    });
    expect(wrong.statusCode, wrong.body).toBe(422);
    expect(wrong.json().errors[0].field).toBe('reply.values.headcount');

    const first = await v1Leader.post(`/api/notices/targets/${v1Target}/ack`, { channel: 'phone' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      firstAck: true,
      onTime: true,
      channel: 'phone',
      acknowledgedBy: ids.v1Leader,
    });
    const second = await v1Leader.post(`/api/notices/targets/${v1Target}/ack`, {
      channel: 'web',
      reply: { values: { headcount: 12 } },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      firstAck: false,
      channel: 'phone',
      acknowledgedAt: first.json().acknowledgedAt,
      reply: { values: { headcount: 12 } },
    });
    const acks = await count(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'notice.ack' AND entity_id = ${String(v1Target)}`,
    );
    expect(acks).toBe(1);
    // An admin above acknowledges for the org below.
    const above = await admin.post(`/api/notices/targets/${t2Target}/ack`, {});
    expect(above.statusCode).toBe(200);
    expect(above.json().acknowledgedBy).toBe(ids.adminA);
  });

  it('reach report and monthly on-time rate per town', async () => {
    const report = (await admin.get(`/api/notices/${noticeId}/report`)).json();
    expect(report.total).toMatchObject({ targets: 5, acknowledged: 2, onTime: 2, pending: 3, late: 0, replies: 1 });
    expect(report.total.onTimeRate).toBeCloseTo(0.4);
    expect(report.levels.map((l: any) => l.level)).toEqual(['town', 'village', 'grid']);
    expect(report.timeline.at(-1).cumulative).toBe(2);
    expect((await t1Admin.get(`/api/notices/${noticeId}/report`)).statusCode).toBe(404);
    expect((await v1Leader.get(`/api/notices/${noticeId}/report`)).statusCode).toBe(403);

    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const onTime = (await admin.get(`/api/notices/on-time?month=${month}`)).json();
    // Only receipts acknowledged or past their deadline count: V1 (on time, under T1) and T2 (on time).
    expect(onTime.towns).toEqual([
      expect.objectContaining({ townId: world.t1.id, targets: 1, onTime: 1, onTimeRate: 1 }),
      expect.objectContaining({ townId: world.t2.id, targets: 1, onTime: 1, onTimeRate: 1 }),
    ]);
    const bad = await admin.get('/api/notices/on-time?month=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('month');
  });

  it('a correction is a new notice to the same targets; the original keeps its history and stops', async () => {
    const res = await admin.post(`/api/notices/${noticeId}/corrections`, {
      title: '更正：防汛通知',
      body: '改为 9 点到岗',
    });
    expect(res.statusCode, res.body).toBe(201);
    const correction = res.json();
    expect(correction.correctionOf).toBe(noticeId);
    expect(correction.targetCount).toBe(5);
    expect(correction.attachments).toHaveLength(1);
    expect(correction.history.map((h: any) => [h.id, h.current])).toEqual([
      [noticeId, false],
      [correction.id, true],
    ]);
    const original = (await admin.get(`/api/notices/${noticeId}`)).json();
    expect(original.supersededBy).toBe(correction.id);
    expect(original.body).toBe('今晚 8 点前到岗');
    const again = await admin.post(`/api/notices/${noticeId}/corrections`, { title: 'x', body: 'y' });
    expect(again.statusCode).toBe(409);
    const inbox = (await v1Leader.get('/api/notices/inbox?status=pending')).json();
    expect(inbox.items.every((i: any) => i.noticeId === correction.id)).toBe(true);
    expect(inbox.pending).toBe(2);
  });
});

describe('escalation', () => {
  it('escalates each late org exactly once per deadline, never an on-time one, alerting above and re-sending', async () => {
    await admin.put('/api/notices/settings', { urgentSeconds: 1 });
    await t1Admin.post('/api/notices/towers', {
      orgId: world.t1.id,
      channel: 'wecom',
      name: '东湖镇团委群',
      instructorAccountIds: [ids.adminA],
    });
    const res = await send(admin, {
      target: { mode: 'chosen', orgIds: [world.t1.id, world.v1.id, world.v2.id], gridIds: [gridId] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const noticeId = res.json().id;
    const targets = await many<{ id: string; org_id: number; grid_id: number | null }>(
      ctx.database.db,
      sql`SELECT id, org_id, grid_id FROM notice_targets WHERE notice_id = ${noticeId}`,
    );
    const of = (orgId: number, grid = false) =>
      Number(targets.find((t) => t.org_id === orgId && !!t.grid_id === grid)!.id);
    const ack = await v1Leader.post(`/api/notices/targets/${of(world.v1.id)}/ack`, {});
    expect(ack.json().onTime).toBe(true);

    expect(await ctx.app.jobs.tick()).toBe(0); // nothing due yet
    await sleep(1100);
    expect(await ctx.app.jobs.tick()).toBe(1);
    const level1 = await many<any>(
      ctx.database.db,
      sql`SELECT target_id, level, alerted_account_ids, resend_channel FROM notice_escalations WHERE notice_id = ${noticeId}`,
    );
    const late = [of(world.t1.id), of(world.v2.id), of(world.v1.id, true)].sort();
    expect(level1.map((e) => Number(e.target_id)).sort()).toEqual(late);
    expect(level1.every((e) => e.level === 1 && e.resend_channel === 'sms')).toBe(true);
    // T1 late: its group's instructor (the district admin) and the root's cadres are alerted.
    const t1Alert = level1.find((e) => Number(e.target_id) === of(world.t1.id));
    expect(t1Alert.alerted_account_ids.map(Number)).toContain(ids.adminA);
    // The grid late: the cadres of its org (V1 has no org admin) — none; V2 late: T2's admin.
    const v2Alert = level1.find((e) => Number(e.target_id) === of(world.v2.id));
    expect(v2Alert.alerted_account_ids.map(Number)).toEqual([ids.t2Admin]);

    // The same rule as the domain's, receipt by receipt.
    const notice = await one<any>(
      ctx.database.db,
      sql`SELECT sent_at, deadline_seconds FROM notices WHERE id = ${noticeId}`,
    );
    const rows = await many<any>(
      ctx.database.db,
      sql`SELECT id, acknowledged_at, escalation_level FROM notice_targets WHERE notice_id = ${noticeId}`,
    );
    for (const r of rows) {
      const escalatedNow = r.escalation_level === 1;
      const rule = shouldEscalate(
        { acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at) : null, escalationLevel: 0 },
        { sentAt: new Date(notice.sent_at), deadlineSeconds: notice.deadline_seconds, superseded: false },
        1,
        new Date(),
      );
      expect(escalatedNow, `target ${r.id}`).toBe(rule);
    }

    // The outbox handed the re-sends and alerts to the development recorder.
    const deliveries = await many<any>(
      ctx.database.db,
      sql`SELECT purpose, channel, status FROM notice_deliveries WHERE notice_id = ${noticeId}`,
    );
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.status === 'recorded')).toBe(true);
    expect(deliveries.some((d) => d.purpose === 'resend' && d.channel === 'sms')).toBe(true);
    expect(deliveries.some((d) => d.purpose === 'alert')).toBe(true);

    // Running again changes nothing: once per level.
    expect(await ctx.app.jobs.tick()).toBe(0);
    expect(await count(sql`SELECT count(*)::int AS n FROM notice_escalations WHERE notice_id = ${noticeId}`)).toBe(3);

    // The second deadline escalates one level further, for those still late.
    await t2Admin.post(`/api/notices/targets/${of(world.v2.id)}/ack`, {});
    await sleep(1000);
    expect(await ctx.app.jobs.tick()).toBe(1);
    const level2 = await many<any>(
      ctx.database.db,
      sql`SELECT target_id, alerted_account_ids, resend_channel FROM notice_escalations WHERE notice_id = ${noticeId} AND level = 2`,
    );
    expect(level2.map((e) => Number(e.target_id)).sort()).toEqual([of(world.t1.id), of(world.v1.id, true)].sort());
    expect(level2.every((e) => e.resend_channel === 'wecom')).toBe(true);
    // The grid's second level: the town above its village is alerted.
    expect(level2.find((e) => Number(e.target_id) === of(world.v1.id, true)).alerted_account_ids.map(Number)).toContain(
      ids.t1Admin,
    );
    const report = (await admin.get(`/api/notices/${noticeId}/report`)).json();
    expect(report.total).toMatchObject({ targets: 4, onTime: 1, late: 3, escalated: 3 });
    expect(report.lateList).toHaveLength(3);
    await admin.put('/api/notices/settings', { urgentSeconds: 180 });
  });

  it('soak (bounded): 2,000 connected cadres acknowledging at random — each once, late ones escalated once', async () => {
    const n = 2000;
    // 2,000 villages under T2, each with a grid leader bound to it.
    await ctx.database.db.execute(sql`
      INSERT INTO orgs (district_id, parent_id, kind, name, hierarchical, path, depth, name_pinyin, name_initials)
      SELECT ${world.districtA}, ${world.t2.id}, 'village_branch', '浸泡村' || g, true, '', 2, 'jp' || g, 'jp' || g
      FROM generate_series(1, ${n}) g`);
    await ctx.database.db.execute(sql`UPDATE orgs SET path = ${world.t2.path} || id || '/' WHERE path = ''`);
    await ctx.database.db.execute(sql`
      INSERT INTO accounts (district_id, org_id, username, display_name, role, password_hash, must_change_password)
      SELECT ${world.districtA}, o.id, 'soak' || o.id, '浸泡' || o.id, 'grid_leader', 'x', false
      FROM orgs o WHERE o.name LIKE '浸泡村%'`);
    const leaders = await many<{ id: number; org_id: number; path: string }>(
      ctx.database.db,
      sql`SELECT a.id, a.org_id, o.path FROM accounts a JOIN orgs o ON o.id = a.org_id WHERE a.username LIKE 'soak%'`,
    );
    expect(leaders).toHaveLength(n);
    // Every cadre connected to the live stream (in process).
    const received = new Map<number, number>();
    const unsubscribe = leaders.map((l) =>
      ctx.app.notices.hub.subscribe(l.id, (e) => {
        if (e.type === 'notice') received.set(l.id, e.targetId);
      }),
    );
    const res = await send(admin, { target: { mode: 'subtree', rootOrgId: world.t2.id, includeGrids: false } });
    expect(res.statusCode, res.body).toBe(201);
    const noticeId = res.json().id;
    expect(res.json().targetCount).toBe(n + 2); // T2, V2 and the soak villages
    expect(received.size).toBe(n);

    const { acknowledge } = await import('./notices.service.ts');
    const rt = ctx.app.notices;
    const actorOf = (l: (typeof leaders)[number]) => ({
      accountId: l.id,
      username: `soak${l.id}`,
      role: 'grid_leader' as const,
      districtId: world.districtA,
      orgId: l.org_id,
      scopePath: l.path,
      mustChangePassword: false,
      lang: 'zh-CN' as const,
      ip: '127.0.0.1',
    });
    // About 60 % acknowledge within the deadline, at random times, some tapping twice.
    const onTime = leaders.filter((_, i) => (i * 7919) % 10 < 6);
    await Promise.all(
      onTime.map(async (l, i) => {
        await sleep((i * 37) % 1500);
        await acknowledge(rt, actorOf(l), received.get(l.id)!, { channel: 'web' });
        if (i % 5 === 0) await acknowledge(rt, actorOf(l), received.get(l.id)!, { channel: 'web' });
      }),
    );
    // Past the 3-minute deadline without waiting for it: move the notice's whole clock back (sending, deadlines,
    // acknowledgements, the deadline job), so the test does not depend on how fast this machine acknowledges.
    const shift = sql`interval '181 seconds'`;
    await ctx.database.db.execute(sql`UPDATE notices SET sent_at = sent_at - ${shift} WHERE id = ${noticeId}`);
    await ctx.database.db.execute(
      sql`UPDATE notice_targets SET deadline_at = deadline_at - ${shift}, acknowledged_at = acknowledged_at - ${shift}
          WHERE notice_id = ${noticeId}`,
    );
    await ctx.database.db.execute(
      sql`UPDATE jobs SET run_at = run_at - ${shift} WHERE done_at IS NULL AND payload->>'noticeId' = ${String(noticeId)}`,
    );
    expect(await ctx.app.jobs.tick()).toBeGreaterThanOrEqual(1);
    for (const u of unsubscribe) u();

    const acked = await count(
      sql`SELECT count(*)::int AS n FROM notice_targets WHERE notice_id = ${noticeId} AND acknowledged_at IS NOT NULL`,
    );
    expect(acked).toBe(onTime.length);
    const ackAudits = await count(
      sql`SELECT count(*)::int AS n FROM audit_log a JOIN notice_targets t ON a.entity_id = t.id::text
          WHERE a.action = 'notice.ack' AND t.notice_id = ${noticeId}`,
    );
    expect(ackAudits).toBe(onTime.length);
    const escalations = await many<{ target_id: string; n: number; acked: boolean }>(
      ctx.database.db,
      sql`SELECT e.target_id, count(*)::int AS n, bool_or(t.acknowledged_at IS NOT NULL) AS acked
          FROM notice_escalations e JOIN notice_targets t ON t.id = e.target_id
          WHERE e.notice_id = ${noticeId} AND e.level = 1 GROUP BY e.target_id`,
    );
    expect(escalations.filter((e) => e.n !== 1 || e.acked)).toEqual([]);
    expect(escalations).toHaveLength(n + 2 - onTime.length);
    const onTimeEscalated = await count(
      sql`SELECT count(*)::int AS n FROM notice_targets t JOIN notice_escalations e ON e.target_id = t.id
          WHERE t.notice_id = ${noticeId} AND t.acknowledged_at <= t.deadline_at`,
    );
    expect(onTimeEscalated).toBe(0);
  }, 180_000); // 2,000 sessions and acknowledgements: over a minute on a loaded 2-core CI machine
});

describe('durability and live push', () => {
  it('a pending deadline fires after a restart (new app on the same database)', async () => {
    await admin.put('/api/notices/settings', { urgentSeconds: 2 });
    const res = await send(admin, { target: { mode: 'chosen', orgIds: [world.v2.id] } });
    expect(res.statusCode).toBe(201);
    const noticeId = res.json().id;
    await ctx.app.close(); // the first server goes away with the deadline pending
    restarted = true;
    const config = loadConfig({ LOG_LEVEL: 'silent', JINGWEI_WEB_DIST: '/nonexistent', JINGWEI_JOB_POLL_MS: '100' });
    const second = await buildApp(config, ctx.database);
    await second.ready();
    try {
      expect(await count(sql`SELECT count(*)::int AS n FROM notice_escalations WHERE notice_id = ${noticeId}`)).toBe(0);
      const deadline = Date.now() + 8000;
      let escalated = 0;
      while (Date.now() < deadline && !escalated) {
        await sleep(200);
        escalated = await count(sql`SELECT count(*)::int AS n FROM notice_escalations WHERE notice_id = ${noticeId}`);
      }
      expect(escalated).toBe(1);
      const job = await one<any>(
        ctx.database.db,
        sql`SELECT done_at, run_at FROM jobs WHERE payload->>'noticeId' = ${String(noticeId)} AND payload->>'level' = '1'`,
      );
      expect(job.done_at).not.toBeNull();
    } finally {
      await second.close();
    }
    // Later tests use a fresh app on the same database.
    ctx.app = await buildApp(
      loadConfig({ LOG_LEVEL: 'silent', JINGWEI_WEB_DIST: '/nonexistent', JINGWEI_JOB_POLL_MS: '0' }),
      ctx.database,
    );
    await ctx.app.ready();
    admin = await login('admin_a');
    v1Leader = await login('v1_leader');
    v1Youth = await login('v1_youth');
    await admin.put('/api/notices/settings', { urgentSeconds: 180 });
  });

  it('pushes an urgent notice over SSE to a connected cadre, and the acknowledgement to the sender', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    const open = async (cookie: string) => {
      const res = await fetch(`${base}/api/notices/stream`, { headers: { cookie, accept: 'text/event-stream' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const events: any[] = [];
      const pump = (async () => {
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let i = buffer.indexOf('\n\n');
          while (i >= 0) {
            const chunk = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const data = chunk.split('\n').find((l) => l.startsWith('data: '));
            if (data) events.push(JSON.parse(data.slice(6)));
            i = buffer.indexOf('\n\n');
          }
        }
      })();
      const waitFor = async (pred: (e: any) => boolean, ms = 5000) => {
        const end = Date.now() + ms;
        while (Date.now() < end) {
          const found = events.find(pred);
          if (found) return found;
          await sleep(20);
        }
        throw new Error(`event not received; got ${JSON.stringify(events)}`);
      };
      return { events, waitFor, close: () => reader.cancel().then(() => pump) };
    };
    const leaderStream = await open(v1Leader.cookie);
    const adminStream = await open(admin.cookie);
    await leaderStream.waitFor((e) => e.type === 'ready');
    await adminStream.waitFor((e) => e.type === 'ready');

    const res = await send(admin, { title: '台风紧急通知', target: { mode: 'chosen', orgIds: [world.v1.id] } });
    expect(res.statusCode, res.body).toBe(201);
    const pushed = await leaderStream.waitFor((e) => e.type === 'notice' && e.noticeId === res.json().id);
    expect(pushed).toMatchObject({ priority: 'urgent', title: '台风紧急通知' });
    const ack = await v1Leader.post(`/api/notices/targets/${pushed.targetId}/ack`, {});
    expect(ack.statusCode).toBe(200);
    const ackEvent = await adminStream.waitFor((e) => e.type === 'ack' && e.targetId === pushed.targetId);
    expect(ackEvent.noticeId).toBe(res.json().id);
    expect(ctx.app.notices.hub.connections).toBe(2);
    await leaderStream.close();
    await adminStream.close();
    const end = Date.now() + 3000;
    while (ctx.app.notices.hub.connections > 0 && Date.now() < end) await sleep(20);
    expect(ctx.app.notices.hub.connections).toBe(0);
  });
});

describe('several app servers (PostgreSQL)', () => {
  it.skipIf(process.env.JW_TEST_DB !== 'postgresql')(
    'a notice sent through one server reaches a stream open on another (NOTIFY relay)',
    async () => {
      const other = await buildApp(
        loadConfig({ LOG_LEVEL: 'silent', JINGWEI_WEB_DIST: '/nonexistent', JINGWEI_JOB_POLL_MS: '0' }),
        ctx.database,
      );
      await other.ready();
      try {
        const leaderId = ids.v1Leader;
        const got: any[] = [];
        const unsubscribe = other.notices.hub.subscribe(leaderId, (e) => got.push(e));
        const res = await send(admin, { title: '跨服务器通知', target: { mode: 'chosen', orgIds: [world.v1.id] } });
        expect(res.statusCode, res.body).toBe(201);
        const end = Date.now() + 5000;
        while (!got.some((e) => e.type === 'notice' && e.noticeId === res.json().id) && Date.now() < end)
          await sleep(20);
        expect(got.find((e) => e.type === 'notice')).toMatchObject({ noticeId: res.json().id, title: '跨服务器通知' });
        unsubscribe();
      } finally {
        await other.close();
      }
    },
  );
});

describe('helpers', () => {
  it('a youth has no inbox, a team leader has an empty one', async () => {
    expect((await v1Youth.get('/api/notices/inbox')).statusCode).toBe(403);
    const team = await addOrg(ctx.database, world.t1, 'branch', '服务队支部');
    await addAccount(ctx.database, 'team1', 'team_leader', team);
    const c = await login('team1');
    expect((await c.get('/api/notices/inbox')).json()).toEqual({ items: [], pending: 0 });
  });
});

describe('target selection', () => {
  it('reaches the grids alone when no org kind is chosen (no org rows, no 5xx)', async () => {
    const res = await send(admin, {
      priority: 'general',
      target: { mode: 'subtree', orgKinds: [], includeGrids: true, gridKinds: ['village', 'village'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const rows = await many<any>(
      ctx.database.db,
      sql`SELECT org_id, grid_id FROM notice_targets WHERE notice_id = ${res.json().id}`,
    );
    expect(rows.map((r) => r.grid_id)).toEqual([gridId]);
  });
});
