import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_VERSION } from '../../../domain/person.ts';
import { many } from '../../db/sql.ts';
import { PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { buildPeopleWorld, makeIdNumber, tempDataDir } from '../people/people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
let leader: Client;
let admin: Client;
let token: { id: string; token: string; url: string };
let ipCounter = 0;

beforeAll(async () => {
  dataDir = tempDataDir();
  process.env.JINGWEI_PUBLIC_BASE_URL = 'https://jw.example.cn';
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildPeopleWorld(ctx.database);
  leader = new Client(ctx.app);
  await leader.login('v1_leader', PASSWORD);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
});
afterAll(async () => {
  delete process.env.JINGWEI_PUBLIC_BASE_URL;
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A phone on the public page: no session, its own IP unless told. */
function scan(method: 'GET' | 'POST', t: string, payload?: unknown, ip = `10.0.0.${++ipCounter}`) {
  return ctx.app.inject({
    method,
    url: method === 'GET' ? `/api/qr/${t}` : `/api/qr/${t}/register`,
    payload: payload as any,
    remoteAddress: ip,
  });
}

function form(overrides: Record<string, unknown> = {}) {
  return {
    name: '扫码青年',
    phone: '139 0000 1111',
    birthDate: '2001-05-05',
    category: 'migrant_worker',
    consent: true,
    consentVersion: CONSENT_VERSION,
    submissionId: crypto.randomBytes(12).toString('base64url'),
    ...overrides,
  };
}

describe('registration codes', () => {
  it('a grid leader makes a signed code for his grid, encoding the public URL', async () => {
    const res = await leader.post('/api/registration-tokens', { gridId: world.g1, expiresInDays: 30 });
    expect(res.statusCode).toBe(201);
    token = res.json();
    expect(res.json()).toMatchObject({
      kind: 'grid',
      grid: { id: world.g1 },
      org: { id: world.v1.id },
      revokedAt: null,
    });
    expect(token.token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(token.url).toBe(`https://jw.example.cn/r/${token.token}`);
    const list = await leader.get(`/api/registration-tokens?gridId=${world.g1}`);
    expect(list.json().items.map((t: any) => t.id)).toEqual([token.id]);
  });

  it('downloads the code as PNG and SVG', async () => {
    const png = await leader.get(`/api/registration-tokens/${token.id}/qr`);
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svg = await leader.get(`/api/registration-tokens/${token.id}/qr?format=svg`);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
  });

  it('a cadre of another town cannot make or see codes of this grid', async () => {
    const t2 = new Client(ctx.app);
    await t2.login('t2_admin', PASSWORD);
    expect((await t2.post('/api/registration-tokens', { gridId: world.g1 })).json().code).toBe('GRID_NOT_FOUND');
    expect((await t2.get(`/api/registration-tokens/${token.id}/qr`)).statusCode).toBe(404);
    const youth = new Client(ctx.app);
    await youth.login('v1_youth', PASSWORD);
    expect((await youth.post('/api/registration-tokens', { gridId: world.g1 })).statusCode).toBe(403);
  });
});

describe('the public phone page', () => {
  it('shows grid, org and privacy notice, and nothing personal', async () => {
    const res = await scan('GET', token.token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'grid',
      gridName: 'A-G1网格',
      orgName: '北村团总支',
      districtName: '甲区',
      consentVersion: CONSENT_VERSION,
    });
    expect(res.json().privacyNotice).toContain('撤回同意');
  });

  it('a forged or altered token is refused without a session', async () => {
    const [id, sig] = token.token.split('.');
    const altered = `${id}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    for (const t of [altered, id, `${id}.${sig}.x`, 'nonsense']) {
      const res = await scan('GET', t);
      expect(res.statusCode, t).toBe(404);
      expect(res.json().code).toBe('QR_TOKEN_INVALID');
    }
  });

  it('a registration lands as pending; the grid leader sees and confirms it', async () => {
    const res = await scan('POST', token.token, form());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'pending' });
    const pending = await leader.get('/api/people?status=pending');
    const p = pending.json().items.find((x: any) => x.name === '扫码青年');
    expect(p).toMatchObject({
      source: 'qr',
      phone: '139****1111',
      homeGrid: { id: world.g1 },
      consent: { version: CONSENT_VERSION, channel: 'qr' },
      category: 'migrant_worker',
    });
    const confirmed = await leader.post(`/api/people/${p.id}/confirm`);
    expect(confirmed.json().status).toBe('registered');
    expect((await leader.post(`/api/people/${p.id}/confirm`)).json().code).toBe('PERSON_NOT_PENDING');
    const [entry] = await many<any>(
      ctx.database.db,
      sql`SELECT * FROM audit_log WHERE action = 'person.self_register' AND entity_id = ${String(p.id)}`,
    );
    expect(entry.account_id).toBeNull();
    expect(entry.ip).toMatch(/^10\.0\.0\./);
  });

  it('a replayed form is refused; re-registering goes to review and changes nothing by itself', async () => {
    const f = form({ name: '重复扫码', phone: '13900002222' });
    expect((await scan('POST', token.token, f)).json()).toEqual({ status: 'pending' });
    const replay = await scan('POST', token.token, f);
    expect(replay.statusCode).toBe(409);
    expect(replay.json().code).toBe('REGISTRATION_REPLAYED');
    const again = await scan(
      'POST',
      token.token,
      form({ name: '重复扫码', phone: '+86 139 0000 2222', category: 'student' }),
    );
    expect(again.json()).toEqual({ status: 'review' });
    const rows = await many<any>(ctx.database.db, sql`SELECT category FROM people WHERE name = '重复扫码'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].category).toBe('migrant_worker');
    const reviews = await many<any>(ctx.database.db, sql`SELECT count(*)::int AS n FROM person_reviews`);
    expect(reviews[0].n).toBeGreaterThan(0);
  });

  it('validates the form: consent box, outdated notice, ID check digit, age', async () => {
    const noConsent = await scan('POST', token.token, form({ consent: false }));
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().errors.map((e: any) => e.field)).toContain('consent');
    const outdated = await scan('POST', token.token, form({ consentVersion: '2020-01' }));
    expect(outdated.json().code).toBe('CONSENT_VERSION_OUTDATED');
    const id = makeIdNumber('20000101', '135');
    const badId = await scan(
      'POST',
      token.token,
      form({ idNumber: `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}` }),
    );
    expect(badId.json().errors).toEqual([{ field: 'idNumber', message: '身份证号校验位不正确，请核对' }]);
    const child = await scan('POST', token.token, form({ birthDate: '2016-01-01', phone: '13900003333' }));
    expect(child.json().code).toBe('GUARDIAN_CONSENT_REQUIRED');
  });

  it('with the district setting on, registrations land as registered', async () => {
    const leaderSet = await leader.put('/api/registrations/settings', { autoRegister: true });
    expect(leaderSet.statusCode).toBe(403);
    const set = await admin.put('/api/registrations/settings', { autoRegister: true });
    expect(set.json()).toEqual({ autoRegister: true });
    const res = await scan('POST', token.token, form({ name: '自动登记', phone: '13900004444' }));
    expect(res.json()).toEqual({ status: 'registered' });
    await admin.put('/api/registrations/settings', { autoRegister: false });
  });

  it('a conflicting registration goes to review', async () => {
    const first = await scan(
      'POST',
      token.token,
      form({ name: '有证青年', phone: '13900005555', idNumber: makeIdNumber('20000101', '111'), birthDate: undefined }),
    );
    expect(first.json()).toEqual({ status: 'pending' });
    const res = await scan(
      'POST',
      token.token,
      form({ name: '另一人', phone: '13900005555', idNumber: makeIdNumber('20010101', '222'), birthDate: undefined }),
    );
    expect(res.json()).toEqual({ status: 'review' });
    const reviews = await leader.get('/api/people/reviews');
    expect(reviews.json().items[0]).toMatchObject({
      reason: 'phone_conflict',
      source: 'qr',
      incoming: { name: '另一人' },
    });
  });

  it('an org code registers the person with that org as his branch', async () => {
    const orgToken = (await admin.post('/api/registration-tokens', { orgId: world.t1.id })).json();
    expect(orgToken.kind).toBe('org');
    expect((await scan('GET', orgToken.token)).json()).toMatchObject({
      kind: 'org',
      gridName: null,
      orgName: '东湖镇团委',
    });
    await scan('POST', orgToken.token, form({ name: '组织码青年', phone: '13900006666' }));
    const list = await admin.get('/api/people?status=pending&q=组织码');
    expect(list.json().items[0]).toMatchObject({
      branchOrg: { id: world.t1.id },
      homeGrid: null,
      org: { id: world.t1.id },
    });
  });

  it('revoked and expired codes say so', async () => {
    const t = (await leader.post('/api/registration-tokens', { gridId: world.g1 })).json();
    const revoked = await leader.delete(`/api/registration-tokens/${t.id}`);
    expect(revoked.json().revokedAt).not.toBeNull();
    const scanned = await scan('GET', t.token);
    expect(scanned.statusCode).toBe(410);
    expect(scanned.json()).toMatchObject({
      code: 'QR_TOKEN_REVOKED',
      title: '该报到二维码已停用，请向网格长索取新的二维码',
    });
    expect((await scan('POST', t.token, form())).json().code).toBe('QR_TOKEN_REVOKED');

    const e = (await leader.post('/api/registration-tokens', { gridId: world.g1 })).json();
    await ctx.database.db.execute(
      sql`UPDATE registration_tokens SET expires_at = now() - interval '1 minute' WHERE id = ${e.id}`,
    );
    const expired = await scan('POST', e.token, form());
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('QR_TOKEN_EXPIRED');
  });

  it('rate-limits registrations per IP', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await scan('POST', 'x.y', {}, '10.9.9.9')).statusCode);
    expect(codes.slice(0, 20).every((c) => c !== 429)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    const res = await scan('POST', 'x.y', {}, '10.9.9.9');
    expect(res.json().code).toBe('RATE_LIMITED');
  });
});
