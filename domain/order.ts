import { z } from 'zod';
import { CaptchaAnswerSchema } from './captcha.ts';
import { normalisePhone } from './identity.ts';
import { MAX_REQUEST_PHOTOS, MAX_WORK_PHOTOS, PhotoSchema, PhotoUploadSchema } from './photo.ts';

/** 点单来源 where a need comes from (Ouhai: 党政所需 / 群众所求 / 共青团所能, plus 青年之声 and visits). */
export const ORDER_SOURCES = [
  /** 党政所需 party & government needs, entered by cadres */
  'party_gov',
  /** 群众所求 a resident's request (public phone page or entered on behalf at a service point) */
  'resident',
  /** 共青团所能 a resident orders an offered service from the menu */
  'menu',
  /** 青年之声 / 12355 hotline */
  'youth_voice',
  /** 走访 collected on a visit */
  'visit',
] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/** 服务类别 categories of needs and offered services. */
export const ORDER_CATEGORIES = [
  /** 社会民生 livelihood (elderly care, repairs, neighbourhood help) */
  'livelihood',
  /** 教育培训 education & tutoring */
  'education',
  /** 心理关爱 counselling and care */
  'care',
  /** 法律咨询 legal advice */
  'legal',
  /** 就业创业 jobs and start-ups */
  'employment',
  /** 文体活动 culture and sports */
  'culture',
  /** 环境治理 environment (河小二, clean-ups) */
  'environment',
  /** 平安志愿 safety patrols and volunteering */
  'safety',
  /** 其他 other */
  'other',
] as const;
export type OrderCategory = (typeof ORDER_CATEGORIES)[number];

/** 派单分类 即办件 / 非即办件 / 疑难 */
export const ORDER_CLASSIFICATIONS = ['immediate', 'non_immediate', 'hard'] as const;
export type OrderClassification = (typeof ORDER_CLASSIFICATIONS)[number];

