import { z } from 'zod';

/** Kinds of grid (PRODUCT.md §2). The last three are circles 圈: they have members but no polygon. */
export const GRID_KINDS = [
  /** 社区网格 community */
  'community',
  /** 村网格 village */
  'village',
  /** 集镇网格 market town */
  'market_town',
  /** 园区网格 industrial park */
  'industrial_park',
  /** 楼宇圈 building circle */
  'building',
  /** 行业圈 profession circle */
  'profession',
  /** 兴趣圈 interest circle */
  'interest',
] as const;
export type GridKind = (typeof GRID_KINDS)[number];
export const GridKindSchema = z.enum(GRID_KINDS);

export const CIRCLE_KINDS: readonly GridKind[] = ['building', 'profession', 'interest'];

/** Circles are defined by who belongs, not by where: they never carry a polygon. */
export function isCircleKind(kind: GridKind): boolean {
  return CIRCLE_KINDS.includes(kind);
}

/** Org kinds that may be responsible for a grid: 村团总支, 社区团总支, 网格团支部. */
export const GRID_RESPONSIBLE_ORG_KINDS = ['village_branch', 'community_branch', 'grid_branch'] as const;

export function canBeResponsibleOrg(orgKind: string): boolean {
  return (GRID_RESPONSIBLE_ORG_KINDS as readonly string[]).includes(orgKind);
}

/** Online channels of a grid. 三一: one QQ group, one Weibo, one WeChat group. */
export const CHANNEL_TYPES = ['wechat_group', 'qq_group', 'weibo', 'website', 'sms_group', 'other'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const THREE_ONES_CHANNELS: readonly ChannelType[] = ['qq_group', 'weibo', 'wechat_group'];

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u);

/** 线上阵地 an online channel (WeChat group, QQ group, Weibo, website, SMS group). */
export const GridChannelSchema = z
  .object({
    type: z.enum(CHANNEL_TYPES),
    /** 名称 name of the group or account */
    name: Text(100).min(1),
    /** 号码或链接 group number, account id or link */
    ident: Text(300).nullish(),
    /** 管理员 who administers it */
    admin: Text(50).nullish(),
  })
  .strict();
export type GridChannel = z.infer<typeof GridChannelSchema>;

// ---------------------------------------------------------------------------------------------
// Capacity rule 容量规则
// ---------------------------------------------------------------------------------------------

/** District-level numbers of the capacity rule ("35周岁以下青年人数100人以内或者团员数10人以内"). */
export const GridCapacitySettingsSchema = z
  .object({
    /** 青年上限 youth per grid */
    youthMax: z.number().int().min(1).max(100000),
    /** 浮动 tolerance above youthMax */
    youthTolerance: z.number().int().min(0).max(100000),
    /** 团员上限 League members per grid */
    membersMax: z.number().int().min(0).max(100000),
    /** 下限 below this many youth a grid is under-used */
    youthFloor: z.number().int().min(0).max(100000),
  })
  .strict();
export type GridCapacitySettings = z.infer<typeof GridCapacitySettingsSchema>;
export const GridCapacitySettingsPatchSchema = GridCapacitySettingsSchema.partial();

export const DEFAULT_CAPACITY_SETTINGS: GridCapacitySettings = {
  youthMax: 100,
  youthTolerance: 20,
  membersMax: 10,
  youthFloor: 20,
};

export const CAPACITY_STATUSES = ['ok', 'over', 'under_used', 'unknown'] as const;
export type CapacityStatus = (typeof CAPACITY_STATUSES)[number];

/** Why a grid passes the rule: youth within the limit, within the tolerance, or few enough members. */
export type CapacityBasis = 'youth' | 'tolerance' | 'members' | null;

export type Capacity = { status: CapacityStatus; basis: CapacityBasis };

/**
 * 容量检查 The capacity rule: a grid is OK when its youth are within the limit (plus tolerance) or its
 * League members are within theirs; "over" otherwise; "under-used" when it passes but has fewer youth
 * than the floor. Unknown when no count is recorded.
 */
