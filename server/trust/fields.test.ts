/**
 * Field-level trust: what a response may contain. Account responses never carry secrets (password
 * hash, failed-login counter), the response serializer drops undocumented fields, lists never
 * reach outside the caller's subtree, and errors reveal nothing but the problem document.
 */
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountSchema } from '../../domain/account.ts';
import { ProblemSchema } from '../../domain/common.ts';
import { addAccount, buildWorld, PASSWORD } from '../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../test/harness.ts';

const ACCOUNT_KEYS = Object.keys(AccountSchema.shape).sort();
/** Text that must never appear in any response body. */
const SECRETS = [/passwordHash/i, /password_hash/i, /failedLogins/i, /failed_logins/i, /\$argon2/, /token_hash/i];

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let platform: Client;
let t1Admin: Client;
let leader: Client;

beforeAll(async () => {
  ctx = await createTestApp({ JINGWEI_LOGIN_RATE_LIMIT: '100000' });
  world = await buildWorld(ctx.database);
  await addAccount(ctx.database, 't1_leader', 'grid_leader', world.t1);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  platform = new Client(ctx.app);
  await platform.login('platform', PASSWORD);
  t1Admin = new Client(ctx.app);
  await t1Admin.login('t1_admin', PASSWORD);
  leader = new Client(ctx.app);
  await leader.login('t1_leader', PASSWORD);
});
afterAll(() => ctx?.close());

function expectNoSecrets(body: string) {
  for (const pattern of SECRETS) expect(body).not.toMatch(pattern);
}
function expectAccountShape(account: Record<string, unknown>) {
  expect(Object.keys(account).sort()).toEqual(ACCOUNT_KEYS);
}

describe('account responses carry exactly the documented fields', () => {
  it('login and /api/me', async () => {
    const c = new Client(ctx.app);
    const login = await c.login('t1_admin', PASSWORD);
    expectNoSecrets(login.body);
    expectAccountShape(login.json().account);
    const me = await c.get('/api/me');
    expectNoSecrets(me.body);
    expectAccountShape(me.json().account);
  });

  it('account list, create, update and password reset, also after failed logins', async () => {
    // A failed login sets the counter the response must never show.
    await new Client(ctx.app).login('v1_youth', 'wrong-password-1');
    for (const c of [admin, platform, t1Admin]) {
      const list = await c.get(`/api/accounts?districtId=${world.districtA}&pageSize=500`);
      expect(list.statusCode).toBe(200);
      expectNoSecrets(list.body);
      expect(list.json().items.length).toBeGreaterThan(0);
      for (const a of list.json().items) expectAccountShape(a);
    }
    const created = await admin.post('/api/accounts', {
      username: 'fields.new',
      displayName: '新账号',
      role: 'youth',
      orgId: world.v1.id,
      password: 'Start2026x',
    });
    expect(created.statusCode).toBe(201);
    expectNoSecrets(created.body);
    expectAccountShape(created.json());
    const reset = await admin.patch(`/api/accounts/${created.json().id}`, { password: 'Reset2026xy' });
    expect(reset.statusCode).toBe(200);
    expectNoSecrets(reset.body);
    expectAccountShape(reset.json());
  });

  it('the audit log never stores or returns a password or its hash', async () => {
    const res = await admin.get('/api/audit?pageSize=500');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.some((e: any) => e.action === 'account.password_reset')).toBe(true);
    expectNoSecrets(res.body);
    expect(res.body).not.toContain('Start2026x');
    expect(res.body).not.toContain('Reset2026xy');
  });
});

describe('the response serializer enforces the schema', () => {
  it('drops fields a handler returns but the schema does not document', async () => {
    const app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.get('/leaky', { schema: { response: { 200: AccountSchema } } }, async () => ({
      id: 1,
      username: 'u',
      displayName: 'U',
      role: 'youth' as const,
      districtId: 1,
      orgId: 1,
      orgName: null,
      active: true,
      mustChangePassword: false,
      lockedUntil: null,
      lastLoginAt: null,
      createdAt: '2026-01-01T00:00:00Z',
      passwordHash: '$argon2id$v=19$secret',
      failedLogins: 3,
    }));
    const res = await app.inject({ url: '/leaky' });
    await app.close();
    expect(res.statusCode).toBe(200);
    expectNoSecrets(res.body);
    expectAccountShape(res.json());
  });
});

