/**
 * 二维报到, the rest of issue 4: captcha after repeated attempts, per-code limits held in the database
 * (across app servers), revoked/expired messages, the grid suggested from the phone's position (WGS-84 and
 * GCJ-02, never outside the code's subtree), and the one-tap confirm of a known person.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../../domain/geo.ts';
import { CONSENT_VERSION } from '../../../domain/person.ts';
import { buildApp } from '../../app.ts';
import { many } from '../../db/sql.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { addGrid, PASSWORD, squareBoundary } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { issueCaptcha } from '../captcha/captcha.service.ts';
import { buildPeopleWorld, makeIdNumber, tempDataDir } from '../people/people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
let admin: Client;
let adminB: Client;
let leader: Client;
let grids: { a1: number; a2: number; b1: number };
let ipSeq = 0;
let phoneSeq = 0;
const newIp = () => `10.20.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
const newPhone = () => `1370000${String(1000 + ++phoneSeq)}`;

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildPeopleWorld(ctx.database);
  // Known polygons: A1 (V1, town T1) and A2 (V2, town T2) in district A, about 190 m apart; B1 in district B
  // exactly where A1 is (districts are independent, so their drawings may overlap).
  grids = {
    a1: await addGrid(ctx.database, world.v1, 'GEO-A1', { boundary: squareBoundary(0) }),
    a2: await addGrid(ctx.database, world.v2, 'GEO-A2', { boundary: squareBoundary(3) }),
    b1: await addGrid(ctx.database, world.tb, 'GEO-B1', { boundary: squareBoundary(0) }),
  };
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  adminB = new Client(ctx.app);
  await adminB.login('admin_b', PASSWORD);
  leader = new Client(ctx.app);
  await leader.login('v1_leader', PASSWORD);
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function newToken(client: Client, body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const res = await client.post('/api/registration-tokens', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function call(app: FastifyInstance, url: string, payload: unknown, ip: string) {
  return app.inject({ method: 'POST', url, payload: payload as any, remoteAddress: ip });
}
const register = (t: string, payload: unknown, ip = newIp(), app = ctx.app) =>
  call(app, `/api/qr/${t}/register`, payload, ip);

function form(overrides: Record<string, unknown> = {}) {
  return {
    name: '定位青年',
    phone: newPhone(),
    birthDate: '2000-03-03',
    category: 'student',
    consent: true,
    consentVersion: CONSENT_VERSION,
    submissionId: crypto.randomBytes(12).toString('base64url'),
    ...overrides,
  };
}

/** A captcha and its answer, as the page would read it from the image. */
async function solved() {
  const c = await issueCaptcha(ctx.database, piiCipherFor(dataDir));
  return { id: c.id, text: c.text };
}

/** Waits for a fresh fixed window when the current one is nearly over, so a count is not cut in two. */
async function freshWindow(seconds: number, need = 20) {
  const into = (Date.now() / 1000) % seconds;
  if (seconds - into < need) await new Promise((r) => setTimeout(r, (seconds - into + 0.5) * 1000));
}

describe('captcha after repeated attempts (per IP and code)', () => {
  it('asks after 5 attempts from one IP, refuses a wrong captcha, takes a right one once', async () => {
    const t = await newToken(leader, { gridId: world.g1 });
    await freshWindow(600);
    const ip = newIp();
    for (let i = 0; i < 5; i++) {
      // every attempt the schema lets through counts, a refused one too
      const res = await register(t.token, i === 2 ? form({ consentVersion: '2020-01' }) : form(), ip);
      expect(res.statusCode, res.body).toBe(i === 2 ? 409 : 200);
    }
    const sixth = await register(t.token, form(), ip);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(sixth.json()).toMatchObject({
      code: 'CAPTCHA_REQUIRED',
      title: '尝试次数较多，请输入图形验证码后再提交',
      errors: [{ field: 'captcha' }],
    });
    // another phone on another network is not affected
    expect((await register(t.token, form())).statusCode).toBe(200);

    const wrong = await solved();
    const refused = await register(t.token, form({ captcha: { id: wrong.id, text: 'XXXXX' } }), ip);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'CAPTCHA_INVALID', errors: [{ field: 'captcha' }] });

    const right = await solved();
    const f = form({ name: '验证码青年', captcha: { id: right.id, text: right.text.toLowerCase() } });
    const passed = await register(t.token, f, ip);
    expect(passed.statusCode, passed.body).toBe(200);
    expect(passed.json()).toEqual({ status: 'pending' });
    const reused = await register(t.token, form({ captcha: right }), ip);
    expect(reused.json().code).toBe('CAPTCHA_INVALID');
    expect(await many(ctx.database.db, sql`SELECT 1 FROM people WHERE name = '验证码青年'`)).toHaveLength(1);
  });
});