export function capacityOf(
  youth: number | null | undefined,
  members: number | null | undefined,
  settings: GridCapacitySettings = DEFAULT_CAPACITY_SETTINGS,
): Capacity {
  const hasYouth = youth !== null && youth !== undefined;
  const hasMembers = members !== null && members !== undefined;
  if (!hasYouth && !hasMembers) return { status: 'unknown', basis: null };
  let basis: CapacityBasis = null;
  if (hasYouth && youth <= settings.youthMax) basis = 'youth';
  else if (hasYouth && youth <= settings.youthMax + settings.youthTolerance) basis = 'tolerance';
  else if (hasMembers && members <= settings.membersMax) basis = 'members';
  if (basis === null) {
    // Only members recorded and too many of them, or youth over the limit with no member count to rescue it.
    return { status: 'over', basis: null };
  }
  if (hasYouth && youth < settings.youthFloor) return { status: 'under_used', basis };
  return { status: 'ok', basis };
}

/**
 * The counts the capacity rule reads: the people registered in the grid (registered, not withdrawn) once it has
 * any, otherwise the counts recorded for it (a ledger figure entered before its youth were registered).
 */
export function ruleCounts(g: {
  youthCount: number | null;
  memberCount: number | null;
  registeredYouth: number;
  registeredMembers: number;
}): { youth: number | null; members: number | null } {
  return g.registeredYouth > 0
    ? { youth: g.registeredYouth, members: g.registeredMembers }
    : { youth: g.youthCount, members: g.memberCount };
}

/** Merges stored (possibly partial or outdated) settings over the defaults. */
export function resolveCapacitySettings(stored: unknown): GridCapacitySettings {
  const parsed = GridCapacitySettingsPatchSchema.safeParse(stored ?? {});
  return { ...DEFAULT_CAPACITY_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

// ---------------------------------------------------------------------------------------------
// Four ones 四个一 and three ones 三一
// ---------------------------------------------------------------------------------------------

export type FourOnes = {
  /** 一名网格长 */
  leader: boolean;
  /** 一个实体阵地 */
  physicalVenue: boolean;
  /** 一个网上阵地 */
  onlineVenue: boolean;
  /** 一个服务项目 */
  serviceProject: boolean;
  /** how many of the four are in place */
  count: number;
  complete: boolean;
};

export type ThreeOnes = { qqGroup: boolean; weibo: boolean; wechatGroup: boolean; complete: boolean };

const filled = (s: string | null | undefined) => !!s && s.trim().length > 0;

/** 四个一 completeness of one grid. */
export function fourOnesOf(grid: {
  leaderAccountId: number | null;
  venue: string | null;
  channels: readonly GridChannel[];
  serviceProject: string | null;
}): FourOnes {
  const parts = {
    leader: grid.leaderAccountId !== null,
    physicalVenue: filled(grid.venue),
    onlineVenue: grid.channels.some((c) => filled(c.name)),
    serviceProject: filled(grid.serviceProject),
  };
  const count = Object.values(parts).filter(Boolean).length;
  return { ...parts, count, complete: count === 4 };
}

/** 三一 check: one QQ group, one Weibo, one WeChat group. */
export function threeOnesOf(channels: readonly GridChannel[]): ThreeOnes {
  const has = (t: ChannelType) => channels.some((c) => c.type === t && filled(c.name));
  const r = { qqGroup: has('qq_group'), weibo: has('weibo'), wechatGroup: has('wechat_group') };
  return { ...r, complete: r.qqGroup && r.weibo && r.wechatGroup };
}

/** Totals over a set of grids, for the per-org roll-up. */
export type GridRollup = {
  grids: number;
  withBoundary: number;
  youth: number;
  members: number;
  capacity: Record<CapacityStatus, number>;
  fourOnes: { leader: number; physicalVenue: number; onlineVenue: number; serviceProject: number; complete: number };
  threeOnesComplete: number;
};

export function emptyRollup(): GridRollup {
  return {
    grids: 0,
    withBoundary: 0,
    youth: 0,
    members: 0,
    capacity: { ok: 0, over: 0, under_used: 0, unknown: 0 },
    fourOnes: { leader: 0, physicalVenue: 0, onlineVenue: 0, serviceProject: 0, complete: 0 },
    threeOnesComplete: 0,
  };
}

/** Adds one grid to a roll-up (mutates and returns it). */
export function addToRollup(
  r: GridRollup,
  g: {
    hasBoundary: boolean;
    youthCount: number | null;
    memberCount: number | null;
    registeredYouth: number;
    registeredMembers: number;
    capacity: Capacity;
    fourOnes: FourOnes;
    threeOnes: ThreeOnes;
  },
): GridRollup {
  r.grids++;
  if (g.hasBoundary) r.withBoundary++;
  const counts = ruleCounts(g);
  r.youth += counts.youth ?? 0;
  r.members += counts.members ?? 0;
  r.capacity[g.capacity.status]++;
  for (const k of ['leader', 'physicalVenue', 'onlineVenue', 'serviceProject', 'complete'] as const) {
    if (g.fourOnes[k]) r.fourOnes[k]++;
  }
  if (g.threeOnes.complete) r.threeOnesComplete++;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Geometry input 边界
// ---------------------------------------------------------------------------------------------

/** A position [longitude, latitude] (an optional altitude is accepted and dropped). */
const PositionSchema = z.array(z.number()).min(2).max(3);
const RingSchema = z.array(PositionSchema).min(4).max(50000);

export const PolygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(RingSchema).min(1).max(500),
});
export const MultiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(RingSchema).min(1).max(500)).min(1).max(500),
});
/** 边界 a boundary as GeoJSON (RFC 7946: [lon, lat] in WGS-84 unless `crs` says GCJ-02). */
export const BoundarySchema = z.discriminatedUnion('type', [PolygonSchema, MultiPolygonSchema]);
export type Boundary = z.infer<typeof BoundarySchema>;

