import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTCHA_ALPHABET, CAPTCHA_LENGTH } from '../../../domain/captcha.ts';
import { many, one } from '../../db/sql.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { createTestApp, type TestContext } from '../../test/harness.ts';
import { tempDataDir } from '../people/people.fixtures.ts';
import { purgeExpired } from './captcha.repository.ts';
import { type AttemptRule, issueCaptcha, requireCaptchaIfNeeded } from './captcha.service.ts';

let ctx: TestContext;
let dataDir: string;
let pii: ReturnType<typeof piiCipherFor>;
let scopeSeq = 0;

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  pii = piiCipherFor(dataDir);
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The code of the AppError a call throws, or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

const rule = (over: Partial<AttemptRule> = {}): AttemptRule => ({
  scope: `test:${++scopeSeq}`,
  windowSeconds: 600,
  captchaAfter: 2,
  ...over,
});
const check = (rules: AttemptRule[], answer?: { id: string; text: string }) =>
  outcome(requireCaptchaIfNeeded(ctx.database, pii, rules, answer));

describe('GET /api/public/captcha', () => {
  it('answers an SVG of strokes without a session; the answer is not in it and stored only as a hash', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/public/captcha' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['expiresInSeconds', 'id', 'image']);
    expect(body.expiresInSeconds).toBe(300);
    expect(body.image).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(body.image.split(',')[1], 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<path');
    expect(svg).not.toMatch(/<text|<tspan|<foreignObject|<script|href=/i);
    const row = await one<any>(
      ctx.database.db,
      sql`SELECT answer_hash, expires_at - created_at AS ttl FROM captcha_challenges WHERE id = ${body.id}`,
    );
    expect(row.answer_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('draws answers of the alphabet, and the answer never appears in the image', async () => {
    for (let i = 0; i < 20; i++) {
      const c = await issueCaptcha(ctx.database, pii);
      expect(c.text).toHaveLength(CAPTCHA_LENGTH);
      for (const ch of c.text) expect(CAPTCHA_ALPHABET).toContain(ch);
      const svg = Buffer.from(c.image.split(',')[1], 'base64').toString('utf8');
      expect(svg).not.toContain(c.text);
      const stored = await one<any>(
        ctx.database.db,
        sql`SELECT answer_hash FROM captcha_challenges WHERE id = ${c.id}`,
      );
      expect(stored.answer_hash).not.toContain(c.text);
    }
  });
});

describe('requireCaptchaIfNeeded', () => {
  it('asks for nothing up to the threshold, then for a captcha; a wrong one is refused and used up', async () => {
    const rules = [rule()];
    expect(await check(rules)).toBe('ok');
    expect(await check(rules)).toBe('ok');
    expect(await check(rules)).toBe('CAPTCHA_REQUIRED');
    const c = await issueCaptcha(ctx.database, pii);
    const wrongText = c.text.startsWith('A') ? `C${c.text.slice(1)}` : `A${c.text.slice(1)}`;
    expect(await check(rules, { id: c.id, text: wrongText })).toBe('CAPTCHA_INVALID');
    // one guess per image: the right answer no longer opens it
    expect(await check(rules, { id: c.id, text: c.text })).toBe('CAPTCHA_INVALID');
    expect(await check(rules, { id: 'unknown-captcha-id-00', text: 'AAAAA' })).toBe('CAPTCHA_INVALID');
  });

  it('a right captcha passes (case and spaces do not matter) and is single-use', async () => {
    const rules = [rule({ captchaAfter: 0 })];
    const c = await issueCaptcha(ctx.database, pii);
    expect(await check(rules, { id: c.id, text: ` ${c.text.toLowerCase().split('').join(' ')} ` })).toBe('ok');
    expect(await check(rules, { id: c.id, text: c.text })).toBe('CAPTCHA_INVALID');
  });

  it('an expired captcha is refused', async () => {
    const c = await issueCaptcha(ctx.database, pii);
    await ctx.database.db.execute(
      sql`UPDATE captcha_challenges SET expires_at = now() - interval '1 second' WHERE id = ${c.id}`,
    );
    expect(await check([rule({ captchaAfter: 0 })], { id: c.id, text: c.text })).toBe('CAPTCHA_INVALID');
  });

  it('a captcha sent while none is required is ignored, not used up', async () => {
    const c = await issueCaptcha(ctx.database, pii);
    expect(await check([rule()], { id: c.id, text: 'WRONG' })).toBe('ok');
    expect(await check([rule({ captchaAfter: 0 })], { id: c.id, text: c.text })).toBe('ok');
  });

  it('any scope over its threshold asks; a hard limit refuses even with a right captcha', async () => {
    const calm = rule({ captchaAfter: 100 });
    const busy = rule({ captchaAfter: 1, limit: 2, limitCode: 'QR_TOKEN_BUSY' });
    expect(await check([calm, busy])).toBe('ok');
    expect(await check([calm, busy])).toBe('CAPTCHA_REQUIRED');
    const c = await issueCaptcha(ctx.database, pii);
    expect(await check([calm, busy], { id: c.id, text: c.text })).toBe('QR_TOKEN_BUSY');
    const [row] = await many<any>(ctx.database.db, sql`SELECT count FROM attempt_counters WHERE scope = ${calm.scope}`);
    expect(row.count).toBe(3);
  });

  it('counts parallel attempts exactly (one upsert per attempt, no lost update)', async () => {
    const r = rule({ captchaAfter: 1000 });
    await Promise.all(Array.from({ length: 30 }, () => check([r])));
    const [row] = await many<any>(ctx.database.db, sql`SELECT count FROM attempt_counters WHERE scope = ${r.scope}`);
    expect(row.count).toBe(30);
  });

  it('a new window starts from zero; the purge removes expired challenges and past windows', async () => {
    const r = rule({ captchaAfter: 1 });
    expect(await check([r])).toBe('ok');
    expect(await check([r])).toBe('CAPTCHA_REQUIRED');
    // the window passed
    await ctx.database.db.execute(
      sql`UPDATE attempt_counters SET window_start = window_start - interval '1 hour', expires_at = now() - interval '1 second'
          WHERE scope = ${r.scope}`,
    );
    expect(await check([r])).toBe('ok');
    const c = await issueCaptcha(ctx.database, pii);
    await ctx.database.db.execute(
      sql`UPDATE captcha_challenges SET expires_at = now() - interval '1 second' WHERE id = ${c.id}`,
    );
    expect(await purgeExpired(ctx.database.db)).toBeGreaterThanOrEqual(2);
    expect(await many(ctx.database.db, sql`SELECT 1 FROM captcha_challenges WHERE id = ${c.id}`)).toHaveLength(0);
    const rows = await many<any>(ctx.database.db, sql`SELECT count FROM attempt_counters WHERE scope = ${r.scope}`);
    expect(rows.map((x) => x.count)).toEqual([1]);
  });
});
