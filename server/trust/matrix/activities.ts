/**
 * Authorization rows of the activities module (themes, plans, activities, sign-ups). Targets are a
 * theme, plan or activity of the scope org (inserted directly); reads and writes follow the scope
 * org's subtree; approval is by the level above (an org admin's own org is not "above" itself, so
 * a town admin approves its villages' plans, not its own); categories are the district's.
 */
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

const MIN = 60_000;
const at = (minutes: number) => new Date(Date.now() + minutes * MIN).toISOString();

/** A category of the target's district (one per scope). */
function categoryOf(t: Target): Promise<number> {
  return t.shared('activity-category', async () => {
    const [row] = await t.database.query<{ id: number }>(
      `INSERT INTO activity_categories (district_id, name) VALUES ($1, $2) RETURNING id`,
      [t.districtId, `类别${t.unique}`],
    );
    return row.id;
  });
}

async function themeOf(t: Target, shortlisted = false): Promise<number> {
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO activity_themes (district_id, org_id, title, deadline) VALUES ($1, $2, $3, $4) RETURNING id`,
    [t.districtId, t.orgId, `主题${t.unique}`, at(60 * 24)],
  );
  await t.database.query(
    `INSERT INTO activity_theme_ideas (district_id, theme_id, text, author_name, source, shortlisted)
     VALUES ($1, $2, '建议', '矩阵', 'staff', $3)`,
    [t.districtId, row.id, shortlisted],
  );
  return row.id;
}

async function ideaOf(t: Target): Promise<number> {
  const themeId = await themeOf(t);
  const [row] = await t.database.query<{ id: number }>(`SELECT id FROM activity_theme_ideas WHERE theme_id = $1`, [
    themeId,
  ]);
  return row.id;
}

async function planOf(t: Target, status: string): Promise<number> {
  const categoryId = await categoryOf(t);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO activity_plans (district_id, org_id, title, purpose, category_id, venue, starts_at, ends_at, capacity, status)
     VALUES ($1, $2, $3, '目的', $4, '青年之家', $5, $6, 20, $7) RETURNING id`,
    [t.districtId, t.orgId, `方案${t.unique}`, categoryId, at(10), at(120), status],
  );
  return row.id;
}

async function commentOf(t: Target): Promise<number> {
  const planId = await planOf(t, 'submitted');
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO activity_plan_comments (district_id, plan_id, author_name, text) VALUES ($1, $2, '青年', '建议') RETURNING id`,
    [t.districtId, planId],
  );
  return row.id;
}

/** An activity of the scope org starting in 10 minutes (check-in open), in `status`. */
async function activityOf(t: Target, status: string): Promise<number> {
  const planId = await planOf(t, 'approved');
  const categoryId = await categoryOf(t);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO activities (district_id, plan_id, org_id, title, category_id, venue, starts_at, ends_at, capacity,
                             signup_opens_at, signup_closes_at, status)
     VALUES ($1, $2, $3, $4, $5, '青年之家', $6, $7, 20, $8, $9, $10) RETURNING id`,
    [t.districtId, planId, t.orgId, `活动${t.unique}`, categoryId, at(10), at(120), at(-60), at(5), status],
  );
  if (status === 'finished' || status === 'summarised') {
    if (status === 'summarised')
      await t.database.query(
        `INSERT INTO activity_summaries (activity_id, district_id, text, attendance) VALUES ($1, $2, '总结', 0)`,
        [row.id, t.districtId],
      );
  }
  return row.id;
}

async function signupOf(t: Target): Promise<{ activityId: number; signupId: number }> {
  const activityId = await activityOf(t, 'open');
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO activity_signups (district_id, activity_id, name, phone_enc, phone_idx, status, source)
     VALUES ($1, $2, '青年', 'x', $3, 'admitted', 'online') RETURNING id`,
    [t.districtId, activityId, `idx${t.unique}`],
  );
  await t.database.query(`UPDATE activities SET admitted_count = 1 WHERE id = $1`, [activityId]);
  return { activityId, signupId: row.id };
}

async function teamOf(t: Target): Promise<number> {
  const categoryId = await categoryOf(t);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO service_teams (district_id, org_id, name, kind, category_id) VALUES ($1, $2, $3, 'professional', $4) RETURNING id`,
    [t.districtId, t.orgId, `团队${t.unique}`, categoryId],
  );
  return row.id;
}