/** Coordinate system of submitted coordinates: WGS-84 (GPS, 天地图) or GCJ-02 (高德, 腾讯). */
export const CrsSchema = z.enum(['wgs84', 'gcj02']);
export type Crs = z.infer<typeof CrsSchema>;

/** Points per boundary we accept (a village drawn by hand has tens to a few thousand). */
export const MAX_BOUNDARY_POINTS = 20000;

/** Rough box around mainland China, Hainan and Taiwan: a grid outside it is a data error. */
export const CHINA_BOX = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 };

export type BoundaryProblem = { path: string; reason: BoundaryReason };
export type BoundaryReason =
  | 'coord_not_finite'
  | 'coord_out_of_range'
  | 'coord_order_swapped'
  | 'outside_area'
  | 'ring_not_closed'
  | 'ring_too_short'
  | 'too_many_points';

/**
 * Checks a GeoJSON boundary before it reaches the database: finite numbers in range, closed rings,
 * and [lon, lat] order. Coordinates that only make sense as [lat, lon] are reported as swapped.
 * Returns the first problem found, or null.
 */
export function checkBoundaryCoordinates(boundary: Boundary): BoundaryProblem | null {
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  let points = 0;
  for (let p = 0; p < polygons.length; p++) {
    for (let r = 0; r < polygons[p].length; r++) {
      const ring = polygons[p][r];
      const at = boundary.type === 'Polygon' ? `coordinates.${r}` : `coordinates.${p}.${r}`;
      points += ring.length;
      if (points > MAX_BOUNDARY_POINTS) return { path: at, reason: 'too_many_points' };
      if (ring.length < 4) return { path: at, reason: 'ring_too_short' };
      for (let i = 0; i < ring.length; i++) {
        const [lon, lat] = ring[i];
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) return { path: `${at}.${i}`, reason: 'coord_not_finite' };
        if (looksSwapped(lon, lat)) return { path: `${at}.${i}`, reason: 'coord_order_swapped' };
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
          return { path: `${at}.${i}`, reason: 'coord_out_of_range' };
        if (lon < CHINA_BOX.minLon || lon > CHINA_BOX.maxLon || lat < CHINA_BOX.minLat || lat > CHINA_BOX.maxLat) {
          return { path: `${at}.${i}`, reason: 'outside_area' };
        }
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first[0] !== last[0] || first[1] !== last[1]) return { path: at, reason: 'ring_not_closed' };
    }
  }
  return null;
}