export const ORDER_STATUSES = [
  'submitted',
  'classified',
  'dispatched',
  'accepted',
  'in_progress',
  'done',
  'rated',
  'rejected',
  'cancelled',
  'returned',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Orders an assignee still works on (its current workload). */
export const OPEN_ASSIGNED_STATUSES: readonly OrderStatus[] = ['dispatched', 'accepted', 'in_progress'];
/** Orders no one will act on any more. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['rated', 'rejected', 'cancelled'];

/** Actions on an order and the statuses they may start from. */
export const ORDER_TRANSITIONS = {
  classify: { from: ['submitted', 'classified', 'returned'], to: 'classified' },
  dispatch: { from: ['classified', 'dispatched', 'returned'], to: 'dispatched' },
  accept: { from: ['dispatched'], to: 'accepted' },
  decline: { from: ['dispatched'], to: 'returned' },
  start: { from: ['accepted'], to: 'in_progress' },
  complete: { from: ['accepted', 'in_progress'], to: 'done' },
  rate: { from: ['done'], to: 'rated' },
  reject: { from: ['submitted', 'classified', 'returned'], to: 'rejected' },
  cancel: { from: ['submitted', 'classified', 'dispatched', 'returned'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus }>;
export type OrderAction = keyof typeof ORDER_TRANSITIONS;

export function canTransition(action: OrderAction, from: OrderStatus): boolean {
  return (ORDER_TRANSITIONS[action].from as readonly OrderStatus[]).includes(from);
}

/** At most this many dispatches per order: a re-dispatch loop is refused beyond it. */
export const MAX_DISPATCHES = 5;

/** 件件有回音 deadlines per class, in hours: first response and completion (from the dispatch). */
export const DEFAULT_DEADLINE_HOURS: Record<OrderClassification, { respond: number; complete: number }> = {
  immediate: { respond: 2, complete: 24 },
  non_immediate: { respond: 24, complete: 7 * 24 },
  hard: { respond: 72, complete: 30 * 24 },
};

/** The response and completion deadlines of a dispatch made at `dispatchedAt` (instants: no time-zone arithmetic). */
export function orderDeadlines(
  classification: OrderClassification,
  dispatchedAt: Date,
  hours = DEFAULT_DEADLINE_HOURS,
): { respondDueAt: Date; completeDueAt: Date } {
  const h = hours[classification];
  return {
    respondDueAt: new Date(dispatchedAt.getTime() + h.respond * 3600_000),
    completeDueAt: new Date(dispatchedAt.getTime() + h.complete * 3600_000),
  };
}

/** Which org kinds fit which class: 即办件 → service teams / social orgs, 非即办件 → partner units, 疑难 → the district. */
export const CLASS_ORG_KINDS: Record<OrderClassification, readonly string[]> = {
  immediate: ['youth_social_org', 'youth_club', 'grid_branch', 'branch', 'village_branch', 'community_branch'],
  non_immediate: ['partner_unit', 'two_new_committee', 'industry_committee', 'business_district_committee'],
  hard: ['district_committee', 'town_committee', 'devzone_committee', 'alliance'],
};

// ── tracking numbers ──────────────────────────────────────────────────────────────────────────

/** Characters of the random part: no 0/O, 1/I/L (read over the phone). */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TRACKING_RE = /^JW\d{8}[2-9A-HJKMNP-Z]{6}$/;

/** JW + the Shanghai date (yyyymmdd) + 6 random characters (31^6 ≈ 887 million a day). `random` yields 0 ≤ x < 1. */
export function makeTrackingNo(now: Date, random: () => number): string {
  const date = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  let tail = '';
  for (let i = 0; i < 6; i++) tail += TRACKING_ALPHABET[Math.floor(random() * TRACKING_ALPHABET.length)];
  return `JW${date}${tail}`;
}

// ── two rates 两率 ─────────────────────────────────────────────────────────────────────────────

/** One dispatch of an order to an org, as the response rate counts it. */
export type DispatchRecord = {
  dispatchedAt: Date;
  respondDueAt: Date;
  outcome: 'pending' | 'accepted' | 'declined' | 'withdrawn';
  respondedAt: Date | null;
};

export type Rate = { numerator: number; denominator: number; rate: number | null };

const rateOf = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
});

/**
 * 响应率 response rate: accepted within the response deadline ÷ dispatches that were answered or are
 * overdue. A dispatch still pending before its deadline is not counted yet; a decline, a withdrawal
 * without an answer past the deadline, and an acceptance after it count against the org.
 */
export function responseRate(dispatches: readonly DispatchRecord[], now: Date): Rate {
  let numerator = 0;
  let denominator = 0;
  for (const d of dispatches) {
    const overdue = now.getTime() > d.respondDueAt.getTime();
    if (d.outcome === 'pending' && !overdue) continue;
    if (d.outcome === 'withdrawn' && !overdue && d.respondedAt === null) continue;
    denominator++;
    if (d.outcome === 'accepted' && d.respondedAt && d.respondedAt.getTime() <= d.respondDueAt.getTime()) numerator++;
  }
  return rateOf(numerator, denominator);
}

/** A score of 4 or 5 stars counts as satisfied (满意 / 基本满意). */
export const SATISFIED_MIN_SCORE = 4;

/** 满意率 satisfaction rate: ratings of ≥ 4 stars ÷ all ratings. */
export function satisfactionRate(scores: readonly number[]): Rate {
  return rateOf(scores.filter((s) => s >= SATISFIED_MIN_SCORE).length, scores.length);
}

/** Threshold below which an org's annual two rates mark it not eligible for incubation (Ouhai: 80%). */
export const INCUBATION_THRESHOLD = 0.8;

/** Eligible when both known rates reach the threshold; unknown (no data) rates do not disqualify. */
export function incubationEligible(response: Rate, satisfaction: Rate, threshold = INCUBATION_THRESHOLD): boolean {
  return (response.rate ?? 1) >= threshold && (satisfaction.rate ?? 1) >= threshold;
}

// ── suggested assignees ───────────────────────────────────────────────────────────────────────

/** What the suggestion ranking knows about one candidate org. */
export type SuggestionInput = {
  orgId: number;
  orgKind: string;
  /** the org offers an active service of the order's category */
  categoryMatch: boolean;
  /** metres from the order's point to the org's nearest venue or grid centroid; null when unknown */
  distanceMeters: number | null;
  /** orders dispatched to it and not yet done */
  openOrders: number;
  /** ratings received and how many were ≥ 4 */
  ratings: number;
  satisfied: number;
};

export const SUGGESTION_WEIGHTS = { category: 40, distance: 30, workload: 15, satisfaction: 15, kind: 10 } as const;
/** Distance at which the distance score halves. */
export const DISTANCE_HALF_METERS = 2000;

export type ScoreComponents = {
  category: number;
  distance: number;
  workload: number;
  satisfaction: number;
  kind: number;
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The score of one candidate, with its parts: category match 40, distance 30 / (1 + d / 2 km), workload
 * 15 / (1 + open orders), satisfaction 15 × rate (no ratings yet: half), class fit 10.
 */
export function scoreSuggestion(
  c: SuggestionInput,
  classification: OrderClassification | null,
): { score: number; components: ScoreComponents } {
  const w = SUGGESTION_WEIGHTS;
  const components: ScoreComponents = {
    category: c.categoryMatch ? w.category : 0,
    distance: c.distanceMeters === null ? 0 : round1(w.distance / (1 + c.distanceMeters / DISTANCE_HALF_METERS)),
    workload: round1(w.workload / (1 + Math.max(0, c.openOrders))),
    satisfaction: round1(w.satisfaction * (c.ratings > 0 ? c.satisfied / c.ratings : 0.5)),
    kind: classification && CLASS_ORG_KINDS[classification].includes(c.orgKind) ? w.kind : 0,
  };
  const score = round1(
    components.category + components.distance + components.workload + components.satisfaction + components.kind,
  );
  return { score, components };
}

/** Candidates best first: score, then nearer, then fewer open orders, then id (deterministic). */
export function rankSuggestions<T extends SuggestionInput>(
  candidates: readonly T[],
  classification: OrderClassification | null,
): (T & { score: number; components: ScoreComponents })[] {
  return candidates
    .map((c) => ({ ...c, ...scoreSuggestion(c, classification) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        (a.distanceMeters ?? Number.POSITIVE_INFINITY) - (b.distanceMeters ?? Number.POSITIVE_INFINITY) ||
        a.openOrders - b.openOrders ||
        a.orgId - b.orgId,
    );
}

// ── schemas (the one contract) ────────────────────────────────────────────────────────────────

export const OrderSourceSchema = z.enum(ORDER_SOURCES);
export const OrderCategorySchema = z.enum(ORDER_CATEGORIES);
export const OrderClassificationSchema = z.enum(ORDER_CLASSIFICATIONS);
export const OrderStatusSchema = z.enum(ORDER_STATUSES);

export const LocationSchema = z
  .object({ lon: z.number().min(73).max(136), lat: z.number().min(3).max(54) })
  .strict()
  .describe('WGS-84');

/** A mainland mobile number, normalised (full-width digits, spaces, +86). */
export const MobileSchema = z
  .string()
  .max(30)
  .transform((raw, ctx) => {
    const r = normalisePhone(raw);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: 'phone.invalid' });
      return z.NEVER;
    }
    return r.value;
  });

export const SmsCodeSchema = z.string().regex(/^\d{6}$/, { message: 'sms.code' });
export const TrackingNoSchema = z.string().trim().toUpperCase().regex(TRACKING_RE, { message: 'order.trackingNo' });
export const TrackingParamSchema = z.object({ tracking: TrackingNoSchema });

const text = (max: number) => z.string().trim().min(1).max(max);

export const SmsCodeRequestSchema = z
  .object({
    districtId: z.number().int().positive(),
    phone: MobileSchema,
    /** order: place an order; rate: rate an order */
    purpose: z.enum(['order', 'rate']),
  })
  .strict();
export const SmsCodeSentSchema = z.object({ sent: z.literal(true), expiresInSeconds: z.number().int() });

/** 群众点单 a resident's public request: phone proven by an SMS code. */
export const PublicOrderCreateSchema = z
  .object({
    name: text(50),
    phone: MobileSchema,
    code: SmsCodeSchema,
    category: OrderCategorySchema,
    title: text(100),
    description: z.string().trim().max(2000).optional(),
    location: LocationSchema.optional(),
    address: z.string().trim().max(200).optional(),
    gridId: z.number().int().positive().optional(),
    /** ordering an offered service (共青团所能) */
    menuItemId: z.number().int().positive().optional(),
    /** a random id of the form: a replayed submission is refused */
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/)
      .optional(),
    /** asked for after repeated attempts per IP or phone (CAPTCHA_REQUIRED) */
    captcha: CaptchaAnswerSchema.optional(),
    /** 现场照片 up to 3 (JPEG/PNG/WebP by content, 5 MB each); stored with the request only, never on their own */
    photos: z.array(PhotoUploadSchema).max(MAX_REQUEST_PHOTOS).optional(),
  })
  .strict();

