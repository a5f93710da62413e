import { type SQL, sql } from 'drizzle-orm';
import { DEFAULT_CATEGORIES, type PlanStatus, type RunStatus } from '../../../domain/activity.ts';
import type { PlanApproverLevel } from '../../../domain/activity-more.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';
import { approvableCondition } from './approval.ts';

/** A PostgreSQL int[] parameter (ids are validated integers). */
export function intArray(ids: readonly number[]): SQL {
  return sql`${`{${ids.map((n) => Math.trunc(Number(n))).join(',')}}`}::int[]`;
}

const ids = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);

// ── categories ───────────────────────────────────────────────────────────────────────────────

export type CategoryRow = { id: number; code: string | null; name: string; active: boolean; sortOrder: number };
const toCategory = (r: any): CategoryRow => ({
  id: r.id,
  code: r.code,
  name: r.name,
  active: r.active,
  sortOrder: r.sort_order,
});

/** Creates the four default categories of a district the first time it needs them. */
export async function ensureDefaultCategories(ex: Executor, districtId: number) {
  const exists = await one(ex, sql`SELECT 1 FROM activity_categories WHERE district_id = ${districtId} LIMIT 1`);
  if (exists) return;
  for (const [i, c] of DEFAULT_CATEGORIES.entries()) {
    await ex.execute(
      sql`INSERT INTO activity_categories (district_id, code, name, sort_order)
          VALUES (${districtId}, ${c.code}, ${c.name}, ${(i + 1) * 10}) ON CONFLICT DO NOTHING`,
    );
  }
}

export async function listCategories(ex: Executor, districtId: number): Promise<CategoryRow[]> {
  const rows = await many(
    ex,
    sql`SELECT * FROM activity_categories WHERE district_id = ${districtId} ORDER BY sort_order, id`,
  );
  return rows.map(toCategory);
}

export async function findCategory(ex: Executor, districtId: number | null, id: number) {
  const r = await one<any>(
    ex,
    sql`SELECT * FROM activity_categories WHERE id = ${id} ${districtId === null ? sql`` : sql`AND district_id = ${districtId}`}`,
  );
  return r ? { ...toCategory(r), districtId: r.district_id as number } : undefined;
}

export async function insertCategory(ex: Executor, districtId: number, name: string, sortOrder: number) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activity_categories (district_id, name, sort_order) VALUES (${districtId}, ${name}, ${sortOrder}) RETURNING id`,
  );
  return r!.id;
}

export async function updateCategory(
  ex: Executor,
  id: number,
  patch: { name?: string; active?: boolean; sortOrder?: number },
) {
  const sets: SQL[] = [];
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.active !== undefined) sets.push(sql`active = ${patch.active}`);
  if (patch.sortOrder !== undefined) sets.push(sql`sort_order = ${patch.sortOrder}`);
  if (sets.length) await ex.execute(sql`UPDATE activity_categories SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

// ── orgs and grids (names, scope) ────────────────────────────────────────────────────────────

/** Grids of the district among `gridIds` that lie in the actor's scope. */
export async function gridsInScope(ex: Executor, actor: Actor, districtId: number, gridIds: number[]) {
  if (!gridIds.length) return [];
  return many<{ id: number; name: string; active: boolean }>(
    ex,
    sql`SELECT g.id, g.name, g.active FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.id = ANY(${intArray(gridIds)}) AND g.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}`,
  );
}

