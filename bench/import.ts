/**
 * Ledger import at district scale: a 150,000-row .xlsx youth ledger through the real import path
 * (streaming read, validation, blind-index de-duplication, SM4 encryption, audit, one transaction).
 * Baseline in the same run: a raw COPY of the same finished rows (already encrypted) into the same
 * table. Reports rows/s, the ratio, the file size and peak RSS.
 *
 *   npx tsx bench/import.ts                    # PGlite (in memory)
 *   npx tsx bench/import.ts --db postgresql    # TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 *   npx tsx bench/import.ts --rows 20000       # smaller
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { from as copyFrom } from 'pg-copy-streams';
import { idCheckChar } from '../domain/identity.ts';
import { Database } from '../server/db/client.ts';
import { many, one } from '../server/db/sql.ts';
import type { Actor } from '../server/lib/actor.ts';
import { PiiCipher } from '../server/lib/crypto.ts';
import { importLedger } from '../server/modules/ledgers/ledgers.service.ts';
import { limitBytes, readSheet } from '../server/modules/ledgers/spreadsheet.ts';
import { findRootOrg } from '../server/modules/orgs/orgs.repository.ts';
import { seedDemo } from '../server/seed/demo.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: 'pglite' }, rows: { type: 'string', default: '150000' } },
});
const ROWS = Number(values.rows);

function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (values.db === 'postgresql') {
    const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `jw_bench_${crypto.randomBytes(4).toString('hex')}`;
    const admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await Database.open({ kind: 'postgresql', url: u.toString() });
    return {
      database,
      drop: async () => {
        await database.close();
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  }
  const database = await Database.open({ kind: 'pglite' });
  return { database, drop: () => database.close() };
}

type Row = { name: string; birth: string; phone: string; id: string; grid: string; status: string; category: string };

/** The ledger's rows, generated on demand (never all held in memory, so peak RSS is the import's own). */
function* makeRows(gridCodes: string[]): Generator<Row> {
  const rnd = seeded(20261122);
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂';
  for (let i = 0; i < ROWS; i++) {
    // (birth date, sequence) is unique per row, so every row is a different person.
    const birth = new Date(Date.UTC(1994, 0, 1) + Math.floor(i / 1000) * 19 * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '');
    const first17 = `330621${birth}${String(i % 1000).padStart(3, '0')}`;
    yield {
      name: surnames[Math.floor(rnd() * surnames.length)] + given[Math.floor(rnd() * given.length)],
      birth: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
      phone: `13${String(100000000 + i).slice(-9)}`,
      id: first17 + idCheckChar(first17),
      grid: gridCodes[i % gridCodes.length],
      status: rnd() < 0.33 ? '共青团员' : '群众',
      category: ['城镇青年', '农业青年', '进城务工青年', '学生'][Math.floor(rnd() * 4)],
    };
  }
}

async function writeLedger(file: string, rows: Iterable<Row>) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('青年台账');
  ws.addRow(['姓名', '出生日期', '手机号', '身份证号', '政治面貌', '青年类别', '网格编码']).commit();
  for (const r of rows) ws.addRow([r.name, r.birth, r.phone, r.id, r.status, r.category, r.grid]).commit();
  ws.commit();
  await wb.commit();
}

