/**
 * A notice to a province-sized subtree: 100,000 receiving orgs (100 towns × 20 villages × 49 grid
 * branches, each with its cadre account), sent through the real service (`sendNotice`): time from
 * the call to every receipt row persisted (one transaction), and to every connected listener pushed
 * (N in-process listeners on the live hub). Baseline in the same run: a raw COPY of the same number
 * of finished receipt rows into the same table (same indexes).
 *
 *   npx tsx bench/notice.ts                    # PGlite (in memory)
 *   npx tsx bench/notice.ts --db postgresql    # TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 *   options: --towns 100 --villages 20 --grids 49 --listeners 2000
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../server/config.ts';
import { Database } from '../server/db/client.ts';
import { many, one } from '../server/db/sql.ts';
import { JobQueue } from '../server/jobs/queue.ts';
import type { Actor } from '../server/lib/actor.ts';
import { createDistrictWithRoot } from '../server/modules/districts/districts.service.ts';
import { channelsFromConfig } from '../server/modules/notices/channels.ts';
import { NoticeHub } from '../server/modules/notices/notice-hub.ts';
import { type NoticeRuntime, sendNotice } from '../server/modules/notices/notices.service.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    towns: { type: 'string', default: '100' },
    villages: { type: 'string', default: '20' },
    grids: { type: 'string', default: '49' },
    listeners: { type: 'string', default: '2000' },
  },
});
const TOWNS = Number(values.towns);
const VILLAGES = Number(values.villages);
const GRIDS = Number(values.grids);
const LISTENERS = Number(values.listeners);

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

/** One level of the synthetic tree: `per` children of every org at `parentDepth`, paths set after insertion. */
async function addLevel(database: Database, districtId: number, parentDepth: number, kind: string, per: number) {
  await database.db.execute(sql`
    INSERT INTO orgs (district_id, parent_id, kind, name, hierarchical, path, depth, name_pinyin, name_initials)
    SELECT ${districtId}, p.id, ${kind}, ${kind} || '-' || p.id || '-' || g, true, '', ${parentDepth + 1}, 'x', 'x'
    FROM orgs p CROSS JOIN generate_series(1, ${per}) g
    WHERE p.district_id = ${districtId} AND p.depth = ${parentDepth}`);
  await database.db.execute(sql`
    UPDATE orgs o SET path = p.path || o.id || '/' FROM orgs p
    WHERE o.parent_id = p.id AND o.district_id = ${districtId} AND o.path = ''`);
}

