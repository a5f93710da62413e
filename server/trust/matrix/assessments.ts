/**
 * Rows of the assessments module (考核: indicator sets, rounds, scores, results). assessment.read
 * (platform, district and org admins) lists sets and reads rounds and results of orgs in scope;
 * assessment.manage (platform and district admins) creates sets and rounds. Scores are entered by
 * the round's assessors only, whatever their role; an account without assessment.read sees only
 * the rounds it scores in (404 for any other, like a missing one).
 *
 * The target of a round route is a round assessing the scope org, scored by the district admins of
 * its district (so the matrix's district admin is an assessor of every round of district A).
 */
import { addAssessmentRound } from '../../test/factories.ts';
import { ALL, ANY_SESSION, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

/** A round assessing the scope org, shared by every row. */
function scopeRound(t: Target) {
  return t.shared('assessments.round', () => addAssessmentRound(t.database, t.org, `测评${t.unique}`));
}

/** assessment.read of a district-wide list. */
const READ_DISTRICT: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** assessment.manage. */
const MANAGE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: ALL('403'),
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/**
 * A round the caller sees: assessment.read holders when it assesses an org in their subtree,
 * assessors always. The matrix's grid leader, team leader and youth score in none of them.
 */
const ROUND_VISIBLE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: ALL('404'),
  team_leader: ALL('404'),
  youth: ALL('404'),
  anonymous: ALL('401'),
};

