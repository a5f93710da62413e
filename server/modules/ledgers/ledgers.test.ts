import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_MEDIA_TYPES } from '../../../domain/ledger.ts';
import { many, one } from '../../db/sql.ts';
import { PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { buildPeopleWorld, makeIdNumber, tempDataDir } from '../people/people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildPeopleWorld(ctx.database);
  for (const name of ['admin_a', 'admin_b', 't1_admin', 'v1_leader', 'v1_youth']) {
    clients[name] = new Client(ctx.app, name === 'admin_b' ? 'en' : 'zh-CN');
    await clients[name].login(name, PASSWORD);
  }
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const HEADER = ['姓名', '性别', '出生日期', '手机号', '身份证号', '政治面貌', '青年类别', '网格编码', '特长', '骨干'];
type Cell = string | number | Date | { formula: string } | null;

async function xlsx(rows: Cell[][], header: Cell[] = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r as any[]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(client: Client, body: Buffer, query: string, type: string = LEDGER_MEDIA_TYPES.xlsx) {
  return client.request('POST', `/api/people/imports?${query}`, body, { 'content-type': type });
}

async function readXlsx(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as any);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    rows.push((row.values as any[]).slice(1).map((v) => (v == null ? '' : String(v))));
  });
  return rows;
}

async function countPeople(): Promise<number> {
  return (await one<{ n: number }>(ctx.database.db, sql`SELECT count(*)::int AS n FROM people`))!.n;
}

describe('ledger template', () => {
  it('is a real .xlsx with the columns, notes and dropdowns', async () => {
    const res = await as('t1_admin').get('/api/people/import-template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(LEDGER_MEDIA_TYPES.xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('*姓名');
    expect(ws.getRow(1).getCell(5).value).toBe('身份证号');
    expect(String((ws.getRow(1).getCell(5).note as any)?.texts?.[0]?.text ?? ws.getRow(1).getCell(5).note)).toContain(
      '文本',
    );
    expect(ws.getRow(2).getCell(2).dataValidation).toMatchObject({ type: 'list', formulae: ['"男,女"'] });
  });

  it('is refused without a session', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/people/import-template.xlsx' });
    expect(res.statusCode).toBe(401);
  });
});

