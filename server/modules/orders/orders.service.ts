import crypto from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { roleCan } from '../../../domain/account.ts';
import { maskPhone } from '../../../domain/identity.ts';
import type {
  MenuItemCreateSchema,
  MenuItemUpdateSchema,
  MenuListQuerySchema,
  OrderCreateSchema,
  PublicNeedQuerySchema,
  PublicOrderCreateSchema,
  PublicRateSchema,
  PublicTrackSchema,
  RatesQuerySchema,
  SmsCodeRequestSchema,
} from '../../../domain/order.ts';
import {
  CLASS_ORG_KINDS,
  canTransition,
  MAX_DISPATCHES,
  makeTrackingNo,
  ORDER_CLASSIFICATIONS,
  ORDER_TRANSITIONS,
  type Order,
  type OrderAction,
  type OrderClassification,
  type OrderListQuery,
  type OrderStatus,
  orderDeadlines,
  rankSuggestions,
  SUGGESTION_WEIGHTS,
} from '../../../domain/order.ts';
import type { PhotoUpload } from '../../../domain/photo.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import type { SmsSender } from '../../lib/sms.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { captchaSettings, requireCaptchaIfNeeded } from '../captcha/captcha.service.ts';
import { getDistrictName } from '../districts/districts.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { insertRequestPhotos, insertWorkPhotos, orderPhotos, prepareOrderPhotos } from './order-photos.service.ts';
import type { OrderRow } from './orders.repository.ts';
import * as repo from './orders.repository.ts';
import * as moreRepo from './orders-more.repository.ts';
import * as more from './orders-more.service.ts';

/** Whether an org path lies in a scope (null scope: the whole platform). */
const under = (path: string | null, scopePath: string | null) =>
  path !== null && (scopePath === null || path.startsWith(scopePath));

const inDistrict = (actor: Actor, districtId: number) => actor.districtId === null || actor.districtId === districtId;

/** The requesting side: dispatchers of the subtree the order was requested in. */
function canDispatch(actor: Actor, row: OrderRow): boolean {
  return (
    roleCan(actor.role, 'order.dispatch') && inDistrict(actor, row.districtId) && under(row.orgPath, actor.scopePath)
  );
}

/** The assignee side: cadres of the subtree the order is assigned to. */
export function canWork(actor: Actor, row: OrderRow): boolean {
  return (
    roleCan(actor.role, 'order.write') && inDistrict(actor, row.districtId) && under(row.assigneePath, actor.scopePath)
  );
}

export function isVisible(actor: Actor, row: OrderRow): boolean {
  return (
    inDistrict(actor, row.districtId) &&
    (under(row.orgPath, actor.scopePath) || under(row.assigneePath, actor.scopePath))
  );
}

function isOverdue(row: OrderRow, now = Date.now()): boolean {
  if (row.status === 'dispatched' && row.respondDueAt) return new Date(row.respondDueAt).getTime() < now;
  if ((row.status === 'accepted' || row.status === 'in_progress') && row.completeDueAt)
    return new Date(row.completeDueAt).getTime() < now;
  return false;
}

function maskedPhone(pii: PiiCipher, enc: string | null): string | null {
  if (!enc) return null;
  try {
    return maskPhone(pii.decrypt(enc));
  } catch {
    return null;
  }
}

export function toOrder(row: OrderRow, actor: Actor | null, pii: PiiCipher): Order {
  return {
    id: row.id,
    districtId: row.districtId,
    trackingNo: row.trackingNo,
    source: row.source,
    category: row.category,
    title: row.title,
    description: row.description,
    location: row.location,
    address: row.address,
    grid: row.grid,
    org: row.org,
    menuItem: row.menuItem,
    requesterName: row.requesterName,
    requesterPhone: maskedPhone(pii, row.requesterPhoneEnc),
    classification: row.classification,
    status: row.status,
    statusReason: row.statusReason,
    assignee: row.assignee,
    respondDueAt: row.respondDueAt,
    completeDueAt: row.completeDueAt,
    overdue: isOverdue(row),
    dispatchCount: row.dispatchCount,
    completionNote: row.completionNote,
    createdAt: row.createdAt,
    classifiedAt: row.classifiedAt,
    dispatchedAt: row.dispatchedAt,
    acceptedAt: row.acceptedAt,
    startedAt: row.startedAt,
    doneAt: row.doneAt,
    ratedAt: row.ratedAt,
    closedAt: row.closedAt,
    rating: row.rating,
    plannedParticipants: row.plannedParticipants,
    participants: row.participants,
    canDispatch: actor ? canDispatch(actor, row) : false,
    canWork: actor ? canWork(actor, row) : false,
  };
}

