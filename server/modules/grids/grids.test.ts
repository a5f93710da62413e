import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgTreeNode } from '../../../domain/org.ts';
import { many, one } from '../../db/sql.ts';
import { addAccount, addOrg, addPerson, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let adminB: Client;
let leaderId: number;
let t2AccountId: number;
let otherDistrictAccountId: number;

/** An axis-aligned rectangle as a GeoJSON Polygon (counter-clockwise). */
function rect(lon: number, lat: number, dLon: number, dLat: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon, lat],
        [lon + dLon, lat],
        [lon + dLon, lat + dLat],
        [lon, lat + dLat],
        [lon, lat],
      ],
    ],
  };
}

/** Geodesic area of a rectangle computed by PostGIS from its corners (the "known answer"). */
async function rectArea(lon: number, lat: number, dLon: number, dLat: number): Promise<number> {
  const r = await one<{ a: number }>(
    ctx.database.db,
    sql`SELECT ST_Area(ST_MakeEnvelope(${lon}, ${lat}, ${lon + dLon}, ${lat + dLat}, 4326)::geography) AS a`,
  );
  return Number(r!.a);
}

/** Area of a lon/lat rectangle on the WGS-84 authalic sphere: an estimate independent of PostGIS. */
function sphereArea(lat: number, dLon: number, dLat: number): number {
  const R = 6371007.2;
  const rad = Math.PI / 180;
  return R * R * dLon * rad * (Math.sin((lat + dLat) * rad) - Math.sin(lat * rad));
}

