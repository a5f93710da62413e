import type { z } from 'zod';
import {
  attractionRate,
  type DispatchRecord,
  INCUBATION_THRESHOLD,
  incubationEligible,
  isDissatisfied,
  LEADERBOARD_KINDS,
  type OrderReviewQuerySchema,
  type OrderSettingsUpdateSchema,
  type PublicParticipantRateSchema,
  type Rate,
  resolveDeadlineHours,
  responseRate,
  satisfactionRate,
} from '../../../domain/order.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { getDistrictName } from '../districts/districts.repository.ts';
import * as repo from './orders.repository.ts';
import { verifySmsCode } from './orders.service.ts';
import * as more from './orders-more.repository.ts';

/**
 * The second half of the orders module: district settings (deadlines per class, incubation
 * threshold), the deadline reminders (件件有回音), review tasks opened by dissatisfied ratings,
 * participants' on-site ratings, the two rates (attraction and satisfaction; response as a third
 * figure) per org, town or service, the public leaderboard and the public resource list.
 */

const districtWide = (actor: Actor) => actor.role === 'district_admin' || actor.role === 'platform_admin';

// ── settings ──────────────────────────────────────────────────────────────────────────────────

/** The district's deadline hours per class (defaults for missing keys). */
export async function deadlineHoursOf(ex: Executor, districtId: number) {
  return resolveDeadlineHours((await more.findSettings(ex, districtId))?.deadlines);
}

/** The district's incubation threshold as a share (0–1). */
export async function thresholdOf(ex: Executor, districtId: number): Promise<number> {
  const s = await more.findSettings(ex, districtId);
  return s ? s.thresholdPct / 100 : INCUBATION_THRESHOLD;
}

async function settingsOf(ex: Executor, districtId: number) {
  const s = await more.findSettings(ex, districtId);
  return {
    districtId,
    deadlines: resolveDeadlineHours(s?.deadlines),
    incubationThreshold: s ? s.thresholdPct / 100 : INCUBATION_THRESHOLD,
    updatedAt: s?.updatedAt ?? null,
  };
}

export async function getOrderSettings(database: Database, actor: Actor, districtId?: number) {
  requirePermission(actor, 'order.read');
  return settingsOf(database.db, resolveDistrict(actor, districtId));
}

/** Deadlines and threshold are district rules: district and platform admins only. */
export async function updateOrderSettings(
  database: Database,
  actor: Actor,
  input: z.infer<typeof OrderSettingsUpdateSchema>,
) {
  requirePermission(actor, 'order.dispatch');
  if (!districtWide(actor)) throw new AppError('FORBIDDEN');
  const districtId = resolveDistrict(actor, input.districtId);
  return database.db.transaction(async (tx) => {
    const before = await settingsOf(tx, districtId);
    const deadlines = {
      ...before.deadlines,
      ...Object.fromEntries(Object.entries(input.deadlines ?? {}).filter(([, v]) => v)),
    };
    const threshold = input.incubationThreshold ?? before.incubationThreshold;
    await more.saveSettings(tx, districtId, deadlines, Math.min(100, Math.max(1, Math.round(threshold * 100))));
    const after = await settingsOf(tx, districtId);
    await recordAudit(tx, actor, {
      action: 'order.settings',
      entity: 'order_settings',
      entityId: districtId,
      districtId,
      before: { deadlines: before.deadlines, incubationThreshold: before.incubationThreshold },
      after: { deadlines: after.deadlines, incubationThreshold: after.incubationThreshold },
    });
    return after;
  });
}

// ── 件件有回音 reminders ─────────────────────────────────────────────────────────────────────

export const DEADLINE_JOB = 'order.deadline';
type DeadlinePayload = { orderId: number; kind: 'respond' | 'complete'; dispatchNo: number };

/** Schedules the response and completion reminders of a dispatch, in the dispatch's transaction. */
export async function scheduleDeadlineJobs(
  tx: Executor,
  orderId: number,
  dispatchNo: number,
  due: { respondDueAt: Date; completeDueAt: Date },
): Promise<void> {
  await enqueueJob(
    tx,
    DEADLINE_JOB,
    { orderId, kind: 'respond', dispatchNo } satisfies DeadlinePayload,
    due.respondDueAt,
  );
  await enqueueJob(
    tx,
    DEADLINE_JOB,
    { orderId, kind: 'complete', dispatchNo } satisfies DeadlinePayload,
    due.completeDueAt,
  );
}

