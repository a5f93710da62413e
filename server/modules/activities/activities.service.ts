import type { z } from 'zod';
import {
  type ActivityAction,
  type ActivityOpen,
  type ActivityUpdate,
  type CommentReplySchema,
  DEFAULT_CHECKIN_BEFORE_MINUTES,
  inCheckinWindow,
  inSignupWindow,
  maskName,
  nextStatus,
  type PlanCreate,
  type PlanListQuerySchema,
  type PlanUpdate,
  type PublicCommentCreateSchema,
  type PublicIdeaCreateSchema,
  type PublicSignupSchema,
  type RatingCreateSchema,
  type RunStatus,
  type SummaryCreateSchema,
  statusesAllowing,
  type ThemeCreate,
} from '../../../domain/activity.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { issueActivityToken, liveActivityToken, resolveActivityToken } from '../registrations/registrations.service.ts';
import type { ActivityRow, PlanRow, ThemeRow } from './activities.repository.ts';
import * as repo from './activities.repository.ts';
import { insertSummaryPhotos, prepareSummaryPhotos, summaryPhotos } from './activity-photos.ts';
import { approvalRefusal, mayApproveAt, planApproverLevel } from './approval.ts';

/** Days an activity's code stays valid after the activity ends (ratings come in afterwards). */
const TOKEN_DAYS_AFTER_END = 30;

const under = (path: string, scopePath: string | null) => scopePath === null || path.startsWith(scopePath);
const _isDistrictWide = (actor: Actor) => actor.role === 'district_admin' || actor.role === 'platform_admin';

/**
 * 上一级审批 the level above a plan's org, as the district configured it (approval.ts): the approver
 * org (parent, town or district committee) or an org above it; never the proposing org itself.
 */
export async function mayApprove(ex: Executor, actor: Actor, plan: { orgPath: string; districtId: number }) {
  return mayApproveAt(actor, plan.orgPath, await planApproverLevel(ex, plan.districtId));
}

function fieldError(code: ConstructorParameters<typeof AppError>[0], field: string) {
  return new AppError(code, { errors: [{ field, message: code }] });
}

async function loadFieldOrg(database: Database, actor: Actor, id: number, field: string): Promise<OrgRow> {
  let org: OrgRow;
  try {
    org = await loadOrgInScope(database, actor, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') throw fieldError('ORG_NOT_FOUND', field);
    throw err;
  }
  if (!org.active) throw fieldError('ORG_INACTIVE', field);
  return org;
}

async function checkCategory(database: Database, districtId: number, id: number, field = 'categoryId') {
  await repo.ensureDefaultCategories(database.db, districtId);
  const c = await repo.findCategory(database.db, districtId, id);
  if (!c?.active) throw fieldError('ACTIVITY_CATEGORY_NOT_FOUND', field);
}

async function checkGrids(database: Database, actor: Actor, districtId: number, gridIds: number[]) {
  const unique = [...new Set(gridIds)];
  const found = await repo.gridsInScope(database.db, actor, districtId, unique);
  const ok = new Set(found.filter((g) => g.active).map((g) => g.id));
  const index = unique.findIndex((id) => !ok.has(id));
  if (index >= 0) throw fieldError('GRID_NOT_FOUND', `gridIds.${gridIds.indexOf(unique[index])}`);
  return unique;
}

async function denied(database: Database, actor: Actor, entity: string, id: number, districtId: number) {
  await recordAudit(database.db, actor, { action: 'scope.denied', entity, entityId: id, districtId });
}

// ── categories ───────────────────────────────────────────────────────────────────────────────

export async function searchCategories(database: Database, actor: Actor, districtId?: number) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, districtId);
  await repo.ensureDefaultCategories(database.db, d);
  return { items: await repo.listCategories(database.db, d) };
}

async function uniqueName<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (pgErrorOf(err)?.code === '23505') throw fieldError('ACTIVITY_CATEGORY_DUPLICATE', 'name');
    throw err;
  }
}

export async function createCategory(
  database: Database,
  actor: Actor,
  input: { name: string; sortOrder?: number },
  districtId?: number,
) {
  requirePermission(actor, 'activity.manage');
  const d = resolveDistrict(actor, districtId);
  await repo.ensureDefaultCategories(database.db, d);
  return uniqueName(() =>
    database.db.transaction(async (tx) => {
      const id = await repo.insertCategory(tx, d, input.name, input.sortOrder ?? 100);
      const row = (await repo.findCategory(tx, d, id))!;
      await recordAudit(tx, actor, {
        action: 'activity_category.create',
        entity: 'activity_category',
        entityId: id,
        districtId: d,
        after: row,
      });
      const { districtId: _d, ...rest } = row;
      return rest;
    }),
  );
}

export async function updateCategory(
  database: Database,
  actor: Actor,
  id: number,
  patch: { name?: string; active?: boolean; sortOrder?: number },
) {
  requirePermission(actor, 'activity.manage');
  const current = await repo.findCategory(database.db, actor.districtId, id);
  if (!current) throw new AppError('ACTIVITY_CATEGORY_NOT_FOUND');
  return uniqueName(() =>
    database.db.transaction(async (tx) => {
      await repo.updateCategory(tx, id, patch);
      const row = (await repo.findCategory(tx, null, id))!;
      await recordAudit(tx, actor, {
        action: 'activity_category.update',
        entity: 'activity_category',
        entityId: id,
        districtId: current.districtId,
        before: current,
        after: row,
      });
      const { districtId: _d, ...rest } = row;
      return rest;
    }),
  );
}

