import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { one } from '../../db/sql.ts';
import { lastDevSmsCode } from '../../lib/sms.ts';
import { addAccount, addGrid, addOrg, buildWorld, PASSWORD, squareBoundary } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';
import {
  b64,
  EXIF_MARK,
  HTML_AS_JPG,
  makeExifJpeg,
  makeJpeg,
  makePng,
  makeWebp,
  SVG,
} from '../photos/photo-fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let t1Admin: Client;
let t2Admin: Client;
let s1Admin: Client;
let adminB: Client;
let anon: Client;
let near: OrgRow;

/** Inside grid G1 (the square at 120.5–120.501, 30.0–30.001), which belongs to village V1 under town T1. */
const POINT = { lon: 120.5005, lat: 30.0005 };

let phoneSeq = 0;
const newPhone = () => `1370000${String(2000 + phoneSeq++).padStart(4, '0')}`;

async function count(table: string, where = sql`TRUE`) {
  const r = await one<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${where}`,
  );
  return r!.n;
}

async function sendCode(phone: string) {
  const res = await anon.post('/api/public/sms-codes', { districtId: world.districtA, phone, purpose: 'order' });
  expect(res.statusCode, res.body).toBe(202);
  return lastDevSmsCode(phone)!;
}

const request = (phone: string, code: string, photos?: unknown[]) =>
  anon.post(`/api/public/districts/${world.districtA}/orders`, {
    name: '李阿姨',
    phone,
    code,
    category: 'livelihood',
    title: '楼道灯坏了',
    description: '3 单元楼道灯不亮',
    location: POINT,
    ...(photos ? { photos } : {}),
  });

async function orderIdOf(trackingNo: string) {
  const row = await one<{ id: number }>(
    ctx.database.db,
    sql`SELECT id FROM service_orders WHERE tracking_no = ${trackingNo}`,
  );
  return row!.id;
}

/** A public request with `photos`, classified, dispatched to `near` and (unless told) accepted by its admin. */
async function acceptedOrder(photos: unknown[] = [], accept = true) {
  const phone = newPhone();
  const res = await request(phone, await sendCode(phone), photos);
  expect(res.statusCode, res.body).toBe(201);
  const id = await orderIdOf(res.json().trackingNo);
  expect((await t1Admin.post(`/api/orders/${id}/classify`, { classification: 'immediate' })).statusCode).toBe(200);
  expect((await t1Admin.post(`/api/orders/${id}/dispatch`, { assigneeOrgId: near.id })).statusCode).toBe(200);
  if (accept) expect((await s1Admin.post(`/api/orders/${id}/accept`, {})).statusCode).toBe(200);
  return { id, ...(res.json() as { trackingNo: string; token: string }) };
}

beforeAll(async () => {
  process.env.JINGWEI_SMS_RATE_LIMIT = '1000';
  process.env.JINGWEI_CAPTCHA_AFTER = '1000';
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  near = await addOrg(ctx.database, world.t1, 'youth_social_org', '近邻青年社工站');
  await addAccount(ctx.database, 's1_admin', 'org_admin', near);
  await addGrid(ctx.database, world.v1, 'G1', { boundary: squareBoundary(0) });
  const login = async (username: string) => {
    const c = new Client(ctx.app);
    const res = await c.login(username, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    return c;
  };
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  s1Admin = await login('s1_admin');
  adminB = await login('admin_b');
  anon = new Client(ctx.app);
}, 120_000);
afterAll(() => ctx?.close());

describe('photos of a resident request (public phone page)', () => {
  it('are stored with the request, without EXIF, and shown to the cadres of both sides only', async () => {
    const phone = newPhone();
    const res = await request(phone, await sendCode(phone), [b64(await makeExifJpeg()), b64(await makePng())]);
    expect(res.statusCode, res.body).toBe(201);
    const id = await orderIdOf(res.json().trackingNo);
    expect(await count('photos', sql`owner_kind = 'order_request' AND owner_id = ${id} AND created_by IS NULL`)).toBe(
      2,
    );

    const detail = await t1Admin.get(`/api/orders/${id}`);
    expect(detail.statusCode).toBe(200);
    const { request: photos, work } = detail.json().photos;
    expect(work).toEqual([]);
    expect(photos.map((p: { mime: string }) => p.mime)).toEqual(['image/jpeg', 'image/png']);
    const img = await t1Admin.get(photos[0].url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.rawPayload.includes(Buffer.from(EXIF_MARK))).toBe(false);
    expect((await sharp(img.rawPayload).metadata()).exif).toBeUndefined();

    // the assignee's side sees them once dispatched; before that, only the requesting side
    expect((await s1Admin.get(photos[0].url)).statusCode).toBe(404);
    expect((await t1Admin.post(`/api/orders/${id}/classify`, { classification: 'immediate' })).statusCode).toBe(200);
    expect((await t1Admin.post(`/api/orders/${id}/dispatch`, { assigneeOrgId: near.id })).statusCode).toBe(200);
    expect((await s1Admin.get(photos[0].url)).statusCode).toBe(200);
    // another town, another district, no session, the public photo route: nothing
    expect((await t2Admin.get(photos[0].url)).statusCode).toBe(404);
    expect((await adminB.get(photos[1].url)).statusCode).toBe(404);
    expect((await anon.get(photos[0].url)).statusCode).toBe(401);
    expect((await anon.get(`/api/public/photos/${photos[0].id}`)).statusCode).toBe(404);
  });

  it('never appear on the public tracking page (personal data behind a weak proof)', async () => {
    const phone = newPhone();
    const res = await request(phone, await sendCode(phone), [b64(await makeWebp())]);
    expect(res.statusCode, res.body).toBe(201);
    const view = await anon.post(`/api/public/orders/${res.json().trackingNo}/view`, { token: res.json().token });
    expect(view.statusCode).toBe(200);
    expect(view.json().photos).toBeUndefined();
    expect(view.body).not.toMatch(/\/api\/(public\/)?photos\//);
  });

  it('a photo that is not an image refuses the whole request and leaves the SMS code usable', async () => {
    const phone = newPhone();
    const code = await sendCode(phone);
    const orders = await count('service_orders');
    const photos = await count('photos');
    const bad = await request(phone, code, [b64(await makeJpeg()), b64(SVG)]);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'photos.1.dataBase64', message: '不是受支持的图片，只能上传 JPEG、PNG 或 WebP 照片' }],
    });
    const html = await request(phone, code, [b64(HTML_AS_JPG)]);
    expect(html.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'photos.0.dataBase64', message: '不是受支持的图片，只能上传 JPEG、PNG 或 WebP 照片' }],
    });
    expect(await count('service_orders')).toBe(orders);
    expect(await count('photos')).toBe(photos);
    const ok = await request(phone, code, [b64(await makeJpeg())]);
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('are limited to 3 per request (a field error), and only taken together with a request', async () => {
    const phone = newPhone();
    const jpeg = b64(await makeJpeg());
    const res = await request(phone, await sendCode(phone), [jpeg, jpeg, jpeg, jpeg]);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('photos');
    // no free-standing public upload route exists
    const upload = await anon.post('/api/public/photos', jpeg);
    expect(upload.statusCode).toBe(404);
  });
});

describe("photos of the assignee's progress and completion records", () => {
  it('are stored with a progress record and with the completion, and shown on the detail', async () => {
    const order = await acceptedOrder();
    const progress = await s1Admin.post(`/api/orders/${order.id}/progress`, {
      note: '已联系物业，明天更换灯具',
      photos: [b64(await makeJpeg()), b64(await makeWebp())],
    });
    expect(progress.statusCode, progress.body).toBe(201);
    expect(progress.json().status).toBe('accepted');
    expect(progress.json().photos.work).toHaveLength(2);
    const event = progress.json().events.at(-1);
    expect(event).toMatchObject({ action: 'progress', note: '已联系物业，明天更换灯具', internal: false });

    expect((await s1Admin.post(`/api/orders/${order.id}/start`, {})).statusCode).toBe(200);
    const done = await s1Admin.post(`/api/orders/${order.id}/complete`, {
      note: '已更换',
      photos: [b64(await makeExifJpeg())],
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('done');
    const detail = (await t1Admin.get(`/api/orders/${order.id}`)).json();
    expect(detail.photos.work).toHaveLength(3);
    const last = await t1Admin.get(detail.photos.work[2].url);
    expect(last.statusCode).toBe(200);
    expect(last.rawPayload.includes(Buffer.from(EXIF_MARK))).toBe(false);
    expect(await count('photos', sql`owner_kind = 'order' AND owner_id = ${order.id} AND org_id = ${near.id}`)).toBe(3);
    // the requester's timeline says progress was made, without the note or the photos
    const view = await anon.post(`/api/public/orders/${order.trackingNo}/view`, { token: order.token });
    expect(view.json().timeline.map((e: { action: string }) => e.action)).toContain('progress');
    expect(view.body).not.toContain('已联系物业');
    expect(view.body).not.toMatch(/photos/);
  });

  it('a bad photo writes nothing: no progress event, no completion, no photo', async () => {
    const order = await acceptedOrder();
    const events = await count('service_order_events', sql`order_id = ${order.id}`);
    const bad = await s1Admin.post(`/api/orders/${order.id}/progress`, {
      note: '进展',
      photos: [b64(await makeJpeg()), b64(HTML_AS_JPG)],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'photos.1.dataBase64', message: '不是受支持的图片，只能上传 JPEG、PNG 或 WebP 照片' }],
    });
    const badDone = await s1Admin.post(`/api/orders/${order.id}/complete`, { note: '完成', photos: [b64(SVG)] });
    expect(badDone.statusCode).toBe(400);
    expect(await count('service_order_events', sql`order_id = ${order.id}`)).toBe(events);
    expect(await count('photos', sql`owner_kind = 'order' AND owner_id = ${order.id}`)).toBe(0);
    expect((await s1Admin.get(`/api/orders/${order.id}`)).json().status).toBe('accepted');
  });

  it('progress is for the assignee side of an accepted or started order', async () => {
    const phone = newPhone();
    const res = await request(phone, await sendCode(phone));
    const id = await orderIdOf(res.json().trackingNo);
    // not dispatched: nobody is the assignee yet
    expect((await t1Admin.post(`/api/orders/${id}/progress`, { note: '进展' })).statusCode).toBe(403);
    // dispatched, not yet accepted
    const pending = await acceptedOrder([], false);
    const early = await s1Admin.post(`/api/orders/${pending.id}/progress`, { note: '进展' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('ORDER_STATE');
    const order = await acceptedOrder();
    expect((await t2Admin.post(`/api/orders/${order.id}/progress`, { note: '进展' })).statusCode).toBe(404);
    expect((await adminB.post(`/api/orders/${order.id}/progress`, { note: '进展' })).statusCode).toBe(404);
    const empty = await s1Admin.post(`/api/orders/${order.id}/progress`, { note: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('note');
  });
});
