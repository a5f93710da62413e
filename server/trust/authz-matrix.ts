/**
 * THE authorization matrix of the API: every route Fastify registers under /api, for every role
 * and every scope, the status class the route must answer. `authz.test.ts` turns each cell into a
 * test against the real app and a real database, and fails when a registered /api route is missing
 * here: a new route is denied by default until someone decides, in this table, who may call it.
 *
 * Reading a row
 * -------------
 * Each role has five cells, in the order of {@link SCOPES}:
 *
 *     own  child  sibling  parent  otherDistrict
 *
 * Scopes are named from the position of a town-level cadre: org-bound roles (org admin, grid
 * leader, team leader, youth) sit in town T1 of district A; the district admin sits at A's root;
 * the platform admin has no org. The targets are the same orgs for every role:
 *
 *     own = T1   child = village V1 (under T1)   sibling = town T2   parent = A's root
 *     otherDistrict = town TB of district B
 *
 * So for a district admin "parent" is his own root, and everything but otherDistrict is his.
 * A cell is `2xx`, `401` (no session), `403` (the role lacks the permission) or `404` (the
 * target exists but lies outside the caller's scope, answered exactly like a missing one).
 *
 * What "the target" is depends on the route (see each `request`): the scope org itself (org reads
 * and edits), a fresh leaf sub-org of it (deactivation: an org with children or accounts cannot be
 * deactivated), an alliance under it, an account bound to it, or its district (lists). The rows of
 * the grids, people, registrations and assessments modules live in ./matrix/<module>.ts (each file
 * says what its targets are: a grid, a person, a registration code, a round in the scope org).
 */

import { ACTIVITY_PUBLIC_ROUTES, activityRules } from './matrix/activities.ts';
import { ACTIVITY_ORDER_MORE_PUBLIC_ROUTES, activityOrderMoreRules } from './matrix/activities-orders-more.ts';
import { assessmentRules } from './matrix/assessments.ts';
import { authRules } from './matrix/auth.ts';
import { cadreRules } from './matrix/cadres.ts';
import { CAPTCHA_PUBLIC_ROUTES } from './matrix/captcha.ts';
import {
  ALL,
  ANY_SESSION,
  DISTRICT,
  type Expect,
  type MatrixRole,
  type RouteRule,
  SCOPES,
  type Scope,
  SUBTREE,
} from './matrix/common.ts';
import { dashboardRules } from './matrix/dashboard.ts';
import { fundRules } from './matrix/funds.ts';
import { gridRules } from './matrix/grids.ts';
import { ledgerRules } from './matrix/ledgers.ts';
import { noticeRules } from './matrix/notices.ts';
import { orderRules } from './matrix/orders.ts';
import { orgRollupRules } from './matrix/orgs.ts';
import { peopleRules } from './matrix/people.ts';
import { PHOTO_PUBLIC_ROUTES, photoRules } from './matrix/photos.ts';
import { REGISTRATION_PUBLIC_ROUTES, registrationRules } from './matrix/registrations.ts';
import { venueRules } from './matrix/venues.ts';

export * from './matrix/common.ts';

/**
 * Routes open without a session (config.public, or pages outside the API's session check). They
 * are asserted reachable anonymously; listing a route here is a decision, review it like one.
 */
export const PUBLIC_ROUTES: readonly string[] = [
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/openapi.json',
  // @fastify/swagger-ui: the docs page and its assets.
  'GET /api/docs',
  'GET /api/docs/json',
  'GET /api/docs/yaml',
  'GET /api/docs/static/index.html',
  'GET /api/docs/static/swagger-initializer.js',
  'GET /api/docs/static/*',
  // 二维报到: the phone page a youth opens by scanning a registration code, and its form.
  'GET /api/qr/:token',
  'POST /api/qr/:token/register',
  // …the grid suggested from the position and the one-tap confirm of a known person; the captcha image.
  ...REGISTRATION_PUBLIC_ROUTES,
  ...CAPTCHA_PUBLIC_ROUTES,
  // 阵地地图: the public map of a district's venues (no personal data, nothing about bookings).
  'GET /api/public/districts/:id/venues',
  // 点单: the resident's phone pages (SMS code, ordering, tracking and rating proven by token or phone) and the
  // public needs list and service menu (no personal data).
  'POST /api/public/sms-codes',
  'POST /api/public/districts/:id/orders',
  'GET /api/public/districts/:id/needs',
  'GET /api/public/districts/:id/service-menu',
  'POST /api/public/orders/:tracking/view',
  'POST /api/public/orders/:tracking/rating',
  // 现场评单 by participants (phone + code), the two-rate leaderboard and resource list (no personal data), and
  // Open311 GeoReport v2: reads answer named requests without places; listing and POST need a district api_key.
  'POST /api/public/orders/:tracking/participant-ratings',
  'GET /api/public/districts/:id/leaderboard',
  'GET /api/public/districts/:id/resources',
  'GET /api/open311/v2/services.json',
  'GET /api/open311/v2/services/:code.json',
  'GET /api/open311/v2/requests.json',
  'POST /api/open311/v2/requests.json',
  'GET /api/open311/v2/requests/:id.json',
  // 活动: the youth's phone pages (theme ideas, plan comments, the activity QR page) and published activities.
  ...ACTIVITY_PUBLIC_ROUTES,
  ...ACTIVITY_ORDER_MORE_PUBLIC_ROUTES,
  // 照片: photos of published activity summaries (the public activity page).
  ...PHOTO_PUBLIC_ROUTES,
];