/** A registered youth whose League branch is the scope org. */
async function personOf(t: Target): Promise<number> {
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO people (district_id, name, political_status, category, branch_org_id, source, status)
     VALUES ($1, $2, 'masses', 'other', $3, 'staff', 'registered') RETURNING id`,
    [t.districtId, `青年${t.unique}`, t.orgId],
  );
  return row.id;
}

const RANGE = () => `from=${encodeURIComponent(at(-60 * 24 * 30))}&to=${encodeURIComponent(at(60 * 24))}`;

/** Reads of the own subtree (district admins: the district). */
const READ = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: SUBTREE,
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** Lists of the caller's district (filtered to the subtree inside). */
const LIST = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: DISTRICT,
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** Organiser writes: cadres of the subtree; team leaders and youth may not. */
const WRITE = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** 上一级审批: strictly above the plan's org (the town admin: its villages, not the town itself). */
const APPROVE = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: '403 2xx 404 404 404',
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** The district's categories: district admins (and the platform). */
const MANAGE = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: ALL('403'),
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const planBody = async (t: Target) => ({
  orgId: t.orgId,
  title: `方案${t.unique}`,
  purpose: '目的',
  categoryId: await categoryOf(t),
  venue: '青年之家',
  startsAt: at(60),
  endsAt: at(120),
  capacity: 20,
});

export const activityRules: Record<string, RouteRule> = {
  'GET /api/activity-categories': {
    request: (t) => ({ url: `/api/activity-categories?districtId=${t.districtId}` }),
    expect: LIST,
  },
  'POST /api/activity-categories': {
    request: (t) => ({
      url: `/api/activity-categories?districtId=${t.districtId}`,
      payload: { name: `新类${t.unique}` },
    }),
    expect: MANAGE,
  },
  'PATCH /api/activity-categories/:id': {
    request: async (t) => ({ url: `/api/activity-categories/${await categoryOf(t)}`, payload: { sortOrder: 5 } }),
    expect: MANAGE,
  },
  'GET /api/activity-themes': {
    request: (t) => ({ url: `/api/activity-themes?districtId=${t.districtId}` }),
    expect: LIST,
  },
  'POST /api/activity-themes': {
    request: (t) => ({
      url: '/api/activity-themes',
      payload: { orgId: t.orgId, title: `主题${t.unique}`, deadline: at(600) },
    }),
    expect: WRITE,
  },
  'GET /api/activity-themes/:id': {
    request: async (t) => ({ url: `/api/activity-themes/${await t.shared('theme', () => themeOf(t))}` }),
    expect: READ,
  },
  'POST /api/activity-themes/:id/ideas': {
    request: async (t) => ({
      url: `/api/activity-themes/${await t.shared('theme', () => themeOf(t))}/ideas`,
      payload: { text: '建议' },
    }),
    expect: WRITE,
  },
  'POST /api/activity-themes/:id/publish': {
    request: async (t) => ({ url: `/api/activity-themes/${await themeOf(t, true)}/publish` }),
    expect: WRITE,
  },
  'POST /api/activity-theme-ideas/:id/shortlist': {
    request: async (t) => ({
      url: `/api/activity-theme-ideas/${await ideaOf(t)}/shortlist`,
      payload: { shortlisted: true },
    }),
    expect: WRITE,
  },
  'GET /api/activity-plans': {
    request: (t) => ({ url: `/api/activity-plans?districtId=${t.districtId}` }),
    expect: LIST,
  },
  'POST /api/activity-plans': {
    request: async (t) => ({ url: '/api/activity-plans', payload: await planBody(t) }),
    expect: WRITE,
  },
  'GET /api/activity-plans/:id': {
    request: async (t) => ({ url: `/api/activity-plans/${await t.shared('plan', () => planOf(t, 'submitted'))}` }),
    expect: READ,
  },
  'PATCH /api/activity-plans/:id': {
    request: async (t) => ({ url: `/api/activity-plans/${await planOf(t, 'draft')}`, payload: { title: '改名' } }),
    expect: WRITE,
  },
  'POST /api/activity-plans/:id/submit': {
    request: async (t) => ({ url: `/api/activity-plans/${await planOf(t, 'draft')}/submit` }),
    expect: WRITE,
  },
  'POST /api/activity-plans/:id/approve': {
    request: async (t) => ({ url: `/api/activity-plans/${await planOf(t, 'submitted')}/approve`, payload: {} }),
    expect: APPROVE,
  },
  'POST /api/activity-plans/:id/return': {
    request: async (t) => ({
      url: `/api/activity-plans/${await planOf(t, 'submitted')}/return`,
      payload: { note: '补充' },
    }),
    expect: APPROVE,
  },
  'POST /api/activity-plans/:id/cancel': {
    request: async (t) => ({ url: `/api/activity-plans/${await planOf(t, 'draft')}/cancel`, payload: {} }),
    expect: WRITE,
  },
  'POST /api/activity-plan-comments/:id/reply': {
    request: async (t) => ({
      url: `/api/activity-plan-comments/${await commentOf(t)}/reply`,
      payload: { reply: '采纳', adopted: true },
    }),
    expect: WRITE,
  },
  'POST /api/activity-plans/:id/activities': {
    request: async (t) => ({
      url: `/api/activity-plans/${await planOf(t, 'approved')}/activities`,
      payload: { signupClosesAt: at(5) },
    }),
    expect: WRITE,
  },
  'GET /api/activities': {
    request: (t) => ({ url: `/api/activities?districtId=${t.districtId}` }),
    expect: LIST,
  },
  'GET /api/activities/:id': {
    request: async (t) => ({ url: `/api/activities/${await t.shared('activity', () => activityOf(t, 'open'))}` }),
    expect: READ,
  },
  'PATCH /api/activities/:id': {
    request: async (t) => ({ url: `/api/activities/${await activityOf(t, 'open')}`, payload: { venue: '新址' } }),
    expect: WRITE,
  },
  'POST /api/activities/:id/start': {
    request: async (t) => ({ url: `/api/activities/${await activityOf(t, 'open')}/start`, payload: {} }),
    expect: WRITE,
  },
  'POST /api/activities/:id/finish': {
    request: async (t) => ({ url: `/api/activities/${await activityOf(t, 'running')}/finish`, payload: {} }),
    expect: WRITE,
  },
  'POST /api/activities/:id/cancel': {
    request: async (t) => ({ url: `/api/activities/${await activityOf(t, 'open')}/cancel`, payload: {} }),
    expect: WRITE,
  },
  'POST /api/activities/:id/publish': {
    request: async (t) => ({ url: `/api/activities/${await activityOf(t, 'summarised')}/publish`, payload: {} }),
    expect: WRITE,
  },
  'POST /api/activities/:id/summary': {
    request: async (t) => ({
      url: `/api/activities/${await activityOf(t, 'finished')}/summary`,
      payload: { text: '总结' },
    }),
    expect: WRITE,
  },
  'POST /api/activities/:id/qr': {
    request: async (t) => ({ url: `/api/activities/${await t.shared('activity', () => activityOf(t, 'open'))}/qr` }),
    expect: WRITE,
  },
  'GET /api/activities/:id/signups': {
    request: async (t) => ({
      url: `/api/activities/${await t.shared('activity', () => activityOf(t, 'open'))}/signups`,
    }),
    expect: READ,
  },
  'POST /api/activities/:id/check-ins': {
    request: async (t) => {
      const s = await signupOf(t);
      return { url: `/api/activities/${s.activityId}/check-ins`, payload: { signupId: s.signupId } };
    },
    expect: WRITE,
  },
  'POST /api/activities/:id/signups/:signupId/cancel': {
    request: async (t) => {
      const s = await signupOf(t);
      return { url: `/api/activities/${s.activityId}/signups/${s.signupId}/cancel` };
    },
    expect: WRITE,
  },
  'POST /api/activities/:id/walk-ins': {
    request: async (t) => ({
      url: `/api/activities/${await activityOf(t, 'open')}/walk-ins`,
      payload: { name: '现场青年', phone: '13912345678' },
    }),
    expect: WRITE,
  },
  'GET /api/service-teams': {
    request: (t) => ({ url: `/api/service-teams?districtId=${t.districtId}` }),
    expect: LIST,
  },
  'POST /api/service-teams': {
    request: async (t) => ({
      url: '/api/service-teams',
      payload: { orgId: t.orgId, name: `服务队${t.unique}`, kind: 'professional', categoryId: await categoryOf(t) },
    }),
    expect: WRITE,
  },
  'GET /api/service-teams/grid-gaps': {
    request: (t) => ({ url: `/api/service-teams/grid-gaps?districtId=${t.districtId}` }),
    expect: LIST,
  },
  'GET /api/service-teams/:id': {
    request: async (t) => ({ url: `/api/service-teams/${await t.shared('team', () => teamOf(t))}` }),
    expect: READ,
  },
  'PATCH /api/service-teams/:id': {
    request: async (t) => ({
      url: `/api/service-teams/${await t.shared('team', () => teamOf(t))}`,
      payload: { leadUnit: '医院' },
    }),
    expect: WRITE,
  },
  'PUT /api/service-teams/:id/members': {
    request: async (t) => ({
      url: `/api/service-teams/${await t.shared('team', () => teamOf(t))}/members`,
      payload: { personId: await t.shared('team-person', () => personOf(t)), role: 'backbone' },
    }),
    expect: WRITE,
  },
  'DELETE /api/service-teams/:id/members/:personId': {
    request: async (t) => {
      const teamId = await teamOf(t);
      const personId = await personOf(t);
      await t.database.query(
        `INSERT INTO service_team_members (team_id, person_id, district_id, role) VALUES ($1, $2, $3, 'member')`,
        [teamId, personId, t.districtId],
      );
      return { url: `/api/service-teams/${teamId}/members/${personId}` };
    },
    expect: WRITE,
  },
  'GET /api/activity-calls': {
    request: (t) => ({ url: `/api/activity-calls?districtId=${t.districtId}` }),
    expect: LIST,
  },
  'POST /api/activity-calls': {
    request: async (t) => ({
      url: '/api/activity-calls',
      payload: { activityId: await t.shared('activity', () => activityOf(t, 'open')), title: '召集令', message: '来' },
    }),
    // the activity is a body field: outside the scope it is a 404 naming activityId, like a missing one
    expect: WRITE,
  },
  'GET /api/activity-figures/funnel': {
    request: (t) => ({ url: `/api/activity-figures/funnel?districtId=${t.districtId}&orgId=${t.orgId}&${RANGE()}` }),
    expect: READ,
  },
  'GET /api/activity-figures/participation': {
    request: (t) => ({
      url: `/api/activity-figures/participation?districtId=${t.districtId}&orgId=${t.orgId}&${RANGE()}`,
    }),
    expect: READ,
  },
  'GET /api/activity-figures/by-category': {
    request: (t) => ({
      url: `/api/activity-figures/by-category?districtId=${t.districtId}&orgId=${t.orgId}&${RANGE()}`,
    }),
    expect: READ,
  },
  'GET /api/activity-figures/volunteer-hours': {
    request: (t) => ({ url: `/api/activity-figures/volunteer-hours?districtId=${t.districtId}` }),
    expect: LIST,
  },
};

/** Public routes of the module (phone pages; no personal data in any answer). */
export const ACTIVITY_PUBLIC_ROUTES = [
  'GET /api/public/activity-themes/:id',
  'POST /api/public/activity-themes/:id/ideas',
  'GET /api/public/activity-plans/:id',
  'POST /api/public/activity-plans/:id/comments',
  'GET /api/public/activities/:id',
  'GET /api/public/activity-qr/:token',
  'POST /api/public/activity-qr/:token/signups',
  'POST /api/public/activity-qr/:token/check-in',
  'POST /api/public/activity-qr/:token/ratings',
  'POST /api/public/activity-qr/:token/cancel',
  // 日历订阅: iCalendar feeds of an org's subtree or a grid (titles, times, venues; no personal data).
  'GET /api/public/orgs/:id/activities.ics',
  'GET /api/public/grids/:id/activities.ics',
] as const;
