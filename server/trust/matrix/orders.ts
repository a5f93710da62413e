/**
 * Authorization rows of the orders module (点单·派单·评单). Targets: a fresh order requested in the
 * scope org and, for the assignee's steps, assigned to the scope org too; a service-menu item offered
 * by the scope org. Reading lists, rates and the menu is per district; reading an order follows the
 * subtree; dispatching needs order.dispatch (admins), working and rating need order.write (cadres).
 * The public phone pages (SMS code, ordering, tracking, rating, public lists) are in PUBLIC_ROUTES.
 */
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

let seq = 0;

/** A fresh order requested in the scope org, in `status`; assigned to the scope org once dispatched. */
async function orderOf(t: Target, status: string): Promise<number> {
  seq++;
  const tracking = `MX${Date.now().toString(36)}${seq}${Math.random().toString(36).slice(2, 8)}`.slice(0, 24);
  const assigned = !['submitted', 'classified'].includes(status);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO service_orders (district_id, tracking_no, source, category, title, org_id, classification, status,
                                 assignee_org_id, dispatched_at, respond_due_at, complete_due_at, dispatch_count,
                                 done_at)
     VALUES ($1, $2, 'party_gov', 'education', $3, $4, $5, $6, $7,
             CASE WHEN $8::boolean THEN now() END, CASE WHEN $8::boolean THEN now() + interval '2 hours' END,
             CASE WHEN $8::boolean THEN now() + interval '1 day' END, CASE WHEN $8::boolean THEN 1 ELSE 0 END,
             CASE WHEN $9::boolean THEN now() END)
     RETURNING id`,
    [
      t.districtId,
      tracking,
      `矩阵订单${t.unique}`,
      t.orgId,
      status === 'submitted' ? null : 'immediate',
      status,
      assigned ? t.orgId : null,
      assigned,
      status === 'done',
    ],
  );
  return row.id;
}

/** A menu item offered by the scope org. */
async function menuItemOf(t: Target): Promise<number> {
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO service_menu_items (district_id, org_id, category, title) VALUES ($1, $2, 'education', $3) RETURNING id`,
    [t.districtId, t.orgId, `服务${t.unique}`],
  );
  return row.id;
}

/** A review task (from a dissatisfied rating) of a fresh done order of the scope org. */
async function reviewOf(t: Target): Promise<number> {
  const orderId = await orderOf(t, 'done');
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO service_order_reviews (district_id, order_id, org_id, score, by_kind) VALUES ($1, $2, $3, 2, 'requester')
     RETURNING id`,
    [t.districtId, orderId, t.orgId],
  );
  return row.id;
}

/** An Open311 client of the scope's district (the key hash is random: nobody holds the key). */
async function open311ClientOf(t: Target): Promise<number> {
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO open311_clients (district_id, name, key_hash) VALUES ($1, $2, md5(random()::text) || md5(random()::text))
     RETURNING id`,
    [t.districtId, `接入${t.unique}`],
  );
  return row.id;
}

/** District rules (deadlines, threshold), review tasks' closing, Open311 keys: district and platform admins. */
const DISTRICT_ADMINS = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: ALL('403'),
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const READ_DISTRICT = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: DISTRICT,
  youth: ALL('403'),
  anonymous: ALL('401'),
};

/** Reading an order, entering one, keeping the menu, working on assigned orders, rating on behalf. */
const CADRE_SUBTREE = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: SUBTREE,
  youth: ALL('403'),
  anonymous: ALL('401'),
};

/** Classifying, dispatching, rejecting, cancelling, and the suggestions (order.dispatch). */
const DISPATCH = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const step = (path: string, status: string, payload: unknown = {}) => ({
  request: async (t: Target) => ({ url: `/api/orders/${await orderOf(t, status)}/${path}`, payload }),
});