// ── themes 征集主题 ─────────────────────────────────────────────────────────────────────────────

function toTheme(t: ThemeRow) {
  const { orgPath: _p, pastDeadline: _d, ...rest } = t;
  return rest;
}

async function loadTheme(database: Database, actor: Actor, id: number): Promise<ThemeRow> {
  const t = await repo.findTheme(database.db, id, actor);
  if (t) return t;
  const any = await repo.findTheme(database.db, id);
  if (any) await denied(database, actor, 'activity_theme', id, any.districtId);
  throw new AppError('THEME_NOT_FOUND');
}

export async function createTheme(database: Database, actor: Actor, input: ThemeCreate) {
  requirePermission(actor, 'activity.write');
  const org = await loadFieldOrg(database, actor, input.orgId, 'orgId');
  return database.db.transaction(async (tx) => {
    const id = await repo.insertTheme(tx, {
      districtId: org.districtId,
      orgId: org.id,
      title: input.title,
      description: input.description ?? null,
      deadline: input.deadline,
      by: actor.accountId,
    });
    const theme = toTheme((await repo.findTheme(tx, id))!);
    await recordAudit(tx, actor, {
      action: 'activity_theme.create',
      entity: 'activity_theme',
      entityId: id,
      districtId: org.districtId,
      after: theme,
    });
    return theme;
  });
}

export async function searchThemes(database: Database, actor: Actor, q: { districtId?: number; status?: string }) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, q.districtId);
  return { items: (await repo.listThemes(database.db, actor, d, q.status)).map(toTheme) };
}

function toIdeas(ideas: Awaited<ReturnType<typeof repo.listIdeas>>) {
  return ideas.map((i) => ({
    id: i.id,
    text: i.text,
    author: i.source === 'public' ? maskName(i.authorName) : i.authorName,
    source: i.source,
    shortlisted: i.shortlisted,
    createdAt: i.createdAt,
  }));
}

export async function getTheme(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'activity.read');
  const t = await loadTheme(database, actor, id);
  return { ...toTheme(t), ideas: toIdeas(await repo.listIdeas(database.db, id)) };
}

export async function addIdea(database: Database, actor: Actor, themeId: number, input: { text: string }) {
  requirePermission(actor, 'activity.write');
  const t = await loadTheme(database, actor, themeId);
  if (t.status !== 'soliciting' || t.pastDeadline) throw new AppError('THEME_CLOSED');
  await database.db.transaction(async (tx) => {
    const id = await repo.insertIdea(tx, {
      districtId: t.districtId,
      themeId,
      text: input.text,
      authorName: actor.username,
      source: 'staff',
      accountId: actor.accountId,
      phoneEnc: null,
      phoneIdx: null,
      personId: null,
    });
    await recordAudit(tx, actor, {
      action: 'activity_idea.create',
      entity: 'activity_idea',
      entityId: id,
      districtId: t.districtId,
    });
  });
  return getTheme(database, actor, themeId);
}

export async function shortlistIdea(database: Database, actor: Actor, ideaId: number, shortlisted: boolean) {
  requirePermission(actor, 'activity.write');
  const idea = await repo.findIdea(database.db, ideaId);
  if (!idea) throw new AppError('IDEA_NOT_FOUND');
  const t = await repo.findTheme(database.db, idea.theme_id, actor);
  if (!t) {
    await denied(database, actor, 'activity_idea', ideaId, idea.district_id);
    throw new AppError('IDEA_NOT_FOUND');
  }
  if (t.status !== 'soliciting') throw new AppError('THEME_STATE');
  await database.db.transaction(async (tx) => {
    await repo.setShortlisted(tx, ideaId, shortlisted);
    await recordAudit(tx, actor, {
      action: 'activity_idea.shortlist',
      entity: 'activity_idea',
      entityId: ideaId,
      districtId: t.districtId,
      after: { shortlisted },
    });
  });
  return getTheme(database, actor, t.id);
}

/** 发布主题 publishes a theme with its shortlisted ideas; plans are then filed under it. */
export async function publishTheme(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'activity.write');
  const t = await loadTheme(database, actor, id);
  if (!(await repo.listIdeas(database.db, id, true)).length) throw new AppError('THEME_NO_SHORTLIST');
  await database.db.transaction(async (tx) => {
    if (!(await repo.publishTheme(tx, id))) throw new AppError('THEME_STATE');
    await recordAudit(tx, actor, {
      action: 'activity_theme.publish',
      entity: 'activity_theme',
      entityId: id,
      districtId: t.districtId,
    });
  });
  return getTheme(database, actor, id);
}

// ── public identity (phone pages) ────────────────────────────────────────────────────────────

/** Encrypts and indexes a phone, and links it to the registry's person with that phone (if any). */
async function identify(ex: Executor, pii: PiiCipher, districtId: number, phone: string) {
  const phoneIdx = pii.blindIndex('phone', phone);
  const person = await repo.personByPhone(ex, districtId, phoneIdx);
  return { phoneEnc: pii.encrypt(phone), phoneIdx, personId: person?.id ?? null, gridId: person?.home_grid_id ?? null };
}

