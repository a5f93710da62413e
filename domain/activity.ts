import { z } from 'zod';
import { PhoneInputSchema } from './person.ts';
import { MAX_SUMMARY_PHOTOS, PhotoSchema, PhotoUploadSchema } from './photo.ts';

/**
 * 活动 activities: themes (征集主题) → plans (活动方案) → activities → sign-up / attendance →
 * summary (总结) → publicity (宣传). One explicit state machine covers a plan and the activity it
 * becomes; every transition is recorded as an event with actor and time.
 */

// ---------------------------------------------------------------------------------------------
// State machine
// ---------------------------------------------------------------------------------------------

/** Statuses of a plan (draft … approved) and of the activity an approved plan becomes (open …). */
export const ACTIVITY_STATUSES = [
  /** 草稿 */
  'draft',
  /** 已提交 awaiting the level above */
  'submitted',
  /** 已通过 approved: may become an activity */
  'approved',
  /** 已退回 sent back with comments */
  'returned',
  /** 报名中 sign-up open */
  'open',
  /** 进行中 */
  'running',
  /** 已结束 */
  'finished',
  /** 已总结 */
  'summarised',
  /** 已宣传 published to the public page */
  'published',
  /** 已取消 */
  'cancelled',
] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'returned', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const RUN_STATUSES = ['open', 'running', 'finished', 'summarised', 'published', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ACTIVITY_ACTIONS = [
  'submit',
  'approve',
  'return',
  'resubmit',
  'open',
  'start',
  'finish',
  'summarise',
  'publish',
  'cancel',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** The states from which an action is allowed, and where it leads. Anything not listed is forbidden. */
export const TRANSITIONS: Record<ActivityStatus, Partial<Record<ActivityAction, ActivityStatus>>> = {
  draft: { submit: 'submitted', cancel: 'cancelled' },
  submitted: { approve: 'approved', return: 'returned', cancel: 'cancelled' },
  returned: { resubmit: 'submitted', cancel: 'cancelled' },
  approved: { open: 'open', cancel: 'cancelled' },
  open: { start: 'running', cancel: 'cancelled' },
  running: { finish: 'finished', cancel: 'cancelled' },
  finished: { summarise: 'summarised' },
  summarised: { publish: 'published' },
  published: {},
  cancelled: {},
};

/** "Open" states: those that may still be cancelled (everything before the work is done). */
export const CANCELLABLE_STATUSES = ACTIVITY_STATUSES.filter((s) => TRANSITIONS[s].cancel !== undefined);

/** Where `action` leads from `from`, or null when the machine forbids it. */
export function nextStatus(from: ActivityStatus, action: ActivityAction): ActivityStatus | null {
  return TRANSITIONS[from][action] ?? null;
}

/** The statuses from which `action` is allowed (for conditional UPDATE … WHERE status IN (…)). */
export function statusesAllowing(action: ActivityAction): ActivityStatus[] {
  return ACTIVITY_STATUSES.filter((s) => TRANSITIONS[s][action] !== undefined);
}

/** A plan's fields may be edited while it is a draft or returned; an activity's only while sign-up is open. */
export function planEditable(status: PlanStatus): boolean {
  return status === 'draft' || status === 'returned';
}
export function activityEditable(status: RunStatus): boolean {
  return status === 'open';
}

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

/** The four default categories (editable per district). */
export const DEFAULT_CATEGORIES = [
  { code: 'livelihood', name: '社会民生' },
  { code: 'industry', name: '产业服务' },
  { code: 'education', name: '教育培训' },
  { code: 'culture', name: '人文宣传' },
] as const;

/** Check-in opens this many minutes before the start by default, and closes at the end. */
export const DEFAULT_CHECKIN_BEFORE_MINUTES = 30;

/** Whether an instant lies in the check-in window of an activity. */
export function inCheckinWindow(now: Date, startsAt: string, endsAt: string, beforeMinutes: number): boolean {
  const t = now.getTime();
  return t >= Date.parse(startsAt) - beforeMinutes * 60_000 && t <= Date.parse(endsAt);
}

/** Whether sign-up is open at `now`. */
export function inSignupWindow(now: Date, opensAt: string, closesAt: string): boolean {
  const t = now.getTime();
  return t >= Date.parse(opensAt) && t < Date.parse(closesAt);
}

/** A name shown on public pages: the family name and a star (张*), never the full name. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return `${chars[0]}${'*'.repeat(Math.max(1, Math.min(chars.length - 1, 2)))}`;
}

/** Escapes text for HTML (comments are stored as typed and escaped wherever they are rendered as markup). */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c as '&'],
  );
}

