import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../../domain/messages.ts';
import { MAX_PHOTO_BYTES, PHOTO_BODY_LIMIT, sniffImage } from '../../../domain/photo.ts';
import { backupDatabase, restoreDatabase } from '../../db/backup.ts';
import { many, one } from '../../db/sql.ts';
import { AppError } from '../../lib/errors.ts';
import { buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, openTestDatabase, type TestContext } from '../../test/harness.ts';
import {
  b64,
  EXIF_MARK,
  finishedActivity,
  HTML_AS_JPG,
  makeExifJpeg,
  makeGif,
  makeJpeg,
  makePng,
  makeWebp,
  pngClaiming,
  SVG,
} from './photo-fixtures.ts';
import { preparePhotos } from './photos.service.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let t2Admin: Client;
let leader: Client;
let adminB: Client;
let platform: Client;

async function count(table: string, where = sql`TRUE`) {
  const r = await one<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${where}`,
  );
  return r!.n;
}

/** The refusal of one upload by preparePhotos: its code and the field it names. */
async function refusal(bytes: Buffer) {
  try {
    await preparePhotos([b64(bytes)], 'photos');
  } catch (err) {
    if (err instanceof AppError) {
      const [first] = err.details.errors ?? [];
      expect(err.code).toBe(first?.message === 'PHOTO_TOO_LARGE' ? 'PHOTO_TOO_LARGE' : 'VALIDATION');
      return { code: first?.message, field: first?.field };
    }
    throw err;
  }
  return null;
}

beforeAll(async () => {
  // No job polling: the backup test shares PGlite's one connection with the app.
  ctx = await createTestApp({ JINGWEI_JOB_POLL_MS: '0' });
  world = await buildWorld(ctx.database);
  const login = async (username: string) => {
    const c = new Client(ctx.app);
    const res = await c.login(username, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  leader = await login('v1_leader');
  adminB = await login('admin_b');
  platform = await login('platform');
});
afterAll(() => ctx?.close());

describe('content checks (magic bytes, header dimensions)', () => {
  it('recognises real JPEG, PNG and WebP files by their bytes and reads their size from the headers', async () => {
    expect(sniffImage(await makeJpeg(8, 6))).toEqual({ mime: 'image/jpeg', width: 8, height: 6 });
    expect(sniffImage(await makePng(5, 7))).toEqual({ mime: 'image/png', width: 5, height: 7 });
    expect(sniffImage(await makeWebp(9, 4))).toEqual({ mime: 'image/webp', width: 9, height: 4 });
    const lossless = await sharp({ create: { width: 3, height: 11, channels: 4, background: '#00ff0080' } })
      .webp({ lossless: true })
      .toBuffer();
    expect(sniffImage(lossless)).toEqual({ mime: 'image/webp', width: 3, height: 11 });
  });

  it('accepts and re-encodes JPEG, PNG and WebP, keeping the type', async () => {
    const out = await preparePhotos([b64(await makeJpeg()), b64(await makePng()), b64(await makeWebp())], 'photos');
    expect(out.map((p) => [p.mime, p.width, p.height])).toEqual([
      ['image/jpeg', 8, 6],
      ['image/png', 8, 6],
      ['image/webp', 8, 6],
    ]);
    for (const p of out) expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses HTML renamed .jpg, SVG, GIF, empty and truncated files, polyglots and bombs, naming the field', async () => {
    const png = await makePng();
    const jpeg = await makeJpeg(64, 48);
    expect(await refusal(HTML_AS_JPG)).toEqual({ code: 'PHOTO_NOT_IMAGE', field: 'photos.0.dataBase64' });
    expect(await refusal(SVG)).toEqual({ code: 'PHOTO_NOT_IMAGE', field: 'photos.0.dataBase64' });
    expect(await refusal(await makeGif())).toMatchObject({ code: 'PHOTO_NOT_IMAGE' });
    expect(await refusal(Buffer.alloc(0))).toMatchObject({ code: 'PHOTO_NOT_IMAGE' });
    expect(await refusal(Buffer.from('%PDF-1.7\n'))).toMatchObject({ code: 'PHOTO_NOT_IMAGE' });
    // truncated: a PNG without its end, a JPEG cut in the middle of its scan data (only libvips notices)
    expect(await refusal(png.subarray(0, png.length - 6))).toMatchObject({ code: 'PHOTO_DAMAGED' });
    expect(await refusal(jpeg.subarray(0, Math.floor(jpeg.length * 0.7)))).toMatchObject({ code: 'PHOTO_DAMAGED' });
    expect(await refusal(jpeg.subarray(0, 40))).toMatchObject({ code: 'PHOTO_DAMAGED' });
    // polyglot: a PNG with an HTML page (or a ZIP) appended after IEND
    expect(await refusal(Buffer.concat([png, HTML_AS_JPG]))).toMatchObject({ code: 'PHOTO_DAMAGED' });
    // a WebP whose RIFF size does not match the file
    const webp = await makeWebp();
    expect(await refusal(Buffer.concat([webp, Buffer.from('<script>')]))).toMatchObject({ code: 'PHOTO_DAMAGED' });
    // decompression bombs: refused by the header, before anything is decoded
    expect(await refusal(await pngClaiming(10_000, 10_000))).toMatchObject({ code: 'PHOTO_DIMENSIONS' });
    expect(await refusal(await pngClaiming(7_000, 6_000))).toMatchObject({ code: 'PHOTO_DIMENSIONS' });
    expect(await refusal(await pngClaiming(0, 10))).toMatchObject({ code: 'PHOTO_DIMENSIONS' });
    // over 5 MiB, whatever it is
    const big = Buffer.concat([jpeg, Buffer.alloc(MAX_PHOTO_BYTES + 1 - jpeg.length)]);
    expect(await refusal(big)).toMatchObject({ code: 'PHOTO_TOO_LARGE' });
  });

  it('a JPEG with HTML after its end is stored without it (the bytes served are our own encoding)', async () => {
    const jpeg = await makeJpeg();
    const [p] = await preparePhotos([b64(Buffer.concat([jpeg, HTML_AS_JPG]))], 'photos');
    expect(p.bytes.includes(Buffer.from('<script>'))).toBe(false);
    expect(p.bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('lists every refused photo with its own field and message', async () => {
    const good = b64(await makeJpeg());
    try {
      await preparePhotos([good, b64(SVG), good, b64(await makeGif())], 'photos');
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).details.errors).toEqual([
        { field: 'photos.1.dataBase64', message: 'PHOTO_NOT_IMAGE' },
        { field: 'photos.3.dataBase64', message: 'PHOTO_NOT_IMAGE' },
      ]);
    }
  });

  it('scales large images down to 2560 px on the long side', async () => {
    const [p] = await preparePhotos([b64(await makeJpeg(3000, 1500))], 'photos');
    expect([p.width, p.height]).toEqual([2560, 1280]);
  });
});

describe('uploaded through an activity summary, served with safe headers', () => {
  let activityId: number;
  let photoId: number;
  let served: Buffer;

  it('strips EXIF (GPS) and applies the orientation', async () => {
    const input = await makeExifJpeg(6);
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(before.orientation).toBe(6);
    expect(input.includes(Buffer.from(EXIF_MARK))).toBe(true);

    activityId = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const res = await t1Admin.post(`/api/activities/${activityId}/summary`, { text: '活动总结', photos: [b64(input)] });
    expect(res.statusCode, res.body).toBe(201);
    const [photo] = res.json().summary.photos;
    expect(photo).toMatchObject({ mime: 'image/jpeg', width: 6, height: 8, url: `/api/photos/${photo.id}` });
    photoId = photo.id;

    const got = await t1Admin.get(photo.url);
    expect(got.statusCode).toBe(200);
    served = got.rawPayload;
    expect(served.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    // no APP1 segment, no trace of the EXIF text or GPS IFD
    expect(served.includes(Buffer.from('Exif\0\0', 'ascii'))).toBe(false);
    expect(served.includes(Buffer.from(EXIF_MARK))).toBe(false);
    const after = await sharp(served).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect([after.width, after.height]).toEqual([6, 8]);
    const stored = await one<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM photos WHERE id = ${photoId} AND position('\\x45786966'::bytea IN bytes) = 0
            AND byte_size = ${served.length} AND org_id = ${world.t1.id} AND owner_kind = 'activity_summary'`,
    );
    expect(stored!.n).toBe(1);
  });

  it('answers with the stored type, nosniff, inline, a sandbox CSP and cache headers; 304 on revalidation', async () => {
    const got = await t1Admin.get(`/api/photos/${photoId}`);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe(`inline; filename="photo-${photoId}.jpg"`);
    expect(got.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'; frame-ancestors 'none'$/);
    expect(got.headers['cache-control']).toBe('private, max-age=3600');
    const etag = String(got.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await t1Admin.request('GET', `/api/photos/${photoId}`, undefined, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('is scoped like its activity: other towns, villages below and other districts get 404, not 403', async () => {
    expect((await admin.get(`/api/photos/${photoId}`)).statusCode).toBe(200);
    expect((await platform.get(`/api/photos/${photoId}`)).statusCode).toBe(200);
    const denied = await count('audit_log', sql`action = 'scope.denied' AND entity = 'photo'`);
    for (const outsider of [adminB, t2Admin, leader]) {
      const res = await outsider.get(`/api/photos/${photoId}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('PHOTO_NOT_FOUND');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await count('audit_log', sql`action = 'scope.denied' AND entity = 'photo'`)).toBe(denied + 3);
    expect((await adminB.get('/api/photos/2147483647')).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/photos/${photoId}` })).statusCode).toBe(401);
  });

  it('is public only once the activity is published', async () => {
    const anon = () => ctx.app.inject({ method: 'GET', url: `/api/public/photos/${photoId}` });
    expect((await anon()).statusCode).toBe(404);
    expect((await t1Admin.post(`/api/activities/${activityId}/publish`, {})).statusCode).toBe(200);
    const res = await anon();
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload).toEqual(served);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
  });
});

