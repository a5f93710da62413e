/**
 * Crash tests (issue 11), loopback only, bounded: a real `jingwei serve` is killed with SIGKILL while a
 * spreadsheet import, 30 concurrent venue bookings for overlapping slots, a notice fan-out to the whole
 * demo district, a burst of acknowledgements and the deadline jobs are all in flight; it is restarted on
 * the same database and the invariants are checked:
 *
 * - no partial import: the import's people are all there or none is;
 * - no double booking: no two live bookings of one venue overlap;
 * - no lost answer: every booking answered 201 and every acknowledgement answered 200 before the kill is
 *   in the database after it;
 * - no partial fan-out: every notice has all its receipts (as many as a notice sent without a crash) and
 *   its first deadline job;
 * - no job run twice: at most one deadline job per notice and level, every receipt escalated at most once
 *   per level (the unique index would refuse a second run; a job half-run is rolled back with its effects).
 *
 * On PGlite (JINGWEI_DATA_DIR) by default; on PostgreSQL with JW_TEST_DB=postgresql and TEST_DATABASE_URL
 * (a fresh database per run). Three rounds with different kill delays. Runs in `npm run test:trust`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/client.ts';
import { withDatabase } from '../test/global-setup.ts';
import { httpLogin, type ServerProcess, startServer } from '../test/server-process.ts';

const onPostgres = process.env.JW_TEST_DB === 'postgresql';
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-trust-crash-'));
const dbName = `jw_crash_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
const PASSWORD = 'Crash2026pw';
const IMPORT_ROWS = 4000;
/** Kill after a delay, or as soon as the first answers of a kind arrived (some work done, more in flight). */
type Round = { name: string; killAfterMs: number; killWhen?: 'booked' | 'acked' };
const ROUNDS: Round[] = [
  { name: 'early', killAfterMs: onPostgres ? 350 : 1500 },
  { name: 'after the first booking answers', killAfterMs: 30_000, killWhen: 'booked' },
  { name: 'after the first acknowledgements', killAfterMs: 30_000, killWhen: 'acked' },
];

const env: Record<string, string> = {
  JINGWEI_DATA_DIR: dataDir,
  JINGWEI_DEMO_PASSWORD: PASSWORD,
  JINGWEI_DEMO: 'true',
  JINGWEI_JOB_POLL_MS: '200',
  JINGWEI_LOGIN_RATE_LIMIT: '1000',
  ...(onPostgres ? { DATABASE_URL: withDatabase(serverUrl, dbName) } : {}),
};

let server: ServerProcess | undefined;
let admin: Database | undefined;

