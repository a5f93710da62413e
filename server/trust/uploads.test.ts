/**
 * Uploads (issue 11): uploaded files are size-limited (notices.test.ts: 2 MiB per attachment, 413; ledgers:
 * 10 MB, 413; zip bombs: spreadsheet.test.ts) and served with safe headers — tested here for every media
 * type an uploader may claim. Photos (server/modules/photos: activity summaries, service orders) are re-checked
 * by content — magic bytes and header dimensions, then decoded and re-encoded without metadata — and served
 * inline under the stored image type only: their rows are in the second block (and photos.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../domain/messages.ts';
import {
  b64,
  finishedActivity,
  HTML_AS_JPG,
  makeGif,
  makeJpeg,
  makePng,
  makeWebp,
  pngClaiming,
  SVG,
} from '../modules/photos/photo-fixtures.ts';
import { buildWorld, PASSWORD } from '../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../test/harness.ts';
import { isActiveContentType } from './download-headers.ts';

let ctx: TestContext;
let admin: Client;
let world: Awaited<ReturnType<typeof buildWorld>>;

beforeAll(async () => {
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0' });
  world = await buildWorld(ctx.database);
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

describe('photos: re-checked by content, served inline with safe headers', () => {
  it('refuse what is not a JPEG/PNG/WebP by its bytes, serve the rest under the stored image type', async () => {
    const png = await makePng();
    const refused: [string, Buffer, 'PHOTO_NOT_IMAGE' | 'PHOTO_DAMAGED' | 'PHOTO_DIMENSIONS'][] = [
      ['page.html renamed .jpg', HTML_AS_JPG, 'PHOTO_NOT_IMAGE'],
      ['x.svg', SVG, 'PHOTO_NOT_IMAGE'],
      ['a.gif', await makeGif(), 'PHOTO_NOT_IMAGE'],
      ['truncated.png', png.subarray(0, png.length - 8), 'PHOTO_DAMAGED'],
      ['png + html polyglot', Buffer.concat([png, HTML_AS_JPG]), 'PHOTO_DAMAGED'],
      ['bomb.png (50000 × 50000)', await pngClaiming(50_000, 50_000), 'PHOTO_DIMENSIONS'],
    ];
    for (const [name, bytes, code] of refused) {
      const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
      const res = await admin.post(`/api/activities/${id}/summary`, { text: '总结', photos: [b64(bytes)] });
      expect(res.statusCode, name).toBe(400);
      expect(res.json(), name).toMatchObject({
        code: 'VALIDATION',
        errors: [{ field: 'photos.0.dataBase64', message: ERROR_MESSAGES[code]['zh-CN'] }],
      });
    }
    const accepted: [string, Buffer, string][] = [
      ['a.jpg', await makeJpeg(), 'image/jpeg'],
      ['a.png', png, 'image/png'],
      ['a.webp', await makeWebp(), 'image/webp'],
    ];
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const res = await admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: accepted.map(([, bytes]) => b64(bytes)),
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const [i, photo] of res.json().summary.photos.entries()) {
      const [name, , mime] = accepted[i];
      const got = await admin.get(photo.url);
      expect(got.statusCode, name).toBe(200);
      expect(got.headers['content-type'], name).toBe(mime);
      expect(got.headers['content-disposition'], name).toMatch(/^inline; filename="photo-\d+\.(jpg|png|webp)"$/);
      expect(got.headers['x-content-type-options'], name).toBe('nosniff');
      expect(got.headers['content-security-policy'], name).toMatch(/^sandbox; default-src 'none'/);
      expect(got.headers['content-security-policy'], name).toMatch(/frame-ancestors 'none'/);
      expect(got.headers['cache-control'], name).toBe('private, max-age=3600');
      expect(isActiveContentType(String(got.headers['content-type']))).toBe(false);
    }
  });
});
