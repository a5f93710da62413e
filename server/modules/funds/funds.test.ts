import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many, one } from '../../db/sql.ts';
import { addOrg, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let t2Admin: Client;
let adminB: Client;
let leader: Client;

type Summary = { balanceFen: number; limitFen: number; withdrawnFen: number; remainingFen: number };
type Detail = { id: number; summary: Summary; entries: { id: number; amountFen: number; kind: string }[] };

let yearSeq = 2030;
/** A fresh account of a fresh village under T1 (one account per org and year). */
async function freshAccount(): Promise<Detail> {
  const village = await addOrg(ctx.database, world.t1, 'village_branch', `公积金村${++yearSeq}`);
  const res = await admin.post('/api/funds/accounts', { orgId: village.id, year: 2026 });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function deposit(id: number, amountFen: number) {
  const res = await admin.post(`/api/funds/accounts/${id}/deposits`, { amountFen });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Detail;
}

async function request(id: number, amountFen: number, client = t1Admin) {
  return client.post(`/api/funds/accounts/${id}/withdrawals`, {
    amountFen,
    purpose: '青年夜校',
    reference: '活动 #12',
  });
}

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  const login = async (username: string) => {
    const c = new Client(ctx.app);
    expect((await c.login(username, PASSWORD)).statusCode).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  adminB = await login('admin_b');
  leader = await login('v1_leader');
});
afterAll(() => ctx?.close());

describe('policy and accounts', () => {
  it('sets the district multiplier within 1.1–1.5, district admins only', async () => {
    expect((await admin.get('/api/funds/policy')).json()).toEqual({ districtId: world.districtA, multiplierPct: 120 });
    const high = await admin.put('/api/funds/policy', { multiplierPct: 160 });
    expect(high.statusCode).toBe(400);
    expect(high.json().errors[0].field).toBe('multiplierPct');
    expect((await admin.put('/api/funds/policy', { multiplierPct: 105 })).statusCode).toBe(400);
    expect((await t1Admin.put('/api/funds/policy', { multiplierPct: 130 })).statusCode).toBe(403);
    const ok = await admin.put('/api/funds/policy', { multiplierPct: 150 });
    expect(ok.json().multiplierPct).toBe(150);
    expect((await adminB.get('/api/funds/policy')).json().multiplierPct).toBe(120);
  });

  it('opens one account per org and year, for villages, communities and two-new orgs only', async () => {
    const res = await admin.post('/api/funds/accounts', { orgId: world.v1.id, year: 2026 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ orgId: world.v1.id, year: 2026, summary: { balanceFen: 0, limitFen: 0 } });
    const dup = await admin.post('/api/funds/accounts', { orgId: world.v1.id, year: 2026 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'DUPLICATE_FUND_ACCOUNT', errors: [{ field: 'year' }] });
    const town = await admin.post('/api/funds/accounts', { orgId: world.t1.id, year: 2026 });
    expect(town.json()).toMatchObject({ code: 'FUND_ORG_KIND', errors: [{ field: 'orgId' }] });
    expect((await t1Admin.post('/api/funds/accounts', { orgId: world.v1.id, year: 2027 })).statusCode).toBe(403);
    const foreign = await adminB.post('/api/funds/accounts', { orgId: world.v1.id, year: 2027 });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors[0].field).toBe('orgId');
  });
});