export async function getPublicTheme(database: Database, id: number) {
  const t = await repo.findTheme(database.db, id);
  if (!t || t.status === 'closed') throw new AppError('THEME_NOT_FOUND');
  const shortlist =
    t.status === 'published'
      ? toIdeas(await repo.listIdeas(database.db, id, true)).map((i) => ({ text: i.text, author: i.author }))
      : [];
  return {
    id: t.id,
    orgName: t.org.name,
    title: t.title,
    description: t.description,
    deadline: t.deadline,
    status: t.status,
    shortlist,
  };
}

export async function addPublicIdea(
  database: Database,
  pii: PiiCipher,
  id: number,
  input: z.infer<typeof PublicIdeaCreateSchema>,
) {
  const t = await repo.findTheme(database.db, id);
  if (!t || t.status === 'closed') throw new AppError('THEME_NOT_FOUND');
  if (t.status !== 'soliciting' || t.pastDeadline) throw new AppError('THEME_CLOSED');
  const who = await identify(database.db, pii, t.districtId, input.phone);
  await repo.insertIdea(database.db, {
    districtId: t.districtId,
    themeId: id,
    text: input.text,
    authorName: input.name,
    source: 'public',
    accountId: null,
    phoneEnc: who.phoneEnc,
    phoneIdx: who.phoneIdx,
    personId: who.personId,
  });
  return getPublicTheme(database, id);
}

// ── plans 活动方案 ─────────────────────────────────────────────────────────────────────────────

async function toPlan(ex: Executor, actor: Actor, p: PlanRow) {
  const [withGrids] = await repo.withGridRefs(ex, [p]);
  const { orgPath: _o, gridIds: _g, ...rest } = withGrids;
  return { ...rest, canApprove: p.status === 'submitted' && (await mayApprove(ex, actor, p)) };
}

async function loadPlan(database: Database, actor: Actor, id: number): Promise<PlanRow> {
  const p = await repo.findPlan(database.db, id, actor);
  if (p) return p;
  const any = await repo.findPlan(database.db, id);
  if (any) await denied(database, actor, 'activity_plan', id, any.districtId);
  throw new AppError('PLAN_NOT_FOUND');
}

async function checkTheme(database: Database, actor: Actor, districtId: number, themeId: number) {
  const t = await repo.findTheme(database.db, themeId);
  // a published theme of the own subtree or of an org above (plans are filed under the town's themes)
  const visible =
    t &&
    t.districtId === districtId &&
    t.status === 'published' &&
    (under(t.orgPath, actor.scopePath) || (actor.scopePath ?? '').startsWith(t.orgPath));
  if (!visible) throw fieldError('THEME_NOT_FOUND', 'themeId');
}

export async function createPlan(database: Database, actor: Actor, input: PlanCreate) {
  requirePermission(actor, 'activity.write');
  const org = await loadFieldOrg(database, actor, input.orgId, 'orgId');
  const districtId = org.districtId;
  if (input.themeId) await checkTheme(database, actor, districtId, input.themeId);
  await checkCategory(database, districtId, input.categoryId);
  const gridIds = await checkGrids(database, actor, districtId, input.gridIds);
  return database.db.transaction(async (tx) => {
    const id = await repo.insertPlan(
      tx,
      districtId,
      {
        themeId: input.themeId ?? null,
        orgId: org.id,
        title: input.title,
        purpose: input.purpose,
        categoryId: input.categoryId,
        gridIds,
        venue: input.venue,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        capacity: input.capacity,
        budgetFen: input.budgetFen,
        resources: input.resources ?? null,
        team: input.team ?? null,
        brandProject: input.brandProject,
        gridProject: input.gridProject,
      },
      actor.accountId,
    );
    await repo.insertEvent(tx, {
      districtId,
      planId: id,
      action: 'create',
      from: null,
      to: 'draft',
      accountId: actor.accountId,
    });
    const plan = await toPlan(tx, actor, (await repo.findPlan(tx, id))!);
    await recordAudit(tx, actor, {
      action: 'activity_plan.create',
      entity: 'activity_plan',
      entityId: id,
      districtId,
      after: plan,
    });
    return plan;
  });
}

export async function updatePlan(database: Database, actor: Actor, id: number, patch: PlanUpdate) {
  requirePermission(actor, 'activity.write');
  const current = await loadPlan(database, actor, id);
  if (current.status !== 'draft' && current.status !== 'returned') throw new AppError('PLAN_STATE');
  const startsAt = patch.startsAt ?? current.startsAt;
  const endsAt = patch.endsAt ?? current.endsAt;
  if (Date.parse(endsAt) <= Date.parse(startsAt)) {
    throw new AppError('VALIDATION', { errors: [{ field: 'endsAt', message: 'activity.rangeOrder' }] });
  }
  if (patch.themeId) await checkTheme(database, actor, current.districtId, patch.themeId);
  if (patch.categoryId) await checkCategory(database, current.districtId, patch.categoryId);
  const gridIds = patch.gridIds ? await checkGrids(database, actor, current.districtId, patch.gridIds) : undefined;
  const before = await toPlan(database.db, actor, current);
  return database.db.transaction(async (tx) => {
    const ok = await repo.updatePlanFields(tx, id, {
      ...patch,
      themeId: patch.themeId === undefined ? undefined : (patch.themeId ?? null),
      gridIds,
      resources: patch.resources,
      team: patch.team,
    } as Partial<repo.PlanWrite>);
    if (!ok) throw new AppError('PLAN_STATE');
    const after = await toPlan(tx, actor, (await repo.findPlan(tx, id))!);
    await recordAudit(tx, actor, {
      action: 'activity_plan.update',
      entity: 'activity_plan',
      entityId: id,
      districtId: current.districtId,
      before,
      after,
    });
    return after;
  });
}

