import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { buildPeopleWorld, tempDataDir } from '../people/people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildPeopleWorld(ctx.database);
  // People in both towns (some pending: not counted as registered youth anywhere).
  for (let i = 0; i < 3; i++) await addPerson(ctx.database, world.v1, `东${i}`);
  await addPerson(ctx.database, world.v1, '东待', 'pending');
  for (let i = 0; i < 2; i++) await addPerson(ctx.database, world.v2, `西${i}`);
  for (const name of ['admin_a', 'admin_b', 't1_admin', 'v1_youth']) {
    clients[name] = new Client(ctx.app);
    await clients[name].login(name, PASSWORD);
  }
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard overview', () => {
  it('totals and per-town figures equal what the detailed lists show', async () => {
    const res = await as('admin_a').get(`/api/dashboard/overview?orgId=${world.rootA.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    expect(o.org.id).toBe(world.rootA.id);
    expect(o.children.map((c: any) => c.id).sort()).toEqual([world.t1.id, world.t2.id].sort());

    const people = await as('admin_a').get(`/api/people?orgId=${world.rootA.id}&status=registered&pageSize=1`);
    expect(o.totals.people).toBe(people.json().total);
    expect(o.totals.people).toBe(5);
    const grids = await as('admin_a').get(`/api/grids?orgId=${world.rootA.id}&pageSize=1`);
    expect(o.totals.grids).toBe(grids.json().total);
    expect(o.grids.grids).toBe(grids.json().total);

    for (const town of [world.t1, world.t2]) {
      const child = o.children.find((c: any) => c.id === town.id);
      const list = await as('admin_a').get(`/api/people?orgId=${town.id}&status=registered&pageSize=1`);
      expect(child.counts.people).toBe(list.json().total);
      const townGrids = await as('admin_a').get(`/api/grids?orgId=${town.id}&pageSize=1`);
      expect(child.grids.grids).toBe(townGrids.json().total);
    }
    expect(o.children.find((c: any) => c.id === world.t1.id).counts.people).toBe(3);
  });

  it('a town admin sees his town by default and nothing outside it', async () => {
    const own = await as('t1_admin').get('/api/dashboard/overview');
    expect(own.statusCode).toBe(200);
    expect(own.json().org.id).toBe(world.t1.id);
    expect(own.json().totals.people).toBe(3);
    expect((await as('t1_admin').get(`/api/dashboard/overview?orgId=${world.t2.id}`)).statusCode).toBe(404);
    expect((await as('t1_admin').get(`/api/dashboard/overview?orgId=${world.rootA.id}`)).statusCode).toBe(404);
    expect((await as('admin_b').get(`/api/dashboard/overview?orgId=${world.t1.id}`)).statusCode).toBe(404);
    expect((await as('v1_youth').get('/api/dashboard/overview')).statusCode).toBe(403);
  });
});