/** An order the actor sees; otherwise 404 like a missing one (audited when it exists). */
export async function loadOrder(
  database: Database,
  actor: Actor,
  id: number,
  ex: Executor = database.db,
): Promise<OrderRow> {
  requirePermission(actor, 'order.read');
  const row = await repo.findOrder(ex, id);
  if (row && isVisible(actor, row)) return row;
  if (row) await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'service_order', entityId: id });
  throw new AppError('ORDER_NOT_FOUND');
}

/** A tracking number nobody holds yet (31^6 per day: a clash is rare, the unique index is the backstop). */
async function newTrackingNo(ex: Executor): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const candidate = makeTrackingNo(new Date(), () => crypto.randomInt(0, 1_000_000) / 1_000_000);
    if (!(await repo.trackingNoTaken(ex, candidate))) return candidate;
  }
  throw new Error('could not draw a free tracking number');
}

const accessToken = (pii: PiiCipher, trackingNo: string) => pii.sign(`order:${trackingNo}`);

// ── reads ─────────────────────────────────────────────────────────────────────────────────────

export async function searchOrders(database: Database, pii: PiiCipher, actor: Actor, query: OrderListQuery) {
  requirePermission(actor, 'order.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const { total, items } = await repo.listOrders(database.db, districtId, actor.scopePath, query);
  return { total, items: items.map((r) => toOrder(r, actor, pii)), page: query.page, pageSize: query.pageSize };
}

export async function getOrder(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  const row = await loadOrder(database, actor, id);
  const [events, dispatches, reminders, participantRatings, photos] = await Promise.all([
    repo.listEvents(database.db, id),
    repo.listDispatches(database.db, id),
    more.remindersOf(database.db, id),
    moreRepo.participantRatingCounts(database.db, id),
    orderPhotos(database.db, id),
  ]);
  return { ...toOrder(row, actor, pii), events, dispatches, reminders, participantRatings, photos };
}

// ── creating ──────────────────────────────────────────────────────────────────────────────────

type OrderCreate = z.infer<typeof OrderCreateSchema>;

/** 代点单 an order entered by a cadre: a party & government need, or a resident's request taken on behalf. */
export async function createOrder(database: Database, pii: PiiCipher, actor: Actor, input: OrderCreate) {
  requirePermission(actor, 'order.write');
  if (input.classification && !roleCan(actor.role, 'order.dispatch')) throw new AppError('FORBIDDEN');
  const loadField = async (orgId: number) => {
    try {
      return await loadOrgInScope(database, actor, orgId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') {
        throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
      }
      throw err;
    }
  };
  let org = input.orgId ? await loadField(input.orgId) : null;
  const districtId = org?.districtId ?? actor.districtId;
  if (districtId === null) throw new AppError('VALIDATION', { errors: [{ field: 'orgId', message: 'required' }] });
  if (input.gridId) {
    const grid = await repo.findGridOfDistrict(database.db, districtId, input.gridId);
    if (!grid?.active || !under(grid.orgPath, actor.scopePath)) {
      throw new AppError('GRID_NOT_FOUND', { errors: [{ field: 'gridId', message: 'GRID_NOT_FOUND' }] });
    }
    org ??= await loadField(grid.orgId);
  }
  if (!org) {
    if (actor.orgId === null) throw new AppError('VALIDATION', { errors: [{ field: 'orgId', message: 'required' }] });
    org = await loadField(actor.orgId);
  }
  const requestOrg = org;
  if (input.menuItemId && !(await repo.findMenuItem(database.db, districtId, input.menuItemId))) {
    throw new AppError('MENU_ITEM_NOT_FOUND', { errors: [{ field: 'menuItemId', message: 'MENU_ITEM_NOT_FOUND' }] });
  }
  const phone = input.requesterPhone ?? null;
  return database.db.transaction(async (tx) => {
    const trackingNo = await newTrackingNo(tx);
    const id = await repo.insertOrder(tx, {
      districtId,
      trackingNo,
      source: input.source,
      category: input.category,
      title: input.title,
      description: input.description ?? null,
      location: input.location ?? null,
      address: input.address ?? null,
      gridId: input.gridId ?? null,
      orgId: requestOrg.id,
      menuItemId: input.menuItemId ?? null,
      requesterName: input.requesterName ?? null,
      requesterPhoneEnc: phone ? pii.encrypt(phone) : null,
      requesterPhoneIdx: phone ? pii.blindIndex('phone', phone) : null,
      classification: input.classification ?? null,
      createdBy: actor.accountId,
      clientId: null,
    });
    if (input.plannedParticipants) await moreRepo.setParticipants(tx, id, { planned: input.plannedParticipants });
    const status: OrderStatus = input.classification ? 'classified' : 'submitted';
    await repo.insertEvent(tx, {
      districtId,
      orderId: id,
      accountId: actor.accountId,
      actorKind: 'cadre',
      action: 'create',
      fromStatus: null,
      toStatus: status,
      orgId: requestOrg.id,
    });
    const order = toOrder((await repo.findOrder(tx, id))!, actor, pii);
    await recordAudit(tx, actor, {
      action: 'order.create',
      entity: 'service_order',
      entityId: id,
      districtId,
      after: order,
    });
    return order;
  });
}

const SMS_TTL_SECONDS = 300;
const SMS_MAX_ATTEMPTS = 5;

const codeHash = (pii: PiiCipher, purpose: string, phone: string, code: string) =>
  pii.sign(`sms:${purpose}:${phone}:${code}`);

/** 发送验证码 sends a 6-digit code to a phone: at most one a minute and ten a day per phone. */
export async function sendSmsCode(
  database: Database,
  pii: PiiCipher,
  sms: SmsSender,
  input: z.infer<typeof SmsCodeRequestSchema>,
  ip: string,
) {
  if ((await getDistrictName(database.db, input.districtId)) === null) throw new AppError('DISTRICT_NOT_FOUND');
  const phoneIdx = pii.blindIndex('phone', input.phone);
  const now = Date.now();
  if (
    (await repo.countSmsSince(database.db, phoneIdx, new Date(now - 60_000).toISOString())) >= 1 ||
    (await repo.countSmsSince(database.db, phoneIdx, new Date(now - 86_400_000).toISOString())) >= 10 ||
    // Per IP across restarts and app servers (the route's own limit is per minute and per process).
    (await moreRepo.countSmsOfIpSince(database.db, ip, new Date(now - 3600_000).toISOString())) >=
      Number(process.env.JINGWEI_SMS_IP_HOURLY ?? 60)
  ) {
    throw new AppError('SMS_TOO_FREQUENT');
  }
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  await repo.insertSmsCode(database.db, {
    districtId: input.districtId,
    phoneIdx,
    purpose: input.purpose,
    codeHash: codeHash(pii, input.purpose, input.phone, code),
    expiresAt: new Date(now + SMS_TTL_SECONDS * 1000).toISOString(),
    ip,
  });
  await sms.send(
    input.phone,
    `【经纬】您的验证码是 ${code}，${SMS_TTL_SECONDS / 60} 分钟内有效。如非本人操作请忽略。`,
    {
      code,
    },
  );
  return { sent: true as const, expiresInSeconds: SMS_TTL_SECONDS };
}

/**
 * Checks a code and returns its id (to be used up in the caller's transaction). A wrong code counts
 * an attempt, committed even though the request fails; after five the code is dead.
 */
export async function verifySmsCode(
  database: Database,
  pii: PiiCipher,
  districtId: number,
  phone: string,
  purpose: 'order' | 'rate',
  code: string,
): Promise<number> {
  const outcome = await database.db.transaction(async (tx) => {
    const row = await repo.latestSmsCode(tx, districtId, pii.blindIndex('phone', phone), purpose);
    if (!row || row.expired) return { error: 'SMS_CODE_EXPIRED' as const, id: null };
    if (row.attempts >= SMS_MAX_ATTEMPTS) return { error: 'SMS_CODE_LOCKED' as const, id: null };
    const expected = Buffer.from(row.codeHash);
    const given = Buffer.from(codeHash(pii, purpose, phone, code));
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given)) return { error: null, id: row.id };
    await repo.countSmsAttempt(tx, row.id);
    return { error: 'SMS_CODE_INVALID' as const, id: null };
  });
  if (outcome.error) throw new AppError(outcome.error, { errors: [{ field: 'code', message: outcome.error }] });
  return outcome.id!;
}

