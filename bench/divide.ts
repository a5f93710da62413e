/**
 * Division assistant at district scale: 140,000 youth points over the 20 towns of the full demo
 * district → proposed grids for every village and community. Reports time and quality (share of
 * grids within the capacity rule, contiguity, Polsby–Popper compactness (median, mean, min), max/median youth per
 * grid), and two baselines in the same run: the bisection of each village alone (pure TypeScript, no database), and a
 * plain recursive coordinate bisection of all the district's points into as many boxes, ignoring village boundaries
 * (how many of its boxes mix villages is reported).
 *
 *   npx tsx bench/divide.ts                    # PGlite (in memory)
 *   npx tsx bench/divide.ts --db postgresql    # TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { bisectPoints, gridsNeeded, type LonLat } from '../domain/grid.ts';
import { Database } from '../server/db/client.ts';
import { many } from '../server/db/sql.ts';
import type { Actor } from '../server/lib/actor.ts';
import { divisionQuality, proposeDivision } from '../server/modules/grids/divide.service.ts';
import { findRootOrg } from '../server/modules/orgs/orgs.repository.ts';
import { seedDemo } from '../server/seed/demo.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: 'pglite' }, youth: { type: 'string', default: '140000' } },
});
const TOTAL_YOUTH = Number(values.youth);

/** mulberry32: the same points every run. */
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

