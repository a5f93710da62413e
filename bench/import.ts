/**
 * Ledger import at district scale: a 150,000-row .xlsx youth ledger through the real import path
 * (streaming read, validation, blind-index de-duplication, SM4 encryption, audit, one transaction).
 *
 * The parent process makes the database (migrations + the demo district) and the file; a fresh child process
 * (like a server receiving the upload: the app's modules and the open database, nothing else) runs the import
 * first, then the baselines, all in the same run:
 * - parse-only: the same streaming read of the same file (readSheet), nothing else (best of two);
 * - the import's CPU chain without a database: read + validation, then + blind indexes and batch sealing;
 * - crypto per row: PiiCipher per value (2 × encrypt + 2 × blindIndex) vs the batch sealer;
 * - raw COPY of exactly the rows the import wrote (copied out, deleted, VACUUM, copied back in).
 * Reports rows/s, the ratios, CPU seconds of the process and (PostgreSQL on this host) of the database
 * backends for the import and the COPY, and the import's peak RSS (Linux: VmHWM reset before the import).
 *
 *   npm run bench -- import                    # PGlite (data dir on disk, as the embedded server runs)
 *   npm run bench -- import --db postgresql    # TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 *   npm run bench -- import --rows 20000       # smaller
 *   npm run bench -- import --profile          # also writes bench/results/import-<db>.cpuprofile (the import only)
 *   npm run bench -- import --reader thread    # the ledger reader in the request's thread (worker: always a worker)
 *   npm run bench -- import --batch 5000       # rows per batch
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { idCheckChar, todayInChina } from '../domain/identity.ts';
import { mapHeader, parseLedgerRow } from '../domain/ledger.ts';
import { Database } from '../server/db/client.ts';
import { many, one } from '../server/db/sql.ts';
import type { Actor } from '../server/lib/actor.ts';
import { PiiCipher } from '../server/lib/crypto.ts';
import { ledgerImportTuning } from '../server/modules/ledgers/ledger-import.ts';
import { importLedger } from '../server/modules/ledgers/ledgers.service.ts';
import { limitBytes, readSheet } from '../server/modules/ledgers/spreadsheet.ts';
import { findRootOrg } from '../server/modules/orgs/orgs.repository.ts';
import { seedDemo } from '../server/seed/demo.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    rows: { type: 'string', default: '150000' },
    profile: { type: 'boolean', default: false },
    /** where the ledger reader runs: as the import decides (auto), or forced */
    reader: { type: 'string', default: 'auto' },
    /** rows per batch (default: the import's own) */
    batch: { type: 'string' },
    child: { type: 'string' },
  },
});
const ROWS = Number(values.rows);

/** What the parent hands the child (a JSON file). */
type Setup = {
  db: string;
  url: string | null;
  dataDir: string | null;
  file: string;
  actor: Actor;
  rootId: number;
};

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

async function bestOf(runs: number, fn: () => Promise<void>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** A full GC (the flag is set at run time, so the bench needs no node option). */
function collectGarbage() {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/**
 * CPU time (user + system, ms) of each database backend serving this database, read from /proc: PostgreSQL on
 * this host only (empty when it is elsewhere, or for PGlite, whose CPU is this process's own).
 */
async function dbCpu(database: Database): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (database.pglite) return cpu;
  const pids = await database.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  for (const { pid } of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // clock ticks (USER_HZ = 100)
    } catch {
      // not on this host, or gone
    }
  }
  return cpu;
}

/** Database CPU spent since `before` by the backends alive now. */
async function dbCpuSince(database: Database, before: Map<number, number>): Promise<number> {
  let ms = 0;
  for (const [pid, now] of await dbCpu(database)) ms += now - (before.get(pid) ?? 0);
  return ms;
}

/** The columns the import writes: the COPY baseline moves exactly these. */
const COLUMNS =
  'district_id, name, gender, birth_date, phone_enc, phone_idx, id_enc, id_idx, political_status, category, skills, home_grid_id, branch_org_id, backbone, reserve_backbone, source, status, consent_version, consent_at, consent_channel, created_by';

