/**
 * Registration growth, 1+100 contact coverage and visit-day records as ranking metrics (issue 9): the numbers of a
 * quarterly ranking of villages, and the records behind them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;

const exec = (q: ReturnType<typeof sql>) => ctx.database.db.execute(q);

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  const { districtA: d, v1, v2 } = world;

  // V1: three youth this quarter, one last year; V2: one this quarter and one who withdrew consent.
  const v1People = [];
  for (const name of ['甲一', '甲二', '甲三', '甲四']) v1People.push(await addPerson(ctx.database, v1, name));
  await exec(sql`UPDATE people SET created_at = '2025-03-01T02:00:00Z' WHERE id = ${v1People[3]}`);
  const v2Youth = await addPerson(ctx.database, v2, '乙一');
  const withdrawn = await addPerson(ctx.database, v2, '乙二');
  await exec(sql`UPDATE people SET withdrawn_at = now() WHERE id = ${withdrawn}`);

  // The V1 cadre (甲一) keeps three youth on his 1+100 list and contacted two of them this quarter (one twice),
  // the third only last quarter.
  const cadre = v1People[0];
  await exec(sql`INSERT INTO cadres (person_id, district_id, posts) VALUES (${cadre}, ${d}, '["grid_leader"]'::jsonb)`);
  for (const p of [v1People[1], v1People[2], v1People[3]])
    await exec(sql`INSERT INTO cadre_contacts (cadre_person_id, person_id, district_id) VALUES (${cadre}, ${p}, ${d})`);
  for (const [p, day] of [
    [v1People[1], '2026-10-15'],
    [v1People[1], '2026-11-02'],
    [v1People[2], '2026-11-20'],
    [v1People[3], '2026-09-30'],
  ] as const)
    await exec(
      sql`INSERT INTO contact_logs (district_id, cadre_person_id, person_id, contacted_on, channel)
          VALUES (${d}, ${cadre}, ${p}, ${day}, 'wechat')`,
    );

  // Visits: the district moved its visit day to the 10th. V2 visited on 10 Oct and 10 Nov (counted), on 9 Nov (not
  // the visit day) and on 10 Sep (last quarter).
  await exec(sql`INSERT INTO visit_settings (district_id, visit_day) VALUES (${d}, 10)`);
  for (const day of ['2026-10-10', '2026-11-10', '2026-11-09', '2026-09-10'])
    await exec(
      sql`INSERT INTO visits (district_id, org_id, visited_on, target_kind, person_id, target_name, notes)
          VALUES (${d}, ${v2.id}, ${day}, 'person', ${v2Youth}, '乙一', '走访青年，了解就业需求')`,
    );
});
afterAll(() => ctx?.close());

describe('people and cadre ranking metrics', () => {
  it('rank villages by new registrations, 1+100 coverage and visit-day records, with the records behind each', async () => {
    const metrics = (await admin.get('/api/assessments/rankings/metrics')).json().items.map((m: any) => m.key);
    expect(metrics).toEqual(expect.arrayContaining(['registration_growth', 'contact_coverage', 'visit_day_records']));

    const scheme = await admin.post('/api/assessments/rankings/schemes', {
      name: '青年工作季度排行',
      kind: 'quarterly',
      definition: {
        categories: [
          {
            name: '青年与干部',
            items: [
              { key: 'growth', label: '报到增长', maxPoints: 30, source: 'metric', metric: 'registration_growth' },
              { key: 'contacts', label: '联系覆盖', maxPoints: 40, source: 'metric', metric: 'contact_coverage' },
              { key: 'visits', label: '走访日', maxPoints: 30, source: 'metric', metric: 'visit_day_records' },
            ],
          },
        ],
        tiers: [{ name: '一档', topPercent: 100, subsidyFen: 0, multiplierPct: 110 }],
      },
    });
    expect(scheme.statusCode, scheme.body).toBe(201);
    const period = await admin.post('/api/assessments/rankings/periods', {
      schemeId: scheme.json().id,
      period: '2026Q4',
    });
    expect(period.statusCode, period.body).toBe(201);
    const periodId = period.json().id;

    const res = (await admin.get(`/api/assessments/rankings/periods/${periodId}/results`)).json();
    const item = (orgId: number, key: string) =>
      res.rows.find((r: any) => r.orgId === orgId).items.find((i: any) => i.itemKey === key || i.key === key);
    expect(item(world.v1.id, 'growth').value).toBe(3);
    expect(item(world.v2.id, 'growth').value).toBe(1);
    expect(item(world.v1.id, 'contacts')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(item(world.v1.id, 'contacts').value).toBeCloseTo(2 / 3);
    expect(item(world.v2.id, 'contacts').value).toBeNull();
    expect(item(world.v2.id, 'visits').value).toBe(2);
    expect(item(world.v1.id, 'visits').value).toBe(0);

    const drill = async (orgId: number, itemKey: string) => {
      const r = await admin.get(
        `/api/assessments/rankings/periods/${periodId}/drilldown?orgId=${orgId}&itemKey=${itemKey}`,
      );
      expect(r.statusCode, r.body).toBe(200);
      return r.json().rows;
    };
    expect(await drill(world.v1.id, 'growth')).toEqual([expect.objectContaining({ registered: 3 })]);
    expect(await drill(world.v1.id, 'contacts')).toEqual([
      expect.objectContaining({ cadre: '甲一', contacts: 3, contacted: 2 }),
    ]);
    expect((await drill(world.v2.id, 'visits')).map((r: any) => r.visitedOn)).toEqual(['2026-10-10', '2026-11-10']);

    // District B sees none of it.
    const adminB = new Client(ctx.app);
    await adminB.login('admin_b', PASSWORD);
    expect((await adminB.get(`/api/assessments/rankings/periods/${periodId}/results`)).statusCode).toBe(404);
  });
});
