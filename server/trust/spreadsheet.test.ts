/**
 * Spreadsheet attacks on the upload side (issue 11): zip bombs. Formula escaping on export, wrong media
 * types and oversized files are tested with each module (ledgers.test.ts: export escaping, 415, 413;
 * funds.test.ts, rankings.test.ts, cadres.test.ts: their exports escape = + - @).
 */
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { one } from '../db/sql.ts';
import { buildWorld, PASSWORD } from '../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../test/harness.ts';
import { assertNoZipBomb } from './zip-guard.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  admin = new Client(ctx.app);
  await admin.login('t1_admin', PASSWORD);
});
afterAll(() => ctx?.close());

/** A minimal zip writer (deflate, no CRC: the guard must refuse before anyone checks it). */
function zip(files: { name: string; data: Buffer; raw?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const body = f.raw ? f.data : zlib.deflateRawSync(f.data);
    const name = Buffer.from(f.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.raw ? 0 : f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(1000, 24); // a lie: the guard measures instead of trusting it
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(dir, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

async function bombXlsx(sharedStringsBytes: number): Promise<Buffer> {
  // A valid small workbook, with its shared strings replaced by a huge one.
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('台账').addRow(['姓名', '出生日期', '手机号']);
  const real = Buffer.from(await wb.xlsx.writeBuffer());
  expect(real.length).toBeGreaterThan(1000);
  const unit = '<si><t>炸弹炸弹炸弹炸弹</t></si>';
  const sst = await new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    const d = zlib.createDeflateRaw({ level: 9 });
    d.on('data', (c: Buffer) => parts.push(c));
    d.on('end', () => resolve(Buffer.concat(parts)));
    d.write('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">');
    const chunk = Buffer.from(unit.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(unit))));
    for (let n = 0; n < sharedStringsBytes; n += chunk.length) d.write(chunk);
    d.end('</sst>');
  });
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/sharedStrings.xml', data: sst, raw: true },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><sheetData/></worksheet>') },
  ]);
}

describe('zip bombs', () => {
  it('refuses an .xlsx whose shared strings inflate to 1 GB, quickly, writing nothing', async () => {
    const bomb = await bombXlsx(1024 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(10 * 1024 * 1024); // under the upload limit: only the guard stops it
    const before = await one<{ n: number }>(ctx.database.db, sql`SELECT count(*)::int AS n FROM people`);
    const rssBefore = process.memoryUsage().rss;
    const t0 = Date.now();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/people/imports?orgId=${world.t1.id}&fileName=bomb.xlsx`,
      payload: bomb,
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrf,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'LEDGER_UNREADABLE', detail: expect.stringMatching(/zip bomb/) });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024);
    const after = await one<{ n: number }>(ctx.database.db, sql`SELECT count(*)::int AS n FROM people`);
    expect(after!.n).toBe(before!.n);
  }, 60_000);

  it('passes real workbooks (the import template) and refuses broken zips', async () => {
    const template = await admin.get('/api/people/import-template.xlsx');
    expect(template.statusCode).toBe(200);
    await expect(assertNoZipBomb(template.rawPayload)).resolves.toBeUndefined();
    await expect(assertNoZipBomb(Buffer.from('PK\u0003\u0004 not really'))).rejects.toMatchObject({
      code: 'LEDGER_UNREADABLE',
    });
    // A ratio bomb below the total limit: 50 MB from one small entry.
    await expect(assertNoZipBomb(await bombXlsx(50 * 1024 * 1024))).rejects.toMatchObject({
      code: 'LEDGER_UNREADABLE',
    });
  }, 60_000);
});