async function gridNames(ex: Executor, all: number[]): Promise<Map<number, string>> {
  if (!all.length) return new Map();
  const rows = await many<{ id: number; name: string }>(
    ex,
    sql`SELECT id, name FROM grids WHERE id = ANY(${intArray([...new Set(all)])})`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Attaches `{id, name}` of each grid id. */
export async function withGridRefs<T extends { gridIds: number[] }>(ex: Executor, rows: T[]) {
  const names = await gridNames(
    ex,
    rows.flatMap((r) => r.gridIds),
  );
  return rows.map((r) => ({ ...r, grids: r.gridIds.map((id) => ({ id, name: names.get(id) ?? String(id) })) }));
}

// ── events ───────────────────────────────────────────────────────────────────────────────────

export async function insertEvent(
  ex: Executor,
  e: {
    districtId: number;
    planId: number;
    activityId?: number | null;
    action: string;
    from: string | null;
    to: string;
    accountId: number | null;
    note?: string | null;
  },
) {
  await ex.execute(
    sql`INSERT INTO activity_events (district_id, plan_id, activity_id, action, from_status, to_status, actor_account_id, note)
        VALUES (${e.districtId}, ${e.planId}, ${e.activityId ?? null}, ${e.action}, ${e.from}, ${e.to}, ${e.accountId}, ${e.note ?? null})`,
  );
}

export async function listEvents(ex: Executor, where: { planId?: number; activityId?: number }) {
  const cond = where.activityId ? sql`e.activity_id = ${where.activityId}` : sql`e.plan_id = ${where.planId}`;
  const rows = await many<any>(
    ex,
    sql`SELECT e.id, e.action, e.from_status, e.to_status, a.display_name, e.note, e.at
        FROM activity_events e LEFT JOIN accounts a ON a.id = e.actor_account_id
        WHERE ${cond} ORDER BY e.at, e.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actor: r.display_name ?? null,
    note: r.note,
    at: iso(r.at),
  }));
}

// ── themes and ideas ────────────────────────────────────────────────────────────────────────

export type ThemeRow = {
  id: number;
  districtId: number;
  org: { id: number; name: string };
  orgPath: string;
  title: string;
  description: string | null;
  deadline: string;
  status: 'soliciting' | 'published' | 'closed';
  publishedAt: string | null;
  ideaCount: number;
  planCount: number;
  createdAt: string;
  pastDeadline: boolean;
};
const SELECT_THEMES = sql`
  SELECT t.*, o.name AS org_name, o.path AS org_path, t.deadline <= now() AS past_deadline,
         (SELECT count(*)::int FROM activity_theme_ideas i WHERE i.theme_id = t.id) AS idea_count,
         (SELECT count(*)::int FROM activity_plans p WHERE p.theme_id = t.id AND p.status <> 'draft') AS plan_count
  FROM activity_themes t JOIN orgs o ON o.id = t.org_id`;
const toTheme = (r: any): ThemeRow => ({
  id: r.id,
  districtId: r.district_id,
  org: { id: r.org_id, name: r.org_name },
  orgPath: r.org_path,
  title: r.title,
  description: r.description,
  deadline: iso(r.deadline),
  status: r.status,
  publishedAt: isoOrNull(r.published_at),
  ideaCount: r.idea_count,
  planCount: r.plan_count,
  createdAt: iso(r.created_at),
  pastDeadline: r.past_deadline,
});

export async function insertTheme(
  ex: Executor,
  v: { districtId: number; orgId: number; title: string; description: string | null; deadline: string; by: number },
) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activity_themes (district_id, org_id, title, description, deadline, created_by)
        VALUES (${v.districtId}, ${v.orgId}, ${v.title}, ${v.description}, ${v.deadline}, ${v.by}) RETURNING id`,
  );
  return r!.id;
}

export async function findTheme(ex: Executor, id: number, actor?: Actor): Promise<ThemeRow | undefined> {
  const scope = actor && actor.districtId !== null ? sql`AND ${orgScopeCondition(actor, actor.districtId)}` : sql``;
  const r = await one(ex, sql`${SELECT_THEMES} WHERE t.id = ${id} ${scope}`);
  return r ? toTheme(r) : undefined;
}

export async function listThemes(ex: Executor, actor: Actor, districtId: number, status?: string) {
  const rows = await many(
    ex,
    sql`${SELECT_THEMES} WHERE t.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
        ${status ? sql`AND t.status = ${status}` : sql``} ORDER BY t.created_at DESC, t.id DESC LIMIT 500`,
  );
  return rows.map(toTheme);
}

/** Published themes of ancestors are visible below too: plans are filed under them. */
export async function listThemesForPlanning(ex: Executor, actor: Actor, districtId: number) {
  const rows = await many(
    ex,
    sql`${SELECT_THEMES} WHERE t.district_id = ${districtId} AND t.status = 'published'
        AND (${orgScopeCondition(actor, districtId)} OR ${actor.scopePath ?? '/'} LIKE o.path || '%')
        ORDER BY t.created_at DESC LIMIT 500`,
  );
  return rows.map(toTheme);
}

export async function publishTheme(ex: Executor, id: number): Promise<boolean> {
  const r = await one(
    ex,
    sql`UPDATE activity_themes SET status = 'published', published_at = now()
        WHERE id = ${id} AND status = 'soliciting' RETURNING id`,
  );
  return !!r;
}

export async function insertIdea(
  ex: Executor,
  v: {
    districtId: number;
    themeId: number;
    text: string;
    authorName: string;
    source: 'staff' | 'public';
    accountId: number | null;
    phoneEnc: string | null;
    phoneIdx: string | null;
    personId: number | null;
  },
) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activity_theme_ideas (district_id, theme_id, text, author_name, source, account_id, phone_enc, phone_idx, person_id)
        VALUES (${v.districtId}, ${v.themeId}, ${v.text}, ${v.authorName}, ${v.source}, ${v.accountId}, ${v.phoneEnc},
                ${v.phoneIdx}, ${v.personId}) RETURNING id`,
  );
  return r!.id;
}

export async function listIdeas(ex: Executor, themeId: number, onlyShortlisted = false) {
  const rows = await many<any>(
    ex,
    sql`SELECT * FROM activity_theme_ideas WHERE theme_id = ${themeId}
        ${onlyShortlisted ? sql`AND shortlisted` : sql``} ORDER BY id`,
  );
  return rows.map((r) => ({
    id: r.id as number,
    text: r.text as string,
    authorName: r.author_name as string,
    source: r.source as 'staff' | 'public',
    shortlisted: r.shortlisted as boolean,
    createdAt: iso(r.created_at),
  }));
}

export async function findIdea(ex: Executor, id: number) {
  return one<{ id: number; theme_id: number; district_id: number }>(
    ex,
    sql`SELECT id, theme_id, district_id FROM activity_theme_ideas WHERE id = ${id}`,
  );
}

export async function setShortlisted(ex: Executor, id: number, shortlisted: boolean) {
  await ex.execute(sql`UPDATE activity_theme_ideas SET shortlisted = ${shortlisted} WHERE id = ${id}`);
}

// ── plans ────────────────────────────────────────────────────────────────────────────────────

export type PlanRow = {
  id: number;
  districtId: number;
  theme: { id: number; name: string } | null;
  org: { id: number; name: string };
  orgPath: string;
  title: string;
  purpose: string;
  category: { id: number; name: string };
  gridIds: number[];
  venue: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  budgetFen: number;
  resources: string | null;
  team: string | null;
  brandProject: boolean;
  gridProject: boolean;
  status: PlanStatus;
  reviewNote: string | null;
  activityCount: number;
  commentCount: number;
  createdAt: string;
};
const SELECT_PLANS = sql`
  SELECT p.id, p.district_id, p.theme_id, t.title AS theme_title, p.org_id, o.name AS org_name, o.path AS org_path,
         p.title, p.purpose, p.category_id, c.name AS category_name, to_jsonb(p.grid_ids) AS grid_ids, p.venue,
         p.starts_at, p.ends_at, p.capacity, p.budget_fen::float8 AS budget_fen, p.resources, p.team,
         p.brand_project, p.grid_project, p.status, p.review_note, p.created_at,
         (SELECT count(*)::int FROM activities a WHERE a.plan_id = p.id) AS activity_count,
         (SELECT count(*)::int FROM activity_plan_comments m WHERE m.plan_id = p.id) AS comment_count
  FROM activity_plans p
  JOIN orgs o ON o.id = p.org_id
  JOIN activity_categories c ON c.id = p.category_id
  LEFT JOIN activity_themes t ON t.id = p.theme_id`;
const toPlan = (r: any): PlanRow => ({
  id: r.id,
  districtId: r.district_id,
  theme: r.theme_id ? { id: r.theme_id, name: r.theme_title } : null,
  org: { id: r.org_id, name: r.org_name },
  orgPath: r.org_path,
  title: r.title,
  purpose: r.purpose,
  category: { id: r.category_id, name: r.category_name },
  gridIds: ids(r.grid_ids),
  venue: r.venue,
  startsAt: iso(r.starts_at),
  endsAt: iso(r.ends_at),
  capacity: r.capacity,
  budgetFen: Number(r.budget_fen),
  resources: r.resources,
  team: r.team,
  brandProject: r.brand_project,
  gridProject: r.grid_project,
  status: r.status,
  reviewNote: r.review_note,
  activityCount: r.activity_count,
  commentCount: r.comment_count,
  createdAt: iso(r.created_at),
});

export type PlanWrite = {
  themeId: number | null;
  orgId: number;
  title: string;
  purpose: string;
  categoryId: number;
  gridIds: number[];
  venue: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  budgetFen: number;
  resources: string | null;
  team: string | null;
  brandProject: boolean;
  gridProject: boolean;
};

export async function insertPlan(ex: Executor, districtId: number, v: PlanWrite, by: number) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activity_plans (district_id, theme_id, org_id, title, purpose, category_id, grid_ids, venue, starts_at, ends_at,
                                    capacity, budget_fen, resources, team, brand_project, grid_project, created_by)
        VALUES (${districtId}, ${v.themeId}, ${v.orgId}, ${v.title}, ${v.purpose}, ${v.categoryId}, ${intArray(v.gridIds)},
                ${v.venue}, ${v.startsAt}, ${v.endsAt}, ${v.capacity}, ${v.budgetFen}, ${v.resources}, ${v.team},
                ${v.brandProject}, ${v.gridProject}, ${by})
        RETURNING id`,
  );
  return r!.id;
}

