/**
 * Generates one test per route × role × scope from authz-matrix.ts and runs it against the real app
 * on a real database; fails when a registered /api route is missing from the matrix.
 */
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../domain/account.ts';
import { CONSENT_VERSION } from '../../domain/person.ts';
import { piiCipherFor } from '../lib/crypto.ts';
import type { OrgRow } from '../modules/orgs/orgs.repository.ts';
import { addAccount, addOrg, buildWorld, PASSWORD } from '../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../test/harness.ts';
import {
  AUTHZ_MATRIX,
  cellsOf,
  MATRIX_ROLES,
  type MatrixRole,
  matches,
  PUBLIC_ROUTES,
  SCOPES,
  type Scope,
  type Target,
} from './authz-matrix.ts';

// Every route the app registers, seen through an onRoute hook added right after Fastify() is called.
const registered = vi.hoisted(() => [] as { method: string; url: string }[]);
vi.mock('fastify', async (importOriginal) => {
  const mod: any = await importOriginal();
  const original = mod.default;
  const wrapped = Object.assign((opts: unknown) => {
    const app = original(opts);
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    return app;
  }, original);
  return { ...mod, default: wrapped, fastify: wrapped };
});

const MATRIX_FILE = 'server/trust/authz-matrix.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients = new Map<MatrixRole, Client>();
const targets = {} as Record<
  Scope,
  Omit<Target, 'unique' | 'uniqueDigits' | 'freshLeafOrg' | 'database' | 'pii' | 'shared'>
>;
/** Fixtures shared by the tests of one scope (Target.shared). */
const sharedFixtures = Object.fromEntries(SCOPES.map((s) => [s, new Map<string, Promise<unknown>>()])) as Record<
  Scope,
  Map<string, Promise<unknown>>
>;
let seq = 0;

/** Where each role's account sits: see the header of authz-matrix.ts. */
function homeOf(role: Role): OrgRow | null {
  if (role === 'platform_admin') return null;
  if (role === 'district_admin') return world.rootA;
  return world.t1;
}

async function loggedIn(username: string): Promise<Client> {
  const client = new Client(ctx.app);
  const res = await client.login(username, PASSWORD);
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  return client;
}

beforeAll(async () => {
  ctx = await createTestApp({ JINGWEI_LOGIN_RATE_LIMIT: '100000' });
  world = await buildWorld(ctx.database);
  const scopeOrgs: Record<Scope, OrgRow> = {
    own: world.t1,
    child: world.v1,
    sibling: world.t2,
    parent: world.rootA,
    otherDistrict: world.tb,
  };
  for (const scope of SCOPES) {
    const org = scopeOrgs[scope];
    const accountId = await addAccount(ctx.database, `mx_target_${scope}`, 'youth', org);
    const alliance = await addOrg(ctx.database, org, 'alliance', `联盟${scope}`);
    targets[scope] = { org, orgId: org.id, districtId: org.districtId, accountId, allianceId: alliance.id };
  }
  for (const role of MATRIX_ROLES) {
    if (role === 'anonymous') {
      clients.set(role, new Client(ctx.app));
      continue;
    }
    await addAccount(ctx.database, `mx_${role}`, role, homeOf(role));
    clients.set(role, await loggedIn(`mx_${role}`));
  }
});
afterAll(() => ctx?.close());

function targetFor(scope: Scope): Target {
  seq += 1;
  const t = targets[scope];
  return {
    ...t,
    unique: `mx${seq}`,
    uniqueDigits: `7${String(seq).padStart(5, '0')}`,
    database: ctx.database,
    pii: piiCipherFor(ctx.app.config.dataDir),
    freshLeafOrg: async () => (await addOrg(ctx.database, t.org, 'branch', `叶${seq}`)).id,
    shared<T>(key: string, make: () => Promise<T>): Promise<T> {
      const cache = sharedFixtures[scope];
      if (!cache.has(key)) {
        const made = make();
        // A failed fixture is not cached: the next test makes its own attempt (and reports its error).
        made.catch(() => cache.delete(key));
        cache.set(key, made);
      }
      return cache.get(key) as Promise<T>;
    },
  };
}