export async function searchPlans(database: Database, actor: Actor, q: z.infer<typeof PlanListQuerySchema>) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, q.districtId);
  const level = await planApproverLevel(database.db, d);
  const rows = await repo.listPlans(database.db, actor, d, {
    status: q.status,
    themeId: q.themeId,
    toApprove: q.view === 'to_approve' ? level : undefined,
  });
  const items = await repo.withGridRefs(database.db, rows);
  return {
    items: items.map(({ orgPath: _o, gridIds: _g, ...rest }) => ({
      ...rest,
      canApprove: rest.status === 'submitted' && mayApproveAt(actor, _o, level),
    })),
  };
}

function toComments(rows: Awaited<ReturnType<typeof repo.listComments>>) {
  return rows.map((c) => ({
    id: c.id,
    author: maskName(c.authorName),
    text: c.text,
    reply: c.reply,
    adopted: c.adopted,
    reason: c.reason,
    repliedAt: c.repliedAt,
    createdAt: c.createdAt,
  }));
}

export async function getPlan(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'activity.read');
  const p = await loadPlan(database, actor, id);
  const acts = await repo.listActivities(database.db, null, p.districtId, { planId: id });
  return {
    ...(await toPlan(database.db, actor, p)),
    comments: toComments(await repo.listComments(database.db, id)),
    events: await repo.listEvents(database.db, { planId: id }),
    activities: acts.map((a) => ({ id: a.id, status: a.status, startsAt: a.startsAt })),
  };
}

/** A plan's transition: submit / resubmit (the organiser side), approve / return (the level above), cancel. */
export async function transitionPlanAs(
  database: Database,
  actor: Actor,
  id: number,
  action: Extract<ActivityAction, 'submit' | 'resubmit' | 'approve' | 'return' | 'cancel'>,
  note?: string,
) {
  requirePermission(actor, action === 'approve' || action === 'return' ? 'activity.approve' : 'activity.write');
  const p = await loadPlan(database, actor, id);
  if (action === 'approve' || action === 'return') {
    const level = await planApproverLevel(database.db, p.districtId);
    if (!mayApproveAt(actor, p.orgPath, level)) throw approvalRefusal(level);
  }
  // "resubmit" is how a returned plan is submitted again; the client just says submit
  const effective = action === 'submit' && p.status === 'returned' ? 'resubmit' : action;
  const to = nextStatus(p.status, effective);
  if (!to) throw new AppError('PLAN_STATE');
  await database.db.transaction(async (tx) => {
    const from = statusesAllowing(effective).filter((s) => s === p.status);
    const moved = await repo.transitionPlan(
      tx,
      id,
      from,
      to as PlanRow['status'],
      effective === 'approve' || effective === 'return' ? (note ?? null) : undefined,
    );
    if (!moved) throw new AppError('PLAN_STATE');
    await repo.insertEvent(tx, {
      districtId: p.districtId,
      planId: id,
      action: effective,
      from: p.status,
      to,
      accountId: actor.accountId,
      note: note ?? null,
    });
    await recordAudit(tx, actor, {
      action: `activity_plan.${effective}`,
      entity: 'activity_plan',
      entityId: id,
      districtId: p.districtId,
      before: { status: p.status },
      after: { status: to, note: note ?? null },
    });
  });
  return getPlan(database, actor, id);
}

/** 意见回复 the organiser answers a comment: adopted or not, with the reason. */
export async function replyToComment(
  database: Database,
  actor: Actor,
  commentId: number,
  input: z.infer<typeof CommentReplySchema>,
) {
  requirePermission(actor, 'activity.write');
  const c = await repo.findComment(database.db, commentId);
  if (!c) throw new AppError('COMMENT_NOT_FOUND');
  const p = await repo.findPlan(database.db, c.plan_id, actor);
  if (!p) {
    await denied(database, actor, 'activity_plan_comment', commentId, c.district_id);
    throw new AppError('COMMENT_NOT_FOUND');
  }
  await database.db.transaction(async (tx) => {
    await repo.replyComment(tx, commentId, {
      reply: input.reply,
      adopted: input.adopted,
      reason: input.reason ?? null,
      by: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'activity_plan_comment.reply',
      entity: 'activity_plan_comment',
      entityId: commentId,
      districtId: p.districtId,
      after: { adopted: input.adopted },
    });
  });
  return getPlan(database, actor, p.id);
}

const COMMENTABLE = new Set(['submitted', 'approved', 'returned']);

