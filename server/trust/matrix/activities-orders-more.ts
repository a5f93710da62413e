/**
 * Authorization rows of the plan approval setting, the youth's call inbox and the order reminder
 * deliveries (migration 0019). The setting is read per district and written by district and
 * platform admins; the deliveries of an order are read by whoever sees the order (its subtree);
 * the call inbox is a public phone page proven by its signed personal link (PUBLIC_ROUTES).
 */
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

let seq = 0;

/** A fresh submitted order requested in the scope org. */
async function orderOf(t: Target): Promise<number> {
  seq++;
  const tracking = `RD${Date.now().toString(36)}${seq}${Math.random().toString(36).slice(2, 8)}`.slice(0, 24);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO service_orders (district_id, tracking_no, source, category, title, org_id, status)
     VALUES ($1, $2, 'party_gov', 'education', $3, $4, 'submitted') RETURNING id`,
    [t.districtId, tracking, `提醒订单${t.unique}`, t.orgId],
  );
  return row.id;
}

export const ACTIVITY_ORDER_MORE_PUBLIC_ROUTES = [
  // 我的召集令: the youth's inbox, proven by the signed personal link sent by SMS (no personal data but 张*).
  'GET /api/public/call-inbox/:token',
] as const;

export const activityOrderMoreRules: Record<string, RouteRule> = {
  'GET /api/activity-settings': {
    request: (t) => ({ url: `/api/activity-settings?districtId=${t.districtId}` }),
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
  'PUT /api/activity-settings': {
    // the default level: the write (and its audit) happens, the behaviour stays
    request: (t) => ({ url: '/api/activity-settings', payload: { districtId: t.districtId, planApprover: 'parent' } }),
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
  'GET /api/orders/:id/reminder-deliveries': {
    request: async (t) => ({
      url: `/api/orders/${await t.shared('reminder-order', () => orderOf(t))}/reminder-deliveries`,
    }),
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
