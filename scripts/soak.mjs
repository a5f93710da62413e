#!/usr/bin/env node
/**
 * Soak run (issue 11): starts its own `jingwei serve` on loopback with a fresh embedded database (or
 * DATABASE_URL), measures capacity with a short closed-loop probe of the mixed workload, then drives the
 * same mix open-loop at half that rate and reports, per window: requests, 5xx, p50/p99 latency and the
 * server's resident memory. Bounded: 10 minutes by default, at most 10.
 *
 *   npm run soak                         # 10 minutes
 *   npm run soak -- --minutes 2          # shorter
 *   npm run soak -- --seconds 60 --db postgresql   # DATABASE_URL or TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 *
 * Mix (weights): logins 8, dashboard overview 20, org tree 12, notice inbox 10, notice sends to one village 4,
 * orders created 6 and listed 8, QR registrations (public) 10, venue bookings 8 (409 conflicts expected),
 * people list 10, activity sign-ups by QR (public) 8, health 4. The public endpoints' per-IP limits are raised:
 * the load generator is one IP standing for many phones.
 * Exit code 1 when any 5xx was answered.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    seconds: { type: 'string' },
    probe: { type: 'string', default: '20' },
    window: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '8' },
    db: { type: 'string', default: 'pglite' },
    json: { type: 'string' },
  },
});
const durationS = Math.min(600, values.seconds ? Number(values.seconds) : Number(values.minutes ?? 10) * 60);
const probeS = Number(values.probe);
const windowS = Number(values.window);
const concurrency = Number(values.concurrency);
const PASSWORD = 'Soak2026pass';
const port = 30000 + Math.floor(Math.random() * 9000);
const base = `http://127.0.0.1:${port}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-soak-'));

let dbName = null;
let pgAdminUrl = null;
const env = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  JINGWEI_DATA_DIR: dataDir,
  JINGWEI_DEMO: 'true',
  JINGWEI_DEMO_PASSWORD: PASSWORD,
  JINGWEI_LOGIN_RATE_LIMIT: '1000000',
  JINGWEI_QR_RATE_LIMIT: '1000000',
  JINGWEI_SIGNUP_RATE_LIMIT: '1000000',
  JINGWEI_CAPTCHA_AFTER: '1000000',
  JINGWEI_CAPTCHA_TOKEN_PER_MINUTE: '1000000',
  JINGWEI_QR_TOKEN_PER_MINUTE: '1000000',
  LOG_LEVEL: 'warn',
};
if (values.db === 'postgresql') {
  pgAdminUrl =
    process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  dbName = `jw_soak_${crypto.randomBytes(3).toString('hex')}`;
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: pgAdminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${dbName}`);
  await c.end();
  const u = new URL(pgAdminUrl);
  u.pathname = `/${dbName}`;
  env.DATABASE_URL = u.toString();
}

const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', 'serve'], {
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverOut = '';
child.stdout.on('data', (d) => {
  serverOut += d;
});
child.stderr.on('data', (d) => {
  serverOut += d;
});
async function cleanup() {
  if (child.exitCode === null) {
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (dbName) {
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: pgAdminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await cleanup();
    process.exit(130);
  });
}

const started = Date.now();
while (!serverOut.includes('ready at')) {
  if (child.exitCode !== null) throw new Error(`server exited:\n${serverOut}`);
  if (Date.now() - started > 600_000) throw new Error(`server did not start:\n${serverOut}`);
  await new Promise((r) => setTimeout(r, 250));
}
console.error(`soak: server ready (${values.db}) in ${((Date.now() - started) / 1000).toFixed(0)} s on ${base}`);

function rssMb() {
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch {
    return NaN;
  }
}

async function call(method, url, { body, session, headers = {} } = {}) {
  const t0 = performance.now();
  let status = 0;
  let json = null;
  let setCookie = [];
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(session ? { cookie: session.cookie } : {}),
        ...(session && method !== 'GET' ? { 'x-csrf-token': session.csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // An answer slower than this counts as a failure (status -1), so a stalled server cannot hang the run.
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    setCookie = res.headers.getSetCookie();
    const text = await res.text();
    try {
      json = JSON.parse(text);
    } catch {}
  } catch {
    status = -1; // connection error or no answer within 30 s
  }
  return { status, json, ms: performance.now() - t0, setCookie };
}

async function login(username) {
  const res = await call('POST', '/api/auth/login', { body: { username, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.json)}`);
  return { cookie: res.setCookie.map((c) => c.split(';')[0]).join('; '), csrf: res.json.csrfToken, me: res.json };
}

// Fixtures ---------------------------------------------------------------------------------------
const admin = await login('admin');
const districtId = admin.me.account.districtId;
const rootOrgId = admin.me.account.orgId;
const tree = await call('GET', '/api/orgs/tree', { session: admin });
const towns = tree.json.roots[0].children ?? [];
const town = towns[0];
const village = (town.children ?? [])[0] ?? town;
const townAdmins =
  (await call('GET', `/api/accounts?role=org_admin&pageSize=20`, { session: admin })).json?.items ?? [];
const townAdmin = townAdmins[0]?.username ?? 'admin';
const venue = ((await call('GET', '/api/venues?pageSize=20', { session: admin })).json?.items ?? [])[0];
const token = await call('POST', '/api/registration-tokens', { session: admin, body: { orgId: village.id } });
const qr = token.json?.token;
const qrInfo = qr ? (await call('GET', `/api/qr/${qr}`)).json : null;
const openActivity = ((await call('GET', '/api/activities?status=open', { session: admin })).json?.items ?? [])[0];
const signupToken = openActivity
  ? (await call('POST', `/api/activities/${openActivity.id}/qr`, { session: admin })).json?.token
  : null;
console.error(
  `soak: fixtures: activity ${openActivity?.id ?? 'none'}, town admin ${townAdmin}, village ${village.id}, venue ${venue?.id}, qr ${qr ? 'yes' : 'no'}`,
);

let phoneSeq = Math.floor(Math.random() * 1e7);
const ops = [
  [8, 'login', () => call('POST', '/api/auth/login', { body: { username: townAdmin, password: PASSWORD } })],
  [
    20,
    'dashboard',
    () => call('GET', `/api/dashboard/overview?districtId=${districtId}&orgId=${rootOrgId}`, { session: admin }),
  ],
  [12, 'org tree', () => call('GET', '/api/orgs/tree', { session: admin })],
  [10, 'inbox', () => call('GET', '/api/notices/inbox', { session: admin })],
  [
    4,
    'notice send',
    () =>
      call('POST', '/api/notices', {
        session: admin,
        body: {
          title: '压测通知',
          body: '请确认收到',
          priority: 'general',
          target: { mode: 'chosen', orgIds: [village.id] },
        },
      }),
  ],
  [
    6,
    'order create',
    () =>
      call('POST', '/api/orders', {
        session: admin,
        body: { source: 'party_gov', category: 'livelihood', title: '压测工单', orgId: village.id },
      }),
  ],
  [8, 'order list', () => call('GET', '/api/orders?pageSize=20', { session: admin })],
  [
    qr ? 10 : 0,
    'qr register',
    () =>
      call('POST', `/api/qr/${qr}/register`, {
        body: {
          name: '压测青年',
          phone: `137${String(phoneSeq++ % 1e8).padStart(8, '0')}`,
          birthDate: '2001-05-20',
          consent: true,
          consentVersion: qrInfo?.consentVersion ?? 'v1',
          submissionId: crypto.randomBytes(12).toString('hex'),
        },
      }),
  ],
  [
    venue ? 8 : 0,
    'booking',
    () => {
      const day = 2 + Math.floor(Math.random() * 5);
      const start = new Date(
        Math.floor(Date.now() / 86_400_000 + day) * 86_400_000 + (1 + Math.floor(Math.random() * 8)) * 3_600_000,
      );
      return call('POST', `/api/venues/${venue.id}/bookings`, {
        session: admin,
        body: {
          orgId: rootOrgId,
          purpose: '压测',
          start: start.toISOString(),
          end: new Date(start.getTime() + 3_600_000).toISOString(),
        },
      });
    },
  ],
  [10, 'people list', () => call('GET', '/api/people?pageSize=20', { session: admin })],
  [
    signupToken ? 8 : 0,
    'activity sign-up',
    () =>
      call('POST', `/api/public/activity-qr/${signupToken}/signups`, {
        body: { name: '压测报名', phone: `136${String(phoneSeq++ % 1e8).padStart(8, '0')}` },
      }),
  ],
  [4, 'health', () => call('GET', '/api/health')],
].filter(([w]) => w > 0);
const totalWeight = ops.reduce((s, [w]) => s + w, 0);
function pick() {
  let r = Math.random() * totalWeight;
  for (const op of ops) {
    r -= op[0];
    if (r < 0) return op;
  }
  return ops[0];
}

const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;

// Capacity probe: closed loop, `concurrency` workers.
let probeCount = 0;
{
  const until = Date.now() + probeS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await pick()[2]();
        probeCount++;
      }
    }),
  );
}
const capacity = probeCount / probeS;
const rate = capacity / 2;
console.error(
  `soak: capacity ≈ ${capacity.toFixed(1)} req/s with ${concurrency} workers; soaking at ${rate.toFixed(1)} req/s for ${durationS} s`,
);

// Open loop at half capacity.
const windows = [];
let current = { n: 0, s5xx: 0, statuses: {}, lat: [], byOp: {} };
const all5xx = [];
const perOp = {};
const t0 = Date.now();
let next = t0;
const inflight = new Set();
const sampler = setInterval(() => {
  const w = current;
  w.lat.sort((a, b) => a - b);
  windows.push({
    t: Math.round((Date.now() - t0) / 1000),
    requests: w.n,
    rps: Number((w.n / windowS).toFixed(1)),
    s5xx: w.s5xx,
    p50: Math.round(pct(w.lat, 50)),
    p99: Math.round(pct(w.lat, 99)),
    rssMb: Math.round(rssMb()),
    statuses: w.statuses,
  });
  console.error(
    `soak: t=${windows.at(-1).t}s  ${windows.at(-1).rps} req/s  5xx=${w.s5xx}  p50=${windows.at(-1).p50} ms  p99=${windows.at(-1).p99} ms  rss=${windows.at(-1).rssMb} MB`,
  );
  current = { n: 0, s5xx: 0, statuses: {}, lat: [], byOp: {} };
}, windowS * 1000);
while (Date.now() - t0 < durationS * 1000) {
  next += 1000 / rate;
  const wait = next - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  if (inflight.size > 200) continue; // the server fell far behind: do not pile up sockets
  const [, name, fn] = pick();
  const p = fn().then((res) => {
    const w = current;
    w.n++;
    w.lat.push(res.ms);
    w.statuses[res.status] = (w.statuses[res.status] ?? 0) + 1;
    perOp[name] = perOp[name] ?? { ms: [], statuses: {} };
    perOp[name].ms.push(res.ms);
    perOp[name].statuses[res.status] = (perOp[name].statuses[res.status] ?? 0) + 1;
    if (res.status >= 500 || res.status < 0) {
      w.s5xx++;
      all5xx.push({ op: name, status: res.status, body: JSON.stringify(res.json)?.slice(0, 200) });
    }
    inflight.delete(p);
  });
  inflight.add(p);
}
await Promise.all(inflight);
clearInterval(sampler);

const warm = windows.filter((w) => w.t >= Math.min(60, durationS * 0.25));
const rssAfterWarmup = warm[0]?.rssMb ?? windows[0]?.rssMb;
const rssEnd = windows.at(-1)?.rssMb;
// RSS is a saw-tooth (V8 grows its heap until a major GC), so one sample at each end measures where the GC happened
// to be, not growth (±15 % between neighbouring windows here). Growth is the median of the last third of the
// windows after warm-up against the median of the first third.
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const third = Math.max(1, Math.floor(warm.length / 3));
const rssEarlyMedian = median(warm.slice(0, third).map((w) => w.rssMb));
const rssLateMedian = median(warm.slice(-third).map((w) => w.rssMb));
const p99s = warm.map((w) => w.p99);
const summary = {
  db: values.db,
  durationS,
  capacityRps: Number(capacity.toFixed(1)),
  rateRps: Number(rate.toFixed(1)),
  requests: windows.reduce((s, w) => s + w.requests, 0),
  count5xx: all5xx.length,
  p99FirstAfterWarmupMs: p99s[0],
  p99LastMs: p99s.at(-1),
  p99MaxMs: Math.max(...p99s),
  rssAfterWarmupMb: rssAfterWarmup,
  rssEndMb: rssEnd,
  rssSampleGrowthPct: Number((((rssEnd - rssAfterWarmup) / rssAfterWarmup) * 100).toFixed(1)),
  rssEarlyMedianMb: rssEarlyMedian,
  rssLateMedianMb: rssLateMedian,
  rssGrowthPct: Number((((rssLateMedian - rssEarlyMedian) / rssEarlyMedian) * 100).toFixed(1)),
  rssMinMaxAfterWarmupMb: [Math.min(...warm.map((w) => w.rssMb)), Math.max(...warm.map((w) => w.rssMb))],
  statuses: windows.reduce((acc, w) => {
    for (const [k, v] of Object.entries(w.statuses)) acc[k] = (acc[k] ?? 0) + v;
    return acc;
  }, {}),
  first5xx: all5xx.slice(0, 5),
  perOp: Object.fromEntries(
    Object.entries(perOp).map(([k, { ms, statuses }]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return [k, { n: ms.length, p50: Math.round(pct(sorted, 50)), p99: Math.round(pct(sorted, 99)), statuses }];
    }),
  ),
  windows,
};
console.log(JSON.stringify(summary, null, 2));
if (values.json) fs.writeFileSync(values.json, JSON.stringify(summary, null, 2));
await cleanup();
process.exit(all5xx.length ? 1 : 0);
