import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgTreeNode } from '../../../domain/org.ts';
import { many } from '../../db/sql.ts';
import { buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  t1Admin = new Client(ctx.app);
  await t1Admin.login('t1_admin', PASSWORD);
});
afterAll(() => ctx?.close());

function findNode(nodes: OrgTreeNode[], id: number): OrgTreeNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const found = findNode(n.children, id);
    if (found) return found;
  }
}

async function auditCount(action: string, entityId: number) {
  const rows = await many<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND entity_id = ${String(entityId)}`,
  );
  return rows[0].n;
}

describe('org network', () => {
  it('creates a town and a village, with an audit entry holding the new state', async () => {
    const town = await admin.post('/api/orgs', {
      parentId: world.rootA.id,
      kind: 'town_committee',
      name: '柯桥街道团工委',
    });
    expect(town.statusCode).toBe(201);
    expect(town.json()).toMatchObject({ name: '柯桥街道团工委', depth: 1, hierarchical: true, active: true });
    const village = await admin.post('/api/orgs', {
      parentId: town.json().id,
      kind: 'village_branch',
      name: '型塘村团总支',
    });
    expect(village.statusCode).toBe(201);
    expect(village.json().parentId).toBe(town.json().id);
    const [entry] = await many<any>(
      ctx.database.db,
      sql`SELECT after, username FROM audit_log WHERE action = 'org.create' AND entity_id = ${String(village.json().id)}`,
    );
    expect(entry.username).toBe('admin_a');
    expect(entry.after.name).toBe('型塘村团总支');
  });

  it('finds orgs by name, full pinyin and pinyin initials', async () => {
    for (const q of ['柯桥街道', 'kqjd', 'keqiaojiedao', 'KQJD']) {
      const res = await admin.get(`/api/orgs?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((o: any) => o.name)).toContain('柯桥街道团工委');
    }
    const none = await admin.get('/api/orgs?q=zzzzqq');
    expect(none.json().total).toBe(0);
  });

  it('non-hierarchical orgs sit under their guiding org and are marked so', async () => {
    const res = await admin.post('/api/orgs', {
      parentId: world.t1.id,
      kind: 'industry_committee',
      name: '快递行业团委',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().hierarchical).toBe(false);
    const wrong = await admin.post('/api/orgs', { parentId: world.v1.id, kind: 'town_committee', name: '错位镇团委' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'KIND_NOT_ALLOWED_HERE', errors: [{ field: 'kind' }] });
  });

  it('moves an org with its subtree and refuses a move under its own descendant', async () => {
    const town = (
      await admin.post('/api/orgs', { parentId: world.rootA.id, kind: 'town_committee', name: '搬迁镇团委' })
    ).json();
    const village = (
      await admin.post('/api/orgs', { parentId: town.id, kind: 'village_branch', name: '搬迁村团总支' })
    ).json();
    const grid = (
      await admin.post('/api/orgs', { parentId: village.id, kind: 'grid_branch', name: '一号网格团支部' })
    ).json();

    const moved = await admin.patch(`/api/orgs/${village.id}`, { parentId: world.t2.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().parentId).toBe(world.t2.id);
    const [row] = await many<any>(ctx.database.db, sql`SELECT path, depth FROM orgs WHERE id = ${grid.id}`);
    expect(row.path).toBe(`${world.rootA.path}${world.t2.id}/${village.id}/${grid.id}/`);
    expect(row.depth).toBe(3);
    expect(await auditCount('org.move', village.id)).toBe(1);

    const intoChild = await admin.patch(`/api/orgs/${village.id}`, { parentId: grid.id });
    expect(intoChild.statusCode).toBe(422);
    expect(intoChild.json().code).toBe('MOVE_INTO_DESCENDANT');
    const intoSelf = await admin.patch(`/api/orgs/${village.id}`, { parentId: village.id });
    expect(intoSelf.json().code).toBe('MOVE_INTO_DESCENDANT');
    const root = await admin.patch(`/api/orgs/${world.rootA.id}`, { parentId: world.t1.id });
    expect(root.json().code).toBe('ROOT_IMMUTABLE');
    const [after] = await many<any>(ctx.database.db, sql`SELECT path FROM orgs WHERE id = ${grid.id}`);
    expect(after.path).toBe(row.path);
  });

  it('refuses duplicate sibling names and keeps names with markup as plain text', async () => {
    const dup = await admin.post('/api/orgs', { parentId: world.rootA.id, kind: 'town_committee', name: '东湖镇团委' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'DUPLICATE_NAME', errors: [{ field: 'name' }] });
    const html = '<script>alert(1)</script>镇团委';
    const res = await admin.post('/api/orgs', { parentId: world.rootA.id, kind: 'town_committee', name: html });
    expect(res.statusCode).toBe(201);
    expect((await admin.get(`/api/orgs/${res.json().id}`)).json().name).toBe(html);
  });

  it('rejects bad input with every field named, and writes nothing', async () => {
    const before = await many<{ n: number }>(ctx.database.db, sql`SELECT count(*)::int AS n FROM orgs`);
    const cases: [unknown, string[]][] = [
      [{ parentId: 'x', kind: 'town_committee', name: 'a' }, ['parentId']],
      [{ kind: 'town_committee' }, ['parentId', 'name']],
      [{ parentId: world.rootA.id, kind: 'nonsense', name: 'a' }, ['kind']],
      [{ parentId: world.rootA.id, kind: 'town_committee', name: '长'.repeat(101) }, ['name']],
      [{ parentId: world.rootA.id, kind: 'town_committee', name: '  ' }, ['name']],
      [{ parentId: world.rootA.id, kind: 'town_committee', name: 'ok', extra: 1 }, ['']],
    ];
    for (const [payload, fields] of cases) {
      const res = await admin.post('/api/orgs', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const named = res.json().errors.map((e: any) => e.field);
      for (const f of fields) if (f) expect(named).toContain(f);
      for (const e of res.json().errors) expect(e.message.length).toBeGreaterThan(0);
    }
    const unknownParent = await admin.post('/api/orgs', { parentId: 999999, kind: 'town_committee', name: '无主镇' });
    expect(unknownParent.statusCode).toBe(404);
    const malformed = await admin.request('POST', '/api/orgs', '{"parentId":', { 'content-type': 'application/json' });
    expect(malformed.statusCode).toBe(400);
    const after = await many<{ n: number }>(ctx.database.db, sql`SELECT count(*)::int AS n FROM orgs`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('deactivates instead of deleting, and refuses while children or accounts are active', async () => {
    const withChildren = await admin.delete(`/api/orgs/${world.t2.id}`);
    expect(withChildren.statusCode).toBe(409);
    expect(withChildren.json().code).toBe('ORG_HAS_CHILDREN');
    const withAccounts = await admin.delete(`/api/orgs/${world.v1.id}`);
    expect(withAccounts.statusCode).toBe(409);
    expect(withAccounts.json().code).toBe('ORG_HAS_ACCOUNTS');
    const leaf = (
      await admin.post('/api/orgs', { parentId: world.t1.id, kind: 'village_branch', name: '撤并村团总支' })
    ).json();
    const res = await admin.delete(`/api/orgs/${leaf.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    const rows = await many<any>(ctx.database.db, sql`SELECT active FROM orgs WHERE id = ${leaf.id}`);
    expect(rows).toEqual([{ active: false }]);
    const under = await admin.post('/api/orgs', { parentId: leaf.id, kind: 'grid_branch', name: '新网格' });
    expect(under.json().code).toBe('ORG_INACTIVE');
    const back = await admin.patch(`/api/orgs/${leaf.id}`, { active: true });
    expect(back.json().active).toBe(true);
  });

  it('rolls counts up the tree', async () => {
    const tree = (await admin.get('/api/orgs/tree')).json();
    expect(tree.roots).toHaveLength(1);
    const root = tree.roots[0] as OrgTreeNode;
    const [count] = await many<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM orgs WHERE district_id = ${world.districtA} AND active`,
    );
    expect(root.counts.orgs).toBe(count.n);
    expect(root.counts.accounts).toBe(5);
    const t1 = findNode(tree.roots, world.t1.id)!;
    expect(t1.counts.accounts).toBe(3);
    const sumChildren = t1.children.reduce((s, c) => s + c.counts.orgs, 0);
    expect(t1.counts.orgs).toBe(sumChildren + 1);
  });

  it('alliances group orgs from anywhere in the district', async () => {
    const alliance = (
      await admin.post('/api/orgs', { parentId: world.rootA.id, kind: 'alliance', name: '东西联盟' })
    ).json();
    const set = await admin.put(`/api/orgs/${alliance.id}/members`, { orgIds: [world.t1.id, world.v2.id] });
    expect(set.statusCode).toBe(200);
    expect(
      set
        .json()
        .items.map((m: any) => m.id)
        .sort(),
    ).toEqual([world.t1.id, world.v2.id].sort());
    const foreign = await admin.put(`/api/orgs/${alliance.id}/members`, { orgIds: [world.tb.id] });
    expect(foreign.statusCode).toBe(404);
    expect((await admin.get(`/api/orgs/${alliance.id}/members`)).json().items).toHaveLength(2);
    const notAlliance = await admin.get(`/api/orgs/${world.t1.id}/members`);
    expect(notAlliance.json().code).toBe('NOT_AN_ALLIANCE');
  });
});

describe('scope', () => {
  it('a town admin sees only his subtree; other towns answer 404 and are audited', async () => {
    const tree = (await t1Admin.get('/api/orgs/tree')).json();
    expect(tree.roots.map((r: any) => r.id)).toEqual([world.t1.id]);
    expect(findNode(tree.roots, world.t2.id)).toBeUndefined();
    const other = await t1Admin.get(`/api/orgs/${world.t2.id}`);
    expect(other.statusCode).toBe(404);
    expect(await auditCount('scope.denied', world.t2.id)).toBeGreaterThan(0);
    expect((await t1Admin.get(`/api/orgs/${world.v1.id}`)).statusCode).toBe(200);
    expect((await t1Admin.get(`/api/orgs?q=${encodeURIComponent('西山')}`)).json().total).toBe(0);
    expect((await t1Admin.patch(`/api/orgs/${world.t2.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await t1Admin.delete(`/api/orgs/${world.v2.id}`)).statusCode).toBe(404);
    const under = await t1Admin.post('/api/orgs', { parentId: world.t2.id, kind: 'village_branch', name: '越界村' });
    expect(under.statusCode).toBe(404);
    const moveOut = await t1Admin.patch(`/api/orgs/${world.v1.id}`, { parentId: world.t2.id });
    expect(moveOut.statusCode).toBe(404);
    const moveOwnRoot = await t1Admin.patch(`/api/orgs/${world.t1.id}`, { parentId: world.rootA.id });
    expect(moveOwnRoot.statusCode).toBe(200);
  });

  it('two districts never see each other', async () => {
    const b = new Client(ctx.app);
    await b.login('admin_b', PASSWORD);
    const tree = (await b.get('/api/orgs/tree')).json();
    expect(tree.roots.map((r: any) => r.id)).toEqual([world.rootB.id]);
    expect(JSON.stringify(tree)).not.toContain('东湖镇');
    expect((await b.get(`/api/orgs/${world.t1.id}`)).statusCode).toBe(404);
    expect((await b.get(`/api/orgs/tree?districtId=${world.districtA}`)).statusCode).toBe(404);
    expect((await b.get(`/api/orgs?districtId=${world.districtA}`)).statusCode).toBe(404);
    expect((await b.get('/api/orgs?q=dhz')).json().total).toBe(0);
    expect(
      (await b.post('/api/orgs', { parentId: world.t1.id, kind: 'village_branch', name: '跨区村' })).statusCode,
    ).toBe(404);
    expect((await b.get('/api/districts')).json().items.map((d: any) => d.id)).toEqual([world.districtB]);
    expect((await b.get('/api/orgs/tree?districtId=999')).statusCode).toBe(404);
  });

  it('read-only roles cannot write', async () => {
    const leader = new Client(ctx.app);
    await leader.login('v1_leader', PASSWORD);
    expect((await leader.get('/api/orgs/tree')).statusCode).toBe(200);
    const res = await leader.post('/api/orgs', { parentId: world.v1.id, kind: 'grid_branch', name: '网格' });
    expect(res.statusCode).toBe(403);
    const youth = new Client(ctx.app);
    await youth.login('v1_youth', PASSWORD);
    expect((await youth.get('/api/orgs/tree')).statusCode).toBe(403);
  });
});

describe('scale', () => {
  it('answers the whole tree of a 5,000-org district with correct roll-ups', async () => {
    const town = (
      await admin.post('/api/orgs', { parentId: world.rootA.id, kind: 'town_committee', name: '大镇团委' })
    ).json();
    // Bulk insert through SQL: 50 villages × 99 grid branches under one town.
    await ctx.database.db.execute(sql`
      INSERT INTO orgs (id, district_id, parent_id, kind, name, hierarchical, path, depth, name_pinyin, name_initials)
      SELECT id, ${world.districtA}, ${town.id}, 'village_branch', '村' || g, true, ${`${world.rootA.path}${town.id}/`} || id || '/',
             2, 'cun' || g, 'c' || g
      FROM (SELECT nextval('orgs_id_seq')::int AS id, g FROM generate_series(1, 50) g) s`);
    await ctx.database.db.execute(sql`
      INSERT INTO orgs (id, district_id, parent_id, kind, name, hierarchical, path, depth, name_pinyin, name_initials)
      SELECT id, ${world.districtA}, vid, 'grid_branch', '网格' || s, true, vpath || id || '/', 3, 'wangge' || s, 'wg' || s
      FROM (SELECT nextval('orgs_id_seq')::int AS id, v.id AS vid, v.path AS vpath, s
            FROM orgs v, generate_series(1, 99) s WHERE v.parent_id = ${town.id}) x`);
    const tree = (await admin.get('/api/orgs/tree')).json();
    expect(tree.total).toBeGreaterThan(5000);
    expect(findNode(tree.roots, town.id)!.counts.orgs).toBe(1 + 50 + 50 * 99);
    const search = (await admin.get('/api/orgs?q=wg77&pageSize=100')).json();
    expect(search.total).toBe(50);
  });
});