const PLAN_COLUMNS: Record<keyof PlanWrite, string> = {
  themeId: 'theme_id',
  orgId: 'org_id',
  title: 'title',
  purpose: 'purpose',
  categoryId: 'category_id',
  gridIds: 'grid_ids',
  venue: 'venue',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  capacity: 'capacity',
  budgetFen: 'budget_fen',
  resources: 'resources',
  team: 'team',
  brandProject: 'brand_project',
  gridProject: 'grid_project',
};

/** Updates the fields of a plan that is still editable; false when its status moved meanwhile. */
export async function updatePlanFields(ex: Executor, id: number, patch: Partial<PlanWrite>): Promise<boolean> {
  const sets: SQL[] = [sql`updated_at = now()`];
  for (const [key, column] of Object.entries(PLAN_COLUMNS)) {
    const value = (patch as Record<string, unknown>)[key];
    if (value === undefined) continue;
    sets.push(
      key === 'gridIds'
        ? sql`grid_ids = ${intArray(value as number[])}`
        : sql`${sql.identifier(column)} = ${value as never}`,
    );
  }
  const r = await one(
    ex,
    sql`UPDATE activity_plans SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND status IN ('draft', 'returned') RETURNING id`,
  );
  return !!r;
}

export async function findPlan(ex: Executor, id: number, actor?: Actor): Promise<PlanRow | undefined> {
  const scope = actor && actor.districtId !== null ? sql`AND ${orgScopeCondition(actor, actor.districtId)}` : sql``;
  const r = await one(ex, sql`${SELECT_PLANS} WHERE p.id = ${id} ${scope}`);
  return r ? toPlan(r) : undefined;
}

