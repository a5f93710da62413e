/**
 * Org tree and district overview at full scale (Keqiao: 20 towns, 1,217 grids, 138,723 youth, a year of
 * activities, orders, notices, venues and funds from the full demo seed).
 *
 * - tree: the org tree with every roll-up counter (what the org page and the dashboard read), against a naive
 *   recursive-CTE count per org over the same data (baseline in the same run);
 * - dashboard: the district overview (the workbench, `GET /api/dashboard/overview` through the real app), each of
 *   its parts timed on its own (subject org, org tree, grid statistics, child orgs, and every module section), against
 *   the same numbers computed by plain GROUP BY over the base tables — and checks that the numbers are equal: per town
 *   youth, members and grids, and per town and for the district the activities section (activities held, summarised,
 *   published, participation rate), the orders section (orders by state, open) and the notices section (receipts,
 *   on-time).
 *
 *   npm run bench -- dashboard [--db postgresql] [--runs 20] [--keep jw_bench_dashboard]
 * `--keep <name>` (PostgreSQL) keeps the seeded database under that name and reuses it on the next run (migrations
 * are applied again, so a new migration is measured on the same data); drop it with `DROP DATABASE <name>`.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { Database } from '../server/db/client.ts';
import { many, one } from '../server/db/sql.ts';
import type { Actor } from '../server/lib/actor.ts';
import { PiiCipher } from '../server/lib/crypto.ts';
import { getDashboardSections, type SectionScope } from '../server/modules/dashboard/dashboard.sections.ts';
import { getOverview } from '../server/modules/dashboard/dashboard.service.ts';
import { getGridMap } from '../server/modules/dashboard/dashboard-map.ts';
import { getGridRollups } from '../server/modules/grids/grids.dashboard.ts';
import { listChildOrgs } from '../server/modules/grids/grids.repository.ts';
import { getGridStats, resolveSubjectOrg } from '../server/modules/grids/grids.service.ts';
import { findRootOrg } from '../server/modules/orgs/orgs.repository.ts';
import { getOrgCounters, getOrgTree } from '../server/modules/orgs/orgs.service.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { openBenchDatabase, overviewGroupBy, timeIt, writeResult } from './_lib.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    runs: { type: 'string', default: '20' },
    keep: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const load0 = os.loadavg();

/** A fresh database, or (PostgreSQL, --keep) the kept one: `seeded` says whether the demo is already in it. */
async function open(): Promise<{ database: Database; drop: () => Promise<void>; seeded: boolean }> {
  const keep = values.keep;
  if (!keep) return { ...(await openBenchDatabase(values.db!)), seeded: false };
  if (values.db !== 'postgresql') throw new Error('--keep needs --db postgresql');
  if (!/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error('--keep: a lower-case database name');
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
  const [{ n }] = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [
    keep,
  ]);
  if (n === 0) await admin.query(`CREATE DATABASE ${keep}`);
  await admin.close();
  const u = new URL(url);
  u.pathname = `/${keep}`;
  const database = await Database.open({ kind: 'postgresql', url: u.toString() });
  let seeded = false;
  if (n > 0) {
    const r = await database.query<{ t: string | null }>(`SELECT to_regclass('public.districts')::text AS t`);
    if (r[0].t) seeded = (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM districts'))[0].n > 0;
  }
  return { database, drop: () => database.close(), seeded };
}

const { database, drop, seeded } = await open();
let app: Awaited<ReturnType<typeof buildApp>> | undefined;
try {
  await database.migrate();
  // The app registers the roll-up sources and dashboard sections of every module.
  const server = await buildApp({ ...loadConfig(), webDist: null, jobPollMs: 0, logLevel: 'warn' }, database);
  app = server;
  process.env.JINGWEI_DEMO_SCALE = 'full';
  let districtId: number;
  let seedMs: number | null = null;
  if (seeded) districtId = (await one<{ id: number }>(database.db, sql`SELECT min(id)::int AS id FROM districts`))!.id;
  // With a cipher, as a first start seeds it: the youth get phones, so activities get sign-ups and check-ins.
  else {
    const pii = new PiiCipher(Buffer.alloc(32, 7), Buffer.alloc(32, 9));
    const t0 = performance.now();
    districtId = (await seedDemo(database, 'Bench2026pass', undefined, pii)).districtId;
    seedMs = Math.round(performance.now() - t0);
    console.log(`full demo seeded in ${seedMs} ms (every counter kept on write by the triggers)`);
  }
  await database.db.execute(sql`ANALYZE`);
  const root = (await findRootOrg(database.db, districtId))!;
  const actor: Actor = {
    accountId: 1,
    username: 'admin',
    role: 'district_admin',
    districtId,
    orgId: root.id,
    scopePath: root.path,
    mustChangePassword: false,
    lang: 'zh-CN',
    ip: '127.0.0.1',
  };
  const size = await one<Record<string, number>>(
    database.db,
    sql`SELECT (SELECT count(*)::int FROM orgs) AS orgs, (SELECT count(*)::int FROM grids) AS grids,
               (SELECT count(*)::int FROM people) AS people, (SELECT count(*)::int FROM activities) AS activities,
               (SELECT count(*)::int FROM activity_signups) AS signups,
               (SELECT count(*)::int FROM activity_checkins) AS checkins,
               (SELECT count(*)::int FROM service_orders) AS orders,
               (SELECT count(*)::int FROM notice_targets) AS "noticeTargets"`,
  );
  console.log(`size: ${JSON.stringify(size)}`);

  const roundTrip = await timeIt(() => database.query('SELECT 1'), RUNS);

  // Naive: for every org, a recursive CTE over its subtree counting registered people.
  const naiveTree = () =>
    many(
      database.db,
      sql`SELECT o.id, (WITH RECURSIVE sub AS (SELECT id FROM orgs WHERE id = o.id
                          UNION ALL SELECT c.id FROM orgs c JOIN sub ON c.parent_id = sub.id)
                        SELECT count(*)::int FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
                        WHERE p.status = 'registered' AND coalesce(g.org_id, p.branch_org_id) IN (SELECT id FROM sub)) AS people
          FROM orgs o WHERE o.district_id = ${districtId}`,
    );
  const tree = await timeIt(() => getOrgTree(database, actor, districtId), RUNS);
  const naive = await timeIt(naiveTree, Math.max(3, Math.floor(RUNS / 4)), 1);

  // ── the overview, whole and by part ──────────────────────────────────────────────────────────────
  const login = await server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'Bench2026pass' },
  });
  const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
  const http = async () => {
    const res = await server.inject({ method: 'GET', url: `/api/dashboard/overview?orgId=${root.id}`, cookies });
    if (res.statusCode !== 200) throw new Error(`overview ${res.statusCode}: ${res.body}`);
    return res;
  };
  // Warmed up alike (JIT, plans, caches), then measured: the service call, and the whole HTTP request.
  const overview = await timeIt(() => getOverview(database, actor, { orgId: root.id }), RUNS, 10);
  const overviewHttp = await timeIt(http, RUNS, 10);

  const children = await listChildOrgs(database.db, root.id);
  const scope: SectionScope = { districtId, org: { id: root.id, path: root.path }, children };
  // The parts of getOverview in its order (subject org, then the counters of it and its children, then grid
  // statistics and sections in parallel), each alone; and the detailed pages' own computations for comparison.
  const parts: Record<string, Awaited<ReturnType<typeof timeIt>>> = {
    subjectOrg: await timeIt(() => resolveSubjectOrg(database, actor, undefined, root.id), RUNS),
    orgCounters: await timeIt(() => getOrgCounters(database, actor, districtId, root.id), RUNS),
    gridRollups: await timeIt(() => getGridRollups(database, actor, root, children), RUNS),
  };
  const detailPages: Record<string, Awaited<ReturnType<typeof timeIt>>> = {
    orgTree: tree,
    gridStats: await timeIt(() => getGridStats(database, actor, { districtId, orgId: root.id }), RUNS),
    'gridMap:capacity': await timeIt(() => getGridMap(database, actor, { orgId: root.id, metric: 'capacity' }), RUNS),
    'gridMap:participation': await timeIt(
      () => getGridMap(database, actor, { orgId: root.id, metric: 'participation' }),
      RUNS,
    ),
  };
  for (const s of getDashboardSections()) {
    parts[`section:${s.key}`] = await timeIt(() => s.compute(database, scope), RUNS);
  }

  // ── plain GROUP BY over the base tables (the baseline, and the numbers every part must equal) ─────
  const groupBy = await overviewGroupBy(database, districtId, root.path);
  const baseline = await timeIt(groupBy.plain, RUNS);

  // ── equality: every figure of the overview against the GROUP BY ──────────────────────────────────
  const o = await getOverview(database, actor, { orgId: root.id });
  const { mismatches } = await groupBy.compare(o);
  const check = (what: string, got: unknown, want: unknown) => {
    if (got !== want) mismatches.push(`${what}: overview ${String(got)}, GROUP BY ${String(want)}`);
  };
  // The grid figures equal the grid statistics page (GET /api/grids/stats) for the district and every town.
  const stats = await getGridStats(database, actor, { districtId, orgId: root.id });
  check('district grid statistics', JSON.stringify(o.grids), JSON.stringify(stats.total));
  for (const c of o.children) {
    const { orgId: _i, orgName: _n, orgKind: _k, ...g } = stats.children.find((x) => x.orgId === c.id)!;
    check(`child ${c.id} grid statistics`, JSON.stringify(c.grids), JSON.stringify(g));
  }
  // The totals equal the org tree's node of the district (and each child's node).
  const treeNow = await getOrgTree(database, actor, districtId);
  const rootNode = treeNow.roots.find((r) => r.id === root.id)!;
  check('district tree counters', JSON.stringify(o.totals), JSON.stringify(rootNode.counts));
  for (const c of o.children)
    check(
      `child ${c.id} tree counters`,
      JSON.stringify(c.counts),
      JSON.stringify(rootNode.children.find((x) => x.id === c.id)?.counts),
    );
  const load1 = os.loadavg();
  const table = Object.entries(parts)
    .map(([k, t]) => `  ${k.padEnd(22)} p50 ${String(t.p50).padStart(7)} ms   p99 ${String(t.p99).padStart(7)} ms`)
    .join('\n');
  const pages = Object.entries(detailPages)
    .map(([k, t]) => `  ${k.padEnd(22)} p50 ${String(t.p50).padStart(7)} ms   p99 ${String(t.p99).padStart(7)} ms`)
    .join('\n');
  console.log(
    `overview p50 ${overview.p50} ms, p99 ${overview.p99} ms (HTTP p50 ${overviewHttp.p50} ms); plain GROUP BY p50 ${baseline.p50} ms\n` +
      `parts, each alone:\n${table}\ndetailed pages (not in the overview):\n${pages}\n` +
      `numbers equal: ${mismatches.length === 0} (load ${load0.map((x) => x.toFixed(2)).join(' ')} → ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')})`,
  );
  writeResult('dashboard', values.db!, {
    size,
    seedMs,
    loadAverage: { start: load0.map((x) => +x.toFixed(2)), end: load1.map((x) => +x.toFixed(2)) },
    roundTripSelect1: roundTrip,
    tree: { ...tree, naiveRecursiveCte: naive, ratioNaiveToTree: +(naive.p50 / tree.p50).toFixed(1) },
    overview: {
      ...overview,
      http: overviewHttp,
      plainGroupBy: baseline,
      ratioOverviewToGroupBy: +(overview.p50 / baseline.p50).toFixed(2),
    },
    parts,
    detailPages,
    numbersEqual: mismatches.length === 0,
    mismatches: mismatches.slice(0, 20),
  });
  if (mismatches.length) process.exitCode = 1;
} finally {
  // The app holds a LISTEN connection of the pool: closed first, or closing the database waits for it.
  await app?.close();
  await drop();
}
