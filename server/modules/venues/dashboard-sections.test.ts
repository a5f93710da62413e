import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrg, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

/**
 * The overview sections of the venues, funds and notices modules (registered through
 * dashboard.sections.ts) give the same numbers as the detailed lists, per child and overall, and
 * respect the viewer's scope.
 */
let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;

const OPEN = { from: '08:00', to: '22:00' };
const venue = (orgId: number, n: number) => ({
  orgId,
  type: 'youth_home',
  name: `看板青年之家${n}`,
  location: { lon: 120.49 + n * 0.001, lat: 30.08 },
  capacity: 30,
  openingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [OPEN]])),
});

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  t1Admin = new Client(ctx.app);
  await t1Admin.login('t1_admin', PASSWORD);
});
afterAll(() => ctx?.close());

const section = (o: any, key: string) => o.sections.find((s: any) => s.key === key);

describe('module sections of the overview', () => {
  it('venues and funds figures equal the detailed lists, per town and overall; scope applies', async () => {
    for (const [org, n] of [
      [world.v1, 1],
      [world.t1, 2],
      [world.v2, 3],
    ] as const) {
      expect((await admin.post('/api/venues', venue(org.id, n))).statusCode).toBe(201);
    }
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const village = await addOrg(ctx.database, world.t2, 'village_branch', '看板村');
    for (const org of [world.v1, village]) {
      const acc = (await admin.post('/api/funds/accounts', { orgId: org.id, year })).json();
      await admin.post(`/api/funds/accounts/${acc.id}/deposits`, { amountFen: 123_456 });
    }

    const o = (await admin.get(`/api/dashboard/overview?orgId=${world.rootA.id}`)).json();
    const venues = section(o, 'venues');
    const list = (await admin.get(`/api/venues?orgId=${world.rootA.id}&pageSize=1`)).json();
    expect(venues.values.venues).toBe(list.total);
    expect(venues.values.venues).toBe(3);
    for (const town of [world.t1, world.t2]) {
      const townList = (await admin.get(`/api/venues?orgId=${town.id}&pageSize=1`)).json();
      expect(venues.byChild[String(town.id)].venues).toBe(townList.total);
    }

    const funds = section(o, 'funds');
    const accounts = (await admin.get(`/api/funds/accounts?year=${year}&pageSize=500`)).json();
    expect(funds.values.accounts).toBe(accounts.total);
    const balance = accounts.items.reduce((s: number, a: any) => s + a.summary.balanceFen, 0);
    expect(funds.values.balanceYuan).toBe(Math.floor(balance / 100));
    expect(funds.byChild[String(world.t1.id)]).toMatchObject({ accounts: 1, balanceYuan: 1234 });

    const notices = section(o, 'notices');
    expect(notices.values).toMatchObject({ receipts: 0, onTimePct: null });

    // A town admin's overview: his town only.
    const own = (await t1Admin.get('/api/dashboard/overview')).json();
    expect(section(own, 'venues').values.venues).toBe(2);
    expect(section(own, 'funds').values.accounts).toBe(1);
  });
});
