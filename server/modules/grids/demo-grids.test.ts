import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { one } from '../../db/sql.ts';
import { seedDemo } from '../../seed/demo.ts';
import { KEQIAO_GRIDS, KEQIAO_YOUTH, split, spread, stripBox, tileBox } from '../../seed/demo-grids.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

const PASSWORD = 'Demo2026pass';
const contexts: TestContext[] = [];
afterAll(async () => {
  for (const c of contexts) await c.close();
});

describe('tiling helpers', () => {
  it('split returns the ends exactly and tiles without drift', () => {
    expect(split(0.1, 0.3, 3, 3)).toBe(0.3);
    const cells = tileBox({ west: 120.1, east: 120.3, south: 30.0, north: 30.1 }, 7);
    expect(cells).toHaveLength(7);
    const area = cells.reduce((s, c) => s + (c.east - c.west) * (c.north - c.south), 0);
    expect(area).toBeCloseTo(0.2 * 0.1, 12);
    const strips = stripBox(cells[0], 4);
    expect(strips[0].west).toBe(cells[0].west);
    expect(strips[3].east).toBe(cells[0].east);
    expect(spread(10, 3)).toEqual([4, 3, 3]);
  });
});

async function seeded(scale: 'full' | 'small') {
  const previous = process.env.JINGWEI_DEMO_SCALE;
  process.env.JINGWEI_DEMO_SCALE = scale;
  const ctx = await createTestApp();
  contexts.push(ctx);
  try {
    await seedDemo(ctx.database, PASSWORD);
  } finally {
    process.env.JINGWEI_DEMO_SCALE = previous;
  }
  const admin = new Client(ctx.app);
  await admin.login('admin', PASSWORD);
  return { ctx, admin };
}

describe('demo grids', () => {
  it('default demo: three grids per village of one town, tiling it', async () => {
    const { ctx, admin } = await seeded('small');
    const r = await one<{ n: number; towns: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n, count(DISTINCT o.parent_id)::int AS towns FROM grids g JOIN orgs o ON o.id = g.org_id`,
    );
    expect(r!.towns).toBe(1);
    const villages = await one<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM orgs v JOIN orgs t ON t.id = v.parent_id
          WHERE t.name = '柯桥街道团工委' AND v.kind IN ('village_branch', 'community_branch')`,
    );
    expect(r!.n).toBe(3 * villages!.n);
    const cov = (await admin.get('/api/grids/coverage')).json();
    expect(cov).toMatchObject({ grids: r!.n, overlaps: [], gaps: [], outside: [] });
  });

  it('full scale: 1,217 grids, 138,723 youth, no gaps, no overlaps, and the capacity rule mostly OK', async () => {
    const { ctx, admin } = await seeded('full');
    const r = await one<{ n: number; youth: number; invalid: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n, sum(youth_count)::int AS youth,
                 count(*) FILTER (WHERE NOT ST_IsValid(boundary))::int AS invalid FROM grids`,
    );
    expect(r).toEqual({ n: KEQIAO_GRIDS, youth: KEQIAO_YOUTH, invalid: 0 });
    // The registry holds exactly the recorded youth and League members of every grid (~44,900 members).
    const people = await one<{ youth: number; members: number; recorded: number; mismatched: number }>(
      ctx.database.db,
      sql`SELECT (SELECT count(*)::int FROM people WHERE home_grid_id IS NOT NULL) AS youth,
                 (SELECT count(*)::int FROM people WHERE home_grid_id IS NOT NULL AND political_status = 'league_member') AS members,
                 (SELECT sum(member_count)::int FROM grids) AS recorded,
                 (SELECT count(*)::int FROM grids g WHERE g.youth_count <> (SELECT count(*) FROM people p WHERE p.home_grid_id = g.id)
                    OR g.member_count <> (SELECT count(*) FROM people p WHERE p.home_grid_id = g.id AND p.political_status = 'league_member')
                 ) AS mismatched`,
    );
    expect(people).toMatchObject({ youth: KEQIAO_YOUTH, mismatched: 0 });
    expect(people!.members).toBe(people!.recorded);
    expect(Math.abs(people!.members - 44_889) / 44_889).toBeLessThan(0.05);
    const cov = (await admin.get('/api/grids/coverage')).json();
    expect(cov.grids).toBe(KEQIAO_GRIDS);
    expect(cov.overlaps).toEqual([]);
    expect(cov.gaps).toEqual([]);
    // ~830 km² for the demo box (Keqiao itself is ~1,040 km²)
    expect(cov.coveredAreaM2 / 1e6).toBeGreaterThan(700);
    expect(cov.coveredAreaM2 / 1e6).toBeLessThan(900);
    console.log(`coverage of the full demo district (${ctx.database.kind}): ${cov.elapsedMs} ms`);
    const stats = (await admin.get('/api/grids/stats')).json();
    expect(stats.total.grids).toBe(KEQIAO_GRIDS);
    // 114 youth per grid on average: the tolerance and the members rule carry most grids.
    expect(stats.total.capacity.over / KEQIAO_GRIDS).toBeLessThan(0.1);
    expect(stats.total.capacity.ok / KEQIAO_GRIDS).toBeGreaterThan(0.85);
    const tree = (await admin.get('/api/orgs/tree')).json();
    expect(tree.roots[0].counts.grids).toBe(KEQIAO_GRIDS);
    const exported = JSON.parse((await admin.get('/api/grids/export')).body);
    expect(exported.features).toHaveLength(KEQIAO_GRIDS);
  }, 300_000);
});