export const PublicOrderCreatedSchema = z.object({
  trackingNo: z.string(),
  /** signed access token for the tracking page (keep it: it proves the phone for rating) */
  token: z.string(),
  status: OrderStatusSchema,
});

/** 代点单 an order entered by a cadre (party & government need, on behalf of a resident, hotline, visit). */
export const OrderCreateSchema = z
  .object({
    source: OrderSourceSchema,
    /** the requesting org (in the caller's subtree); defaults to the grid's org or the caller's org */
    orgId: z.number().int().positive().optional(),
    gridId: z.number().int().positive().optional(),
    menuItemId: z.number().int().positive().optional(),
    category: OrderCategorySchema,
    title: text(100),
    description: z.string().trim().max(2000).optional(),
    location: LocationSchema.optional(),
    address: z.string().trim().max(200).optional(),
    requesterName: z.string().trim().min(1).max(50).optional(),
    requesterPhone: MobileSchema.optional(),
    classification: OrderClassificationSchema.optional(),
    plannedParticipants: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

export const OrderEventSchema = z.object({
  id: z.number().int(),
  action: z.string(),
  fromStatus: OrderStatusSchema.nullable(),
  toStatus: OrderStatusSchema.nullable(),
  actorKind: z.enum(['cadre', 'requester', 'system']),
  username: z.string().nullable(),
  org: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  note: z.string().nullable(),
  internal: z.boolean(),
  at: z.string(),
});

export const OrderDispatchSchema = z.object({
  id: z.number().int(),
  org: z.object({ id: z.number().int(), name: z.string() }),
  dispatchedAt: z.string(),
  respondDueAt: z.string(),
  outcome: z.enum(['pending', 'accepted', 'declined', 'withdrawn']),
  respondedAt: z.string().nullable(),
  reason: z.string().nullable(),
});

export const OrderRatingSchema = z.object({
  score: z.number().int(),
  comment: z.string().nullable(),
  byKind: z.enum(['requester', 'cadre']),
  createdAt: z.string(),
});

export const OrderSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  trackingNo: z.string(),
  source: OrderSourceSchema,
  category: OrderCategorySchema,
  title: z.string(),
  description: z.string().nullable(),
  location: LocationSchema.nullable(),
  address: z.string().nullable(),
  grid: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  org: z.object({ id: z.number().int(), name: z.string() }),
  menuItem: z.object({ id: z.number().int(), title: z.string() }).nullable(),
  requesterName: z.string().nullable(),
  /** masked: 138****1234 */
  requesterPhone: z.string().nullable(),
  classification: OrderClassificationSchema.nullable(),
  status: OrderStatusSchema,
  statusReason: z.string().nullable(),
  assignee: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  respondDueAt: z.string().nullable(),
  completeDueAt: z.string().nullable(),
  overdue: z.boolean(),
  dispatchCount: z.number().int(),
  completionNote: z.string().nullable(),
  createdAt: z.string(),
  classifiedAt: z.string().nullable(),
  dispatchedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  ratedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  rating: OrderRatingSchema.nullable(),
  plannedParticipants: z.number().int().nullable(),
  participants: z.number().int().nullable(),
  /** what the caller may do now */
  canDispatch: z.boolean(),
  canWork: z.boolean(),
});
export type Order = z.infer<typeof OrderSchema>;

