import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many } from '../../db/sql.ts';
import { addAccount, buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];
let roundId: number;

const idOf = async (username: string) =>
  (await many<{ id: number }>(ctx.database.db, sql`SELECT id FROM accounts WHERE username = ${username}`))[0].id;

/** A small set: two indicators, three items. */
const DEFINITION = {
  indicators: [
    {
      name: '网格划分',
      items: [
        { key: '1.1', text: '网格划分科学' },
        { key: '1.2', text: '网格边界清晰' },
      ],
    },
    { name: '服务项目', items: [{ key: '2.1', text: '项目贴近需求' }] },
  ],
};

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  await addAccount(ctx.database, 'reviewer_a', 'district_admin', world.rootA);
  await addAccount(ctx.database, 'v1_admin', 'org_admin', world.v1);
  for (const name of ['admin_a', 'reviewer_a', 't1_admin', 't2_admin', 'v1_admin', 'v1_leader', 'admin_b']) {
    clients[name] = new Client(ctx.app);
    await clients[name].login(name, PASSWORD);
  }
  const set = await as('admin_a').post('/api/assessments/sets', { name: '自评指标', definition: DEFINITION });
  expect(set.statusCode, set.body).toBe(201);
  const round = await as('admin_a').post('/api/assessments/rounds', {
    setId: set.json().id,
    name: '2026年自评+审核',
    period: '2026Q4',
    deadline: '2099-12-31T16:00:00Z',
    orgIds: [world.t1.id, world.t2.id, world.v1.id],
    assessorIds: [await idOf('reviewer_a')],
    mode: 'self_review',
  });
  expect(round.statusCode, round.body).toBe(201);
  expect(round.json()).toMatchObject({ mode: 'self_review', progress: { entered: 0, expected: 3 * 3 } });
  expect(round.json().orgs.map((o: any) => o.state)).toEqual(['pending', 'pending', 'pending']);
  roundId = round.json().id;
});
afterAll(() => ctx?.close());

const selfUrl = (orgId: number) => `/api/assessments/rounds/${roundId}/self?orgId=${orgId}`;