async function parent() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-bench-import-'));
  const file = path.join(tmp, 'ledger.xlsx');
  let drop = async () => {};
  try {
    let database: Database;
    let url: string | null = null;
    if (values.db === 'postgresql') {
      const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      const name = `jw_bench_${crypto.randomBytes(4).toString('hex')}`;
      const admin = await Database.open({ kind: 'postgresql', url: base, poolSize: 1 });
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(base);
      u.pathname = `/${name}`;
      url = u.toString();
      database = await Database.open({ kind: 'postgresql', url });
      drop = async () => {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.close();
      };
    } else {
      // On disk, as the embedded server runs it (an in-memory PGlite holds the whole district in this process).
      database = await Database.open({ kind: 'pglite', dataDir: path.join(tmp, 'pglite') });
    }
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
    await database.close();
    const setup: Setup = {
      db: values.db!,
      url,
      dataDir: url ? null : path.join(tmp, 'pglite'),
      file,
      actor,
      rootId: root.id,
    };
    const setupFile = path.join(tmp, 'setup.json');
    fs.writeFileSync(setupFile, JSON.stringify(setup));
    const args = [
      ...process.execArgv,
      ...(process.env.JW_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      fileURLToPath(import.meta.url),
      '--child',
      setupFile,
      '--rows',
      String(ROWS),
    ];
    if (values.profile) args.push('--profile');
    args.push('--reader', values.reader!);
    if (values.batch) args.push('--batch', values.batch);
    const code = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', resolve),
    );
    if (code !== 0) throw new Error(`the import process failed (exit ${code})`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    await drop();
  }
}