export async function listPlans(
  ex: Executor,
  actor: Actor,
  districtId: number,
  /** toApprove: the district's approval level (submitted plans the actor may decide) */
  f: { status?: string; themeId?: number; toApprove?: PlanApproverLevel },
) {
  const conds: SQL[] = [sql`p.district_id = ${districtId}`, orgScopeCondition(actor, districtId)];
  if (f.status) conds.push(sql`p.status = ${f.status}`);
  if (f.themeId) conds.push(sql`p.theme_id = ${f.themeId}`);
  if (f.toApprove) {
    conds.push(sql`p.status = 'submitted'`);
    // the configured level above: the approver org or an org above it (approval.ts, same rule as mayApproveAt)
    conds.push(approvableCondition(actor, f.toApprove));
  }
  const rows = await many(
    ex,
    sql`${SELECT_PLANS} WHERE ${sql.join(conds, sql` AND `)} ORDER BY p.created_at DESC, p.id DESC LIMIT 500`,
  );
  return rows.map(toPlan);
}

/** Moves a plan from one of `from` to `to` in one conditional UPDATE; false when it was not in `from`. */
export async function transitionPlan(
  ex: Executor,
  id: number,
  from: readonly string[],
  to: PlanStatus,
  reviewNote?: string | null,
): Promise<string | null> {
  const r = await one<{ status: string }>(
    ex,
    sql`UPDATE activity_plans SET status = ${to}, updated_at = now()
        ${reviewNote !== undefined ? sql`, review_note = ${reviewNote}` : sql``}
        WHERE id = ${id} AND status = ANY(${`{${from.join(',')}}`}::text[]) RETURNING status`,
  );
  return r?.status ?? null;
}

// ── comments ─────────────────────────────────────────────────────────────────────────────────

