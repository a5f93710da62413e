/** Security headers on API answers, errors and pages; HSTS only when served behind TLS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/harness.ts';

let plain: TestContext;
let secure: TestContext;

beforeAll(async () => {
  plain = await createTestApp();
  secure = await createTestApp({ JINGWEI_SECURE_COOKIES: 'true' });
});
afterAll(async () => {
  await plain?.close();
  await secure?.close();
});

const PROBES = [
  { name: 'API answer', method: 'GET', url: '/api/health' },
  { name: 'problem (401)', method: 'GET', url: '/api/me' },
  { name: 'problem (404)', method: 'GET', url: '/api/nope' },
  { name: 'problem (400)', method: 'POST', url: '/api/auth/login', payload: { username: '' } },
  { name: 'docs page', method: 'GET', url: '/api/docs' },
  { name: 'page fallback', method: 'GET', url: '/some/page' },
] as const;

describe('security headers', () => {
  it.each(PROBES)('$name', async (probe) => {
    const res = await plain.app.inject({
      method: probe.method,
      url: probe.url,
      payload: 'payload' in probe ? probe.payload : undefined,
    });
    const csp = String(res.headers['content-security-policy'] ?? '');
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // Plain HTTP (a town office intranet): upgrading would send the browser to https:// for every script.
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
  });

  it('HSTS and Secure cookies when JINGWEI_SECURE_COOKIES=true', async () => {
    const res = await secure.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    expect(String(res.headers['content-security-policy'])).toMatch(/upgrade-insecure-requests/);
    const problem = await secure.app.inject({ method: 'GET', url: '/api/me' });
    expect(problem.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    const login = await secure.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'x' },
    });
    expect(login.statusCode).toBe(401);
    expect(login.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('the session cookie is HttpOnly, SameSite=Lax, and Secure behind TLS', async () => {
    const { addAccount, buildWorld, PASSWORD } = await import('../test/factories.ts');
    for (const [ctx, secureFlag] of [
      [plain, false],
      [secure, true],
    ] as const) {
      const world = await buildWorld(ctx.database);
      await addAccount(ctx.database, 'cookie_check', 'youth', world.v1);
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'cookie_check', password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'jw_session')!;
      expect(cookie.httpOnly).toBe(true);
      expect(String(cookie.sameSite).toLowerCase()).toBe('lax');
      expect(Boolean(cookie.secure)).toBe(secureFlag);
      expect(res.headers['cache-control'] ?? '').not.toMatch(/public/);
    }
  });

  it('a cross-site write without the CSRF token is refused', async () => {
    const { buildWorld: _b, PASSWORD } = await import('../test/factories.ts');
    const login = await plain.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'cookie_check', password: PASSWORD },
    });
    const cookie = `jw_session=${login.cookies.find((c) => c.name === 'jw_session')!.value}`;
    const res = await plain.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie, origin: 'https://evil.example' },
      payload: { currentPassword: PASSWORD, newPassword: 'Evil2026xx' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF');
  });
});