/** 群众点单 a resident's request from the public phone page (no account; the phone proven by a code). */
export async function createPublicOrder(
  database: Database,
  pii: PiiCipher,
  districtId: number,
  input: z.infer<typeof PublicOrderCreateSchema>,
  ip = '',
) {
  if ((await getDistrictName(database.db, districtId)) === null) throw new AppError('DISTRICT_NOT_FOUND');
  // 图形验证码 after repeated attempts per IP or per phone in 10 minutes (captcha.service.ts), before the
  // SMS code is even looked at: wrong codes cost attempts too.
  const limits = captchaSettings();
  await requireCaptchaIfNeeded(
    database,
    pii,
    [
      { scope: `order:ip:${ip}`, windowSeconds: 600, captchaAfter: limits.orderIpAfter },
      {
        scope: `order:phone:${pii.blindIndex('phone', input.phone)}`,
        windowSeconds: 600,
        captchaAfter: limits.orderPhoneAfter,
      },
    ],
    input.captcha,
  );
  let gridId: number | null = null;
  let orgId: number | null = null;
  if (input.gridId) {
    const grid = await repo.findGridOfDistrict(database.db, districtId, input.gridId);
    if (!grid?.active) {
      throw new AppError('GRID_NOT_FOUND', { errors: [{ field: 'gridId', message: 'GRID_NOT_FOUND' }] });
    }
    gridId = grid.id;
    orgId = grid.orgId;
  } else if (input.location) {
    const grid = await repo.gridAtPoint(database.db, districtId, input.location.lon, input.location.lat);
    if (grid) {
      gridId = grid.id;
      orgId = grid.orgId;
    }
  }
  orgId ??= (await repo.rootOrgOfDistrict(database.db, districtId))!.id;
  const menu = input.menuItemId ? await repo.findMenuItem(database.db, districtId, input.menuItemId) : null;
  if (input.menuItemId && !menu?.active) {
    throw new AppError('MENU_ITEM_NOT_FOUND', { errors: [{ field: 'menuItemId', message: 'MENU_ITEM_NOT_FOUND' }] });
  }
  const since = new Date(Date.now() - 86_400_000).toISOString();
  const perDay = Number(process.env.JINGWEI_ORDERS_PER_PHONE_DAY ?? 5);
  if ((await moreRepo.countOrdersOfPhoneSince(database.db, pii.blindIndex('phone', input.phone), since)) >= perDay) {
    throw new AppError('ORDERS_TOO_MANY');
  }
  const codeId = await verifySmsCode(database, pii, districtId, input.phone, 'order', input.code);
  // 现场照片 checked by content once the phone is proven, before the transaction: a bad one writes nothing and
  // leaves the code usable for the corrected form.
  const photos = await prepareOrderPhotos(input.photos);
  try {
    return await database.db.transaction(async (tx) => {
      if (!(await repo.consumeSmsCode(tx, codeId))) {
        throw new AppError('SMS_CODE_EXPIRED', { errors: [{ field: 'code', message: 'SMS_CODE_EXPIRED' }] });
      }
      const trackingNo = await newTrackingNo(tx);
      const id = await repo.insertOrder(tx, {
        districtId,
        trackingNo,
        source: menu ? 'menu' : 'resident',
        category: menu ? menu.category : input.category,
        title: input.title,
        description: input.description ?? null,
        location: input.location ?? null,
        address: input.address ?? null,
        gridId,
        orgId: orgId!,
        menuItemId: menu?.id ?? null,
        requesterName: input.name,
        requesterPhoneEnc: pii.encrypt(input.phone),
        requesterPhoneIdx: pii.blindIndex('phone', input.phone),
        classification: null,
        createdBy: null,
        clientId: input.clientId ?? null,
      });
      await repo.insertEvent(tx, {
        districtId,
        orderId: id,
        accountId: null,
        actorKind: 'requester',
        action: 'create',
        fromStatus: null,
        toStatus: 'submitted',
        orgId,
      });
      await recordAudit(tx, null, {
        action: 'order.public_create',
        entity: 'service_order',
        entityId: id,
        districtId,
        after: { trackingNo, source: menu ? 'menu' : 'resident', orgId, gridId, photos: photos.length },
      });
      await insertRequestPhotos(tx, { id, districtId, orgId: orgId! }, photos);
      return { trackingNo, token: accessToken(pii, trackingNo), status: 'submitted' as const };
    });
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code === '23505' && pg.constraint === 'service_orders_client_uq') throw new AppError('ORDER_REPLAYED');
    throw err;
  }
}

