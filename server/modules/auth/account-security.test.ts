import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many } from '../../db/sql.ts';
import { addAccount, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { passwordClasses, passwordIssues } from './password-policy.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
});
afterAll(() => ctx?.close());

function loginFrom(app: TestContext['app'], ip: string, username: string, password: string, totp?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    payload: { username, password, ...(totp ? { totp } : {}) },
  });
}

const cookieOf = (res: { cookies: { name: string; value: string }[] }) =>
  `jw_session=${res.cookies.find((c) => c.name === 'jw_session')!.value}`;

describe('lockout per account and IP', () => {
  it('answers an existing and an unknown username identically, attempt by attempt, and locks both', async () => {
    await addAccount(ctx.database, 'real_user', 'org_admin', world.t1);
    const seq = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await loginFrom(ctx.app, '10.1.0.1', username, 'wrong-pass-1');
        const { instance: _i, ...body } = res.json();
        out.push(`${res.statusCode} ${res.headers['content-type']} ${JSON.stringify(body)}`);
      }
      return out;
    };
    const known = await seq('real_user');
    const unknown = await seq('no_such_user');
    expect(unknown).toEqual(known);
    expect(known.map((l) => l.split(' ')[0])).toEqual(['401', '401', '401', '401', '423', '423', '423']);
    // The right password does not open a locked pair …
    expect((await loginFrom(ctx.app, '10.1.0.1', 'real_user', PASSWORD)).statusCode).toBe(423);
    // … but the account is not locked for everyone: the same user from another IP gets in.
    expect((await loginFrom(ctx.app, '10.1.0.2', 'real_user', PASSWORD)).statusCode).toBe(200);
    // Failures of the unknown name are audited without the typed name (it may be a password).
    const audits = await many<{ username: string | null; ip: string }>(
      ctx.database.db,
      sql`SELECT username, ip FROM audit_log WHERE action IN ('auth.login_failed', 'auth.locked') AND account_id IS NULL`,
    );
    expect(audits.length).toBeGreaterThan(0);
    expect(audits.every((a) => a.username === null && a.ip === '10.1.0.1')).toBe(true);
  });

  it('locks a username everywhere after 20 failures from many IPs, existing or not', async () => {
    await addAccount(ctx.database, 'sprayed', 'org_admin', world.t1);
    for (const name of ['sprayed', 'sprayed_ghost']) {
      const codes: number[] = [];
      for (let ip = 0; ip < 5; ip++)
        for (let i = 0; i < 4; i++)
          codes.push((await loginFrom(ctx.app, `10.2.${ip}.1`, name, 'wrong-pass-1')).statusCode);
      expect(codes.slice(0, 19).every((c) => c === 401)).toBe(true);
      expect(codes[19]).toBe(423);
      expect((await loginFrom(ctx.app, '10.3.0.1', name, PASSWORD)).statusCode).toBe(423);
    }
  });
});

describe('sessions', () => {
  it('gives a new session id at every login and ends the one the request came with', async () => {
    const first = await loginFrom(ctx.app, '10.4.0.1', 'admin_a', PASSWORD);
    const second = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.4.0.1',
      headers: { cookie: cookieOf(first) },
      payload: { username: 'admin_a', password: PASSWORD },
    });
    expect(second.statusCode).toBe(200);
    expect(cookieOf(second)).not.toBe(cookieOf(first));
    expect((await ctx.app.inject({ url: '/api/me', headers: { cookie: cookieOf(first) } })).statusCode).toBe(401);
    expect((await ctx.app.inject({ url: '/api/me', headers: { cookie: cookieOf(second) } })).statusCode).toBe(200);
  });

  it('ends an active session at its absolute lifetime', async () => {
    const c = new Client(ctx.app);
    await c.login('t1_admin', PASSWORD);
    expect((await c.get('/api/me')).statusCode).toBe(200);
    await ctx.database.db.execute(sql`UPDATE sessions SET created_at = now() - interval '12 hours 1 minute',
      last_seen_at = now() WHERE account_id = (SELECT id FROM accounts WHERE username = 't1_admin')`);
    const res = await c.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });
});

