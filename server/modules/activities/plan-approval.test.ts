import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approverPath, PLAN_APPROVER_LEVELS } from '../../../domain/activity-more.ts';
import { many } from '../../db/sql.ts';
import { addAccount, addOrg, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';
import { approverPathSql } from './approval.ts';

/**
 * 上一级审批（可配置）: the district setting of which level approves plans — parent (default), town,
 * district — decides who may approve or return, and the "to approve" list shows exactly those plans.
 */

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let adminB: Client;
let t1Admin: Client;
let v1Admin: Client;
let gridLeader: Client;
let gridBranch: OrgRow;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function login(username: string) {
  const c = new Client(ctx.app);
  expect((await c.login(username, PASSWORD)).statusCode).toBe(200);
  return c;
}

async function submittedPlan(author: Client, orgId: number) {
  const categoryId = (await author.get('/api/activity-categories')).json().items[0].id;
  const plan = await author.post('/api/activity-plans', {
    orgId,
    title: `方案${orgId}`,
    purpose: '服务青年',
    categoryId,
    venue: '青年之家',
    startsAt: inMinutes(600),
    endsAt: inMinutes(700),
    capacity: 20,
  });
  expect(plan.statusCode, plan.body).toBe(201);
  expect((await author.post(`/api/activity-plans/${plan.json().id}/submit`)).statusCode).toBe(200);
  return plan.json().id as number;
}

const toApprove = async (c: Client) =>
  ((await c.get('/api/activity-plans?view=to_approve')).json().items as { id: number; canApprove: boolean }[])
    .map((p) => p.id)
    .sort((a, b) => a - b);
/** Every plan the actor sees and may decide, by canApprove: must equal the list view. */
const approvable = async (c: Client) =>
  ((await c.get('/api/activity-plans')).json().items as { id: number; status: string; canApprove: boolean }[])
    .filter((p) => p.canApprove)
    .map((p) => p.id)
    .sort((a, b) => a - b);
const setLevel = async (level: string) => {
  const res = await admin.put('/api/activity-settings', { planApprover: level });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().planApprover).toBe(level);
};

let gridPlan: number;
let villagePlan: number;
let townPlan: number;

beforeAll(async () => {
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0' });
  world = await buildWorld(ctx.database);
  gridBranch = await addOrg(ctx.database, world.v1, 'grid_branch', '一网格团支部');
  await addAccount(ctx.database, 'v1_admin', 'org_admin', world.v1);
  await addAccount(ctx.database, 'g1_leader', 'grid_leader', gridBranch);
  admin = await login('admin_a');
  adminB = await login('admin_b');
  t1Admin = await login('t1_admin');
  v1Admin = await login('v1_admin');
  gridLeader = await login('g1_leader');
  gridPlan = await submittedPlan(gridLeader, gridBranch.id);
  villagePlan = await submittedPlan(v1Admin, world.v1.id);
  townPlan = await submittedPlan(t1Admin, world.t1.id);
}, 120_000);
afterAll(() => ctx?.close());

describe('the approver path: domain and SQL agree', () => {
  it('computes parent, town and district for every org of both districts', async () => {
    const orgs = await many<{ id: number; path: string }>(ctx.database.db, sql`SELECT id, path FROM orgs`);
    expect(orgs.length).toBeGreaterThan(6);
    for (const level of PLAN_APPROVER_LEVELS) {
      const rows = await many<{ path: string; approver: string }>(
        ctx.database.db,
        sql`SELECT o.path, ${approverPathSql(level)} AS approver FROM orgs o`,
      );
      for (const r of rows) expect(r.approver, `${level} ${r.path}`).toBe(approverPath(r.path, level));
    }
    const g = gridBranch.path; // '/root/t1/v1/g/'
    const [root, t1, v1] = g.split('/').filter(Boolean);
    expect(approverPath(g, 'parent')).toBe(`/${root}/${t1}/${v1}/`);
    expect(approverPath(g, 'town')).toBe(`/${root}/${t1}/`);
    expect(approverPath(g, 'district')).toBe(`/${root}/`);
    expect(approverPath(world.t1.path, 'town')).toBe(`/${root}/`); // a town's own plan goes to the district
    expect(approverPath(world.rootA.path, 'parent')).toBe(world.rootA.path);
  });
});