describe('self-assessment with district review', () => {
  it('an org scores itself as a draft, and only its own org', async () => {
    const res = await as('t1_admin').put(`/api/assessments/rounds/${roundId}/self`, {
      orgId: world.t1.id,
      scores: [
        { itemKey: '1.1', score: 6, note: '网格按楼栋划分' },
        { itemKey: '1.2', score: 5, evidence: 'https://example.org/map.pdf' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'pending', canSelfScore: true, canReview: false });
    expect(res.json().items.map((i: any) => i.score)).toEqual([6, 5, null]);
    // Re-saving replaces the item's score.
    await as('t1_admin').put(`/api/assessments/rounds/${roundId}/self`, {
      orgId: world.t1.id,
      scores: [{ itemKey: '1.2', score: 4 }],
    });
    expect((await as('t1_admin').get(selfUrl(world.t1.id))).json().items[1].score).toBe(4);

    // T1's admin sees V1's round (his subtree) but not V1's self-assessment, nor scores for it.
    expect((await as('t1_admin').get(selfUrl(world.v1.id))).statusCode).toBe(403);
    const forV1 = await as('t1_admin').put(`/api/assessments/rounds/${roundId}/self`, {
      orgId: world.v1.id,
      scores: [{ itemKey: '1.1', score: 7 }],
    });
    expect(forV1.statusCode).toBe(403);
    // Another town: outside his scope, like a missing one.
    expect((await as('t1_admin').get(selfUrl(world.t2.id))).statusCode).toBe(404);
    expect((await as('t2_admin').get(selfUrl(world.t1.id))).statusCode).toBe(404);
    // V1's own admin neither sees T1's.
    expect((await as('v1_admin').get(selfUrl(world.t1.id))).statusCode).toBe(404);
    // Other district, no assessment.read.
    expect((await as('admin_b').get(`${selfUrl(world.t1.id)}&districtId=${world.districtA}`)).statusCode).toBe(404);
    expect((await as('v1_leader').get(selfUrl(world.v1.id))).statusCode).toBe(404);
    // The district reviewer and the district admin see every org's; the reviewer does not self-score.
    expect((await as('reviewer_a').get(selfUrl(world.t1.id))).json()).toMatchObject({ canReview: false });
    expect((await as('admin_a').get(selfUrl(world.t1.id))).statusCode).toBe(200);
    const byReviewer = await as('reviewer_a').put(`/api/assessments/rounds/${roundId}/self`, {
      orgId: world.t1.id,
      scores: [{ itemKey: '1.1', score: 7 }],
    });
    expect(byReviewer.statusCode).toBe(403);
  });

  it('refuses unknown items, an incomplete submission and a review before submission', async () => {
    const unknown = await as('t1_admin').put(`/api/assessments/rounds/${roundId}/self`, {
      orgId: world.t1.id,
      scores: [{ itemKey: '9.9', score: 5 }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('scores.0.itemKey');
    const early = await as('t1_admin').post(`/api/assessments/rounds/${roundId}/self/submit`, { orgId: world.t1.id });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('ASSESSMENT_SELF_INCOMPLETE');
    const review = await as('reviewer_a').post(`/api/assessments/rounds/${roundId}/review`, {
      orgId: world.t1.id,
      items: ['1.1', '1.2', '2.1'].map((itemKey) => ({ itemKey, decision: 'accepted' })),
    });
    expect(review.statusCode).toBe(409);
    expect(review.json().code).toBe('ASSESSMENT_SELF_STATE');
    // District-mode scoring is refused in a self_review round.
    const district = await as('reviewer_a').put(`/api/assessments/rounds/${roundId}/scores`, {
      orgId: world.t1.id,
      scores: [{ itemKey: '1.1', score: 5 }],
    });
    expect(district.statusCode).toBe(409);
    expect(district.json().code).toBe('ASSESSMENT_MODE');
  });

  it('submits, locks the self scores, and the results count nothing before the review', async () => {
    await as('t1_admin').put(`/api/assessments/rounds/${roundId}/self`, {
      orgId: world.t1.id,
      scores: [{ itemKey: '2.1', score: 3 }],
    });
    const submit = await as('t1_admin').post(`/api/assessments/rounds/${roundId}/self/submit`, { orgId: world.t1.id });
    expect(submit.statusCode, submit.body).toBe(200);
    expect(submit.json()).toMatchObject({ state: 'self_submitted', canSelfScore: false });
    const again = await as('t1_admin').put(`/api/assessments/rounds/${roundId}/self`, {
      orgId: world.t1.id,
      scores: [{ itemKey: '2.1', score: 7 }],
    });
    expect(again.statusCode).toBe(409);
    const twice = await as('t1_admin').post(`/api/assessments/rounds/${roundId}/self/submit`, { orgId: world.t1.id });
    expect(twice.statusCode).toBe(409);
    const results = (await as('admin_a').get(`/api/assessments/rounds/${roundId}/results`)).json();
    const t1 = results.orgs.find((o: any) => o.orgId === world.t1.id);
    expect(t1.result.overall).toBeNull();
    expect(t1.selfReview).toMatchObject({ state: 'self_submitted', visible: true, reviewedOverall: null });
    // (6 + 4) / 2 = 5 and 3 → 4
    expect(t1.selfReview.selfOverall).toBe(4);
  });

  it('a review must cover every item; an adjustment needs a score and a note', async () => {
    const partial = await as('reviewer_a').post(`/api/assessments/rounds/${roundId}/review`, {
      orgId: world.t1.id,
      items: [{ itemKey: '1.1', decision: 'accepted' }],
    });
    expect(partial.statusCode).toBe(422);
    expect(partial.json().code).toBe('ASSESSMENT_REVIEW_INCOMPLETE');
    const noNote = await as('reviewer_a').post(`/api/assessments/rounds/${roundId}/review`, {
      orgId: world.t1.id,
      items: [{ itemKey: '1.1', decision: 'adjusted', score: 5 }],
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().errors.map((e: any) => e.field)).toContain('items.0.note');
    // Not a reviewer of the round.
    const notReviewer = await as('admin_a').post(`/api/assessments/rounds/${roundId}/review`, {
      orgId: world.t1.id,
      items: ['1.1', '1.2', '2.1'].map((itemKey) => ({ itemKey, decision: 'accepted' })),
    });
    expect(notReviewer.statusCode).toBe(403);
    // Nothing was written by the refused calls.
    expect((await as('reviewer_a').get(selfUrl(world.t1.id))).json().state).toBe('self_submitted');
  });

  it('the reviewed score is what counts; results show self, reviewed and the difference', async () => {
    const review = await as('reviewer_a').post(`/api/assessments/rounds/${roundId}/review`, {
      orgId: world.t1.id,
      items: [
        { itemKey: '1.1', decision: 'adjusted', score: 5, note: '边界图未上图' },
        { itemKey: '1.2', decision: 'accepted' },
        { itemKey: '2.1', decision: 'adjusted', score: 4, note: '项目台账齐全' },
      ],
    });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json()).toMatchObject({ state: 'reviewed', reviewedBy: expect.any(String) });
    expect(review.json().items).toMatchObject([
      { itemKey: '1.1', score: 6, decision: 'adjusted', reviewedScore: 5, reviewNote: '边界图未上图' },
      { itemKey: '1.2', score: 4, decision: 'accepted', reviewedScore: 4 },
      { itemKey: '2.1', score: 3, decision: 'adjusted', reviewedScore: 4 },
    ]);

    const results = (await as('admin_a').get(`/api/assessments/rounds/${roundId}/results`)).json();
    const t1 = results.orgs.find((o: any) => o.orgId === world.t1.id);
    // reviewed: indicator 1 = (5 + 4) / 2 = 4.5, indicator 2 = 4 → 4.25; self 4
    expect(t1.result.overall).toBe(4.25);
    expect(t1.selfReview).toMatchObject({
      state: 'reviewed',
      selfOverall: 4,
      reviewedOverall: 4.25,
      difference: 0.25,
    });
    expect(t1.selfReview.items).toEqual([
      { key: '1.1', self: 6, reviewed: 5, difference: -1 },
      { key: '1.2', self: 4, reviewed: 4, difference: 0 },
      { key: '2.1', self: 3, reviewed: 4, difference: 1 },
    ]);
    // The district combined result counts only reviewed orgs.
    expect(results.combined.overall).toBe(4.25);

    // T1 sees its own comparison; T2 sees neither T1's result nor its self scores.
    const own = (await as('t1_admin').get(`/api/assessments/rounds/${roundId}/results`)).json();
    const ownT1 = own.orgs.find((o: any) => o.orgId === world.t1.id);
    expect(ownT1.selfReview.visible).toBe(true);
    // V1 (in T1's subtree) is listed for T1, but its self-assessment stays hidden from T1.
    const v1 = own.orgs.find((o: any) => o.orgId === world.v1.id);
    expect(v1.selfReview).toMatchObject({ visible: false, items: [] });
    const other = (await as('t2_admin').get(`/api/assessments/rounds/${roundId}/results`)).json();
    expect(other.orgs.map((o: any) => o.orgId)).toEqual([world.t2.id]);

    const round = (await as('admin_a').get(`/api/assessments/rounds/${roundId}`)).json();
    expect(round.orgs.find((o: any) => o.id === world.t1.id).state).toBe('reviewed');
    expect(round.progress).toEqual({ entered: 3, expected: 9 });
  });

  it('a re-review replaces the counted scores', async () => {
    const review = await as('reviewer_a').post(`/api/assessments/rounds/${roundId}/review`, {
      orgId: world.t1.id,
      items: ['1.1', '1.2', '2.1'].map((itemKey) => ({ itemKey, decision: 'accepted' })),
    });
    expect(review.statusCode).toBe(200);
    const results = (await as('admin_a').get(`/api/assessments/rounds/${roundId}/results`)).json();
    const t1 = results.orgs.find((o: any) => o.orgId === world.t1.id);
    expect(t1.result.overall).toBe(4);
    expect(t1.selfReview.difference).toBe(0);
    const rows = await many<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM assessment_scores WHERE round_id = ${roundId} AND org_id = ${world.t1.id}`,
    );
    expect(rows[0].n).toBe(3);

    // The export carries the comparison sheet.
    const xlsx = await as('admin_a').get(`/api/assessments/rounds/${roundId}/results.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as any);
    const sheet = book.getWorksheet('自评与审核')!;
    const values = sheet.getRows(2, 4)!.map((r) => (r.values as unknown[]).slice(1));
    expect(values[0]).toEqual(['东湖镇团委', '总体', 4, 4, 0]);
    expect(values[1]).toEqual(['东湖镇团委', '1.1', 6, 6, 0]);
  });
});
