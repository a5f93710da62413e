import { type SQL, sql } from 'drizzle-orm';
import type { GridKind } from '../../../domain/grid.ts';
import {
  DEFAULT_NOTICE_SETTINGS,
  LEVEL_OF_ORG_KIND,
  type NoticeLevel,
  type NoticePriority,
  type NoticeSettingsValues,
  type Reply,
  type ReplySpec,
} from '../../../domain/notice.ts';
import type { OrgKind } from '../../../domain/org.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

/**
 * SQL of the notices module. Besides its own tables it reads `orgs` (the tree, the scope), `accounts`
 * (who is a cadre of an org) and `grids` (a grid's leader and responsible org): choosing the targets
 * and their responsible cadres is one set-based INSERT … SELECT over the subtree, which a call per
 * target through the other modules' services could not do at 100,000 targets.
 */

/** Roles of accounts that answer for the org they are bound to. */
const CADRE_ROLES = sql`('district_admin', 'org_admin', 'grid_leader')`;
/** Roles alerted when an org below them is late. */
const SUPERVISOR_ROLES = sql`('district_admin', 'org_admin')`;

/** A PostgreSQL int[] parameter (ids are validated integers). */
export function intArray(ids: readonly number[]): SQL {
  return sql`${`{${ids.map((n) => Math.trunc(Number(n))).join(',')}}`}::int[]`;
}
/** A PostgreSQL text[] parameter of known identifiers (enum values). */
function textArray(values: readonly string[]): SQL {
  for (const v of values) if (!/^[a-z_]+$/.test(v)) throw new Error(`not an identifier: ${v}`);
  return sql`${`{${values.join(',')}}`}::text[]`;
}

/** The tower level of an org kind, as SQL over a kind column (from the domain's table). */
function levelCase(kindColumn: SQL): SQL {
  const whens = Object.entries(LEVEL_OF_ORG_KIND).map(([k, l]) => sql`WHEN ${k} THEN ${l}`);
  return sql`(CASE ${kindColumn} ${sql.join(whens, sql` `)} ELSE 'other' END)`;
}

/** Scope of a notice read by the sender side: the sender org inside the actor's subtree. */
function senderScope(actor: Actor, alias = 'so'): SQL {
  return actor.districtId === null ? sql`TRUE` : orgScopeCondition(actor, actor.districtId, alias);
}

const num = (v: unknown) => Number(v);
const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const ints = (v: unknown): number[] =>
  Array.isArray(v)
    ? v.map(Number)
    : typeof v === 'string'
      ? v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number)
      : [];

// Settings -------------------------------------------------------------------------------------

export async function getNoticeSettings(ex: Executor, districtId: number): Promise<NoticeSettingsValues> {
  const r = await one<{ urgent_seconds: number; general_seconds: number }>(
    ex,
    sql`SELECT urgent_seconds, general_seconds FROM notice_settings WHERE district_id = ${districtId}`,
  );
  return r ? { urgentSeconds: r.urgent_seconds, generalSeconds: r.general_seconds } : { ...DEFAULT_NOTICE_SETTINGS };
}

export async function saveNoticeSettings(ex: Executor, districtId: number, s: NoticeSettingsValues) {
  await ex.execute(sql`INSERT INTO notice_settings (district_id, urgent_seconds, general_seconds)
    VALUES (${districtId}, ${s.urgentSeconds}, ${s.generalSeconds})
    ON CONFLICT (district_id) DO UPDATE SET urgent_seconds = excluded.urgent_seconds,
      general_seconds = excluded.general_seconds, updated_at = now()`);
}

// Sending --------------------------------------------------------------------------------------

export type NoticeInsert = {
  districtId: number;
  senderAccountId: number;
  senderOrgId: number;
  title: string;
  body: string;
  priority: NoticePriority;
  deadlineSeconds: number;
  replySpec: ReplySpec | null;
  targetSpec: unknown;
  sentAt: Date;
  correctionOf: number | null;
};