/** Share of `part` in `whole` as a percentage with one decimal; 0 when whole is 0. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u);
/** Multi-line text (comments, summaries): newlines and tabs allowed, other control characters not. */
const LongText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^(?:[^\p{Cc}]|[\n\r\t])*$/u);
const Instant = z.iso.datetime({ offset: true });
const Id = z.number().int().positive().max(2147483647);
const Fen = z.number().int().min(0).max(1_000_000_000_00);
const RefSchema = z.object({ id: z.number().int(), name: z.string() });

export const CategorySchema = z.object({
  id: z.number().int(),
  code: z.string().nullable(),
  name: z.string(),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export const CategoryListSchema = z.object({ items: z.array(CategorySchema) });
export const CategoryCreateSchema = z
  .object({ name: Text(30).min(1), sortOrder: z.number().int().min(0).max(1000).optional() })
  .strict();
export const CategoryUpdateSchema = z
  .object({
    name: Text(30).min(1).optional(),
    active: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .strict();
export const DistrictQuerySchema = z.object({ districtId: z.coerce.number().int().positive().optional() }).strict();

// Themes 征集主题 ---------------------------------------------------------------------------------

export const THEME_STATUSES = ['soliciting', 'published', 'closed'] as const;
export const ThemeCreateSchema = z
  .object({
    orgId: Id,
    title: Text(100).min(1),
    description: LongText(2000).optional(),
    /** 征集截止 */
    deadline: Instant,
  })
  .strict();
export type ThemeCreate = z.infer<typeof ThemeCreateSchema>;
export const IdeaSchema = z.object({
  id: z.number().int(),
  text: z.string(),
  /** 张* (a youth) or the cadre's display name */
  author: z.string(),
  source: z.enum(['staff', 'public']),
  shortlisted: z.boolean(),
  createdAt: z.string(),
});
export const ThemeSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  org: RefSchema,
  title: z.string(),
  description: z.string().nullable(),
  deadline: z.string(),
  status: z.enum(THEME_STATUSES),
  publishedAt: z.string().nullable(),
  ideaCount: z.number().int(),
  planCount: z.number().int(),
  createdAt: z.string(),
});
export const ThemeDetailSchema = ThemeSchema.extend({ ideas: z.array(IdeaSchema) });
export const ThemeListSchema = z.object({ items: z.array(ThemeSchema) });
export const ThemeListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(THEME_STATUSES).optional(),
  })
  .strict();
export const IdeaCreateSchema = z.object({ text: LongText(500).min(1) }).strict();
export const PublicIdeaCreateSchema = z
  .object({ name: Text(50).min(1), phone: PhoneInputSchema, text: LongText(500).min(1) })
  .strict();
export const ShortlistSchema = z.object({ shortlisted: z.boolean() }).strict();
export const PublicThemeSchema = z.object({
  id: z.number().int(),
  orgName: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  deadline: z.string(),
  status: z.enum(THEME_STATUSES),
  /** shortlisted ideas once published */
  shortlist: z.array(z.object({ text: z.string(), author: z.string() })),
});

// Plans 活动方案 -----------------------------------------------------------------------------------

const PlanFields = {
  themeId: Id.nullish(),
  /** 主办组织 */
  orgId: Id,
  title: Text(100).min(1),
  /** 活动目的 */
  purpose: LongText(2000).min(1),
  categoryId: Id,
  /** 涉及网格 */
  gridIds: z.array(Id).max(50).default([]),
  /** 地点 */
  venue: Text(200).min(1),
  startsAt: Instant,
  endsAt: Instant,
  /** 计划人数 */
  capacity: z.number().int().min(1).max(100000),
  /** 所需经费（分） */
  budgetFen: Fen.default(0),
  /** 所需资源 */
  resources: LongText(1000).optional(),
  /** 工作团队 */
  team: Text(500).optional(),
  /** 品牌项目 */
  brandProject: z.boolean().default(false),
  /** 网格项目 */
  gridProject: z.boolean().default(false),
};
const rangeOrder = (v: { startsAt?: string; endsAt?: string }, ctx: z.RefinementCtx) => {
  if (v.startsAt && v.endsAt && Date.parse(v.endsAt) <= Date.parse(v.startsAt)) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'activity.rangeOrder' });
  }
};
export const PlanCreateSchema = z.object(PlanFields).strict().superRefine(rangeOrder);
export type PlanCreate = z.infer<typeof PlanCreateSchema>;
export const PlanUpdateSchema = z
  .object({
    themeId: PlanFields.themeId,
    title: PlanFields.title.optional(),
    purpose: PlanFields.purpose.optional(),
    categoryId: Id.optional(),
    gridIds: z.array(Id).max(50).optional(),
    venue: PlanFields.venue.optional(),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    capacity: PlanFields.capacity.optional(),
    budgetFen: Fen.optional(),
    resources: PlanFields.resources,
    team: PlanFields.team,
    brandProject: z.boolean().optional(),
    gridProject: z.boolean().optional(),
  })
  .strict()
  .superRefine(rangeOrder);