export async function insertComment(
  ex: Executor,
  v: {
    districtId: number;
    planId: number;
    authorName: string;
    phoneEnc: string;
    phoneIdx: string;
    personId: number | null;
    text: string;
  },
) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activity_plan_comments (district_id, plan_id, author_name, phone_enc, phone_idx, person_id, text)
        VALUES (${v.districtId}, ${v.planId}, ${v.authorName}, ${v.phoneEnc}, ${v.phoneIdx}, ${v.personId}, ${v.text})
        RETURNING id`,
  );
  return r!.id;
}

export async function listComments(ex: Executor, planId: number) {
  const rows = await many<any>(ex, sql`SELECT * FROM activity_plan_comments WHERE plan_id = ${planId} ORDER BY id`);
  return rows.map((r) => ({
    id: r.id as number,
    authorName: r.author_name as string,
    text: r.text as string,
    reply: r.reply as string | null,
    adopted: r.adopted as boolean | null,
    reason: r.reason as string | null,
    repliedAt: isoOrNull(r.replied_at),
    createdAt: iso(r.created_at),
  }));
}

export async function findComment(ex: Executor, id: number) {
  return one<{ id: number; plan_id: number; district_id: number }>(
    ex,
    sql`SELECT id, plan_id, district_id FROM activity_plan_comments WHERE id = ${id}`,
  );
}

export async function replyComment(
  ex: Executor,
  id: number,
  v: { reply: string; adopted: boolean; reason: string | null; by: number },
) {
  await ex.execute(
    sql`UPDATE activity_plan_comments SET reply = ${v.reply}, adopted = ${v.adopted}, reason = ${v.reason},
          replied_by = ${v.by}, replied_at = now() WHERE id = ${id}`,
  );
}

// ── activities ───────────────────────────────────────────────────────────────────────────────

export type ActivityRow = {
  id: number;
  districtId: number;
  planId: number;
  org: { id: number; name: string };
  orgPath: string;
  title: string;
  category: { id: number; name: string };
  gridIds: number[];
  venue: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  admitted: number;
  waitlisted: number;
  attended: number;
  signupOpensAt: string;
  signupClosesAt: string;
  checkinBeforeMinutes: number;
  status: RunStatus;
  brandProject: boolean;
  gridProject: boolean;
  publishedAt: string | null;
  createdAt: string;
};
const SELECT_ACTIVITIES = sql`
  SELECT a.id, a.district_id, a.plan_id, a.org_id, o.name AS org_name, o.path AS org_path, a.title, a.category_id,
         c.name AS category_name, to_jsonb(a.grid_ids) AS grid_ids, a.venue, a.starts_at, a.ends_at, a.capacity,
         a.admitted_count, a.signup_opens_at, a.signup_closes_at, a.checkin_before_minutes, a.status,
         a.brand_project, a.grid_project, a.published_at, a.created_at,
         (SELECT count(*)::int FROM activity_signups s WHERE s.activity_id = a.id AND s.status = 'waitlisted') AS waitlisted,
         (SELECT count(*)::int FROM activity_checkins k WHERE k.activity_id = a.id) AS attended
  FROM activities a
  JOIN orgs o ON o.id = a.org_id
  JOIN activity_categories c ON c.id = a.category_id`;
const toActivity = (r: any): ActivityRow => ({
  id: r.id,
  districtId: r.district_id,
  planId: r.plan_id,
  org: { id: r.org_id, name: r.org_name },
  orgPath: r.org_path,
  title: r.title,
  category: { id: r.category_id, name: r.category_name },
  gridIds: ids(r.grid_ids),
  venue: r.venue,
  startsAt: iso(r.starts_at),
  endsAt: iso(r.ends_at),
  capacity: r.capacity,
  admitted: r.admitted_count,
  waitlisted: r.waitlisted,
  attended: r.attended,
  signupOpensAt: iso(r.signup_opens_at),
  signupClosesAt: iso(r.signup_closes_at),
  checkinBeforeMinutes: r.checkin_before_minutes,
  status: r.status,
  brandProject: r.brand_project,
  gridProject: r.grid_project,
  publishedAt: isoOrNull(r.published_at),
  createdAt: iso(r.created_at),
});

export async function insertActivity(
  ex: Executor,
  v: {
    districtId: number;
    planId: number;
    orgId: number;
    title: string;
    categoryId: number;
    gridIds: number[];
    venue: string;
    startsAt: string;
    endsAt: string;
    capacity: number;
    signupOpensAt: string;
    signupClosesAt: string;
    checkinBeforeMinutes: number;
    brandProject: boolean;
    gridProject: boolean;
    by: number;
  },
) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activities (district_id, plan_id, org_id, title, category_id, grid_ids, venue, starts_at, ends_at, capacity,
                                signup_opens_at, signup_closes_at, checkin_before_minutes, brand_project, grid_project, created_by)
        VALUES (${v.districtId}, ${v.planId}, ${v.orgId}, ${v.title}, ${v.categoryId}, ${intArray(v.gridIds)}, ${v.venue},
                ${v.startsAt}, ${v.endsAt}, ${v.capacity}, ${v.signupOpensAt}, ${v.signupClosesAt}, ${v.checkinBeforeMinutes},
                ${v.brandProject}, ${v.gridProject}, ${v.by})
        RETURNING id`,
  );
  return r!.id;
}

