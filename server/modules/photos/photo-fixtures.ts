/**
 * Test images (used by photos.test.ts, activity-photos.test.ts, order-photos.test.ts, uploads.test.ts): real
 * tiny JPEG/PNG/WebP/GIF files made by sharp, a JPEG carrying a hand-written EXIF segment with a GPS position
 * and an orientation, and the hostile files an upload must refuse.
 */
import sharp from 'sharp';
import type { Database } from '../../db/client.ts';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } });

export const makeJpeg = (width = 8, height = 6) => solid(width, height).jpeg().toBuffer();
export const makePng = (width = 8, height = 6) => solid(width, height).png().toBuffer();
export const makeWebp = (width = 8, height = 6) => solid(width, height).webp().toBuffer();
export const makeGif = (width = 8, height = 6) => solid(width, height).gif().toBuffer();

/** The latitude written into the test EXIF, as ASCII that must not survive re-encoding. */
export const EXIF_MARK = 'JingweiGpsMark';

/**
 * An APP1 EXIF segment (big-endian TIFF): IFD0 with Orientation = 6 (rotate 90° clockwise), ImageDescription
 * = EXIF_MARK and a pointer to a GPS IFD holding GPSLatitudeRef N and GPSLatitude 30° 15' 0".
 */
export function exifSegment(orientation = 6): Buffer {
  const desc = Buffer.from(`${EXIF_MARK}\0`, 'ascii');
  const tiff: number[] = [];
  const u16 = (v: number) => tiff.push((v >> 8) & 0xff, v & 0xff);
  const u32 = (v: number) => tiff.push((v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  // header
  tiff.push(0x4d, 0x4d);
  u16(42);
  u32(8);
  // IFD0 at 8: 3 entries (12 bytes each) + next-IFD offset → ends at 8 + 2 + 36 + 4 = 50
  const descAt = 50;
  const gpsAt = descAt + desc.length;
  u16(3);
  u16(0x010e); // ImageDescription, ASCII
  u16(2);
  u32(desc.length);
  u32(descAt);
  u16(0x0112); // Orientation, SHORT
  u16(3);
  u32(1);
  u16(orientation);
  u16(0);
  u16(0x8825); // GPSInfo IFD pointer, LONG
  u16(4);
  u32(1);
  u32(gpsAt);
  u32(0);
  tiff.push(...desc);
  // GPS IFD: 2 entries + next → rationals after it
  const ratAt = gpsAt + 2 + 24 + 4;
  u16(2);
  u16(0x0001); // GPSLatitudeRef, ASCII "N\0"
  u16(2);
  u32(2);
  tiff.push(0x4e, 0, 0, 0);
  u16(0x0002); // GPSLatitude, 3 RATIONAL
  u16(5);
  u32(3);
  u32(ratAt);
  u32(0);
  for (const [n, d] of [
    [30, 1],
    [15, 1],
    [0, 1],
  ]) {
    u32(n);
    u32(d);
  }
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'ascii'), Buffer.from(tiff)]);
  const len = body.length + 2;
  return Buffer.concat([Buffer.from([0xff, 0xe1, len >> 8, len & 0xff]), body]);
}

/** A JPEG (8 wide, 6 high as stored) with the EXIF segment right after SOI. */
export async function makeExifJpeg(orientation = 6): Promise<Buffer> {
  const plain = await makeJpeg(8, 6);
  return Buffer.concat([plain.subarray(0, 2), exifSegment(orientation), plain.subarray(2)]);
}

/** A PNG whose header claims `width` × `height` (its CRC no longer matches: it must be refused unread). */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await makePng());
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

export const HTML_AS_JPG = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');
export const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="8" height="6"><script>alert(1)</script></svg>',
);

export const b64 = (b: Buffer) => ({ dataBase64: b.toString('base64') });

/** A finished activity of `orgId` (inserted directly, like the authz matrix does), ready for its summary. */
export async function finishedActivity(database: Database, districtId: number, orgId: number): Promise<number> {
  const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const [cat] = await database.query<{ id: number }>(
    `INSERT INTO activity_categories (district_id, name) VALUES ($1, $2) RETURNING id`,
    [districtId, `照片类别${tag}`],
  );
  const [plan] = await database.query<{ id: number }>(
    `INSERT INTO activity_plans (district_id, org_id, title, purpose, category_id, venue, starts_at, ends_at, capacity, status)
     VALUES ($1, $2, $3, '目的', $4, '青年之家', $5, $6, 20, 'approved') RETURNING id`,
    [districtId, orgId, `照片方案${tag}`, cat.id, at(-180), at(-60)],
  );
  const [row] = await database.query<{ id: number }>(
    `INSERT INTO activities (district_id, plan_id, org_id, title, category_id, venue, starts_at, ends_at, capacity,
                             signup_opens_at, signup_closes_at, status)
     VALUES ($1, $2, $3, $4, $5, '青年之家', $6, $7, 20, $8, $9, 'finished') RETURNING id`,
    [districtId, plan.id, orgId, `照片活动${tag}`, cat.id, at(-180), at(-60), at(-600), at(-200)],
  );
  return row.id;
}
