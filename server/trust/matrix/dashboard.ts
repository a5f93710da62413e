/** Rows of the dashboard: org.read in the caller's subtree (the overview of the scope org). */
import { ALL, DISTRICT, type RouteRule, SUBTREE } from './common.ts';

export const dashboardRules: Record<string, RouteRule> = {
  'GET /api/dashboard/overview': {
    request: (t) => ({ url: `/api/dashboard/overview?districtId=${t.districtId}&orgId=${t.orgId}` }),
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
  // The grid map coloured by a metric: org.read in the caller's subtree, like the overview.
  'GET /api/dashboard/grid-map': {
    request: (t) => ({ url: `/api/dashboard/grid-map?districtId=${t.districtId}&orgId=${t.orgId}&metric=youth` }),
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
};