const { database, drop } = await open();
try {
  await database.migrate();
  const setupStarted = performance.now();
  const { districtId, root } = await createDistrictWithRoot(database.db, null, '990001', '基准省');
  await addLevel(database, districtId, 0, 'town_committee', TOWNS);
  await addLevel(database, districtId, 1, 'village_branch', VILLAGES);
  await addLevel(database, districtId, 2, 'grid_branch', GRIDS);
  // A cadre for every org (the responsible one), and the sender.
  await database.db.execute(sql`
    INSERT INTO accounts (district_id, org_id, username, display_name, role, password_hash, must_change_password)
    SELECT ${districtId}, o.id, 'c' || o.id, '干部' || o.id,
           CASE WHEN o.depth = 3 THEN 'grid_leader' ELSE 'org_admin' END, 'x', false
    FROM orgs o WHERE o.district_id = ${districtId} AND o.depth > 0`);
  const sender = await one<{ id: number }>(
    database.db,
    sql`INSERT INTO accounts (district_id, org_id, username, display_name, role, password_hash, must_change_password)
        VALUES (${districtId}, ${root.id}, 'bench_admin', '基准', 'district_admin', 'x', false) RETURNING id`,
  );
  await database.db.execute(sql`ANALYZE`);
  const expected = TOWNS + TOWNS * VILLAGES + TOWNS * VILLAGES * GRIDS;
  const setupMs = performance.now() - setupStarted;

  const hub = new NoticeHub();
  const rt: NoticeRuntime = {
    database,
    hub,
    channels: channelsFromConfig(loadConfig({})),
    jobs: new JobQueue(database, { pollMs: 0 }),
    now: () => new Date(),
  };
  const actor: Actor = {
    accountId: sender!.id,
    username: 'bench_admin',
    role: 'district_admin',
    districtId,
    orgId: root.id,
    scopePath: root.path,
    mustChangePassword: false,
    lang: 'en',
    ip: '127.0.0.1',
  };
  const input = (title: string) => ({
    title,
    body: 'Typhoon warning: every grid on duty by 20:00.',
    priority: 'urgent' as const,
    target: { mode: 'subtree' as const, includeGrids: true },
    attachments: [],
  });

  // Warm-up on a small subtree (plans, JIT), not measured.
  const firstTown = (await one<{ id: number }>(
    database.db,
    sql`SELECT id FROM orgs WHERE depth = 1 ORDER BY id LIMIT 1`,
  ))!;
  const warm = await sendNotice(rt, actor, {
    ...input('warm-up'),
    target: { mode: 'subtree', rootOrgId: firstTown.id, includeGrids: true },
  });

  // Baseline first (so the service's runs find a table at least as full): a raw COPY of the same
  // number of finished receipt rows into the same table, same indexes.
  let t0: number;
  const deadline = new Date(Date.now() + 180_000).toISOString();
  const targets = await many<{ org_id: number; level: string; acc: number }>(
    database.db,
    sql`SELECT o.id AS org_id, CASE o.depth WHEN 1 THEN 'town' WHEN 2 THEN 'village' ELSE 'grid' END AS level,
               a.id AS acc
        FROM orgs o JOIN accounts a ON a.org_id = o.id AND a.username LIKE 'c%'
        WHERE o.district_id = ${districtId} AND o.depth > 0 ORDER BY o.id`,
  );
  const text = `${targets.map((r) => [districtId, warm.id, r.org_id, r.level, `{${r.acc}}`, deadline].join('\t')).join('\n')}\n`;
  const columns = 'district_id, notice_id, org_id, level, responsible_account_ids, deadline_at';
  t0 = performance.now();
  if (database.pglite) {
    await database.pglite.query(`COPY notice_targets (${columns}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
  } else {
    const client = await database.pool!.connect();
    try {
      await pipeline(Readable.from([text]), client.query(copyFrom(`COPY notice_targets (${columns}) FROM STDIN`)));
    } finally {
      client.release();
    }
  }
  const copyMs = performance.now() - t0;

  // 1. Nobody connected: from the call to every receipt row committed (plus reading the notice back).
  t0 = performance.now();
  const a = await sendNotice(rt, actor, input('persist only'));
  const persistMs = performance.now() - t0;
  if (a.targetCount !== expected) throw new Error(`expected ${expected} targets, got ${a.targetCount}`);

  // 2. N listeners connected (accounts spread over the tree): until the last one got its event.
  const listenerAccounts = await many<{ id: number }>(
    database.db,
    sql`SELECT id FROM accounts WHERE district_id = ${districtId} AND username LIKE 'c%'
        ORDER BY md5(id::text) LIMIT ${LISTENERS}`,
  );
  let pushed = 0;
  let lastPushAt = 0;
  for (const l of listenerAccounts) {
    hub.subscribe(l.id, (e) => {
      if (e.type === 'notice') {
        pushed++;
        lastPushAt = performance.now();
      }
    });
  }
  t0 = performance.now();
  const b = await sendNotice(rt, actor, input('persist and push'));
  const sendAndPushMs = performance.now() - t0;
  const pushDoneMs = lastPushAt - t0;
  if (pushed !== listenerAccounts.length) throw new Error(`pushed ${pushed} of ${listenerAccounts.length}`);
  const rows = await one<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM notice_targets WHERE notice_id = ${b.id}`,
  );

  const result = {
    bench: 'notice',
    db: values.db,
    targets: expected,
    rowsPersisted: rows?.n ?? 0,
    listeners: listenerAccounts.length,
    pushed,
    setupSeconds: +(setupMs / 1000).toFixed(1),
    persistMs: Math.round(persistMs),
    sendAndPushMs: Math.round(sendAndPushMs),
    pushDoneMs: Math.round(pushDoneMs),
    copyMs: Math.round(copyMs),
    ratioPersistToCopy: +(persistMs / copyMs).toFixed(2),
    ratioSendAndPushToCopy: +(sendAndPushMs / copyMs).toFixed(2),
    urgentDeadlineMarginX: +(180_000 / sendAndPushMs).toFixed(0),
    node: process.version,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.table([
    { step: `sendNotice → ${expected} receipt rows committed (nobody connected)`, ms: result.persistMs },
    { step: `sendNotice → rows committed + ${result.listeners} listeners pushed`, ms: result.sendAndPushMs },
    { step: '  of which: last listener pushed at', ms: result.pushDoneMs },
    { step: `baseline: raw COPY of ${expected} receipt rows`, ms: result.copyMs },
    { step: 'ratio persist / COPY', ms: result.ratioPersistToCopy },
    { step: 'ratio send+push / COPY', ms: result.ratioSendAndPushToCopy },
  ]);
  const out = path.resolve('bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, `notice-${values.db}.json`), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
} finally {
  await drop();
}
