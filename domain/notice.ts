import { z } from 'zod';
import { GRID_KINDS } from './grid.ts';
import { ORG_KINDS, type OrgKind } from './org.ts';

// ---------------------------------------------------------------------------------------------
// Vocabulary 塔群直达
// ---------------------------------------------------------------------------------------------

/** 紧急 urgent (3 minutes by default) or 一般 general (10 minutes). */
export const NOTICE_PRIORITIES = ['urgent', 'general'] as const;
export type NoticePriority = (typeof NOTICE_PRIORITIES)[number];

/** Chat channel of a tower group: 微信群, 企业微信群, QQ群, or the platform itself. */
export const TOWER_CHANNELS = ['wechat', 'wecom', 'qq', 'in_app'] as const;
export type TowerChannel = (typeof TOWER_CHANNELS)[number];

/** Levels of the tower (Rencheng: 区—镇(街道)—村(社区)—网格); `other` for branches and non-hierarchical orgs. */
export const NOTICE_LEVELS = ['district', 'town', 'village', 'grid', 'other'] as const;
export type NoticeLevel = (typeof NOTICE_LEVELS)[number];

/** Which tower level an org of each kind sits on. Grids themselves are level `grid`. */
export const LEVEL_OF_ORG_KIND: Record<OrgKind, NoticeLevel> = Object.fromEntries(
  ORG_KINDS.map((k) => [
    k,
    k === 'district_committee'
      ? 'district'
      : k === 'town_committee' || k === 'devzone_committee'
        ? 'town'
        : k === 'village_branch' || k === 'community_branch'
          ? 'village'
          : k === 'grid_branch'
            ? 'grid'
            : 'other',
  ]),
) as Record<OrgKind, NoticeLevel>;

/** Org kinds a subtree notice reaches unless told otherwise: the tower's levels below the district. */
export const DEFAULT_TARGET_ORG_KINDS: readonly OrgKind[] = [
  'town_committee',
  'devzone_committee',
  'village_branch',
  'community_branch',
  'grid_branch',
];

/** Where an acknowledgement came from. */
export const ACK_CHANNELS = ['web', 'phone', 'sms', 'wecom'] as const;
export type AckChannel = (typeof ACK_CHANNELS)[number];