export const OrderDetailSchema = OrderSchema.extend({
  events: z.array(OrderEventSchema),
  dispatches: z.array(OrderDispatchSchema),
  /** 催办 reminders sent when a deadline passed */
  reminders: z
    .array(
      z.object({
        kind: z.enum(['respond', 'complete']),
        dispatchNo: z.number().int(),
        dueAt: z.string(),
        at: z.string(),
        org: z.object({ id: z.number().int(), name: z.string() }).nullable(),
      }),
    )
    .optional(),
  /** on-site ratings by participants of a group service */
  participantRatings: z.object({ ratings: z.number().int(), satisfied: z.number().int() }).optional(),
  /** 照片: the resident's request photos and the assignee's progress/completion photos (cadres only) */
  photos: z.object({ request: z.array(PhotoSchema), work: z.array(PhotoSchema) }).optional(),
});

export const OrderListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: OrderStatusSchema.optional(),
    classification: OrderClassificationSchema.optional(),
    source: OrderSourceSchema.optional(),
    category: OrderCategorySchema.optional(),
    /** the requesting org's subtree */
    orgId: z.coerce.number().int().positive().optional(),
    /** orders assigned to this org */
    assigneeOrgId: z.coerce.number().int().positive().optional(),
    /** mine = assigned to the caller's subtree; to_dispatch = waiting for a dispatcher */
    view: z.enum(['all', 'assigned', 'to_dispatch']).default('all'),
    overdue: z.enum(['true', 'false']).optional(),
    /** tracking number or words of the title */
    q: z.string().trim().max(100).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();
