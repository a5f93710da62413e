import { roleCan } from '../../../domain/account.ts';
import {
  checkReply,
  DEFAULT_TARGET_ORG_KINDS,
  deadlineSecondsOf,
  escalationDueAt,
  type InboxItem,
  isOnTime,
  MAX_ATTACHMENT_BYTES,
  type NoticeCorrection,
  type NoticePriority,
  type NoticeSend,
  type NoticeSettingsValues,
  type NoticeStreamEvent,
  nextEscalationLevel,
  type Reply,
  resendChannelOf,
  summariseReach,
} from '../../../domain/notice.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type AfterCommit, enqueueJob, type JobQueue } from '../../jobs/queue.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findRootOrg, type OrgRow } from '../orgs/orgs.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import type { ChannelSet } from './channels.ts';
import type { NoticeHub } from './notice-hub.ts';
import * as repo from './notices.repository.ts';

export const DEADLINE_JOB = 'notice.deadline';

/** What the notice service needs besides the database: the live hub, the channels, the queue, a clock. */
export type NoticeRuntime = {
  database: Database;
  hub: NoticeHub;
  channels: ChannelSet;
  jobs: JobQueue;
  now: () => Date;
  /** Tells the other app servers about a live event (PostgreSQL NOTIFY); absent on a single process. */
  relay?: (message: FanoutMessage) => Promise<void>;
  log?: { error(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void };
};

/** A live event, delivered by every app server to the accounts connected to it. */
export type FanoutMessage =
  | { t: 'notice'; noticeId: number }
  | { t: 'ack'; to: number; event: NoticeStreamEvent }
  | { t: 'escalation'; noticeId: number; level: number };

/** Pushes a live event to the streams open on this process. Returns how many events were written. */
export async function deliverLocally(rt: NoticeRuntime, m: FanoutMessage): Promise<number> {
  if (m.t === 'notice') return pushNotice(rt, m.noticeId);
  if (m.t === 'ack') return rt.hub.publish(m.to, m.event);
  return pushEscalation(rt, m.noticeId, m.level);
}

/** Delivers a committed event here and relays it to the other app servers. */
export async function fanout(rt: NoticeRuntime, m: FanoutMessage): Promise<number> {
  const n = await deliverLocally(rt, m);
  await rt.relay?.(m).catch((err) => rt.log?.warn({ err }, 'notice relay failed'));
  return n;
}

// Settings -------------------------------------------------------------------------------------

export async function getSettings(rt: NoticeRuntime, actor: Actor, requestedDistrict?: number) {
  requirePermission(actor, 'notice.read');
  const districtId = resolveDistrict(actor, requestedDistrict);
  return { districtId, ...(await repo.getNoticeSettings(rt.database.db, districtId)) };
}

/** District deadlines: district and platform admins only. */
export async function updateSettings(
  rt: NoticeRuntime,
  actor: Actor,
  input: Partial<NoticeSettingsValues> & { districtId?: number },
) {
  requirePermission(actor, 'notice.manage');
  if (actor.role !== 'district_admin' && actor.role !== 'platform_admin') throw new AppError('FORBIDDEN');
  const districtId = resolveDistrict(actor, input.districtId);
  const db = rt.database.db;
  const before = await repo.getNoticeSettings(db, districtId);
  const after: NoticeSettingsValues = {
    urgentSeconds: input.urgentSeconds ?? before.urgentSeconds,
    generalSeconds: input.generalSeconds ?? before.generalSeconds,
  };
  return db.transaction(async (tx) => {
    await repo.saveNoticeSettings(tx, districtId, after);
    await recordAudit(tx, actor, {
      action: 'notice.settings',
      entity: 'notice_settings',
      entityId: districtId,
      districtId,
      before,
      after,
    });
    return { districtId, ...after };
  });
}

// Sending --------------------------------------------------------------------------------------

/** The org a notice is sent from: the sender's own, or the district root for a platform admin. */
async function senderOrgOf(rt: NoticeRuntime, actor: Actor, districtId: number): Promise<OrgRow> {
  if (actor.orgId) return loadOrgInScope(rt.database, actor, actor.orgId);
  const root = await findRootOrg(rt.database.db, districtId);
  if (!root) throw new AppError('DISTRICT_NOT_FOUND');
  return root;
}

function decodeAttachments(input: NoticeSend['attachments']) {
  const errors: FieldError[] = [];
  const files = input.map((a, i) => {
    const data = Buffer.from(a.dataBase64, 'base64');
    if (data.length > MAX_ATTACHMENT_BYTES)
      errors.push({ field: `attachments.${i}.dataBase64`, message: 'NOTICE_ATTACHMENT_TOO_LARGE' });
    return { name: a.name, mimeType: a.mimeType, data };
  });
  if (errors.length) throw new AppError('NOTICE_ATTACHMENT_TOO_LARGE', { errors });
  return files;
}

function emptyTargetError(reason: string): AppError {
  return new AppError('NOTICE_TARGET_EMPTY', { detail: reason, errors: [{ field: 'target', message: reason }] });
}

/** Checks chosen orgs and grids: every one must lie inside the scope (404 naming the entry otherwise). */
async function checkChosen(rt: NoticeRuntime, actor: Actor, districtId: number, orgIds: number[], gridIds: number[]) {
  const db = rt.database.db;
  const orgs = await repo.orgIdsInScope(db, actor, districtId, orgIds);
  const grids = await repo.gridIdsInScope(db, actor, districtId, gridIds);
  const errors: FieldError[] = [];
  orgIds.forEach((id, i) => {
    if (!orgs.has(id)) errors.push({ field: `target.orgIds.${i}`, message: 'ORG_NOT_FOUND' });
  });
  gridIds.forEach((id, i) => {
    if (!grids.has(id)) errors.push({ field: `target.gridIds.${i}`, message: 'GRID_NOT_FOUND' });
  });
  if (errors.length) {
    await recordAudit(db, actor, {
      action: 'scope.denied',
      entity: 'notice_target',
      after: { orgIds: orgIds.filter((id) => !orgs.has(id)), gridIds: gridIds.filter((id) => !grids.has(id)) },
    });
    throw new AppError(errors[0].message === 'ORG_NOT_FOUND' ? 'ORG_NOT_FOUND' : 'GRID_NOT_FOUND', { errors });
  }
}

/**
 * 发送通知 Stores the notice and one receipt row per reached org and grid in ONE transaction (one
 * INSERT … SELECT over the subtree), schedules its deadline job in the same transaction, and only
 * then pushes it to the connected cadres: a crash never loses a notice somebody was told about.
 */
export async function sendNotice(rt: NoticeRuntime, actor: Actor, input: NoticeSend) {
  requirePermission(actor, 'notice.send');
  const districtId = resolveDistrict(actor, input.districtId);
  const senderOrg = await senderOrgOf(rt, actor, districtId);
  if (senderOrg.districtId !== districtId) throw new AppError('DISTRICT_NOT_FOUND');
  const files = decodeAttachments(input.attachments);
  const zh = actor.lang === 'zh-CN';
  let selection: repo.TargetSelection;
  let emptyReason: string;
  const target = input.target;
  if (target.mode === 'subtree') {
    const root = target.rootOrgId ? await loadOrgInScope(rt.database, actor, target.rootOrgId) : senderOrg;
    if (root.districtId !== districtId)
      throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'target.rootOrgId', message: 'ORG_NOT_FOUND' }] });
    const orgKinds = target.orgKinds ?? DEFAULT_TARGET_ORG_KINDS;
    selection = {
      mode: 'subtree',
      rootPath: root.path,
      orgKinds,
      includeGrids: target.includeGrids,
      gridKinds: target.gridKinds ?? null,
      excludeOrgId: senderOrg.id,
    };
    emptyReason = zh
      ? `“${root.name}”及其下级中没有所选类型的在用组织${target.includeGrids ? '或网格' : ''}（发送者本级不计在内）`
      : `"${root.name}" has no active organisation of the chosen kinds${target.includeGrids ? ' and no grid' : ''} below it (the sender's own org is not a target)`;
  } else {
    if (!target.orgIds.length && !target.gridIds.length) {
      throw emptyTargetError(zh ? '没有选择任何组织或网格' : 'No organisation or grid was chosen');
    }
    await checkChosen(rt, actor, districtId, target.orgIds, target.gridIds);
    selection = { mode: 'chosen', orgIds: [...new Set(target.orgIds)], gridIds: [...new Set(target.gridIds)] };
    emptyReason = zh ? '所选组织和网格均已停用' : 'Every chosen organisation and grid is deactivated';
  }
  const settings = await repo.getNoticeSettings(rt.database.db, districtId);
  const deadlineSeconds = deadlineSecondsOf(input.priority, settings);
  const now = rt.now();
  const id = await rt.database.db.transaction(async (tx) => {
    const noticeId = await repo.insertNotice(tx, {
      districtId,
      senderAccountId: actor.accountId,
      senderOrgId: senderOrg.id,
      title: input.title,
      body: input.body,
      priority: input.priority,
      deadlineSeconds,
      replySpec: input.replySpec ?? null,
      targetSpec: input.target,
      sentAt: now,
      correctionOf: null,
    });
    for (const f of files) await repo.insertAttachment(tx, districtId, noticeId, f);
    const count = await repo.insertTargets(
      tx,
      actor,
      { noticeId, districtId, deadlineAt: new Date(now.getTime() + deadlineSeconds * 1000) },
      selection,
    );
    if (!count) throw emptyTargetError(emptyReason);
    await repo.setTargetCount(tx, noticeId, count);
    await enqueueJob(tx, DEADLINE_JOB, { noticeId, level: 1 }, escalationDueAt(now, deadlineSeconds, 1));
    await recordAudit(tx, actor, {
      action: 'notice.send',
      entity: 'notice',
      entityId: noticeId,
      districtId,
      after: {
        title: input.title,
        priority: input.priority,
        deadlineSeconds,
        targetCount: count,
        target: input.target,
      },
    });
    return noticeId;
  });
  await fanout(rt, { t: 'notice', noticeId: id });
  return getNotice(rt, actor, id);
}