// ── public tracking page ──────────────────────────────────────────────────────────────────────

async function loadTracked(database: Database, trackingNo: string): Promise<OrderRow> {
  const row = await repo.findOrderByTracking(database.db, trackingNo);
  if (!row) throw new AppError('ORDER_NOT_FOUND');
  return row;
}

function checkTokenOrLast4(pii: PiiCipher, row: OrderRow, proof: { token?: string; phoneLast4?: string }) {
  if (proof.token && pii.verify(`order:${row.trackingNo}`, proof.token)) return;
  if (proof.phoneLast4 && row.requesterPhoneEnc) {
    const phone = pii.decrypt(row.requesterPhoneEnc);
    const a = Buffer.from(phone.slice(-4));
    const b = Buffer.from(proof.phoneLast4);
    if (a.length === b.length && crypto.timingSafeEqual(a, b)) return;
  }
  throw new AppError('ORDER_ACCESS_DENIED');
}

/** 进度查询 what the requester sees: status, deadlines, the public timeline (no internal notes, no names). */
export async function viewPublicOrder(
  database: Database,
  pii: PiiCipher,
  trackingNo: string,
  proof: z.infer<typeof PublicTrackSchema>,
) {
  const row = await loadTracked(database, trackingNo);
  checkTokenOrLast4(pii, row, proof);
  const events = await repo.listEvents(database.db, row.id);
  return {
    trackingNo: row.trackingNo,
    districtId: row.districtId,
    category: row.category,
    title: row.title,
    status: row.status,
    statusReason: row.status === 'rejected' || row.status === 'cancelled' ? row.statusReason : null,
    assigneeName: row.assignee?.name ?? null,
    createdAt: row.createdAt,
    respondDueAt: row.respondDueAt,
    completeDueAt: row.completeDueAt,
    doneAt: row.doneAt,
    completionNote: row.completionNote,
    canRate: row.status === 'done' && row.rating === null,
    rating: row.rating
      ? { score: row.rating.score, comment: row.rating.comment, createdAt: row.rating.createdAt }
      : null,
    timeline: events.filter((e) => !e.internal).map((e) => ({ action: e.action, toStatus: e.toStatus, at: e.at })),
  };
}

