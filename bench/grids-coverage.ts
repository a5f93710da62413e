/**
 * Coverage check on the full-scale demo district (1,217 grids): time of each part and of the whole
 * check, against a bare ST_Union of the same grids measured in the same run.
 *
 *   npx tsx bench/grids-coverage.ts                      # PGlite (in memory)
 *   npx tsx bench/grids-coverage.ts --db postgresql      # TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { Database } from '../server/db/client.ts';
import { one } from '../server/db/sql.ts';
import type { Actor } from '../server/lib/actor.ts';
import { findGaps, findOverlaps, findStickOuts } from '../server/modules/grids/coverage.repository.ts';
import { checkCoverage } from '../server/modules/grids/coverage.service.ts';
import { findRootOrg } from '../server/modules/orgs/orgs.repository.ts';
import { seedDemo } from '../server/seed/demo.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: 'pglite' }, runs: { type: 'string', default: '3' } },
});
const runs = Number(values.runs);

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

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let best = Number.POSITIVE_INFINITY;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: Math.round(best), result };
}

const { database, drop } = await open();
try {
  await database.migrate();
  process.env.JINGWEI_DEMO_SCALE = 'full';
  const seedStart = performance.now();
  const demo = await seedDemo(database, 'Bench2026pass');
  const seedMs = Math.round(performance.now() - seedStart);
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
  const n = await one<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM grids`);
  const union = await time(() =>
    database.rows(
      sql`SELECT ST_Area(ST_Union(boundary)::geography) AS a FROM grids WHERE district_id = ${demo.districtId}`,
    ),
  );
  const overlaps = await time(() => findOverlaps(database.db, actor, demo.districtId, root.path, 1));
  const gaps = await time(() => findGaps(database.db, actor, demo.districtId, root, 1));
  const stickOuts = await time(() => findStickOuts(database.db, actor, demo.districtId, root.path, 1));
  const whole = await time(() => checkCoverage(database, actor, { minAreaM2: 1 }));
  const rows = [
    { step: 'bare ST_Union (baseline)', ms: union.ms },
    { step: 'overlaps (GiST self-join)', ms: overlaps.ms },
    { step: 'gaps (union + holes)', ms: gaps.ms },
    { step: 'stick-outs', ms: stickOuts.ms },
    { step: 'whole coverage check', ms: whole.ms },
  ];
  console.log(`\nCoverage check, ${values.db}, ${n!.n} grids (seeded in ${seedMs} ms), best of ${runs}`);
  console.table(rows.map((r) => ({ ...r, 'x baseline': (r.ms / Math.max(union.ms, 1)).toFixed(2) })));
  console.log(
    `overlaps ${whole.result.overlaps.length}, gaps ${whole.result.gaps.length}, covered ${(whole.result.coveredAreaM2 / 1e6).toFixed(1)} km²`,
  );
  const out = path.resolve('bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, `grids-coverage-${values.db}.json`),
    JSON.stringify({ db: values.db, grids: n!.n, runs, at: new Date().toISOString(), rows }, null, 2),
  );
} finally {
  await drop();
}