/** Key: `METHOD url` exactly as Fastify registers it (`:id` params, no prefix added). */
export const AUTHZ_MATRIX: Record<string, RouteRule> = {
  // ── auth ──────────────────────────────────────────────────────────────────────────────────
  'GET /api/me': { request: () => ({ url: '/api/me' }), expect: ANY_SESSION },
  'POST /api/auth/password': {
    freshActor: true,
    request: () => ({
      url: '/api/auth/password',
      payload: { currentPassword: 'Passw0rd2026', newPassword: 'Changed2026x' },
    }),
    expect: ANY_SESSION,
  },

  // ── districts ─────────────────────────────────────────────────────────────────────────────
  'GET /api/districts': { request: () => ({ url: '/api/districts' }), expect: ANY_SESSION },
  'POST /api/districts': {
    request: (t) => ({ url: '/api/districts', payload: { code: t.uniqueDigits, name: `区${t.unique}` } }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: ALL('403'),
      org_admin: ALL('403'),
      grid_leader: ALL('403'),
      team_leader: ALL('403'),
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },

  // ── orgs ──────────────────────────────────────────────────────────────────────────────────
  'GET /api/orgs/tree': {
    request: (t) => ({ url: `/api/orgs/tree?districtId=${t.districtId}` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: DISTRICT,
      grid_leader: DISTRICT,
      team_leader: DISTRICT,
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
  'GET /api/orgs': {
    request: (t) => ({ url: `/api/orgs?districtId=${t.districtId}` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: DISTRICT,
      grid_leader: DISTRICT,
      team_leader: DISTRICT,
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
  'POST /api/orgs': {
    request: (t) => ({ url: '/api/orgs', payload: { parentId: t.orgId, kind: 'branch', name: `支部${t.unique}` } }),
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
  'GET /api/orgs/:id': {
    request: (t) => ({ url: `/api/orgs/${t.orgId}` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: SUBTREE,
      grid_leader: SUBTREE,
      team_leader: SUBTREE,
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
  'PATCH /api/orgs/:id': {
    request: (t) => ({ url: `/api/orgs/${t.orgId}`, payload: { description: `authz ${t.unique}` } }),
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
  'DELETE /api/orgs/:id': {
    // Target: a fresh leaf under the scope org. A leaf under T1's parent (the root) is T1's sibling.
    request: async (t) => ({ url: `/api/orgs/${await t.freshLeafOrg()}` }),
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
  'GET /api/orgs/:id/members': {
    request: (t) => ({ url: `/api/orgs/${t.allianceId}/members` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: SUBTREE,
      grid_leader: SUBTREE,
      team_leader: SUBTREE,
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
  'PUT /api/orgs/:id/members': {
    request: (t) => ({ url: `/api/orgs/${t.allianceId}/members`, payload: { orgIds: [] } }),
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

  // ── accounts ──────────────────────────────────────────────────────────────────────────────
  'GET /api/accounts': {
    request: (t) => ({ url: `/api/accounts?districtId=${t.districtId}` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: DISTRICT,
      grid_leader: ALL('403'),
      team_leader: ALL('403'),
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
  'POST /api/accounts': {
    request: (t) => ({
      url: '/api/accounts',
      payload: {
        username: `u${t.unique}`,
        displayName: '测试',
        role: 'youth',
        orgId: t.orgId,
        password: 'Start2026x',
      },
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
  'PATCH /api/accounts/:id': {
    request: (t) => ({ url: `/api/accounts/${t.accountId}`, payload: { displayName: `改名${t.unique}` } }),
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

  // ── audit ─────────────────────────────────────────────────────────────────────────────────
  'GET /api/audit': {
    request: (t) => ({ url: `/api/audit?districtId=${t.districtId}` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: ALL('403'),
      grid_leader: ALL('403'),
      team_leader: ALL('403'),
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },

  // ── modules with their rows in ./matrix/ ──────────────────────────────────────────────────
  ...gridRules,
  ...peopleRules,
  ...cadreRules,
  ...ledgerRules,
  ...dashboardRules,
  ...orgRollupRules,
  ...registrationRules,
  ...assessmentRules,
  ...venueRules,
  ...fundRules,
  ...noticeRules,
  ...orderRules,
  ...activityRules,
  ...activityOrderMoreRules,
  ...photoRules,
  ...authRules,
};

/** The five expectations of a role on a route, by scope. Throws on a malformed row. */
export function cellsOf(route: string, role: MatrixRole): Record<Scope, Expect> {
  const raw = AUTHZ_MATRIX[route]?.expect[role];
  const cells = raw?.trim().split(/\s+/) ?? [];
  const valid: readonly string[] = ['2xx', '401', '403', '404'];
  if (cells.length !== SCOPES.length || cells.some((c) => !valid.includes(c))) {
    throw new Error(`authz-matrix.ts: "${route}" × ${role} must be five of 2xx/401/403/404, got "${raw}"`);
  }
  return Object.fromEntries(SCOPES.map((s, i) => [s, cells[i]])) as Record<Scope, Expect>;
}

/** Whether a status code is what a cell expects. */
export function matches(expected: Expect, status: number): boolean {
  return expected === '2xx' ? status >= 200 && status < 300 : String(status) === expected;
}
