/** Rows of the orgs module added by issue 10: the province view is for platform admins only. */
import { ALL, type RouteRule } from './common.ts';

export const orgRollupRules: Record<string, RouteRule> = {
  'GET /api/orgs/rollups/districts': {
    request: () => ({ url: '/api/orgs/rollups/districts' }),
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
};