describe('per-code limits (in the database: they hold across app servers)', () => {
  it('a code hammered from many IPs asks everybody for a captcha, then refuses with 429', async () => {
    const second = await buildApp(ctx.app.config, ctx.database); // a second app server on the same database
    await second.ready();
    process.env.JINGWEI_CAPTCHA_TOKEN_PER_MINUTE = '4';
    process.env.JINGWEI_QR_TOKEN_PER_MINUTE = '6';
    try {
      const t = await newToken(leader, { gridId: world.g1 });
      await freshWindow(60);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++)
        codes.push((await register(t.token, form(), newIp(), i % 2 ? second : ctx.app)).statusCode);
      expect(codes).toEqual([200, 200, 200, 200]);
      // a fresh IP, on either server, now needs a captcha
      const asked = await register(t.token, form(), newIp(), second);
      expect(asked.json().code).toBe('CAPTCHA_REQUIRED');
      expect((await register(t.token, form({ captcha: await solved() }), newIp())).statusCode).toBe(200);
      // 7th attempt of the minute: over the hard limit, refused whatever the captcha
      const busy = await register(t.token, form({ captcha: await solved() }), newIp(), second);
      expect(busy.statusCode).toBe(429);
      expect(busy.json()).toMatchObject({ code: 'QR_TOKEN_BUSY' });
      // another code is not affected
      const other = await newToken(leader, { gridId: world.g1 });
      expect((await register(other.token, form())).statusCode).toBe(200);
      const [counter] = await many<any>(
        ctx.database.db,
        sql`SELECT sum(count)::int AS n FROM attempt_counters WHERE scope = ${`qr:${t.id}`}`,
      );
      expect(counter.n).toBe(7);
    } finally {
      delete process.env.JINGWEI_CAPTCHA_TOKEN_PER_MINUTE;
      delete process.env.JINGWEI_QR_TOKEN_PER_MINUTE;
      await second.close();
    }
  });

  it('revoked and expired codes say so clearly on every public route, before any counting', async () => {
    const revoked = await newToken(leader, { gridId: world.g1 });
    await leader.delete(`/api/registration-tokens/${revoked.id}`);
    const expired = await newToken(leader, { gridId: world.g1 });
    await ctx.database.db.execute(
      sql`UPDATE registration_tokens SET expires_at = now() - interval '1 minute' WHERE id = ${expired.id}`,
    );
    const bodies: Record<string, unknown> = {
      register: form(),
      locate: { lng: 120.5005, lat: 30.0005, coordSystem: 'wgs84' },
      identify: { phone: newPhone(), birthDate: '2000-01-01' },
      confirm: {
        phone: newPhone(),
        birthDate: '2000-01-01',
        consent: true,
        consentVersion: CONSENT_VERSION,
        submissionId: crypto.randomBytes(12).toString('base64url'),
      },
    };
    for (const [route, body] of Object.entries(bodies)) {
      const r = await call(ctx.app, `/api/qr/${revoked.token}/${route}`, body, newIp());
      expect(r.statusCode, `${route} ${r.body}`).toBe(410);
      expect(r.json()).toMatchObject({
        code: 'QR_TOKEN_REVOKED',
        title: '该报到二维码已停用，请向网格长索取新的二维码',
      });
      const e = await ctx.app.inject({
        method: 'POST',
        url: `/api/qr/${expired.token}/${route}`,
        payload: body as any,
        remoteAddress: newIp(),
        headers: { 'accept-language': 'en' },
      });
      expect(e.statusCode).toBe(410);
      expect(e.json()).toMatchObject({
        code: 'QR_TOKEN_EXPIRED',
        title: 'This registration code has expired; ask your grid leader for a new one',
      });
    }
    const counted = await many(
      ctx.database.db,
      sql`SELECT 1 FROM attempt_counters WHERE scope LIKE ${`qr:${revoked.id}%`} OR scope LIKE ${`qr:${expired.id}%`}`,
    );
    expect(counted).toHaveLength(0);
  });
});