export const orderRules: Record<string, RouteRule> = {
  'GET /api/orders': { request: (t) => ({ url: `/api/orders?districtId=${t.districtId}` }), expect: READ_DISTRICT },
  'POST /api/orders': {
    request: (t) => ({
      url: '/api/orders',
      payload: { source: 'party_gov', orgId: t.orgId, category: 'safety', title: `平安巡防${t.unique}` },
    }),
    expect: CADRE_SUBTREE,
  },
  'GET /api/orders/rates': {
    request: (t) => ({ url: `/api/orders/rates?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'GET /api/orders/:id': {
    request: async (t) => ({ url: `/api/orders/${await t.shared('order', () => orderOf(t, 'submitted'))}` }),
    expect: CADRE_SUBTREE,
  },
  'GET /api/orders/:id/suggestions': {
    request: async (t) => ({
      url: `/api/orders/${await t.shared('order', () => orderOf(t, 'submitted'))}/suggestions`,
    }),
    expect: DISPATCH,
  },
  'POST /api/orders/:id/classify': { ...step('classify', 'submitted', { classification: 'hard' }), expect: DISPATCH },
  'POST /api/orders/:id/dispatch': {
    request: async (t) => ({
      url: `/api/orders/${await orderOf(t, 'classified')}/dispatch`,
      payload: { assigneeOrgId: t.orgId },
    }),
    expect: DISPATCH,
  },
  'POST /api/orders/:id/reject': { ...step('reject', 'submitted', { reason: '矩阵测试' }), expect: DISPATCH },
  'POST /api/orders/:id/cancel': { ...step('cancel', 'submitted', { reason: '矩阵测试' }), expect: DISPATCH },
  'POST /api/orders/:id/accept': { ...step('accept', 'dispatched'), expect: CADRE_SUBTREE },
  'POST /api/orders/:id/decline': { ...step('decline', 'dispatched', { reason: '矩阵测试' }), expect: CADRE_SUBTREE },
  'POST /api/orders/:id/start': { ...step('start', 'accepted'), expect: CADRE_SUBTREE },
  'POST /api/orders/:id/complete': { ...step('complete', 'accepted', { note: '完成' }), expect: CADRE_SUBTREE },
  'POST /api/orders/:id/progress': { ...step('progress', 'accepted', { note: '进展' }), expect: CADRE_SUBTREE },
  'POST /api/orders/:id/rating': { ...step('rating', 'done', { score: 5 }), expect: CADRE_SUBTREE },
  'GET /api/service-menu': {
    request: (t) => ({ url: `/api/service-menu?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'POST /api/service-menu': {
    request: (t) => ({
      url: '/api/service-menu',
      payload: { orgId: t.orgId, category: 'education', title: `课业辅导${t.unique}` },
    }),
    expect: CADRE_SUBTREE,
  },
  'PATCH /api/service-menu/:id': {
    request: async (t) => ({ url: `/api/service-menu/${await menuItemOf(t)}`, payload: { title: `改名${t.unique}` } }),
    expect: CADRE_SUBTREE,
  },
  'GET /api/orders/settings': {
    request: (t) => ({ url: `/api/orders/settings?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'PUT /api/orders/settings': {
    request: (t) => ({ url: '/api/orders/settings', payload: { districtId: t.districtId, incubationThreshold: 0.8 } }),
    expect: DISTRICT_ADMINS,
  },
  'GET /api/orders/reviews': {
    request: (t) => ({ url: `/api/orders/reviews?districtId=${t.districtId}` }),
    expect: { ...DISPATCH, org_admin: DISTRICT },
  },
  'POST /api/orders/reviews/:id/close': {
    request: async (t) => ({
      url: `/api/orders/reviews/${await reviewOf(t)}/close`,
      payload: { resolution: '已回访' },
    }),
    expect: DISTRICT_ADMINS,
  },
  'GET /api/orders/open311-clients': {
    request: (t) => ({ url: `/api/orders/open311-clients?districtId=${t.districtId}` }),
    expect: DISTRICT_ADMINS,
  },
  'POST /api/orders/open311-clients': {
    request: (t) => ({
      url: '/api/orders/open311-clients',
      payload: { districtId: t.districtId, name: `12355热线${t.unique}` },
    }),
    expect: DISTRICT_ADMINS,
  },
  'POST /api/orders/open311-clients/:id/deactivate': {
    request: async (t) => ({ url: `/api/orders/open311-clients/${await open311ClientOf(t)}/deactivate` }),
    expect: DISTRICT_ADMINS,
  },
};