/**
 * Pushes a committed notice to every connected cadre responsible for one of its targets. Reads only
 * the targets of connected accounts. Returns how many events were written.
 */
export async function pushNotice(rt: NoticeRuntime, noticeId: number): Promise<number> {
  const connected = rt.hub.connectedAccountIds();
  if (!connected.length) return 0;
  const notice = await repo.findNoticeForJob(rt.database.db, noticeId);
  if (!notice) return 0;
  const targets = await repo.targetsForAccounts(rt.database.db, noticeId, connected);
  const online = new Set(connected);
  let pushed = 0;
  for (const t of targets) {
    const event: NoticeStreamEvent = {
      type: 'notice',
      targetId: t.id,
      noticeId,
      title: notice.title,
      priority: notice.priority,
      deadlineAt: t.deadlineAt,
      correctionOf: notice.correctionOf,
    };
    for (const accountId of t.accounts) if (online.has(accountId)) pushed += rt.hub.publish(accountId, event);
  }
  return pushed;
}

/** 更正 A correction: a new notice to the same targets, linked to the original, which stops escalating. */
export async function correctNotice(rt: NoticeRuntime, actor: Actor, id: number, input: NoticeCorrection) {
  requirePermission(actor, 'notice.send');
  const original = await loadNotice(rt, actor, id);
  if (original.supersededBy) throw new AppError('NOTICE_SUPERSEDED');
  const senderOrg = await senderOrgOf(rt, actor, original.districtId);
  const priority = input.priority ?? original.priority;
  const settings = await repo.getNoticeSettings(rt.database.db, original.districtId);
  const deadlineSeconds = deadlineSecondsOf(priority, settings);
  const now = rt.now();
  const newId = await rt.database.db.transaction(async (tx) => {
    const noticeId = await repo.insertNotice(tx, {
      districtId: original.districtId,
      senderAccountId: actor.accountId,
      senderOrgId: senderOrg.id,
      title: input.title,
      body: input.body,
      priority,
      deadlineSeconds,
      replySpec: input.replySpec === undefined ? original.replySpec : input.replySpec,
      targetSpec: original.targetSpec,
      sentAt: now,
      correctionOf: id,
    });
    // Only one correction of a version: a racing second one finds it superseded.
    const claimed = await repo.claimSupersede(tx, id, noticeId);
    if (!claimed) throw new AppError('NOTICE_SUPERSEDED');
    await repo.copyAttachments(tx, id, noticeId);
    const count = await repo.copyTargets(tx, id, noticeId, new Date(now.getTime() + deadlineSeconds * 1000));
    await repo.setTargetCount(tx, noticeId, count);
    await enqueueJob(tx, DEADLINE_JOB, { noticeId, level: 1 }, escalationDueAt(now, deadlineSeconds, 1));
    await recordAudit(tx, actor, {
      action: 'notice.correct',
      entity: 'notice',
      entityId: noticeId,
      districtId: original.districtId,
      before: { id, title: original.title, body: original.body },
      after: { id: noticeId, title: input.title, body: input.body, priority },
    });
    return noticeId;
  });
  await fanout(rt, { t: 'notice', noticeId: newId });
  return getNotice(rt, actor, newId);
}