/** Channels a notice travels on: in the app (server push), then SMS, then the WeChat Work group robot. */
export const DELIVERY_CHANNELS = ['in_app', 'sms', 'wecom'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The highest escalation: the first deadline alerts the level above, the second one level further. */
export const MAX_ESCALATION_LEVEL = 2;

/** Channel a late target is re-sent on at each escalation level ("re-sent on another channel"). */
export function resendChannelOf(level: number): DeliveryChannel {
  return level <= 1 ? 'sms' : 'wecom';
}

// ---------------------------------------------------------------------------------------------
// Deadlines and escalation (pure: every function takes the clock as an argument)
// ---------------------------------------------------------------------------------------------

export const NoticeSettingsValuesSchema = z
  .object({
    /** 紧急工作时限（秒） */
    urgentSeconds: z.number().int().min(1).max(86400),
    /** 一般工作时限（秒） */
    generalSeconds: z.number().int().min(1).max(86400),
  })
  .strict();
export type NoticeSettingsValues = z.infer<typeof NoticeSettingsValuesSchema>;

/** "紧急工作3分钟直达、一般工作10分钟直达" */
export const DEFAULT_NOTICE_SETTINGS: NoticeSettingsValues = { urgentSeconds: 180, generalSeconds: 600 };

export function deadlineSecondsOf(priority: NoticePriority, settings: NoticeSettingsValues): number {
  return priority === 'urgent' ? settings.urgentSeconds : settings.generalSeconds;
}

/** When escalation `level` (1 or 2) of a notice falls due: the level-th deadline after sending. */
export function escalationDueAt(sentAt: Date, deadlineSeconds: number, level: number): Date {
  return new Date(sentAt.getTime() + level * deadlineSeconds * 1000);
}

/** The state of one receipt as the escalation rule needs it. */
export type ReceiptState = { acknowledgedAt: Date | null; escalationLevel: number };

/**
 * 升级规则 Whether a receipt escalates to `level` at `now`: still unacknowledged when the level-th deadline
 * has passed, and escalated exactly to the level below (so each level happens once, in order).
 * The deadline job's SQL applies the same rule set-wise; a test keeps the two in step.
 */
export function shouldEscalate(
  receipt: ReceiptState,
  notice: { sentAt: Date; deadlineSeconds: number; superseded: boolean },
  level: number,
  now: Date,
): boolean {
  if (notice.superseded || level < 1 || level > MAX_ESCALATION_LEVEL) return false;
  if (receipt.acknowledgedAt !== null) return false;
  if (receipt.escalationLevel !== level - 1) return false;
  return now.getTime() >= escalationDueAt(notice.sentAt, notice.deadlineSeconds, level).getTime();
}

/** The next deadline job after `level` ran, or null when the ladder is done. */
export function nextEscalationLevel(level: number): number | null {
  return level < MAX_ESCALATION_LEVEL ? level + 1 : null;
}

/** Whether a receipt counts as on time: acknowledged no later than its deadline. */
export function isOnTime(acknowledgedAt: Date | null, deadlineAt: Date): boolean {
  return acknowledgedAt !== null && acknowledgedAt.getTime() <= deadlineAt.getTime();
}

/** Nearest-rank percentile of sorted numbers (p in 0..100); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** One receipt as the reach report reads it. */
export type ReportReceipt = {
  level: NoticeLevel;
  /** seconds from sending to acknowledgement, null while unacknowledged */
  ackSeconds: number | null;
};

export type LevelReach = {
  level: NoticeLevel;
  targets: number;
  acknowledged: number;
  onTime: number;
  /** share of targets acknowledged within the deadline, 0..1 */
  onTimeRate: number;
  medianSeconds: number | null;
  p95Seconds: number | null;
};

export type ReachSummary = LevelReach & {
  pending: number;
  /** unacknowledged past the deadline, or acknowledged after it */
  late: number;
  timeline: { fromSeconds: number; toSeconds: number; acknowledged: number; cumulative: number }[];
};

function reachOf(level: NoticeLevel, receipts: readonly ReportReceipt[], deadlineSeconds: number): LevelReach {
  const times = receipts
    .map((r) => r.ackSeconds)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
  const onTime = times.filter((s) => s <= deadlineSeconds).length;
  return {
    level,
    targets: receipts.length,
    acknowledged: times.length,
    onTime,
    onTimeRate: receipts.length ? onTime / receipts.length : 0,
    medianSeconds: percentile(times, 50),
    p95Seconds: percentile(times, 95),
  };
}

/**
 * 到达报告 Reach of a notice at `elapsedSeconds` after sending: share acknowledged within the deadline,
 * median and 95th percentile of the time to acknowledge, per level, and a timeline of
 * acknowledgements in buckets (at most 40) covering at least two deadlines.
 */
export function summariseReach(
  receipts: readonly ReportReceipt[],
  deadlineSeconds: number,
  elapsedSeconds: number,
): { total: ReachSummary; levels: LevelReach[] } {
  const total = reachOf('district', receipts, deadlineSeconds);
  const overdue = elapsedSeconds > deadlineSeconds;
  const late = receipts.filter((r) => (r.ackSeconds === null ? overdue : r.ackSeconds > deadlineSeconds)).length;
  const lastAck = receipts.reduce((m, r) => Math.max(m, r.ackSeconds ?? 0), 0);
  const span = Math.max(2 * deadlineSeconds, Math.min(elapsedSeconds, 3 * deadlineSeconds), lastAck, 1);
  const width = Math.max(1, Math.ceil(span / 40));
  const buckets = Math.ceil((span + 1) / width);
  const counts = new Array<number>(buckets).fill(0);
  for (const r of receipts)
    if (r.ackSeconds !== null) counts[Math.min(buckets - 1, Math.floor(r.ackSeconds / width))]++;
  let cumulative = 0;
  const timeline = counts.map((n, i) => {
    cumulative += n;
    return { fromSeconds: i * width, toSeconds: (i + 1) * width, acknowledged: n, cumulative };
  });
  const levels = NOTICE_LEVELS.map((level) =>
    reachOf(
      level,
      receipts.filter((r) => r.level === level),
      deadlineSeconds,
    ),
  ).filter((l) => l.targets > 0);
  return { total: { ...total, pending: total.targets - total.acknowledged, late, timeline }, levels };
}

// ---------------------------------------------------------------------------------------------
// Replies 回执内容
// ---------------------------------------------------------------------------------------------

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u);
const MultiLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^(?:[^\p{Cc}]|[\t\n\r])*$/u);