/** The one rating of a completed order, in the caller's transaction. */
async function writeRating(
  tx: Executor,
  orderId: number,
  rating: { score: number; comment: string | null; byKind: 'requester' | 'cadre'; accountId: number | null },
) {
  await repo.lockOrder(tx, orderId);
  const row = (await repo.findOrder(tx, orderId))!;
  if (row.rating || row.status === 'rated') throw new AppError('ORDER_ALREADY_RATED');
  if (!canTransition('rate', row.status) || !row.assignee) throw new AppError('ORDER_STATE');
  await repo.insertRating(tx, {
    districtId: row.districtId,
    orderId,
    orgId: row.assignee.id,
    score: rating.score,
    comment: rating.comment,
    byKind: rating.byKind,
    accountId: rating.accountId,
  });
  await repo.transitionOrder(tx, orderId, ORDER_TRANSITIONS.rate.from, 'rated', { rated_at: sql`now()` });
  await repo.insertEvent(tx, {
    districtId: row.districtId,
    orderId,
    accountId: rating.accountId,
    actorKind: rating.byKind,
    action: 'rate',
    fromStatus: row.status,
    toStatus: 'rated',
    orgId: row.assignee.id,
    note: `${rating.score}★`,
  });
  await more.openReviewIfDissatisfied(tx, {
    districtId: row.districtId,
    orderId,
    orgId: row.assignee.id,
    score: rating.score,
    comment: rating.comment,
    byKind: rating.byKind,
  });
  return row;
}

function ratedTwice(err: unknown): boolean {
  const pg = pgErrorOf(err);
  return pg?.code === '23505' && pg.constraint === 'service_order_ratings_order_uq';
}

/** 评单 by the requester: the tracking page's token, or the phone with a fresh code (purpose rate). */
export async function ratePublicOrder(
  database: Database,
  pii: PiiCipher,
  trackingNo: string,
  input: z.infer<typeof PublicRateSchema>,
) {
  const row = await loadTracked(database, trackingNo);
  let codeId: number | null = null;
  if (!(input.token && pii.verify(`order:${row.trackingNo}`, input.token))) {
    if (!input.phone || !input.code || pii.blindIndex('phone', input.phone) !== row.requesterPhoneIdx) {
      throw new AppError('ORDER_ACCESS_DENIED');
    }
    codeId = await verifySmsCode(database, pii, row.districtId, input.phone, 'rate', input.code);
  }
  try {
    await database.db.transaction(async (tx) => {
      if (codeId !== null && !(await repo.consumeSmsCode(tx, codeId))) {
        throw new AppError('SMS_CODE_EXPIRED', { errors: [{ field: 'code', message: 'SMS_CODE_EXPIRED' }] });
      }
      await writeRating(tx, row.id, {
        score: input.score,
        comment: input.comment ?? null,
        byKind: 'requester',
        accountId: null,
      });
      await recordAudit(tx, null, {
        action: 'order.rate',
        entity: 'service_order',
        entityId: row.id,
        districtId: row.districtId,
        after: { score: input.score, by: 'requester' },
      });
    });
  } catch (err) {
    if (ratedTwice(err)) throw new AppError('ORDER_ALREADY_RATED');
    throw err;
  }
  return viewPublicOrder(database, pii, trackingNo, { token: accessToken(pii, row.trackingNo) });
}

/** 代评 a rating entered by a cadre of the requesting side (on-site or by phone). */
export async function rateOrder(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  input: { score: number; comment?: string },
) {
  requirePermission(actor, 'order.write');
  const row = await loadOrder(database, actor, id);
  if (!under(row.orgPath, actor.scopePath)) throw new AppError('FORBIDDEN');
  try {
    await database.db.transaction(async (tx) => {
      await writeRating(tx, id, {
        score: input.score,
        comment: input.comment ?? null,
        byKind: 'cadre',
        accountId: actor.accountId,
      });
      await recordAudit(tx, actor, {
        action: 'order.rate',
        entity: 'service_order',
        entityId: id,
        districtId: row.districtId,
        after: { score: input.score, by: 'cadre' },
      });
    });
  } catch (err) {
    if (ratedTwice(err)) throw new AppError('ORDER_ALREADY_RATED');
    throw err;
  }
  return getOrder(database, pii, actor, id);
}

// ── workflow ──────────────────────────────────────────────────────────────────────────────────

type Side = 'dispatcher' | 'assignee';

