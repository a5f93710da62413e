import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_MEDIA_TYPES } from '../../../domain/ledger.ts';
import { many, one } from '../../db/sql.ts';
import { PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { buildPeopleWorld, makeIdNumber, tempDataDir } from '../people/people.fixtures.ts';
import { ledgerImportTuning } from './ledger-import.ts';

/**
 * The import's write path (issue 10): small batches, so that a file of a few dozen rows crosses many batch
 * boundaries, read in this thread and in the worker thread — the same file shape must give the same outcome
 * either way: bulk inserts, rows repeating an earlier row, rows whose identifiers someone already holds (the
 * insert skips them), one audit entry for the import, and nothing at all when the file breaks half-way.
 */

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
let admin: Client;
const tuning = { ...ledgerImportTuning };

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildPeopleWorld(ctx.database);
  admin = new Client(ctx.app, 'zh-CN');
  await admin.login('t1_admin', PASSWORD);
});
afterEach(() => Object.assign(ledgerImportTuning, tuning));
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const HEADER = ['姓名', '出生日期', '手机号', '身份证号', '网格编码'];

async function xlsx(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(body: Buffer, fileName: string, type: string = LEDGER_MEDIA_TYPES.xlsx) {
  return admin.request('POST', `/api/people/imports?orgId=${world.t1.id}&mode=valid&fileName=${fileName}`, body, {
    'content-type': type,
  });
}

const maxId = async (table: 'people' | 'audit_log') =>
  (await one<{ m: number }>(ctx.database.db, sql`SELECT coalesce(max(id), 0)::int AS m FROM ${sql.raw(table)}`))!.m;

const where = { thread: Number.POSITIVE_INFINITY, worker: 0 };

describe.each(['thread', 'worker'] as const)('ledger import, reader in the %s', (place) => {
  it('bulk-inserts new people, sends repeats and known identifiers through the de-duplicated write, audits once', async () => {
    const n = place === 'thread' ? 1 : 2; // distinct identifiers per run
    const phone = (i: number) => `1390${n}${String(i).padStart(6, '0')}`;
    const id = (i: number) =>
      makeIdNumber(
        `2000${String(n).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}`,
        String(i).padStart(3, '0'),
      );
    ledgerImportTuning.batchRows = 4;
    ledgerImportTuning.workerFromBytes = Number.POSITIVE_INFINITY;
    const start = await maxId('people');
    // Already in the registry: P1 (phone 901, ID 901) and P2 (phone 902, no ID).
    const known = await upload(
      await xlsx([
        ['甲一', null, phone(901), id(901), 'A-G1'],
        ['甲二', '2001-01-01', phone(902), null, null],
      ]),
      `known-${place}.xlsx`,
    );
    expect(known.json(), known.body).toMatchObject({ created: 2 });

    ledgerImportTuning.workerFromBytes = where[place];
    const peopleBefore = await maxId('people');
    const auditBefore = await maxId('audit_log');
    const rows: (string | null)[][] = [];
    for (let i = 1; i <= 10; i++) rows.push([`新${i}`, null, phone(i), id(i), i % 2 ? 'A-G1' : null]);
    rows.push(['甲一改', null, phone(911), id(901), 'A-G1']); // row 12: P1's ID → skipped by the insert → updates P1
    rows.push(['新三又', '2001-03-03', phone(3), null, null]); // row 13: repeats row 4's phone, no ID → updates him
    rows.push(['新四冲', null, phone(4), id(404), null]); // row 14: row 5's phone with another ID → review
    rows.push(['坏号', null, '12345', null, null]); // row 15: refused, reported by row and column
    rows.push(['甲二改', '2001-01-01', phone(902), null, 'A-G1']); // row 16: P2's phone → skipped → updates P2
    for (let i = 21; i <= 26; i++) rows.push([`新${i}`, null, phone(i), id(i), null]);
    const res = await upload(await xlsx(rows), `main-${place}.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ status: 'imported', total: 21, created: 16, updated: 3, review: 1, rejected: 1 });
    expect(r.errors).toEqual([{ row: 15, column: 'C', field: 'phone', message: expect.stringContaining('手机号') }]);

    const added = await many<{ id: number; name: string }>(
      ctx.database.db,
      sql`SELECT id, name FROM people WHERE id > ${peopleBefore} ORDER BY id`,
    );
    // in file order (the bulk insert keeps it), one person per new identity (新3 renamed by row 13)
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `新${i + 1}`),
      ...Array.from({ length: 6 }, (_, i) => `新${i + 21}`),
    ];
    expect(added.map((p) => p.name)).toEqual(expected.map((name) => (name === '新3' ? '新三又' : name)));
    const updated = await many<{ name: string }>(
      ctx.database.db,
      sql`SELECT name FROM people WHERE id > ${start} AND name IN ('甲一改', '甲二改', '新三又') ORDER BY name`,
    );
    expect(updated.map((p) => p.name)).toEqual(['新三又', '甲一改', '甲二改']);
    expect(
      (await one<{ n: number }>(
        ctx.database.db,
        sql`SELECT count(*)::int AS n FROM people WHERE id > ${start} AND name IN ('甲一', '甲二', '新3')`,
      ))!.n,
    ).toBe(0);

    // One audit entry for the import, naming every person it created; the de-duplicated writes audit their own.
    const audit = await many<{ action: string; after: any; text: string }>(
      ctx.database.db,
      sql`SELECT action, after, row_to_json(a)::text AS text FROM audit_log a WHERE id > ${auditBefore} ORDER BY id`,
    );
    expect(audit.map((a) => a.action).sort()).toEqual(
      ['people.import', 'person.reregister', 'person.reregister', 'person.reregister', 'person.review.create'].sort(),
    );
    const entry = audit.find((a) => a.action === 'people.import')!;
    const after = typeof entry.after === 'string' ? JSON.parse(entry.after) : entry.after;
    const covered = (after.createdIds as [number, number][]).flatMap(([a, b]) =>
      Array.from({ length: b - a + 1 }, (_, i) => a + i),
    );
    expect(covered).toEqual(added.map((p) => p.id));
    expect(after).toMatchObject({ total: 21, created: 16, updated: 3, review: 1, rejected: 1, status: 'imported' });
    for (const a of audit) {
      expect(a.text).not.toContain(phone(1));
      expect(a.text).not.toContain(id(1));
      expect(a.text).not.toContain(phone(911));
    }
  });

  it('writes nothing when the file breaks after several batches were written', async () => {
    ledgerImportTuning.batchRows = 3;
    ledgerImportTuning.workerFromBytes = where[place];
    const n = place === 'thread' ? 5 : 6;
    const lines = ['姓名,出生日期,手机号'];
    for (let i = 0; i < 30; i++) lines.push(`断${i},2002-02-02,1370${n}${String(i).padStart(6, '0')}`);
    lines.push('"未闭合,2002-02-02,13700000000'); // an unclosed quote: csv-parse fails at the end of the file
    const peopleBefore = await maxId('people');
    const auditBefore = await maxId('audit_log');
    const res = await upload(Buffer.from(`${lines.join('\n')}\n`), `broken-${place}.csv`, 'text/csv');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('LEDGER_UNREADABLE');
    expect(await maxId('people')).toBe(peopleBefore);
    expect(await maxId('audit_log')).toBe(auditBefore);
    const record = await one<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM people_imports WHERE file_name = ${`broken-${place}.csv`}`,
    );
    expect(record!.n).toBe(0);
  });
});

describe('ledger import, reader in the worker', () => {
  it('fails as unreadable, writing nothing, when reading needs more memory than the worker may take', async () => {
    ledgerImportTuning.workerFromBytes = 0;
    ledgerImportTuning.workerHeapMb = 4;
    const peopleBefore = await maxId('people');
    const rows = Array.from({ length: 50 }, (_, i) => [
      `内存${i}`,
      '2002-02-02',
      `1360${String(i).padStart(7, '0')}`,
      null,
      null,
    ]);
    const res = await upload(await xlsx(rows), 'oom.xlsx');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'LEDGER_UNREADABLE', detail: expect.stringContaining('内存') });
    expect(await maxId('people')).toBe(peopleBefore);
    // the server is fine: the next import goes through
    ledgerImportTuning.workerHeapMb = tuning.workerHeapMb;
    const ok = await upload(await xlsx([['内存后', '2002-02-02', '13699999999', null, null]]), 'after-oom.xlsx');
    expect(ok.json(), ok.body).toMatchObject({ created: 1 });
  });
});
