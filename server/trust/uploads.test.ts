/**
 * Uploads (issue 11): uploaded files are size-limited (notices.test.ts: 2 MiB per attachment, 413; ledgers:
 * 10 MB, 413; zip bombs: spreadsheet.test.ts) and served with safe headers — tested here for every media
 * type an uploader may claim. No image upload exists yet (no photos module); when one lands, its images must
 * be re-checked by content (magic bytes, re-encoded) and get a row here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD } from '../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../test/harness.ts';
import { isActiveContentType } from './download-headers.ts';

let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0' });
  await buildWorld(ctx.database);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
});
afterAll(() => ctx?.close());

describe('downloads of uploaded files', () => {
  const cases: [string, string, string][] = [
    ['page.html', 'text/html', 'application/octet-stream'],
    ['x.svg', 'image/svg+xml', 'application/octet-stream'],
    ['x.js', 'application/javascript', 'application/octet-stream'],
    ['x.xml', 'application/xml', 'application/octet-stream'],
    ['x.xhtml', 'application/xhtml+xml', 'application/octet-stream'],
    ['a.pdf', 'application/pdf', 'application/pdf'],
    ['a.png', 'image/png', 'image/png'],
  ];
  it('serve active content as octet-stream, always as an attachment, nosniff, sandboxed', async () => {
    const body = Buffer.from('<html><script>alert(document.cookie)</script></html>').toString('base64');
    const sent = await admin.post('/api/notices', {
      title: '附件安全',
      body: '见附件',
      priority: 'general',
      target: { mode: 'subtree' },
      attachments: cases.slice(0, 3).map(([name, mimeType]) => ({ name, mimeType, dataBase64: body })),
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const more = await admin.post('/api/notices', {
      title: '附件安全二',
      body: '见附件',
      priority: 'general',
      target: { mode: 'subtree' },
      attachments: cases.slice(3, 6).map(([name, mimeType]) => ({ name, mimeType, dataBase64: body })),
    });
    expect(more.statusCode, more.body).toBe(201);
    const served: Record<string, Record<string, unknown>> = {};
    for (const notice of [sent.json(), more.json()]) {
      for (const a of notice.attachments) {
        const res = await admin.get(`/api/notices/${notice.id}/attachments/${a.id}`);
        expect(res.statusCode).toBe(200);
        served[a.name] = res.headers;
      }
    }
    for (const [name, , expected] of cases.slice(0, 6)) {
      const h = served[name];
      expect(String(h['content-type']), name).toContain(expected);
      expect(h['content-disposition'], name).toMatch(/^attachment/);
      expect(h['x-content-type-options'], name).toBe('nosniff');
      expect(h['content-security-policy'], name).toMatch(/sandbox/);
      expect(h['content-security-policy'], name).toMatch(/frame-ancestors 'none'/);
    }
    expect(isActiveContentType('image/png')).toBe(false);
    expect(isActiveContentType('TEXT/HTML; charset=utf-8')).toBe(true);
    expect(isActiveContentType('application/rss+xml')).toBe(true);
  });
});