export const ReplyFieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/),
    label: Text(100).min(1),
    type: z.enum(['text', 'number']),
  })
  .strict();

/** 回执要求 what a reached cadre must answer: a short text or a small form (e.g. "今晚可出动人数"). */
export const ReplySpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), prompt: Text(200).min(1) }).strict(),
  z
    .object({
      kind: z.literal('form'),
      prompt: Text(200).min(1),
      fields: z.array(ReplyFieldSchema).min(1).max(10),
    })
    .strict(),
]);
export type ReplySpec = z.infer<typeof ReplySpecSchema>;

export const ReplySchema = z
  .object({
    text: Text(500).optional(),
    values: z.record(z.string().max(30), z.union([Text(200), z.number().finite()])).optional(),
  })
  .strict();
export type Reply = z.infer<typeof ReplySchema>;

/** Checks a reply against the notice's spec; returns field errors (empty when it fits). */
export function checkReply(spec: ReplySpec | null, reply: Reply): { field: string; message: string }[] {
  if (!spec) return [{ field: 'reply', message: 'NOTICE_REPLY_NOT_EXPECTED' }];
  if (spec.kind === 'text') {
    return reply.text ? [] : [{ field: 'reply.text', message: 'required' }];
  }
  const errors: { field: string; message: string }[] = [];
  const values = reply.values ?? {};
  for (const f of spec.fields) {
    const v = values[f.key];
    if (v === undefined || v === '') errors.push({ field: `reply.values.${f.key}`, message: 'required' });
    else if (f.type === 'number' && typeof v !== 'number')
      errors.push({ field: `reply.values.${f.key}`, message: 'NOTICE_REPLY_NUMBER' });
  }
  for (const key of Object.keys(values)) {
    if (!spec.fields.some((f) => f.key === key))
      errors.push({ field: `reply.values.${key}`, message: 'NOTICE_REPLY_UNKNOWN_FIELD' });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// API contract
// ---------------------------------------------------------------------------------------------

const Id = z.number().int().positive().max(2147483647);
const QueryId = z.coerce.number().int().positive().max(2147483647);

export const NoticeSettingsSchema = z.object({ districtId: z.number().int() }).extend(NoticeSettingsValuesSchema.shape);
export const NoticeSettingsUpdateSchema = NoticeSettingsValuesSchema.partial()
  .extend({ districtId: Id.optional() })
  .strict();
export const DistrictQuerySchema = z.object({ districtId: QueryId.optional() }).strict();

/** 塔群 a tower group as written. */
export const TowerGroupWriteSchema = z
  .object({
    orgId: Id.nullish(),
    gridId: Id.nullish(),
    channel: z.enum(TOWER_CHANNELS),
    name: Text(100).min(1),
    /** 群号或链接 */
    ident: Text(300).nullish(),
    /** 群管理员 */
    adminAccountId: Id.nullish(),
    /** 指导员 (from the level above) */
    instructorAccountIds: z.array(Id).max(20).optional(),
  })
  .strict();
export const TowerGroupCreateSchema = TowerGroupWriteSchema.refine((g) => !!g.orgId !== !!g.gridId, {
  message: 'tower.orgOrGrid',
  path: ['orgId'],
});
export type TowerGroupCreate = z.infer<typeof TowerGroupCreateSchema>;
export const TowerGroupUpdateSchema = TowerGroupWriteSchema.omit({ orgId: true, gridId: true })
  .partial()
  .extend({ active: z.boolean().optional() })
  .strict();
export type TowerGroupUpdate = z.infer<typeof TowerGroupUpdateSchema>;

const Ref = z.object({ id: z.number().int(), name: z.string() });

export const TowerGroupSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  org: Ref.extend({ kind: z.string() }).nullable(),
  grid: Ref.extend({ code: z.string() }).nullable(),
  level: z.enum(NOTICE_LEVELS),
  channel: z.enum(TOWER_CHANNELS),
  name: z.string(),
  ident: z.string().nullable(),
  admin: Ref.nullable(),
  instructors: z.array(Ref),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TowerGroup = z.infer<typeof TowerGroupSchema>;

export const TowerListQuerySchema = z
  .object({
    districtId: QueryId.optional(),
    /** groups of this org's subtree (its grids included) */
    orgId: QueryId.optional(),
    channel: z.enum(TOWER_CHANNELS).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export const TowerListSchema = z.object({
  items: z.array(TowerGroupSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** 缺群 orgs and grids of the tower that have no group, or a group without an admin. */
export const TowerGapsQuerySchema = z
  .object({
    districtId: QueryId.optional(),
    orgId: QueryId.optional(),
    limit: z.coerce.number().int().min(1).max(2000).default(200),
  })
  .strict();
export const TowerGapSchema = z.object({
  kind: z.enum(['org', 'grid']),
  id: z.number().int(),
  name: z.string(),
  level: z.enum(NOTICE_LEVELS),
  parentName: z.string().nullable(),
  problem: z.enum(['no_group', 'no_admin']),
});
export const TowerGapsSchema = z.object({
  items: z.array(TowerGapSchema),
  noGroup: z.number().int(),
  noAdmin: z.number().int(),
});

/** 发送范围 who a notice reaches. */
export const NoticeTargetSpecSchema = z.discriminatedUnion('mode', [
  z
    .object({
      /** the subtree of an org (default: the sender's own), filtered by kind */
      mode: z.literal('subtree'),
      rootOrgId: Id.optional(),
      orgKinds: z.array(z.enum(ORG_KINDS)).max(ORG_KINDS.length).optional(),
      includeGrids: z.boolean().default(true),
      gridKinds: z.array(z.enum(GRID_KINDS)).max(GRID_KINDS.length).optional(),
    })
    .strict(),
  z
    .object({
      /** specific orgs and grids */
      mode: z.literal('chosen'),
      orgIds: z.array(Id).max(5000).default([]),
      gridIds: z.array(Id).max(5000).default([]),
    })
    .strict(),
]);
export type NoticeTargetSpec = z.infer<typeof NoticeTargetSpecSchema>;

/** Largest attachment, decoded (2 MiB); the route's body limit allows a few of them. */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
export const MAX_ATTACHMENTS = 3;

export const AttachmentInputSchema = z
  .object({
    name: Text(200).min(1),
    mimeType: z
      .string()
      .max(100)
      .regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i),
    /** file content, base64 */
    /** file content, base64 (the service refuses more than MAX_ATTACHMENT_BYTES decoded, with 413) */
    dataBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'attachment.base64' }),
  })
  .strict();

export const NoticeSendSchema = z
  .object({
    /** platform admins name the district */
    districtId: Id.optional(),
    title: Text(200).min(1),
    body: MultiLine(10000).min(1),
    priority: z.enum(NOTICE_PRIORITIES),
    target: NoticeTargetSpecSchema,
    replySpec: ReplySpecSchema.nullish(),
    attachments: z.array(AttachmentInputSchema).max(MAX_ATTACHMENTS).default([]),
  })
  .strict();
export type NoticeSend = z.infer<typeof NoticeSendSchema>;

/** 更正 a correction: the same targets get the new text; the original keeps its history. */
export const NoticeCorrectionSchema = NoticeSendSchema.pick({ title: true, body: true, replySpec: true })
  .extend({ priority: z.enum(NOTICE_PRIORITIES).optional() })
  .strict();
export type NoticeCorrection = z.infer<typeof NoticeCorrectionSchema>;

export const AttachmentSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
});

export const NoticeSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  sender: Ref,
  senderOrg: Ref,
  title: z.string(),
  body: z.string(),
  priority: z.enum(NOTICE_PRIORITIES),
  deadlineSeconds: z.number().int(),
  replySpec: ReplySpecSchema.nullable(),
  targetSpec: z.unknown(),
  targetCount: z.number().int(),
  acknowledgedCount: z.number().int(),
  sentAt: z.string(),
  correctionOf: z.number().int().nullable(),
  supersededBy: z.number().int().nullable(),
  attachments: z.array(AttachmentSchema),
});
export type Notice = z.infer<typeof NoticeSchema>;