export type PlanUpdate = z.infer<typeof PlanUpdateSchema>;

export const EventSchema = z.object({
  id: z.number().int(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actor: z.string().nullable(),
  note: z.string().nullable(),
  at: z.string(),
});

export const CommentSchema = z.object({
  id: z.number().int(),
  author: z.string(),
  text: z.string(),
  reply: z.string().nullable(),
  /** 采纳 / 未采纳 */
  adopted: z.boolean().nullable(),
  reason: z.string().nullable(),
  repliedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const PlanSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  theme: RefSchema.nullable(),
  org: RefSchema,
  title: z.string(),
  purpose: z.string(),
  category: RefSchema,
  grids: z.array(RefSchema),
  venue: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  budgetFen: z.number().int(),
  resources: z.string().nullable(),
  team: z.string().nullable(),
  brandProject: z.boolean(),
  gridProject: z.boolean(),
  status: z.enum(PLAN_STATUSES),
  reviewNote: z.string().nullable(),
  activityCount: z.number().int(),
  commentCount: z.number().int(),
  createdAt: z.string(),
  canApprove: z.boolean(),
});
export type Plan = z.infer<typeof PlanSchema>;
export const PlanDetailSchema = PlanSchema.extend({
  comments: z.array(CommentSchema),
  events: z.array(EventSchema),
  activities: z.array(z.object({ id: z.number().int(), status: z.enum(RUN_STATUSES), startsAt: z.string() })),
});
export const PlanListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(PLAN_STATUSES).optional(),
    themeId: z.coerce.number().int().positive().max(2147483647).optional(),
    view: z.enum(['all', 'to_approve']).default('all'),
  })
  .strict();
export const PlanListSchema = z.object({ items: z.array(PlanSchema) });
export const ReviewNoteSchema = z
  .object({ note: LongText(1000).optional() })
  .strict()
  .optional();
export const ReturnSchema = z.object({ note: LongText(1000).min(1) }).strict();

export const PublicCommentCreateSchema = z
  .object({ name: Text(50).min(1), phone: PhoneInputSchema, text: LongText(1000).min(1) })
  .strict();
export const CommentReplySchema = z
  .object({ reply: LongText(1000).min(1), adopted: z.boolean(), reason: LongText(500).optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.adopted && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'activity.reasonRequired' });
  });
export const PublicPlanSchema = z.object({
  id: z.number().int(),
  orgName: z.string(),
  themeTitle: z.string().nullable(),
  title: z.string(),
  purpose: z.string(),
  category: z.string(),
  venue: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  status: z.enum(PLAN_STATUSES),
  comments: z.array(CommentSchema),
});

// Activities 活动 ---------------------------------------------------------------------------------

export const ActivityOpenSchema = z
  .object({
    /** defaults to the plan's */
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    capacity: z.number().int().min(1).max(100000).optional(),
    signupOpensAt: Instant.optional(),
    signupClosesAt: Instant,
    checkinBeforeMinutes: z.number().int().min(0).max(720).default(DEFAULT_CHECKIN_BEFORE_MINUTES),
  })
  .strict()
  .superRefine((v, ctx) => {
    rangeOrder(v, ctx);
    if (v.signupOpensAt && Date.parse(v.signupClosesAt) <= Date.parse(v.signupOpensAt))
      ctx.addIssue({ code: 'custom', path: ['signupClosesAt'], message: 'activity.rangeOrder' });
  });
export type ActivityOpen = z.infer<typeof ActivityOpenSchema>;
export const ActivityUpdateSchema = z
  .object({
    title: Text(100).min(1).optional(),
    venue: Text(200).min(1).optional(),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    capacity: z.number().int().min(1).max(100000).optional(),
    signupClosesAt: Instant.optional(),
  })
  .strict()
  .superRefine(rangeOrder);
export type ActivityUpdate = z.infer<typeof ActivityUpdateSchema>;

export const ActivitySchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  planId: z.number().int(),
  org: RefSchema,
  title: z.string(),
  category: RefSchema,
  grids: z.array(RefSchema),
  venue: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  admitted: z.number().int(),
  waitlisted: z.number().int(),
  attended: z.number().int(),
  signupOpensAt: z.string(),
  signupClosesAt: z.string(),
  checkinBeforeMinutes: z.number().int(),
  status: z.enum(RUN_STATUSES),
  brandProject: z.boolean(),
  gridProject: z.boolean(),
  /** the public sign-up / check-in page (signed, revocable token) */
  qrUrl: z.string().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Activity = z.infer<typeof ActivitySchema>;