describe('plan approval by the configured level', () => {
  it('defaults to the org directly above (or any org above it)', async () => {
    expect((await admin.get('/api/activity-settings')).json()).toEqual({
      districtId: world.districtA,
      planApprover: 'parent',
    });
    expect(await toApprove(v1Admin)).toEqual([gridPlan]);
    expect(await toApprove(t1Admin)).toEqual([gridPlan, villagePlan]);
    expect(await toApprove(admin)).toEqual([gridPlan, villagePlan, townPlan]);
    expect(await toApprove(gridLeader)).toEqual([]);
    for (const c of [v1Admin, t1Admin, admin, gridLeader]) expect(await approvable(c)).toEqual(await toApprove(c));
  });

  it('only district and platform admins change it; bad values name the field', async () => {
    expect((await t1Admin.put('/api/activity-settings', { planApprover: 'town' })).statusCode).toBe(403);
    const bad = await admin.put('/api/activity-settings', { planApprover: 'nobody' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('planApprover');
    const other = await admin.put('/api/activity-settings', {
      districtId: world.districtB,
      planApprover: 'town',
    });
    expect(other.statusCode).toBe(404);
    expect((await admin.put('/api/activity-settings', { planApprover: 'town', extra: 1 })).statusCode).toBe(400);
  });

  it('town: a village may no longer decide its grids’ plans; the town (or the district) does', async () => {
    await setLevel('town');
    expect((await adminB.get('/api/activity-settings')).json().planApprover).toBe('parent');
    const refused = await v1Admin.post(`/api/activity-plans/${gridPlan}/approve`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('PLAN_APPROVAL_TOWN');
    expect(refused.json().title).toContain('镇（街道）团委');
    expect((await v1Admin.post(`/api/activity-plans/${gridPlan}/return`, { note: '再改改' })).statusCode).toBe(403);
    expect((await v1Admin.get(`/api/activity-plans/${gridPlan}`)).json().canApprove).toBe(false);
    expect(await toApprove(v1Admin)).toEqual([]);
    expect(await toApprove(t1Admin)).toEqual([gridPlan, villagePlan]);
    // the town's own plan goes to the district: the town cannot approve itself
    expect((await t1Admin.post(`/api/activity-plans/${townPlan}/approve`, {})).statusCode).toBe(403);
    for (const c of [v1Admin, t1Admin, admin]) expect(await approvable(c)).toEqual(await toApprove(c));
    const back = await t1Admin.post(`/api/activity-plans/${gridPlan}/return`, { note: '补充预算' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().status).toBe('returned');
    expect((await gridLeader.post(`/api/activity-plans/${gridPlan}/submit`)).statusCode).toBe(200);
  });

  it('district: only the district committee decides', async () => {
    await setLevel('district');
    const refused = await t1Admin.post(`/api/activity-plans/${villagePlan}/approve`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('PLAN_APPROVAL_DISTRICT');
    expect(await toApprove(t1Admin)).toEqual([]);
    expect(await toApprove(v1Admin)).toEqual([]);
    expect(await toApprove(admin)).toEqual([gridPlan, villagePlan, townPlan]);
    for (const c of [v1Admin, t1Admin, admin]) expect(await approvable(c)).toEqual(await toApprove(c));
    const ok = await admin.post(`/api/activity-plans/${villagePlan}/approve`, { note: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
    const audit = await many<{ before: unknown; after: unknown }>(
      ctx.database.db,
      sql`SELECT before, after FROM audit_log WHERE action = 'activity.settings' ORDER BY id`,
    );
    expect(audit.length).toBe(2);
    await setLevel('parent');
    expect(await toApprove(v1Admin)).toEqual([gridPlan]);
  });
});
