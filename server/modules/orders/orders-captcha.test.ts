/**
 * 群众点单 with the shared captcha (issue 6: "rate limit per phone and IP, captcha"): after repeated
 * attempts per IP or per phone in 10 minutes the public order form needs a captcha, checked before the
 * SMS code, so neither a busy network nor codes guessed from many IPs get through without one.
 */
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many } from '../../db/sql.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { lastDevSmsCode } from '../../lib/sms.ts';
import { buildWorld } from '../../test/factories.ts';
import { createTestApp, type TestContext } from '../../test/harness.ts';
import { issueCaptcha } from '../captcha/captcha.service.ts';
import { tempDataDir } from '../people/people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let dataDir: string;
let ipSeq = 0;
let phoneSeq = 0;
const newIp = () => `10.30.0.${++ipSeq}`;
const newPhone = () => `1350000${String(1000 + ++phoneSeq)}`;

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildWorld(ctx.database);
});
afterAll(async () => {
  delete process.env.JINGWEI_CAPTCHA_ORDER_IP_AFTER;
  delete process.env.JINGWEI_CAPTCHA_ORDER_PHONE_AFTER;
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown, ip: string) =>
  ctx.app.inject({ method: 'POST', url, payload: payload as any, remoteAddress: ip });

async function sendCode(phone: string, ip: string) {
  const res = await post('/api/public/sms-codes', { districtId: world.districtA, phone, purpose: 'order' }, ip);
  expect(res.statusCode, res.body).toBe(202);
  return lastDevSmsCode(phone)!;
}

const order = (phone: string, code: string, ip: string, extra: Record<string, unknown> = {}) =>
  post(
    `/api/public/districts/${world.districtA}/orders`,
    { name: '王小明', phone, code, category: 'education', title: '暑假作业辅导', ...extra },
    ip,
  );

async function solved() {
  const c = await issueCaptcha(ctx.database, piiCipherFor(dataDir));
  return { id: c.id, text: c.text };
}

/** Waits for a fresh 10-minute window when the current one is nearly over. */
async function freshWindow() {
  const into = (Date.now() / 1000) % 600;
  if (600 - into < 20) await new Promise((r) => setTimeout(r, (600 - into + 0.5) * 1000));
}

describe('public orders ask for a captcha after repeated attempts', () => {
  it('per IP: a captcha after the threshold; the SMS code survives the refusal; a captcha is used once', async () => {
    process.env.JINGWEI_CAPTCHA_ORDER_IP_AFTER = '2';
    await freshWindow();
    const ip = newIp();
    for (let i = 0; i < 2; i++) {
      const phone = newPhone();
      const res = await order(phone, await sendCode(phone, ip), ip);
      expect(res.statusCode, res.body).toBe(201);
    }
    const phone = newPhone();
    const code = await sendCode(phone, ip);
    const asked = await order(phone, code, ip);
    expect(asked.statusCode).toBe(429);
    expect(asked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(asked.json()).toMatchObject({ code: 'CAPTCHA_REQUIRED', errors: [{ field: 'captcha' }] });
    const wrong = await order(phone, code, ip, { captcha: { id: (await solved()).id, text: 'ZZZZZ' } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'CAPTCHA_INVALID', errors: [{ field: 'captcha' }] });
    const captcha = await solved();
    const placed = await order(phone, code, ip, { captcha });
    expect(placed.statusCode, placed.body).toBe(201);
    const next = newPhone();
    const reused = await order(next, await sendCode(next, ip), ip, { captcha });
    expect(reused.json().code).toBe('CAPTCHA_INVALID');
    // another network is not affected
    const other = newPhone();
    const elsewhere = newIp();
    expect((await order(other, await sendCode(other, elsewhere), elsewhere)).statusCode).toBe(201);
    delete process.env.JINGWEI_CAPTCHA_ORDER_IP_AFTER;
  });

  it('per phone: SMS codes guessed from many IPs meet the captcha, before the code is even checked', async () => {
    process.env.JINGWEI_CAPTCHA_ORDER_PHONE_AFTER = '2';
    await freshWindow();
    const phone = newPhone();
    const code = await sendCode(phone, newIp());
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 2; i++) expect((await order(phone, wrongCode, newIp())).json().code).toBe('SMS_CODE_INVALID');
    const asked = await order(phone, wrongCode, newIp());
    expect(asked.json().code).toBe('CAPTCHA_REQUIRED');
    // the refused guess did not cost an attempt of the code: 2 wrong so far, the code still works
    const [row] = await many<any>(ctx.database.db, sql`SELECT attempts FROM sms_codes ORDER BY id DESC LIMIT 1`);
    expect(row.attempts).toBe(2);
    const placed = await order(phone, code, newIp(), { captcha: await solved() });
    expect(placed.statusCode, placed.body).toBe(201);
    // the counter is keyed by the phone's blind index, never the number itself
    const scopes = await many<any>(
      ctx.database.db,
      sql`SELECT scope FROM attempt_counters WHERE scope LIKE 'order:phone:%'`,
    );
    expect(scopes.length).toBeGreaterThan(0);
    for (const s of scopes) expect(s.scope).not.toContain(phone);
    delete process.env.JINGWEI_CAPTCHA_ORDER_PHONE_AFTER;
  });
});