/** COPY of finished people rows (text format), on PGlite through /dev/blob, on PostgreSQL through pg-copy-streams. */
async function copyRows(
  database: Database,
  districtId: number,
  branchOrgId: number,
  rows: Iterable<Row>,
  pii: PiiCipher,
) {
  const lines = [...rows].map((r) =>
    [
      districtId,
      r.name,
      r.birth,
      pii.encrypt(r.phone),
      pii.blindIndex('phone', r.phone),
      pii.encrypt(r.id),
      pii.blindIndex('idNumber', r.id),
      r.status === '共青团员' ? 'league_member' : 'masses',
      'other',
      branchOrgId,
      'import',
      'registered',
    ].join('\t'),
  );
  const text = `${lines.join('\n')}\n`;
  const columns =
    'district_id, name, birth_date, phone_enc, phone_idx, id_enc, id_idx, political_status, category, branch_org_id, source, status';
  const started = performance.now();
  if (database.pglite) {
    await database.pglite.query(`COPY people (${columns}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
  } else {
    const client = await database.pool!.connect();
    try {
      await pipeline(Readable.from([text]), client.query(copyFrom(`COPY people (${columns}) FROM STDIN`)));
    } finally {
      client.release();
    }
  }
  return performance.now() - started;
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const { database, drop } = await open();
const file = path.join(os.tmpdir(), `jw-bench-ledger-${process.pid}.xlsx`);
try {
  await database.migrate();
  const demo = await seedDemo(database, 'Bench2026pass');
  const root = (await findRootOrg(database.db, demo.districtId))!;
  const actor: Actor = {
    accountId: (await one<{ id: number }>(database.db, sql`SELECT id FROM accounts WHERE username = 'admin'`))!.id,
    username: 'admin',
    role: 'district_admin',
    districtId: demo.districtId,
    orgId: root.id,
    scopePath: root.path,
    mustChangePassword: false,
    lang: 'zh-CN',
    ip: '127.0.0.1',
  };
  const gridCodes = (
    await many<{ code: string }>(
      database.db,
      sql`SELECT code FROM grids WHERE district_id = ${demo.districtId} AND kind IN ('community', 'village', 'market_town', 'industrial_park') AND active`,
    )
  ).map((g) => g.code);
  await writeLedger(file, makeRows(gridCodes));
  const size = fs.statSync(file).size;

  // Parse-only baseline (the physical bottleneck): the same streaming read of the same file, no validation,
  // no database. Run twice, the faster counts (the first warms the JIT like the import's first batches).
  let parseMs = Number.POSITIVE_INFINITY;
  let parsedRows = 0;
  for (let run = 0; run < 2; run++) {
    const t = performance.now();
    let n = 0;
    for await (const _row of readSheet(limitBytes(fs.createReadStream(file), 10 * 1024 * 1024), 'xlsx')) n++;
    parseMs = Math.min(parseMs, performance.now() - t);
    parsedRows = n;
  }
  const pii = new PiiCipher(crypto.randomBytes(16), crypto.randomBytes(32));
  const before = (await one<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM people`))!.n;

  peakRss = process.memoryUsage().rss;
  const rssBefore = peakRss;
  const t0 = performance.now();
  const result = await importLedger(
    database,
    pii,
    actor,
    { orgId: root.id, mode: 'valid', fileName: 'bench.xlsx' },
    limitBytes(fs.createReadStream(file), 10 * 1024 * 1024),
    'xlsx',
  );
  const importMs = performance.now() - t0;
  const importPeak = peakRss;
  const after = (await one<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM people`))!.n;

  // Baseline: the same rows, finished, into the same table, after clearing the imported ones.
  // (audit_log is append-only since migration 0012: the bench's throwaway database switches the trigger off.)
  await database.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
  await database.db.execute(sql`DELETE FROM audit_log WHERE action IN ('person.create', 'person.reregister')`);
  await database.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  await database.db.execute(sql`DELETE FROM people WHERE source = 'import'`);
  const copyMs = await copyRows(database, demo.districtId, root.id, makeRows(gridCodes), pii);

  const report = {
    bench: 'import',
    db: values.db,
    rows: ROWS,
    fileBytes: size,
    imported: { created: result.created, updated: result.updated, review: result.review, rejected: result.rejected },
    peopleAdded: after - before,
    importSeconds: +(importMs / 1000).toFixed(2),
    importRowsPerSecond: Math.round(ROWS / (importMs / 1000)),
    parseOnlySeconds: +(parseMs / 1000).toFixed(2),
    parseOnlyRowsPerSecond: Math.round(parsedRows / (parseMs / 1000)),
    importShareOfParseRate: +(parseMs / importMs).toFixed(2),
    copySeconds: +(copyMs / 1000).toFixed(2),
    copyRowsPerSecond: Math.round(ROWS / (copyMs / 1000)),
    ratioImportToCopy: +(importMs / copyMs).toFixed(1),
    peakRssMb: Math.round(importPeak / 1048576),
    rssGrowthMb: Math.round((importPeak - rssBefore) / 1048576),
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
    node: process.version,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.table(report);
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(`bench/results/import-${values.db}.json`, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  clearInterval(sampler);
  fs.rmSync(file, { force: true });
  await drop();
}