describe('ledger import', () => {
  it('imports valid rows into the chosen grids, reports every broken cell by row and column', async () => {
    const before = await countPeople();
    const good1 = makeIdNumber('20000101', '311');
    const good2 = makeIdNumber('19990505', '322');
    const bad = `${good1.slice(0, 17)}${good1[17] === '0' ? '1' : '0'}`; // wrong check digit
    const file = await xlsx([
      ['李一', '男', null, '138 0000 9001', good1, '共青团员', '学生', 'A-G1', '摄影、书法', '是'],
      ['王二', null, null, '+86 13800009002', good2, '群众', '城镇青年', null, null, null],
      ['赵三', null, null, null, bad, null, null, 'A-G1', null, null],
      ['钱四', null, null, '13800009004', 330102200001011300, null, null, null, null, null],
      ['孙五', null, '2001-02-30', '13800009005', null, null, null, null, null, null],
      ['周六', null, '2001-02-03', '１３８００００９００６', null, '少先队员', null, 'NO-SUCH', null, null],
      ['吴七', null, '2001-02-03', '13800009007', null, null, null, null, null, { formula: '1+1' }],
      [null, null, null, null, null, null, null, null, null, null],
      ['郑八', null, '1980-01-01', '13800009008', null, null, null, null, null, null],
    ]);
    const res = await upload(
      as('t1_admin'),
      file,
      `orgId=${world.t1.id}&mode=valid&fileName=${encodeURIComponent('北村台账.xlsx')}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ status: 'imported', total: 8, created: 2, updated: 0, review: 0, rejected: 6 });
    const at = (row: number) => r.errors.filter((e: any) => e.row === row).map((e: any) => `${e.column}:${e.field}`);
    expect(at(4)).toEqual(['E:idNumber']);
    expect(r.errors.find((e: any) => e.row === 4).message).toContain('校验位');
    expect(at(5)).toEqual(['E:idNumber']);
    expect(r.errors.find((e: any) => e.row === 5).message).toContain('科学计数法');
    expect(at(6)).toEqual(['C:birthDate']);
    expect(at(7)).toEqual(['F:politicalStatus']); // full-width phone digits are fine; the grid is checked after the row parses
    expect(at(8)).toEqual(['J:backbone']);
    expect(r.errors.find((e: any) => e.row === 8).message).toContain('公式');
    expect(at(10)).toEqual(['C:birthDate']); // 46 years old: out of the youth range
    expect(await countPeople()).toBe(before + 2);

    const people = await many<any>(
      ctx.database.db,
      sql`SELECT name, home_grid_id, branch_org_id, political_status, category, skills, backbone, source, consent_channel
            FROM people WHERE name IN ('李一', '王二') ORDER BY name`,
    );
    expect(people).toEqual([
      expect.objectContaining({
        name: '李一',
        home_grid_id: world.g1,
        political_status: 'league_member',
        category: 'student',
        backbone: true,
        source: 'import',
        consent_channel: 'import',
      }),
      expect.objectContaining({ name: '王二', home_grid_id: null, branch_org_id: world.t1.id, category: 'urban' }),
    ]);
    expect(people[0].skills).toEqual(['摄影', '书法']);

    // The report is kept and downloadable as .xlsx with the same rows.
    const report = await as('t1_admin').get(`/api/people/imports/${r.id}/report.xlsx`);
    expect(report.statusCode).toBe(200);
    const rows = await readXlsx(report.rawPayload);
    expect(rows[0]).toEqual(['行号', '列', '字段', '问题']);
    expect(rows.slice(1).map((x) => `${x[0]}${x[1]}`)).toEqual(r.errors.map((e: any) => `${e.row}${e.column}`));
    // Nothing of a cell's content is stored in the report (it may hold an ID number).
    const stored = await one<{ issues: unknown }>(
      ctx.database.db,
      sql`SELECT issues FROM people_imports WHERE id = ${r.id}`,
    );
    expect(JSON.stringify(stored)).not.toContain(bad);
  });

  it('re-importing the same file updates the same people, never duplicates', async () => {
    const id = makeIdNumber('20010303', '455');
    const file = await xlsx([['冯九', null, null, '13800009109', id, null, null, 'A-G1', null, null]]);
    const first = (await upload(as('t1_admin'), file, `orgId=${world.t1.id}`)).json();
    const count = await countPeople();
    const again = (await upload(as('t1_admin'), file, `orgId=${world.t1.id}`)).json();
    expect(first).toMatchObject({ created: 1, updated: 0 });
    expect(again).toMatchObject({ created: 0, updated: 1 });
    expect(await countPeople()).toBe(count);
  });

  it('mode "all" refuses the whole file when one row is wrong, and writes nothing', async () => {
    const before = await countPeople();
    const file = await xlsx([
      ['陈十', null, '2001-01-01', '13800009110', null, null, null, null, null, null],
      ['褚十一', null, '2001-01-01', '12345', null, null, null, null, null, null],
    ]);
    const res = await upload(as('t1_admin'), file, `orgId=${world.t1.id}&mode=all`);
    expect(res.json()).toMatchObject({
      status: 'refused',
      total: 2,
      created: 0,
      rejected: 1,
      errors: [{ row: 3, column: 'D', field: 'phone' }],
    });
    expect(await countPeople()).toBe(before);
  });

  it('reads CSV in GBK (as Excel in China saves it) and in UTF-8 with BOM', async () => {
    const text =
      '姓名,出生日期,手机号,网格编码\r\n蒋十二,2002-02-02,13800009112,A-G1\r\n沈十三,2002-02-02,3.30102E+17,\r\n';
    const gbk = iconv.encode(text, 'gbk');
    const res = await upload(as('t1_admin'), gbk, `orgId=${world.t1.id}&fileName=a.csv`, 'text/csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, rejected: 1, errors: [{ row: 3, column: 'C', field: 'phone' }] });
    const rows = await many<any>(ctx.database.db, sql`SELECT name FROM people WHERE name = '蒋十二'`);
    expect(rows).toHaveLength(1);

    const utf8 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('姓名,出生日期,手机号\n韩十四,2003-03-03,13800009114\n'),
    ]);
    const res2 = await upload(as('t1_admin'), utf8, `orgId=${world.t1.id}&fileName=b.csv`, 'application/vnd.ms-excel');
    expect(res2.json()).toMatchObject({ created: 1, rejected: 0 });
  });

  it('skips a title banner above the header and refuses unknown, blank or missing header columns', async () => {
    const titled = await xlsx(
      [
        ['姓名', '出生日期', '手机号'],
        ['杨十五', '2001-01-01', '13800009115'],
      ],
      ['北村青年台账（2026 年）'],
    );
    expect((await upload(as('t1_admin'), titled, `orgId=${world.t1.id}`)).json()).toMatchObject({ created: 1 });

    const unknown = await upload(
      as('t1_admin'),
      await xlsx([['x', 'y']], ['姓名', '微信号', '手机号']),
      `orgId=${world.t1.id}`,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'LEDGER_HEADER' });
    expect(unknown.json().detail).toContain('B');
    expect(unknown.json().detail).toContain('微信号');

    const blank = await upload(as('t1_admin'), await xlsx([['x']], ['姓名', null, '手机号']), `orgId=${world.t1.id}`);
    expect(blank.json()).toMatchObject({ code: 'LEDGER_HEADER' });
    expect(blank.json().detail).toContain('合并');

    const missing = await upload(as('t1_admin'), await xlsx([['x']], ['姓名', '性别']), `orgId=${world.t1.id}`);
    expect(missing.json().detail).toContain('手机号');

    const empty = await upload(as('t1_admin'), await xlsx([]), `orgId=${world.t1.id}`);
    expect(empty.json()).toMatchObject({ code: 'LEDGER_EMPTY' });
  });

  it('refuses files that are not spreadsheets, wrong media types and files over 10 MB, writing nothing', async () => {
    const before = await countPeople();
    const notZip = await upload(as('t1_admin'), Buffer.from('this is not a workbook'), `orgId=${world.t1.id}`);
    expect(notZip.statusCode).toBe(400);
    expect(notZip.json()).toMatchObject({ code: 'LEDGER_UNREADABLE' });

    const pdf = await upload(
      as('t1_admin'),
      Buffer.from('%PDF-1.4'),
      `orgId=${world.t1.id}&fileName=a.pdf`,
      'application/pdf',
    );
    expect(pdf.statusCode).toBe(415);
    expect(pdf.headers['content-type']).toContain('problem+json');

    const octet = await upload(
      as('t1_admin'),
      Buffer.from('x'),
      `orgId=${world.t1.id}&fileName=a.pdf`,
      'application/octet-stream',
    );
    expect(octet.statusCode).toBe(415);

    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    const tooBig = await upload(as('t1_admin'), big, `orgId=${world.t1.id}&fileName=a.csv`, 'text/csv');
    expect(tooBig.statusCode).toBe(413);
    expect(await countPeople()).toBe(before);
  });

  it('keeps to the caller’s scope: another town, another district, roles without write', async () => {
    const file = await xlsx([['朱十六', null, '2001-01-01', '13800009116', null, null, null, 'A-G2', null, null]]);
    // A-G2 lies under town T2: not under T1, so the row is rejected, never written there.
    const r = (await upload(as('t1_admin'), file, `orgId=${world.t1.id}`)).json();
    expect(r).toMatchObject({ created: 0, rejected: 1, errors: [{ column: 'H', field: 'gridCode' }] });
    expect((await upload(as('t1_admin'), file, `orgId=${world.t2.id}`)).statusCode).toBe(404);
    expect((await upload(as('admin_b'), file, `orgId=${world.t1.id}`)).statusCode).toBe(404);
    expect((await upload(as('v1_youth'), file, `orgId=${world.v1.id}`)).statusCode).toBe(403);
    const other = await as('admin_b').get(`/api/people/imports/${r.id}`);
    expect(other.statusCode).toBe(404);
    expect((await as('admin_b').get(`/api/people/imports/${r.id}/report.xlsx`)).statusCode).toBe(404);
    expect((await as('admin_b').get('/api/people/imports')).json().items).toEqual([]);
    expect((await as('t1_admin').get('/api/people/imports')).json().items.length).toBeGreaterThan(0);
  });
});

describe('ledger export', () => {
  it('exports the subtree masked, escapes formula-like text, never exports key youth', async () => {
    const id = makeIdNumber('20000808', '877');
    await upload(
      as('admin_a'),
      await xlsx([
        ['=HYPERLINK("http://x")', null, null, '13800009201', id, null, null, 'A-G1', '@SUM(1)', null],
        ['蔡十七', null, '2001-01-01', '13800009202', null, null, null, 'A-G2', null, null],
      ]),
      `orgId=${world.rootA.id}`,
    );
    const res = await as('t1_admin').get(`/api/people/export.xlsx?orgId=${world.t1.id}`);
    expect(res.statusCode).toBe(200);
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0].slice(0, 5)).toEqual(['姓名', '性别', '出生日期', '手机号', '身份证号']);
    const injected = rows.find((r) => r[0].includes('HYPERLINK'))!;
    expect(injected[0]).toBe(`'=HYPERLINK("http://x")`);
    expect(injected[3]).toBe('138****9201');
    expect(injected[4]).toBe(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    expect(injected[8]).toBe(`'@SUM(1)`);
    expect(rows.some((r) => r[0] === '蔡十七')).toBe(false); // T2's grid: outside T1's subtree
    expect(res.rawPayload.toString('latin1')).not.toContain(id);

    // Unmasked needs person.pii: a town admin lacks it, a district admin has it (and it is audited).
    expect((await as('t1_admin').get(`/api/people/export.xlsx?orgId=${world.t1.id}&unmasked=true`)).statusCode).toBe(
      403,
    );
    const full = await as('admin_a').get(`/api/people/export.xlsx?orgId=${world.t1.id}&unmasked=true`);
    expect((await readXlsx(full.rawPayload)).some((r) => r[4] === id)).toBe(true);
    const audit = await many<any>(
      ctx.database.db,
      sql`SELECT * FROM audit_log WHERE action = 'people.export.unmasked'`,
    );
    expect(audit).toHaveLength(1);

    // Key youth leave the general export.
    const person = await one<{ id: number }>(ctx.database.db, sql`SELECT id FROM people WHERE name = '蔡十七'`);
    const before = await readXlsx(
      (await as('admin_a').get(`/api/people/export.xlsx?orgId=${world.rootA.id}`)).rawPayload,
    );
    expect(before.some((r) => r[0] === '蔡十七')).toBe(true);
    const marked = await as('admin_a').put(`/api/people/${person!.id}/key-youth`, { kind: 'hardship', note: '困难' });
    expect(marked.statusCode, marked.body).toBe(200);
    const after = await readXlsx(
      (await as('admin_a').get(`/api/people/export.xlsx?orgId=${world.rootA.id}`)).rawPayload,
    );
    expect(after.some((r) => r[0] === '蔡十七')).toBe(false);
    expect((await as('admin_b').get(`/api/people/export.xlsx?orgId=${world.t1.id}`)).statusCode).toBe(404);
  });
});