export async function insertNotice(ex: Executor, n: NoticeInsert): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO notices (district_id, sender_account_id, sender_org_id, title, body, priority, deadline_seconds,
                             reply_spec, target_spec, sent_at, correction_of)
        VALUES (${n.districtId}, ${n.senderAccountId}, ${n.senderOrgId}, ${n.title}, ${n.body}, ${n.priority},
                ${n.deadlineSeconds}, ${n.replySpec === null ? null : JSON.stringify(n.replySpec)}::jsonb,
                ${JSON.stringify(n.targetSpec)}::jsonb, ${n.sentAt.toISOString()}::timestamptz, ${n.correctionOf})
        RETURNING id`,
  );
  return r!.id;
}

export async function insertAttachment(
  ex: Executor,
  districtId: number,
  noticeId: number,
  a: { name: string; mimeType: string; data: Buffer },
) {
  await ex.execute(sql`INSERT INTO notice_attachments (district_id, notice_id, name, mime_type, size, data)
    VALUES (${districtId}, ${noticeId}, ${a.name}, ${a.mimeType}, ${a.data.length}, decode(${a.data.toString('base64')}, 'base64'))`);
}

export async function copyAttachments(ex: Executor, fromNoticeId: number, toNoticeId: number) {
  await ex.execute(sql`INSERT INTO notice_attachments (district_id, notice_id, name, mime_type, size, data)
    SELECT district_id, ${toNoticeId}, name, mime_type, size, data FROM notice_attachments
    WHERE notice_id = ${fromNoticeId} ORDER BY id`);
}

/** Which orgs and grids a notice reaches, resolved against the tree at sending time. */
export type TargetSelection =
  | {
      mode: 'subtree';
      rootPath: string;
      orgKinds: readonly OrgKind[];
      includeGrids: boolean;
      gridKinds: readonly GridKind[] | null;
      /** the sender's own org is never its own target */
      excludeOrgId: number | null;
    }
  | { mode: 'chosen'; orgIds: readonly number[]; gridIds: readonly number[] };

/**
 * Writes every target row of a notice in ONE INSERT … SELECT over the subtree (materialised path),
 * with each target's responsible cadres: the admins of its tower groups, plus the cadre accounts
 * bound to the org (for a grid: its leader). Returns how many rows were written.
 */
export async function insertTargets(
  ex: Executor,
  actor: Actor,
  n: { noticeId: number; districtId: number; deadlineAt: Date },
  sel: TargetSelection,
): Promise<number> {
  const scope = orgScopeCondition(actor, n.districtId, 'o');
  let orgPart: SQL;
  let gridPart: SQL;
  if (sel.mode === 'subtree') {
    const under = sql`o.district_id = ${n.districtId} AND o.path LIKE ${`${sel.rootPath}%`} AND o.active AND ${scope}`;
    orgPart = sel.orgKinds.length
      ? sql`SELECT o.id AS org_id, NULL::int AS grid_id, o.kind AS kind, NULL::int AS leader
            FROM orgs o WHERE ${under} AND o.kind = ANY(${textArray(sel.orgKinds)})
            ${sel.excludeOrgId === null ? sql`` : sql`AND o.id <> ${sel.excludeOrgId}`}`
      : sql`SELECT NULL::int AS org_id, NULL::int AS grid_id, NULL::varchar AS kind, NULL::int AS leader WHERE FALSE`;
    gridPart = sel.includeGrids
      ? sql`SELECT g.org_id, g.id, NULL::varchar, g.leader_account_id
            FROM grids g JOIN orgs o ON o.id = g.org_id
            WHERE g.district_id = ${n.districtId} AND g.active AND ${under}
            ${sel.gridKinds?.length ? sql`AND g.kind = ANY(${textArray(sel.gridKinds)})` : sql``}`
      : sql`SELECT NULL::int AS org_id, NULL::int AS grid_id, NULL::varchar AS kind, NULL::int AS leader WHERE FALSE`;
  } else {
    orgPart = sql`SELECT o.id AS org_id, NULL::int AS grid_id, o.kind AS kind, NULL::int AS leader
      FROM orgs o WHERE o.id = ANY(${intArray(sel.orgIds)}) AND o.active AND ${scope}`;
    gridPart = sql`SELECT g.org_id, g.id, NULL::varchar, g.leader_account_id
      FROM grids g JOIN orgs o ON o.id = g.org_id
      WHERE g.id = ANY(${intArray(sel.gridIds)}) AND g.district_id = ${n.districtId} AND g.active AND ${scope}`;
  }
  const r = await one<{ n: number }>(
    ex,
    sql`WITH reached AS (${orgPart} UNION ALL ${gridPart}),
        ins AS (
          INSERT INTO notice_targets (district_id, notice_id, org_id, grid_id, level, responsible_account_ids, deadline_at)
          SELECT ${n.districtId}, ${n.noticeId}, r.org_id, r.grid_id,
                 CASE WHEN r.grid_id IS NOT NULL THEN 'grid' ELSE ${levelCase(sql`r.kind`)} END,
                 CASE WHEN r.grid_id IS NULL THEN
                   ARRAY(SELECT a.id FROM accounts a WHERE a.org_id = r.org_id AND a.active AND a.role IN ${CADRE_ROLES}
                         UNION SELECT tg.admin_account_id FROM tower_groups tg
                               WHERE tg.org_id = r.org_id AND tg.active AND tg.admin_account_id IS NOT NULL)
                 ELSE
                   ARRAY(SELECT r.leader WHERE r.leader IS NOT NULL
                         UNION SELECT tg.admin_account_id FROM tower_groups tg
                               WHERE tg.grid_id = r.grid_id AND tg.active AND tg.admin_account_id IS NOT NULL)
                 END,
                 ${n.deadlineAt.toISOString()}::timestamptz
          FROM reached r
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  return r?.n ?? 0;
}

