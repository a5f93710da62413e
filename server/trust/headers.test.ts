/**
 * Security headers on API answers, errors and pages — the console and the public phone pages (/r/…, /y/…, /o/…,
 * /a/…, /t/…, /p/…) — photos and the router's own refusals; HSTS only when served behind TLS. Also what the DAST
 * pass (docs/SECURITY.md) relies on: routes that answer without a session are documented as public, and behind a
 * listed proxy a client cannot choose the address the per-IP limits and the audit log see.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, finishedActivity, makeJpeg } from '../modules/photos/photo-fixtures.ts';
import { addAccount, buildWorld, PASSWORD } from '../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../test/harness.ts';

let plain: TestContext;
let secure: TestContext;
const worlds = new Map<TestContext, Awaited<ReturnType<typeof buildWorld>>>();
/** photo ids of a published activity summary, per app */
const photoIds = new Map<TestContext, number>();
// a console build of two pages, so that page URLs are answered as in production (index.html / phone.html)
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-headers-dist-'));

beforeAll(async () => {
  const page = (entry: string) =>
    `<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/${entry}.js"></script></body></html>`;
  fs.writeFileSync(path.join(dist, 'index.html'), page('app-abc123'));
  fs.writeFileSync(path.join(dist, 'phone.html'), page('phone-abc123'));
  plain = await createTestApp({ JINGWEI_WEB_DIST: dist, JINGWEI_JOB_POLL_MS: '0' });
  // behind TLS and one reverse proxy on this host (inject's peer address is 127.0.0.1)
  secure = await createTestApp({
    JINGWEI_SECURE_COOKIES: 'true',
    JINGWEI_TRUST_PROXY: '127.0.0.1',
    JINGWEI_WEB_DIST: dist,
    JINGWEI_JOB_POLL_MS: '0',
  });
  for (const ctx of [plain, secure]) {
    const world = await buildWorld(ctx.database);
    worlds.set(ctx, world);
    const admin = new Client(ctx.app);
    expect((await admin.login('admin_a', PASSWORD)).statusCode).toBe(200);
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const summary = await admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: [b64(await makeJpeg())],
    });
    expect(summary.statusCode, summary.body).toBe(201);
    expect((await admin.post(`/api/activities/${id}/publish`, {})).statusCode).toBe(200);
    photoIds.set(ctx, summary.json().summary.photos[0].id);
  }
}, 120_000);
afterAll(async () => {
  await plain?.close();
  await secure?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

const TOKEN = `${'A'.repeat(22)}.${'B'.repeat(22)}`;
const PROBES = [
  { name: 'API answer', method: 'GET', url: '/api/health' },
  { name: 'problem (401)', method: 'GET', url: '/api/me' },
  { name: 'problem (404)', method: 'GET', url: '/api/nope' },
  { name: 'problem (400)', method: 'POST', url: '/api/auth/login', payload: { username: '' } },
  { name: 'docs page', method: 'GET', url: '/api/docs' },
  { name: 'page fallback', method: 'GET', url: '/some/page' },
  // the public phone pages: QR registration (light entry), call inbox, ordering, tracking, activity QR, plan
  { name: 'page /r/:token', method: 'GET', url: `/r/${TOKEN}` },
  { name: 'page /y/:token (call inbox)', method: 'GET', url: `/y/${TOKEN}` },
  { name: 'page /o/:districtId', method: 'GET', url: '/o/1' },
  { name: 'page /a/:token', method: 'GET', url: `/a/${TOKEN}?call=1` },
  { name: 'page /t/:tracking', method: 'GET', url: '/t/JW20261201ABCDEF' },
  { name: 'page /p/:id', method: 'GET', url: '/p/1' },
  // their public API answers
  { name: 'call inbox API (forged link)', method: 'GET', url: `/api/public/call-inbox/${TOKEN}` },
  { name: 'QR code API (forged code)', method: 'GET', url: `/api/qr/${TOKEN}` },
  { name: 'QR locate (invalid body)', method: 'POST', url: `/api/qr/${TOKEN}/locate`, payload: {} },
  { name: 'captcha', method: 'GET', url: '/api/public/captcha' },
  { name: 'public photo (missing)', method: 'GET', url: '/api/public/photos/2147483647' },
] as const;

/** Answered by the router itself, before any hook: malformed percent-escape, path parameter over 100 characters. */
const REFUSALS = [
  { name: 'malformed escape in an API path', url: '/api/qr/%ff%fe' },
  { name: 'malformed escape in a page path', url: '/y/%ff%fe' },
  { name: 'path parameter over 100 characters', url: `/api/public/call-inbox/${'A'.repeat(101)}` },
] as const;

describe('security headers', () => {
  it.each(PROBES)('$name', async (probe) => {
    const res = await plain.app.inject({
      method: probe.method,
      url: probe.url,
      payload: 'payload' in probe ? probe.payload : undefined,
    });
    expect(res.statusCode).toBeLessThan(500);
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

  it('the phone pages are the built pages: /r/ the light entry, the others the console', async () => {
    const body = async (url: string) => (await plain.app.inject({ url })).body;
    expect(await body(`/r/${TOKEN}`)).toContain('phone-abc123');
    for (const url of [`/y/${TOKEN}`, '/o/1', `/a/${TOKEN}`, '/t/JW20261201ABCDEF', '/p/1']) {
      expect(await body(url), url).toContain('app-abc123');
    }
  });

  it.each(REFUSALS)('router refusal: $name', async ({ url }) => {
    for (const ctx of [plain, secure]) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('BAD_REQUEST');
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      if (ctx === secure) expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      else expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('photos (private and public): the stored image type, nosniff, a sandbox CSP, HSTS behind TLS', async () => {
    for (const ctx of [plain, secure]) {
      const admin = new Client(ctx.app);
      await admin.login('admin_a', PASSWORD);
      const id = photoIds.get(ctx)!;
      for (const res of [
        await admin.get(`/api/photos/${id}`),
        await ctx.app.inject({ method: 'GET', url: `/api/public/photos/${id}` }),
      ]) {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('image/jpeg');
        expect(res.headers['content-disposition']).toMatch(/^inline; filename="photo-\d+\.jpg"$/);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'; frame-ancestors 'none'");
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
        if (ctx === secure) expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
        else expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    }
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
    // the public pages and their API
    for (const url of [
      `/r/${TOKEN}`,
      `/y/${TOKEN}`,
      '/o/1',
      `/api/public/call-inbox/${TOKEN}`,
      '/api/public/captcha',
    ]) {
      const page = await secure.app.inject({ method: 'GET', url });
      expect(page.headers['strict-transport-security'], url).toMatch(/max-age=\d{7,}/);
      expect(String(page.headers['content-security-policy']), url).toMatch(/frame-ancestors 'none'/);
    }
  });

  it('the session cookie is HttpOnly, SameSite=Lax, and Secure behind TLS', async () => {
    for (const [ctx, secureFlag] of [
      [plain, false],
      [secure, true],
    ] as const) {
      await addAccount(ctx.database, 'cookie_check', 'youth', worlds.get(ctx)!.v1);
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

describe('what the DAST pass relies on', () => {
  it('every operation that answers without a session is documented as public (security: []), and only those', async () => {
    const doc = (await plain.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const mismatches: string[] = [];
    for (const [route, operations] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const res = await plain.app.inject({
          method: method.toUpperCase() as 'GET',
          url: route.replace(/\{[^}]+\}/g, '1'),
          payload: method === 'get' ? undefined : {},
        });
        const documentedPublic = Array.isArray(operation.security) && operation.security.length === 0;
        if (documentedPublic === (res.statusCode === 401)) {
          mismatches.push(
            `${method.toUpperCase()} ${route}: documented ${documentedPublic ? 'public' : 'with session'}, answered ${res.statusCode}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a request without a valid session is refused before its body is read (no pre-login parsing of 20 MB)', async () => {
    const bodies = [
      { name: 'malformed JSON', type: 'application/json', payload: '{"text": "x", "photos": [' },
      {
        name: 'XML',
        type: 'text/xml',
        payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      },
      {
        name: 'a body over the limit',
        type: 'application/json',
        payload: `{"text":"${'x'.repeat(1024 * 1024 + 10)}"}`,
      },
    ];
    for (const cookie of [undefined, 'jw_session=forged-session-token']) {
      for (const body of bodies) {
        for (const url of ['/api/activities/1/summary', '/api/people']) {
          const res = await plain.app.inject({
            method: 'POST',
            url,
            payload: body.payload,
            headers: { 'content-type': body.type, ...(cookie ? { cookie } : {}) },
          });
          expect(res.statusCode, `${body.name} ${url} ${cookie ?? 'no cookie'}`).toBe(401);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
      }
    }
    // a public route still reads its body first: the parse error is the answer
    const parsed = await plain.app.inject({
      method: 'POST',
      url: `/api/qr/${TOKEN}/locate`,
      payload: '{"lat": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(parsed.statusCode).toBe(400);
  });

  it('X-Forwarded-For: ignored without JINGWEI_TRUST_PROXY; behind a listed proxy, the entry the proxy added', async () => {
    const failedLoginIp = async (
      ctx: TestContext,
      username: string,
      headers: Record<string, string>,
      from?: string,
    ) => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'wrong-password-1' },
        headers,
        ...(from ? { remoteAddress: from } : {}),
      });
      expect(res.statusCode).toBe(401);
      // ('*' is the row counting the username's failures from every address)
      const rows = await ctx.database.query<{ ip: string }>(
        "SELECT ip FROM login_failures WHERE username = $1 AND ip <> '*'",
        [username],
      );
      return rows.map((r) => r.ip);
    };
    // no proxy configured: the header is the client's own text, never believed
    expect(await failedLoginIp(plain, 'xff_direct', { 'x-forwarded-for': '6.6.6.6' })).toEqual(['127.0.0.1']);
    // the proxy (127.0.0.1) appended the real peer; the client's own left-most entry is not taken
    expect(await failedLoginIp(secure, 'xff_proxied', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' })).toEqual([
      '203.0.113.9',
    ]);
    // a client reaching the server directly (not a listed proxy) cannot name another address
    expect(await failedLoginIp(secure, 'xff_bypass', { 'x-forwarded-for': '6.6.6.6' }, '198.51.100.7')).toEqual([
      '198.51.100.7',
    ]);
  });
});
