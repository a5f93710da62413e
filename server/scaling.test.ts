/**
 * Beyond one machine (issue 10): two real `jingwei serve` processes on different ports against ONE PostgreSQL
 * database. A session made on one is valid on the other (sessions are rows, the servers keep no state), a notice
 * sent through one is pushed to a live stream open on the other (PostgreSQL LISTEN/NOTIFY relay), and background
 * jobs polled by both run exactly once (SELECT … FOR UPDATE SKIP LOCKED). PostgreSQL only: PGlite is one process.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Database } from './db/client.ts';
import { many } from './db/sql.ts';
import { buildWorld, PASSWORD } from './test/factories.ts';
import { httpLogin, type ServerProcess, startServer } from './test/server-process.ts';

const onPostgres = process.env.JW_TEST_DB === 'postgresql';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let database: Database;
let admin: Database;
let dbName = '';
let servers: ServerProcess[] = [];
let world: Awaited<ReturnType<typeof buildWorld>>;

describe.skipIf(!onPostgres)('two app servers, one PostgreSQL', () => {
  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL!;
    dbName = `jw_scale_${crypto.randomBytes(4).toString('hex')}`;
    admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${inject('postgresTemplate')}`);
    const u = new URL(url);
    u.pathname = `/${dbName}`;
    database = await Database.open({ kind: 'postgresql', url: u.toString(), poolSize: 2 });
    world = await buildWorld(database);
    const env = {
      DATABASE_URL: u.toString(),
      JINGWEI_DATA_KEY: 'a'.repeat(64),
      JINGWEI_INDEX_KEY: 'b'.repeat(64),
      JINGWEI_WEB_DIST: '/nonexistent',
      JINGWEI_JOB_POLL_MS: '50',
      JINGWEI_LOGIN_RATE_LIMIT: '100000',
    };
    servers = await Promise.all([startServer(env), startServer(env)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.close();
    if (dbName) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin?.close();
  });

  it('accepts a session made on one server on the other', async () => {
    const [a, b] = servers;
    const session = await httpLogin(a.url, 'admin_a', PASSWORD);
    const me = await fetch(`${b.url}/api/me`, { headers: { cookie: session.cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { account: { username: string } }).account.username).toBe('admin_a');
    // A write with the CSRF token of the session, answered by the other server.
    const org = await fetch(`${b.url}/api/orgs`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ parentId: world.t1.id, kind: 'village_branch', name: '跨服务器村团总支' }),
    });
    expect(org.status).toBe(201);
    // Logging out on B ends the session on A too.
    const out = await fetch(`${b.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(out.status).toBeLessThan(300);
    expect((await fetch(`${a.url}/api/me`, { headers: { cookie: session.cookie } })).status).toBe(401);
  });

  it('pushes a notice sent on one server to a stream open on the other', async () => {
    const [a, b] = servers;
    const leader = await httpLogin(b.url, 'v1_leader', PASSWORD);
    const res = await fetch(`${b.url}/api/notices/stream`, {
      headers: { cookie: leader.cookie, accept: 'text/event-stream' },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const events: any[] = [];
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, i)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(i + 2);
          if (data) events.push(JSON.parse(data.slice(6)));
        }
      }
    })();
    const waitFor = async (pred: (e: any) => boolean, ms = 10_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const found = events.find(pred);
        if (found) return found;
        await sleep(25);
      }
      throw new Error(`event not received; got ${JSON.stringify(events)}`);
    };
    try {
      await waitFor((e) => e.type === 'ready');
      const sender = await httpLogin(a.url, 'admin_a', PASSWORD);
      const sent = await fetch(`${a.url}/api/notices`, {
        method: 'POST',
        headers: { cookie: sender.cookie, 'x-csrf-token': sender.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: '跨服务器紧急通知',
          body: '两台服务器之间的推送',
          priority: 'urgent',
          target: { mode: 'chosen', orgIds: [world.v1.id] },
        }),
      });
      expect(sent.status, await sent.clone().text()).toBe(201);
      const { id } = (await sent.json()) as { id: number };
      const pushed = await waitFor((e) => e.type === 'notice' && e.noticeId === id);
      expect(pushed).toMatchObject({ title: '跨服务器紧急通知', priority: 'urgent' });
    } finally {
      await reader.cancel().catch(() => {});
      await pump;
    }
  });

  it('runs each background job exactly once with both servers polling', async () => {
    // 60 due jobs of a kind both servers handle (deadline of a notice that does not exist: a no-op run).
    const N = 60;
    const values = Array.from(
      { length: N },
      (_, i) => sql`('notice.deadline', ${JSON.stringify({ noticeId: 900_000_000 + i, level: 1 })}::jsonb, now())`,
    );
    await database.db.execute(sql`INSERT INTO jobs (kind, payload, run_at) VALUES ${sql.join(values, sql`, `)}`);
    const end = Date.now() + 30_000;
    let rows: { attempts: number; done: boolean }[] = [];
    while (Date.now() < end) {
      rows = await many(
        database.db,
        sql`SELECT attempts, done_at IS NOT NULL AS done FROM jobs WHERE (payload->>'noticeId')::bigint >= 900000000`,
      );
      if (rows.length === N && rows.every((r) => r.done)) break;
      await sleep(100);
    }
    expect(rows).toHaveLength(N);
    // Marking done increments attempts in the job's own transaction: a second run would leave 2.
    expect(rows.every((r) => r.done && r.attempts === 1)).toBe(true);
  });
});