/** Copies the targets of a notice to its correction (same orgs and grids, fresh receipts). */
export async function copyTargets(ex: Executor, fromNoticeId: number, toNoticeId: number, deadlineAt: Date) {
  const r = await one<{ n: number }>(
    ex,
    sql`WITH ins AS (
          INSERT INTO notice_targets (district_id, notice_id, org_id, grid_id, level, responsible_account_ids, deadline_at)
          SELECT district_id, ${toNoticeId}, org_id, grid_id, level, responsible_account_ids, ${deadlineAt.toISOString()}::timestamptz
          FROM notice_targets WHERE notice_id = ${fromNoticeId} ORDER BY id
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  return r?.n ?? 0;
}

export async function setTargetCount(ex: Executor, noticeId: number, count: number) {
  await ex.execute(sql`UPDATE notices SET target_count = ${count} WHERE id = ${noticeId}`);
}

/** Marks a notice replaced by its correction, unless another correction got there first. */
export async function claimSupersede(ex: Executor, noticeId: number, by: number): Promise<boolean> {
  return !!(await one(
    ex,
    sql`UPDATE notices SET superseded_by = ${by} WHERE id = ${noticeId} AND superseded_by IS NULL RETURNING id`,
  ));
}

export async function countUnacknowledged(ex: Executor, noticeId: number): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM notice_targets WHERE notice_id = ${noticeId} AND acknowledged_at IS NULL`,
  );
  return r?.n ?? 0;
}

/** Of the given org ids, those inside the actor's scope (active or not). */
export async function orgIdsInScope(ex: Executor, actor: Actor, districtId: number, ids: readonly number[]) {
  if (!ids.length) return new Set<number>();
  const rows = await many<{ id: number }>(
    ex,
    sql`SELECT o.id FROM orgs o WHERE o.id = ANY(${intArray(ids)}) AND ${orgScopeCondition(actor, districtId, 'o')}`,
  );
  return new Set(rows.map((r) => r.id));
}