export type OrderListQuery = z.infer<typeof OrderListQuerySchema>;

export const OrderListSchema = z.object({
  items: z.array(OrderSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const OrderClassifySchema = z
  .object({ classification: OrderClassificationSchema, note: z.string().trim().max(500).optional() })
  .strict();
export const OrderDispatchCreateSchema = z
  .object({
    assigneeOrgId: z.number().int().positive(),
    note: z.string().trim().max(500).optional(),
    /** 计划参与人数 of a group service (the attraction rate's denominator) */
    plannedParticipants: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export const OrderNoteSchema = z.object({ note: z.string().trim().max(2000).optional() }).strict();
export const OrderReasonSchema = z.object({ reason: text(500) }).strict();
export const OrderRateSchema = z
  .object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() })
  .strict();

/** 评单 by the requester: the access token of the tracking page, or the phone with a fresh SMS code. */
export const PublicRateSchema = z
  .object({
    token: z.string().max(200).optional(),
    phone: MobileSchema.optional(),
    code: SmsCodeSchema.optional(),
    score: z.number().int().min(1).max(5),
    comment: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((v) => !!v.token || (!!v.phone && !!v.code), { message: 'order.proofRequired', path: ['code'] });

/** The tracking page asks with the access token or the last four digits of the phone. */
export const PublicTrackSchema = z
  .object({
    token: z.string().max(200).optional(),
    phoneLast4: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
  })
  .strict()
  .refine((v) => !!v.token || !!v.phoneLast4, { message: 'order.proofRequired', path: ['phoneLast4'] });

/** What the requester sees: no internal notes, no names of cadres, no other person. */
export const PublicOrderViewSchema = z.object({
  trackingNo: z.string(),
  /** the district (codes of purpose "rate" are sent for it) */
  districtId: z.number().int(),
  category: OrderCategorySchema,
  title: z.string(),
  status: OrderStatusSchema,
  statusReason: z.string().nullable(),
  assigneeName: z.string().nullable(),
  createdAt: z.string(),
  respondDueAt: z.string().nullable(),
  completeDueAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  completionNote: z.string().nullable(),
  canRate: z.boolean(),
  rating: OrderRatingSchema.pick({ score: true, comment: true, createdAt: true }).nullable(),
  timeline: z.array(z.object({ action: z.string(), toStatus: OrderStatusSchema.nullable(), at: z.string() })),
});

/** 需求清单 public needs list: no names, no phones, no descriptions (they may hold personal details). */
export const PublicNeedSchema = z.object({
  category: OrderCategorySchema,
  title: z.string(),
  status: OrderStatusSchema,
  gridName: z.string().nullable(),
  orgName: z.string(),
  assigneeName: z.string().nullable(),
  createdAt: z.string(),
});
export const PublicNeedListSchema = z.object({
  districtId: z.number().int(),
  districtName: z.string(),
  items: z.array(PublicNeedSchema),
});
export const PublicNeedQuerySchema = z
  .object({
    category: OrderCategorySchema.optional(),
    status: z.enum(['open', 'done']).optional(),
    gridId: z.coerce.number().int().positive().optional(),
  })
  .strict();

export const MenuItemSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  org: z.object({ id: z.number().int(), name: z.string(), kind: z.string() }),
  category: OrderCategorySchema,
  title: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export const MenuItemCreateSchema = z
  .object({
    orgId: z.number().int().positive(),
    category: OrderCategorySchema,
    title: text(100),
    description: z.string().trim().max(1000).optional(),
  })
  .strict();
export const MenuItemUpdateSchema = z
  .object({
    category: OrderCategorySchema.optional(),
    title: text(100).optional(),
    description: z.string().trim().max(1000).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict();
export const MenuListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    category: OrderCategorySchema.optional(),
    active: z.enum(['true', 'false', 'all']).default('true'),
  })
  .strict();
export const MenuListSchema = z.object({ items: z.array(MenuItemSchema) });
export const PublicMenuItemSchema = MenuItemSchema.pick({
  id: true,
  category: true,
  title: true,
  description: true,
}).extend({ orgName: z.string() });
export const PublicMenuListSchema = z.object({
  districtId: z.number().int(),
  districtName: z.string(),
  items: z.array(PublicMenuItemSchema),
});

export const SuggestionSchema = z.object({
  org: z.object({ id: z.number().int(), name: z.string(), kind: z.string() }),
  score: z.number(),
  components: z.object({
    category: z.number(),
    distance: z.number(),
    workload: z.number(),
    satisfaction: z.number(),
    kind: z.number(),
  }),
  categoryMatch: z.boolean(),
  distanceMeters: z.number().nullable(),
  openOrders: z.number().int(),
  ratings: z.number().int(),
  satisfactionRate: z.number().nullable(),
  /** declined this order before */
  declinedBefore: z.boolean(),
});
export const SuggestionListSchema = z.object({
  weights: z.object({
    category: z.number(),
    distance: z.number(),
    workload: z.number(),
    satisfaction: z.number(),
    kind: z.number(),
  }),
  items: z.array(SuggestionSchema),
});

export const RateSchema = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  rate: z.number().nullable(),
});
export const RatesQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    /** service = per menu item (共青团所能) */
    groupBy: z.enum(['org', 'town', 'service']).default('org'),
    /** instants (ISO); default: the current Shanghai year */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export const RatesRowSchema = z.object({
  org: z.object({ id: z.number().int(), name: z.string(), kind: z.string() }),
  /** with groupBy=service: the menu item (org is the org offering it) */
  service: z.object({ id: z.number().int(), title: z.string() }).nullable(),
  /** 吸引率 Σ min(participants, planned) ÷ Σ planned over completed group services */
  attraction: RateSchema,
  response: RateSchema,
  satisfaction: RateSchema,
  eligible: z.boolean(),
});
export const RatesSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['org', 'town', 'service']),
  threshold: z.number(),
  total: z.object({ attraction: RateSchema, response: RateSchema, satisfaction: RateSchema }),
  items: z.array(RatesRowSchema),
});