function looksSwapped(lon: number, lat: number): boolean {
  const inChina = (x: number, y: number) =>
    x >= CHINA_BOX.minLon && x <= CHINA_BOX.maxLon && y >= CHINA_BOX.minLat && y <= CHINA_BOX.maxLat;
  return !inChina(lon, lat) && inChina(lat, lon);
}

/** Applies `fn` to every position of a boundary (used for GCJ-02 → WGS-84), dropping altitudes. */
export function mapBoundary(boundary: Boundary, fn: (lon: number, lat: number) => [number, number]): Boundary {
  const ring = (positions: number[][]) => positions.map(([lon, lat]) => fn(lon, lat));
  if (boundary.type === 'Polygon') return { type: 'Polygon', coordinates: boundary.coordinates.map(ring) };
  return { type: 'MultiPolygon', coordinates: boundary.coordinates.map((poly) => poly.map(ring)) };
}

// ---------------------------------------------------------------------------------------------
// API contract
// ---------------------------------------------------------------------------------------------

export const GridCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_.\-/]+$/);
export const GridNameSchema = Text(100).min(1);
const Count = z.number().int().min(0).max(1000000).nullish();

const GridFields = {
  /** 网格编码 unique in the district */
  code: GridCodeSchema,
  /** 网格名称 */
  name: GridNameSchema,
  kind: GridKindSchema,
  /** 责任组织 the village/community branch or grid branch responsible */
  orgId: z.number().int().positive(),
  /** 网格长 grid leader (account) */
  leaderAccountId: z.number().int().positive().nullish(),
  /** 联系人 contact person (account) */
  contactAccountId: z.number().int().positive().nullish(),
  /** 实体阵地 physical venue */
  venue: Text(200).nullish(),
  /** 网上阵地 online channels */
  channels: z.array(GridChannelSchema).max(20).optional(),
  /** 服务项目 service project */
  serviceProject: Text(500).nullish(),
  /** 青年人数 youth counted in the grid (until the people registry provides it) */
  youthCount: Count,
  /** 团员人数 League members counted in the grid */
  memberCount: Count,
  /** 下沉组织 non-hierarchical orgs linked to the grid */
  linkedOrgIds: z.array(z.number().int().positive()).max(100).optional(),
  /** 边界 GeoJSON Polygon/MultiPolygon; null for circles or not drawn yet */
  boundary: BoundarySchema.nullish(),
  /** Coordinate system of `boundary`; GCJ-02 is converted to WGS-84 on the way in. */
  crs: CrsSchema.optional(),
  /** Repair a self-intersecting boundary with ST_MakeValid (default) or reject it. */
  repair: z.boolean().optional(),
};

export const GridCreateSchema = z.object(GridFields).strict();
export type GridCreate = z.infer<typeof GridCreateSchema>;

export const GridUpdateSchema = z
  .object(GridFields)
  .partial()
  .extend({
    /** Reactivate (true) or deactivate (false). */
    active: z.boolean().optional(),
  })
  .strict();
export type GridUpdate = z.infer<typeof GridUpdateSchema>;

export const MultiPolygonOutSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(z.array(z.array(z.number())))),
});
export const GeometryOutSchema = z.object({ type: z.string(), coordinates: z.array(z.any()) });

