import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keqiaoPublishedScores } from '../../../domain/assessment.ts';
import { many } from '../../db/sql.ts';
import { addAccount, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let assessor2: Client;
let roundId: number;

const idOf = async (username: string) =>
  (await many<{ id: number }>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = ${username}`))[0].id;

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  await addAccount(ctx.database, 'cadre_a', 'district_admin', world.rootA);
  admin = new Client(ctx.app);
  await admin.login('admin_a', PASSWORD);
  assessor2 = new Client(ctx.app);
  await assessor2.login('cadre_a', PASSWORD);
  t1Client = new Client(ctx.app);
  await t1Client.login('t1_admin', PASSWORD);
});
afterAll(() => ctx?.close());

let t1Client: Client | undefined;
/** T1's org admin (assessment.read, not manage). */
function t1(): Client {
  if (!t1Client) throw new Error('login first');
  return t1Client;
}

describe('assessment rounds', () => {
  it('copies the Keqiao template into a district set and opens a round over two towns', async () => {
    const template = (await admin.get('/api/assessments/template')).json();
    expect(template.indicators).toHaveLength(10);
    const set = await admin.post('/api/assessments/sets', { name: '2026年双网互动测评', copyFrom: 'keqiao' });
    expect(set.statusCode).toBe(201);
    const round = await admin.post('/api/assessments/rounds', {
      setId: set.json().id,
      name: '2026年第四季度测评',
      period: '2026Q4',
      deadline: '2099-12-31T16:00:00Z',
      orgIds: [world.t1.id, world.t2.id],
      assessorIds: [await idOf('admin_a'), await idOf('cadre_a')],
    });
    expect(round.statusCode).toBe(201);
    expect(round.json()).toMatchObject({ status: 'open', progress: { entered: 0, expected: 2 * 2 * 30 } });
    roundId = round.json().id;
  });

  it('entering the published Keqiao scores as one org’s reproduces the report’s findings', async () => {
    const scores = Object.entries(keqiaoPublishedScores()).map(([itemKey, score]) => ({ itemKey, score }));
    const res = await admin.put(`/api/assessments/rounds/${roundId}/scores`, { orgId: world.t1.id, scores });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(30);
    const results = (await admin.get(`/api/assessments/rounds/${roundId}/results`)).json();
    const t1 = results.orgs.find((o: any) => o.orgId === world.t1.id).result;
    const band = Object.fromEntries(t1.indicators.map((i: any) => [i.name, i.band]));
    expect(band).toEqual({
      科学划分网格: 'very_good',
      网格信息搜集: 'weak',
      网格团建创新: 'acceptable',
      服务团队组建: 'acceptable',
      服务项目设计: 'weak',
      网格技术支撑: 'very_good',
      双网互动渠道开发: 'acceptable',
      人才储备与能力培养: 'acceptable',
      资源配置: 'acceptable',
      制度保障: 'acceptable',
    });
    expect(t1.actionPoints[0].text).toBe('有品牌活动，项目影响力大');
    const t2 = results.orgs.find((o: any) => o.orgId === world.t2.id).result;
    expect(t2.overall).toBeNull();
  });

  it('averages several assessors and shows progress', async () => {
    await assessor2.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [
        { itemKey: '1.1', score: 7 },
        { itemKey: '1.2', score: 4, note: '边界不清' },
      ],
    });
    await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [{ itemKey: '1.1', score: 6 }],
    });
    // Re-scoring replaces the assessor's earlier score.
    await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [{ itemKey: '1.1', score: 5 }],
    });
    const results = (await admin.get(`/api/assessments/rounds/${roundId}/results`)).json();
    const t2 = results.orgs.find((o: any) => o.orgId === world.t2.id).result;
    expect(t2.indicators[0].items[0]).toMatchObject({ mean: 6, count: 2 });
    expect(t2.indicators[0].mean).toBe(5);
    const round = (await admin.get(`/api/assessments/rounds/${roundId}`)).json();
    expect(round.progress.entered).toBe(30 + 3);
  });

  it('rejects bad scores and non-assessors, writing nothing', async () => {
    const before = (await admin.get(`/api/assessments/rounds/${roundId}`)).json().progress.entered;
    const bad = await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [
        { itemKey: '1.1', score: 8 },
        { itemKey: '1.2', score: 0.5 },
        { itemKey: '1.3', score: 5.555 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: any) => e.field)).toEqual(['scores.0.score', 'scores.1.score', 'scores.2.score']);
    const unknownItem = await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [
        { itemKey: '1.1', score: 3 },
        { itemKey: '99.1', score: 3 },
      ],
    });
    expect(unknownItem.statusCode).toBe(400);
    expect(unknownItem.json().errors[0].field).toBe('scores.1.itemKey');
    const notTarget = await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.v1.id,
      scores: [{ itemKey: '1.1', score: 3 }],
    });
    expect(notTarget.statusCode).toBe(404);
    const t1 = new Client(ctx.app);
    await t1.login('t1_admin', PASSWORD);
    const notAssessor = await t1.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t1.id,
      scores: [{ itemKey: '1.1', score: 7 }],
    });
    expect(notAssessor.statusCode).toBe(403);
    expect((await admin.get(`/api/assessments/rounds/${roundId}`)).json().progress.entered).toBe(before);
  });

  it('a town admin sees only his own town’s results; another district sees nothing', async () => {
    const t1 = new Client(ctx.app);
    await t1.login('t1_admin', PASSWORD);
    const results = (await t1.get(`/api/assessments/rounds/${roundId}/results`)).json();
    expect(results.orgs.map((o: any) => o.orgId)).toEqual([world.t1.id]);
    expect((await t1.post('/api/assessments/sets', { name: 'x', copyFrom: 'keqiao' })).statusCode).toBe(403);
    const b = new Client(ctx.app);
    await b.login('admin_b', PASSWORD);
    expect((await b.get(`/api/assessments/rounds/${roundId}`)).statusCode).toBe(404);
    expect((await b.get(`/api/assessments/rounds/${roundId}/results`)).statusCode).toBe(404);
    expect((await b.get('/api/assessments/rounds')).json().items).toEqual([]);
    const set = (await b.post('/api/assessments/sets', { name: '乙区测评', copyFrom: 'keqiao' })).json();
    const foreign = await b.post('/api/assessments/rounds', {
      setId: set.id,
      name: '越界',
      period: '2026Q4',
      deadline: '2099-12-31T16:00:00Z',
      orgIds: [world.t1.id],
      assessorIds: [await idOf('admin_b')],
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('edits a copied set until a round uses it', async () => {
    const copy = (await admin.post('/api/assessments/sets', { name: '副本', copyFrom: 'keqiao' })).json();
    const def = copy.definition;
    def.indicators[0].items.push({ key: '1.9', text: '新增题项' });
    const edited = await admin.put(`/api/assessments/sets/${copy.id}`, { name: '副本（修改）', definition: def });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().definition.indicators[0].items.at(-1)).toEqual({ key: '1.9', text: '新增题项' });
    const dup = structuredClone(def);
    dup.indicators[1].items[0].key = '1.1';
    const bad = await admin.put(`/api/assessments/sets/${copy.id}`, { definition: dup });
    expect(bad.statusCode).toBe(400);
    expect((await t1().put(`/api/assessments/sets/${copy.id}`, { name: 'x' })).statusCode).toBe(403);
    const rounds = (await admin.get('/api/assessments/rounds')).json().items;
    const used = await admin.put(`/api/assessments/sets/${rounds[0].setId}`, { name: 'x' });
    expect(used.statusCode).toBe(409);
    expect(used.json().code).toBe('ASSESSMENT_SET_IN_USE');
  });

  it('keeps an evidence link per item and exports the results as .xlsx', async () => {
    const bad = await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [{ itemKey: '1.1', score: 6, evidence: 'javascript:alert(1)' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('scores.0.evidence');
    const ok = await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [{ itemKey: '1.1', score: 6, note: '台账', evidence: 'https://example.org/1.1.pdf' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().items.find((i: any) => i.itemKey === '1.1')).toMatchObject({
      evidence: 'https://example.org/1.1.pdf',
    });
    const xlsx = await admin.get(`/api/assessments/rounds/${roundId}/results.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const sheet = wb.getWorksheet('指标')!;
    const results = (await admin.get(`/api/assessments/rounds/${roundId}/results`)).json();
    const t1 = results.orgs.find((o: any) => o.orgId === world.t1.id);
    const header = sheet.getRow(2).values as unknown[];
    const col = header.indexOf(t1.orgName);
    expect(col).toBeGreaterThan(0);
    expect(sheet.getRow(3).getCell(col).value).toBe(t1.result.indicators[0].mean);
    expect(sheet.getRow(3).getCell(1).value).toBe('科学划分网格');
    const other = new Client(ctx.app);
    await other.login('admin_b', PASSWORD);
    expect((await other.get(`/api/assessments/rounds/${roundId}/results.xlsx`)).statusCode).toBe(404);
  });

  it('refuses scoring after the deadline', async () => {
    await ctx.database.db.execute(
      sql`UPDATE assessment_rounds SET deadline = now() - interval '1 minute' WHERE id = ${roundId}`,
    );
    const late = await admin.put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t2.id,
      scores: [{ itemKey: '2.1', score: 5 }],
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('ROUND_CLOSED');
  });
});

