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
