import { describe, expect, it } from 'vitest';
import {
  addToRollup,
  type Boundary,
  BoundarySchema,
  bisectPoints,
  capacityOf,
  checkBoundaryCoordinates,
  DEFAULT_CAPACITY_SETTINGS,
  emptyRollup,
  fourOnesOf,
  GridCreateSchema,
  GridUpdateSchema,
  gridsNeeded,
  isCircleKind,
  type LonLat,
  mapBoundary,
  polsbyPopper,
  resolveCapacitySettings,
  ruleCounts,
  threeOnesOf,
} from './grid.ts';

describe('capacity rule (youth ≤ 100 + 20 or members ≤ 10)', () => {
  it('passes on youth within the limit, within the tolerance, or on few members', () => {
    expect(capacityOf(100, 30)).toEqual({ status: 'ok', basis: 'youth' });
    expect(capacityOf(101, 30)).toEqual({ status: 'ok', basis: 'tolerance' });
    expect(capacityOf(120, 30)).toEqual({ status: 'ok', basis: 'tolerance' });
    expect(capacityOf(121, 10)).toEqual({ status: 'ok', basis: 'members' });
    expect(capacityOf(400, 3)).toEqual({ status: 'ok', basis: 'members' });
  });
  it('is over when both are over', () => {
    expect(capacityOf(121, 11)).toEqual({ status: 'over', basis: null });
    expect(capacityOf(121, null)).toEqual({ status: 'over', basis: null });
    expect(capacityOf(null, 11)).toEqual({ status: 'over', basis: null });
  });
  it('is under-used below the floor, unknown without counts', () => {
    expect(capacityOf(19, 2)).toEqual({ status: 'under_used', basis: 'youth' });
    expect(capacityOf(20, 2).status).toBe('ok');
    expect(capacityOf(0, 0).status).toBe('under_used');
    expect(capacityOf(null, 5)).toEqual({ status: 'ok', basis: 'members' });
    expect(capacityOf(null, null)).toEqual({ status: 'unknown', basis: null });
  });
  it('uses the district settings', () => {
    const strict = { youthMax: 80, youthTolerance: 0, membersMax: 5, youthFloor: 40 };
    expect(capacityOf(81, 6, strict).status).toBe('over');
    expect(capacityOf(81, 5, strict).status).toBe('ok');
    expect(capacityOf(39, 1, strict).status).toBe('under_used');
    expect(resolveCapacitySettings({ youthMax: 80 })).toEqual({ ...DEFAULT_CAPACITY_SETTINGS, youthMax: 80 });
    expect(resolveCapacitySettings({ youthMax: 'x' })).toEqual(DEFAULT_CAPACITY_SETTINGS);
    expect(resolveCapacitySettings(null)).toEqual(DEFAULT_CAPACITY_SETTINGS);
  });
  it('does not flag the Keqiao average grid (114 youth) as over', () => {
    // 138,723 youth over 1,217 grids: the tolerance carries the average grid.
    expect(capacityOf(Math.round(138723 / 1217), 12).status).toBe('ok');
  });
});

describe('four ones and three ones', () => {
  const full = {
    leaderAccountId: 7,
    venue: '村文化礼堂',
    channels: [
      { type: 'wechat_group' as const, name: '青年微信群' },
      { type: 'qq_group' as const, name: '青年QQ群', ident: '123456' },
      { type: 'weibo' as const, name: '@某村青年' },
    ],
    serviceProject: '周末课堂',
  };
  it('counts each of the four', () => {
    expect(fourOnesOf(full)).toMatchObject({ count: 4, complete: true });
    const r = fourOnesOf({ ...full, leaderAccountId: null, venue: '  ', channels: [] });
    expect(r).toEqual({
      leader: false,
      physicalVenue: false,
      onlineVenue: false,
      serviceProject: true,
      count: 1,
      complete: false,
    });
  });
  it('三一 needs a QQ group, a Weibo and a WeChat group', () => {
    expect(threeOnesOf(full.channels).complete).toBe(true);
    const noWeibo = threeOnesOf(full.channels.filter((c) => c.type !== 'weibo'));
    expect(noWeibo).toEqual({ qqGroup: true, weibo: false, wechatGroup: true, complete: false });
    expect(threeOnesOf([{ type: 'website', name: 'x' }]).complete).toBe(false);
  });
  it('rolls grids up', () => {
    const r = emptyRollup();
    const g = {
      hasBoundary: true,
      youthCount: 90,
      memberCount: 8,
      registeredYouth: 0,
      registeredMembers: 0,
      capacity: capacityOf(90, 8),
      fourOnes: fourOnesOf(full),
      threeOnes: threeOnesOf(full.channels),
    };
    addToRollup(r, g);
    addToRollup(r, { ...g, hasBoundary: false, youthCount: 150, memberCount: 20, capacity: capacityOf(150, 20) });
    expect(r).toMatchObject({ grids: 2, withBoundary: 1, youth: 240, members: 28, threeOnesComplete: 2 });
    expect(r.capacity).toEqual({ ok: 1, over: 1, under_used: 0, unknown: 0 });
    expect(r.fourOnes.complete).toBe(2);
    // Once people are registered in a grid, their numbers count instead of the recorded ones.
    addToRollup(r, { ...g, registeredYouth: 30, registeredMembers: 3 });
    expect(r).toMatchObject({ grids: 3, youth: 270, members: 31 });
  });
  it('reads the registry once a grid has registered youth, the recorded counts before', () => {
    expect(ruleCounts({ youthCount: 150, memberCount: 20, registeredYouth: 0, registeredMembers: 0 })).toEqual({
      youth: 150,
      members: 20,
    });
    expect(ruleCounts({ youthCount: 150, memberCount: 20, registeredYouth: 90, registeredMembers: 4 })).toEqual({
      youth: 90,
      members: 4,
    });
  });
});