export async function findActivity(ex: Executor, id: number, actor?: Actor): Promise<ActivityRow | undefined> {
  const scope = actor && actor.districtId !== null ? sql`AND ${orgScopeCondition(actor, actor.districtId)}` : sql``;
  const r = await one(ex, sql`${SELECT_ACTIVITIES} WHERE a.id = ${id} ${scope}`);
  return r ? toActivity(r) : undefined;
}

export async function listActivities(
  ex: Executor,
  actor: Actor | null,
  districtId: number,
  f: { status?: string; planId?: number; orgPath?: string; gridId?: number; published?: boolean },
) {
  const conds: SQL[] = [sql`a.district_id = ${districtId}`];
  if (actor) conds.push(orgScopeCondition(actor, districtId));
  if (f.status) conds.push(sql`a.status = ${f.status}`);
  if (f.planId) conds.push(sql`a.plan_id = ${f.planId}`);
  if (f.orgPath) conds.push(sql`o.path LIKE ${`${f.orgPath}%`}`);
  if (f.gridId) conds.push(sql`${f.gridId} = ANY(a.grid_ids)`);
  if (f.published) conds.push(sql`a.status = 'published'`);
  const rows = await many(
    ex,
    sql`${SELECT_ACTIVITIES} WHERE ${sql.join(conds, sql` AND `)} ORDER BY a.starts_at DESC, a.id DESC LIMIT 500`,
  );
  return rows.map(toActivity);
}

export async function updateActivityFields(
  ex: Executor,
  id: number,
  patch: {
    title?: string;
    venue?: string;
    startsAt?: string;
    endsAt?: string;
    capacity?: number;
    signupClosesAt?: string;
  },
): Promise<boolean> {
  const cols: Record<string, string> = {
    title: 'title',
    venue: 'venue',
    startsAt: 'starts_at',
    endsAt: 'ends_at',
    capacity: 'capacity',
    signupClosesAt: 'signup_closes_at',
  };
  const sets: SQL[] = [sql`updated_at = now()`];
  for (const [k, c] of Object.entries(cols)) {
    const v = (patch as Record<string, unknown>)[k];
    if (v !== undefined) sets.push(sql`${sql.identifier(c)} = ${v as never}`);
  }
  // Only while sign-up is open, and never below the seats already given.
  const r = await one(
    ex,
    sql`UPDATE activities SET ${sql.join(sets, sql`, `)}
        WHERE id = ${id} AND status = 'open' ${patch.capacity !== undefined ? sql`AND admitted_count <= ${patch.capacity}` : sql``}
        RETURNING id`,
  );
  return !!r;
}

export async function transitionActivity(
  ex: Executor,
  id: number,
  from: readonly string[],
  to: RunStatus,
): Promise<boolean> {
  const r = await one(
    ex,
    sql`UPDATE activities SET status = ${to}, updated_at = now()
        ${to === 'published' ? sql`, published_at = now()` : sql``}
        WHERE id = ${id} AND status = ANY(${`{${from.join(',')}}`}::text[]) RETURNING id`,
  );
  return !!r;
}

// ── sign-ups and check-ins ───────────────────────────────────────────────────────────────────