// Reading --------------------------------------------------------------------------------------

/** A notice the actor may read as a sender: its sender org lies inside the actor's subtree (404 + audit otherwise). */
async function loadNotice(rt: NoticeRuntime, actor: Actor, id: number) {
  const row = await repo.findNoticeInScope(rt.database.db, actor, id);
  if (row) return row;
  if (await repo.noticeExists(rt.database.db, id)) {
    await recordAudit(rt.database.db, actor, { action: 'scope.denied', entity: 'notice', entityId: id });
  }
  throw new AppError('NOTICE_NOT_FOUND');
}

function toNotice(row: repo.NoticeRow, attachments: { id: number; name: string; mimeType: string; size: number }[]) {
  const { senderOrgPath: _p, ...rest } = row;
  return { ...rest, attachments };
}

export async function getNotice(rt: NoticeRuntime, actor: Actor, id: number) {
  requirePermission(actor, 'notice.send');
  const row = await loadNotice(rt, actor, id);
  const attachments = (await repo.listAttachments(rt.database.db, [id])).get(id) ?? [];
  const history = await repo.noticeHistory(rt.database.db, id);
  return { ...toNotice(row, attachments), history: history.map((h) => ({ ...h, current: h.id === id })) };
}

export async function listNotices(
  rt: NoticeRuntime,
  actor: Actor,
  q: { districtId?: number; priority?: NoticePriority; page: number; pageSize: number },
) {
  requirePermission(actor, 'notice.send');
  const districtId = resolveDistrict(actor, q.districtId);
  const { total, items } = await repo.listNotices(rt.database.db, actor, districtId, q);
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    items: items.map(({ senderOrgPath: _p, body: _b, targetSpec: _t, ...rest }) => rest),
  };
}