/**
 * One step of the workflow: who may take it (side), the status check and the conditional UPDATE,
 * the dispatch bookkeeping, the timeline event and the audit entry, in one transaction.
 */
async function step(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  action: OrderAction,
  side: Side,
  opts: {
    fields?: (row: OrderRow) => Record<string, SQL | string | number | null>;
    dispatchOutcome?: 'accepted' | 'declined' | 'withdrawn';
    note?: string | null;
    internal?: boolean;
    check?: (row: OrderRow, tx: Executor) => Promise<void> | void;
    after?: (tx: Executor, row: OrderRow) => Promise<void>;
    eventAction?: (row: OrderRow) => string;
    eventOrgId?: (row: OrderRow) => number | null;
  } = {},
) {
  requirePermission(actor, side === 'dispatcher' ? 'order.dispatch' : 'order.write');
  const seen = await loadOrder(database, actor, id);
  const allowed = side === 'dispatcher' ? canDispatch(actor, seen) : canWork(actor, seen);
  if (!allowed) throw new AppError('FORBIDDEN');
  const transition = ORDER_TRANSITIONS[action];
  // The answer is read inside the transaction: after a decline the caller no longer sees the order.
  return database.db.transaction(async (tx) => {
    await repo.lockOrder(tx, id);
    const row = (await repo.findOrder(tx, id))!;
    await opts.check?.(row, tx);
    if (!canTransition(action, row.status)) throw new AppError('ORDER_STATE');
    const moved = await repo.transitionOrder(tx, id, transition.from, transition.to, opts.fields?.(row) ?? {});
    if (!moved) throw new AppError('ORDER_STATE');
    if (opts.dispatchOutcome) await repo.closePendingDispatch(tx, id, opts.dispatchOutcome, opts.note ?? null);
    await opts.after?.(tx, row);
    await repo.insertEvent(tx, {
      districtId: row.districtId,
      orderId: id,
      accountId: actor.accountId,
      actorKind: 'cadre',
      action: opts.eventAction?.(row) ?? action,
      fromStatus: row.status,
      toStatus: transition.to,
      orgId: opts.eventOrgId ? opts.eventOrgId(row) : (row.assignee?.id ?? null),
      note: opts.note ?? null,
      internal: opts.internal ?? false,
    });
    await recordAudit(tx, actor, {
      action: `order.${action}`,
      entity: 'service_order',
      entityId: id,
      districtId: row.districtId,
      before: { status: row.status, assigneeOrgId: row.assignee?.id ?? null },
      after: { status: transition.to, ...(opts.note ? { note: opts.note } : {}) },
    });
    const [updated, events, dispatches] = [
      (await repo.findOrder(tx, id))!,
      await repo.listEvents(tx, id),
      await repo.listDispatches(tx, id),
    ];
    return { ...toOrder(updated, actor, pii), events, dispatches };
  });
}

/** 分类 immediate / non-immediate / hard. */
export function classifyOrder(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  input: { classification: OrderClassification; note?: string },
) {
  return step(database, pii, actor, id, 'classify', 'dispatcher', {
    fields: () => ({ classification: input.classification, classified_at: sql`now()` }),
    note: input.note ?? null,
    internal: true,
  });
}

/** 派单 / 改派 dispatches (or re-dispatches) to an active org of the order's district. */
export async function dispatchOrder(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  input: { assigneeOrgId: number; note?: string; plannedParticipants?: number },
) {
  requirePermission(actor, 'order.dispatch');
  const seen = await loadOrder(database, actor, id);
  const assignee = await repo.findOrgOfDistrict(database.db, seen.districtId, input.assigneeOrgId);
  if (!assignee?.active) {
    throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'assigneeOrgId', message: 'ORG_NOT_FOUND' }] });
  }
  const now = new Date();
  let deadlines: { respondDueAt: Date; completeDueAt: Date } | null = null;
  return step(database, pii, actor, id, 'dispatch', 'dispatcher', {
    check: async (row, tx) => {
      if (!row.classification) {
        throw new AppError('ORDER_NOT_CLASSIFIED', {
          errors: [{ field: 'assigneeOrgId', message: 'ORDER_NOT_CLASSIFIED' }],
        });
      }
      const loop =
        row.dispatchCount >= MAX_DISPATCHES ||
        (row.status === 'dispatched' && row.assignee?.id === assignee.id) ||
        (await repo.declinedBefore(tx, id, assignee.id));
      if (loop) {
        throw new AppError('ORDER_DISPATCH_LOOP', {
          errors: [{ field: 'assigneeOrgId', message: 'ORDER_DISPATCH_LOOP' }],
        });
      }
      // 件件有回音: the district's deadlines of the class.
      deadlines = orderDeadlines(row.classification, now, await more.deadlineHoursOf(tx, row.districtId));
    },
    // A re-dispatch withdraws the pending dispatch before the new one is written.
    dispatchOutcome: 'withdrawn',
    fields: (row) => {
      const d = deadlines ?? orderDeadlines(row.classification ?? 'immediate', now);
      return {
        assignee_org_id: assignee.id,
        dispatched_at: now.toISOString(),
        respond_due_at: d.respondDueAt.toISOString(),
        complete_due_at: d.completeDueAt.toISOString(),
        dispatch_count: sql`dispatch_count + 1`,
        accepted_at: null,
        started_at: null,
        status_reason: null,
      };
    },
    after: async (tx, row) => {
      await repo.insertDispatch(tx, {
        districtId: row.districtId,
        orderId: id,
        orgId: assignee.id,
        by: actor.accountId,
        dispatchedAt: now.toISOString(),
        respondDueAt: deadlines!.respondDueAt.toISOString(),
      });
      await more.scheduleDeadlineJobs(tx, id, row.dispatchCount + 1, deadlines!);
      if (input.plannedParticipants) await moreRepo.setParticipants(tx, id, { planned: input.plannedParticipants });
    },
    eventAction: (row) => (row.dispatchCount > 0 ? 'redispatch' : 'dispatch'),
    eventOrgId: () => assignee.id,
    note: input.note ?? null,
    internal: false,
  });
}