describe('ledger', () => {
  it('takes deposits and donations in whole fen, and refuses fractions and negatives by field', async () => {
    const acc = await freshAccount();
    for (const amountFen of [100.5, -100, 0, '100']) {
      const res = await admin.post(`/api/funds/accounts/${acc.id}/deposits`, { amountFen });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('amountFen');
    }
    await deposit(acc.id, 2_000_000);
    const don = await admin.post(`/api/funds/accounts/${acc.id}/donations`, {
      amountFen: 88_800,
      sourceType: 'sponsorship',
      source: '柯桥某纺织企业',
    });
    expect(don.statusCode, don.body).toBe(201);
    expect(don.json().summary).toMatchObject({ balanceFen: 2_088_800, limitFen: 3_000_000, remainingFen: 3_000_000 });
    expect((await t1Admin.post(`/api/funds/accounts/${acc.id}/deposits`, { amountFen: 1 })).statusCode).toBe(403);
  });

  it('refuses a request beyond the limit with the numbers; approves within it; scope applies', async () => {
    const acc = await freshAccount();
    await deposit(acc.id, 1_000_000); // limit 1,500,000 at 150%
    const beyond = await request(acc.id, 1_500_001);
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json()).toMatchObject({ code: 'FUND_LIMIT_EXCEEDED', errors: [{ field: 'amountFen' }] });
    expect(beyond.json().detail).toBe('申请 ¥15,000.01，可提取上限 ¥15,000.00，已提取 ¥0.00，剩余额度 ¥15,000.00');
    expect((await request(acc.id, 100, t2Admin)).statusCode).toBe(404);
    expect((await request(acc.id, 100, leader)).statusCode).toBe(403);

    const req = await request(acc.id, 1_200_000);
    expect(req.statusCode, req.body).toBe(201);
    const id = req.json().id;
    expect((await t1Admin.post(`/api/funds/withdrawals/${id}/approve`, {})).statusCode).toBe(403);
    expect((await adminB.post(`/api/funds/withdrawals/${id}/approve`, {})).statusCode).toBe(404);
    const ok = await admin.post(`/api/funds/withdrawals/${id}/approve`, { note: '同意' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', decisionNote: '同意' });
    expect(ok.json().entryId).toBeGreaterThan(0);
    const detail = (await admin.get(`/api/funds/accounts/${acc.id}`)).json() as Detail;
    expect(detail.summary).toMatchObject({ balanceFen: -200_000, withdrawnFen: 1_200_000, remainingFen: 300_000 });
    // The town admin sees the account of his village, the sibling town does not.
    expect((await t1Admin.get(`/api/funds/accounts/${acc.id}`)).statusCode).toBe(200);
    expect((await t2Admin.get(`/api/funds/accounts/${acc.id}`)).statusCode).toBe(404);
  });

  it('racing approvals of one request post exactly once', async () => {
    const acc = await freshAccount();
    await deposit(acc.id, 500_000);
    const id = (await request(acc.id, 400_000)).json().id;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        admin.post(`/api/funds/withdrawals/${id}/${i % 4 === 3 ? 'reject' : 'approve'}`, {}),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(7);
    const posted = await many(ctx.database.db, sql`SELECT id FROM fund_entries WHERE withdrawal_id = ${id}`);
    const status = (await admin.get(`/api/funds/withdrawals?accountId=${acc.id}`)).json().items[0].status;
    expect(posted).toHaveLength(status === 'approved' ? 1 : 0);
  });

  it('two requests that fit alone but not together: approving both at once posts only one', async () => {
    const acc = await freshAccount();
    await deposit(acc.id, 1_000_000); // limit 1,500,000
    const a = (await request(acc.id, 1_000_000)).json().id;
    const b = (await request(acc.id, 1_000_000)).json().id;
    const [ra, rb] = await Promise.all([
      admin.post(`/api/funds/withdrawals/${a}/approve`, {}),
      admin.post(`/api/funds/withdrawals/${b}/approve`, {}),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 422]);
    const refused = ra.statusCode === 422 ? ra : rb;
    expect(refused.json().code).toBe('FUND_LIMIT_EXCEEDED');
    const detail = (await admin.get(`/api/funds/accounts/${acc.id}`)).json() as Detail;
    expect(detail.summary.withdrawnFen).toBe(1_000_000);
    expect(detail.summary.withdrawnFen).toBeLessThanOrEqual(detail.summary.limitFen);
    // The refused one is still open and may be rejected.
    const open = (await admin.get(`/api/funds/withdrawals?accountId=${acc.id}&status=requested`)).json().items;
    expect(open).toHaveLength(1);
  });

  it('corrects by reversing entries only; the ledger refuses edits and deletes', async () => {
    const acc = await freshAccount();
    const d = await deposit(acc.id, 300_000);
    const entryId = d.entries[0].id;
    const rev = await admin.post(`/api/funds/entries/${entryId}/reverse`, { memo: '录入错误' });
    expect(rev.statusCode, rev.body).toBe(201);
    expect(rev.json().summary).toMatchObject({ balanceFen: 0, limitFen: 0 });
    expect(rev.json().entries).toHaveLength(2);
    expect(rev.json().entries[0].reversedBy).toBe(rev.json().entries[1].id);
    expect((await admin.post(`/api/funds/entries/${entryId}/reverse`, { memo: '再冲' })).statusCode).toBe(409);
    const again = await admin.post(`/api/funds/entries/${rev.json().entries[1].id}/reverse`, { memo: 'x' });
    expect(again.json().code).toBe('ENTRY_NOT_REVERSIBLE');
    expect((await adminB.post(`/api/funds/entries/${entryId}/reverse`, { memo: 'x' })).statusCode).toBe(404);

    await expect(ctx.database.query('UPDATE fund_entries SET amount_fen = 1 WHERE id = $1', [entryId])).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.database.query('DELETE FROM fund_entries WHERE id = $1', [entryId])).rejects.toThrow(
      /append-only/,
    );
  });

  it('writes the year-end statement as .xlsx with every entry and the totals', async () => {
    const acc = await freshAccount();
    await deposit(acc.id, 1_000_000);
    await admin.post(`/api/funds/accounts/${acc.id}/donations`, {
      amountFen: 12_345,
      sourceType: 'charity_sale',
      source: '=HYPERLINK("x")',
    });
    const res = await admin.get(`/api/funds/accounts/${acc.id}/statement.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const flat = rows.map((r) => r.slice(1));
    expect(flat[1]).toEqual(['序号', '日期', '类型', '金额（元）', '来源', '说明', '冲正', '经办人']);
    expect(flat[2].slice(2, 4)).toEqual(['存入', 10000]);
    expect(flat[3].slice(2, 5)).toEqual(['捐赠', 123.45, '\'=HYPERLINK("x")']);
    expect(flat.find((r) => r[0] === '余额')?.[1]).toBe(10123.45);
    expect(flat.find((r) => r[0] === '可提取上限')?.[1]).toBe(15000);
    expect((await t2Admin.get(`/api/funds/accounts/${acc.id}/statement.xlsx`)).statusCode).toBe(404);
  });

  it('balance = sum of entries and the limit holds under random sequences (property, through the API)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('deposit' as const), amountFen: fc.integer({ min: 1, max: 5_000_000 }) }),
      fc.record({ kind: fc.constant('donation' as const), amountFen: fc.integer({ min: 1, max: 5_000_000 }) }),
      fc.record({ kind: fc.constant('withdraw' as const), amountFen: fc.integer({ min: 1, max: 9_000_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const acc = await freshAccount();
        let model = { deposits: 0, donations: 0, withdrawn: 0 };
        for (const o of ops) {
          if (o.kind === 'deposit') {
            await deposit(acc.id, o.amountFen);
            model = { ...model, deposits: model.deposits + o.amountFen };
          } else if (o.kind === 'donation') {
            const r = await admin.post(`/api/funds/accounts/${acc.id}/donations`, {
              amountFen: o.amountFen,
              sourceType: 'charity_sale',
              source: '爱心义卖',
            });
            expect(r.statusCode).toBe(201);
            model = { ...model, donations: model.donations + o.amountFen };
          } else {
            const fits = model.withdrawn + o.amountFen <= Math.floor((model.deposits * 150) / 100);
            const r = await request(acc.id, o.amountFen);
            expect(r.statusCode).toBe(fits ? 201 : 422);
            if (fits) {
              expect((await admin.post(`/api/funds/withdrawals/${r.json().id}/approve`, {})).statusCode).toBe(200);
              model = { ...model, withdrawn: model.withdrawn + o.amountFen };
            }
          }
        }
        const detail = (await admin.get(`/api/funds/accounts/${acc.id}`)).json() as Detail;
        const sum = detail.entries.reduce((s, e) => s + e.amountFen, 0);
        const stored = await one<{ s: number }>(
          ctx.database.db,
          sql`SELECT coalesce(sum(amount_fen), 0)::float8 AS s FROM fund_entries WHERE account_id = ${acc.id}`,
        );
        expect(detail.summary.balanceFen).toBe(sum);
        expect(Number(stored!.s)).toBe(sum);
        expect(detail.summary.balanceFen).toBe(model.deposits + model.donations - model.withdrawn);
        expect(detail.summary.withdrawnFen).toBeLessThanOrEqual(detail.summary.limitFen);
      }),
      { numRuns: 12 },
    );
  });
});

describe('budget rules per town and year', () => {
  it('checks ≥ ¥20,000 budget and ≥ 50% twin-net spending from withdrawals and registered activity spend', async () => {
    const { registerSpendSource, unregisterSpendSource } = await import('./fund-hooks.ts');
    const year = 2027;
    // T1: a village account of the year, ¥1,000 deposit; two approved withdrawals, ¥300 twin-net, ¥200 other.
    const village = await addOrg(ctx.database, world.t1, 'village_branch', '预算村');
    const acc = (await admin.post('/api/funds/accounts', { orgId: village.id, year })).json();
    await deposit(acc.id, 100_000);
    const twin = await t1Admin.post(`/api/funds/accounts/${acc.id}/withdrawals`, {
      amountFen: 30_000,
      purpose: '双网互动夜校',
      reference: '活动 #1',
      twinNet: true,
    });
    expect(twin.statusCode, twin.body).toBe(201);
    expect(twin.json().twinNet).toBe(true);
    const other = await request(acc.id, 20_000);
    for (const w of [twin.json().id, other.json().id]) {
      expect((await admin.post(`/api/funds/withdrawals/${w}/approve`, {})).statusCode).toBe(200);
    }
    // No budget declared yet: not compliant, share 60%.
    let report = (await admin.get(`/api/funds/budgets?year=${year}`)).json();
    expect(report).toMatchObject({ minBudgetFen: 2_000_000, minTwinNetPct: 50, sources: ['fund_withdrawals'] });
    let t1 = report.items.find((i: any) => i.orgId === world.t1.id);
    expect(t1).toMatchObject({
      budgetFen: null,
      withdrawalsFen: 50_000,
      twinNetWithdrawalsFen: 30_000,
      spentFen: 50_000,
      twinNetSharePct: 60,
      budgetOk: false,
      shareOk: true,
      compliant: false,
    });
    // Budget below the rule, then at it.
    const low = await admin.put('/api/funds/budgets', { orgId: world.t1.id, year, budgetFen: 1_999_999 });
    expect(low.statusCode, low.body).toBe(200);
    expect(low.json()).toMatchObject({ budgetOk: false, compliant: false });
    const ok = await admin.put('/api/funds/budgets', { orgId: world.t1.id, year, budgetFen: 2_000_000 });
    expect(ok.json()).toMatchObject({ budgetFen: 2_000_000, budgetOk: true, compliant: true });
    // Reversing the twin-net withdrawal takes it out of both sums: 0% share.
    const entry = (await admin.get(`/api/funds/accounts/${acc.id}`))
      .json()
      .entries.find((e: any) => e.amountFen === -30_000);
    expect((await admin.post(`/api/funds/entries/${entry.id}/reverse`, { memo: '更正' })).statusCode).toBe(201);
    t1 = (await admin.get(`/api/funds/budgets?year=${year}`)).json().items.find((i: any) => i.orgId === world.t1.id);
    expect(t1).toMatchObject({ spentFen: 20_000, twinNetFen: 0, twinNetSharePct: 0, shareOk: false, compliant: false });
    // Activity spend through the hook: ¥500, of which ¥400 twin-net → (400) / (200 + 500) ≥ 50%.
    registerSpendSource({
      key: 'activities',
      async spendByTown(_ex, _d, y, towns) {
        return new Map(
          towns
            .filter((t) => t.id === world.t1.id && y === year)
            .map((t) => [t.id, { totalFen: 50_000, twinNetFen: 40_000 }]),
        );
      },
    });
    try {
      report = (await admin.get(`/api/funds/budgets?year=${year}`)).json();
      expect(report.sources).toEqual(['fund_withdrawals', 'activities']);
      t1 = report.items.find((i: any) => i.orgId === world.t1.id);
      expect(t1).toMatchObject({
        activitySpendFen: 50_000,
        spentFen: 70_000,
        twinNetFen: 40_000,
        shareOk: true,
        compliant: true,
      });
    } finally {
      unregisterSpendSource('activities');
    }
    // Scope: a town admin sees his own town only; other districts nothing of it; bad input by field.
    const own = (await t1Admin.get(`/api/funds/budgets?year=${year}`)).json();
    expect(own.items.map((i: any) => i.orgId)).toEqual([world.t1.id]);
    expect((await adminB.get(`/api/funds/budgets?year=${year}`)).json().items.map((i: any) => i.orgId)).not.toContain(
      world.t1.id,
    );
    expect((await t1Admin.put('/api/funds/budgets', { orgId: world.t1.id, year, budgetFen: 1 })).statusCode).toBe(403);
    const outside = await adminB.put('/api/funds/budgets', { orgId: world.t1.id, year, budgetFen: 1 });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().errors[0].field).toBe('orgId');
    const frac = await admin.put('/api/funds/budgets', { orgId: world.t1.id, year, budgetFen: 10.5 });
    expect(frac.statusCode).toBe(400);
    expect(frac.json().errors[0].field).toBe('budgetFen');
    const village2 = await admin.put('/api/funds/budgets', { orgId: world.v1.id, year, budgetFen: 1 });
    expect(village2.statusCode).toBe(404);
  });
});