export async function getPublicPlan(database: Database, id: number) {
  const p = await repo.findPlan(database.db, id);
  if (!p || !COMMENTABLE.has(p.status)) throw new AppError('PLAN_NOT_FOUND');
  return {
    id: p.id,
    orgName: p.org.name,
    themeTitle: p.theme?.name ?? null,
    title: p.title,
    purpose: p.purpose,
    category: p.category.name,
    venue: p.venue,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    capacity: p.capacity,
    status: p.status,
    comments: toComments(await repo.listComments(database.db, id)),
  };
}

/** 网上提议 a youth comments on a plan from the phone page (text stored as typed). */
export async function addPublicComment(
  database: Database,
  pii: PiiCipher,
  id: number,
  input: z.infer<typeof PublicCommentCreateSchema>,
) {
  const p = await repo.findPlan(database.db, id);
  if (!p || !COMMENTABLE.has(p.status)) throw new AppError('PLAN_NOT_FOUND');
  const who = await identify(database.db, pii, p.districtId, input.phone);
  await repo.insertComment(database.db, {
    districtId: p.districtId,
    planId: id,
    authorName: input.name,
    phoneEnc: who.phoneEnc,
    phoneIdx: who.phoneIdx,
    personId: who.personId,
    text: input.text,
  });
  return getPublicPlan(database, id);
}

// ── activities 活动 ─────────────────────────────────────────────────────────────────────────────

async function toActivity(ex: Executor, pii: PiiCipher, baseUrl: string, a: ActivityRow) {
  const [withGrids] = await repo.withGridRefs(ex, [a]);
  const { orgPath: _o, gridIds: _g, ...rest } = withGrids;
  const live = await liveActivityToken(ex, pii, a.id, baseUrl);
  return { ...rest, qrUrl: live?.url ?? null };
}

async function loadActivity(database: Database, actor: Actor, id: number): Promise<ActivityRow> {
  const a = await repo.findActivity(database.db, id, actor);
  if (a) return a;
  const any = await repo.findActivity(database.db, id);
  if (any) await denied(database, actor, 'activity', id, any.districtId);
  throw new AppError('ACTIVITY_NOT_FOUND');
}

function tokenDays(endsAt: string): number {
  return Math.max(1, Math.ceil((Date.parse(endsAt) - Date.now()) / 86_400_000) + TOKEN_DAYS_AFTER_END);
}

/** 生成活动 an approved plan becomes an activity (call again for the next one of a series). */
export async function openActivity(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  planId: number,
  input: ActivityOpen,
  baseUrl: string,
) {
  requirePermission(actor, 'activity.write');
  const p = await loadPlan(database, actor, planId);
  if (!nextStatus(p.status, 'open')) throw new AppError('PLAN_STATE');
  const startsAt = input.startsAt ?? p.startsAt;
  const endsAt = input.endsAt ?? p.endsAt;
  const signupOpensAt = input.signupOpensAt ?? new Date().toISOString();
  if (Date.parse(endsAt) <= Date.parse(startsAt))
    throw new AppError('VALIDATION', { errors: [{ field: 'endsAt', message: 'activity.rangeOrder' }] });
  if (Date.parse(input.signupClosesAt) <= Date.parse(signupOpensAt))
    throw new AppError('VALIDATION', { errors: [{ field: 'signupClosesAt', message: 'activity.rangeOrder' }] });
  const id = await database.db.transaction(async (tx) => {
    const id = await repo.insertActivity(tx, {
      districtId: p.districtId,
      planId,
      orgId: p.org.id,
      title: p.title,
      categoryId: p.category.id,
      gridIds: p.gridIds,
      venue: p.venue,
      startsAt,
      endsAt,
      capacity: input.capacity ?? p.capacity,
      signupOpensAt,
      signupClosesAt: input.signupClosesAt,
      checkinBeforeMinutes: input.checkinBeforeMinutes ?? DEFAULT_CHECKIN_BEFORE_MINUTES,
      brandProject: p.brandProject,
      gridProject: p.gridProject,
      by: actor.accountId,
    });
    await repo.insertEvent(tx, {
      districtId: p.districtId,
      planId,
      activityId: id,
      action: 'open',
      from: 'approved',
      to: 'open',
      accountId: actor.accountId,
    });
    await issueActivityToken(
      tx,
      pii,
      {
        activityId: id,
        districtId: p.districtId,
        orgId: p.org.id,
        days: tokenDays(endsAt),
        createdBy: actor.accountId,
      },
      baseUrl,
    );
    await recordAudit(tx, actor, {
      action: 'activity.open',
      entity: 'activity',
      entityId: id,
      districtId: p.districtId,
      after: { planId, startsAt, endsAt },
    });
    return id;
  });
  return getActivity(database, pii, actor, id, baseUrl);
}

export async function searchActivities(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  q: { districtId?: number; status?: string; planId?: number },
  baseUrl: string,
) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, q.districtId);
  const rows = await repo.listActivities(database.db, actor, d, q);
  const items = [];
  for (const a of rows) items.push(await toActivity(database.db, pii, baseUrl, a));
  return { items };
}

export async function getActivity(database: Database, pii: PiiCipher, actor: Actor, id: number, baseUrl: string) {
  requirePermission(actor, 'activity.read');
  const a = await loadActivity(database, actor, id);
  return {
    ...(await toActivity(database.db, pii, baseUrl, a)),
    summary: await withSummaryPhotos(database.db, id, await repo.findSummary(database.db, id)),
    events: await repo.listEvents(database.db, { activityId: id }),
    rating: await repo.ratingStats(database.db, id),
  };
}