async function child(setup: Setup) {
  const database = setup.url
    ? await Database.open({ kind: 'postgresql', url: setup.url })
    : await Database.open({ kind: 'pglite', dataDir: setup.dataDir! });
  try {
    const { actor, file } = setup;
    if (values.reader === 'thread') ledgerImportTuning.workerFromBytes = Number.POSITIVE_INFINITY;
    if (values.reader === 'worker') ledgerImportTuning.workerFromBytes = 0;
    if (values.batch) ledgerImportTuning.batchRows = Number(values.batch);
    const reader = fs.statSync(file).size >= ledgerImportTuning.workerFromBytes ? 'worker thread' : 'request thread';
    const openFile = () => limitBytes(fs.createReadStream(file), 10 * 1024 * 1024);
    const pii = new PiiCipher(crypto.randomBytes(16), crypto.randomBytes(32));
    const size = fs.statSync(file).size;
    const maxIdBefore = (await one<{ m: number }>(database.db, sql`SELECT coalesce(max(id), 0)::int AS m FROM people`))!
      .m;
    const maxAuditBefore = (await one<{ m: number }>(
      database.db,
      sql`SELECT coalesce(max(id), 0)::int AS m FROM audit_log`,
    ))!.m;

    // ---- the import, first (nothing before it but opening the database) ----
    collectGarbage();
    const rssBefore = process.memoryUsage().rss;
    resetPeakRss();
    let sampledPeak = rssBefore;
    const peaks: Record<string, number> = {};
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      sampledPeak = Math.max(sampledPeak, m.rss);
      for (const [k, v] of Object.entries(m)) peaks[k] = Math.max(peaks[k] ?? 0, Math.round(v / 1048576));
    }, 20);
    const session = values.profile ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const dbCpu0 = await dbCpu(database);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await importLedger(
      database,
      pii,
      actor,
      { orgId: setup.rootId, mode: 'valid', fileName: 'bench.xlsx' },
      openFile(),
      'xlsx',
    );
    const importMs = performance.now() - t0;
    const importCpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    if (process.env.JW_BENCH_DEBUG) console.error('peak memory during the import (MB)', peaks);
    const importPeak = Math.max(peakRss() ?? 0, sampledPeak, process.memoryUsage().rss);
    const importDbCpuMs = await dbCpuSince(database, dbCpu0);
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync('bench/results', { recursive: true });
      fs.writeFileSync(`bench/results/import-${setup.db}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    const added = (await one<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM people WHERE id > ${maxIdBefore}`,
    ))!.n;
    const audit = await many<{ action: string; n: number }>(
      database.db,
      sql`SELECT action, count(*)::int AS n FROM audit_log WHERE id > ${maxAuditBefore} GROUP BY action ORDER BY action`,
    );

    // ---- baselines ----
    const parseMs = await bestOf(2, async () => {
      for await (const _row of readSheet(openFile(), 'xlsx'));
    });
    const chain = async (withCrypto: boolean) => {
      const sealer = pii.batch();
      const today = todayInChina();
      let fields: ReturnType<typeof mapHeader> | null = null;
      let plain: string[] = [];
      for await (const { rowNumber, cells } of readSheet(openFile(), 'xlsx')) {
        if (!fields) {
          fields = mapHeader(cells.map((c) => c.text));
          continue;
        }
        if (!fields.ok) throw new Error('bench ledger header');
        const parsed = parseLedgerRow(rowNumber, fields.fields, cells, today);
        if (!parsed.ok || !withCrypto) continue;
        pii.blindIndex('phone', parsed.person.phone!);
        pii.blindIndex('idNumber', parsed.person.idNumber!);
        plain.push(parsed.person.phone!, parsed.person.idNumber!);
        if (plain.length >= 2000) {
          sealer.encryptMany(plain);
          plain = [];
        }
      }
      sealer.encryptMany(plain);
    };
    const validateMs = await bestOf(2, () => chain(false));
    const cpuChainMs = await bestOf(2, () => chain(true));
    const sample = Array.from({ length: 20_000 }, (_, i) => ({
      phone: `13${String(100000000 + i).slice(-9)}`,
      id: `33062119940101${String(i % 1000).padStart(3, '0')}X`,
    }));
    const perValueMs = await bestOf(2, async () => {
      for (const r of sample) {
        pii.encrypt(r.phone);
        pii.encrypt(r.id);
        pii.blindIndex('phone', r.phone);
        pii.blindIndex('idNumber', r.id);
      }
    });
    const batchMs = await bestOf(2, async () => {
      const sealer = pii.batch();
      for (let i = 0; i < sample.length; i += 1000) {
        const part = sample.slice(i, i + 1000);
        for (const r of part) {
          pii.blindIndex('phone', r.phone);
          pii.blindIndex('idNumber', r.id);
        }
        sealer.encryptMany(part.flatMap((r) => [r.phone, r.id]));
      }
    });
    // Raw COPY of exactly the rows the import wrote: copied out, deleted, VACUUM (so the COPY does not wade
    // through their dead index entries), copied back in.
    const finished = await copyOut(database, maxIdBefore);
    await database.db.execute(sql`DELETE FROM people WHERE id > ${maxIdBefore}`);
    await database.db.execute(sql`VACUUM people`);
    const copyDbCpu0 = await dbCpu(database);
    const copyCpu0 = process.cpuUsage();
    const copyMs = await copyIn(database, finished);
    const copyCpu = process.cpuUsage(copyCpu0);
    const copyDbCpuMs = await dbCpuSince(database, copyDbCpu0);

    const seconds = (ms: number) => +(ms / 1000).toFixed(2);
    const perRow = (ms: number) => +((ms * 1000) / ROWS).toFixed(1);
    const report = {
      bench: 'import',
      db: setup.db,
      rows: ROWS,
      fileBytes: size,
      reader,
      batchRows: ledgerImportTuning.batchRows,
      imported: { created: result.created, updated: result.updated, review: result.review, rejected: result.rejected },
      peopleAdded: added,
      auditEntries: Object.fromEntries(audit.map((a) => [a.action, a.n])),
      importSeconds: seconds(importMs),
      importRowsPerSecond: Math.round(ROWS / (importMs / 1000)),
      parseOnlySeconds: seconds(parseMs),
      parseOnlyRowsPerSecond: Math.round(ROWS / (parseMs / 1000)),
      importShareOfParseRate: +(parseMs / importMs).toFixed(2),
      cpuChainNoDbSeconds: seconds(cpuChainMs),
      cpuChainShareOfParseRate: +(parseMs / cpuChainMs).toFixed(2),
      copySeconds: seconds(copyMs),
      copyRowsPerSecond: Math.round(ROWS / (copyMs / 1000)),
      copyShareOfParseRate: +(parseMs / copyMs).toFixed(2),
      ratioImportToCopy: +(importMs / copyMs).toFixed(2),
      usPerRow: {
        parse: perRow(parseMs),
        validate: perRow(validateMs - parseMs),
        cryptoInChain: perRow(cpuChainMs - validateMs),
        cryptoPerValueApi: +((perValueMs * 1000) / sample.length).toFixed(1),
        cryptoBatch: +((batchMs * 1000) / sample.length).toFixed(1),
        import: perRow(importMs),
        importProcessCpu: perRow((importCpu.user + importCpu.system) / 1000),
        importDatabaseCpu: perRow(importDbCpuMs),
        copy: perRow(copyMs),
        copyDatabaseCpu: perRow(copyDbCpuMs),
      },
      importProcessCpuSeconds: seconds((importCpu.user + importCpu.system) / 1000),
      importDatabaseCpuSeconds: database.pglite ? 'in process' : seconds(importDbCpuMs),
      copyProcessCpuSeconds: seconds((copyCpu.user + copyCpu.system) / 1000),
      copyDatabaseCpuSeconds: database.pglite ? 'in process' : seconds(copyDbCpuMs),
      peakRssMb: Math.round(importPeak / 1048576),
      rssBeforeImportMb: Math.round(rssBefore / 1048576),
      rssGrowthMb: Math.round((importPeak - rssBefore) / 1048576),
      loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
      node: process.version,
      cpus: os.cpus().length,
      at: new Date().toISOString(),
    };
    console.log(JSON.stringify(report, null, 2));
    fs.mkdirSync('bench/results', { recursive: true });
    fs.writeFileSync(`bench/results/import-${setup.db}.json`, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await database.close();
  }
}

