import { sql } from 'drizzle-orm';
import {
  addToRollup,
  capacityOf,
  emptyRollup,
  type FourOnes,
  fourOnesOf,
  type GridChannel,
  type GridRollup,
  ruleCounts,
  type ThreeOnes,
  threeOnesOf,
} from '../../../domain/grid.ts';
import type { Database } from '../../db/client.ts';
import { many } from '../../db/sql.ts';
import { type Actor, orgScopeCondition } from '../../lib/actor.ts';
import { registryCountsOfGrids } from '../dashboard/dashboard-counts.ts';
import { getCapacitySettings } from './grids.repository.ts';

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * 四个一 and 三一 of a grid depend only on its leader, venue, service project and channels: memoised by those values
 * (the channels as the database's text), so an overview parses and checks only the grids it has not seen in that
 * state. A pure function's cache: it cannot go stale; it is emptied when it grows past MEMO_MAX entries.
 */
const MEMO_MAX = 200_000;
const onesMemo = new Map<string, { fourOnes: FourOnes; threeOnes: ThreeOnes }>();
function onesOf(leader: boolean, venue: string | null, project: string | null, channelsText: string | null) {
  const key = `${leader ? 1 : 0}\u0000${venue ?? '\u0001'}\u0000${project ?? '\u0001'}\u0000${channelsText ?? ''}`;
  let ones = onesMemo.get(key);
  if (!ones) {
    const channels = (parseJson(channelsText) ?? []) as GridChannel[];
    ones = {
      fourOnes: fourOnesOf({ leaderAccountId: leader ? 1 : null, venue, channels, serviceProject: project }),
      threeOnes: threeOnesOf(channels),
    };
    if (onesMemo.size >= MEMO_MAX) onesMemo.clear();
    onesMemo.set(key, ones);
  }
  return ones;
}

/**
 * 网格统计 of the overview: capacity and 四个一 of the active grids under an org, in total and per child org — the
 * numbers of GET /api/grids/stats (getGridStats), from the same domain rules, but without what the overview does not
 * show: the registry counts come from the counters kept on write (registryCountsOfGrids) instead of counting every
 * person of every grid, and no geometry (area, label point) or linked orgs are computed.
 */
export async function getGridRollups(
  database: Database,
  actor: Actor,
  org: { districtId: number; path: string },
  children: readonly { id: number; path: string }[],
): Promise<{ total: GridRollup; children: Map<number, GridRollup> }> {
  const [settings, rows, registry] = await Promise.all([
    getCapacitySettings(database.db, org.districtId),
    many<{
      child: number | null;
      youth_count: number | null;
      member_count: number | null;
      has_leader: boolean;
      venue: string | null;
      channels: string | null;
      service_project: string | null;
      has_boundary: boolean;
      id: number;
    }>(
      database.db,
      sql`SELECT g.id, NULLIF(split_part(substr(o.path, ${org.path.length + 1}), '/', 1), '')::int AS child, g.youth_count, g.member_count, g.leader_account_id IS NOT NULL AS has_leader,
                 g.venue, g.channels::text AS channels, g.service_project, g.boundary IS NOT NULL AS has_boundary
          FROM grids g JOIN orgs o ON o.id = g.org_id
          WHERE ${orgScopeCondition(actor, org.districtId)} AND g.district_id = ${org.districtId}
            AND o.path LIKE ${`${org.path}%`} AND g.active`,
    ),
    registryCountsOfGrids(database.db, org.districtId),
  ]);
  const total = emptyRollup();
  const perChild = new Map<number, GridRollup>(children.map((c) => [c.id, emptyRollup()]));
  for (const row of rows) {
    const reg = registry.get(row.id);
    const registeredYouth = reg?.youth ?? 0;
    const registeredMembers = reg?.members ?? 0;
    const counted = { youthCount: row.youth_count, memberCount: row.member_count, registeredYouth, registeredMembers };
    const counts = ruleCounts(counted);
    const ones = onesOf(row.has_leader, row.venue, row.service_project, row.channels);
    const entry = {
      hasBoundary: row.has_boundary,
      youthCount: row.youth_count,
      memberCount: row.member_count,
      registeredYouth,
      registeredMembers,
      capacity: capacityOf(counts.youth, counts.members, settings),
      fourOnes: ones.fourOnes,
      threeOnes: ones.threeOnes,
    };
    addToRollup(total, entry);
    // The child whose id follows the org's path in the grid's org path (grids of the org itself: none).
    const child = row.child === null ? undefined : perChild.get(row.child);
    if (child) addToRollup(child, entry);
  }
  return { total, children: perChild };
}
