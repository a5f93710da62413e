import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many } from '../../db/sql.ts';
import { buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  t1Admin = new Client(ctx.app);
  await t1Admin.login('t1_admin', PASSWORD);
});
afterAll(() => ctx?.close());

describe('accounts', () => {
  it('a district admin creates a town admin who must change the password at first login', async () => {
    const res = await admin.post('/api/accounts', {
      username: 'dh.zhang',
      displayName: '张伟',
      role: 'org_admin',
      orgId: world.t1.id,
      password: 'Start2026x',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'dh.zhang', mustChangePassword: true, orgName: '东湖镇团委' });
    const c = new Client(ctx.app);
    expect((await c.login('dh.zhang', 'Start2026x')).json().account.mustChangePassword).toBe(true);
    const [audit] = await many<any>(ctx.database.db, sql`SELECT after FROM audit_log WHERE action = 'account.create'`);
    expect(audit.after.username).toBe('dh.zhang');
    expect(JSON.stringify(audit.after)).not.toContain('Start2026x');
  });

  it('validates usernames, passwords and duplicates', async () => {
    const bad = await admin.post('/api/accounts', {
      username: 'a b',
      displayName: '',
      role: 'boss',
      orgId: world.t1.id,
      password: '123',
    });
    expect(bad.statusCode).toBe(400);
    expect([...new Set(bad.json().errors.map((e: any) => e.field))].sort()).toEqual([
      'displayName',
      'password',
      'role',
      'username',
    ]);
    const dup = await admin.post('/api/accounts', {
      username: 'T1_ADMIN',
      displayName: 'x',
      role: 'org_admin',
      orgId: world.t1.id,
      password: 'Start2026x',
    });
    expect(dup.statusCode).toBe(409);
  });

  it('an org admin manages only accounts of his subtree and cannot grant wider roles', async () => {
    const list = (await t1Admin.get('/api/accounts')).json();
    expect(list.items.map((a: any) => a.username).sort()).toEqual(['dh.zhang', 't1_admin', 'v1_leader', 'v1_youth']);
    const escalate = await t1Admin.post('/api/accounts', {
      username: 'sneaky',
      displayName: 'x',
      role: 'district_admin',
      orgId: world.v1.id,
      password: 'Start2026x',
    });
    expect(escalate.statusCode).toBe(403);
    const elsewhere = await t1Admin.post('/api/accounts', {
      username: 'elsewhere',
      displayName: 'x',
      role: 'grid_leader',
      orgId: world.v2.id,
      password: 'Start2026x',
    });
    expect(elsewhere.statusCode).toBe(404);
    const [t2] = await many<any>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = 't2_admin'`);
    expect((await t1Admin.patch(`/api/accounts/${t2.id}`, { active: false })).statusCode).toBe(404);
    const [leader] = await many<any>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = 'v1_leader'`);
    const reset = await t1Admin.patch(`/api/accounts/${leader.id}`, { password: 'Reset2026x' });
    expect(reset.json().mustChangePassword).toBe(true);
  });

  it('deactivating an account ends its sessions', async () => {
    const youth = new Client(ctx.app);
    await youth.login('v1_youth', PASSWORD);
    const [row] = await many<any>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = 'v1_youth'`);
    expect((await admin.patch(`/api/accounts/${row.id}`, { active: false })).json().active).toBe(false);
    expect((await youth.get('/api/me')).statusCode).toBe(401);
    expect((await new Client(ctx.app).login('v1_youth', PASSWORD)).statusCode).toBe(403);
  });

  it('district B admin cannot see district A accounts', async () => {
    const b = new Client(ctx.app);
    await b.login('admin_b', PASSWORD);
    expect((await b.get('/api/accounts')).json().items.map((a: any) => a.username)).toEqual(['admin_b', 'tb_admin']);
    const [row] = await many<any>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = 't1_admin'`);
    expect((await b.patch(`/api/accounts/${row.id}`, { displayName: 'x' })).statusCode).toBe(404);
  });
});

describe('audit log page', () => {
  it('district admins filter their district log; others may not read it', async () => {
    const res = await admin.get('/api/audit?action=account.create');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);
    expect(res.json().items.every((e: any) => e.districtId === world.districtA)).toBe(true);
    expect((await t1Admin.get('/api/audit')).statusCode).toBe(403);
    const b = new Client(ctx.app);
    await b.login('admin_b', PASSWORD);
    const bLog = (await b.get('/api/audit')).json();
    expect(bLog.items.every((e: any) => e.districtId === world.districtB)).toBe(true);
    expect((await b.get(`/api/audit?districtId=${world.districtA}`)).statusCode).toBe(404);
  });
});