export function acceptOrder(database: Database, pii: PiiCipher, actor: Actor, id: number, note?: string) {
  return step(database, pii, actor, id, 'accept', 'assignee', {
    fields: () => ({ accepted_at: sql`now()` }),
    dispatchOutcome: 'accepted',
    note: note ?? null,
  });
}

/** 退回 the assignee declines with a reason; the order goes back to the dispatcher. */
export function declineOrder(database: Database, pii: PiiCipher, actor: Actor, id: number, reason: string) {
  return step(database, pii, actor, id, 'decline', 'assignee', {
    fields: () => ({ assignee_org_id: null, status_reason: reason, respond_due_at: null, complete_due_at: null }),
    dispatchOutcome: 'declined',
    note: reason,
    internal: true,
  });
}

export function startOrder(database: Database, pii: PiiCipher, actor: Actor, id: number, note?: string) {
  return step(database, pii, actor, id, 'start', 'assignee', {
    fields: () => ({ started_at: sql`now()` }),
    note: note ?? null,
  });
}

export async function completeOrder(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  note?: string,
  participants?: number,
  photoUploads?: readonly PhotoUpload[],
) {
  requirePermission(actor, 'order.write');
  // 完成照片 checked before the step's transaction and stored inside it (order-photos.service.ts).
  const photos = await prepareOrderPhotos(photoUploads);
  return step(database, pii, actor, id, 'complete', 'assignee', {
    fields: () => ({
      done_at: sql`now()`,
      completion_note: note ?? null,
      ...(participants === undefined ? {} : { participants }),
    }),
    note: note ?? null,
    after: photos.length ? (tx, row) => insertWorkPhotos(tx, row, actor, photos) : undefined,
  });
}

/** 不予受理 the dispatcher refuses a need (spam, out of remit) with the reason shown to the requester. */
export function rejectOrder(database: Database, pii: PiiCipher, actor: Actor, id: number, reason: string) {
  return step(database, pii, actor, id, 'reject', 'dispatcher', {
    fields: () => ({ status_reason: reason, closed_at: sql`now()` }),
    note: reason,
  });
}

export function cancelOrder(database: Database, pii: PiiCipher, actor: Actor, id: number, reason: string) {
  return step(database, pii, actor, id, 'cancel', 'dispatcher', {
    fields: () => ({ status_reason: reason, closed_at: sql`now()`, assignee_org_id: null }),
    dispatchOutcome: 'withdrawn',
    note: reason,
  });
}

// ── suggestions ───────────────────────────────────────────────────────────────────────────────

/** 推荐承接方 candidates ranked by category, distance, workload and past satisfaction, with the score parts. */
export async function suggestAssignees(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'order.dispatch');
  const row = await loadOrder(database, actor, id);
  if (!canDispatch(actor, row)) throw new AppError('FORBIDDEN');
  const kinds = row.classification
    ? CLASS_ORG_KINDS[row.classification]
    : [...new Set(ORDER_CLASSIFICATIONS.flatMap((c) => CLASS_ORG_KINDS[c]))];
  const candidates = await repo.listCandidates(database.db, row, kinds);
  const ranked = rankSuggestions(
    candidates.filter((c) => c.orgId !== row.org.id || c.categoryMatch),
    row.classification,
  ).slice(0, 20);
  return {
    weights: { ...SUGGESTION_WEIGHTS },
    items: ranked.map((c) => ({
      org: { id: c.orgId, name: c.orgName, kind: c.orgKind },
      score: c.score,
      components: c.components,
      categoryMatch: c.categoryMatch,
      distanceMeters: c.distanceMeters,
      openOrders: c.openOrders,
      ratings: c.ratings,
      satisfactionRate: c.ratings > 0 ? c.satisfied / c.ratings : null,
      declinedBefore: c.declinedBefore,
    })),
  };
}

