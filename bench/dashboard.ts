/**
 * Org tree and district overview at full scale (Keqiao: 20 towns, 1,217 grids, tens of thousands of youth).
 *
 * - tree: the org tree with every roll-up counter (what the org page and the dashboard read), against a naive
 *   recursive-CTE count per org over the same data (baseline in the same run);
 * - dashboard: the district overview (the workbench), against the same numbers computed by plain GROUP BY over the
 *   base tables — and checks that the numbers are equal.
 *
 *   npm run bench -- dashboard [--db postgresql]
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { many, one } from '../server/db/sql.ts';
import type { Actor } from '../server/lib/actor.ts';
import { getOverview } from '../server/modules/dashboard/dashboard.service.ts';
import { findRootOrg } from '../server/modules/orgs/orgs.repository.ts';
import { getOrgTree } from '../server/modules/orgs/orgs.service.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { openBenchDatabase, timeIt, writeResult } from './_lib.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: 'pglite' }, runs: { type: 'string', default: '20' } },
});
const RUNS = Number(values.runs);

const { database, drop } = await openBenchDatabase(values.db!);
try {
  await database.migrate();
  // The app registers the roll-up sources and dashboard sections of every module.
  const app = await buildApp({ ...loadConfig(), webDist: null, jobPollMs: 0, logLevel: 'warn' }, database);
  process.env.JINGWEI_DEMO_SCALE = 'full';
  const demo = await seedDemo(database, 'Bench2026pass');
  const root = (await findRootOrg(database.db, demo.districtId))!;
  const actor: Actor = {
    accountId: 1,
    username: 'admin',
    role: 'district_admin',
    districtId: demo.districtId,
    orgId: root.id,
    scopePath: root.path,
    mustChangePassword: false,
    lang: 'zh-CN',
    ip: '127.0.0.1',
  };
  const size = await one<{ orgs: number; grids: number; people: number }>(
    database.db,
    sql`SELECT (SELECT count(*)::int FROM orgs) AS orgs, (SELECT count(*)::int FROM grids) AS grids,
               (SELECT count(*)::int FROM people) AS people`,
  );

  // Naive: for every org, a recursive CTE over its subtree counting registered people.
  const naiveTree = () =>
    many(
      database.db,
      sql`SELECT o.id, (WITH RECURSIVE sub AS (SELECT id FROM orgs WHERE id = o.id
                          UNION ALL SELECT c.id FROM orgs c JOIN sub ON c.parent_id = sub.id)
                        SELECT count(*)::int FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
                        WHERE p.status = 'registered' AND coalesce(g.org_id, p.branch_org_id) IN (SELECT id FROM sub)) AS people
          FROM orgs o WHERE o.district_id = ${demo.districtId}`,
    );
  const tree = await timeIt(() => getOrgTree(database, actor, demo.districtId), RUNS);
  const naive = await timeIt(naiveTree, Math.max(3, Math.floor(RUNS / 4)), 1);

  // Plain GROUP BY per town over the base tables: the town is a fixed segment of each org's materialised path.
  const townPart = root.path.split('/').length; // '/1/' → segment 3 of '/1/7/…' is the town
  const plain = async () => {
    const towns = await many<{ id: number }>(
      database.db,
      sql`SELECT id FROM orgs WHERE parent_id = ${root.id} AND active AND hierarchical`,
    );
    const people = await many<{ town: number; youth: number; members: number }>(
      database.db,
      sql`SELECT split_part(o.path, '/', ${townPart})::int AS town, count(*)::int AS youth,
                 count(*) FILTER (WHERE p.political_status = 'league_member')::int AS members
          FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
          JOIN orgs o ON o.id = coalesce(g.org_id, p.branch_org_id)
          WHERE p.district_id = ${demo.districtId} AND p.status = 'registered' GROUP BY 1`,
    );
    const grids = await many<{ town: number; grids: number }>(
      database.db,
      sql`SELECT split_part(o.path, '/', ${townPart})::int AS town, count(*)::int AS grids
          FROM grids g JOIN orgs o ON o.id = g.org_id
          WHERE g.district_id = ${demo.districtId} AND g.active GROUP BY 1`,
    );
    return towns.map((t) => ({
      id: t.id,
      youth: people.find((p) => p.town === t.id)?.youth ?? 0,
      members: people.find((p) => p.town === t.id)?.members ?? 0,
      grids: grids.find((g) => g.town === t.id)?.grids ?? 0,
    }));
  };
  const overview = await timeIt(() => getOverview(database, actor, { orgId: root.id }), RUNS);
  const baseline = await timeIt(plain, RUNS);

  const o = await getOverview(database, actor, { orgId: root.id });
  const expected = await plain();
  const mismatches = expected.filter((e) => {
    const c = o.children.find((x) => x.id === e.id);
    return !c || c.counts.people !== e.youth || c.counts.members !== e.members || c.grids.grids !== e.grids;
  });
  await app.close();
  writeResult('dashboard', values.db!, {
    size,
    tree: { ...tree, naiveRecursiveCte: naive, ratioNaiveToTree: +(naive.p50 / tree.p50).toFixed(1) },
    overview: {
      ...overview,
      plainGroupBy: baseline,
      ratioOverviewToGroupBy: +(overview.p50 / baseline.p50).toFixed(2),
    },
    numbersEqual: mismatches.length === 0,
    mismatches: mismatches.slice(0, 5),
  });
  if (mismatches.length) process.exitCode = 1;
} finally {
  await drop();
}