/** The registry's person holding a phone (by blind index) in a district, with the home grid. */
export async function personByPhone(ex: Executor, districtId: number, phoneIdx: string) {
  return one<{ id: number; home_grid_id: number | null }>(
    ex,
    sql`SELECT id, home_grid_id FROM people WHERE district_id = ${districtId} AND phone_idx = ${phoneIdx}
          AND withdrawn_at IS NULL LIMIT 1`,
  );
}

/**
 * 报名 one statement: takes a seat with a conditional UPDATE of the activity's counter (which
 * PostgreSQL re-checks on the newest row version, so concurrent sign-ups queue on the row and the
 * counter never passes capacity) and inserts the sign-up as admitted when a seat was taken, else
 * waitlisted. A duplicate phone fails the whole statement (unique index), seat included.
 */
export async function insertSignup(
  ex: Executor,
  v: {
    districtId: number;
    activityId: number;
    name: string;
    phoneEnc: string;
    phoneIdx: string;
    personId: number | null;
    gridId: number | null;
    callId: number | null;
    source: 'online' | 'qr' | 'call';
  },
) {
  const r = await one<{ id: number; status: 'admitted' | 'waitlisted' }>(
    ex,
    sql`WITH seat AS (
          UPDATE activities SET admitted_count = admitted_count + 1
          WHERE id = ${v.activityId} AND admitted_count < capacity RETURNING id)
        INSERT INTO activity_signups (district_id, activity_id, name, phone_enc, phone_idx, person_id, grid_id, call_id, status, source)
        VALUES (${v.districtId}, ${v.activityId}, ${v.name}, ${v.phoneEnc}, ${v.phoneIdx}, ${v.personId}, ${v.gridId}, ${v.callId},
                CASE WHEN EXISTS (SELECT 1 FROM seat) THEN 'admitted' ELSE 'waitlisted' END, ${v.source})
        RETURNING id, status`,
  );
  return r!;
}

/** A walk-in (现场加入): admitted without a seat of the sign-up quota — they are already in the room. */
export async function insertWalkIn(
  ex: Executor,
  v: {
    districtId: number;
    activityId: number;
    name: string;
    phoneEnc: string;
    phoneIdx: string;
    personId: number | null;
    gridId: number | null;
  },
) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activity_signups (district_id, activity_id, name, phone_enc, phone_idx, person_id, grid_id, status, source)
        VALUES (${v.districtId}, ${v.activityId}, ${v.name}, ${v.phoneEnc}, ${v.phoneIdx}, ${v.personId}, ${v.gridId}, 'admitted', 'walk_in')
        RETURNING id`,
  );
  return r!.id;
}

export async function waitPosition(ex: Executor, activityId: number, signupId: number) {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM activity_signups WHERE activity_id = ${activityId} AND status = 'waitlisted' AND id <= ${signupId}`,
  );
  return r?.n ?? null;
}

export async function findSignupByPhone(ex: Executor, activityId: number, phoneIdx: string) {
  return one<{ id: number; status: string; source: string; checked_in: boolean }>(
    ex,
    sql`SELECT s.id, s.status, s.source, EXISTS (SELECT 1 FROM activity_checkins k WHERE k.signup_id = s.id) AS checked_in
        FROM activity_signups s WHERE s.activity_id = ${activityId} AND s.phone_idx = ${phoneIdx}`,
  );
}

export async function findSignup(ex: Executor, id: number) {
  return one<{ id: number; activity_id: number; status: string }>(
    ex,
    sql`SELECT id, activity_id, status FROM activity_signups WHERE id = ${id}`,
  );
}

export async function listSignups(ex: Executor, activityId: number) {
  return many<any>(
    ex,
    sql`SELECT s.*, k.at AS checked_in_at FROM activity_signups s LEFT JOIN activity_checkins k ON k.signup_id = s.id
        WHERE s.activity_id = ${activityId} ORDER BY s.id`,
  );
}

/** One check-in per sign-up: false when it already had one (the unique key decides, races included). */
export async function insertCheckin(
  ex: Executor,
  v: {
    districtId: number;
    activityId: number;
    signupId: number;
    method: 'qr' | 'staff' | 'walk_in';
    by: number | null;
  },
) {
  const r = await one<{ at: unknown }>(
    ex,
    sql`INSERT INTO activity_checkins (district_id, activity_id, signup_id, method, by_account)
        VALUES (${v.districtId}, ${v.activityId}, ${v.signupId}, ${v.method}, ${v.by})
        ON CONFLICT (signup_id) DO NOTHING RETURNING at`,
  );
  return r ? iso(r.at) : null;
}

