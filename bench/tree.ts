/**
 * Org tree and overview at district and province size, read from the roll-up counters kept on write
 * (org_rollups), against the same numbers computed on read in the same run:
 *
 * - district tree: getOrgTree of one district (every org, every counter) vs a naive recursive-CTE count per org;
 * - district overview: getOverview (counters + grid statistics + module sections) vs plain GROUP BY per town;
 * - province root: getDistrictRollups (every district's root counters, what a province view reads) vs a naive
 *   recursive CTE per district root, and vs plain GROUP BY per district over the base tables;
 * - district overview with every module section (activities, orders, notices, venues, funds…), through the real app
 *   (`GET /api/dashboard/overview` of district 1, also inside the province database) vs the plain GROUP BY of
 *   bench/dashboard.ts (`overviewGroupBy` in _lib.ts): people, members, grids, activities held / summarised /
 *   published, participation rate, orders by state, notice receipts and on-time share, for the district and each
 *   town; and the dashboard counters of the district per place against a GROUP BY (`checkDashboardCounts`).
 * Every comparison checks that the numbers are identical.
 *
 * The generator loads with triggers off and recounts org_rollups and the overview's own counters (dashboard_counts,
 * migration 0020, jw_dash_rebuild); a database generated before that has no dashboard counters: they are recounted
 * here for the measured district when missing (timed).
 *
 *   npm run bench -- tree --size district|province [--db postgresql] [--runs 30]
 * (PostgreSQL: uses the database of `npm run bench -- generate --size <size> --db postgresql`, generating it when
 * missing. PGlite: district size, generated in process.)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { Database } from '../server/db/client.ts';
import { many, one } from '../server/db/sql.ts';
import type { Actor } from '../server/lib/actor.ts';
import { countAccountsByOrg } from '../server/modules/accounts/accounts.repository.ts';
import { getOverview } from '../server/modules/dashboard/dashboard.service.ts';
import { rebuildDashboardCounts } from '../server/modules/dashboard/dashboard-counts.ts';
import { countGridsByOrg } from '../server/modules/grids/grids.repository.ts';
import { getGridStats } from '../server/modules/grids/grids.service.ts';
import { registerRollupSource } from '../server/modules/orgs/org-extensions.ts';
import { findRootOrg } from '../server/modules/orgs/orgs.repository.ts';
import { getDistrictRollups, getOrgTree } from '../server/modules/orgs/orgs.service.ts';
import { countMembersByOrg, countPeopleByOrg } from '../server/modules/people/people.repository.ts';
import { overviewGroupBy, timeIt, writeResult } from './_lib.ts';
import { BENCH_PASSWORD, checkDashboardCounts, generate, openGenerated, type Size } from './generate.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    size: { type: 'string', default: 'district' },
    runs: { type: 'string', default: '30' },
    /** skip the per-org naive count of the district tree (a minute on PostgreSQL, far longer on PGlite) */
    'skip-naive-tree': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const size = values.size as Size;
const load0 = os.loadavg();