describe('grid suggested from the position', () => {
  const inside: [number, number] = [120.5005, 30.0005]; // WGS-84, the middle of A1 (and of B1)
  const locate = (t: string, body: unknown) => call(ctx.app, `/api/qr/${t}/locate`, body, newIp());

  it('finds the grid containing a WGS-84 position and the same grid from its GCJ-02 position', async () => {
    const t = await newToken(admin, { orgId: world.t1.id });
    const wgs = await locate(t.token, { lng: inside[0], lat: inside[1], coordSystem: 'wgs84' });
    expect(wgs.statusCode, wgs.body).toBe(200);
    expect(wgs.json()).toEqual({
      grid: { id: grids.a1, name: 'GEO-A1网格', orgName: '北村团总支', inside: true, distanceMeters: 0 },
    });
    // WeChat reports the same spot in GCJ-02, about 500 m off: converted, it is inside A1 again
    const [gLng, gLat] = wgs84ToGcj02(inside);
    const gcj = await locate(t.token, { lng: gLng, lat: gLat, coordSystem: 'gcj02' });
    expect(gcj.json().grid).toMatchObject({ id: grids.a1, inside: true });
    // taken as WGS-84 by mistake, the GCJ-02 numbers lie outside A1 (nearest, ≈ 400 m)
    const raw = await locate(t.token, { lng: gLng, lat: gLat, coordSystem: 'wgs84' });
    expect(raw.json().grid).toMatchObject({ id: grids.a1, inside: false });
    expect(raw.json().grid.distanceMeters).toBeGreaterThan(300);
  });

  it('suggests the nearest grid within 500 m, nothing farther, and only grids of the code’s subtree', async () => {
    const t1 = await newToken(admin, { orgId: world.t1.id });
    const root = await newToken(admin, { orgId: world.rootA.id });
    const onA2 = { lng: 120.5031, lat: 30.0005, coordSystem: 'wgs84' }; // inside A2 (town T2)
    // T1's code does not see T2's grid A2: it suggests its own A1, about 200 m away
    const fromT1 = (await locate(t1.token, onA2)).json().grid;
    expect(fromT1).toMatchObject({ id: grids.a1, inside: false });
    expect(fromT1.distanceMeters).toBeGreaterThan(150);
    expect(fromT1.distanceMeters).toBeLessThan(260);
    // the district's root code sees both and takes the containing one
    expect((await locate(root.token, onA2)).json().grid).toMatchObject({ id: grids.a2, inside: true });
    // 1 km away: nothing
    expect((await locate(root.token, { lng: 120.51, lat: 30.0005 })).json()).toEqual({ grid: null });
  });

  it('a code of district A never suggests a grid of district B, and the reverse', async () => {
    const a = await newToken(admin, { orgId: world.rootA.id });
    const b = await newToken(adminB, { orgId: world.rootB.id });
    const point = { lng: inside[0], lat: inside[1], coordSystem: 'wgs84' };
    expect((await locate(a.token, point)).json().grid.id).toBe(grids.a1);
    expect((await locate(b.token, point)).json().grid.id).toBe(grids.b1);
    const tb = await newToken(adminB, { orgId: world.tb.id });
    const [gLng, gLat] = wgs84ToGcj02(inside);
    expect((await locate(tb.token, { lng: gLng, lat: gLat, coordSystem: 'gcj02' })).json().grid.id).toBe(grids.b1);
  });

  it('an org code registers into the chosen grid of its subtree, never into another', async () => {
    const t = await newToken(admin, { orgId: world.t1.id });
    const ok = await register(t.token, form({ name: '选网格青年', gridId: grids.a1 }));
    expect(ok.json()).toEqual({ status: 'pending' });
    const list = await admin.get('/api/people?status=pending&q=选网格青年');
    expect(list.json().items[0]).toMatchObject({ homeGrid: { id: grids.a1 }, org: { id: world.v1.id } });
    for (const gridId of [grids.a2, grids.b1, 999999]) {
      const refused = await register(t.token, form({ gridId }));
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ code: 'QR_GRID_NOT_AVAILABLE', errors: [{ field: 'gridId' }] });
    }
    // a grid code fixes its grid
    const g = await newToken(leader, { gridId: world.g1 });
    expect((await register(g.token, form({ gridId: grids.a1 }))).json().code).toBe('QR_GRID_NOT_AVAILABLE');
    expect((await register(g.token, form({ gridId: world.g1 }))).statusCode).toBe(200);
  });

  it('validates the position', async () => {
    const t = await newToken(admin, { orgId: world.t1.id });
    const bad = await locate(t.token, { lng: 200, lat: 30, coordSystem: 'bd09' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: any) => e.field)
        .sort(),
    ).toEqual(['coordSystem', 'lng']);
  });
});