export async function gridIdsInScope(ex: Executor, actor: Actor, districtId: number, ids: readonly number[]) {
  if (!ids.length) return new Set<number>();
  const rows = await many<{ id: number }>(
    ex,
    sql`SELECT g.id FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.id = ANY(${intArray(ids)}) AND ${orgScopeCondition(actor, districtId, 'o')}`,
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Targets of a notice whose responsible cadres include one of the given (connected) accounts, for
 * the live push: the fan-out reads only what can be delivered now.
 */
export async function targetsForAccounts(ex: Executor, noticeId: number, accountIds: readonly number[]) {
  if (!accountIds.length) return [];
  const rows = await many<{ id: string | number; responsible_account_ids: unknown; deadline_at: unknown }>(
    ex,
    sql`SELECT id, responsible_account_ids, deadline_at FROM notice_targets
        WHERE notice_id = ${noticeId} AND responsible_account_ids && ${intArray(accountIds)}`,
  );
  return rows.map((r) => ({
    id: num(r.id),
    accounts: ints(r.responsible_account_ids),
    deadlineAt: iso(r.deadline_at),
  }));
}

// Reading notices ------------------------------------------------------------------------------

export type NoticeRow = {
  id: number;
  districtId: number;
  sender: { id: number; name: string };
  senderOrg: { id: number; name: string };
  senderOrgPath: string;
  title: string;
  body: string;
  priority: NoticePriority;
  deadlineSeconds: number;
  replySpec: ReplySpec | null;
  targetSpec: unknown;
  targetCount: number;
  acknowledgedCount: number;
  sentAt: string;
  correctionOf: number | null;
  supersededBy: number | null;
};

const NOTICE_COLUMNS = sql`n.id, n.district_id, n.sender_account_id, s.display_name AS sender_name, n.sender_org_id,
  so.name AS sender_org_name, so.path AS sender_org_path, n.title, n.body, n.priority, n.deadline_seconds, n.reply_spec,
  n.target_spec, n.target_count, n.sent_at, n.correction_of, n.superseded_by,
  (SELECT count(*)::int FROM notice_targets t WHERE t.notice_id = n.id AND t.acknowledged_at IS NOT NULL) AS acked`;
const NOTICE_FROM = sql`notices n JOIN accounts s ON s.id = n.sender_account_id JOIN orgs so ON so.id = n.sender_org_id`;

function toNoticeRow(r: any): NoticeRow {
  return {
    id: r.id,
    districtId: r.district_id,
    sender: { id: r.sender_account_id, name: r.sender_name },
    senderOrg: { id: r.sender_org_id, name: r.sender_org_name },
    senderOrgPath: r.sender_org_path,
    title: r.title,
    body: r.body,
    priority: r.priority,
    deadlineSeconds: r.deadline_seconds,
    replySpec: parseJson(r.reply_spec) ?? null,
    targetSpec: parseJson(r.target_spec),
    targetCount: r.target_count,
    acknowledgedCount: r.acked,
    sentAt: iso(r.sent_at),
    correctionOf: r.correction_of,
    supersededBy: r.superseded_by,
  };
}

/** A notice whose sender org lies inside the actor's scope. */
export async function findNoticeInScope(ex: Executor, actor: Actor, id: number): Promise<NoticeRow | undefined> {
  const r = await one(
    ex,
    sql`SELECT ${NOTICE_COLUMNS} FROM ${NOTICE_FROM} WHERE n.id = ${id} AND ${senderScope(actor)}`,
  );
  return r ? toNoticeRow(r) : undefined;
}

export async function noticeExists(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 AS x FROM notices WHERE id = ${id}`));
}

export async function listNotices(
  ex: Executor,
  actor: Actor,
  districtId: number,
  q: { priority?: NoticePriority; page: number; pageSize: number },
) {
  const where = sql`n.district_id = ${districtId} AND ${senderScope(actor)}
    ${q.priority ? sql`AND n.priority = ${q.priority}` : sql``}`;
  const total = await one<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM ${NOTICE_FROM} WHERE ${where}`);
  const rows = await many(
    ex,
    sql`SELECT ${NOTICE_COLUMNS} FROM ${NOTICE_FROM} WHERE ${where}
        ORDER BY n.sent_at DESC, n.id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toNoticeRow) };
}

/** The correction chain a notice belongs to, oldest first (ids only, walked both ways). */
export async function noticeHistory(ex: Executor, id: number) {
  const rows = await many<{ id: number; title: string; body: string; sent_at: unknown }>(
    ex,
    sql`WITH RECURSIVE up AS (
          SELECT id, correction_of FROM notices WHERE id = ${id}
          UNION SELECT n.id, n.correction_of FROM notices n JOIN up ON n.id = up.correction_of),
        root AS (SELECT id FROM up WHERE correction_of IS NULL),
        down AS (
          SELECT id FROM root
          UNION SELECT n.id FROM notices n JOIN down ON n.correction_of = down.id)
        SELECT n.id, n.title, n.body, n.sent_at FROM notices n JOIN down d ON d.id = n.id ORDER BY n.sent_at, n.id`,
  );
  return rows.map((r) => ({ id: r.id, title: r.title, body: r.body, sentAt: iso(r.sent_at) }));
}

export async function listAttachments(ex: Executor, noticeIds: readonly number[]) {
  if (!noticeIds.length) return new Map<number, { id: number; name: string; mimeType: string; size: number }[]>();
  const rows = await many<{ id: number; notice_id: number; name: string; mime_type: string; size: number }>(
    ex,
    sql`SELECT id, notice_id, name, mime_type, size FROM notice_attachments
        WHERE notice_id = ANY(${intArray(noticeIds)}) ORDER BY id`,
  );
  const map = new Map<number, { id: number; name: string; mimeType: string; size: number }[]>();
  for (const r of rows) {
    const list = map.get(r.notice_id) ?? [];
    list.push({ id: r.id, name: r.name, mimeType: r.mime_type, size: r.size });
    map.set(r.notice_id, list);
  }
  return map;
}

export async function readAttachment(ex: Executor, noticeId: number, attachmentId: number) {
  const r = await one<{ name: string; mime_type: string; b64: string }>(
    ex,
    sql`SELECT name, mime_type, encode(data, 'base64') AS b64 FROM notice_attachments
        WHERE id = ${attachmentId} AND notice_id = ${noticeId}`,
  );
  return r
    ? { name: r.name, mimeType: r.mime_type, data: Buffer.from(r.b64.replace(/\s+/g, ''), 'base64') }
    : undefined;
}

/** Whether the account is responsible for a target of the notice (may read it and its attachments). */
export async function isRecipient(ex: Executor, noticeId: number, accountId: number): Promise<boolean> {
  return !!(await one(
    ex,
    sql`SELECT 1 AS x FROM notice_targets WHERE notice_id = ${noticeId}
        AND responsible_account_ids @> ${intArray([accountId])} LIMIT 1`,
  ));
}

// Inbox and receipts ---------------------------------------------------------------------------

export type TargetRow = {
  id: number;
  noticeId: number;
  districtId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  orgParentId: number | null;
  grid: { id: number; name: string } | null;
  level: NoticeLevel;
  responsibleAccountIds: number[];
  deadlineAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: number | null;
  ackChannel: string | null;
  reply: Reply | null;
  escalationLevel: number;
  notice: {
    title: string;
    body: string;
    priority: NoticePriority;
    sentAt: string;
    replySpec: ReplySpec | null;
    correctionOf: number | null;
    supersededBy: number | null;
    sender: { id: number; name: string };
    senderOrg: { id: number; name: string };
  };
};

const TARGET_SELECT = sql`SELECT t.id, t.notice_id, t.district_id, t.org_id, o.name AS org_name, o.path AS org_path,
    o.parent_id AS org_parent_id, t.grid_id, g.name AS grid_name, t.level, t.responsible_account_ids, t.deadline_at,
    t.acknowledged_at, t.acknowledged_by, t.ack_channel, t.reply, t.escalation_level,
    n.title, n.body, n.priority, n.sent_at, n.reply_spec, n.correction_of, n.superseded_by,
    n.sender_account_id, s.display_name AS sender_name, n.sender_org_id, so.name AS sender_org_name
  FROM notice_targets t
  JOIN notices n ON n.id = t.notice_id
  JOIN orgs o ON o.id = t.org_id
  LEFT JOIN grids g ON g.id = t.grid_id
  JOIN accounts s ON s.id = n.sender_account_id
  JOIN orgs so ON so.id = n.sender_org_id`;

function toTargetRow(r: any): TargetRow {
  return {
    id: num(r.id),
    noticeId: r.notice_id,
    districtId: r.district_id,
    orgId: r.org_id,
    orgName: r.org_name,
    orgPath: r.org_path,
    orgParentId: r.org_parent_id,
    grid: r.grid_id ? { id: r.grid_id, name: r.grid_name } : null,
    level: r.level,
    responsibleAccountIds: ints(r.responsible_account_ids),
    deadlineAt: iso(r.deadline_at),
    acknowledgedAt: isoOrNull(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    ackChannel: r.ack_channel,
    reply: parseJson(r.reply) ?? null,
    escalationLevel: r.escalation_level,
    notice: {
      title: r.title,
      body: r.body,
      priority: r.priority,
      sentAt: iso(r.sent_at),
      replySpec: parseJson(r.reply_spec) ?? null,
      correctionOf: r.correction_of,
      supersededBy: r.superseded_by,
      sender: { id: r.sender_account_id, name: r.sender_name },
      senderOrg: { id: r.sender_org_id, name: r.sender_org_name },
    },
  };
}

/** The receipts an account answers for, newest first. */
export async function listInbox(
  ex: Executor,
  accountId: number,
  districtId: number | null,
  q: { status: 'pending' | 'acknowledged' | 'all'; limit: number },
) {
  const mine = sql`t.responsible_account_ids @> ${intArray([accountId])}
    ${districtId === null ? sql`` : sql`AND t.district_id = ${districtId}`}`;
  const status =
    q.status === 'pending'
      ? sql`AND t.acknowledged_at IS NULL AND n.superseded_by IS NULL`
      : q.status === 'acknowledged'
        ? sql`AND t.acknowledged_at IS NOT NULL`
        : sql``;
  const rows = await many(
    ex,
    sql`${TARGET_SELECT} WHERE ${mine} ${status} ORDER BY n.sent_at DESC, t.id DESC LIMIT ${q.limit}`,
  );
  const pending = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM notice_targets t JOIN notices n ON n.id = t.notice_id
        WHERE ${mine} AND t.acknowledged_at IS NULL AND n.superseded_by IS NULL`,
  );
  return { items: rows.map(toTargetRow), pending: pending?.n ?? 0 };
}

export async function countPending(ex: Executor, accountId: number): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM notice_targets t JOIN notices n ON n.id = t.notice_id
        WHERE t.responsible_account_ids @> ${intArray([accountId])} AND t.acknowledged_at IS NULL
          AND n.superseded_by IS NULL`,
  );
  return r?.n ?? 0;
}

export async function findTarget(ex: Executor, id: number): Promise<TargetRow | undefined> {
  const r = await one(ex, sql`${TARGET_SELECT} WHERE t.id = ${id}`);
  return r ? toTargetRow(r) : undefined;
}

/** What the acknowledgement needs to decide: the receipt, its org's path and the notice's reply spec. */
export async function findTargetForAck(ex: Executor, id: number) {
  const r = await one<any>(
    ex,
    sql`SELECT t.id, t.notice_id, t.district_id, t.org_id, o.path AS org_path, t.grid_id, t.responsible_account_ids,
               n.reply_spec, n.sender_account_id
        FROM notice_targets t JOIN orgs o ON o.id = t.org_id JOIN notices n ON n.id = t.notice_id WHERE t.id = ${id}`,
  );
  return r
    ? {
        id: num(r.id),
        noticeId: r.notice_id as number,
        districtId: r.district_id as number,
        orgId: r.org_id as number,
        orgPath: r.org_path as string,
        gridId: r.grid_id as number | null,
        responsibleAccountIds: ints(r.responsible_account_ids),
        replySpec: (parseJson(r.reply_spec) ?? null) as ReplySpec | null,
        senderAccountId: r.sender_account_id as number,
      }
    : undefined;
}

export type AckState = {
  first: boolean;
  acknowledgedAt: string;
  acknowledgedBy: number;
  channel: string;
  deadlineAt: string;
  reply: Reply | null;
};

/**
 * Records the acknowledgement once: a second tap finds it set and changes nothing but the reply
 * (given now or changed). Returns the stored state and whether this call was the first.
 */
export async function acknowledgeTarget(
  ex: Executor,
  id: number,
  by: number,
  channel: string,
  reply: Reply | null,
  at: Date,
): Promise<AckState> {
  const replyJson = reply === null ? null : JSON.stringify(reply);
  const first = await one<any>(
    ex,
    sql`UPDATE notice_targets SET acknowledged_at = ${at.toISOString()}::timestamptz, acknowledged_by = ${by},
          ack_channel = ${channel}, reply = ${replyJson}::jsonb,
          replied_at = ${reply === null ? null : at.toISOString()}::timestamptz
        WHERE id = ${id} AND acknowledged_at IS NULL
        RETURNING acknowledged_at, acknowledged_by, ack_channel, deadline_at, reply`,
  );
  const row =
    first ??
    (reply !== null
      ? await one<any>(
          ex,
          sql`UPDATE notice_targets SET reply = ${replyJson}::jsonb, replied_at = ${at.toISOString()}::timestamptz
              WHERE id = ${id} RETURNING acknowledged_at, acknowledged_by, ack_channel, deadline_at, reply`,
        )
      : await one<any>(
          ex,
          sql`SELECT acknowledged_at, acknowledged_by, ack_channel, deadline_at, reply FROM notice_targets WHERE id = ${id}`,
        ));
  return {
    first: !!first,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    channel: row.ack_channel,
    deadlineAt: iso(row.deadline_at),
    reply: parseJson(row.reply) ?? null,
  };
}

// Reach report ---------------------------------------------------------------------------------

export async function listReceiptsForReport(ex: Executor, noticeId: number) {
  const rows = await many<{ level: NoticeLevel; s: number | string | null; esc: number; replied: boolean }>(
    ex,
    sql`SELECT t.level, EXTRACT(EPOCH FROM t.acknowledged_at - n.sent_at)::float8 AS s,
               t.escalation_level AS esc, (t.reply IS NOT NULL) AS replied
        FROM notice_targets t JOIN notices n ON n.id = t.notice_id WHERE t.notice_id = ${noticeId}`,
  );
  return rows.map((r) => ({
    level: r.level,
    ackSeconds: r.s === null ? null : Math.max(0, Number(r.s)),
    escalated: r.esc > 0,
    replied: r.replied,
  }));
}

export async function listLate(ex: Executor, noticeId: number, now: Date, limit = 200) {
  const rows = await many<any>(
    ex,
    sql`SELECT t.id, t.org_id, o.name AS org_name, t.grid_id, g.name AS grid_name, t.level, t.acknowledged_at,
               t.escalation_level
        FROM notice_targets t JOIN orgs o ON o.id = t.org_id LEFT JOIN grids g ON g.id = t.grid_id
        WHERE t.notice_id = ${noticeId}
          AND ((t.acknowledged_at IS NULL AND t.deadline_at < ${now.toISOString()}::timestamptz)
               OR t.acknowledged_at > t.deadline_at)
        ORDER BY t.acknowledged_at NULLS FIRST, o.path, t.id LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    targetId: num(r.id),
    org: { id: r.org_id, name: r.org_name },
    grid: r.grid_id ? { id: r.grid_id, name: r.grid_name } : null,
    level: r.level as NoticeLevel,
    acknowledgedAt: isoOrNull(r.acknowledged_at),
    escalationLevel: r.escalation_level,
  }));
}