const { database, drop } = await open();
try {
  await database.migrate();
  // Full-scale demo: every village and community has a territory (the union of its demo grids).
  process.env.JINGWEI_DEMO_SCALE = 'full';
  const demo = await seedDemo(database, 'Bench2026pass');
  const root = (await findRootOrg(database.db, demo.districtId))!;
  const actor: Actor = {
    accountId: 0,
    username: 'bench',
    role: 'district_admin',
    districtId: demo.districtId,
    orgId: root.id,
    scopePath: root.path,
    mustChangePassword: false,
    lang: 'en',
    ip: '127.0.0.1',
  };
  const villages = await many<{ id: number; town: number; w: number; s: number; e: number; n: number }>(
    database.db,
    sql`SELECT o.id, o.parent_id AS town, ST_XMin(x.b) AS w, ST_YMin(x.b) AS s, ST_XMax(x.b) AS e, ST_YMax(x.b) AS n
        FROM orgs o JOIN LATERAL (SELECT ST_Extent(boundary)::geometry AS b FROM grids WHERE org_id = o.id) x ON TRUE
        WHERE o.district_id = ${demo.districtId} AND x.b IS NOT NULL ORDER BY o.id`,
  );
  const towns = new Set(villages.map((v) => v.town)).size;

  // Youth per village: uneven (weights 0.3–1.7); inside each village 1–3 dense hamlets plus a scatter.
  const rand = seeded(140000);
  const weights = villages.map(() => 0.3 + 1.4 * rand());
  const weightSum = weights.reduce((s, w) => s + w, 0);
  let assigned = 0;
  const pointsOf = villages.map((v, i) => {
    const n = i === villages.length - 1 ? TOTAL_YOUTH - assigned : Math.round((TOTAL_YOUTH * weights[i]) / weightSum);
    assigned += n;
    const hamlets = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => [
      v.w + (v.e - v.w) * (0.2 + 0.6 * rand()),
      v.s + (v.n - v.s) * (0.2 + 0.6 * rand()),
    ]);
    const pts: LonLat[] = [];
    for (let k = 0; k < n; k++) {
      if (rand() < 0.7) {
        const h = hamlets[k % hamlets.length];
        // Box–Muller, clamped into the village.
        const r = Math.sqrt(-2 * Math.log(1 - rand())) * 0.12;
        const t = 2 * Math.PI * rand();
        pts.push([
          Math.min(v.e, Math.max(v.w, h[0] + r * (v.e - v.w) * Math.cos(t))),
          Math.min(v.n, Math.max(v.s, h[1] + r * (v.n - v.s) * Math.sin(t))),
        ]);
      } else pts.push([v.w + (v.e - v.w) * rand(), v.s + (v.n - v.s) * rand()]);
    }
    return pts;
  });

  // Baseline in the same run: the bisection alone, no database.
  let t = performance.now();
  let leavesTotal = 0;
  for (const [i, v] of villages.entries()) {
    leavesTotal += bisectPoints(
      pointsOf[i],
      { west: v.w, south: v.s, east: v.e, north: v.n },
      gridsNeeded(pointsOf[i].length),
    ).length;
  }
  const bisectMs = Math.round(performance.now() - t);

  // The baseline: one plain recursive coordinate bisection of all the district's points into as many
  // boxes, ignoring village boundaries; and how many of its boxes hold points of more than one village.
  const villageOf = new Map<LonLat, number>();
  for (const [i, pts] of pointsOf.entries()) for (const pt of pts) villageOf.set(pt, i);
  const all = pointsOf.flat();
  const districtBox = {
    west: Math.min(...villages.map((v) => v.w)),
    south: Math.min(...villages.map((v) => v.s)),
    east: Math.max(...villages.map((v) => v.e)),
    north: Math.max(...villages.map((v) => v.n)),
  };
  t = performance.now();
  const plainLeaves = bisectPoints(all, districtBox, leavesTotal);
  const plainBisectMs = Math.max(1, Math.round(performance.now() - t));
  const plainAcrossVillages = plainLeaves.filter((leaf) => {
    const seen = new Set<number>();
    for (const pt of all) {
      const [lon, lat] = pt;
      if (lon >= leaf.box.west && lon < leaf.box.east && lat >= leaf.box.south && lat < leaf.box.north)
        seen.add(villageOf.get(pt)!);
      if (seen.size > 1) return true;
    }
    return false;
  }).length;

  t = performance.now();
  const grids: Parameters<typeof divisionQuality>[0] = [];
  let youthInside = 0;
  for (const [i, v] of villages.entries()) {
    const proposal = await proposeDivision(database, actor, { orgId: v.id, points: pointsOf[i] });
    youthInside += proposal.youth;
    grids.push(...proposal.grids);
  }
  const totalMs = Math.round(performance.now() - t);
  const q = divisionQuality(grids);
  const pp = grids.map((g) => g.polsbyPopper).sort((a, b) => a - b);
  const ppMedian = pp.length % 2 ? pp[(pp.length - 1) / 2] : (pp[pp.length / 2 - 1] + pp[pp.length / 2]) / 2;

  const result = {
    db: values.db,
    towns,
    villages: villages.length,
    youth: TOTAL_YOUTH,
    youthInside,
    grids: grids.length,
    bisectionOnlyMs: bisectMs,
    totalMs,
    withinRule: q.withinRule,
    contiguous: q.contiguous,
    polsbyPopperMean: q.polsbyPopperMean,
    polsbyPopperMin: q.polsbyPopperMin,
    polsbyPopperMedian: ppMedian,
    // Each village is divided on its own, its grids cut from its territory: none crosses a village boundary by
    // construction. The plain bisection of the whole district, for contrast:
    plainBisection: { ms: plainBisectMs, boxes: plainLeaves.length, acrossVillages: plainAcrossVillages },
    ratioToPlainBisection: +(totalMs / plainBisectMs).toFixed(1),
    maxYouth: q.maxYouth,
    medianYouth: q.medianYouth,
    at: new Date().toISOString(),
  };
  console.log(`\nDivision assistant, ${values.db}: ${TOTAL_YOUTH} youth, ${towns} towns, ${villages.length} villages`);
  console.table([
    { measure: 'grids proposed', value: grids.length },
    { measure: 'total time (ms)', value: totalMs },
    { measure: 'bisection alone (ms, baseline)', value: bisectMs },
    { measure: 'total / bisection', value: (totalMs / Math.max(bisectMs, 1)).toFixed(1) },
    { measure: 'plain bisection of the district (ms)', value: plainBisectMs },
    { measure: 'total / plain bisection', value: (totalMs / plainBisectMs).toFixed(1) },
    { measure: 'plain bisection boxes across villages', value: `${plainAcrossVillages} of ${plainLeaves.length}` },
    { measure: 'within capacity rule', value: `${(q.withinRule * 100).toFixed(1)} %` },
    { measure: 'contiguous', value: `${(q.contiguous * 100).toFixed(1)} %` },
    {
      measure: 'Polsby–Popper median / mean / min',
      value: `${ppMedian.toFixed(3)} / ${q.polsbyPopperMean.toFixed(3)} / ${q.polsbyPopperMin.toFixed(3)}`,
    },
    { measure: 'youth per grid max / median', value: `${q.maxYouth} / ${q.medianYouth}` },
  ]);
  if (leavesTotal !== grids.length) console.log(`note: ${leavesTotal - grids.length} empty boxes dropped`);
  const out = path.resolve('bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, `divide-${values.db}.json`), JSON.stringify(result, null, 2));
} finally {
  await drop();
}