async function count(table: 'grids' | 'audit_log', where = sql`TRUE`) {
  const r = await one<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${where}`,
  );
  return r!.n;
}

async function auditRows(action: string, entityId: number) {
  return many<any>(
    ctx.database.db,
    sql`SELECT before, after, username FROM audit_log WHERE action = ${action} AND entity_id = ${String(entityId)} ORDER BY id`,
  );
}

function findNode(nodes: OrgTreeNode[], id: number): OrgTreeNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const found = findNode(n.children, id);
    if (found) return found;
  }
}

let seq = 0;
function grid(orgId: number, extra: Record<string, unknown> = {}) {
  seq++;
  return { code: `T-${seq}`, name: `测试网格${seq}`, kind: 'village', orgId, ...extra };
}

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  t1Admin = new Client(ctx.app);
  await t1Admin.login('t1_admin', PASSWORD);
  adminB = new Client(ctx.app);
  await adminB.login('admin_b', PASSWORD);
  const [leader] = await many<{ id: number }>(
    ctx.database.db,
    sql`SELECT id FROM accounts WHERE username = 'v1_leader'`,
  );
  leaderId = leader.id;
  t2AccountId = await addAccount(ctx.database, 't2_leader', 'grid_leader', world.v2);
  otherDistrictAccountId = await addAccount(ctx.database, 'tb_leader', 'grid_leader', world.tb);
});
afterAll(() => ctx?.close());

describe('grid CRUD', () => {
  let id: number;
  let industryId: number;

  it('creates a grid with every field, computes its rules, and audits the new state', async () => {
    const industry = await addOrg(ctx.database, world.t1, 'industry_committee', '东湖快递行业团委');
    industryId = industry.id;
    const res = await admin.post('/api/grids', {
      code: 'DH-BC-01',
      name: '北村第一网格',
      kind: 'village',
      orgId: world.v1.id,
      leaderAccountId: leaderId,
      contactAccountId: leaderId,
      venue: '北村文化礼堂二楼',
      channels: [
        { type: 'wechat_group', name: '北村青年群', admin: '张三' },
        { type: 'qq_group', name: '北村青年QQ群', ident: '123456789' },
        { type: 'weibo', name: '@北村青年' },
      ],
      serviceProject: '周末四点半课堂',
      youthCount: 114,
      memberCount: 12,
      linkedOrgIds: [industry.id],
      boundary: rect(120.49, 30.08, 0.01, 0.01),
    });
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json();
    id = g.id;
    expect(g).toMatchObject({
      code: 'DH-BC-01',
      orgId: world.v1.id,
      orgName: '北村团总支',
      leader: { id: leaderId, name: 'v1_leader' },
      capacity: { status: 'ok', basis: 'tolerance' },
      fourOnes: { count: 4, complete: true },
      threeOnes: { complete: true },
      linkedOrgs: [{ id: industry.id, name: '东湖快递行业团委' }],
      boundaryNotice: { repaired: null, convertedFrom: null },
      active: true,
    });
    expect(g.boundary.type).toBe('MultiPolygon');
    expect(g.boundary.coordinates[0][0][0]).toEqual([120.49, 30.08]);
    expect(g.areaM2).toBeCloseTo(await rectArea(120.49, 30.08, 0.01, 0.01), 0);
    expect(g.labelPoint[0]).toBeGreaterThan(120.49);
    const [entry] = await auditRows('grid.create', id);
    expect(entry.username).toBe('admin_a');
    expect(entry.after.code).toBe('DH-BC-01');
    expect(entry.after.boundary.type).toBe('MultiPolygon');
  });

  it('reads, edits with before/after in the audit, and clears fields', async () => {
    expect((await admin.get(`/api/grids/${id}`)).json().name).toBe('北村第一网格');
    const res = await admin.patch(`/api/grids/${id}`, {
      name: '北村一网格',
      youthCount: 130,
      memberCount: 9,
      venue: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: '北村一网格',
      venue: null,
      capacity: { status: 'ok', basis: 'members' },
      fourOnes: { physicalVenue: false, complete: false },
    });
    // The boundary stays when the patch does not name it.
    expect(res.json().boundary.type).toBe('MultiPolygon');
    const [entry] = await auditRows('grid.update', id);
    expect(entry.before).toMatchObject({ name: '北村第一网格', youthCount: 114, venue: '北村文化礼堂二楼' });
    expect(entry.after).toMatchObject({ name: '北村一网格', youthCount: 130, memberCount: 9, venue: null });
    const over = await admin.patch(`/api/grids/${id}`, { memberCount: 11 });
    expect(over.json().capacity.status).toBe('over');
    const unlinked = await admin.patch(`/api/grids/${id}`, { linkedOrgIds: [] });
    expect(unlinked.json().linkedOrgs).toEqual([]);
    const relinked = await admin.patch(`/api/grids/${id}`, { linkedOrgIds: [industryId] });
    expect(relinked.json().linkedOrgs).toHaveLength(1);
  });

  it('lists with filters by town, village, kind, state, four ones and pages', async () => {
    for (const [i, extra] of [
      { kind: 'community', youthCount: 50, memberCount: 3 },
      { kind: 'village', youthCount: 5, memberCount: 1 },
      { kind: 'interest', youthCount: 300, memberCount: 40 },
    ].entries()) {
      const res = await admin.post('/api/grids', grid(i === 0 ? world.v2.id : world.v1.id, extra));
      expect(res.statusCode, res.body).toBe(201);
    }
    const all = (await admin.get('/api/grids')).json();
    expect(all.total).toBe(4);
    expect(all.items[0].boundary).toBeNull(); // polygons only when asked for
    const withShapes = (await admin.get('/api/grids?withBoundary=true&kind=village')).json();
    expect(withShapes.items.find((g: any) => g.id === id).boundary.type).toBe('MultiPolygon');
    expect((await admin.get(`/api/grids?townId=${world.t1.id}`)).json().total).toBe(3);
    expect((await admin.get(`/api/grids?villageId=${world.v2.id}`)).json().total).toBe(1);
    expect((await admin.get('/api/grids?kind=interest')).json().total).toBe(1);
    const over = (await admin.get('/api/grids?state=over')).json();
    expect(over.items.map((g: any) => g.capacity.status)).toEqual(['over', 'over']);
    expect((await admin.get('/api/grids?state=under_used')).json().total).toBe(1);
    expect((await admin.get('/api/grids?state=ok')).json().total).toBe(1);
    expect((await admin.get('/api/grids?fourOnes=complete')).json().total).toBe(0);
    expect((await admin.get('/api/grids?fourOnes=incomplete')).json().total).toBe(4);
    expect((await admin.get(`/api/grids?q=${encodeURIComponent('北村一')}`)).json().total).toBe(1);
    const page = (await admin.get('/api/grids?pageSize=3&page=2')).json();
    expect(page).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page.items).toHaveLength(1);
  });

  it('keeps the SQL state filter and the TypeScript rule in agreement under changed settings', async () => {
    const forbidden = await t1Admin.put('/api/grids/settings', { capacity: { youthMax: 10 } });
    expect(forbidden.statusCode).toBe(403);
    const set = await admin.put('/api/grids/settings', {
      capacity: { youthMax: 40, youthTolerance: 0, youthFloor: 6 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().capacity).toEqual({ youthMax: 40, youthTolerance: 0, membersMax: 10, youthFloor: 6 });
    const items = (await admin.get('/api/grids?pageSize=100')).json().items;
    for (const state of ['ok', 'over', 'under_used', 'unknown']) {
      const filtered = (await admin.get(`/api/grids?state=${state}&pageSize=100`)).json().items.map((g: any) => g.id);
      const computed = items.filter((g: any) => g.capacity.status === state).map((g: any) => g.id);
      expect(filtered.sort(), state).toEqual(computed.sort());
    }
    expect(items.find((g: any) => g.kind === 'community').capacity.status).toBe('ok'); // 50 youth, 3 members
    expect((await auditRows('grid.settings', world.districtA)).length).toBe(1);
    await admin.put('/api/grids/settings', { capacity: { youthMax: 100, youthTolerance: 20, youthFloor: 20 } });
  });

  it('deactivates instead of deleting', async () => {
    const res = await admin.delete(`/api/grids/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect(await count('grids', sql`id = ${id}`)).toBe(1);
    expect(await auditRows('grid.deactivate', id)).toHaveLength(1);
    expect((await admin.get('/api/grids')).json().total).toBe(3);
    expect((await admin.get('/api/grids?active=all')).json().total).toBe(4);
    // The code stays taken.
    const dup = await admin.post('/api/grids', grid(world.v1.id, { code: 'DH-BC-01' }));
    expect(dup.statusCode).toBe(409);
    const back = await admin.patch(`/api/grids/${id}`, { active: true });
    expect(back.json().active).toBe(true);
    expect(await auditRows('grid.reactivate', id)).toHaveLength(1);
  });
});