// ── two rates ─────────────────────────────────────────────────────────────────────────────────

/** 两率 attraction and satisfaction (and response) rates per org, town or service of the caller's scope in [from, to). */
export async function getRates(database: Database, actor: Actor, query: z.infer<typeof RatesQuerySchema>) {
  requirePermission(actor, 'order.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const now = new Date();
  const from = query.from ? new Date(query.from) : more.shanghaiYearStart(more.shanghaiYear(now));
  const to = query.to ? new Date(query.to) : more.shanghaiYearStart(more.shanghaiYear(from) + 1);
  if (to.getTime() <= from.getTime()) {
    throw new AppError('VALIDATION', { errors: [{ field: 'to', message: 'venue.rangeOrder' }] });
  }
  return more.computeRates(database.db, districtId, actor.scopePath, { from, to }, query.groupBy, now);
}

// ── public lists ──────────────────────────────────────────────────────────────────────────────

/** 需求清单 the district's needs without personal data. */
export async function getPublicNeeds(
  database: Database,
  districtId: number,
  query: z.infer<typeof PublicNeedQuerySchema>,
) {
  const districtName = await getDistrictName(database.db, districtId);
  if (districtName === null) throw new AppError('DISTRICT_NOT_FOUND');
  return { districtId, districtName, items: await repo.listPublicNeeds(database.db, districtId, query) };
}

/** 服务清单 共青团所能: the active offered services of the district. */
export async function getPublicMenu(database: Database, districtId: number) {
  const districtName = await getDistrictName(database.db, districtId);
  if (districtName === null) throw new AppError('DISTRICT_NOT_FOUND');
  const rows = await repo.listMenu(database.db, districtId, { active: 'true' });
  return {
    districtId,
    districtName,
    items: rows.map((r) => ({
      id: r.id,
      category: r.category,
      title: r.title,
      description: r.description,
      orgName: r.org.name,
    })),
  };
}

// ── service menu (console) ────────────────────────────────────────────────────────────────────

const toMenuItem = ({ orgPath: _p, ...rest }: repo.MenuRow) => rest;

export async function searchMenu(database: Database, actor: Actor, query: z.infer<typeof MenuListQuerySchema>) {
  requirePermission(actor, 'order.read');
  const districtId = resolveDistrict(actor, query.districtId);
  return { items: (await repo.listMenu(database.db, districtId, query)).map(toMenuItem) };
}

export async function createMenuItem(database: Database, actor: Actor, input: z.infer<typeof MenuItemCreateSchema>) {
  requirePermission(actor, 'order.write');
  let org: Awaited<ReturnType<typeof loadOrgInScope>>;
  try {
    org = await loadOrgInScope(database, actor, input.orgId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') {
      throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
    }
    throw err;
  }
  if (!org.active) throw new AppError('ORG_INACTIVE', { errors: [{ field: 'orgId', message: 'ORG_INACTIVE' }] });
  return database.db.transaction(async (tx) => {
    const id = await repo.insertMenuItem(tx, {
      districtId: org.districtId,
      orgId: org.id,
      category: input.category,
      title: input.title,
      description: input.description ?? null,
    });
    const item = toMenuItem((await repo.findMenuItem(tx, org.districtId, id))!);
    await recordAudit(tx, actor, {
      action: 'menu.create',
      entity: 'service_menu_item',
      entityId: id,
      districtId: org.districtId,
      after: item,
    });
    return item;
  });
}

export async function updateMenuItem(
  database: Database,
  actor: Actor,
  id: number,
  patch: z.infer<typeof MenuItemUpdateSchema>,
) {
  requirePermission(actor, 'order.write');
  const found =
    actor.districtId === null
      ? await findMenuAnyDistrict(database, id)
      : await repo.findMenuItem(database.db, actor.districtId, id);
  if (!found || !under(found.orgPath, actor.scopePath)) {
    if (found)
      await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'service_menu_item', entityId: id });
    throw new AppError('MENU_ITEM_NOT_FOUND');
  }
  return database.db.transaction(async (tx) => {
    await repo.updateMenuItem(tx, id, patch);
    const after = toMenuItem((await repo.findMenuItem(tx, found.districtId, id))!);
    await recordAudit(tx, actor, {
      action: 'menu.update',
      entity: 'service_menu_item',
      entityId: id,
      districtId: found.districtId,
      before: toMenuItem(found),
      after,
    });
    return after;
  });
}

/** Platform admins name no district: find the item wherever it is. */
async function findMenuAnyDistrict(database: Database, id: number) {
  const r = await database.query<{ district_id: number }>('SELECT district_id FROM service_menu_items WHERE id = $1', [
    id,
  ]);
  return r[0] ? repo.findMenuItem(database.db, r[0].district_id, id) : undefined;
}