describe('authorization matrix covers every route', () => {
  it('every registered /api route is in the matrix or listed as public', () => {
    const keys = [...new Set(registered.map((r) => `${r.method} ${r.url}`))];
    expect(keys.length).toBeGreaterThan(10); // the hook saw the app's routes
    const gets = new Set(registered.filter((r) => r.method === 'GET').map((r) => r.url));
    const missing = keys.filter(
      (key) =>
        key.split(' ')[1].startsWith('/api') &&
        // HEAD routes are Fastify's automatic twins of GET routes: same handler, same hooks.
        !(key.startsWith('HEAD ') && (gets.has(key.slice(5)) || gets.has(key.slice(5).replace(/\/$/, '')))) &&
        !(key in AUTHZ_MATRIX) &&
        !PUBLIC_ROUTES.includes(key),
    );
    const message = missing
      .map(
        (key) =>
          `Route "${key}" is registered but not in the authorization matrix: it is denied by default. ` +
          `Add a row '${key}': { request, expect } to AUTHZ_MATRIX in ${MATRIX_FILE} ` +
          '(one cell per role × scope), or to PUBLIC_ROUTES there if it must work without a session.',
      )
      .join('\n');
    expect(missing, message).toEqual([]);
  });

  it('every matrix row names a registered route (no stale rows)', () => {
    const keys = new Set(registered.map((r) => `${r.method} ${r.url}`));
    const stale = [...Object.keys(AUTHZ_MATRIX), ...PUBLIC_ROUTES].filter((k) => !keys.has(k));
    expect(stale, `rows in ${MATRIX_FILE} for routes the app does not register: ${stale.join(', ')}`).toEqual([]);
  });

  it('every row is well formed', () => {
    for (const route of Object.keys(AUTHZ_MATRIX)) for (const role of MATRIX_ROLES) cellsOf(route, role);
  });
});

/** A registration code of T1, made by the district admin: the QR pages' probes scan it. */
let qrToken: Promise<string> | null = null;
function scanToken(): Promise<string> {
  qrToken ??= clients
    .get('district_admin')!
    .request('POST', '/api/registration-tokens', { orgId: targets.own.orgId })
    .then((res) => {
      if (res.statusCode !== 201) throw new Error(`token for the QR probes: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    });
  return qrToken;
}

describe('public routes answer without a session', () => {
  type Probe = { url: string; payload?: unknown };
  const probes: Record<string, Probe | (() => Promise<Probe>)> = {
    'GET /api/health': { url: '/api/health' },
    'POST /api/auth/login': { url: '/api/auth/login', payload: { username: 'mx_youth', password: PASSWORD } },
    'POST /api/auth/logout': { url: '/api/auth/logout' },
    'GET /api/openapi.json': { url: '/api/openapi.json' },
    'GET /api/docs': { url: '/api/docs' },
    'GET /api/docs/static/index.html': { url: '/api/docs/static/index.html' },
    'GET /api/docs/json': { url: '/api/docs/json' },
    'GET /api/qr/:token': async () => ({ url: `/api/qr/${await scanToken()}` }),
    'POST /api/qr/:token/register': async () => ({
      url: `/api/qr/${await scanToken()}/register`,
      payload: {
        name: '扫码青年',
        phone: '13900139000',
        birthDate: '2000-05-04',
        consent: true,
        consentVersion: CONSENT_VERSION,
        submissionId: 'authz-public-probe-0001',
      },
    }),
  };
  it.each(Object.entries(probes))('%s', async (key, made) => {
    const probe = typeof made === 'function' ? await made() : made;
    const res = await ctx.app.inject({
      method: key.split(' ')[0] as any,
      url: probe.url,
      payload: probe.payload as any,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(400);
  });
});

for (const route of Object.keys(AUTHZ_MATRIX)) {
  const rule = AUTHZ_MATRIX[route];
  const [method, pattern] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string];
  describe(route, () => {
    for (const role of MATRIX_ROLES) {
      const cells = cellsOf(route, role);
      for (const scope of SCOPES) {
        it(`${role} × ${scope} → ${cells[scope]}`, async () => {
          const target = targetFor(scope);
          const req = await rule.request(target);
          expect(req.url.split('?')[0].split('/').length, `${route}: request url ${req.url}`).toBe(
            pattern.split('/').length,
          );
          let client = clients.get(role)!;
          if (rule.freshActor && role !== 'anonymous') {
            const username = `mx_fresh_${target.unique}`;
            await addAccount(ctx.database, username, role, homeOf(role));
            client = await loggedIn(username);
          }
          const res = await client.request(method, req.url, req.payload, req.headers);
          expect(
            matches(cells[scope], res.statusCode),
            `${method} ${req.url} as ${role} (${scope}): expected ${cells[scope]}, got ${res.statusCode} ${res.body.slice(0, 300)}`,
          ).toBe(true);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          }
        });
      }
    }
  });
}
