import { sql } from 'drizzle-orm';
import type { GridChannel, GridKind } from '../../domain/grid.ts';
import type { Executor } from '../db/sql.ts';
import { many } from '../db/sql.ts';
import { insertAccount } from '../modules/accounts/accounts.repository.ts';
import { type GridBulkRow, insertGridsBulk } from '../modules/grids/grids.repository.ts';

/** Keqiao's published figures: 1,217 grids holding 138,723 youth (114 per grid on average). */
export const KEQIAO_GRIDS = 1217;
export const KEQIAO_YOUTH = 138723;
/** …and 44,889 League members (the same report): ~37 per grid. */
export const KEQIAO_MEMBERS = 44889;

/** The demo district's box around Keqiao (柯桥, ~120.49E 30.08N): 5 × 4 town cells. */
export const DEMO_BOX = { west: 120.33, east: 120.65, south: 29.96, north: 30.2, cols: 5, rows: 4 };

/** Small deterministic PRNG (mulberry32), so a seed always gives the same district. */
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

/**
 * The i-th of n equal divisions of [a, b]. The ends are returned exactly (a + (b − a) is not always b
 * in floating point), so neighbouring cells share bit-identical edges and tile without slivers.
 */
export function split(a: number, b: number, i: number, n: number): number {
  if (i === 0) return a;
  if (i === n) return b;
  return a + ((b - a) * i) / n;
}

export type Box = { west: number; east: number; south: number; north: number };

/** A box as a GeoJSON MultiPolygon (counter-clockwise outer ring). */
export function boxPolygon(b: Box) {
  return {
    type: 'MultiPolygon' as const,
    coordinates: [
      [
        [
          [b.west, b.south],
          [b.east, b.south],
          [b.east, b.north],
          [b.west, b.north],
          [b.west, b.south],
        ],
      ],
    ],
  };
}

/**
 * Cuts a box into n cells that tile it: ceil(√n) rows, the cells spread as evenly as possible over
 * the rows, each row cut into equal columns.
 */
export function tileBox(box: Box, n: number): Box[] {
  const rows = Math.ceil(Math.sqrt(n));
  const cells: Box[] = [];
  let done = 0;
  for (let r = 0; r < rows; r++) {
    const inRow = Math.floor(n / rows) + (r < n % rows ? 1 : 0);
    const north = split(box.north, box.south, r, rows);
    const south = split(box.north, box.south, r + 1, rows);
    for (let c = 0; c < inRow; c++) {
      cells.push({
        west: split(box.west, box.east, c, inRow),
        east: split(box.west, box.east, c + 1, inRow),
        south,
        north,
      });
    }
    done += inRow;
  }
  if (done !== n) throw new Error(`tileBox: ${done} cells for ${n}`);
  return cells;
}

/** Cuts a box into k strips along its longer side. */
export function stripBox(box: Box, k: number): Box[] {
  const wide = box.east - box.west >= box.north - box.south;
  return Array.from({ length: k }, (_, i) =>
    wide
      ? { ...box, west: split(box.west, box.east, i, k), east: split(box.west, box.east, i + 1, k) }
      : { ...box, north: split(box.north, box.south, i, k), south: split(box.north, box.south, i + 1, k) },
  );
}

/** Splits `total` into `parts` integers that differ by at most one (the first ones get the extra). */
export function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

export type DemoGridsOptions = {
  districtId: number;
  /** full: 1,217 grids over every village of the district; small: 3 per village of one town */
  scale: 'full' | 'small';
  /** hash for the grid leaders' accounts (the demo password) */
  passwordHash: string;
  seed?: number;
  /** town used at small scale (first town if absent) */
  smallTownName?: string;
};

/**
 * Demo grids: each town is a cell of a 5 × 4 layout around Keqiao, each village/community a cell of
 * its town, each grid a strip of its village. Polygons tile every village without gaps or overlaps.
 * Counts follow the Keqiao average (114 youth per grid, most grids relying on the tolerance or the
 * members rule); most grids get a leader account, a venue and channels, so the four-ones roll-up
 * has something to show. Deterministic for a seed.
 */