/**
 * At a deadline: if the same dispatch is still waiting for the step the deadline is about, records
 * the reminder once (unique per order, kind and dispatch) and a system event on the timeline
 * (internal: the requester sees the deadline, not the chasing). Stale jobs (re-dispatched, done,
 * declined) do nothing. Returns whether a reminder was written.
 */
export async function runDeadlineJob(ex: Executor, payload: DeadlinePayload, now: Date): Promise<boolean> {
  const o = await more.orderForReminder(ex, payload.orderId);
  if (!o || o.dispatchCount !== payload.dispatchNo) return false;
  const due = payload.kind === 'respond' ? o.respondDueAt : o.completeDueAt;
  const waiting =
    payload.kind === 'respond' ? o.status === 'dispatched' : ['accepted', 'in_progress'].includes(o.status);
  if (!waiting || !due || new Date(due).getTime() > now.getTime()) return false;
  const inserted = await more.insertReminder(ex, {
    districtId: o.districtId,
    orderId: o.id,
    orgId: o.assigneeOrgId,
    kind: payload.kind,
    dispatchNo: payload.dispatchNo,
    dueAt: new Date(due).toISOString(),
  });
  if (!inserted) return false;
  await repo.insertEvent(ex, {
    districtId: o.districtId,
    orderId: o.id,
    accountId: null,
    actorKind: 'system',
    action: payload.kind === 'respond' ? 'remind_respond' : 'remind_complete',
    fromStatus: o.status,
    toStatus: o.status,
    orgId: o.assigneeOrgId,
    note: payload.kind === 'respond' ? '已超过响应时限，请尽快接单或退回' : '已超过办结时限，请尽快办结',
    internal: true,
  });
  return true;
}

export async function remindersOf(ex: Executor, orderId: number) {
  return more.listReminders(ex, orderId);
}

// ── review tasks (a dissatisfied rating reopens the order for the district) ───────────────────

/** Opens a review task when the score is dissatisfied; call inside the rating's transaction. */
export async function openReviewIfDissatisfied(
  tx: Executor,
  r: {
    districtId: number;
    orderId: number;
    orgId: number;
    score: number;
    comment: string | null;
    byKind: 'requester' | 'cadre' | 'participant';
  },
): Promise<number | null> {
  if (!isDissatisfied(r.score)) return null;
  const id = await more.insertReview(tx, r);
  await repo.insertEvent(tx, {
    districtId: r.districtId,
    orderId: r.orderId,
    accountId: null,
    actorKind: 'system',
    action: 'review_open',
    fromStatus: null,
    toStatus: null,
    orgId: r.orgId,
    note: `不满意评价（${r.score}★），已转区级复核`,
    internal: true,
  });
  return id;
}

const toReview = ({ orgPath: _p, districtId: _d, ...rest }: Awaited<ReturnType<typeof more.findReview>> & object) =>
  rest;

export async function listReviewTasks(database: Database, actor: Actor, query: z.infer<typeof OrderReviewQuerySchema>) {
  requirePermission(actor, 'order.dispatch');
  const districtId = resolveDistrict(actor, query.districtId);
  return { items: (await more.listReviews(database.db, districtId, actor.scopePath, query.status)).map(toReview) };
}

/** Closes a review task with what was done (called back, re-done …): the district (district admins). */
export async function resolveReviewTask(database: Database, actor: Actor, id: number, resolution: string) {
  requirePermission(actor, 'order.dispatch');
  if (!districtWide(actor)) throw new AppError('FORBIDDEN');
  const found = await more.findReview(database.db, id);
  if (!found || (actor.districtId !== null && found.districtId !== actor.districtId)) {
    throw new AppError('ORDER_REVIEW_NOT_FOUND');
  }
  return database.db.transaction(async (tx) => {
    if (!(await more.closeReview(tx, id, actor.accountId, resolution))) throw new AppError('ORDER_REVIEW_CLOSED');
    await repo.insertEvent(tx, {
      districtId: found.districtId,
      orderId: found.order.id,
      accountId: actor.accountId,
      actorKind: 'cadre',
      action: 'review_close',
      fromStatus: null,
      toStatus: null,
      orgId: found.org.id,
      note: resolution,
      internal: true,
    });
    await recordAudit(tx, actor, {
      action: 'order.review_close',
      entity: 'service_order_review',
      entityId: id,
      districtId: found.districtId,
      before: { status: 'open' },
      after: { status: 'closed', resolution },
    });
    return toReview((await more.findReview(tx, id))!);
  });
}

// ── 现场评单 participants of a group service ──────────────────────────────────────────────────