export const CapacitySchema = z.object({
  status: z.enum(CAPACITY_STATUSES),
  basis: z.enum(['youth', 'tolerance', 'members']).nullable(),
});
export const FourOnesSchema = z.object({
  leader: z.boolean(),
  physicalVenue: z.boolean(),
  onlineVenue: z.boolean(),
  serviceProject: z.boolean(),
  count: z.number().int(),
  complete: z.boolean(),
});
export const ThreeOnesSchema = z.object({
  qqGroup: z.boolean(),
  weibo: z.boolean(),
  wechatGroup: z.boolean(),
  complete: z.boolean(),
});

const RefSchema = z.object({ id: z.number().int(), name: z.string() });

export const GridSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: GridKindSchema,
  orgId: z.number().int(),
  orgName: z.string(),
  leader: RefSchema.nullable(),
  contact: RefSchema.nullable(),
  venue: z.string().nullable(),
  channels: z.array(GridChannelSchema),
  serviceProject: z.string().nullable(),
  /** recorded counts (entered or imported for the grid) */
  youthCount: z.number().int().nullable(),
  memberCount: z.number().int().nullable(),
  /** people registered in the grid now (the capacity rule uses these once there are any) */
  registeredYouth: z.number().int(),
  registeredMembers: z.number().int(),
  linkedOrgs: z.array(RefSchema.extend({ kind: z.string() })),
  /** WGS-84 MultiPolygon, or null (circles, or not drawn yet) */
  boundary: MultiPolygonOutSchema.nullable(),
  /** 面积 m² (geodesic) */
  areaM2: z.number().nullable(),
  /** A point inside the polygon for the map label, [lon, lat] */
  labelPoint: z.array(z.number()).nullable(),
  capacity: CapacitySchema,
  fourOnes: FourOnesSchema,
  threeOnes: ThreeOnesSchema,
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Grid = z.infer<typeof GridSchema>;

/** What a write reports about the submitted boundary (repair, conversion). */
export const BoundaryNoticeSchema = z.object({
  /** ST_IsValidReason of the submitted polygon when it had to be repaired */
  repaired: z.string().nullable(),
  convertedFrom: CrsSchema.nullable(),
});

export const GridWriteResultSchema = GridSchema.extend({ boundaryNotice: BoundaryNoticeSchema.nullable() });

export const GridListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    /** 镇街 grids under this town (its whole subtree) */
    townId: z.coerce.number().int().positive().optional(),
    /** 村社区 grids under this village or community */
    villageId: z.coerce.number().int().positive().optional(),
    /** grids under any org's subtree */
    orgId: z.coerce.number().int().positive().optional(),
    kind: GridKindSchema.optional(),
    /** 容量状态 capacity state */
    state: z.enum(CAPACITY_STATUSES).optional(),
    fourOnes: z.enum(['complete', 'incomplete']).optional(),
    active: z.enum(['true', 'false', 'all']).default('true'),
    /** code or name contains */
    q: z.string().trim().max(100).optional(),
    /** include polygons (for the map) */
    withBoundary: z.enum(['true', 'false']).default('false'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(2000).default(50),
  })
  .strict();
export type GridListQuery = z.infer<typeof GridListQuerySchema>;

export const GridListSchema = z.object({
  items: z.array(GridSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

const RollupSchema = z.object({
  grids: z.number().int(),
  withBoundary: z.number().int(),
  youth: z.number().int(),
  members: z.number().int(),
  capacity: z.record(z.enum(CAPACITY_STATUSES), z.number().int()),
  fourOnes: z.object({
    leader: z.number().int(),
    physicalVenue: z.number().int(),
    onlineVenue: z.number().int(),
    serviceProject: z.number().int(),
    complete: z.number().int(),
  }),
  threeOnesComplete: z.number().int(),
});

export const GridStatsQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().optional(),
  })
  .strict();

/** 四个一 roll-up of an org: its whole subtree, and each direct child's subtree. */
export const GridStatsSchema = z.object({
  orgId: z.number().int(),
  orgName: z.string(),
  settings: GridCapacitySettingsSchema,
  total: RollupSchema,
  children: z.array(RollupSchema.extend({ orgId: z.number().int(), orgName: z.string(), orgKind: z.string() })),
});

export const CoverageQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().optional(),
    /** pieces smaller than this (m²) are ignored as drawing noise */
    minAreaM2: z.coerce.number().min(0).max(1e9).default(1),
  })
  .strict();

