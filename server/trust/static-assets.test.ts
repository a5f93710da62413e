/** The console's build as the server sends it: precompressed, hashed assets cached for good, pages revalidated. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../test/harness.ts';

let ctx: TestContext;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-dist-'));
const script = `console.log(${JSON.stringify('经纬'.repeat(2000))});`;

beforeAll(async () => {
  fs.mkdirSync(path.join(dist, 'assets'));
  const html =
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app-abc123.js"></script></body></html>';
  fs.writeFileSync(path.join(dist, 'index.html'), html);
  // the light entry of the phone registration page (issue 10)
  fs.writeFileSync(path.join(dist, 'phone.html'), html.replace('app-abc123', 'phone-abc123'));
  const js = path.join(dist, 'assets', 'app-abc123.js');
  fs.writeFileSync(js, script);
  fs.writeFileSync(`${js}.br`, zlib.brotliCompressSync(script));
  fs.writeFileSync(`${js}.gz`, zlib.gzipSync(script));
  ctx = await createTestApp({ JINGWEI_WEB_DIST: dist });
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('static console build', () => {
  it('sends the brotli or gzip file the build wrote, and lets browsers keep hashed assets', async () => {
    const br = await ctx.app.inject({ url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    const gz = await ctx.app.inject({ url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(script);
    const plain = await ctx.app.inject({ url: '/assets/app-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('revalidates the page itself, for every client-side route', async () => {
    for (const url of ['/', '/r/some.token', '/orgs']) {
      const page = await ctx.app.inject({ url });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    expect((await ctx.app.inject({ url: '/assets/missing-x.js' })).statusCode).toBe(404);
  });

  it('sends the light phone entry for the registration page /r/:token, the console for every other page', async () => {
    for (const url of ['/r/some.token', '/r/some.token?from=poster']) {
      const page = await ctx.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toContain('phone-abc123');
    }
    for (const url of ['/', '/o/1', '/a/some.token', '/r', '/r/some.token/more']) {
      expect((await ctx.app.inject({ url })).body).toContain('app-abc123');
    }
  });
});