describe('password profiles', () => {
  it('等保 profile: three of four classes, no username inside; modern: 12+ and not common', () => {
    expect(passwordClasses('Abc12345')).toBe(3);
    expect(passwordIssues('djbh', 'abcdefg1')).toEqual(['password.djbhClasses']);
    expect(passwordIssues('djbh', 'Abcdefg1')).toEqual([]);
    expect(passwordIssues('djbh', 'abc-defg1')).toEqual([]);
    expect(passwordIssues('djbh', 'Admin_a2026', 'admin_a')).toEqual(['password.username']);
    expect(passwordIssues('modern', 'Rivers12')).toEqual(['password.modernLength']);
    expect(passwordIssues('modern', 'Password2026')).toEqual(['password.common']);
    expect(passwordIssues('modern', 'qwertyuiop123')).toEqual(['password.common']);
    expect(passwordIssues('modern', 'woaini1314520')).toEqual(['password.common']);
    expect(passwordIssues('modern', 'tea kettle river 9')).toEqual([]);
    expect(passwordIssues('standard', 'abcdefg1')).toEqual([]);
  });

  it('等保 profile: refuses a weak new password naming the field, and forces a change after 90 days', async () => {
    const djbh = await createTestApp({ JINGWEI_PASSWORD_PROFILE: 'djbh' });
    try {
      await buildWorld(djbh.database);
      const c = new Client(djbh.app, 'en');
      expect((await c.login('t1_admin', PASSWORD)).statusCode).toBe(200);
      const weak = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'weakpass1' });
      expect(weak.statusCode).toBe(422);
      expect(weak.json()).toMatchObject({
        code: 'PASSWORD_POLICY',
        errors: [{ field: 'newPassword', message: expect.stringMatching(/three of/) }],
      });
      await djbh.database.db.execute(
        sql`UPDATE accounts SET password_changed_at = now() - interval '91 days' WHERE username = 't1_admin'`,
      );
      const again = new Client(djbh.app);
      const res = await again.login('t1_admin', PASSWORD);
      expect(res.json().account.mustChangePassword).toBe(true);
      expect((await again.get('/api/orgs/tree')).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
      expect(
        (await again.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Fresh-2026a' })).statusCode,
      ).toBe(200);
      expect((await again.get('/api/orgs/tree')).statusCode).toBe(200);
      const [row] = await many<{ days: number }>(
        djbh.database.db,
        sql`SELECT extract(day FROM now() - password_changed_at)::int AS days FROM accounts WHERE username = 't1_admin'`,
      );
      expect(row.days).toBe(0);
    } finally {
      await djbh.close();
    }
  });

  it('modern profile: refuses a common or short password', async () => {
    const modern = await createTestApp({ JINGWEI_PASSWORD_PROFILE: 'modern' });
    try {
      await buildWorld(modern.database);
      const c = new Client(modern.app, 'en');
      await c.login('t1_admin', PASSWORD);
      const common = await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Password2026' });
      expect(common.statusCode).toBe(422);
      expect(common.json().errors[0]).toMatchObject({ field: 'newPassword', message: expect.stringMatching(/common/) });
      expect(
        (await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Short2026' })).statusCode,
      ).toBe(422);
      expect(
        (await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'river kettle 2026' }))
          .statusCode,
      ).toBe(200);
    } finally {
      await modern.close();
    }
  });
});