let database: Database;
if (values.db === 'postgresql') database = await openGenerated(size);
else {
  if (size !== 'district') throw new Error('PGlite takes the district size');
  database = await Database.open({ kind: 'pglite' });
  await database.migrate();
  await generate(database, 'district');
}
// The roll-up sources as server/app.ts registers them (the bench does not build the whole app: the overview's
// module sections — venues, notices, orders — are left out of its timing).
registerRollupSource({ key: 'accounts', directCounts: countAccountsByOrg });
registerRollupSource({ key: 'grids', directCounts: countGridsByOrg });
registerRollupSource({ key: 'people', directCounts: countPeopleByOrg });
registerRollupSource({ key: 'members', directCounts: countMembersByOrg });
let app: Awaited<ReturnType<typeof buildApp>> | undefined;
try {
  const districtId = 1;
  const root = (await findRootOrg(database.db, districtId))!;
  const base = { mustChangePassword: false, lang: 'zh-CN' as const, ip: '127.0.0.1' };
  const districtAdmin: Actor = {
    ...base,
    accountId: 1,
    username: 'd1_admin',
    role: 'district_admin',
    districtId,
    orgId: root.id,
    scopePath: root.path,
  };
  const platform: Actor = {
    ...base,
    accountId: 0,
    username: 'platform',
    role: 'platform_admin',
    districtId: null,
    orgId: null,
    scopePath: null,
  } as Actor;
  const sizeRow = await one<{ districts: number; orgs: number; grids: number; people: number }>(
    database.db,
    sql`SELECT (SELECT count(*)::int FROM districts) AS districts, (SELECT count(*)::int FROM orgs) AS orgs,
               (SELECT count(*)::int FROM grids) AS grids, (SELECT count(*)::int FROM people) AS people`,
  );
  console.log(`size ${size}: ${JSON.stringify(sizeRow)}`);
  // The overview's counters of the measured district (a database generated before migration 0020 has them from the
  // migration's own recount; one generated after it has none, the load ran with triggers off).
  const counted = await one<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM dashboard_counts WHERE district_id = ${districtId}`,
  );
  let dashboardRebuildMs: number | null = null;
  if (!counted?.n) {
    const t0 = performance.now();
    await rebuildDashboardCounts(database.db, districtId);
    await database.db.execute(sql`ANALYZE dashboard_counts`);
    dashboardRebuildMs = Math.round(performance.now() - t0);
    console.log(`dashboard counters of district ${districtId} recounted in ${dashboardRebuildMs} ms`);
  }

  // The naive way: a recursive CTE over each org's subtree, counting every source from the base tables.
  const naiveCounts = (orgFilter: ReturnType<typeof sql>) =>
    many<{ id: number; orgs: number; accounts: number; grids: number; people: number; members: number }>(
      database.db,
      sql`SELECT o.id, c.*
          FROM orgs o CROSS JOIN LATERAL (
            WITH RECURSIVE sub AS (SELECT id, active FROM orgs WHERE id = o.id
                                   UNION ALL SELECT c.id, c.active FROM orgs c JOIN sub ON c.parent_id = sub.id)
            SELECT (SELECT count(*)::int FROM sub WHERE active) AS orgs,
                   (SELECT count(*)::int FROM accounts a WHERE a.active AND a.org_id IN (SELECT id FROM sub)) AS accounts,
                   (SELECT count(*)::int FROM grids g WHERE g.active AND g.org_id IN (SELECT id FROM sub)) AS grids,
                   p.people, p.members
            FROM (SELECT count(*)::int AS people,
                         count(*) FILTER (WHERE p.political_status = 'league_member')::int AS members
                  FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
                  WHERE p.district_id = o.district_id AND p.status = 'registered'
                    AND coalesce(g.org_id, p.branch_org_id) IN (SELECT id FROM sub)) p
          ) c WHERE ${orgFilter}`,
    );
  const KEYS = ['orgs', 'accounts', 'grids', 'people', 'members'] as const;
  const mismatches: string[] = [];

  // A yardstick of how busy the machine is: one round trip of SELECT 1.
  const roundTrip = await timeIt(() => database.query('SELECT 1'), RUNS);

  // ── district tree ────────────────────────────────────────────────────────────────────────────────
  const tree = await timeIt(() => getOrgTree(database, districtAdmin, districtId), RUNS);
  // One run: the naive count takes about a minute per district on a busy machine.
  const skipNaive = values['skip-naive-tree'];
  const naiveDistrict = skipNaive ? null : await timeIt(() => naiveCounts(sql`o.district_id = ${districtId}`), 1, 0);
  if (!skipNaive) {
    const t = await getOrgTree(database, districtAdmin, districtId);
    const byId = new Map<number, Record<string, number>>();
    const walk = (ns: typeof t.roots) => {
      for (const n of ns) {
        byId.set(n.id, n.counts);
        walk(n.children);
      }
    };
    walk(t.roots);
    for (const r of await naiveCounts(sql`o.district_id = ${districtId}`)) {
      for (const k of KEYS) if ((byId.get(r.id)?.[k] ?? -1) !== r[k]) mismatches.push(`tree org ${r.id} ${k}`);
    }
  }

  // ── district overview ────────────────────────────────────────────────────────────────────────────
  const townPart = root.path.split('/').length;
  const plainTowns = async () => {
    const [people, grids] = await Promise.all([
      many<{ town: number; youth: number; members: number }>(
        database.db,
        sql`SELECT split_part(o.path, '/', ${townPart})::int AS town, count(*)::int AS youth,
                   count(*) FILTER (WHERE p.political_status = 'league_member')::int AS members
            FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
            JOIN orgs o ON o.id = coalesce(g.org_id, p.branch_org_id)
            WHERE p.district_id = ${districtId} AND p.status = 'registered' GROUP BY 1`,
      ),
      many<{ town: number; grids: number }>(
        database.db,
        sql`SELECT split_part(o.path, '/', ${townPart})::int AS town, count(*)::int AS grids
            FROM grids g JOIN orgs o ON o.id = g.org_id WHERE g.district_id = ${districtId} AND g.active GROUP BY 1`,
      ),
    ]);
    return { people, grids };
  };
  const overview = await timeIt(() => getOverview(database, districtAdmin, { orgId: root.id }), RUNS);
  const overviewBaseline = await timeIt(plainTowns, Math.min(RUNS, 10), 1);
  {
    const o = await getOverview(database, districtAdmin, { orgId: root.id });
    const plain = await plainTowns();
    for (const c of o.children) {
      const p = plain.people.find((x) => x.town === c.id);
      const g = plain.grids.find((x) => x.town === c.id);
      if ((p?.youth ?? 0) !== c.counts.people) mismatches.push(`overview town ${c.id} people`);
      if ((p?.members ?? 0) !== c.counts.members) mismatches.push(`overview town ${c.id} members`);
      if ((g?.grids ?? 0) !== c.grids.grids) mismatches.push(`overview town ${c.id} grids`);
    }
    // The grid figures (capacity, four ones, registry youth from the counters) equal the grid statistics page.
    const stats = await getGridStats(database, districtAdmin, { districtId, orgId: root.id });
    if (JSON.stringify(stats.total) !== JSON.stringify(o.grids)) mismatches.push('overview grid statistics');
    for (const c of o.children) {
      const { orgId: _i, orgName: _n, orgKind: _k, ...g } = stats.children.find((x) => x.orgId === c.id)!;
      if (JSON.stringify(g) !== JSON.stringify(c.grids)) mismatches.push(`overview town ${c.id} grid statistics`);
    }
  }

  // ── province root ────────────────────────────────────────────────────────────────────────────────
  const province = await timeIt(() => getDistrictRollups(database, platform), RUNS);
  const plainDistricts = () =>
    many<{ district_id: number; people: number; members: number; grids: number }>(
      database.db,
      sql`SELECT d.id AS district_id,
                 (SELECT count(*)::int FROM people p WHERE p.district_id = d.id AND p.status = 'registered') AS people,
                 (SELECT count(*)::int FROM people p WHERE p.district_id = d.id AND p.status = 'registered'
                    AND p.political_status = 'league_member') AS members,
                 (SELECT count(*)::int FROM grids g WHERE g.district_id = d.id AND g.active) AS grids
          FROM districts d ORDER BY d.id`,
    );
  const provinceGroupBy = await timeIt(plainDistricts, 2, 0);
  const naiveProvince = await timeIt(() => naiveCounts(sql`o.parent_id IS NULL`), 1, 0);
  {
    const p = await getDistrictRollups(database, platform);
    for (const r of await naiveCounts(sql`o.parent_id IS NULL`)) {
      const d = p.districts.find((x) => x.rootOrgId === r.id);
      for (const k of KEYS) if ((d?.counts[k] ?? -1) !== r[k]) mismatches.push(`province root ${r.id} ${k}`);
    }
    for (const r of await plainDistricts()) {
      const d = p.districts.find((x) => x.districtId === r.district_id);
      for (const k of ['people', 'members', 'grids'] as const)
        if ((d?.counts[k] ?? -1) !== r[k]) mismatches.push(`province district ${r.district_id} ${k}`);
    }
  }

  // ── the whole district overview, every module section (activities, orders, notices …), through the real app ──
  // The app registers every roll-up source and dashboard section; from here on getOverview computes them all.
  app = await buildApp({ ...loadConfig(), webDist: null, jobPollMs: 0, logLevel: 'warn' }, database);
  const server = app;
  const login = await server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: districtAdmin.username, password: BENCH_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login ${login.statusCode}: ${login.body}`);
  const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
  const overviewHttp = async () => {
    const res = await server.inject({ method: 'GET', url: `/api/dashboard/overview?orgId=${root.id}`, cookies });
    if (res.statusCode !== 200) throw new Error(`overview ${res.statusCode}: ${res.body}`);
    return res;
  };
  const fullOverview = await timeIt(() => getOverview(database, districtAdmin, { orgId: root.id }), RUNS, 10);
  const fullOverviewHttp = await timeIt(overviewHttp, RUNS, 10);
  const groupBy = await overviewGroupBy(database, districtId, root.path);
  const fullBaseline = await timeIt(groupBy.plain, Math.min(RUNS, 10), 1);
  const fullCheck = await groupBy.compare(await getOverview(database, districtAdmin, { orgId: root.id }));
  // The HTTP answer is the same overview.
  const viaHttp = JSON.parse((await overviewHttp()).body);
  const httpCheck = await groupBy.compare(viaHttp);
  for (const m of [...fullCheck.mismatches, ...httpCheck.mismatches.map((x) => `HTTP ${x}`)]) mismatches.push(m);
  // And the counters themselves against a plain GROUP BY, per place (what the generator checks after the load).
  const counterMismatches = await checkDashboardCounts(database, districtId);
  for (const m of counterMismatches) mismatches.push(`dashboard_counts ${m}`);
  console.log(
    `district overview, all sections: p50 ${fullOverview.p50} ms (HTTP ${fullOverviewHttp.p50} ms); GROUP BY ${fullBaseline.p50} ms; ` +
      `${fullCheck.checked} figures checked, ${fullCheck.mismatches.length + httpCheck.mismatches.length} differ; ` +
      `counters = GROUP BY: ${counterMismatches.length === 0}`,
  );

  writeResult(`tree-${size}`, values.db!, {
    size: sizeRow,
    roundTripSelect1: roundTrip,
    districtTree: {
      ...tree,
      naiveRecursiveCte: naiveDistrict,
      ratio: naiveDistrict ? +(naiveDistrict.p50 / tree.p50).toFixed(1) : null,
    },
    districtOverview: {
      ...overview,
      plainGroupBy: overviewBaseline,
      ratioToGroupBy: +(overview.p50 / overviewBaseline.p50).toFixed(2),
    },
    provinceRoot: {
      ...province,
      naiveRecursiveCte: naiveProvince,
      plainGroupBy: provinceGroupBy,
      ratioNaive: +(naiveProvince.p50 / province.p50).toFixed(1),
      ratioGroupBy: +(provinceGroupBy.p50 / province.p50).toFixed(1),
    },
    districtOverviewAllSections: {
      ...fullOverview,
      http: fullOverviewHttp,
      plainGroupBy: fullBaseline,
      ratioToGroupBy: +(fullOverview.p50 / fullBaseline.p50).toFixed(2),
      figuresChecked: fullCheck.checked,
      groupByTotals: fullCheck.totals,
    },
    dashboardCountersEqualGroupBy: counterMismatches.length === 0,
    dashboardRebuildMs,
    numbersEqual: mismatches.length === 0,
    mismatches: mismatches.slice(0, 10),
    loadAverage: { before: load0.map((l) => +l.toFixed(2)), after: os.loadavg().map((l) => +l.toFixed(2)) },
  });
  if (mismatches.length) process.exitCode = 1;
} finally {
  // The app holds a LISTEN connection of the pool: closed first, or closing the database waits for it.
  await app?.close();
  await database.close();
}