/** 月度及时率 on-time share of receipts per town for notices sent in [from, to). */
export async function onTimeByTown(
  ex: Executor,
  actor: Actor,
  districtId: number,
  from: string,
  to: string,
  now: Date,
) {
  const rows = await many<{ town_id: number; town_name: string; targets: number; on_time: number }>(
    ex,
    sql`SELECT town.id AS town_id, town.name AS town_name, count(*)::int AS targets,
               count(*) FILTER (WHERE t.acknowledged_at <= t.deadline_at)::int AS on_time
        FROM notice_targets t
        JOIN notices n ON n.id = t.notice_id
        JOIN orgs o ON o.id = t.org_id
        JOIN orgs town ON town.id = NULLIF(split_part(o.path, '/', 3), '')::int
        WHERE n.district_id = ${districtId} AND t.district_id = ${districtId}
          AND n.sent_at >= ${from}::timestamptz AND n.sent_at < ${to}::timestamptz AND n.superseded_by IS NULL
          AND (t.acknowledged_at IS NOT NULL OR t.deadline_at <= ${now.toISOString()}::timestamptz)
          AND ${orgScopeCondition(actor, districtId, 'o')}
        GROUP BY town.id, town.name, town.path ORDER BY town.path`,
  );
  return rows.map((r) => ({
    townId: r.town_id,
    townName: r.town_name,
    targets: r.targets,
    onTime: r.on_time,
    onTimeRate: r.targets ? r.on_time / r.targets : 0,
  }));
}