const GridRefSchema = z.object({ id: z.number().int(), code: z.string(), name: z.string() });

/** 覆盖检查 overlaps, gaps and stick-outs under an org's territory. */
export const CoverageSchema = z.object({
  orgId: z.number().int(),
  territory: z.object({
    /** drawn: the org's own drawn territory; union: the union of its grids */
    source: z.enum(['drawn', 'union', 'none']),
    areaM2: z.number(),
  }),
  grids: z.number().int(),
  coveredAreaM2: z.number(),
  overlaps: z.array(z.object({ a: GridRefSchema, b: GridRefSchema, areaM2: z.number(), geometry: GeometryOutSchema })),
  gaps: z.array(z.object({ areaM2: z.number(), geometry: GeometryOutSchema })),
  outside: z.array(
    z.object({
      grid: GridRefSchema,
      /** the org whose territory the grid sticks out of */
      territoryOrgId: z.number().int(),
      areaM2: z.number(),
      geometry: GeometryOutSchema,
    }),
  ),
  elapsedMs: z.number(),
});

export const TerritorySchema = z.object({
  orgId: z.number().int(),
  boundary: MultiPolygonOutSchema,
  areaM2: z.number(),
  updatedAt: z.string(),
  boundaryNotice: BoundaryNoticeSchema.nullable(),
});
export const TerritoryInputSchema = z
  .object({ boundary: BoundarySchema, crs: CrsSchema.optional(), repair: z.boolean().optional() })
  .strict();

// GeoJSON import/export ------------------------------------------------------------------------

/** Most features one import takes (a district has ~1,200 grids). */
export const MAX_IMPORT_FEATURES = 5000;

export const ImportFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: z.unknown().nullable(),
  properties: z.record(z.string(), z.unknown()).nullable(),
});

export const GridImportSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    /** Responsible org for features whose properties name none */
    orgId: z.number().int().positive().optional(),
    crs: CrsSchema.optional(),
    /** Repair self-intersecting polygons (default) or reject the import */
    repair: z.boolean().optional(),
    /** Validate and report, write nothing */
    dryRun: z.boolean().optional(),
    collection: z.object({
      type: z.literal('FeatureCollection'),
      features: z.array(z.unknown()).min(1).max(MAX_IMPORT_FEATURES),
    }),
  })
  .strict();

export const GridImportResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  repaired: z.array(z.object({ index: z.number().int(), code: z.string(), reason: z.string() })),
  dryRun: z.boolean(),
});

export const SettingsSchema = z.object({ districtId: z.number().int(), capacity: GridCapacitySettingsSchema });
export const SettingsUpdateSchema = z
  .object({ districtId: z.number().int().positive().optional(), capacity: GridCapacitySettingsPatchSchema })
  .strict();

// ---------------------------------------------------------------------------------------------
// Division assistant 划分助手: recursive weighted bisection
// ---------------------------------------------------------------------------------------------

export type LonLat = [number, number];
export type DivisionBox = { west: number; south: number; east: number; north: number };
export type DivisionLeaf = { box: DivisionBox; youth: number };

/**
 * Recursive weighted bisection: cuts `box` into `k` boxes along the longer side (in metres) at the
 * quantile of the points that gives each side its share of the k grids, so every box holds
 * ⌊n/k⌋ or ⌈n/k⌉ points. The boxes tile the starting box exactly (each cut is one shared number),
 * so the grids made by clipping the territory with them have no gaps and no overlaps.
 */
