import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGrid, addOrg, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let adminB: Client;
let youth: Client;
let v3: { id: number };

async function gridWithYouth(org: any, code: string, youth: number) {
  const id = await addGrid(ctx.database, org, code);
  await ctx.database.db.execute(sql`UPDATE grids SET youth_count = ${youth} WHERE id = ${id}`);
  return id;
}

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  const login = async (u: string) => {
    const c = new Client(ctx.app);
    expect((await c.login(u, PASSWORD)).statusCode).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  t1Admin = await login('t1_admin');
  adminB = await login('admin_b');
  youth = await login('v1_youth');
  // Capacity: v1 half its grids within the rule, v2 all, v3 (under T1) none.
  v3 = await addOrg(ctx.database, world.t1, 'community_branch', '东湖社区团总支');
  await gridWithYouth(world.v1, 'R-1', 50);
  await gridWithYouth(world.v1, 'R-2', 500);
  await gridWithYouth(world.v2, 'R-3', 60);
  await gridWithYouth(v3, 'R-4', 900);
});
afterAll(() => ctx?.close());

const quarterly = {
  categories: [
    {
      name: '网格',
      items: [{ key: 'capacity', label: '容量达标率', maxPoints: 60, source: 'metric', metric: 'capacity_ok' }],
    },
    { name: '特色', items: [{ key: 'highlights', label: '特色亮点', maxPoints: 40, source: 'manual' }] },
  ],
  tiers: [
    { name: '一档', topPercent: 33, subsidyFen: 500_000, multiplierPct: 150 },
    { name: '二档', topPercent: 100, subsidyFen: 100_000, multiplierPct: 110 },
  ],
};

let schemeId: number;
let periodId: number;