// Escalation -----------------------------------------------------------------------------------

export type NoticeForJob = {
  id: number;
  districtId: number;
  title: string;
  priority: NoticePriority;
  sentAt: Date;
  deadlineSeconds: number;
  correctionOf: number | null;
  supersededBy: number | null;
};

export async function findNoticeForJob(ex: Executor, id: number): Promise<NoticeForJob | undefined> {
  const r = await one<any>(
    ex,
    sql`SELECT id, district_id, title, priority, sent_at, deadline_seconds, correction_of, superseded_by
        FROM notices WHERE id = ${id}`,
  );
  return r
    ? {
        id: r.id,
        districtId: r.district_id,
        title: r.title,
        priority: r.priority,
        sentAt: new Date(iso(r.sent_at)),
        deadlineSeconds: r.deadline_seconds,
        correctionOf: r.correction_of,
        supersededBy: r.superseded_by,
      }
    : undefined;
}

/**
 * Escalates, set-wise, every receipt of the notice that is still unacknowledged at the level-th
 * deadline and was escalated exactly to the level below (the rule of domain `shouldEscalate`).
 * Records one escalation row per receipt and level (unique: a receipt escalates once per level)
 * with the accounts alerted — the instructors of the group one step up the ladder and the
 * supervising cadres of the org above it — and queues the re-sends and alerts in the outbox.
 */