/** The finished rows (COPY text format) of the people with id > afterId. */
async function copyOut(database: Database, afterId: number): Promise<Buffer> {
  const statement = `COPY (SELECT ${COLUMNS} FROM people WHERE id > ${Number(afterId)} ORDER BY id) TO`;
  if (database.pglite) {
    const r = await database.pglite.query(`${statement} '/dev/blob'`);
    return Buffer.from(await r.blob!.arrayBuffer());
  }
  const client = await database.pool!.connect();
  try {
    const chunks: Buffer[] = [];
    await pipeline(
      client.query(copyTo(`${statement} STDOUT`)),
      new Writable({
        write(chunk, _enc, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    return Buffer.concat(chunks);
  } finally {
    client.release();
  }
}

/** Raw COPY of finished rows into people, in one statement; returns its duration in ms. */
async function copyIn(database: Database, text: Buffer): Promise<number> {
  const statement = `COPY people (${COLUMNS}) FROM`;
  const started = performance.now();
  if (database.pglite) {
    await database.pglite.query(`${statement} '/dev/blob'`, [], { blob: new Blob([new Uint8Array(text)]) });
  } else {
    const client = await database.pool!.connect();
    try {
      await pipeline(Readable.from([text]), client.query(copyFrom(`${statement} STDIN`)));
    } finally {
      client.release();
    }
  }
  return performance.now() - started;
}

/** Resets the kernel's peak-RSS mark of this process (Linux: clear_refs 5), so VmHWM is the import's own. */
function resetPeakRss() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: the 20 ms sampler is all there is
  }
}

/** VmHWM (peak RSS since the reset) in bytes, or null where /proc is not there. */
function peakRss(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

if (values.child) await child(JSON.parse(fs.readFileSync(values.child, 'utf8')) as Setup);
else await parent();