/** An attachment: for the sender side, or for a cadre the notice reached. */
export async function getAttachment(rt: NoticeRuntime, actor: Actor, noticeId: number, attachmentId: number) {
  requirePermission(actor, 'notice.read');
  const db = rt.database.db;
  const visible =
    (roleCan(actor.role, 'notice.send') && (await repo.findNoticeInScope(db, actor, noticeId))) ||
    (await repo.isRecipient(db, noticeId, actor.accountId));
  if (!visible) {
    if (await repo.noticeExists(db, noticeId))
      await recordAudit(db, actor, { action: 'scope.denied', entity: 'notice', entityId: noticeId });
    throw new AppError('NOTICE_NOT_FOUND');
  }
  const file = await repo.readAttachment(db, noticeId, attachmentId);
  if (!file) throw new AppError('ATTACHMENT_NOT_FOUND');
  return file;
}

// Inbox and acknowledgement ---------------------------------------------------------------------

export async function getInbox(
  rt: NoticeRuntime,
  actor: Actor,
  q: { status: 'pending' | 'acknowledged' | 'all'; limit: number },
): Promise<{ items: InboxItem[]; pending: number }> {
  requirePermission(actor, 'notice.read');
  const { items, pending } = await repo.listInbox(rt.database.db, actor.accountId, actor.districtId, q);
  const attachments = await repo.listAttachments(rt.database.db, [...new Set(items.map((t) => t.noticeId))]);
  return {
    pending,
    items: items.map((t) => ({
      targetId: t.id,
      noticeId: t.noticeId,
      title: t.notice.title,
      body: t.notice.body,
      priority: t.notice.priority,
      sender: t.notice.sender,
      senderOrg: t.notice.senderOrg,
      sentAt: t.notice.sentAt,
      deadlineAt: t.deadlineAt,
      org: { id: t.orgId, name: t.orgName },
      grid: t.grid,
      replySpec: t.notice.replySpec,
      acknowledgedAt: t.acknowledgedAt,
      reply: t.reply,
      correctionOf: t.notice.correctionOf,
      supersededBy: t.notice.supersededBy,
      escalationLevel: t.escalationLevel,
      attachments: attachments.get(t.noticeId) ?? [],
    })),
  };
}