describe('TOTP second factor (等保 profile)', () => {
  it('district and platform admins must enrol before anything else; codes are checked at login, once each', async () => {
    const djbh = await createTestApp({ JINGWEI_PASSWORD_PROFILE: 'djbh' });
    try {
      await buildWorld(djbh.database);
      // An org admin needs no second factor.
      const town = new Client(djbh.app);
      await town.login('t1_admin', PASSWORD);
      expect((await town.get('/api/orgs/tree')).statusCode).toBe(200);

      const admin = new Client(djbh.app);
      expect((await admin.login('admin_a', PASSWORD)).statusCode).toBe(200);
      const blocked = await admin.get('/api/orgs/tree');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().code).toBe('TOTP_ENROLMENT_REQUIRED');
      const pendingMe = await admin.get('/api/me');
      expect(pendingMe.statusCode).toBe(200);
      expect(pendingMe.json().secondFactor).toEqual({ enabled: false, required: true, pending: true });
      expect((await town.get('/api/me')).json().secondFactor).toEqual({
        enabled: false,
        required: false,
        pending: false,
      });

      const setup = await admin.post('/api/auth/totp/setup');
      expect(setup.statusCode).toBe(200);
      const { secret, otpauthUrl, qrDataUrl } = setup.json();
      expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*admin_a\?secret=[A-Z2-7]+&issuer=/);
      expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
      // The secret is stored encrypted, never in the clear.
      const [stored] = await many<{ s: string }>(
        djbh.database.db,
        sql`SELECT totp_secret AS s FROM accounts WHERE username = 'admin_a'`,
      );
      expect(stored.s).not.toContain(secret);
      expect(stored.s).toMatch(/^v1\./);

      const wrong = await admin.post('/api/auth/totp/enable', { code: '000000' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors[0].field).toBe('code');
      expect((await admin.post('/api/auth/totp/enable', { code: await generate({ secret }) })).statusCode).toBe(200);
      expect((await admin.get('/api/orgs/tree')).statusCode).toBe(200);
      expect((await admin.get('/api/me')).json().secondFactor).toEqual({
        enabled: true,
        required: true,
        pending: false,
      });
      // Once bound, a session cannot re-bind (that would switch the second factor off).
      expect((await admin.post('/api/auth/totp/setup')).json().code).toBe('TOTP_ALREADY_ENABLED');

      // Next login: the code is required, a wrong one counts as a failure, a used one is refused.
      const noCode = await loginFrom(djbh.app, '10.5.0.1', 'admin_a', PASSWORD);
      expect(noCode.statusCode).toBe(401);
      expect(noCode.json().code).toBe('TOTP_REQUIRED');
      const bad = await loginFrom(djbh.app, '10.5.0.1', 'admin_a', PASSWORD, '123456');
      expect(bad.json().code).toBe('TOTP_INVALID');
      const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
      const ok = await loginFrom(djbh.app, '10.5.0.1', 'admin_a', PASSWORD, next);
      expect(ok.statusCode).toBe(200);
      expect((await djbh.app.inject({ url: '/api/orgs/tree', headers: { cookie: cookieOf(ok) } })).statusCode).toBe(
        200,
      );
      const replay = await loginFrom(djbh.app, '10.5.0.2', 'admin_a', PASSWORD, next);
      expect(replay.json().code).toBe('TOTP_INVALID');
      const audit = await many<{ action: string }>(
        djbh.database.db,
        sql`SELECT action FROM audit_log WHERE action LIKE 'auth.totp%' ORDER BY id`,
      );
      expect(audit.map((a) => a.action)).toEqual(['auth.totp_setup', 'auth.totp_enabled']);

      // A lost phone: the platform admin removes the binding; the next login must enrol again.
      const platform = new Client(djbh.app);
      await platform.login('platform', PASSWORD);
      await platform.post('/api/auth/totp/setup');
      const [{ id }] = await many<{ id: number }>(
        djbh.database.db,
        sql`SELECT id FROM accounts WHERE username = 'admin_a'`,
      );
      expect((await platform.patch(`/api/accounts/${id}`, { resetTotp: true })).statusCode).toBe(403); // not enrolled
      const platformSecret = (await platform.post('/api/auth/totp/setup')).json().secret;
      await platform.post('/api/auth/totp/enable', { code: await generate({ secret: platformSecret }) });
      expect((await platform.patch(`/api/accounts/${id}`, { resetTotp: true })).statusCode).toBe(200);
      const again = await loginFrom(djbh.app, '10.5.0.3', 'admin_a', PASSWORD);
      expect(again.statusCode).toBe(200);
      expect(again.json().secondFactor).toEqual({ enabled: false, required: true, pending: true });
    } finally {
      await djbh.close();
    }
  });
});