export const NoticeDetailSchema = NoticeSchema.extend({
  /** the chain of corrections, oldest first (this notice included) */
  history: z.array(
    z.object({ id: z.number().int(), title: z.string(), body: z.string(), sentAt: z.string(), current: z.boolean() }),
  ),
});

export const NoticeListQuerySchema = z
  .object({
    districtId: QueryId.optional(),
    priority: z.enum(NOTICE_PRIORITIES).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export const NoticeListSchema = z.object({
  items: z.array(NoticeSchema.omit({ body: true, targetSpec: true, attachments: true })),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** A receipt as its responsible cadre sees it in the inbox. */
export const InboxItemSchema = z.object({
  targetId: z.number().int(),
  noticeId: z.number().int(),
  title: z.string(),
  body: z.string(),
  priority: z.enum(NOTICE_PRIORITIES),
  sender: Ref,
  senderOrg: Ref,
  sentAt: z.string(),
  deadlineAt: z.string(),
  org: Ref,
  grid: Ref.nullable(),
  replySpec: ReplySpecSchema.nullable(),
  acknowledgedAt: z.string().nullable(),
  reply: ReplySchema.nullable(),
  correctionOf: z.number().int().nullable(),
  supersededBy: z.number().int().nullable(),
  escalationLevel: z.number().int(),
  attachments: z.array(AttachmentSchema),
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

export const InboxQuerySchema = z
  .object({
    status: z.enum(['pending', 'acknowledged', 'all']).default('all'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const InboxSchema = z.object({ items: z.array(InboxItemSchema), pending: z.number().int() });

export const TargetParamSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const AttachmentParamSchema = z.object({ id: QueryId, attachmentId: QueryId });

/** 确认收到 one tap; the reply may come with it (or with a second tap later). */
export const AckSchema = z
  .object({
    channel: z.enum(ACK_CHANNELS).default('web'),
    reply: ReplySchema.optional(),
  })
  .strict();

export const AckResultSchema = z.object({
  targetId: z.number().int(),
  noticeId: z.number().int(),
  acknowledgedAt: z.string(),
  acknowledgedBy: z.number().int(),
  channel: z.string(),
  onTime: z.boolean(),
  /** false when it was acknowledged before (a double tap changes nothing) */
  firstAck: z.boolean(),
  reply: ReplySchema.nullable(),
});

const LevelReachSchema = z.object({
  level: z.enum(NOTICE_LEVELS),
  targets: z.number().int(),
  acknowledged: z.number().int(),
  onTime: z.number().int(),
  onTimeRate: z.number(),
  medianSeconds: z.number().nullable(),
  p95Seconds: z.number().nullable(),
});

export const ReachReportSchema = z.object({
  noticeId: z.number().int(),
  priority: z.enum(NOTICE_PRIORITIES),
  deadlineSeconds: z.number().int(),
  sentAt: z.string(),
  elapsedSeconds: z.number(),
  total: LevelReachSchema.omit({ level: true }).extend({
    pending: z.number().int(),
    late: z.number().int(),
    escalated: z.number().int(),
    replies: z.number().int(),
  }),
  levels: z.array(LevelReachSchema),
  timeline: z.array(
    z.object({
      fromSeconds: z.number(),
      toSeconds: z.number(),
      acknowledged: z.number().int(),
      cumulative: z.number().int(),
    }),
  ),
  /** late receipts (first 200): unacknowledged past the deadline or acknowledged after it */
  lateList: z.array(
    z.object({
      targetId: z.number().int(),
      org: Ref,
      grid: Ref.nullable(),
      level: z.enum(NOTICE_LEVELS),
      acknowledgedAt: z.string().nullable(),
      escalationLevel: z.number().int(),
    }),
  ),
});
export type ReachReport = z.infer<typeof ReachReportSchema>;

export const OnTimeQuerySchema = z
  .object({
    districtId: QueryId.optional(),
    /** 2026-11 (Asia/Shanghai month) */
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  })
  .strict();
export const OnTimeSchema = z.object({
  month: z.string(),
  towns: z.array(
    z.object({
      townId: z.number().int(),
      townName: z.string(),
      targets: z.number().int(),
      onTime: z.number().int(),
      onTimeRate: z.number(),
    }),
  ),
});

export const StreamQuerySchema = z
  .object({
    /** send the greeting event and close (health checks and tests) */
    once: z.enum(['1', 'true']).optional(),
  })
  .strict();

/** Events pushed on /api/notices/stream (text/event-stream, one JSON per `data:` line). */
export type NoticeStreamEvent =
  | { type: 'ready'; accountId: number; pending: number }
  | {
      type: 'notice';
      targetId: number;
      noticeId: number;
      title: string;
      priority: NoticePriority;
      deadlineAt: string;
      correctionOf: number | null;
    }
  | { type: 'ack'; noticeId: number; targetId: number; acknowledgedAt: string }
  | { type: 'escalation'; noticeId: number; targetId: number; level: number; orgName: string; title: string };