/**
 * 确认收到 One tap by the responsible cadre of the org or grid, or by an admin above it. A second
 * tap is idempotent (it may add a reply that was not given yet). Someone else inside the scope gets
 * 403; outside it, the receipt is answered as missing (404).
 */
export async function acknowledge(
  rt: NoticeRuntime,
  actor: Actor,
  targetId: number,
  input: { channel: string; reply?: Reply },
) {
  requirePermission(actor, 'notice.read');
  const db = rt.database.db;
  const t = await repo.findTargetForAck(db, targetId);
  if (!t || (actor.districtId !== null && t.districtId !== actor.districtId)) {
    if (t) await recordAudit(db, actor, { action: 'scope.denied', entity: 'notice_target', entityId: targetId });
    throw new AppError('NOTICE_TARGET_NOT_FOUND');
  }
  const inScope = actor.scopePath === null || t.orgPath.startsWith(actor.scopePath);
  const responsible = t.responsibleAccountIds.includes(actor.accountId);
  // An admin above: the grid's org or an org strictly below the admin's own.
  const above = roleCan(actor.role, 'notice.send') && inScope && (t.gridId !== null || t.orgId !== actor.orgId);
  if (!responsible && !above) {
    if (!inScope) {
      await recordAudit(db, actor, { action: 'scope.denied', entity: 'notice_target', entityId: targetId });
      throw new AppError('NOTICE_TARGET_NOT_FOUND');
    }
    throw new AppError('NOTICE_NOT_RESPONSIBLE');
  }
  const reply = input.reply ?? null;
  if (reply) {
    const errors = checkReply(t.replySpec, reply);
    if (errors.length) throw new AppError('NOTICE_REPLY_INVALID', { errors });
  }
  const now = rt.now();
  const state = await db.transaction(async (tx) => {
    const state = await repo.acknowledgeTarget(tx, targetId, actor.accountId, input.channel, reply, now);
    if (state.first || reply) {
      await recordAudit(tx, actor, {
        action: state.first ? 'notice.ack' : 'notice.reply',
        entity: 'notice_target',
        entityId: targetId,
        districtId: t.districtId,
        after: { noticeId: t.noticeId, channel: input.channel, reply },
      });
    }
    return state;
  });
  if (state.first) {
    await fanout(rt, {
      t: 'ack',
      to: t.senderAccountId,
      event: { type: 'ack', noticeId: t.noticeId, targetId, acknowledgedAt: state.acknowledgedAt },
    });
  }
  return {
    targetId,
    noticeId: t.noticeId,
    acknowledgedAt: state.acknowledgedAt,
    acknowledgedBy: state.acknowledgedBy,
    channel: state.channel,
    onTime: isOnTime(new Date(state.acknowledgedAt), new Date(state.deadlineAt)),
    firstAck: state.first,
    reply: state.reply,
  };
}

// Reports --------------------------------------------------------------------------------------

/** 到达报告 reach of one notice, live while it runs. */
export async function getReport(rt: NoticeRuntime, actor: Actor, id: number) {
  requirePermission(actor, 'notice.send');
  const notice = await loadNotice(rt, actor, id);
  const now = rt.now();
  const receipts = await repo.listReceiptsForReport(rt.database.db, id);
  const elapsed = Math.max(0, (now.getTime() - new Date(notice.sentAt).getTime()) / 1000);
  const { total, levels } = summariseReach(receipts, notice.deadlineSeconds, elapsed);
  const { level: _l, timeline, ...totals } = total;
  return {
    noticeId: id,
    priority: notice.priority,
    deadlineSeconds: notice.deadlineSeconds,
    sentAt: notice.sentAt,
    elapsedSeconds: elapsed,
    total: {
      ...totals,
      escalated: receipts.filter((r) => r.escalated).length,
      replies: receipts.filter((r) => r.replied).length,
    },
    levels,
    timeline,
    lateList: await repo.listLate(rt.database.db, id, now),
  };
}