export async function escalateLate(
  ex: Executor,
  notice: NoticeForJob,
  level: number,
  resendChannel: string,
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  const dueAt = new Date(notice.sentAt.getTime() + level * notice.deadlineSeconds * 1000).toISOString();
  // The node whose group's instructors are alerted, and the org whose cadres supervise it:
  // level 1 — the target itself and the org above it; level 2 — one step further up.
  const node =
    level === 1
      ? sql`e.grid_id AS node_grid, CASE WHEN e.grid_id IS NULL THEN e.org_id END AS node_org,
            CASE WHEN e.grid_id IS NULL THEN e.p1 ELSE e.org_id END AS boss_org`
      : sql`NULL::int AS node_grid, CASE WHEN e.grid_id IS NULL THEN e.p1 ELSE e.org_id END AS node_org,
            CASE WHEN e.grid_id IS NULL THEN e.p2 ELSE e.p1 END AS boss_org`;
  const r = await one<{ n: number }>(
    ex,
    sql`WITH esc AS (
          UPDATE notice_targets t SET escalation_level = ${level}, escalated_at = ${at}::timestamptz
          FROM orgs o LEFT JOIN orgs po ON po.id = o.parent_id
          WHERE o.id = t.org_id AND t.notice_id = ${notice.id} AND t.acknowledged_at IS NULL
            AND t.escalation_level = ${level - 1} AND ${at}::timestamptz >= ${dueAt}::timestamptz
          RETURNING t.id, t.district_id, t.org_id, t.grid_id, o.parent_id AS p1, po.parent_id AS p2),
        up AS (SELECT e.id, e.district_id, ${node} FROM esc e),
        ins AS (
          INSERT INTO notice_escalations (district_id, notice_id, target_id, level, alerted_account_ids, resend_channel)
          SELECT u.district_id, ${notice.id}, u.id, ${level},
                 ARRAY(SELECT DISTINCT x FROM (
                   SELECT unnest(tg.instructor_account_ids) AS x FROM tower_groups tg
                   WHERE tg.active AND ((u.node_grid IS NOT NULL AND tg.grid_id = u.node_grid)
                                        OR (u.node_grid IS NULL AND tg.org_id = u.node_org))
                   UNION SELECT a.id FROM accounts a
                   WHERE a.org_id = u.boss_org AND a.active AND a.role IN ${SUPERVISOR_ROLES}) s ORDER BY x),
                 ${resendChannel}
          FROM up u
          ON CONFLICT (target_id, level) DO NOTHING
          RETURNING target_id)
        SELECT count(*)::int AS n FROM ins`,
  );
  const n = r?.n ?? 0;
  if (n) {
    await ex.execute(sql`INSERT INTO notice_deliveries (district_id, notice_id, target_id, account_id, channel, purpose)
      SELECT e.district_id, e.notice_id, e.target_id, unnest(t.responsible_account_ids), e.resend_channel, 'resend'
      FROM notice_escalations e JOIN notice_targets t ON t.id = e.target_id
      WHERE e.notice_id = ${notice.id} AND e.level = ${level}
      UNION ALL
      SELECT e.district_id, e.notice_id, e.target_id, unnest(e.alerted_account_ids), 'sms', 'alert'
      FROM notice_escalations e WHERE e.notice_id = ${notice.id} AND e.level = ${level}`);
  }
  return n;
}