beforeAll(async () => {
  if (onPostgres) {
    admin = await Database.open({ kind: 'postgresql', url: serverUrl, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${dbName}`);
  }
});
afterAll(async () => {
  await server?.stop();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Direct database access for the checks: PostgreSQL beside the server; PGlite only while no server runs. */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = onPostgres
    ? await Database.open({ kind: 'postgresql', url: env.DATABASE_URL, poolSize: 2 })
    : await Database.open({ kind: 'pglite', dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function killHard(s: ServerProcess) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGKILL');
  await exited;
}

type Session = { cookie: string; csrfToken: string };
let session: Session;

async function api(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server!.url}${url}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }),
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

function ledgerCsv(round: number, gridCode: string) {
  const lines = ['姓名,出生日期,手机号,网格编码'];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const phone = `139${String(round * 100000 + i).padStart(8, '0')}`;
    lines.push(`断电青年${round}_${i},2000-01-${String((i % 28) + 1).padStart(2, '0')},${phone},${gridCode}`);
  }
  return lines.join('\n');
}

/** The first bookable slots of a venue: consecutive 30-minute slots at the start of an opening span. */
function slotsOf(venue: any, count: number): { start: string; end: string }[] {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  for (let d = 2; d <= Math.max(2, venue.advanceDays); d++) {
    const day = new Date(Date.now() + 8 * 3600_000 + d * 86_400_000); // Asia/Shanghai calendar date
    const weekday = days[(day.getUTCDay() + 6) % 7];
    const span = (venue.openingHours[weekday] ?? []).find((s: any) => {
      const [fh, fm] = s.from.split(':').map(Number);
      const [th, tm] = s.to.split(':').map(Number);
      return th * 60 + tm - (fh * 60 + fm) >= 30 * count;
    });
    if (!span) continue;
    const [fh, fm] = span.from.split(':').map(Number);
    const date = day.toISOString().slice(0, 10);
    const base = Date.parse(`${date}T${String(fh).padStart(2, '0')}:${String(fm).padStart(2, '0')}:00+08:00`);
    return Array.from({ length: count }, (_, i) => ({
      start: new Date(base + i * 30 * 60_000).toISOString(),
      end: new Date(base + (i + 1) * 30 * 60_000).toISOString(),
    }));
  }
  throw new Error(`venue ${venue.id} has no free opening span`);
}

describe(`kill -9 during import, bookings, fan-out, acknowledgements and deadline jobs (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('keeps every invariant across three crashes', async () => {
    server = await startServer(env, 300_000);
    session = await httpLogin(server.url, 'admin', PASSWORD);
    const me = await api('GET', '/api/me');
    const districtId = me.json.account.districtId as number;
    const rootOrgId = me.json.account.orgId as number;
    const grids = await api('GET', '/api/grids?pageSize=1');
    const gridCode = grids.json.items[0].code as string;
    const venues = await api('GET', '/api/venues?pageSize=50');
    const venue = venues.json.items.find((v: any) => v.active && v.bookableBy === 'district') ?? venues.json.items[0];
    expect(districtId).toBeGreaterThan(0);
    const settings = await api('PUT', '/api/notices/settings', { urgentSeconds: 2 });
    expect(settings.status, settings.text).toBe(200);
    const notice = (title: string) =>
      api('POST', '/api/notices', {
        title,
        body: '断电演练',
        priority: 'urgent',
        target: { mode: 'subtree', rootOrgId, includeGrids: true },
      });
    // A notice sent without a crash: how many receipts a complete fan-out has, and targets to acknowledge.
    const reference = await notice('参照通知');
    expect(reference.status).toBe(201);
    const referenceId = reference.json.id as number;
    const { fullTargets, ackable, imported } = await withDbWhileServing(async (db) => {
      const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notice_targets WHERE notice_id = $1', [
        referenceId,
      ]);
      const [p] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM people WHERE source = 'import'`);
      const targets = await db.query<{ id: string }>(
        `SELECT t.id::text AS id FROM notice_targets t WHERE t.notice_id = $1 AND t.org_id <> $2 ORDER BY t.id LIMIT 150`,
        [referenceId, rootOrgId],
      );
      return { fullTargets: r.n, ackable: targets, imported: p.n };
    });
    expect(fullTargets).toBeGreaterThan(100);
    const acked = new Set<string>();
    const booked = new Set<number>();
    let importsBefore = imported;
    for (const [r, round] of ROUNDS.entries()) {
      const slots = slotsOf(venue, 10);
      const inFlight: Promise<unknown>[] = [];
      // 1. the import (4,000 rows, one transaction)
      inFlight.push(
        api(
          'POST',
          `/api/people/imports?orgId=${rootOrgId}&mode=valid&fileName=crash${r}.csv`,
          ledgerCsv(r, gridCode),
          { 'content-type': 'text/csv' },
        ).catch(() => null),
      );
      // 2. 30 concurrent bookings: three requests for each of 10 slots, shifted so that neighbours overlap
      for (let i = 0; i < 30; i++) {
        const s = slots[i % 10];
        const shift = (Math.floor(i / 10) * 10 * 60_000) as number;
        const start = new Date(Date.parse(s.start) + shift).toISOString();
        const end = new Date(Date.parse(s.end) + shift).toISOString();
        inFlight.push(
          api('POST', `/api/venues/${venue.id}/bookings`, {
            orgId: rootOrgId,
            purpose: `断电预订${r}-${i}`,
            start,
            end,
          })
            .then((res) => {
              if (res.status === 201) booked.add(res.json.id);
            })
            .catch(() => null),
        );
      }
      // 3. a fan-out to the whole district, twice
      inFlight.push(
        notice(`断电通知${r}a`).catch(() => null),
        notice(`断电通知${r}b`).catch(() => null),
      );
      // 4. 50 acknowledgements of the reference notice
      for (const t of ackable.slice(r * 50, r * 50 + 50)) {
        inFlight.push(
          api('POST', `/api/notices/targets/${t.id}/ack`, {})
            .then((res) => {
              if (res.status === 200) acked.add(t.id);
            })
            .catch(() => null),
        );
      }
      const bookedBefore = booked.size;
      const ackedBefore = acked.size;
      const until = Date.now() + round.killAfterMs;
      while (Date.now() < until) {
        if (round.killWhen === 'booked' && booked.size > bookedBefore) break;
        if (round.killWhen === 'acked' && acked.size > ackedBefore) break;
        await new Promise((res) => setTimeout(res, round.killWhen ? 10 : round.killAfterMs));
      }
      await killHard(server);
      await Promise.allSettled(inFlight);

      // Reopen the database the killed server left (PGlite: recovery from its data directory), check, then
      // restart the server for the next round (its deadline jobs run there; the final check follows the loop).
      await withDb(async (db) => {
        const [imp] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM people WHERE source = 'import'`);
        // The import's record is written in its transaction with its counts: people added = its `created`,
        // or no record and no one added.
        const [rec] = await db.query<{ n: number; created: number }>(
          `SELECT count(*)::int AS n, coalesce(sum(created), 0)::int AS created FROM people_imports WHERE file_name = $1`,
          [`crash${r}.csv`],
        );
        expect(imp.n - importsBefore, `round ${round.name}: import all or nothing`).toBe(rec.created);
        if (rec.n) expect(rec.created).toBeGreaterThan(IMPORT_ROWS * 0.9);
        importsBefore = imp.n;
        const overlaps = await db.query<{ a: number; b: number }>(
          `SELECT a.id AS a, b.id AS b FROM venue_bookings a JOIN venue_bookings b
             ON a.venue_id = b.venue_id AND a.id < b.id AND a.period && b.period
            WHERE a.status IN ('requested', 'approved') AND b.status IN ('requested', 'approved')`,
        );
        expect(overlaps, `round ${round.name}: double booking`).toEqual([]);
        const bookings = await db.query<{ id: number }>('SELECT id FROM venue_bookings WHERE id = ANY($1::int[])', [
          [...booked],
        ]);
        expect(bookings.length, `round ${round.name}: a 201 booking was lost`).toBe(booked.size);
        const acks = await db.query<{ id: string }>(
          'SELECT id::text AS id FROM notice_targets WHERE id = ANY($1::bigint[]) AND acknowledged_at IS NOT NULL',
          [[...acked]],
        );
        expect(acks.length, `round ${round.name}: an acknowledged receipt was lost`).toBe(acked.size);
        const partial = await db.query<{ id: number; n: number }>(
          // Only the notices of this test (the demo district comes with notices of its own, to fewer targets).
          `SELECT n.id, count(t.id)::int AS n FROM notices n LEFT JOIN notice_targets t ON t.notice_id = n.id
            WHERE n.id >= $2 GROUP BY n.id HAVING count(t.id) <> $1`,
          [fullTargets, referenceId],
        );
        expect(partial, `round ${round.name}: a notice without all its receipts`).toEqual([]);
        const withoutJob = await db.query<{ id: number }>(
          `SELECT n.id FROM notices n WHERE n.id >= $1 AND NOT EXISTS (
             SELECT 1 FROM jobs j WHERE j.kind LIKE 'notice%' AND (j.payload->>'noticeId')::int = n.id
               AND (j.payload->>'level')::int = 1)`,
          [referenceId],
        );
        expect(withoutJob, `round ${round.name}: a notice without its deadline job`).toEqual([]);
        const twice = await db.query<{ notice: string; level: string; n: number }>(
          `SELECT payload->>'noticeId' AS notice, payload->>'level' AS level, count(*)::int AS n FROM jobs
            WHERE kind LIKE 'notice%' GROUP BY 1, 2 HAVING count(*) > 1`,
        );
        expect(twice, `round ${round.name}: a deadline job scheduled twice`).toEqual([]);
        const escalatedTwice = await db.query<{ target_id: string }>(
          `SELECT target_id::text FROM notice_escalations GROUP BY target_id, level HAVING count(*) > 1`,
        );
        expect(escalatedTwice).toEqual([]);
        // Every receipt escalated at a level has exactly one escalation row for it (none lost with the crash).
        const mismatch = await db.query<{ id: string }>(
          `SELECT t.id::text AS id FROM notice_targets t
            WHERE t.escalation_level > 0
              AND (SELECT count(*) FROM notice_escalations e WHERE e.target_id = t.id) <> t.escalation_level`,
        );
        expect(mismatch).toEqual([]);
        const audit = await db.query<{ ok: boolean }>(
          `SELECT bool_and(hash = sha256(prev_hash || convert_to(jsonb_build_array(id, chain, chain_seq, district_id,
             account_id, username, action, entity, entity_id, before, after, ip,
             (extract(epoch FROM at) * 1000000)::bigint)::text, 'UTF8'))) AS ok FROM audit_log`,
        );
        expect(audit[0].ok, 'audit chain intact after the crash').toBe(true);
        const [stats] = await db.query<Record<string, number>>(
          `SELECT (SELECT count(*)::int FROM notices) AS notices, (SELECT count(*)::int FROM notice_escalations) AS escalations,
                  (SELECT count(*)::int FROM jobs WHERE done_at IS NOT NULL) AS jobs_done`,
        );
        console.log(
          `crash round "${round.name}" (${onPostgres ? 'PostgreSQL' : 'PGlite'}): import committed=${rec.n > 0} ` +
            `(+${rec.created}), bookings answered 201 so far=${booked.size}, acks answered 200 so far=${acked.size}, ` +
            `notices=${stats.notices}, escalations=${stats.escalations}, jobs done=${stats.jobs_done}`,
        );
      });
      server = await startServer(env, 300_000);
      session = await httpLogin(server.url, 'admin', PASSWORD);
    }
    // After the last restart the pending deadline jobs run once more: still no job twice, no double escalation.
    await new Promise((res) => setTimeout(res, 4000));
    if (!onPostgres) await server.stop();
    await withDb(async (db) => {
      const twice = await db.query(
        `SELECT payload->>'noticeId', payload->>'level', count(*) FROM jobs WHERE kind LIKE 'notice%'
          GROUP BY 1, 2 HAVING count(*) > 1`,
      );
      expect(twice).toEqual([]);
      const mismatch = await db.query(
        `SELECT t.id FROM notice_targets t WHERE t.escalation_level > 0
            AND (SELECT count(*) FROM notice_escalations e WHERE e.target_id = t.id) <> t.escalation_level`,
      );
      expect(mismatch).toEqual([]);
    });
    expect(acked.size + booked.size).toBeGreaterThan(0);
  }, 900_000);
});

/** PGlite cannot be opened beside the running server: stop it, query, start again. */
async function withDbWhileServing<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (onPostgres) return withDb(fn);
  await server!.stop();
  try {
    return await withDb(fn);
  } finally {
    server = await startServer(env, 300_000);
    session = await httpLogin(server.url, 'admin', PASSWORD);
  }
}
