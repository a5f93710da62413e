import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SUMMARY_PHOTOS } from '../../../domain/photo.ts';
import { one } from '../../db/sql.ts';
import { buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { b64, finishedActivity, makeJpeg, makePng, makeWebp, pngClaiming, SVG } from '../photos/photo-fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let t1Admin: Client;
let adminB: Client;
let anon: Client;

async function count(table: string, where = sql`TRUE`) {
  const r = await one<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${where}`,
  );
  return r!.n;
}

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  t1Admin = new Client(ctx.app);
  expect((await t1Admin.login('t1_admin', PASSWORD)).statusCode).toBe(200);
  adminB = new Client(ctx.app, 'en');
  expect((await adminB.login('admin_b', PASSWORD)).statusCode).toBe(200);
  anon = new Client(ctx.app);
});
afterAll(() => ctx?.close());

describe('summary photos (总结照片)', () => {
  it('are stored with the summary, shown in the console and, once published, on the public page', async () => {
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const res = await t1Admin.post(`/api/activities/${id}/summary`, {
      text: '开展了垃圾分类宣传',
      outcome: '发放手册 200 份',
      photos: [b64(await makeJpeg(40, 30)), b64(await makePng()), b64(await makeWebp())],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().status).toBe('summarised');
    const photos = res.json().summary.photos;
    expect(photos.map((p: { mime: string }) => p.mime)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    expect(photos[0]).toMatchObject({ width: 40, height: 30, url: `/api/photos/${photos[0].id}` });

    const detail = await t1Admin.get(`/api/activities/${id}`);
    expect(detail.json().summary.photos).toEqual(photos);
    // not public before publication: neither the page nor the images
    expect((await anon.get(`/api/public/activities/${id}`)).statusCode).toBe(404);
    expect((await anon.get(`/api/public/photos/${photos[0].id}`)).statusCode).toBe(404);

    expect((await t1Admin.post(`/api/activities/${id}/publish`, {})).statusCode).toBe(200);
    const page = await anon.get(`/api/public/activities/${id}`);
    expect(page.statusCode).toBe(200);
    const shown = page.json().summary.photos;
    expect(shown.map((p: { url: string }) => p.url)).toEqual(
      photos.map((p: { id: number }) => `/api/public/photos/${p.id}`),
    );
    for (const p of shown) {
      const img = await anon.get(p.url);
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toBe(p.mime);
      expect(img.headers['x-content-type-options']).toBe('nosniff');
    }
    // another district sees neither the activity nor its photos through the internal route
    expect((await adminB.get(`/api/activities/${id}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/photos/${photos[0].id}`)).statusCode).toBe(404);
  });

  it(`takes at most ${MAX_SUMMARY_PHOTOS} photos (a field error)`, async () => {
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const jpeg = b64(await makeJpeg());
    const res = await t1Admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: Array.from({ length: MAX_SUMMARY_PHOTOS + 1 }, () => jpeg),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('photos');
    const nine = await t1Admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: Array.from({ length: MAX_SUMMARY_PHOTOS }, () => jpeg),
    });
    expect(nine.statusCode, nine.body).toBe(201);
    expect(nine.json().summary.photos).toHaveLength(MAX_SUMMARY_PHOTOS);
  });

  it('a photo that is not an image, or a bomb, gives a clear error in the language asked and writes nothing', async () => {
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    const before = await count('photos');
    const svg = await t1Admin.post(`/api/activities/${id}/summary`, { text: '总结', photos: [b64(SVG)] });
    expect(svg.statusCode).toBe(400);
    expect(svg.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'photos.0.dataBase64', message: '不是受支持的图片，只能上传 JPEG、PNG 或 WebP 照片' }],
    });
    const bomb = await t1Admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: [b64(await makeJpeg()), b64(await pngClaiming(20_000, 20_000))],
    });
    expect(bomb.statusCode).toBe(400);
    expect(bomb.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'photos.1.dataBase64', message: '图片尺寸过大（不超过 4000 万像素）' }],
    });
    const notBase64 = await t1Admin.post(`/api/activities/${id}/summary`, {
      text: '总结',
      photos: [{ dataBase64: '<svg onload=alert(1)>' }],
    });
    expect(notBase64.statusCode).toBe(400);
    expect(notBase64.json().errors[0].field).toBe('photos.0.dataBase64');
    expect(await count('photos')).toBe(before);
    expect(await count('activity_summaries', sql`activity_id = ${id}`)).toBe(0);
    expect((await t1Admin.get(`/api/activities/${id}`)).json()).toMatchObject({ status: 'finished', summary: null });
  });

  it('a summary refused for its state stores no photos', async () => {
    const id = await finishedActivity(ctx.database, world.districtA, world.t1.id);
    await ctx.database.query(`UPDATE activities SET status = 'running' WHERE id = $1`, [id]);
    const res = await t1Admin.post(`/api/activities/${id}/summary`, { text: '总结', photos: [b64(await makeJpeg())] });
    expect(res.statusCode).toBe(409);
    expect(await count('photos', sql`owner_kind = 'activity_summary' AND owner_id = ${id}`)).toBe(0);
  });
});