export async function seedDemoGrids(ex: Executor, o: DemoGridsOptions): Promise<{ grids: number; leaders: number }> {
  const rand = seeded(o.seed ?? 1217);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const towns = await many<{ id: number; name: string; kind: string; path: string }>(
    ex,
    sql`SELECT id, name, kind, path FROM orgs WHERE district_id = ${o.districtId} AND depth = 1
          AND kind IN ('town_committee', 'devzone_committee') ORDER BY id`,
  );
  const villages = await many<{ id: number; name: string; kind: string; parent_id: number }>(
    ex,
    sql`SELECT id, name, kind, parent_id FROM orgs WHERE district_id = ${o.districtId} AND depth = 2
          AND kind IN ('village_branch', 'community_branch') ORDER BY id`,
  );
  const townCells = tileBoxGrid(DEMO_BOX, towns.length);
  const smallTown =
    o.scale === 'small' ? (towns.find((t) => t.name.startsWith(o.smallTownName ?? '柯桥街道')) ?? towns[0]) : null;
  const chosen = smallTown ? villages.filter((v) => v.parent_id === smallTown.id) : villages;
  const perVillage = smallTown ? chosen.map(() => 3) : spread(KEQIAO_GRIDS, chosen.length);
  const totalGrids = perVillage.reduce((s, n) => s + n, 0);
  const youth = spread(Math.round((KEQIAO_YOUTH * totalGrids) / KEQIAO_GRIDS), totalGrids);
  // Keep the total exact while varying each grid: move youth between neighbours in pairs.
  for (let i = 0; i + 1 < youth.length; i += 2) {
    const d = Math.floor(rand() * 50) - 25;
    youth[i] += d;
    youth[i + 1] -= d;
  }

  // Full scale: the grids over 120 youth rely on the members rule (mostly ≤ 10 members, ~7.8 expected); the
  // others share the rest of Keqiao's 44,889 members in proportion to their youth, so the total lands near it.
  const bigGrids = youth.filter((y) => y > 120).length;
  const smallYouth = youth.reduce((sum, y) => sum + (y > 120 ? 0 : y), 0);
  const memberShare = o.scale === 'full' ? Math.max(0, KEQIAO_MEMBERS - bigGrids * 7.825) / smallYouth : null;

  const rows: GridBulkRow[] = [];
  let leaders = 0;
  let g = 0;
  for (const [ti, town] of towns.entries()) {
    const own = villages.filter((v) => v.parent_id === town.id);
    const cells = tileBox(townCells[ti], Math.max(own.length, 1));
    for (const [vi, village] of own.entries()) {
      const ci = chosen.indexOf(village);
      if (ci < 0) continue;
      const strips = stripBox(cells[vi], perVillage[ci]);
      const place = village.name.replace(/团总支$/, '');
      const kind: GridKind =
        town.kind === 'devzone_committee'
          ? 'industrial_park'
          : village.kind === 'community_branch'
            ? 'community'
            : 'village';
      for (const [si, strip] of strips.entries()) {
        const code = `KQ${String(ti + 1).padStart(2, '0')}-${String(vi + 1).padStart(3, '0')}-${String(si + 1).padStart(2, '0')}`;
        const y = youth[g++];
        const members =
          y > 120
            ? rand() < 0.85
              ? 4 + Math.floor(rand() * 7)
              : 11 + Math.floor(rand() * 4)
            : memberShare === null
              ? 3 + Math.floor(rand() * 14)
              : Math.min(y, Math.round(y * memberShare * (0.8 + 0.4 * rand())));
        let leaderAccountId: number | null = null;
        if (rand() < 0.85) {
          leaderAccountId = await insertAccount(ex, {
            districtId: o.districtId,
            orgId: village.id,
            username: `wg.${code.toLowerCase()}`,
            displayName: `${place}${si + 1}号网格长`,
            role: 'grid_leader',
            passwordHash: o.passwordHash,
            mustChangePassword: true,
          });
          leaders++;
        }
        const channels: GridChannel[] = [];
        if (rand() < 0.9) channels.push({ type: 'wechat_group', name: `${place}${si + 1}网格青年群` });
        if (rand() < 0.6)
          channels.push({ type: 'qq_group', name: `${place}青年QQ群`, ident: String(100000000 + g * 7919) });
        if (rand() < 0.4) channels.push({ type: 'weibo', name: `@${place}青年` });
        rows.push({
          code,
          name: `${place}第${si + 1}网格`,
          kind,
          orgId: village.id,
          leaderAccountId,
          contactAccountId: leaderAccountId,
          venue: rand() < 0.85 ? pick(['文化礼堂', '青年之家', '党群服务中心', '村委会活动室']) : null,
          channels,
          serviceProject:
            rand() < 0.7 ? pick(['四点半课堂', '青年志愿服务队', '邻里互助', '垃圾分类宣传', '就业创业沙龙']) : null,
          youthCount: y,
          memberCount: members,
          boundary: boxPolygon(strip),
        });
      }
    }
  }
  const grids = await insertGridsBulk(ex, o.districtId, rows);
  return { grids, leaders };
}

/** The town layout: `cols` towns per row over the district box, as many rows as needed. */
function tileBoxGrid(box: typeof DEMO_BOX, n: number): Box[] {
  const rows = Math.max(1, Math.ceil(n / box.cols));
  return Array.from({ length: n }, (_, i) => {
    const r = Math.floor(i / box.cols);
    const c = i % box.cols;
    return {
      west: split(box.west, box.east, c, box.cols),
      east: split(box.west, box.east, c + 1, box.cols),
      north: split(box.north, box.south, r, rows),
      south: split(box.north, box.south, r + 1, rows),
    };
  });
}