/**
 * A participant rates a completed group service on the spot: the phone proven by a code (purpose
 * rate), one rating per phone and order, at most as many as took part; the requester rates on the
 * tracking page instead.
 */
export async function rateAsParticipant(
  database: Database,
  pii: PiiCipher,
  trackingNo: string,
  input: z.infer<typeof PublicParticipantRateSchema>,
) {
  const row = await repo.findOrderByTracking(database.db, trackingNo);
  if (!row) throw new AppError('ORDER_NOT_FOUND');
  const full = await database.query<{ participants: number | null }>(
    'SELECT participants FROM service_orders WHERE id = $1',
    [row.id],
  );
  const participants = full[0]?.participants ?? null;
  if (!['done', 'rated'].includes(row.status) || !row.assignee) throw new AppError('ORDER_STATE');
  if (!participants || participants < 1) throw new AppError('ORDER_NOT_GROUP');
  const phoneIdx = pii.blindIndex('phone', input.phone);
  if (phoneIdx === row.requesterPhoneIdx) throw new AppError('ORDER_PARTICIPANT_RATED');
  const codeId = await verifySmsCode(database, pii, row.districtId, input.phone, 'rate', input.code);
  try {
    return await database.db.transaction(async (tx) => {
      await repo.lockOrder(tx, row.id);
      if (!(await repo.consumeSmsCode(tx, codeId))) {
        throw new AppError('SMS_CODE_EXPIRED', { errors: [{ field: 'code', message: 'SMS_CODE_EXPIRED' }] });
      }
      const before = await more.participantRatingCounts(tx, row.id);
      if (before.ratings >= participants) throw new AppError('ORDER_PARTICIPANTS_RATED');
      await more.insertParticipantRating(tx, {
        districtId: row.districtId,
        orderId: row.id,
        orgId: row.assignee!.id,
        phoneIdx,
        score: input.score,
        comment: input.comment ?? null,
      });
      await repo.insertEvent(tx, {
        districtId: row.districtId,
        orderId: row.id,
        accountId: null,
        actorKind: 'requester',
        action: 'participant_rate',
        fromStatus: null,
        toStatus: null,
        orgId: row.assignee!.id,
        note: `${input.score}★`,
        internal: true,
      });
      await openReviewIfDissatisfied(tx, {
        districtId: row.districtId,
        orderId: row.id,
        orgId: row.assignee!.id,
        score: input.score,
        comment: input.comment ?? null,
        byKind: 'participant',
      });
      await recordAudit(tx, null, {
        action: 'order.participant_rate',
        entity: 'service_order',
        entityId: row.id,
        districtId: row.districtId,
        after: { score: input.score },
      });
      return { trackingNo: row.trackingNo, ...(await more.participantRatingCounts(tx, row.id)) };
    });
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code === '23505' && pg.constraint === 'service_order_participant_ratings_uq') {
      throw new AppError('ORDER_PARTICIPANT_RATED');
    }
    throw err;
  }
}

// ── two rates ─────────────────────────────────────────────────────────────────────────────────

/** Start of a year in Asia/Shanghai (UTC+8, no DST), as an instant. */
export const shanghaiYearStart = (year: number) => new Date(Date.UTC(year, 0, 1) - 8 * 3600_000);
export const shanghaiYear = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).getUTCFullYear();

export type RatesGroupBy = 'org' | 'town' | 'service';

/** The key a row is grouped under: the org, its town (first level below the root), or its service. */
function groupKey(
  row: { orgId: number; path: string; menuItemId: number | null },
  groupBy: RatesGroupBy,
): number | null {
  if (groupBy === 'service') return row.menuItemId;
  if (groupBy === 'org') return row.orgId;
  const ids = row.path.split('/').filter(Boolean).map(Number);
  return ids[1] ?? ids[0];
}

type Group = {
  dispatches: DispatchRecord[];
  scores: number[];
  services: { planned: number | null; participants: number | null }[];
};

/**
 * 两率 per org, town or service of the scope in [from, to): attraction (Σ min(participants,
 * planned) ÷ Σ planned), satisfaction (ratings ≥ 4 ÷ ratings, requesters' and participants'),
 * and the response rate; eligible for incubation when both two rates reach the district threshold.
 */