describe('one-tap confirm of a known person', () => {
  const idNumber = makeIdNumber('19990909', '246');
  const phone = '13600001111';
  let gridCode: { id: string; token: string };
  const identify = (t: string, body: unknown, ip = newIp()) => call(ctx.app, `/api/qr/${t}/identify`, body, ip);
  const confirm = (t: string, body: Record<string, unknown>, ip = newIp()) =>
    call(
      ctx.app,
      `/api/qr/${t}/confirm`,
      {
        consent: true,
        consentVersion: CONSENT_VERSION,
        submissionId: crypto.randomBytes(12).toString('base64url'),
        ...body,
      },
      ip,
    );

  beforeAll(async () => {
    // 老用户: registered through grid g1's code, confirmed by the leader
    gridCode = await newToken(leader, { gridId: world.g1 });
    await register(gridCode.token, form({ name: '老用户', phone, idNumber, birthDate: undefined }));
    const p = (await leader.get('/api/people?status=pending&q=老用户')).json().items[0];
    await leader.post(`/api/people/${p.id}/confirm`);
  });

  it('knows him only by phone plus the ID number or birth date of the same person', async () => {
    const known = await identify(gridCode.token, { phone, idNumber });
    expect(known.statusCode, known.body).toBe(200);
    expect(known.json()).toEqual({ known: true, maskedName: '老**', alreadyHere: true });
    expect((await identify(gridCode.token, { phone: '+86 136 0000 1111', birthDate: '1999-09-09' })).json()).toEqual({
      known: true,
      maskedName: '老**',
      alreadyHere: true,
    });
    // the phone alone, or with a wrong second factor, tells nothing
    const unknown = { known: false, maskedName: null, alreadyHere: false };
    expect((await identify(gridCode.token, { phone, birthDate: '1999-09-10' })).json()).toEqual(unknown);
    expect((await identify(gridCode.token, { phone, idNumber: makeIdNumber('19990909', '357') })).json()).toEqual(
      unknown,
    );
    expect((await identify(gridCode.token, { phone: '13600002222', idNumber })).json()).toEqual(unknown);
    const noFactor = await identify(gridCode.token, { phone });
    expect(noFactor.statusCode).toBe(400);
    expect(noFactor.json().errors[0].field).toBe('birthDate');
    // another district's code does not know him
    const b = await newToken(adminB, { orgId: world.rootB.id });
    expect((await identify(b.token, { phone, idNumber })).json()).toEqual(unknown);
  });

  it('guessing birth dates meets the captcha after 5 tries from one IP', async () => {
    await freshWindow(600);
    const ip = newIp();
    for (let d = 1; d <= 5; d++) {
      const r = await identify(gridCode.token, { phone, birthDate: `1999-01-0${d}` }, ip);
      expect(r.json().known).toBe(false);
    }
    expect((await identify(gridCode.token, { phone, birthDate: '1999-01-06' }, ip)).json().code).toBe(
      'CAPTCHA_REQUIRED',
    );
  });

  it('already in this grid: confirming changes nothing and says registered', async () => {
    const before = await many<any>(ctx.database.db, sql`SELECT count(*)::int AS n FROM person_reviews`);
    const res = await confirm(gridCode.token, { phone, idNumber });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ status: 'registered' });
    const after = await many<any>(ctx.database.db, sql`SELECT count(*)::int AS n FROM person_reviews`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('joining another grid with one tap goes to the review list with the registry’s own facts', async () => {
    const other = await newToken(admin, { gridId: grids.a1 });
    expect((await identify(other.token, { phone, birthDate: '1999-09-09' })).json()).toMatchObject({
      known: true,
      alreadyHere: false,
    });
    const res = await confirm(other.token, { phone, birthDate: '1999-09-09' });
    expect(res.json()).toEqual({ status: 'review' });
    const [review] = await many<any>(
      ctx.database.db,
      sql`SELECT incoming, source, registration_token_id FROM person_reviews ORDER BY id DESC LIMIT 1`,
    );
    expect(review).toMatchObject({ source: 'qr', registration_token_id: other.id });
    expect(review.incoming).toMatchObject({ name: '老用户', homeGridId: grids.a1, birthDate: '1999-09-09' });
    // nobody was moved by it
    const [row] = await many<any>(ctx.database.db, sql`SELECT home_grid_id, status FROM people WHERE name = '老用户'`);
    expect(row).toEqual({ home_grid_id: world.g1, status: 'registered' });
    // a replay of the same tap is refused
    const submissionId = crypto.randomBytes(12).toString('base64url');
    expect((await confirm(other.token, { phone, idNumber, submissionId })).statusCode).toBe(200);
    expect((await confirm(other.token, { phone, idNumber, submissionId })).json().code).toBe('REGISTRATION_REPLAYED');
  });

  it('an unknown person cannot confirm: the page shows the form', async () => {
    const res = await confirm(gridCode.token, { phone: '13600009999', birthDate: '1999-09-09' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'QR_PERSON_NOT_FOUND', errors: [{ field: 'phone' }] });
  });
});