describe('lists stay inside the caller’s subtree', () => {
  it('an org admin of T1 sees only T1 and below in orgs, the tree and accounts', async () => {
    const inT1 = (path: string) => path.startsWith(world.t1.path);
    const orgs = await t1Admin.get('/api/orgs?active=all&pageSize=500');
    expect(orgs.statusCode).toBe(200);
    const ids = orgs.json().items.map((o: any) => o.id);
    expect(ids).toContain(world.t1.id);
    expect(ids).toContain(world.v1.id);
    for (const forbidden of [world.rootA.id, world.t2.id, world.v2.id, world.tb.id])
      expect(ids).not.toContain(forbidden);

    const tree = await leader.get('/api/orgs/tree');
    expect(tree.statusCode).toBe(200);
    expect(tree.json().roots.map((r: any) => r.id)).toEqual([world.t1.id]);

    const accounts = await t1Admin.get('/api/accounts?pageSize=500');
    const usernames = accounts.json().items.map((a: any) => a.username);
    expect(usernames).toContain('v1_youth');
    for (const outside of ['admin_a', 'admin_b', 't2_admin', 'tb_admin', 'platform']) {
      expect(usernames).not.toContain(outside);
    }
    expect(inT1(world.v1.path)).toBe(true);
  });

  it('a district admin never sees the other district’s orgs or accounts', async () => {
    const orgs = await admin.get('/api/orgs?active=all&pageSize=500');
    expect(orgs.json().items.every((o: any) => o.districtId === world.districtA)).toBe(true);
    const accounts = await admin.get('/api/accounts?pageSize=500');
    expect(accounts.json().items.every((a: any) => a.districtId === world.districtA)).toBe(true);
    const audit = await admin.get('/api/audit?pageSize=500');
    expect(audit.json().items.every((e: any) => e.districtId === world.districtA)).toBe(true);
  });
});

describe('errors reveal only the problem document', () => {
  it.each([
    ['out of scope', () => t1Admin.get(`/api/orgs/${world.tb.id}`)],
    ['missing', () => admin.get('/api/orgs/999999')],
    ['forbidden', () => leader.patch(`/api/orgs/${world.t1.id}`, { name: 'x' })],
    ['unauthenticated', () => new Client(ctx.app).get('/api/me')],
    ['invalid', () => admin.post('/api/orgs', { parentId: 'x' })],
  ])('%s', async (_name, send) => {
    const res = await send();
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(ProblemSchema.strict().safeParse(body).success, res.body).toBe(true);
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/); // no stack trace
  });

  it('an id outside the scope is answered exactly like a missing one', async () => {
    const outside = await t1Admin.get(`/api/orgs/${world.tb.id}`);
    const missing = await t1Admin.get('/api/orgs/2147483000');
    expect(outside.statusCode).toBe(404);
    expect(outside.body).toBe(missing.body);
  });
});

describe('regressions the fuzzer found', () => {
  const fieldsOf = (res: { json(): any }) => (res.json().errors ?? []).map((e: { field: string }) => e.field);

  it('a NUL character is a field error, not a database error', async () => {
    const res = await new Client(ctx.app).login('a\u0000b', 'x');
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['username']);
    const search = await admin.get('/api/orgs?q=%00');
    expect(search.statusCode).toBe(400);
    expect(fieldsOf(search)).toEqual(['q']);
  });

  it('an unpaired surrogate is a field error (PostgreSQL jsonb refuses it in the audit row)', async () => {
    const res = await platform.post('/api/districts', { code: '654321', name: 'x\ud800' });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['name']);
  });

  it('an unknown field is named itself', async () => {
    const res = await admin.patch(`/api/orgs/${world.t1.id}`, { description: 'x', isAdmin: true });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['isAdmin']);
    const query = await admin.get('/api/orgs?sneaky=1');
    expect(fieldsOf(query)).toEqual(['sneaky']);
  });

  it('an id beyond the integer range is not found', async () => {
    const res = await admin.post('/api/orgs', { parentId: 2 ** 32, kind: 'branch', name: '远' });
    expect(res.statusCode).toBe(404);
    expect((await admin.get(`/api/accounts?orgId=${2 ** 40}`)).statusCode).toBeLessThan(500);
  });

  it('a district name that would overflow its root org name is refused', async () => {
    const res = await platform.post('/api/districts', { code: '654322', name: '长'.repeat(95) });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['name']);
    const ok = await platform.post('/api/districts', { code: '654323', name: '长'.repeat(94) });
    expect(ok.statusCode).toBe(201);
  });
});