/** Edits an activity while sign-up is open; a running, finished or later one is refused. */
export async function updateActivity(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  patch: ActivityUpdate,
  baseUrl: string,
) {
  requirePermission(actor, 'activity.write');
  const a = await loadActivity(database, actor, id);
  if (a.status !== 'open') throw new AppError('ACTIVITY_STATE');
  const startsAt = patch.startsAt ?? a.startsAt;
  const endsAt = patch.endsAt ?? a.endsAt;
  if (Date.parse(endsAt) <= Date.parse(startsAt))
    throw new AppError('VALIDATION', { errors: [{ field: 'endsAt', message: 'activity.rangeOrder' }] });
  if (patch.signupClosesAt && Date.parse(patch.signupClosesAt) <= Date.parse(a.signupOpensAt))
    throw new AppError('VALIDATION', { errors: [{ field: 'signupClosesAt', message: 'activity.rangeOrder' }] });
  if (patch.capacity !== undefined && patch.capacity < a.admitted)
    throw new AppError('ACTIVITY_CAPACITY_BELOW_ADMITTED');
  await database.db.transaction(async (tx) => {
    if (!(await repo.updateActivityFields(tx, id, patch))) {
      const now = await repo.findActivity(tx, id);
      throw new AppError(now?.status !== 'open' ? 'ACTIVITY_STATE' : 'ACTIVITY_CAPACITY_BELOW_ADMITTED');
    }
    await recordAudit(tx, actor, {
      action: 'activity.update',
      entity: 'activity',
      entityId: id,
      districtId: a.districtId,
      before: { title: a.title, venue: a.venue, startsAt: a.startsAt, endsAt: a.endsAt, capacity: a.capacity },
      after: patch,
    });
  });
  return getActivity(database, pii, actor, id, baseUrl);
}

/** start (open → running), finish (running → finished), cancel (open / running → cancelled), publish. */
export async function transitionActivityAs(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  action: Extract<ActivityAction, 'start' | 'finish' | 'cancel' | 'publish'>,
  baseUrl: string,
  note?: string,
) {
  requirePermission(actor, 'activity.write');
  const a = await loadActivity(database, actor, id);
  const to = nextStatus(a.status, action);
  if (!to) throw new AppError('ACTIVITY_STATE');
  await database.db.transaction(async (tx) => {
    if (!(await repo.transitionActivity(tx, id, [a.status], to as RunStatus))) throw new AppError('ACTIVITY_STATE');
    await repo.insertEvent(tx, {
      districtId: a.districtId,
      planId: a.planId,
      activityId: id,
      action,
      from: a.status,
      to,
      accountId: actor.accountId,
      note: note ?? null,
    });
    await recordAudit(tx, actor, {
      action: `activity.${action}`,
      entity: 'activity',
      entityId: id,
      districtId: a.districtId,
      before: { status: a.status },
      after: { status: to },
    });
  });
  return getActivity(database, pii, actor, id, baseUrl);
}

/** 活动总结 the summary of a finished activity (finished → summarised). */
export async function summariseActivity(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  input: z.infer<typeof SummaryCreateSchema>,
  baseUrl: string,
) {
  requirePermission(actor, 'activity.write');
  const a = await loadActivity(database, actor, id);
  if (!nextStatus(a.status, 'summarise')) throw new AppError('ACTIVITY_STATE');
  // Photos are checked and re-encoded before the transaction: a bad one leaves nothing written.
  const photos = await prepareSummaryPhotos(input.photos);
  await database.db.transaction(async (tx) => {
    if (!(await repo.transitionActivity(tx, id, ['finished'], 'summarised'))) throw new AppError('ACTIVITY_STATE');
    await repo.insertSummary(tx, {
      activityId: id,
      districtId: a.districtId,
      text: input.text,
      attendance: input.attendance ?? a.attended,
      outcome: input.outcome ?? null,
      spendFen: input.spendFen,
      by: actor.accountId,
    });
    await insertSummaryPhotos(tx, { id, districtId: a.districtId, orgId: a.org.id }, actor.accountId, photos);
    await repo.insertEvent(tx, {
      districtId: a.districtId,
      planId: a.planId,
      activityId: id,
      action: 'summarise',
      from: 'finished',
      to: 'summarised',
      accountId: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'activity.summarise',
      entity: 'activity',
      entityId: id,
      districtId: a.districtId,
      after: { attendance: input.attendance ?? a.attended, spendFen: input.spendFen, photos: photos.length },
    });
  });
  return getActivity(database, pii, actor, id, baseUrl);
}

async function withSummaryPhotos<T extends object>(ex: Executor, activityId: number, summary: T | null | undefined) {
  return summary ? { ...summary, photos: await summaryPhotos(ex, activityId) } : null;
}

/** A new QR code for the activity; the previous ones stop working. */
export async function reissueQr(database: Database, pii: PiiCipher, actor: Actor, id: number, baseUrl: string) {
  requirePermission(actor, 'activity.write');
  const a = await loadActivity(database, actor, id);
  return database.db.transaction(async (tx) => {
    const live = await issueActivityToken(
      tx,
      pii,
      {
        activityId: id,
        districtId: a.districtId,
        orgId: a.org.id,
        days: tokenDays(a.endsAt),
        createdBy: actor.accountId,
      },
      baseUrl,
    );
    await recordAudit(tx, actor, {
      action: 'activity.qr_reissue',
      entity: 'activity',
      entityId: id,
      districtId: a.districtId,
    });
    return live!;
  });
}