// ── 件件有回音 district deadlines, reminders ─────────────────────────────────────────────────

/** hours, fractions allowed (0.5 = 30 minutes) */
const HoursSchema = z
  .number()
  .positive()
  .max(24 * 365);
export const DeadlineHoursSchema = z.object({ respond: HoursSchema, complete: HoursSchema }).strict();

/** A district's deadlines per class: stored keys override the defaults, a completion never before the response. */
export function resolveDeadlineHours(
  stored: Partial<Record<OrderClassification, { respond?: number; complete?: number }>> | null | undefined,
): Record<OrderClassification, { respond: number; complete: number }> {
  const out = { ...DEFAULT_DEADLINE_HOURS };
  for (const c of ORDER_CLASSIFICATIONS) {
    const s = stored?.[c];
    if (!s) continue;
    const respond = typeof s.respond === 'number' && s.respond > 0 ? s.respond : out[c].respond;
    const complete = typeof s.complete === 'number' && s.complete > 0 ? s.complete : out[c].complete;
    out[c] = { respond, complete: Math.max(respond, complete) };
  }
  return out;
}

export const OrderSettingsSchema = z.object({
  districtId: z.number().int(),
  deadlines: z.object({
    immediate: DeadlineHoursSchema,
    non_immediate: DeadlineHoursSchema,
    hard: DeadlineHoursSchema,
  }),
  /** share 0–1 below which an org's annual two rates make it not eligible for incubation */
  incubationThreshold: z.number(),
  updatedAt: z.string().nullable(),
});
export const OrderSettingsQuerySchema = z
  .object({ districtId: z.coerce.number().int().positive().optional() })
  .strict();