/** The first instant of a month in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghaiMonthStart(year: number, month: number): string {
  return new Date(Date.UTC(year, month - 1, 1, -8)).toISOString();
}

/** 月度及时率 on-time rate per town for the notices of a month (feeds the assessment). */
export async function getOnTimeByTown(rt: NoticeRuntime, actor: Actor, q: { districtId?: number; month: string }) {
  requirePermission(actor, 'notice.send');
  const districtId = resolveDistrict(actor, q.districtId);
  const [y, m] = q.month.split('-').map(Number);
  const from = shanghaiMonthStart(y, m);
  const to = m === 12 ? shanghaiMonthStart(y + 1, 1) : shanghaiMonthStart(y, m + 1);
  return { month: q.month, towns: await repo.onTimeByTown(rt.database.db, actor, districtId, from, to, rt.now()) };
}

// Deadlines ------------------------------------------------------------------------------------

/**
 * The deadline job of a notice (one per notice and level, never one per receipt): escalates every
 * receipt still unacknowledged at that deadline, schedules the next level, and after commit pushes
 * the alerts to connected instructors and lets the outbox send the re-sends.
 */
export async function runDeadlineJob(
  rt: NoticeRuntime,
  ex: Executor,
  payload: { noticeId: number; level: number },
  now: Date,
): Promise<AfterCommit> {
  const notice = await repo.findNoticeForJob(ex, payload.noticeId);
  if (!notice || notice.supersededBy) return undefined;
  const level = payload.level;
  const escalated = await repo.escalateLate(ex, notice, level, resendChannelOf(level), now);
  const next = nextEscalationLevel(level);
  if (next !== null && (await repo.countUnacknowledged(ex, notice.id)) > 0) {
    await enqueueJob(
      ex,
      DEADLINE_JOB,
      { noticeId: notice.id, level: next },
      escalationDueAt(notice.sentAt, notice.deadlineSeconds, next),
    );
  }
  if (!escalated) return undefined;
  return async () => {
    await fanout(rt, { t: 'escalation', noticeId: notice.id, level });
    await dispatchDeliveries(rt);
  };
}

/** Pushes the escalation alerts of one level to the instructors connected here. */
async function pushEscalation(rt: NoticeRuntime, noticeId: number, level: number): Promise<number> {
  const connected = rt.hub.connectedAccountIds();
  if (!connected.length) return 0;
  const notice = await repo.findNoticeForJob(rt.database.db, noticeId);
  if (!notice) return 0;
  const online = new Set(connected);
  let pushed = 0;
  for (const a of await repo.alertsForAccounts(rt.database.db, noticeId, level, connected)) {
    for (const accountId of a.accounts) {
      if (online.has(accountId)) {
        pushed += rt.hub.publish(accountId, {
          type: 'escalation',
          noticeId,
          targetId: a.targetId,
          level,
          orgName: a.name,
          title: notice.title,
        });
      }
    }
  }
  return pushed;
}

/** Hands pending outbox rows to their channel adapters (each batch in one transaction). */
export async function dispatchDeliveries(rt: NoticeRuntime, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await rt.database.db.transaction(async (tx) => {
      const rows = await repo.takePendingDeliveries(tx, batch);
      for (const d of rows) {
        const adapter = rt.channels[d.channel as keyof ChannelSet] ?? rt.channels.in_app;
        const place = d.gridName ?? d.orgName ?? '';
        const tag = d.priority === 'urgent' ? '【紧急】' : '【通知】';
        const text =
          d.purpose === 'alert'
            ? `${tag}${place}未在时限内确认“${d.title}”，请督促落实。`
            : `${tag}${d.title}——请尽快登录经纬平台确认收到。`;
        try {
          const outcome = await adapter.send({
            deliveryId: d.id,
            channel: d.channel as 'sms',
            accountId: d.accountId,
            username: d.username,
            text,
          });
          await repo.finishDelivery(tx, d.id, outcome.status, outcome.detail);
        } catch (err) {
          rt.log?.warn({ err, delivery: d.id }, 'notice delivery failed');
          await repo.finishDelivery(tx, d.id, 'failed', String((err as Error)?.message ?? err));
        }
      }
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