describe('no partial writes', () => {
  it('a summary with one bad photo writes nothing: no summary, no photos, no status change, no event', async () => {
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const photosBefore = await count('photos');
    const res = await t1Admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: [b64(await makeJpeg()), b64(await makePng()), b64(HTML_AS_JPG)],
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'photos.2.dataBase64', message: ERROR_MESSAGES.PHOTO_NOT_IMAGE['zh-CN'] }],
    });
    expect(await count('photos')).toBe(photosBefore);
    expect(await count('activity_summaries', sql`activity_id = ${id}`)).toBe(0);
    expect(await count('activity_events', sql`activity_id = ${id}`)).toBe(0);
    expect((await t1Admin.get(`/api/activities/${id}`)).json().status).toBe('finished');
  });

  it('refuses a photo over 5 MB with 413 naming it, and a body over the route limit with 413', async () => {
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const jpeg = await makeJpeg();
    const big = Buffer.concat([jpeg, Buffer.alloc(MAX_PHOTO_BYTES + 10 - jpeg.length)]);
    const res = await t1Admin.post(`/api/activities/${id}/summary`, { text: '总结', photos: [b64(jpeg), b64(big)] });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PHOTO_TOO_LARGE', errors: [{ field: 'photos.1.dataBase64' }] });
    const huge = await t1Admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: [{ dataBase64: 'A'.repeat(PHOTO_BODY_LIMIT) }],
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count('activity_summaries', sql`activity_id = ${id}`)).toBe(0);
    expect(await count('photos', sql`owner_id = ${id} AND owner_kind = 'activity_summary'`)).toBe(0);
  });
});

describe('backup', () => {
  it('round-trips the photo bytes exactly (more rows than one backup batch of photos)', async () => {
    for (const size of [20, 30, 40]) {
      const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
      const jpeg = b64(await makeJpeg(size, 20));
      const res = await t1Admin.post(`/api/activities/${id}/summary`, {
        text: '总结',
        photos: Array.from({ length: 9 }, () => jpeg),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const fingerprint = (database: typeof ctx.database) =>
      many<{ id: number; h: string; n: number }>(
        database.db,
        sql`SELECT id, encode(sha256(bytes), 'hex') AS h, byte_size AS n FROM photos ORDER BY id`,
      );
    const before = await fingerprint(ctx.database);
    expect(before.length).toBeGreaterThan(20);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-photos-'));
    const file = path.join(dir, 'photos.jwbak');
    try {
      await backupDatabase(ctx.database, file);
      const target = await openTestDatabase();
      try {
        await restoreDatabase(target, file);
        expect(await fingerprint(target)).toEqual(before);
      } finally {
        await target.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