describe('an assessor without assessment.read', () => {
  it('loads the round with its set and scores it, and sees no more than that', async () => {
    await addAccount(ctx.database, 'v1_team', 'team_leader', world.v1);
    const assessorId = await idOf('v1_team');
    const definition = {
      indicators: [
        { name: '阵地建设', items: [{ key: 'a.1', text: '有固定活动场所' }] },
        {
          name: '服务成效',
          items: [
            { key: 'b.1', text: '青年满意度' },
            { key: 'b.2', text: '项目覆盖面' },
          ],
        },
      ],
    };
    const set = (await admin.post('/api/assessments/sets', { name: '自定义测评', definition })).json();
    const open = (setId: number, name: string, assessorIds: number[]) =>
      admin.post('/api/assessments/rounds', {
        setId,
        name,
        period: '2026Q4',
        deadline: '2099-12-31T16:00:00Z',
        orgIds: [world.t2.id],
        assessorIds,
      });
    const round = (await open(set.id, '交叉测评', [assessorId])).json();
    const other = (await open(set.id, '无关测评', [await idOf('admin_a')])).json();

    const assessor = new Client(ctx.app);
    await assessor.login('v1_team', PASSWORD);
    // the set list needs assessment.read, which a team leader lacks …
    expect((await assessor.get('/api/assessments/sets')).statusCode).toBe(403);
    // … so the round brings the definition of its own set (not the template)
    const got = await assessor.get(`/api/assessments/rounds/${round.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: round.id, setId: set.id, definition });
    expect((await assessor.get('/api/assessments/rounds')).json().items.map((r: any) => r.id)).toEqual([round.id]);

    const keys = got.json().definition.indicators.flatMap((i: any) => i.items.map((item: any) => item.key));
    const scores = keys.map((itemKey: string, i: number) => ({ itemKey, score: 4 + i }));
    const put = await assessor.put(`/api/assessments/rounds/${round.id}/scores`, { orgId: world.t2.id, scores });
    expect(put.statusCode).toBe(200);
    expect(put.json().items).toEqual(scores.map((s: any) => ({ ...s, note: null, evidence: null })));
    const mine = await assessor.get(`/api/assessments/rounds/${round.id}/scores?orgId=${world.t2.id}`);
    expect(mine.json().items.map((s: any) => s.score)).toEqual([4, 5, 6]);

    // scoring does not open the results, another round, or another district's view of this one
    expect((await assessor.get(`/api/assessments/rounds/${round.id}/results`)).statusCode).toBe(403);
    expect((await assessor.get(`/api/assessments/rounds/${other.id}`)).statusCode).toBe(404);
    const b = new Client(ctx.app);
    await b.login('admin_b', PASSWORD);
    expect((await b.get(`/api/assessments/rounds/${round.id}`)).statusCode).toBe(404);

    const results = (await admin.get(`/api/assessments/rounds/${round.id}/results`)).json();
    const t2 = results.orgs.find((o: any) => o.orgId === world.t2.id).result;
    expect(t2.indicators.map((i: any) => i.mean)).toEqual([4, 5.5]);
    expect(t2.overall).toBe(4.75);
    expect((await admin.get(`/api/assessments/rounds/${round.id}`)).json().progress).toEqual({
      entered: 3,
      expected: 3,
    });
  });
});