export async function listSignupsOf(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  requirePermission(actor, 'activity.read');
  const a = await loadActivity(database, actor, id);
  const over = ['finished', 'summarised', 'published'].includes(a.status);
  const rows = await repo.listSignups(database.db, id);
  return {
    items: rows.map((r) => {
      const phone = pii.decrypt(r.phone_enc);
      return {
        id: r.id,
        name: r.name,
        phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
        personId: r.person_id,
        gridId: r.grid_id,
        status: r.status,
        source: r.source,
        checkedInAt: r.checked_in_at ? new Date(r.checked_in_at).toISOString() : null,
        noShow: over && r.status === 'admitted' && !r.checked_in_at,
        createdAt: new Date(r.created_at).toISOString(),
      };
    }),
  };
}

function checkinOpen(a: ActivityRow, now = new Date()) {
  return (
    (a.status === 'open' || a.status === 'running') &&
    inCheckinWindow(now, a.startsAt, a.endsAt, a.checkinBeforeMinutes)
  );
}

/** 签到 the organiser checks in a sign-up (scanning the youth's code, or from the list). */
export async function checkInSignup(database: Database, actor: Actor, id: number, signupId: number) {
  requirePermission(actor, 'activity.write');
  const a = await loadActivity(database, actor, id);
  const s = await repo.findSignup(database.db, signupId);
  if (!s || s.activity_id !== id) throw fieldError('SIGNUP_NOT_FOUND', 'signupId');
  if (!checkinOpen(a)) throw new AppError('CHECKIN_OUTSIDE_WINDOW');
  if (s.status !== 'admitted') throw new AppError('CHECKIN_NOT_ADMITTED');
  return database.db.transaction(async (tx) => {
    const at = await repo.insertCheckin(tx, {
      districtId: a.districtId,
      activityId: id,
      signupId,
      method: 'staff',
      by: actor.accountId,
    });
    if (!at) throw new AppError('CHECKIN_DUPLICATE');
    await recordAudit(tx, actor, {
      action: 'activity.check_in',
      entity: 'activity_signup',
      entityId: signupId,
      districtId: a.districtId,
    });
    return { checkedInAt: at, walkIn: false };
  });
}

/** 现场加入 a walk-in: signed up and checked in at once by the organiser. */
export async function addWalkIn(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  input: { name: string; phone: string },
) {
  requirePermission(actor, 'activity.write');
  const a = await loadActivity(database, actor, id);
  if (!checkinOpen(a)) throw new AppError('CHECKIN_OUTSIDE_WINDOW');
  const who = await identify(database.db, pii, a.districtId, input.phone);
  if (await repo.findSignupByPhone(database.db, id, who.phoneIdx)) throw fieldError('SIGNUP_DUPLICATE', 'phone');
  try {
    return await database.db.transaction(async (tx) => {
      const signupId = await repo.insertWalkIn(tx, {
        districtId: a.districtId,
        activityId: id,
        name: input.name,
        ...who,
      });
      const at = await repo.insertCheckin(tx, {
        districtId: a.districtId,
        activityId: id,
        signupId,
        method: 'walk_in',
        by: actor.accountId,
      });
      await recordAudit(tx, actor, {
        action: 'activity.walk_in',
        entity: 'activity_signup',
        entityId: signupId,
        districtId: a.districtId,
      });
      return { checkedInAt: at!, walkIn: true };
    });
  } catch (err) {
    if (pgErrorOf(err)?.code === '23505') throw fieldError('SIGNUP_DUPLICATE', 'phone');
    throw err;
  }
}

// ── the activity's phone page (QR) ───────────────────────────────────────────────────────────

async function activityOfToken(database: Database, pii: PiiCipher, token: string) {
  const t = await resolveActivityToken(database, pii, token);
  const a = await repo.findActivity(database.db, t.activityId);
  if (!a) throw new AppError('QR_TOKEN_INVALID');
  return a;
}

async function publicView(database: Database, a: ActivityRow) {
  const summary = a.status === 'published' ? await repo.findSummary(database.db, a.id) : null;
  return {
    id: a.id,
    orgName: a.org.name,
    title: a.title,
    category: a.category.name,
    venue: a.venue,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    status: a.status,
    capacity: a.capacity,
    placesLeft: Math.max(0, a.capacity - a.admitted),
    signupOpensAt: a.signupOpensAt,
    signupClosesAt: a.signupClosesAt,
    checkinOpensAt: new Date(Date.parse(a.startsAt) - a.checkinBeforeMinutes * 60_000).toISOString(),
    summary: summary
      ? {
          text: summary.text,
          attendance: summary.attendance,
          outcome: summary.outcome,
          photos: await summaryPhotos(database.db, a.id, true),
        }
      : null,
    rating: await repo.ratingStats(database.db, a.id),
    ratings: a.status === 'published' ? await repo.listRatings(database.db, a.id) : [],
  };
}

export async function getPublicActivityByToken(database: Database, pii: PiiCipher, token: string) {
  return publicView(database, await activityOfToken(database, pii, token));
}