// ── summary, ratings ─────────────────────────────────────────────────────────────────────────

export async function insertSummary(
  ex: Executor,
  v: {
    activityId: number;
    districtId: number;
    text: string;
    attendance: number;
    outcome: string | null;
    spendFen: number;
    by: number;
  },
) {
  await ex.execute(
    sql`INSERT INTO activity_summaries (activity_id, district_id, text, attendance, outcome, spend_fen, created_by)
        VALUES (${v.activityId}, ${v.districtId}, ${v.text}, ${v.attendance}, ${v.outcome}, ${v.spendFen}, ${v.by})`,
  );
}

export async function findSummary(ex: Executor, activityId: number) {
  const r = await one<any>(
    ex,
    sql`SELECT text, attendance, outcome, spend_fen::float8 AS spend_fen, created_at FROM activity_summaries WHERE activity_id = ${activityId}`,
  );
  return r
    ? {
        text: r.text as string,
        attendance: r.attendance as number,
        outcome: r.outcome as string | null,
        spendFen: Number(r.spend_fen),
        createdAt: iso(r.created_at),
      }
    : null;
}

export async function insertRating(
  ex: Executor,
  v: { districtId: number; activityId: number; signupId: number; stars: number; comment: string | null },
): Promise<boolean> {
  const r = await one(
    ex,
    sql`INSERT INTO activity_ratings (district_id, activity_id, signup_id, stars, comment)
        VALUES (${v.districtId}, ${v.activityId}, ${v.signupId}, ${v.stars}, ${v.comment})
        ON CONFLICT (signup_id) DO NOTHING RETURNING id`,
  );
  return !!r;
}

export async function ratingStats(ex: Executor, activityId: number) {
  const r = await one<{ n: number; avg: number | null }>(
    ex,
    sql`SELECT count(*)::int AS n, round(avg(stars)::numeric, 2)::float8 AS avg FROM activity_ratings WHERE activity_id = ${activityId}`,
  );
  return { count: r?.n ?? 0, average: r?.avg === null || r?.avg === undefined ? null : Number(r.avg) };
}

export async function listRatings(ex: Executor, activityId: number) {
  const rows = await many<any>(
    ex,
    sql`SELECT stars, comment, created_at FROM activity_ratings WHERE activity_id = ${activityId} ORDER BY id DESC LIMIT 100`,
  );
  return rows.map((r) => ({
    stars: r.stars as number,
    comment: r.comment as string | null,
    createdAt: iso(r.created_at),
  }));
}

// ── calls 召集令 ──────────────────────────────────────────────────────────────────────────────

export async function findCall(ex: Executor, id: number) {
  return one<{ id: number; activity_id: number; district_id: number }>(
    ex,
    sql`SELECT id, activity_id, district_id FROM activity_calls WHERE id = ${id}`,
  );
}

/**
 * 取消报名 cancels a sign-up and, when it held a seat, hands the seat to the first of the waiting list
 * (or frees it). The activity row is locked first, so cancellations and sign-ups of one activity
 * queue and the counter stays equal to the seats held. Walk-ins hold no seat of the quota.
 */
export async function cancelSignup(ex: Executor, activityId: number, signupId: number) {
  await ex.execute(sql`SELECT id FROM activities WHERE id = ${activityId} FOR UPDATE`);
  const old = await one<{ status: string; source: string }>(
    ex,
    sql`SELECT status, source FROM activity_signups WHERE id = ${signupId} AND activity_id = ${activityId} FOR UPDATE`,
  );
  if (!old || old.status === 'cancelled') return null;
  await ex.execute(sql`UPDATE activity_signups SET status = 'cancelled', cancelled_at = now() WHERE id = ${signupId}`);
  let promoted: number | null = null;
  if (old.status === 'admitted' && old.source !== 'walk_in') {
    const next = await one<{ id: number }>(
      ex,
      sql`UPDATE activity_signups SET status = 'admitted'
          WHERE id = (SELECT id FROM activity_signups WHERE activity_id = ${activityId} AND status = 'waitlisted'
                      ORDER BY id LIMIT 1)
          RETURNING id`,
    );
    if (next) promoted = next.id;
    else await ex.execute(sql`UPDATE activities SET admitted_count = admitted_count - 1 WHERE id = ${activityId}`);
  }
  return { was: old.status, promoted };
}