export async function computeRates(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  range: { from: Date; to: Date },
  groupBy: RatesGroupBy,
  now: Date,
) {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const [dispatches, scores, services, threshold] = await Promise.all([
    more.rateDispatches(ex, districtId, scopePath, from, to),
    more.rateScores(ex, districtId, scopePath, from, to),
    more.rateServices(ex, districtId, scopePath, from, to),
    thresholdOf(ex, districtId),
  ]);
  const groups = new Map<number, Group>();
  const groupOf = (key: number | null) => {
    if (key === null) return null;
    let g = groups.get(key);
    if (!g) {
      g = { dispatches: [], scores: [], services: [] };
      groups.set(key, g);
    }
    return g;
  };
  for (const d of dispatches) groupOf(groupKey(d, groupBy))?.dispatches.push(d);
  for (const r of scores) groupOf(groupKey(r, groupBy))?.scores.push(r.score);
  for (const s of services) groupOf(groupKey(s, groupBy))?.services.push(s);
  const keys = [...groups.keys()];
  const named = new Map<
    number,
    { org: { id: number; name: string; kind: string }; service: { id: number; title: string } | null }
  >();
  if (groupBy === 'service') {
    for (const m of await more.menuItemsByIds(ex, keys)) {
      named.set(m.id, {
        org: { id: m.orgId, name: m.orgName, kind: m.orgKind },
        service: { id: m.id, title: m.title },
      });
    }
  } else {
    for (const o of await repo.orgsByIds(ex, keys))
      named.set(o.id, { org: { id: o.id, name: o.name, kind: o.kind }, service: null });
  }
  const items = [...groups.entries()]
    .filter(([key]) => named.has(key))
    .map(([key, g]) => {
      const attraction = attractionRate(g.services);
      const satisfaction = satisfactionRate(g.scores);
      return {
        ...named.get(key)!,
        attraction,
        response: responseRate(g.dispatches, now),
        satisfaction,
        eligible: incubationEligible(attraction, satisfaction, threshold),
      };
    })
    .sort(
      (a, b) =>
        twoRateScore(b.attraction, b.satisfaction) - twoRateScore(a.attraction, a.satisfaction) ||
        (b.satisfaction.rate ?? -1) - (a.satisfaction.rate ?? -1) ||
        (b.service?.id ?? b.org.id) - (a.service?.id ?? a.org.id),
    );
  return {
    from,
    to,
    groupBy,
    threshold,
    total: {
      attraction: attractionRate(services),
      response: responseRate(dispatches, now),
      satisfaction: satisfactionRate(scores.map((r) => r.score)),
    },
    items,
  };
}

/** The leaderboard's order: the mean of the known two rates (none known: last). */
function twoRateScore(a: Rate, s: Rate): number {
  const known = [a.rate, s.rate].filter((r): r is number => r !== null);
  return known.length ? known.reduce((x, y) => x + y, 0) / known.length : -1;
}

/** 两率排行榜 the public leaderboard of the district's social organisations for a Shanghai year. */
export async function getPublicLeaderboard(database: Database, districtId: number, year?: number) {
  const districtName = await getDistrictName(database.db, districtId);
  if (districtName === null) throw new AppError('DISTRICT_NOT_FOUND');
  const now = new Date();
  const y = year ?? shanghaiYear(now);
  const rates = await computeRates(
    database.db,
    districtId,
    null,
    { from: shanghaiYearStart(y), to: shanghaiYearStart(y + 1) },
    'org',
    now,
  );
  const byOrg = new Map(rates.items.map((i) => [i.org.id, i]));
  const empty: Rate = { numerator: 0, denominator: 0, rate: null };
  const rows = (await more.orgsOfKinds(database.db, districtId, LEADERBOARD_KINDS)).map((o) => {
    const r = byOrg.get(o.id);
    const attraction = r?.attraction ?? empty;
    const satisfaction = r?.satisfaction ?? empty;
    return {
      orgId: o.id,
      orgName: o.name,
      orgKind: o.kind,
      attraction,
      satisfaction,
      eligible: incubationEligible(attraction, satisfaction, rates.threshold),
    };
  });
  rows.sort(
    (a, b) =>
      twoRateScore(b.attraction, b.satisfaction) - twoRateScore(a.attraction, a.satisfaction) ||
      b.satisfaction.denominator - a.satisfaction.denominator ||
      a.orgId - b.orgId,
  );
  return {
    districtId,
    districtName,
    year: y,
    threshold: rates.threshold,
    items: rows.map(({ orgId: _id, ...r }, i) => ({ rank: i + 1, ...r })),
  };
}

/** 资源清单 who offers which services (no people, no contacts). */
export async function getPublicResources(database: Database, districtId: number) {
  const districtName = await getDistrictName(database.db, districtId);
  if (districtName === null) throw new AppError('DISTRICT_NOT_FOUND');
  return { districtId, districtName, items: await more.listProviders(database.db, districtId) };
}