describe('quarterly ranking of villages', () => {
  it('lists the registered metrics and refuses bad schemes by field', async () => {
    const metrics = (await admin.get('/api/assessments/rankings/metrics')).json().items.map((m: any) => m.key);
    expect(metrics).toEqual(
      expect.arrayContaining(['four_ones', 'capacity_ok', 'notice_on_time', 'budget_compliance']),
    );
    const unknown = await admin.post('/api/assessments/rankings/schemes', {
      name: 'x',
      kind: 'quarterly',
      definition: {
        ...quarterly,
        categories: [{ name: 'a', items: [{ key: 'a', label: 'a', maxPoints: 1, source: 'metric', metric: 'nope' }] }],
      },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe('definition.categories.0.items.0.metric');
    const tiers = await admin.post('/api/assessments/rankings/schemes', {
      name: 'x',
      kind: 'quarterly',
      definition: { ...quarterly, tiers: [quarterly.tiers[1], quarterly.tiers[0]] },
    });
    expect(tiers.statusCode).toBe(400);
    expect(
      (await t1Admin.post('/api/assessments/rankings/schemes', { name: 'x', kind: 'quarterly', fromTemplate: true }))
        .statusCode,
    ).toBe(403);
  });

  it('ranks from the formula over computed metrics and manual items, sets tiers, drills down to the records', async () => {
    const scheme = await admin.post('/api/assessments/rankings/schemes', {
      name: '2026 季度排行',
      kind: 'quarterly',
      definition: quarterly,
    });
    expect(scheme.statusCode, scheme.body).toBe(201);
    expect(scheme.json().maxTotal).toBe(100);
    schemeId = scheme.json().id;
    const period = await admin.post('/api/assessments/rankings/periods', { schemeId, period: '2026Q4' });
    expect(period.statusCode, period.body).toBe(201);
    expect(period.json()).toMatchObject({
      status: 'open',
      startsAt: '2026-09-30T16:00:00.000Z',
      endsAt: '2026-12-31T16:00:00.000Z',
    });
    periodId = period.json().id;
    expect((await admin.post('/api/assessments/rankings/periods', { schemeId, period: '2026Q4' })).statusCode).toBe(
      409,
    );

    // Manual items: checked against the scheme.
    const computed = await admin.put(`/api/assessments/rankings/periods/${periodId}/manual`, {
      orgId: world.v1.id,
      items: [{ itemKey: 'capacity', points: 5 }],
    });
    expect(computed.statusCode).toBe(422);
    expect(computed.json().errors[0].field).toBe('items.0.itemKey');
    const over = await admin.put(`/api/assessments/rankings/periods/${periodId}/manual`, {
      orgId: world.v1.id,
      items: [{ itemKey: 'highlights', points: 41 }],
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().errors[0].field).toBe('items.0.points');
    const town = await admin.put(`/api/assessments/rankings/periods/${periodId}/manual`, {
      orgId: world.t1.id,
      items: [{ itemKey: 'highlights', points: 1 }],
    });
    expect(town.json().errors[0].field).toBe('orgId');
    const ok = await admin.put(`/api/assessments/rankings/periods/${periodId}/manual`, {
      orgId: world.v1.id,
      items: [{ itemKey: 'highlights', points: 35, note: '青年夜校品牌', evidence: 'https://example.org/v1.pdf' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);

    const res = (await admin.get(`/api/assessments/rankings/periods/${periodId}/results`)).json();
    expect(res.live).toBe(true);
    const byOrg = Object.fromEntries(res.rows.map((r: any) => [r.orgId, r]));
    // v1: 60 × 1/2 + 35 = 65; v2: 60 × 1 = 60; v3: 0.
    expect(byOrg[world.v1.id]).toMatchObject({
      total: 65,
      rank: 1,
      tier: { name: '一档', subsidyFen: 500_000, multiplierPct: 150 },
    });
    expect(byOrg[world.v1.id].items[0]).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, points: 30 });
    expect(byOrg[world.v1.id].items[1]).toMatchObject({
      points: 35,
      note: '青年夜校品牌',
      evidence: 'https://example.org/v1.pdf',
    });
    expect(byOrg[world.v2.id]).toMatchObject({ total: 60, rank: 2, tier: { name: '二档' } });
    expect(byOrg[v3.id]).toMatchObject({ total: 0, rank: 3, tier: { name: '二档' } });

    const drill = await admin.get(
      `/api/assessments/rankings/periods/${periodId}/drilldown?orgId=${world.v1.id}&itemKey=capacity`,
    );
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json().rows.map((r: any) => [r.code, r.passes])).toEqual([
      ['R-1', true],
      ['R-2', false],
    ]);
    const manual = (
      await admin.get(`/api/assessments/rankings/periods/${periodId}/drilldown?orgId=${world.v1.id}&itemKey=highlights`)
    ).json();
    expect(manual.rows[0]).toMatchObject({ points: 35, evidence: 'https://example.org/v1.pdf' });
  });

  it('before publication only district admins see the period; after it the snapshot is frozen and scoped', async () => {
    expect((await t1Admin.get(`/api/assessments/rankings/periods/${periodId}/results`)).statusCode).toBe(404);
    expect((await t1Admin.get('/api/assessments/rankings/periods')).json().items).toEqual([]);
    const pub = await admin.post(`/api/assessments/rankings/periods/${periodId}/publish`, {});
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().period.status).toBe('published');
    expect((await admin.post(`/api/assessments/rankings/periods/${periodId}/publish`, {})).statusCode).toBe(409);
    expect(
      (
        await admin.put(`/api/assessments/rankings/periods/${periodId}/manual`, {
          orgId: world.v2.id,
          items: [{ itemKey: 'highlights', points: 40 }],
        })
      ).statusCode,
    ).toBe(409);
    // A grid changing later does not move the published result.
    await gridWithYouth(world.v2, 'R-5', 999);
    const frozen = (await admin.get(`/api/assessments/rankings/periods/${periodId}/results`)).json();
    expect(frozen.live).toBe(false);
    expect(frozen.rows.find((r: any) => r.orgId === world.v2.id).total).toBe(60);
    // T1's admin sees his villages with their district ranks, not T2's.
    const t1 = (await t1Admin.get(`/api/assessments/rankings/periods/${periodId}/results`)).json();
    expect(t1.rows.map((r: any) => [r.orgId, r.rank]).sort()).toEqual(
      [
        [world.v1.id, 1],
        [v3.id, 3],
      ].sort(),
    );
    expect(
      (
        await t1Admin.get(
          `/api/assessments/rankings/periods/${periodId}/drilldown?orgId=${world.v2.id}&itemKey=capacity`,
        )
      ).statusCode,
    ).toBe(404);
    expect((await adminB.get(`/api/assessments/rankings/periods/${periodId}/results`)).statusCode).toBe(404);
    expect((await youth.get(`/api/assessments/rankings/periods/${periodId}/results`)).statusCode).toBe(403);
    // History and the .xlsx export.
    const hist = (
      await t1Admin.get(`/api/assessments/rankings/schemes/${schemeId}/history?orgId=${world.v1.id}`)
    ).json();
    expect(hist.items).toEqual([
      expect.objectContaining({ period: '2026Q4', rank: 1, of: 3, total: 65, tier: '一档' }),
    ]);
    const xlsx = await admin.get(`/api/assessments/rankings/periods/${periodId}/results.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(3).values).toEqual(expect.arrayContaining([1, '北村团总支', 30, 35, 65, '一档', 5000]));
  });

  it('the tier sets the provident-fund multiplier of the org’s accounts', async () => {
    const v1 = (await admin.post('/api/funds/accounts', { orgId: world.v1.id, year: 2026 })).json();
    const dep = await admin.post(`/api/funds/accounts/${v1.id}/deposits`, { amountFen: 10_000 });
    expect(dep.json().summary).toMatchObject({ multiplierPct: 150, limitFen: 15_000 });
    const v2 = (await admin.post('/api/funds/accounts', { orgId: world.v2.id, year: 2026 })).json();
    const dep2 = await admin.post(`/api/funds/accounts/${v2.id}/deposits`, { amountFen: 10_000 });
    expect(dep2.json().summary).toMatchObject({ multiplierPct: 110, limitFen: 11_000 });
    // Beyond the tier's limit: refused with the numbers.
    const over = await admin.post(`/api/funds/accounts/${v2.id}/withdrawals`, {
      amountFen: 11_001,
      purpose: 'x',
      reference: 'y',
    });
    expect(over.statusCode).toBe(422);
  });
});

describe('the 1000-point scheme of towns', () => {
  it('needs categories adding up to 1,000; totals and breakdown per town', async () => {
    const bad = await admin.post('/api/assessments/rankings/schemes', {
      name: '千分制',
      kind: 'thousand',
      definition: {
        categories: [{ name: '日常工作', items: [{ key: 'a', label: 'a', maxPoints: 999, source: 'manual' }] }],
        tiers: [],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'RANKING_POINTS_SUM' });
    const scheme = await admin.post('/api/assessments/rankings/schemes', {
      name: '2026 千分制',
      kind: 'thousand',
      fromTemplate: true,
    });
    expect(scheme.statusCode, scheme.body).toBe(201);
    expect(scheme.json().maxTotal).toBe(1000);
    expect(scheme.json().definition.categories.map((c: any) => c.name)).toEqual(['日常工作', '重点工作', '问题解决']);
    const period = (
      await admin.post('/api/assessments/rankings/periods', { schemeId: scheme.json().id, period: '2026' })
    ).json();
    const manual = await admin.put(`/api/assessments/rankings/periods/${period.id}/manual`, {
      orgId: world.t1.id,
      items: [
        { itemKey: 'daily', points: 90, note: '台账齐全' },
        { itemKey: 'key_work', points: 150 },
        { itemKey: 'problems', points: 180, evidence: '/files/t1.pdf' },
      ],
    });
    expect(manual.statusCode, manual.body).toBe(200);
    const t1 = manual.json().rows.find((r: any) => r.orgId === world.t1.id);
    // four-ones: no complete grid (0); notices: none (0); budget: none declared, nothing spent (0).
    expect(t1.categories).toEqual([
      { name: '日常工作', points: 90, maxPoints: 400 },
      { name: '重点工作', points: 150, maxPoints: 400 },
      { name: '问题解决', points: 180, maxPoints: 200 },
    ]);
    expect(t1).toMatchObject({ total: 420, rank: 1 });
    expect(
      manual
        .json()
        .rows.map((r: any) => r.orgId)
        .sort(),
    ).toEqual([world.t1.id, world.t2.id].sort());
    // Budget compliance drills down to the town-year's budget row.
    await admin.put('/api/funds/budgets', { orgId: world.t1.id, year: 2026, budgetFen: 3_000_000 });
    const res = (await admin.get(`/api/assessments/rankings/periods/${period.id}/results`)).json();
    const budget = res.rows.find((r: any) => r.orgId === world.t1.id).items.find((i: any) => i.key === 'budget');
    expect(budget).toMatchObject({ value: 0.5, points: 100 });
    const drill = (
      await admin.get(`/api/assessments/rankings/periods/${period.id}/drilldown?orgId=${world.t1.id}&itemKey=budget`)
    ).json();
    expect(drill.rows[0]).toMatchObject({ year: 2026, budgetYuan: 30000, budgetOk: true, shareOk: false });
  });
});

describe('awards', () => {
  it('kinds, nomination with reasons and evidence, district review, publication', async () => {
    const kind = await admin.post('/api/assessments/awards/kinds', { name: '示范网格团组织', nomineeType: 'org' });
    expect(kind.statusCode, kind.body).toBe(201);
    expect(
      (await admin.post('/api/assessments/awards/kinds', { name: '示范网格团组织', nomineeType: 'org' })).statusCode,
    ).toBe(409);
    expect((await t1Admin.post('/api/assessments/awards/kinds', { name: 'x', nomineeType: 'org' })).statusCode).toBe(
      403,
    );
    const kindId = kind.json().id;
    const nom = await t1Admin.post('/api/assessments/awards/nominations', {
      kindId,
      year: 2026,
      orgId: world.v1.id,
      nomineeName: '北村团总支',
      reasons: '网格"四个一"全覆盖，季度排行第一',
      evidence: [{ title: '工作总结', url: 'https://example.org/summary.pdf' }],
    });
    expect(nom.statusCode, nom.body).toBe(201);
    expect(nom.json()).toMatchObject({ status: 'nominated', orgName: '北村团总支', evidence: [{ title: '工作总结' }] });
    const outside = await t1Admin.post('/api/assessments/awards/nominations', {
      kindId,
      year: 2026,
      orgId: world.v2.id,
      nomineeName: '南村',
      reasons: 'x',
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().errors[0].field).toBe('orgId');
    const badLink = await t1Admin.post('/api/assessments/awards/nominations', {
      kindId,
      year: 2026,
      orgId: world.v1.id,
      nomineeName: 'x',
      reasons: 'x',
      evidence: [{ title: 'x', url: 'javascript:alert(1)' }],
    });
    expect(badLink.statusCode).toBe(400);
    expect(badLink.json().errors[0].field).toBe('evidence.0.url');
    // The nominee's platform records beside the nomination: the published ranking.
    const detail = (await admin.get(`/api/assessments/awards/nominations/${nom.json().id}`)).json();
    expect(detail.records.rankings).toEqual([expect.objectContaining({ period: '2026Q4', rank: 1, tier: '一档' })]);
    // Review: district only, once.
    expect(
      (await t1Admin.post(`/api/assessments/awards/nominations/${nom.json().id}/review`, { decision: 'approved' }))
        .statusCode,
    ).toBe(403);
    const [a, b] = await Promise.all([
      admin.post(`/api/assessments/awards/nominations/${nom.json().id}/review`, { decision: 'approved', note: '同意' }),
      admin.post(`/api/assessments/awards/nominations/${nom.json().id}/review`, { decision: 'rejected' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    // Not visible to a youth before publication, visible after.
    expect((await youth.get('/api/assessments/awards/nominations?status=published')).json().items).toEqual([]);
    const pub = await admin.post('/api/assessments/awards/publish', { kindId, year: 2026 });
    expect(pub.statusCode, pub.body).toBe(200);
    const winners = (await youth.get('/api/assessments/awards/nominations?status=published')).json().items;
    expect(winners.length).toBe(a.statusCode === 200 ? 1 : 0);
    expect((await admin.post('/api/assessments/awards/publish', { kindId, year: 2026 })).statusCode).toBe(409);
    // Once published, no more nominations or reviews for that kind and year.
    const late = await t1Admin.post('/api/assessments/awards/nominations', {
      kindId,
      year: 2026,
      orgId: world.v1.id,
      nomineeName: '迟到',
      reasons: 'x',
    });
    expect(late.statusCode).toBe(409);
    expect((await adminB.get(`/api/assessments/awards/nominations/${nom.json().id}`)).statusCode).toBe(404);
  });
});