export const assessmentRules: Record<string, RouteRule> = {
  // The built-in Keqiao template is published reference text; an assessor of any role scores against it.
  'GET /api/assessments/template': { request: () => ({ url: '/api/assessments/template' }), expect: ANY_SESSION },
  'GET /api/assessments/sets': {
    request: (t) => ({ url: `/api/assessments/sets?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'POST /api/assessments/sets': {
    request: (t) => ({
      url: `/api/assessments/sets?districtId=${t.districtId}`,
      payload: { name: `指标${t.unique}`, copyFrom: 'keqiao' },
    }),
    expect: MANAGE,
  },
  'GET /api/assessments/rounds': {
    // Everyone lists the rounds he may see (an assessor without assessment.read: those he scores in).
    request: (t) => ({ url: `/api/assessments/rounds?districtId=${t.districtId}` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: DISTRICT,
      grid_leader: DISTRICT,
      team_leader: DISTRICT,
      youth: DISTRICT,
      anonymous: ALL('401'),
    },
  },
  'POST /api/assessments/rounds': {
    request: async (t) => {
      const { setId, assessorIds } = await scopeRound(t);
      return {
        url: `/api/assessments/rounds?districtId=${t.districtId}`,
        payload: {
          setId,
          name: `测评${t.unique}`,
          period: '2026Q4',
          deadline: '2099-12-31T16:00:00Z',
          orgIds: [t.orgId],
          assessorIds,
        },
      };
    },
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      // An org admin holds assessment.read but not assessment.manage.
      org_admin: ALL('403'),
      grid_leader: ALL('403'),
      team_leader: ALL('403'),
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
  'GET /api/assessments/rounds/:id': {
    request: async (t) => ({
      url: `/api/assessments/rounds/${(await scopeRound(t)).roundId}?districtId=${t.districtId}`,
    }),
    expect: ROUND_VISIBLE,
  },
  'GET /api/assessments/rounds/:id/scores': {
    request: async (t) => ({
      url: `/api/assessments/rounds/${(await scopeRound(t)).roundId}/scores?districtId=${t.districtId}&orgId=${t.orgId}`,
    }),
    expect: ROUND_VISIBLE,
  },
  'PUT /api/assessments/rounds/:id/scores': {
    request: async (t) => ({
      url: `/api/assessments/rounds/${(await scopeRound(t)).roundId}/scores?districtId=${t.districtId}`,
      payload: { orgId: t.orgId, scores: [{ itemKey: '1.1', score: 6 }] },
    }),
    expect: {
      // Not an assessor: the platform admin sees every round but scores none.
      platform_admin: ALL('403'),
      district_admin: DISTRICT,
      // Sees the rounds of his subtree, scores none of them.
      org_admin: '403 403 404 404 404',
      grid_leader: ALL('404'),
      team_leader: ALL('404'),
      youth: ALL('404'),
      anonymous: ALL('401'),
    },
  },
  'GET /api/assessments/rounds/:id/results': {
    request: async (t) => ({
      url: `/api/assessments/rounds/${(await scopeRound(t)).roundId}/results?districtId=${t.districtId}`,
    }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: SUBTREE,
      grid_leader: ALL('403'),
      team_leader: ALL('403'),
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
};

// ---- Rankings, the 1000-point scheme and awards ----------------------------------------------

const MANUAL_DEF = {
  categories: [{ name: '特色', items: [{ key: 'm', label: '特色', maxPoints: 100, source: 'manual' }] }],
  tiers: [],
};

/** A quarterly scheme of the scope org's district (manual item only), created directly. */
async function schemeOf(t: Target): Promise<number> {
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO ranking_schemes (district_id, kind, name, definition) VALUES ($1, 'quarterly', $2, $3::jsonb) RETURNING id`,
    [t.districtId, `排行${t.unique}`, JSON.stringify(MANUAL_DEF)],
  );
  return row.id;
}

/** A fresh village under the scope org. */
async function villageOf(t: Target): Promise<number> {
  const id = await t.freshLeafOrg();
  await t.database.query(`UPDATE orgs SET kind = 'village_branch' WHERE id = $1`, [id]);
  return id;
}

/** An open period of a fresh scheme. */
async function openPeriodOf(t: Target): Promise<number> {
  const schemeId = await schemeOf(t);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO ranking_periods (district_id, scheme_id, period, starts_at, ends_at)
     VALUES ($1, $2, '2026Q4', '2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00') RETURNING id`,
    [t.districtId, schemeId],
  );
  return row.id;
}

/** A published period whose frozen results rank a fresh village under the scope org. */
function publishedOf(t: Target): Promise<{ periodId: number; schemeId: number; villageId: number }> {
  return t.shared('rankings.published', async () => {
    const villageId = await villageOf(t);
    const periodId = await openPeriodOf(t);
    const [p] = await t.database.query<any>(
      `SELECT p.*, s.name AS scheme_name FROM ranking_periods p JOIN ranking_schemes s ON s.id = p.scheme_id WHERE p.id = $1`,
      [periodId],
    );
    const period = {
      id: periodId,
      districtId: t.districtId,
      schemeId: p.scheme_id,
      schemeName: p.scheme_name,
      kind: 'quarterly',
      period: '2026Q4',
      startsAt: new Date(p.starts_at).toISOString(),
      endsAt: new Date(p.ends_at).toISOString(),
      status: 'published',
      publishedAt: new Date().toISOString(),
      createdAt: new Date(p.created_at).toISOString(),
    };
    const item = {
      key: 'm',
      label: '特色',
      category: '特色',
      source: 'manual',
      metric: null,
      value: null,
      numerator: null,
      denominator: null,
    };
    const results = {
      period,
      maxTotal: 100,
      live: false,
      computedAt: new Date().toISOString(),
      rows: [
        {
          orgId: villageId,
          orgName: '村',
          parentName: null,
          rank: 1,
          total: 10,
          tier: null,
          categories: [{ name: '特色', points: 10, maxPoints: 100 }],
          items: [{ ...item, points: 10, maxPoints: 100, note: null, evidence: null }],
        },
      ],
    };
    await t.database.query(
      `UPDATE ranking_periods SET status = 'published', published_at = now(), results = $2::jsonb WHERE id = $1`,
      [periodId, JSON.stringify(results)],
    );
    return { periodId, schemeId: p.scheme_id, villageId };
  });
}

async function awardKindOf(t: Target): Promise<number> {
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO award_kinds (district_id, name, nominee_type) VALUES ($1, $2, 'org') RETURNING id`,
    [t.districtId, `评优${t.unique}`],
  );
  return row.id;
}

/** A fresh nomination of the scope org (by the scope's youth account, as the nominator of record). */
async function nominationOf(t: Target): Promise<number> {
  const kindId = await awardKindOf(t);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO award_nominations (district_id, kind_id, year, org_id, nominee_name, reasons, nominated_by)
     VALUES ($1, $2, 2026, $3, '推荐对象', '理由', $4) RETURNING id`,
    [t.districtId, kindId, t.orgId, t.accountId],
  );
  return row.id;
}

const READ_ANY_DISTRICT: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: ALL('2xx'),
  org_admin: ALL('2xx'),
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
const READ_SUBTREE: RouteRule['expect'] = { ...READ_DISTRICT, org_admin: SUBTREE };
const EVERYONE_DISTRICT: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: DISTRICT,
  youth: DISTRICT,
  anonymous: ALL('401'),
};

Object.assign(assessmentRules, {
  'PUT /api/assessments/sets/:id': {
    request: async (t: Target) => {
      const [row] = await t.database.query<{ id: number }>(
        `INSERT INTO assessment_sets (district_id, name, definition) VALUES ($1, $2, $3::jsonb) RETURNING id`,
        [
          t.districtId,
          `指标${t.unique}`,
          JSON.stringify({ indicators: [{ name: '指标', items: [{ key: '1', text: '题项' }] }] }),
        ],
      );
      return { url: `/api/assessments/sets/${row.id}?districtId=${t.districtId}`, payload: { name: `改${t.unique}` } };
    },
    expect: MANAGE,
  },
  'GET /api/assessments/rounds/:id/results.xlsx': {
    request: async (t: Target) => ({
      url: `/api/assessments/rounds/${(await scopeRound(t)).roundId}/results.xlsx?districtId=${t.districtId}`,
    }),
    expect: assessmentRules['GET /api/assessments/rounds/:id/results'].expect,
  },
  // The metric registry is the same for every district.
  'GET /api/assessments/rankings/metrics': {
    request: () => ({ url: '/api/assessments/rankings/metrics' }),
    expect: READ_ANY_DISTRICT,
  },
  'GET /api/assessments/rankings/schemes': {
    request: (t: Target) => ({ url: `/api/assessments/rankings/schemes?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'POST /api/assessments/rankings/schemes': {
    request: (t: Target) => ({
      url: `/api/assessments/rankings/schemes?districtId=${t.districtId}`,
      payload: { name: `排行${t.unique}`, kind: 'quarterly', fromTemplate: true },
    }),
    expect: MANAGE,
  },
  'GET /api/assessments/rankings/schemes/:id': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/schemes/${(await publishedOf(t)).schemeId}?districtId=${t.districtId}`,
    }),
    expect: READ_DISTRICT,
  },
  'PUT /api/assessments/rankings/schemes/:id': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/schemes/${await schemeOf(t)}?districtId=${t.districtId}`,
      payload: { name: `改${t.unique}` },
    }),
    expect: MANAGE,
  },
  'GET /api/assessments/rankings/schemes/:id/history': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/schemes/${(await publishedOf(t)).schemeId}/history?districtId=${t.districtId}&orgId=${t.orgId}`,
    }),
    expect: READ_SUBTREE,
  },
  'GET /api/assessments/rankings/periods': {
    request: (t: Target) => ({ url: `/api/assessments/rankings/periods?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'POST /api/assessments/rankings/periods': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/periods?districtId=${t.districtId}`,
      payload: { schemeId: await schemeOf(t), period: '2026Q3' },
    }),
    expect: MANAGE,
  },
  // Published: every reader of the district sees it (rows limited to his subtree).
  'GET /api/assessments/rankings/periods/:id/results': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/periods/${(await publishedOf(t)).periodId}/results?districtId=${t.districtId}`,
    }),
    expect: READ_DISTRICT,
  },
  'GET /api/assessments/rankings/periods/:id/results.xlsx': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/periods/${(await publishedOf(t)).periodId}/results.xlsx?districtId=${t.districtId}`,
    }),
    expect: READ_DISTRICT,
  },
  // The records behind a number of an org ranked in the period: readers of that org's subtree.
  'GET /api/assessments/rankings/periods/:id/drilldown': {
    request: async (t: Target) => {
      const { periodId, villageId } = await publishedOf(t);
      return {
        url: `/api/assessments/rankings/periods/${periodId}/drilldown?districtId=${t.districtId}&orgId=${villageId}&itemKey=m`,
      };
    },
    expect: READ_SUBTREE,
  },
  'PUT /api/assessments/rankings/periods/:id/manual': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/periods/${await openPeriodOf(t)}/manual?districtId=${t.districtId}`,
      payload: { orgId: await villageOf(t), items: [{ itemKey: 'm', points: 10 }] },
    }),
    expect: MANAGE,
  },
  'POST /api/assessments/rankings/periods/:id/publish': {
    request: async (t: Target) => ({
      url: `/api/assessments/rankings/periods/${await openPeriodOf(t)}/publish?districtId=${t.districtId}`,
      payload: {},
    }),
    expect: MANAGE,
  },
  // Award kinds and published results are for everyone of the district.
  'GET /api/assessments/awards/kinds': {
    request: (t: Target) => ({ url: `/api/assessments/awards/kinds?districtId=${t.districtId}` }),
    expect: EVERYONE_DISTRICT,
  },
  'POST /api/assessments/awards/kinds': {
    request: (t: Target) => ({
      url: '/api/assessments/awards/kinds',
      payload: { districtId: t.districtId, name: `评优${t.unique}`, nomineeType: 'org' },
    }),
    expect: MANAGE,
  },
  'GET /api/assessments/awards/nominations': {
    request: (t: Target) => ({ url: `/api/assessments/awards/nominations?districtId=${t.districtId}` }),
    expect: EVERYONE_DISTRICT,
  },
  'POST /api/assessments/awards/nominations': {
    request: async (t: Target) => ({
      url: '/api/assessments/awards/nominations',
      payload: { kindId: await awardKindOf(t), year: 2026, orgId: t.orgId, nomineeName: '推荐对象', reasons: '理由' },
    }),
    expect: READ_SUBTREE,
  },
  'GET /api/assessments/awards/nominations/:id': {
    request: async (t: Target) => ({ url: `/api/assessments/awards/nominations/${await nominationOf(t)}` }),
    expect: READ_SUBTREE,
  },
  'POST /api/assessments/awards/nominations/:id/review': {
    request: async (t: Target) => ({
      url: `/api/assessments/awards/nominations/${await nominationOf(t)}/review`,
      payload: { decision: 'approved' },
    }),
    expect: MANAGE,
  },
  'POST /api/assessments/awards/publish': {
    request: async (t: Target) => ({
      url: '/api/assessments/awards/publish',
      payload: { districtId: t.districtId, kindId: await awardKindOf(t), year: 2026 },
    }),
    expect: MANAGE,
  },
} satisfies Record<string, RouteRule>);