export function bisectPoints(points: readonly LonLat[], box: DivisionBox, k: number): DivisionLeaf[] {
  const leaves: DivisionLeaf[] = [];
  const cosLat = Math.cos((((box.north + box.south) / 2) * Math.PI) / 180);
  const recurse = (pts: LonLat[], b: DivisionBox, parts: number) => {
    if (parts <= 1) {
      leaves.push({ box: b, youth: pts.length });
      return;
    }
    const left = Math.floor(parts / 2);
    const byLon = (b.east - b.west) * cosLat >= b.north - b.south;
    const axis = byLon ? 0 : 1;
    const lo = byLon ? b.west : b.south;
    const hi = byLon ? b.east : b.north;
    const sorted = [...pts].sort((p, q) => p[axis] - q[axis]);
    const n1 = Math.round((sorted.length * left) / parts);
    let cut: number;
    if (sorted.length === 0) cut = lo + ((hi - lo) * left) / parts;
    else if (n1 <= 0) cut = (lo + sorted[0][axis]) / 2;
    else if (n1 >= sorted.length) cut = (sorted[sorted.length - 1][axis] + hi) / 2;
    else cut = (sorted[n1 - 1][axis] + sorted[n1][axis]) / 2;
    // Points on the cut go left: the same rule the clip uses (≤ cut).
    const a = sorted.filter((p) => p[axis] <= cut);
    const c = sorted.filter((p) => p[axis] > cut);
    if (byLon) {
      recurse(a, { ...b, east: cut }, left);
      recurse(c, { ...b, west: cut }, parts - left);
    } else {
      recurse(a, { ...b, north: cut }, left);
      recurse(c, { ...b, south: cut }, parts - left);
    }
  };
  recurse([...points], box, Math.max(1, k));
  return leaves;
}

/** Grids a territory with n youth needs so that each holds at most `youthMax`. */
export function gridsNeeded(youth: number, settings: GridCapacitySettings = DEFAULT_CAPACITY_SETTINGS): number {
  return Math.max(1, Math.ceil(youth / settings.youthMax));
}

/** Polsby–Popper compactness 4πA/P²: 1 for a circle, ~0.785 for a square, → 0 for slivers. */
export function polsbyPopper(areaM2: number, perimeterM: number): number {
  return perimeterM > 0 ? (4 * Math.PI * areaM2) / (perimeterM * perimeterM) : 0;
}

export const DivideInputSchema = z
  .object({
    /** the village or community branch whose territory is divided */
    orgId: z.number().int().positive(),
    /** the territory to divide; default: the org's drawn territory, else the union of its grids */
    territory: BoundarySchema.optional(),
    /** youth locations [lon, lat] (until the people registry holds them) */
    points: z.array(z.array(z.number()).length(2)).max(50000),
    crs: CrsSchema.optional(),
  })
  .strict();

export const ProposedGridSchema = z.object({
  code: z.string(),
  name: z.string(),
  boundary: MultiPolygonOutSchema,
  youth: z.number().int(),
  areaM2: z.number(),
  polsbyPopper: z.number(),
  /** parts of the polygon (1 = contiguous) */
  parts: z.number().int(),
  capacity: CapacitySchema,
});

export const DivisionSchema = z.object({
  orgId: z.number().int(),
  territory: z.object({ source: z.enum(['given', 'drawn', 'union']), areaM2: z.number() }),
  /** points inside the territory (others are ignored) */
  youth: z.number().int(),
  ignoredPoints: z.number().int(),
  grids: z.array(ProposedGridSchema),
  quality: z.object({
    withinRule: z.number(),
    contiguous: z.number(),
    polsbyPopperMean: z.number(),
    polsbyPopperMin: z.number(),
    maxYouth: z.number().int(),
    medianYouth: z.number(),
  }),
  elapsedMs: z.number(),
});

export const DivideAcceptSchema = z
  .object({
    orgId: z.number().int().positive(),
    kind: GridKindSchema.optional(),
    grids: z
      .array(
        z.object({
          code: GridCodeSchema,
          name: GridNameSchema,
          boundary: BoundarySchema,
          youthCount: z.number().int().min(0).nullish(),
        }),
      )
      .min(1)
      .max(500),
  })
  .strict();
