/**
 * QR self-registration under load (二维报到 at a mass event): autocannon on loopback against
 * POST /api/qr/:token/register of the real app (validation, blind index, SM4, de-duplicated write,
 * audit, replay guard), every request a different young person. Baseline in the same run: a bare
 * Fastify handler that parses the same JSON body and answers. Reports req/s, p50/p99 and the ratio. The load
 * generator (bench/loadgen.mjs, autocannon) is a separate process on the same machine, so it competes for the two
 * cores but not for the app's event loop.
 *
 *   npx tsx bench/register.ts --db postgresql   # TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 *   npx tsx bench/register.ts                   # PGlite (one connection: expect far less), data dir on disk
 *   options: --seconds 15 --connections 50 --event 10000 (a mass event on one fresh code)
 *            --memory (PGlite in memory instead of a data dir on disk, as the embedded server runs)
 */

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import Fastify from 'fastify';
import { CONSENT_VERSION } from '../domain/person.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { Database } from '../server/db/client.ts';
import { seedDemo } from '../server/seed/demo.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '50' },
    /** also run a mass event: this many registrations on one fresh code, checked for errors and duplicates */
    event: { type: 'string', default: '0' },
    memory: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const run = promisify(execFile);
const CONNECTIONS = Number(values.connections);

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (values.db === 'postgresql') {
    const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `jw_bench_${crypto.randomBytes(4).toString('hex')}`;
    const admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await Database.open({ kind: 'postgresql', url: u.toString(), poolSize: 20 });
    return {
      database,
      drop: async () => {
        await database.close();
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  }
  if (values.memory) {
    const database = await Database.open({ kind: 'pglite' });
    return { database, drop: () => database.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-bench-register-pglite-'));
  const database = await Database.open({ kind: 'pglite', dataDir: dir });
  return {
    database,
    drop: async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds used so far by the PostgreSQL backends serving the bench database (same machine), by pid. */
async function backendCpu(database: Database | null): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (database?.kind !== 'postgresql') return cpu;
  const rows = await database.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const tick = 100; // USER_HZ on Linux
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / tick);
    } catch {
      // the backend ended meanwhile
    }
  }
  return cpu;
}

/** Runs the loopback load generator in its own process; every request a different young person. */
async function load(options: {
  url: string;
  seqStart: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  /** also measure the CPU of this database's backends (PostgreSQL on this machine) */
  measureDatabase?: Database;
}) {
  const { measureDatabase = null, ...rest } = options;
  const opts = { connections: CONNECTIONS, duration: SECONDS, consentVersion: CONSENT_VERSION, ...rest };
  const cpu0 = process.cpuUsage();
  const pg0 = await backendCpu(measureDatabase);
  const { stdout } = await run(
    process.execPath,
    [path.join(import.meta.dirname, 'loadgen.mjs'), JSON.stringify(opts)],
    {
      maxBuffer: 1 << 20,
    },
  );
  const cpu = process.cpuUsage(cpu0);
  const pg1 = await backendCpu(measureDatabase);
  let pgSeconds = 0;
  for (const [pid, t] of pg1) pgSeconds += t - (pg0.get(pid) ?? 0);
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
    requestsPerSecond: number;
    p50ms: number;
    p99ms: number;
    total: number;
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  // The app process's own CPU per answered request: the part of the cost a faster machine or a second app server
  // divides, whatever else the machine is doing.
  const appCpuMsPerRequest = +((cpu.user + cpu.system) / 1000 / Math.max(1, result.total)).toFixed(3);
  const dbCpuMsPerRequest = pg1.size ? +((pgSeconds * 1000) / Math.max(1, result.total)).toFixed(3) : null;
  return { ...result, appCpuMsPerRequest, dbCpuMsPerRequest };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-bench-register-'));
const { database, drop } = await open();
const bare = Fastify({ logger: false });
try {
  await database.migrate();
  await seedDemo(database, 'Bench2026pass');
  process.env.JINGWEI_QR_RATE_LIMIT = '100000000'; // one loopback IP plays thousands of phones
  // …so neither the captcha per IP and code nor the per-code limits may stop it (their upsert still runs).
  process.env.JINGWEI_CAPTCHA_AFTER = '100000000';
  process.env.JINGWEI_CAPTCHA_TOKEN_PER_MINUTE = '100000000';
  process.env.JINGWEI_QR_TOKEN_PER_MINUTE = '100000000';
  const config = {
    ...loadConfig(),
    dataDir,
    logLevel: 'warn',
    webDist: null,
    jobPollMs: 0,
    port: 0,
    host: '127.0.0.1',
  };
  const app = await buildApp(config, database);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });

  // A grid leader makes the code the way the console does.
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Bench2026pass' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = await login.json();
  const grids = await (await fetch(`${base}/api/grids?pageSize=1`, { headers: { cookie } })).json();
  const token = await (
    await fetch(`${base}/api/registration-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ gridId: grids.items[0].id, expiresInDays: 7 }),
    })
  ).json();
  const tokenString = String(token.url).split('/r/')[1];
  if (!tokenString) throw new Error(`no token: ${JSON.stringify(token)}`);

  bare.post('/register', async (req) => ({ ok: true, echo: (req.body as { name: string }).name }));
  const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });

  const baseline = await load({ url: `${bareBase}/register`, seqStart: 0 });
  const real = await load({
    url: `${base}/api/qr/${tokenString}/register`,
    seqStart: 10_000_000,
    measureDatabase: database,
  });

  // A mass event: EVENT people scan one new code as fast as the loopback allows (same 50 connections).
  let event: Record<string, unknown> | null = null;
  const EVENT = Number(values.event);
  if (EVENT > 0) {
    const code = await (
      await fetch(`${base}/api/registration-tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ gridId: grids.items[0].id, expiresInDays: 7 }),
      })
    ).json();
    const eventToken = String(code.url).split('/r/')[1];
    const t0 = performance.now();
    const result = await load({
      url: `${base}/api/qr/${eventToken}/register`,
      seqStart: 20_000_000,
      amount: EVENT,
      timeout: 60,
    });
    const seconds = (performance.now() - t0) / 1000;
    const [check] = await database.query<{ people: number; phones: number; submissions: number }>(
      `SELECT (SELECT count(*)::int FROM people WHERE registration_token_id = $1) AS people,
              (SELECT count(DISTINCT phone_idx)::int FROM people WHERE registration_token_id = $1) AS phones,
              (SELECT count(*)::int FROM registration_submissions WHERE token_id = $1) AS submissions`,
      [code.id],
    );
    const [dupes] = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT phone_idx FROM people WHERE phone_idx IS NOT NULL
         GROUP BY district_id, phone_idx HAVING count(*) > 1) d`,
    );
    event = {
      registrations: EVENT,
      seconds: +seconds.toFixed(1),
      requestsPerSecond: Math.round(EVENT / seconds),
      p50ms: result.p50ms,
      p99ms: result.p99ms,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      peopleStored: check.people,
      distinctPhones: check.phones,
      submissions: check.submissions,
      duplicatePeople: dupes.n,
      within60s: seconds <= 60,
      ok:
        result.non2xx === 0 && result.errors === 0 && check.people === EVENT && check.phones === EVENT && dupes.n === 0,
    };
  }
  await app.close();

  const report = {
    bench: 'register',
    db: values.db,
    pglite: values.db === 'postgresql' ? undefined : values.memory ? 'memory' : 'data dir on disk',
    connections: CONNECTIONS,
    seconds: SECONDS,
    register: real,
    bareHandler: baseline,
    ratioBareToRegister: +(baseline.requestsPerSecond / Math.max(1, real.requestsPerSecond)).toFixed(1),
    shareOfBare: +(real.requestsPerSecond / Math.max(1, baseline.requestsPerSecond)).toFixed(3),
    event,
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
    node: process.version,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.log(JSON.stringify(report, null, 2));
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(`bench/results/register-${values.db}.json`, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await bare.close();
  await drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