// ---- Self-assessment and district review (rounds of mode self_review, 0018) -------------------

/**
 * A self_review round assessing the scope org (one item), reviewed by the district admins of its
 * district. `filled`: the org's self score is entered; `submitted`: and submitted for review.
 */
async function selfRoundOf(t: Target, stage: 'pending' | 'filled' | 'submitted'): Promise<number> {
  const [set] = await t.database.query<{ id: number }>(
    `INSERT INTO assessment_sets (district_id, name, definition) VALUES ($1, $2, $3::jsonb) RETURNING id`,
    [
      t.districtId,
      `自评${t.unique}`,
      JSON.stringify({ indicators: [{ name: '指标', items: [{ key: '1', text: '题项' }] }] }),
    ],
  );
  const [round] = await t.database.query<{ id: number }>(
    `INSERT INTO assessment_rounds (district_id, set_id, name, period, deadline, thresholds, mode)
     VALUES ($1, $2, $3, '2026Q4', '2099-12-31T16:00:00Z', '{"veryGood":5.5,"acceptable":5}'::jsonb, 'self_review')
     RETURNING id`,
    [t.districtId, set.id, `自评${t.unique}`],
  );
  await t.database.query(
    `INSERT INTO assessment_targets (round_id, org_id, district_id, state) VALUES ($1, $2, $3, $4)`,
    [round.id, t.orgId, t.districtId, stage === 'submitted' ? 'self_submitted' : 'pending'],
  );
  await t.database.query(
    `INSERT INTO assessment_assessors (round_id, account_id, district_id)
     SELECT $1, id, district_id FROM accounts WHERE district_id = $2 AND role = 'district_admin' AND active`,
    [round.id, t.districtId],
  );
  if (stage !== 'pending') {
    await t.database.query(
      `INSERT INTO assessment_self_scores (round_id, org_id, district_id, item_key, score, entered_by)
       VALUES ($1, $2, $3, '1', 5, $4)`,
      [round.id, t.orgId, t.districtId, t.accountId],
    );
  }
  return round.id;
}