describe('kinds and input', () => {
  const square: Boundary = {
    type: 'Polygon',
    coordinates: [
      [
        [120.49, 30.08],
        [120.5, 30.08],
        [120.5, 30.09],
        [120.49, 30.09],
        [120.49, 30.08],
      ],
    ],
  };
  it('circles have no polygon', () => {
    expect(isCircleKind('building')).toBe(true);
    expect(isCircleKind('interest')).toBe(true);
    expect(isCircleKind('village')).toBe(false);
  });
  it('accepts a clean [lon, lat] polygon', () => {
    expect(BoundarySchema.safeParse(square).success).toBe(true);
    expect(checkBoundaryCoordinates(square)).toBeNull();
  });
  it('reports swapped order, range, open rings and places outside China', () => {
    const swapped = mapBoundary(square, (lon, lat) => [lat, lon]);
    expect(checkBoundaryCoordinates(swapped)).toEqual({ path: 'coordinates.0.0', reason: 'coord_order_swapped' });
    const range = mapBoundary(square, (lon, lat) => [lon + 200, lat]);
    expect(checkBoundaryCoordinates(range)?.reason).toBe('coord_out_of_range');
    const far = mapBoundary(square, (lon, lat) => [lon - 120, lat]);
    expect(checkBoundaryCoordinates(far)?.reason).toBe('outside_area');
    const open: Boundary = {
      type: 'Polygon',
      coordinates: [square.coordinates[0].slice(0, 4).concat([[120.491, 30.08]])],
    };
    expect(checkBoundaryCoordinates(open)).toEqual({ path: 'coordinates.0', reason: 'ring_not_closed' });
    const multi: Boundary = { type: 'MultiPolygon', coordinates: [square.coordinates, swapped.coordinates as any] };
    expect(checkBoundaryCoordinates(multi)?.path).toBe('coordinates.1.0.0');
  });
  it('rejects a grid payload with a bad code, kind or channel', () => {
    const ok = { code: 'KQ-001', name: '一号网格', kind: 'village', orgId: 3 };
    expect(GridCreateSchema.safeParse(ok).success).toBe(true);
    expect(GridCreateSchema.safeParse({ ...ok, code: '有空 格' }).success).toBe(false);
    expect(GridCreateSchema.safeParse({ ...ok, kind: 'castle' }).success).toBe(false);
    expect(GridCreateSchema.safeParse({ ...ok, channels: [{ type: 'fax', name: 'x' }] }).success).toBe(false);
    expect(GridCreateSchema.safeParse({ ...ok, youthCount: -1 }).success).toBe(false);
    expect(GridUpdateSchema.safeParse({ name: '改名' }).success).toBe(true);
    expect(GridUpdateSchema.safeParse({ extra: 1 }).success).toBe(false);
  });
});

describe('division assistant: recursive weighted bisection', () => {
  // Deterministic scatter with a dense hamlet in one corner.
  const points: LonLat[] = [];
  let a = 7;
  const rnd = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  for (let i = 0; i < 1037; i++) {
    const dense = i % 3 === 0;
    points.push([120.5 + (dense ? 0.002 : 0.02) * rnd(), 30.0 + (dense ? 0.002 : 0.01) * rnd()]);
  }
  const box = { west: 120.5, south: 30.0, east: 120.52, north: 30.01 };

  it('makes as many boxes as the rule needs, each within it and balanced to one youth', () => {
    const k = gridsNeeded(points.length);
    expect(k).toBe(11);
    const leaves = bisectPoints(points, box, k);
    expect(leaves).toHaveLength(11);
    expect(leaves.reduce((s, l) => s + l.youth, 0)).toBe(points.length);
    const counts = leaves.map((l) => l.youth);
    expect(Math.max(...counts)).toBeLessThanOrEqual(100);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('tiles the starting box: areas add up and no two boxes share area', () => {
    const leaves = bisectPoints(points, box, 11);
    const area = (b: typeof box) => (b.east - b.west) * (b.north - b.south);
    expect(leaves.reduce((s, l) => s + area(l.box), 0)).toBeCloseTo(area(box), 12);
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++) {
        const p = leaves[i].box;
        const q = leaves[j].box;
        const w = Math.min(p.east, q.east) - Math.max(p.west, q.west);
        const h = Math.min(p.north, q.north) - Math.max(p.south, q.south);
        expect(w > 0 && h > 0, `${i}/${j}`).toBe(false);
      }
    }
    // Every point lies in the box that counted it.
    const inside = (p: LonLat, b: typeof box) => p[0] >= b.west && p[0] <= b.east && p[1] >= b.south && p[1] <= b.north;
    for (const l of leaves) expect(points.filter((p) => inside(p, l.box)).length).toBeGreaterThanOrEqual(l.youth);
  });

  it('copes with no points and with one grid', () => {
    expect(bisectPoints([], box, 1)).toEqual([{ box, youth: 0 }]);
    expect(bisectPoints([], box, 4)).toHaveLength(4);
    expect(gridsNeeded(0)).toBe(1);
    expect(polsbyPopper(1, 4)).toBeCloseTo(Math.PI / 4, 6); // unit square
    expect(polsbyPopper(1, 0)).toBe(0);
  });
});