describe('bad input', () => {
  const bowtie = {
    type: 'Polygon',
    coordinates: [
      [
        [120.5, 30.1],
        [120.51, 30.11],
        [120.51, 30.1],
        [120.5, 30.11],
        [120.5, 30.1],
      ],
    ],
  };

  it('refuses duplicate codes, wrong orgs, polygons on circles and bad coordinates, writing nothing', async () => {
    const before = await count('grids');
    const cases: [Record<string, unknown>, number, string, string][] = [
      [grid(world.v1.id, { code: 'DH-BC-01' }), 409, 'DUPLICATE_GRID_CODE', 'code'],
      [grid(world.t1.id), 422, 'GRID_ORG_KIND', 'orgId'],
      [
        grid(world.v1.id, { kind: 'building', boundary: rect(120.5, 30.1, 0.01, 0.01) }),
        422,
        'POLYGON_ON_CIRCLE',
        'boundary',
      ],
      [
        grid(world.v1.id, {
          boundary: {
            type: 'Polygon',
            coordinates: [
              [
                [30.1, 120.5],
                [30.1, 120.51],
                [30.11, 120.51],
                [30.1, 120.5],
              ],
            ],
          },
        }),
        422,
        'COORD_ORDER_SWAPPED',
        'boundary.coordinates.0.0',
      ],
      [
        grid(world.v1.id, {
          boundary: {
            type: 'Polygon',
            coordinates: [
              [
                [190, 30],
                [191, 30],
                [191, 31],
                [190, 30],
              ],
            ],
          },
        }),
        422,
        'COORD_OUT_OF_RANGE',
        'boundary.coordinates.0.0',
      ],
      [
        grid(world.v1.id, {
          boundary: {
            type: 'Polygon',
            coordinates: [
              [
                [2.35, 48.85],
                [2.36, 48.85],
                [2.36, 48.86],
                [2.35, 48.85],
              ],
            ],
          },
        }),
        422,
        'OUTSIDE_AREA',
        'boundary.coordinates.0.0',
      ],
      [
        grid(world.v1.id, {
          boundary: {
            type: 'Polygon',
            coordinates: [
              [
                [120.5, 30.1],
                [120.51, 30.1],
                [120.51, 30.11],
                [120.5, 30.11],
              ],
            ],
          },
        }),
        422,
        'RING_NOT_CLOSED',
        'boundary.coordinates.0',
      ],
      [grid(world.v1.id, { boundary: bowtie, repair: false }), 422, 'GEOMETRY_INVALID', 'boundary'],
      [
        grid(world.v1.id, { leaderAccountId: otherDistrictAccountId }),
        422,
        'GRID_ACCOUNT_NOT_FOUND',
        'leaderAccountId',
      ],
      [grid(world.v1.id, { linkedOrgIds: [world.t2.id] }), 422, 'LINKED_ORG_NOT_ALLOWED', 'linkedOrgIds.0'],
      [grid(world.v2.id, { orgId: 99999 }), 404, 'ORG_NOT_FOUND', ''],
      [grid(world.v1.id, { kind: 'castle' }), 400, 'VALIDATION', 'kind'],
      [
        grid(world.v1.id, { boundary: { type: 'Point', coordinates: [120.5, 30.1] } }),
        400,
        'VALIDATION',
        'boundary.type',
      ],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await admin.post('/api/grids', payload);
      expect(res.statusCode, `${code} ${res.body}`).toBe(status);
      expect(res.json().code).toBe(code);
      if (field) expect(res.json().errors.map((e: any) => e.field)).toContain(field);
    }
    const invalid = await admin.post('/api/grids', grid(world.v1.id, { boundary: bowtie, repair: false }));
    expect(invalid.json().errors[0].message).toMatch(/Self-intersection/);
    // A town admin cannot name a leader from another town.
    const foreignLeader = await t1Admin.post('/api/grids', grid(world.v1.id, { contactAccountId: t2AccountId }));
    expect(foreignLeader.statusCode).toBe(422);
    expect(foreignLeader.json().errors[0].field).toBe('contactAccountId');
    expect(await count('grids')).toBe(before);
  });

  it('repairs a self-intersecting polygon with ST_MakeValid and says so', async () => {
    const res = await admin.post('/api/grids', grid(world.v1.id, { boundary: bowtie }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().boundaryNotice.repaired).toMatch(/Self-intersection/);
    expect(res.json().boundary.coordinates).toHaveLength(2); // the bow tie becomes two triangles
    await admin.delete(`/api/grids/${res.json().id}`);
  });

  it('converts GCJ-02 coordinates to WGS-84 with gcoord', async () => {
    const gcj = rect(120.55, 30.15, 0.005, 0.005);
    const res = await admin.post('/api/grids', grid(world.v1.id, { boundary: gcj, crs: 'gcj02' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().boundaryNotice.convertedFrom).toBe('gcj02');
    const [lon, lat] = res.json().boundary.coordinates[0][0][0];
    const expected = gcoord.transform([120.55, 30.15], gcoord.GCJ02, gcoord.WGS84) as number[];
    expect(lon).toBeCloseTo(expected[0], 6);
    expect(lat).toBeCloseTo(expected[1], 6);
    expect(Math.abs(lon - 120.55)).toBeGreaterThan(0.003); // the offset is hundreds of metres
    await admin.delete(`/api/grids/${res.json().id}`);
  });

  it('refuses an oversized upload', async () => {
    const huge = { collection: { type: 'FeatureCollection', features: [{ pad: 'x'.repeat(21 * 1024 * 1024) }] } };
    const res = await admin.post('/api/grids/import', huge);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('scope', () => {
  let t2Grid: number;
  let t1Grid: number;

  beforeAll(async () => {
    t2Grid = (await admin.post('/api/grids', grid(world.v2.id, { boundary: rect(120.3, 30.2, 0.01, 0.01) }))).json().id;
    t1Grid = (await admin.post('/api/grids', grid(world.v1.id))).json().id;
  });

  it('a town admin never sees or edits another town’s grids on any endpoint (404 + audit)', async () => {
    const list = (await t1Admin.get('/api/grids?pageSize=500&active=all')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((g: any) => g.orgId === world.v1.id)).toBe(true);
    expect((await t1Admin.get(`/api/grids?townId=${world.t2.id}`)).json().total).toBe(0);
    const deniedBefore = await count(
      'audit_log',
      sql`action = 'scope.denied' AND entity = 'grid' AND entity_id = ${String(t2Grid)}`,
    );
    expect((await t1Admin.get(`/api/grids/${t2Grid}`)).statusCode).toBe(404);
    expect((await t1Admin.patch(`/api/grids/${t2Grid}`, { name: '越界' })).statusCode).toBe(404);
    expect((await t1Admin.delete(`/api/grids/${t2Grid}`)).statusCode).toBe(404);
    expect(
      await count('audit_log', sql`action = 'scope.denied' AND entity = 'grid' AND entity_id = ${String(t2Grid)}`),
    ).toBe(deniedBefore + 3);
    // Creating under, or moving a grid to, another town's village
    expect((await t1Admin.post('/api/grids', grid(world.v2.id))).statusCode).toBe(404);
    expect((await t1Admin.patch(`/api/grids/${t1Grid}`, { orgId: world.v2.id })).statusCode).toBe(404);
    for (const url of [
      `/api/grids/stats?orgId=${world.t2.id}`,
      `/api/grids/coverage?orgId=${world.t2.id}`,
      `/api/grids/export?orgId=${world.t2.id}`,
      `/api/grids/territories/${world.t2.id}`,
    ]) {
      expect((await t1Admin.get(url)).statusCode, url).toBe(404);
    }
    expect(
      (await t1Admin.put(`/api/grids/territories/${world.v2.id}`, { boundary: rect(120.3, 30.2, 0.1, 0.1) }))
        .statusCode,
    ).toBe(404);
    expect((await t1Admin.delete(`/api/grids/territories/${world.v2.id}`)).statusCode).toBe(404);
    const imp = await t1Admin.post('/api/grids/import', {
      orgId: world.v2.id,
      collection: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: null, properties: { code: 'X-1', name: 'x', kind: 'village' } }],
      },
    });
    // The import's org outside the subtree: 404 like a missing one (a feature naming one: 422 below).
    expect(imp.statusCode).toBe(404);
    expect(imp.json().code).toBe('ORG_NOT_FOUND');
    const featureOrg = await t1Admin.post('/api/grids/import', {
      collection: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: null,
            properties: { code: 'X-1', name: 'x', kind: 'village', orgId: world.v2.id },
          },
        ],
      },
    });
    expect(featureOrg.statusCode).toBe(422);
    expect(featureOrg.json().errors[0]).toMatchObject({ field: 'features.0.properties.orgId' });
    // Their own: fine. Default stats and coverage are about their own town.
    expect((await t1Admin.get(`/api/grids/${t1Grid}`)).statusCode).toBe(200);
    expect((await t1Admin.get('/api/grids/stats')).json().orgId).toBe(world.t1.id);
    const cov = (await t1Admin.get('/api/grids/coverage')).json();
    expect(cov.orgId).toBe(world.t1.id);
    const exported = JSON.parse((await t1Admin.get('/api/grids/export')).body);
    expect(exported.features.every((f: any) => f.properties.org_id === world.v1.id)).toBe(true);
  });

  it('two districts are isolated', async () => {
    expect((await adminB.get('/api/grids')).json().total).toBe(0);
    expect((await adminB.get(`/api/grids?districtId=${world.districtA}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/grids/${t1Grid}`)).statusCode).toBe(404);
    expect((await adminB.patch(`/api/grids/${t1Grid}`, { name: 'x' })).statusCode).toBe(404);
    expect((await adminB.delete(`/api/grids/${t1Grid}`)).statusCode).toBe(404);
    expect((await adminB.post('/api/grids', grid(world.v1.id))).statusCode).toBe(404);
    expect((await adminB.get(`/api/grids/coverage?orgId=${world.t1.id}`)).statusCode).toBe(404);
    expect((await adminB.get(`/api/grids/stats?orgId=${world.t1.id}`)).statusCode).toBe(404);
    // Codes are unique per district, not across districts.
    const vb = await addOrg(ctx.database, world.tb, 'village_branch', '乙村团总支');
    const same = await adminB.post('/api/grids', grid(vb.id, { code: 'DH-BC-01' }));
    expect(same.statusCode, same.body).toBe(201);
    expect((await admin.get('/api/grids?q=DH-BC-01')).json().total).toBe(1);
  });

  it('read-only roles read, cannot write; youth cannot read', async () => {
    const leader = new Client(ctx.app);
    await leader.login('v1_leader', PASSWORD);
    expect((await leader.get('/api/grids')).statusCode).toBe(200);
    expect((await leader.post('/api/grids', grid(world.v1.id))).statusCode).toBe(403);
    expect((await leader.patch(`/api/grids/${t1Grid}`, { name: 'x' })).statusCode).toBe(403);
    const youth = new Client(ctx.app);
    await youth.login('v1_youth', PASSWORD);
    expect((await youth.get('/api/grids')).statusCode).toBe(403);
  });
});

describe('roll-ups', () => {
  it('counts grids in the org tree and blocks deactivating an org that still has grids', async () => {
    const tree = (await admin.get('/api/orgs/tree')).json();
    const active = await count('grids', sql`district_id = ${world.districtA} AND active`);
    expect(tree.roots[0].counts.grids).toBe(active);
    const v1Count = await count('grids', sql`org_id = ${world.v1.id} AND active`);
    expect(findNode(tree.roots, world.v1.id)!.counts.grids).toBe(v1Count);
    expect(findNode(tree.roots, world.t1.id)!.counts.grids).toBe(v1Count);
    const village = await addOrg(ctx.database, world.t1, 'village_branch', '将撤村团总支');
    const g = (await admin.post('/api/grids', grid(village.id))).json();
    const refused = await admin.delete(`/api/orgs/${village.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('ORG_HAS_GRIDS');
    await admin.delete(`/api/grids/${g.id}`);
    expect((await admin.delete(`/api/orgs/${village.id}`)).statusCode).toBe(200);
  });

  it('rolls four ones and capacity up per org and per child', async () => {
    const stats = (await admin.get(`/api/grids/stats?orgId=${world.rootA.id}`)).json();
    const rows = await many<any>(
      ctx.database.db,
      sql`SELECT g.* FROM grids g WHERE g.district_id = ${world.districtA} AND g.active`,
    );
    expect(stats.total.grids).toBe(rows.length);
    expect(stats.total.youth).toBe(rows.reduce((s, r) => s + (r.youth_count ?? 0), 0));
    expect(stats.total.fourOnes.leader).toBe(rows.filter((r) => r.leader_account_id).length);
    const capacitySum = Object.values(stats.total.capacity as Record<string, number>).reduce((s, n) => s + n, 0);
    expect(capacitySum).toBe(rows.length);
    const t1 = stats.children.find((c: any) => c.orgId === world.t1.id);
    const t2 = stats.children.find((c: any) => c.orgId === world.t2.id);
    expect(t1.grids + t2.grids).toBe(rows.length);
    // The one grid that had all four lost its venue in the edit test.
    expect(t1.fourOnes.complete).toBe(0);
    expect(t1.fourOnes.leader).toBe(1);
    expect(t1.threeOnesComplete).toBe(1);
  });
});

describe('coverage', () => {
  let town: any;
  let va: any;
  let vb: any;
  let gridB: number;

  beforeAll(async () => {
    town = (
      await admin.post('/api/orgs', { parentId: world.rootA.id, kind: 'town_committee', name: '覆盖镇团委' })
    ).json();
    va = (await admin.post('/api/orgs', { parentId: town.id, kind: 'village_branch', name: '甲村团总支' })).json();
    vb = (await admin.post('/api/orgs', { parentId: town.id, kind: 'village_branch', name: '乙村团总支' })).json();
    // Two squares of 0.01° overlapping by half: [120.605, 120.61] × [30.00, 30.01].
    expect(
      (await admin.post('/api/grids', grid(va.id, { code: 'SQ-A', boundary: rect(120.6, 30.0, 0.01, 0.01) })))
        .statusCode,
    ).toBe(201);
    gridB = (
      await admin.post('/api/grids', grid(va.id, { code: 'SQ-B', boundary: rect(120.605, 30.0, 0.01, 0.01) }))
    ).json().id;
    // A ring of eight 0.01° cells around an empty centre cell [120.71, 120.72] × [30.01, 30.02].
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (i === 1 && j === 1) continue;
        const res = await admin.post(
          '/api/grids',
          grid(vb.id, { code: `RING-${i}${j}`, boundary: rect(120.7 + i * 0.01, 30.0 + j * 0.01, 0.01, 0.01) }),
        );
        expect(res.statusCode, res.body).toBe(201);
      }
    }
  });

  it('finds two squares overlapping by a known area', async () => {
    const cov = (await admin.get(`/api/grids/coverage?orgId=${va.id}`)).json();
    expect(cov.grids).toBe(2);
    expect(cov.overlaps).toHaveLength(1);
    const [o] = cov.overlaps;
    expect([o.a.code, o.b.code].sort()).toEqual(['SQ-A', 'SQ-B']);
    const known = await rectArea(120.605, 30.0, 0.005, 0.01);
    expect(o.areaM2).toBeCloseTo(known, 0);
    // Independent of PostGIS: the sphere estimate agrees within 0.5 %.
    expect(Math.abs(o.areaM2 / sphereArea(30.0, 0.005, 0.01) - 1)).toBeLessThan(0.005);
    expect(o.areaM2).toBeGreaterThan(530_000);
    expect(o.areaM2).toBeLessThan(540_000);
    expect(o.geometry.type).toMatch(/Polygon/);
    expect(cov.gaps).toEqual([]);
    expect(cov.territory.source).toBe('union');
    expect(cov.coveredAreaM2).toBeCloseTo(await rectArea(120.6, 30.0, 0.015, 0.01), 0);
  });

  it('finds the hole of a ring as a gap of the centre cell’s area, and no overlaps between touching cells', async () => {
    const cov = (await admin.get(`/api/grids/coverage?orgId=${vb.id}`)).json();
    expect(cov.grids).toBe(8);
    expect(cov.overlaps).toEqual([]);
    expect(cov.gaps).toHaveLength(1);
    expect(cov.gaps[0].areaM2).toBeCloseTo(await rectArea(120.71, 30.01, 0.01, 0.01), 0);
    expect(cov.territory.areaM2).toBeCloseTo(await rectArea(120.7, 30.0, 0.03, 0.03), 0);
    const town_ = (await admin.get(`/api/grids/coverage?orgId=${town.id}`)).json();
    expect(town_.grids).toBe(10);
    expect(town_.overlaps).toHaveLength(1);
    expect(town_.gaps).toHaveLength(1);
    // A small enough minimum hides nothing; a large one hides both.
    const coarse = (await admin.get(`/api/grids/coverage?orgId=${town.id}&minAreaM2=2000000`)).json();
    expect(coarse.overlaps).toEqual([]);
    expect(coarse.gaps).toEqual([]);
  });

  it('against a drawn territory: gaps inside it and grids sticking out', async () => {
    // Territory [120.60, 120.62] × [30.00, 30.01]: the strip [120.615, 120.62] is uncovered.
    const put = await admin.put(`/api/grids/territories/${va.id}`, { boundary: rect(120.6, 30.0, 0.02, 0.01) });
    expect(put.statusCode, put.body).toBe(200);
    expect(await auditRows('org.territory', va.id)).toHaveLength(1);
    let cov = (await admin.get(`/api/grids/coverage?orgId=${va.id}`)).json();
    expect(cov.territory.source).toBe('drawn');
    expect(cov.gaps).toHaveLength(1);
    expect(cov.gaps[0].areaM2).toBeCloseTo(await rectArea(120.615, 30.0, 0.005, 0.01), 0);
    expect(cov.outside).toEqual([]);
    // Shrink it to [120.60, 120.61]: grid B sticks out by [120.61, 120.615].
    await admin.put(`/api/grids/territories/${va.id}`, { boundary: rect(120.6, 30.0, 0.01, 0.01) });
    cov = (await admin.get(`/api/grids/coverage?orgId=${town.id}`)).json();
    expect(cov.outside).toHaveLength(1);
    expect(cov.outside[0]).toMatchObject({ grid: { id: gridB, code: 'SQ-B' }, territoryOrgId: va.id });
    expect(cov.outside[0].areaM2).toBeCloseTo(await rectArea(120.61, 30.0, 0.005, 0.01), 0);
    expect((await admin.get(`/api/grids/territories/${va.id}`)).json().areaM2).toBeGreaterThan(0);
    expect((await admin.delete(`/api/grids/territories/${va.id}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/grids/territories/${va.id}`)).statusCode).toBe(404);
  });

  it('refuses a polygon outside the district once the district has a drawn territory', async () => {
    await admin.put(`/api/grids/territories/${world.rootA.id}`, { boundary: rect(120.0, 29.5, 1.0, 1.0) });
    const res = await admin.post('/api/grids', grid(va.id, { boundary: rect(121.5, 30.0, 0.01, 0.01) }));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('OUTSIDE_AREA');
    await admin.delete(`/api/grids/territories/${world.rootA.id}`);
  });
});

describe('GeoJSON import and export', () => {
  let village: any;

  beforeAll(async () => {
    village = (
      await admin.post('/api/orgs', { parentId: world.t1.id, kind: 'village_branch', name: '导入村团总支' })
    ).json();
  });

  const feature = (code: string, geometry: unknown, kind = 'village') => ({
    type: 'Feature',
    geometry,
    properties: { code, name: `网格${code}`, kind, youth_count: 80, member_count: 6 },
  });

  it('imports nothing when one feature is broken, naming the feature and why', async () => {
    const before = await count('grids');
    const res = await admin.post('/api/grids/import', {
      orgId: village.id,
      repair: false,
      collection: {
        type: 'FeatureCollection',
        features: [
          feature('IM-1', rect(120.8, 30.0, 0.01, 0.01)),
          feature('IM-2', {
            type: 'Polygon',
            coordinates: [
              [
                [30.0, 120.8],
                [30.0, 120.81],
                [30.01, 120.81],
                [30.0, 120.8],
              ],
            ],
          }),
          feature('IM-3', rect(120.8, 30.0, 0.01, 0.01), 'building'),
          feature('IM-1', rect(120.82, 30.0, 0.01, 0.01)),
          { type: 'Feature', geometry: null, properties: { name: 'no code', kind: 'village' } },
          'not a feature',
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('IMPORT_INVALID');
    const fields = res.json().errors.map((e: any) => e.field);
    expect(fields).toEqual([
      'features.1.geometry.coordinates.0.0',
      'features.2.geometry',
      'features.3.properties.code',
      'features.4.properties.code',
      'features.5',
    ]);
    expect(await count('grids')).toBe(before);
  });

  it('imports every feature in one go, repairing and reporting, then updates by code', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        feature('IM-1', rect(120.8, 30.0, 0.01, 0.01)),
        feature('IM-2', {
          type: 'Polygon',
          coordinates: [
            [
              [120.81, 30.0],
              [120.82, 30.01],
              [120.82, 30.0],
              [120.81, 30.01],
              [120.81, 30.0],
            ],
          ],
        }),
        feature('IM-3', null, 'interest'),
      ],
    };
    const dry = await admin.post('/api/grids/import', { orgId: village.id, dryRun: true, collection });
    expect(dry.json()).toMatchObject({ created: 3, updated: 0, dryRun: true });
    expect((await admin.get(`/api/grids?villageId=${village.id}`)).json().total).toBe(0);
    const res = await admin.post('/api/grids/import', { orgId: village.id, collection });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 3, updated: 0, repaired: [{ index: 1, code: 'IM-2' }] });
    expect((await admin.get(`/api/grids?villageId=${village.id}`)).json().total).toBe(3);
    expect(await count('audit_log', sql`action = 'grid.import'`)).toBe(1);

    // Round trip: export, edit in a GIS tool, import back: the codes update the same grids.
    const exported = await admin.get(`/api/grids/export?orgId=${village.id}`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('application/geo+json');
    expect(exported.headers['content-disposition']).toContain('.geojson');
    const fc = JSON.parse(exported.body);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(3);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      // Flat properties only: QGIS maps each to a column.
      for (const v of Object.values(f.properties))
        expect(['string', 'number', 'boolean', 'object']).toContain(typeof v);
      for (const v of Object.values(f.properties)) if (typeof v === 'object') expect(v).toBeNull();
    }
    const im1 = fc.features.find((f: any) => f.properties.code === 'IM-1');
    expect(im1.geometry.type).toBe('MultiPolygon');
    expect(im1.properties).toMatchObject({ kind: 'village', org_id: village.id, youth_count: 80, capacity: 'ok' });
    expect(fc.features.find((f: any) => f.properties.code === 'IM-3').geometry).toBeNull();
    // QGIS reads GeoJSON through GDAL's OGR driver: where GDAL is installed, it must read every feature and column.
    const ogrinfo = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
    if (ogrinfo.status === 0) {
      const file = path.join(os.tmpdir(), `jw-export-${process.pid}.geojson`);
      fs.writeFileSync(file, exported.body);
      try {
        const info = spawnSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' });
        expect(info.status, info.stderr).toBe(0);
        expect(info.stdout).toContain('Feature Count: 3');
        expect(info.stdout).toMatch(/Geometry: Multi Polygon/);
        expect(info.stdout).toMatch(/EPSG.*4326|WGS 84/);
        for (const column of ['code', 'name', 'kind', 'youth_count', 'capacity'])
          expect(info.stdout).toContain(`${column}:`);
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
    im1.properties.name = '改过名的网格';
    const again = await admin.post('/api/grids/import', { collection: fc });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, updated: 3 });
    const names = (await admin.get(`/api/grids?villageId=${village.id}`)).json().items.map((g: any) => g.name);
    expect(names).toContain('改过名的网格');
  });
});

describe('division assistant', () => {
  let village: any;
  // An L-shaped territory: [120.9, 120.92] × [30.0, 30.01] plus [120.9, 120.91] × [30.01, 30.02].
  const lShape = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [120.9, 30.0],
        [120.92, 30.0],
        [120.92, 30.01],
        [120.91, 30.01],
        [120.91, 30.02],
        [120.9, 30.02],
        [120.9, 30.0],
      ],
    ],
  };
  const points: number[][] = [];
  for (let i = 0; i < 450; i++) {
    // Spread over the L (the bottom bar and the left column), plus 10 points outside it.
    const t = (i * 0.618034) % 1;
    const u = (i * 0.414214) % 1;
    points.push(i % 2 ? [120.9 + 0.02 * t, 30.0 + 0.01 * u] : [120.9 + 0.01 * t, 30.0 + 0.02 * u]);
  }
  for (let i = 0; i < 10; i++) points.push([120.915 + 0.004 * (i / 10), 30.015]);

  beforeAll(async () => {
    village = (
      await admin.post('/api/orgs', { parentId: world.t1.id, kind: 'village_branch', name: '划分村团总支' })
    ).json();
  });

  it('proposes grids that tile the territory within the rule, and writes nothing', async () => {
    const before = await count('grids');
    const res = await admin.post('/api/grids/divide', { orgId: village.id, territory: lShape, points });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.youth).toBe(450);
    expect(p.ignoredPoints).toBe(10);
    expect(p.grids).toHaveLength(5);
    expect(p.quality.withinRule).toBe(1);
    expect(p.quality.maxYouth).toBe(90);
    expect(p.grids.every((g: any) => g.youth === 90 && g.capacity.status === 'ok')).toBe(true);
    const total = p.grids.reduce((s: number, g: any) => s + g.areaM2, 0);
    // Geodesic areas of the pieces add up to the whole within a few ppm (edges are great-circle arcs).
    expect(Math.abs(total / p.territory.areaM2 - 1)).toBeLessThan(1e-4);
    expect(p.quality.polsbyPopperMin).toBeGreaterThan(0.3);
    // No two proposed grids share area, and together they are the territory.
    const geoms = p.grids.map((g: any) => JSON.stringify(g.boundary));
    const check = await one<{ overlap: number; diff: number }>(
      ctx.database.db,
      sql`WITH g AS (SELECT i, ST_SetSRID(ST_GeomFromGeoJSON(v #>> '{}'), 4326) AS geom
                     FROM jsonb_array_elements(${JSON.stringify(geoms)}::jsonb) WITH ORDINALITY AS x(v, i))
          SELECT (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
                  FROM g a JOIN g b ON a.i < b.i) AS overlap,
                 ST_Area(ST_SymDifference((SELECT ST_Union(geom) FROM g),
                   ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(lShape)}), 4326))::geography) AS diff`,
    );
    expect(Number(check!.overlap)).toBeLessThan(0.01);
    expect(Number(check!.diff)).toBeLessThan(0.01);
    expect(await count('grids')).toBe(before);
  });

  it('accepts the (adjusted) proposal in one transaction; the village is then covered without gaps or overlaps', async () => {
    const p = (await admin.post('/api/grids/divide', { orgId: village.id, territory: lShape, points })).json();
    const grids = p.grids.map((g: any, i: number) => ({
      code: `HF-${i + 1}`,
      name: i === 0 ? '改名的第一网格' : g.name,
      boundary: g.boundary,
      youthCount: g.youth,
    }));
    const broken = [
      ...grids,
      {
        ...grids[0],
        code: 'HF-X',
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [30, 120.9],
              [30, 120.91],
              [30.01, 120.91],
              [30, 120.9],
            ],
          ],
        },
      },
    ];
    const refused = await admin.post('/api/grids/divide/accept', { orgId: village.id, grids: broken });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].field).toMatch(/^features\.5\.geometry/);
    expect((await admin.get(`/api/grids?villageId=${village.id}`)).json().total).toBe(0);
    const res = await admin.post('/api/grids/divide/accept', { orgId: village.id, grids });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toBe(5);
    const cov = (await admin.get(`/api/grids/coverage?orgId=${village.id}`)).json();
    expect(cov).toMatchObject({ grids: 5, overlaps: [], gaps: [] });
    // With grids in place and no drawn territory, the union of its grids is the territory.
    const again = (await admin.post('/api/grids/divide', { orgId: village.id, points })).json();
    expect(again.territory.source).toBe('union');
    expect(again.youth).toBe(450);
  });

  it('is scoped like every grid endpoint', async () => {
    expect(
      (await t1Admin.post('/api/grids/divide', { orgId: world.v2.id, territory: lShape, points })).statusCode,
    ).toBe(404);
    expect(
      (
        await t1Admin.post('/api/grids/divide/accept', {
          orgId: world.v2.id,
          grids: [{ code: 'Z-1', name: 'z', boundary: lShape }],
        })
      ).statusCode,
    ).toBe(404);
    expect((await adminB.post('/api/grids/divide', { orgId: village.id, territory: lShape, points })).statusCode).toBe(
      404,
    );
    const town = await admin.post('/api/grids/divide', { orgId: world.t1.id, territory: lShape, points });
    expect(town.json().code).toBe('GRID_ORG_KIND');
    const empty = (
      await admin.post('/api/orgs', { parentId: world.t2.id, kind: 'village_branch', name: '空白村团总支' })
    ).json();
    const none = await admin.post('/api/grids/divide', { orgId: empty.id, points });
    expect(none.json().code).toBe('TERRITORY_NOT_FOUND');
  });
});

describe('contract', () => {
  it('documents every grid endpoint in the OpenAPI document', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/grids',
      '/api/grids/{id}',
      '/api/grids/stats',
      '/api/grids/coverage',
      '/api/grids/export',
      '/api/grids/import',
      '/api/grids/settings',
      '/api/grids/territories/{id}',
      '/api/grids/divide',
      '/api/grids/divide/accept',
    ]) {
      expect(paths).toContain(p);
    }
  });
});

describe('capacity from the registry', () => {
  it('counts the people registered in a grid once it has any, the recorded figures before', async () => {
    const res = await admin.post(
      '/api/grids',
      grid(world.v1.id, { code: 'REG-1', name: '登记网格', kind: 'interest', youthCount: 300, memberCount: 40 }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const gridId = res.json().id;
    expect(res.json()).toMatchObject({ registeredYouth: 0, capacity: { status: 'over' } });
    const overIds = async () =>
      (await admin.get('/api/grids?state=over&pageSize=100')).json().items.map((g: any) => g.id);
    expect(await overIds()).toContain(gridId);
    // 90 youth registered in it (4 League members), 2 pending and 1 withdrawn who do not count.
    const ids: number[] = [];
    for (let i = 0; i < 93; i++) ids.push(await addPerson(ctx.database, world.v1, `登记${i}`));
    await ctx.database.db.execute(sql`UPDATE people SET home_grid_id = ${gridId} WHERE id = ANY(${`{${ids}}`}::int[])`);
    await ctx.database.db.execute(
      sql`UPDATE people SET political_status = 'league_member' WHERE id = ANY(${`{${ids.slice(0, 4)}}`}::int[])`,
    );
    await ctx.database.db.execute(
      sql`UPDATE people SET status = 'pending' WHERE id = ANY(${`{${ids.slice(90, 92)}}`}::int[])`,
    );
    await ctx.database.db.execute(
      sql`UPDATE people SET status = 'withdrawn', withdrawn_at = now() WHERE id = ${ids[92]}`,
    );
    const now = (await admin.get(`/api/grids/${gridId}`)).json();
    expect(now).toMatchObject({ youthCount: 300, registeredYouth: 90, registeredMembers: 4 });
    expect(now.capacity).toEqual({ status: 'ok', basis: 'youth' });
    expect(await overIds()).not.toContain(gridId); // the SQL filter reads the same counts
  });
});
