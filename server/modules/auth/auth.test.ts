import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many } from '../../db/sql.ts';
import { addAccount, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
});
afterAll(() => ctx?.close());

describe('login and session', () => {
  it('logs in with an httpOnly SameSite cookie and answers /api/me', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin_a', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'jw_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await ctx.app.inject({ url: '/api/me', headers: { cookie: `jw_session=${cookie.value}` } });
    expect(me.json()).toMatchObject({ account: { username: 'admin_a', role: 'district_admin' }, districtName: '甲区' });
    expect(me.json().account).not.toHaveProperty('passwordHash');
    const [row] = await many<any>(ctx.database.db, sql`SELECT password_hash FROM accounts WHERE username = 'admin_a'`);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers wrong passwords and unknown users alike, in the request language', async () => {
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin_b', password: 'nope12345' },
    });
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ghost', password: 'nope12345' },
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'BAD_CREDENTIALS', title: '用户名或密码错误' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().title).toBe('Wrong username or password');
  });

  it('locks an account for 15 minutes after 5 failed logins, even with the right password', async () => {
    await addAccount(ctx.database, 'lockme', 'org_admin', world.t1);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await new Client(ctx.app).login('lockme', 'wrong-pass-1');
      codes.push(res.json().code);
    }
    expect(codes).toEqual([
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'ACCOUNT_LOCKED',
    ]);
    const right = await new Client(ctx.app).login('lockme', PASSWORD);
    expect(right.statusCode).toBe(423);
    const [row] = await many<any>(
      ctx.database.db,
      sql`SELECT extract(epoch FROM locked_until - now())::int AS s FROM login_failures
          WHERE username = 'lockme' AND ip = '127.0.0.1'`,
    );
    expect(row.s).toBeGreaterThan(14 * 60);
    expect(row.s).toBeLessThanOrEqual(15 * 60);
    await ctx.database.db.execute(
      sql`UPDATE login_failures SET locked_until = now() - interval '1 second' WHERE username = 'lockme'`,
    );
    expect((await new Client(ctx.app).login('lockme', PASSWORD)).statusCode).toBe(200);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const c = new Client(ctx.app);
    await c.login('admin_a', PASSWORD);
    const payload = { parentId: world.t1.id, kind: 'village_branch', name: '令牌村团总支' };
    const missing = await c.request('POST', '/api/orgs', payload, { 'x-csrf-token': '' });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('CSRF');
    const forged = await c.request('POST', '/api/orgs', payload, { 'x-csrf-token': 'forged' });
    expect(forged.statusCode).toBe(403);
    const rows = await many<any>(ctx.database.db, sql`SELECT 1 FROM orgs WHERE name = '令牌村团总支'`);
    expect(rows).toHaveLength(0);
    expect((await c.post('/api/orgs', payload)).statusCode).toBe(201);
  });

  it('ends a session idle for longer than the timeout', async () => {
    const c = new Client(ctx.app);
    await c.login('t2_admin', PASSWORD);
    expect((await c.get('/api/me')).statusCode).toBe(200);
    await ctx.database.db.execute(sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'
      WHERE account_id = (SELECT id FROM accounts WHERE username = 't2_admin')`);
    const res = await c.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
    expect((await c.get('/api/me')).json().code).toBe('UNAUTHENTICATED');
  });

  it('rejects missing and malformed cookies with 401', async () => {
    for (const cookie of ['', 'jw_session=', 'jw_session=%%%garbage', 'jw_session=a'.padEnd(5000, 'x'), 'other=1']) {
      const res = await ctx.app.inject({ url: '/api/orgs/tree', headers: cookie ? { cookie } : {} });
      expect(res.statusCode, cookie).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('logs out', async () => {
    const c = new Client(ctx.app);
    await c.login('admin_a', PASSWORD);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/me')).statusCode).toBe(401);
  });
});

describe('passwords', () => {
  it('forces an account created by someone else to change its password first', async () => {
    await addAccount(ctx.database, 'newbie', 'org_admin', world.t2, true);
    const c = new Client(ctx.app);
    expect((await c.login('newbie', PASSWORD)).json().account.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/orgs/tree');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('newPassword');
    const noDigits = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'onlyletters' });
    expect(noDigits.json().errors[0].message).toContain('字母和数字');
    const wrongCurrent = await c.post('/api/auth/password', { currentPassword: 'bad', newPassword: 'NewPassw0rd' });
    expect(wrongCurrent.json().code).toBe('WRONG_PASSWORD');
    const ok = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'NewPassw0rd' });
    expect(ok.statusCode).toBe(200);
    expect((await c.get('/api/orgs/tree')).statusCode).toBe(200);
    expect((await new Client(ctx.app).login('newbie', 'NewPassw0rd')).statusCode).toBe(200);
  });
});