/** 宣传页 the public page of a published activity (no personal data). */
export async function getPublishedActivity(database: Database, id: number) {
  const a = await repo.findActivity(database.db, id);
  if (a?.status !== 'published') throw new AppError('ACTIVITY_NOT_FOUND');
  return publicView(database, a);
}

/**
 * 报名 a youth signs up from the phone page. The seat is taken in SQL (see repo.insertSignup): of
 * any number of parallel sign-ups exactly `capacity` are admitted and the rest wait-listed.
 */
export async function signUpByToken(
  database: Database,
  pii: PiiCipher,
  token: string,
  input: z.infer<typeof PublicSignupSchema>,
) {
  const a = await activityOfToken(database, pii, token);
  if (a.status !== 'open' || !inSignupWindow(new Date(), a.signupOpensAt, a.signupClosesAt))
    throw new AppError('SIGNUP_CLOSED');
  let callId: number | null = null;
  if (input.callId) {
    const call = await repo.findCall(database.db, input.callId);
    if (!call || call.activity_id !== a.id) throw fieldError('CALL_NOT_FOUND', 'callId');
    callId = call.id;
  }
  const who = await identify(database.db, pii, a.districtId, input.phone);
  if (await repo.findSignupByPhone(database.db, a.id, who.phoneIdx)) throw fieldError('SIGNUP_DUPLICATE', 'phone');
  try {
    const r = await database.db.transaction((tx) =>
      repo.insertSignup(tx, {
        districtId: a.districtId,
        activityId: a.id,
        name: input.name,
        ...who,
        callId,
        source: callId ? 'call' : 'qr',
      }),
    );
    return {
      status: r.status,
      position: r.status === 'waitlisted' ? await repo.waitPosition(database.db, a.id, r.id) : null,
    };
  } catch (err) {
    if (pgErrorOf(err)?.code === '23505') throw fieldError('SIGNUP_DUPLICATE', 'phone');
    throw err;
  }
}

/** 扫码签到 a youth checks in by scanning the activity's code, inside the check-in window, once. */
export async function checkInByToken(database: Database, pii: PiiCipher, token: string, phone: string) {
  const a = await activityOfToken(database, pii, token);
  if (!checkinOpen(a)) throw new AppError('CHECKIN_OUTSIDE_WINDOW');
  const s = await repo.findSignupByPhone(database.db, a.id, pii.blindIndex('phone', phone));
  if (!s) throw fieldError('SIGNUP_NOT_FOUND', 'phone');
  if (s.status !== 'admitted') throw new AppError('CHECKIN_NOT_ADMITTED');
  const at = await repo.insertCheckin(database.db, {
    districtId: a.districtId,
    activityId: a.id,
    signupId: s.id,
    method: 'qr',
    by: null,
  });
  if (!at) throw new AppError('CHECKIN_DUPLICATE');
  return { checkedInAt: at, walkIn: false };
}

/** 在线打分 a participant (checked in) rates the activity once, after it ended. */
export async function rateByToken(
  database: Database,
  pii: PiiCipher,
  token: string,
  input: z.infer<typeof RatingCreateSchema>,
) {
  const a = await activityOfToken(database, pii, token);
  if (!['running', 'finished', 'summarised', 'published'].includes(a.status)) throw new AppError('ACTIVITY_STATE');
  const s = await repo.findSignupByPhone(database.db, a.id, pii.blindIndex('phone', input.phone));
  if (!s?.checked_in) throw new AppError('RATING_NOT_ALLOWED');
  const ok = await repo.insertRating(database.db, {
    districtId: a.districtId,
    activityId: a.id,
    signupId: s.id,
    stars: input.stars,
    comment: input.comment ?? null,
  });
  if (!ok) throw new AppError('RATING_DUPLICATE');
  return repo.ratingStats(database.db, a.id);
}

async function cancelAndPromote(database: Database, a: ActivityRow, signupId: number, actor: Actor | null) {
  if (a.status !== 'open') throw new AppError('ACTIVITY_STATE');
  return database.db.transaction(async (tx) => {
    const r = await repo.cancelSignup(tx, a.id, signupId);
    if (!r) throw new AppError('SIGNUP_NOT_FOUND');
    if (actor)
      await recordAudit(tx, actor, {
        action: 'activity.signup_cancel',
        entity: 'activity_signup',
        entityId: signupId,
        districtId: a.districtId,
        after: { promoted: r.promoted },
      });
    return { cancelled: true as const, promotedSignupId: r.promoted };
  });
}

/** The organiser cancels a sign-up (while sign-up is open); the first wait-listed youth moves up. */
export async function cancelSignupAs(database: Database, actor: Actor, id: number, signupId: number) {
  requirePermission(actor, 'activity.write');
  const a = await loadActivity(database, actor, id);
  return cancelAndPromote(database, a, signupId, actor);
}

/** A youth cancels his own sign-up from the activity page. */
export async function cancelByToken(database: Database, pii: PiiCipher, token: string, phone: string) {
  const a = await activityOfToken(database, pii, token);
  const s = await repo.findSignupByPhone(database.db, a.id, pii.blindIndex('phone', phone));
  if (!s) throw fieldError('SIGNUP_NOT_FOUND', 'phone');
  return cancelAndPromote(database, a, s.id, null);
}