export const OrderSettingsUpdateSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    deadlines: z
      .object({
        immediate: DeadlineHoursSchema.optional(),
        non_immediate: DeadlineHoursSchema.optional(),
        hard: DeadlineHoursSchema.optional(),
      })
      .strict()
      .optional(),
    /** a share, 0 < t ≤ 1 (stored as whole percent, at least 1 %) */
    incubationThreshold: z.number().positive().max(1).optional(),
  })
  .strict()
  .refine((v) => !v.deadlines || Object.values(v.deadlines).every((d) => !d || d.complete >= d.respond), {
    message: 'order.deadlineOrder',
    path: ['deadlines'],
  });

/** The deadline an order is past (the one that a reminder is about), or null. */
export function overdueKind(
  o: { status: OrderStatus; respondDueAt: string | null; completeDueAt: string | null },
  now: Date,
): 'respond' | 'complete' | null {
  if (o.status === 'dispatched' && o.respondDueAt && new Date(o.respondDueAt).getTime() < now.getTime())
    return 'respond';
  if (
    (o.status === 'accepted' || o.status === 'in_progress') &&
    o.completeDueAt &&
    new Date(o.completeDueAt).getTime() < now.getTime()
  ) {
    return 'complete';
  }
  return null;
}

// ── 评单 levels, attraction rate, participants ───────────────────────────────────────────────

/** 满意 / 基本满意 / 不满意 as stored scores (the 1–5 score stays the storage; ≥ 4 counts as satisfied). */
export const RATING_LEVELS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
export const RATING_LEVEL_SCORE: Record<RatingLevel, number> = {
  satisfied: 5,
  basically_satisfied: 4,
  dissatisfied: 2,
};
export function ratingLevel(score: number): RatingLevel {
  if (score >= 5) return 'satisfied';
  if (score >= SATISFIED_MIN_SCORE) return 'basically_satisfied';
  return 'dissatisfied';
}
/** A dissatisfied rating opens a review task for the district. */
export const isDissatisfied = (score: number) => score < SATISFIED_MIN_SCORE;