export const SummarySchema = z.object({
  text: z.string(),
  attendance: z.number().int(),
  outcome: z.string().nullable(),
  spendFen: z.number().int(),
  createdAt: z.string(),
  /** 总结照片 (re-encoded, no metadata) */
  photos: z.array(PhotoSchema),
});
export const ActivityDetailSchema = ActivitySchema.extend({
  summary: SummarySchema.nullable(),
  events: z.array(EventSchema),
  rating: z.object({ count: z.number().int(), average: z.number().nullable() }),
});
export const ActivityListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(RUN_STATUSES).optional(),
    planId: z.coerce.number().int().positive().max(2147483647).optional(),
  })
  .strict();
export const ActivityListSchema = z.object({ items: z.array(ActivitySchema) });
export const QrTokenSchema = z.object({ token: z.string(), url: z.string(), expiresAt: z.string() });

export const SIGNUP_STATUSES = ['admitted', 'waitlisted', 'cancelled'] as const;
export const SIGNUP_SOURCES = ['online', 'qr', 'call', 'walk_in'] as const;
export const SignupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** masked */
  phone: z.string(),
  personId: z.number().int().nullable(),
  gridId: z.number().int().nullable(),
  status: z.enum(SIGNUP_STATUSES),
  source: z.enum(SIGNUP_SOURCES),
  checkedInAt: z.string().nullable(),
  /** 未到 admitted, not checked in, activity over */
  noShow: z.boolean(),
  createdAt: z.string(),
});
export const SignupListSchema = z.object({ items: z.array(SignupSchema) });
export const PublicSignupSchema = z
  .object({ name: Text(50).min(1), phone: PhoneInputSchema, callId: Id.optional() })
  .strict();
export const PublicSignupResultSchema = z.object({
  status: z.enum(['admitted', 'waitlisted']),
  /** place in the waiting list (1 = next) */
  position: z.number().int().nullable(),
});
export const WalkInSchema = z.object({ name: Text(50).min(1), phone: PhoneInputSchema }).strict();
export const CheckinByPhoneSchema = z.object({ phone: PhoneInputSchema }).strict();
export const CheckinResultSchema = z.object({ checkedInAt: z.string(), walkIn: z.boolean() });
export const RatingCreateSchema = z
  .object({ phone: PhoneInputSchema, stars: z.number().int().min(1).max(5), comment: LongText(500).optional() })
  .strict();
export const RatingSchema = z.object({
  stars: z.number().int(),
  comment: z.string().nullable(),
  createdAt: z.string(),
});

export const SummaryCreateSchema = z
  .object({
    text: LongText(5000).min(1),
    /** defaults to the number checked in */
    attendance: z.number().int().min(0).max(1000000).optional(),
    outcome: LongText(2000).optional(),
    spendFen: Fen.default(0),
    /** 总结照片: JPEG/PNG/WebP checked by content, ≤ 5 MB each; stored with the summary or not at all */
    photos: z.array(PhotoUploadSchema).max(MAX_SUMMARY_PHOTOS).default([]),
  })
  .strict();

export const PublicActivitySchema = z.object({
  id: z.number().int(),
  orgName: z.string(),
  title: z.string(),
  category: z.string(),
  venue: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(RUN_STATUSES),
  capacity: z.number().int(),
  placesLeft: z.number().int(),
  signupOpensAt: z.string(),
  signupClosesAt: z.string(),
  checkinOpensAt: z.string(),
  summary: z
    .object({
      text: z.string(),
      attendance: z.number().int(),
      outcome: z.string().nullable(),
      /** served by /api/public/photos/:id */
      photos: z.array(PhotoSchema),
    })
    .nullable(),
  rating: z.object({ count: z.number().int(), average: z.number().nullable() }),
  ratings: z.array(RatingSchema),
});

// Calls 二维召集令 --------------------------------------------------------------------------------

export const CallCreateSchema = z
  .object({
    activityId: Id,
    title: Text(100).min(1),
    message: LongText(2000).min(1),
    categoryIds: z.array(Id).max(20).default([]),
    skills: z.array(Text(30).min(1)).max(20).default([]),
    gridIds: z.array(Id).max(500).default([]),
  })
  .strict();