/** The org's own cadres (an org admin bound to it; the district admin for the root) enter and submit. */
const SELF_SCORE: RouteRule['expect'] = {
  platform_admin: ALL('403'),
  district_admin: '403 403 403 2xx 404',
  org_admin: '2xx 403 404 404 404',
  grid_leader: ALL('404'),
  team_leader: ALL('404'),
  youth: ALL('404'),
  anonymous: ALL('401'),
};

Object.assign(assessmentRules, {
  // The org itself and the district (reviewers, assessment.manage) see a self-assessment; an org above it does not.
  'GET /api/assessments/rounds/:id/self': {
    request: async (t: Target) => ({
      url: `/api/assessments/rounds/${await t.shared('assessments.selfRound', () => selfRoundOf(t, 'filled'))}/self?districtId=${t.districtId}&orgId=${t.orgId}`,
    }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: '2xx 403 404 404 404',
      grid_leader: ALL('404'),
      team_leader: ALL('404'),
      youth: ALL('404'),
      anonymous: ALL('401'),
    },
  },
  'PUT /api/assessments/rounds/:id/self': {
    request: async (t: Target) => ({
      url: `/api/assessments/rounds/${await selfRoundOf(t, 'pending')}/self?districtId=${t.districtId}`,
      payload: { orgId: t.orgId, scores: [{ itemKey: '1', score: 6 }] },
    }),
    expect: SELF_SCORE,
  },
  'POST /api/assessments/rounds/:id/self/submit': {
    request: async (t: Target) => ({
      url: `/api/assessments/rounds/${await selfRoundOf(t, 'filled')}/self/submit?districtId=${t.districtId}`,
      payload: { orgId: t.orgId },
    }),
    expect: SELF_SCORE,
  },
  // The round's reviewers (the district admins) review; nobody else, whatever he sees.
  'POST /api/assessments/rounds/:id/review': {
    request: async (t: Target) => ({
      url: `/api/assessments/rounds/${await selfRoundOf(t, 'submitted')}/review?districtId=${t.districtId}`,
      payload: { orgId: t.orgId, items: [{ itemKey: '1', decision: 'adjusted', score: 4, note: '佐证不足' }] },
    }),
    expect: {
      platform_admin: ALL('403'),
      district_admin: DISTRICT,
      org_admin: '403 403 404 404 404',
      grid_leader: ALL('404'),
      team_leader: ALL('404'),
      youth: ALL('404'),
      anonymous: ALL('401'),
    },
  },
} satisfies Record<string, RouteRule>);