/** Escalation alerts of one level that concern the given (connected) accounts, for the live push. */
export async function alertsForAccounts(ex: Executor, noticeId: number, level: number, accountIds: readonly number[]) {
  if (!accountIds.length) return [];
  const rows = await many<{ target_id: unknown; alerted: unknown; org_name: string; grid_name: string | null }>(
    ex,
    sql`SELECT e.target_id, e.alerted_account_ids AS alerted, o.name AS org_name, g.name AS grid_name
        FROM notice_escalations e JOIN notice_targets t ON t.id = e.target_id JOIN orgs o ON o.id = t.org_id
        LEFT JOIN grids g ON g.id = t.grid_id
        WHERE e.notice_id = ${noticeId} AND e.level = ${level} AND e.alerted_account_ids && ${intArray(accountIds)}`,
  );
  return rows.map((r) => ({ targetId: num(r.target_id), accounts: ints(r.alerted), name: r.grid_name ?? r.org_name }));
}

// Delivery outbox ------------------------------------------------------------------------------

export type PendingDelivery = {
  id: number;
  channel: string;
  purpose: string;
  accountId: number | null;
  username: string | null;
  title: string;
  priority: NoticePriority;
  orgName: string | null;
  gridName: string | null;
};

/** Takes pending deliveries (locked for this transaction; other workers skip them). */
export async function takePendingDeliveries(ex: Executor, limit: number): Promise<PendingDelivery[]> {
  const rows = await many<any>(
    ex,
    sql`SELECT d.id, d.channel, d.purpose, d.account_id, a.username, n.title, n.priority, o.name AS org_name,
               g.name AS grid_name
        FROM notice_deliveries d
        JOIN notices n ON n.id = d.notice_id
        LEFT JOIN accounts a ON a.id = d.account_id
        LEFT JOIN notice_targets t ON t.id = d.target_id
        LEFT JOIN orgs o ON o.id = t.org_id
        LEFT JOIN grids g ON g.id = t.grid_id
        WHERE d.status = 'pending' ORDER BY d.id LIMIT ${limit} FOR UPDATE OF d SKIP LOCKED`,
  );
  return rows.map((r) => ({
    id: num(r.id),
    channel: r.channel,
    purpose: r.purpose,
    accountId: r.account_id,
    username: r.username,
    title: r.title,
    priority: r.priority,
    orgName: r.org_name,
    gridName: r.grid_name,
  }));
}

export async function finishDelivery(ex: Executor, id: number, status: string, detail: string) {
  await ex.execute(sql`UPDATE notice_deliveries SET status = ${status}, detail = ${detail.slice(0, 1000)},
    attempts = attempts + 1, sent_at = CASE WHEN ${status} IN ('sent', 'recorded') THEN now() END WHERE id = ${id}`);
}