export const CallSchema = z.object({
  id: z.number().int(),
  activityId: z.number().int(),
  org: RefSchema,
  title: z.string(),
  message: z.string(),
  categoryIds: z.array(z.number().int()),
  skills: z.array(z.string()),
  gridIds: z.array(z.number().int()),
  /** youth in the registry the call reaches (skill / grid filter) */
  recipients: z.number().int(),
  signups: z.number().int(),
  /** sign-ups whose home grid is not one of the organising grids (cross-grid interaction) */
  fromOutside: z.number().int(),
  qrUrl: z.string().nullable(),
  createdAt: z.string(),
});
export const CallListSchema = z.object({ items: z.array(CallSchema) });

// Service teams 服务团队 -------------------------------------------------------------------------

export const TEAM_KINDS = ['grid_volunteer', 'caring_mentoring', 'professional', 'other'] as const;
export const TeamCreateSchema = z
  .object({
    orgId: Id,
    name: Text(100).min(1),
    kind: z.enum(TEAM_KINDS),
    categoryId: Id,
    /** 牵头单位: an org of the network or free text */
    leadOrgId: Id.nullish(),
    leadUnit: Text(100).optional(),
    gridIds: z.array(Id).max(50).default([]),
  })
  .strict();
export const TeamUpdateSchema = z
  .object({
    name: Text(100).min(1).optional(),
    kind: z.enum(TEAM_KINDS).optional(),
    categoryId: Id.optional(),
    leadOrgId: Id.nullish(),
    leadUnit: Text(100).nullish(),
    gridIds: z.array(Id).max(50).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export const MEMBER_ROLES = ['member', 'backbone', 'reserve'] as const;
export const TeamMemberSetSchema = z.object({ personId: Id, role: z.enum(MEMBER_ROLES) }).strict();
export const TeamSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  org: RefSchema,
  name: z.string(),
  kind: z.enum(TEAM_KINDS),
  category: RefSchema,
  leadOrg: RefSchema.nullable(),
  leadUnit: z.string().nullable(),
  grids: z.array(RefSchema),
  members: z.number().int(),
  backbones: z.number().int(),
  reserves: z.number().int(),
  /** 骨干不足: fewer than 2 backbones or 2 reserve backbones */
  warnings: z.array(z.enum(['backbones_missing', 'reserves_missing'])),
  active: z.boolean(),
  createdAt: z.string(),
});
export const TeamDetailSchema = TeamSchema.extend({
  memberList: z.array(
    z.object({ personId: z.number().int(), name: z.string(), role: z.enum(MEMBER_ROLES), hours: z.number() }),
  ),
});
export const TeamListSchema = z.object({ items: z.array(TeamSchema) });
export const REQUIRED_BACKBONES = 2;
export const REQUIRED_RESERVES = 2;
export function teamWarnings(backbones: number, reserves: number) {
  const w: ('backbones_missing' | 'reserves_missing')[] = [];
  if (backbones < REQUIRED_BACKBONES) w.push('backbones_missing');
  if (reserves < REQUIRED_RESERVES) w.push('reserves_missing');
  return w;
}
export const GridsWithoutTeamSchema = z.object({
  items: z.array(z.object({ id: z.number().int(), name: z.string(), orgName: z.string() })),
});
export const VolunteerHoursQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .strict();
export const VolunteerHoursSchema = z.object({
  items: z.array(
    z.object({ personId: z.number().int(), name: z.string(), activities: z.number().int(), hours: z.number() }),
  ),
});

// Figures 统计 ------------------------------------------------------------------------------------

export const FiguresQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().max(2147483647).optional(),
    from: Instant,
    to: Instant,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (Date.parse(v.to) <= Date.parse(v.from))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'activity.rangeOrder' });
    if (Date.parse(v.to) - Date.parse(v.from) > 3 * 366 * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'activity.rangeTooLong' });
  });
export type FiguresQuery = z.infer<typeof FiguresQuerySchema>;
export const FunnelSchema = z.object({
  themes: z.number().int(),
  plans: z.number().int(),
  activities: z.number().int(),
  summaries: z.number().int(),
  published: z.number().int(),
});
export const ParticipationRow = z.object({
  id: z.number().int(),
  name: z.string(),
  registered: z.number().int(),
  participants: z.number().int(),
  rate: z.number(),
});
export const ParticipationSchema = z.object({
  total: ParticipationRow.omit({ id: true, name: true }),
  towns: z.array(ParticipationRow),
  grids: z.array(ParticipationRow),
  months: z.array(z.object({ month: z.string(), participants: z.number().int(), rate: z.number() })),
});
export const ByCategorySchema = z.object({
  items: z.array(
    z.object({ id: z.number().int(), name: z.string(), activities: z.number().int(), teams: z.number().int() }),
  ),
});