/** 吸引率 attraction rate: Σ min(participants, planned) ÷ Σ planned (each service capped at 100%). */
export function attractionRate(services: readonly { planned: number | null; participants: number | null }[]): Rate {
  let numerator = 0;
  let denominator = 0;
  for (const s of services) {
    if (!s.planned || s.planned <= 0 || s.participants === null) continue;
    denominator += s.planned;
    numerator += Math.min(Math.max(0, s.participants), s.planned);
  }
  return rateOf(numerator, denominator);
}

export const OrderCompleteSchema = z
  .object({
    note: z.string().trim().max(2000).optional(),
    /** 实际参与人数 of a group service */
    participants: z.number().int().min(0).max(100_000).optional(),
    /** 完成照片 up to 6, stored with the completion or not at all */
    photos: z.array(PhotoUploadSchema).max(MAX_WORK_PHOTOS).optional(),
  })
  .strict();

/** 进展记录 the assignee records progress (a note, and photos) while working on an accepted order. */
export const OrderProgressSchema = z
  .object({
    note: z.string().trim().min(1).max(2000),
    photos: z.array(PhotoUploadSchema).max(MAX_WORK_PHOTOS).optional(),
  })
  .strict();

/** 现场评单 a participant of a group service rates it on the spot, proven by a code (purpose rate) to the phone. */
export const PublicParticipantRateSchema = z
  .object({
    phone: MobileSchema,
    code: SmsCodeSchema,
    score: z.number().int().min(1).max(5),
    comment: z.string().trim().max(500).optional(),
  })
  .strict();
export const ParticipantRatingResultSchema = z.object({
  trackingNo: z.string(),
  ratings: z.number().int(),
  satisfied: z.number().int(),
});

export const OrderReviewSchema = z.object({
  id: z.number().int(),
  order: z.object({ id: z.number().int(), trackingNo: z.string(), title: z.string(), status: OrderStatusSchema }),
  org: z.object({ id: z.number().int(), name: z.string() }),
  score: z.number().int(),
  comment: z.string().nullable(),
  byKind: z.enum(['requester', 'cadre', 'participant']),
  status: z.enum(['open', 'closed']),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const OrderReviewListSchema = z.object({ items: z.array(OrderReviewSchema) });
export const OrderReviewQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(['open', 'closed', 'all']).default('open'),
  })
  .strict();
export const OrderReviewResolveSchema = z.object({ resolution: z.string().trim().min(1).max(500) }).strict();

// ── public leaderboard and resources ──────────────────────────────────────────────────────────

/** Org kinds on the public leaderboard (社会组织 and service teams). */
export const LEADERBOARD_KINDS = ['youth_social_org', 'youth_club'] as const;

export const PublicLeaderboardQuerySchema = z
  .object({ year: z.coerce.number().int().min(2000).max(2100).optional() })
  .strict();
export const PublicLeaderboardSchema = z.object({
  districtId: z.number().int(),
  districtName: z.string(),
  year: z.number().int(),
  threshold: z.number(),
  items: z.array(
    z.object({
      rank: z.number().int(),
      orgName: z.string(),
      orgKind: z.string(),
      attraction: RateSchema,
      satisfaction: RateSchema,
      eligible: z.boolean(),
    }),
  ),
});

/** 资源清单 who offers what: orgs with active services, their categories and count. */
export const PublicResourceListSchema = z.object({
  districtId: z.number().int(),
  districtName: z.string(),
  items: z.array(
    z.object({
      orgName: z.string(),
      orgKind: z.string(),
      categories: z.array(OrderCategorySchema),
      services: z.number().int(),
    }),
  ),
});
