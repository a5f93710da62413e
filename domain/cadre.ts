import { z } from 'zod';

/**
 * 团干部、1+100 联系青年、走访 (PRODUCT.md §3). A cadre is a person of the registry with posts; he keeps a
 * list of up to 100 youth he contacts directly (1+100) and logs each contact; visits (走访) record a
 * person, enterprise or organisation visited, with notes and the demands collected. A demand is the
 * hook of the orders module: it carries the service order made from it.
 */

export const CADRE_POSTS = [
  'grid_leader',
  'contact_person',
  'group_admin',
  'instructor',
  'secretary',
  'other',
] as const;
export type CadrePost = (typeof CADRE_POSTS)[number];

export const RECRUITED_FROM = [
  'grid_worker',
  'minqing_secretary',
  'village_cadre',
  'police_officer',
  'enterprise_staff',
  'teacher',
  'volunteer',
  'other',
] as const;
export type RecruitedFrom = (typeof RECRUITED_FROM)[number];

export const CONTACT_CHANNELS = ['phone', 'wechat', 'qq', 'face_to_face', 'activity', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const VISIT_TARGET_KINDS = ['person', 'enterprise', 'organisation'] as const;
export type VisitTargetKind = (typeof VISIT_TARGET_KINDS)[number];

export const DEMAND_STATUSES = ['open', 'ordered', 'closed'] as const;

/** 1+100: a cadre contacts at most this many youth directly. */
export const MAX_CONTACTS = 100;
/** Rencheng's 议事日: the monthly visit day, unless the district sets another. */
export const DEFAULT_VISIT_DAY = 9;

const Id = z.coerce.number().int().positive().max(2147483647);
/** An id inside a JSON body: a number, never coerced (`true` or `"7"` is a wrong type, not 1 or 7). */
const BodyId = z.number().int().positive().max(2147483647);
const DateStr = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'invalid date',
    },
  );
/** A date of something that happened: not in the future (Asia/Shanghai), not before 2000. */
const PastDate = DateStr.refine((s) => s >= '2000-01-01' && s <= shanghaiToday(), { message: 'out of range' });

/** Today's date in Asia/Shanghai (fixed UTC+8, no DST since 1991). */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The calendar quarter (Asia/Shanghai) holding a date: first and last day. */
export function quarterOf(date: string): { from: string; to: string } {
  const y = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  const from = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  const last = new Date(Date.UTC(y, q * 3 + 3, 0)).toISOString().slice(0, 10);
  return { from, to: last };
}

/** The next monthly visit day on or after `today` (the day is 1–28, so every month has it). */
export function nextVisitDay(today: string, day: number): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const d = Number(today.slice(8, 10));
  const [yy, mm] = d <= day ? [y, m] : m === 12 ? [y + 1, 1] : [y, m + 1];
  return `${yy}-${String(mm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Share of a cadre's contacts reached in the period, 0–1 (1 when he has none to reach). */
export function contactCoverage(contacts: number, contacted: number): number {
  return contacts === 0 ? 1 : Math.min(1, contacted / contacts);
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

const Ref = z.object({ id: z.number().int(), name: z.string() });

export const CadreSetSchema = z
  .object({
    posts: z.array(z.enum(CADRE_POSTS)).min(1).max(CADRE_POSTS.length),
    recruitedFrom: z.enum(RECRUITED_FROM).nullable().default(null),
  })
  .strict();
export type CadreSet = z.infer<typeof CadreSetSchema>;

export const CadreSchema = z.object({
  personId: z.number().int(),
  districtId: z.number().int(),
  name: z.string(),
  org: Ref,
  homeGrid: Ref.nullable(),
  posts: z.array(z.enum(CADRE_POSTS)),
  recruitedFrom: z.enum(RECRUITED_FROM).nullable(),
  /** size of his 1+100 list */
  contacts: z.number().int(),
  /** of those, contacted in the current quarter */
  contactedThisQuarter: z.number().int(),
  trainings: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Cadre = z.infer<typeof CadreSchema>;

export const CadreListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().optional(),
    q: z.string().trim().max(50).optional(),
    post: z.enum(CADRE_POSTS).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type CadreListQuery = z.infer<typeof CadreListQuerySchema>;

export const CadreListSchema = z.object({
  items: z.array(CadreSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const TrainingCreateSchema = z
  .object({
    title: z.string().trim().min(1).max(100),
    heldOn: PastDate,
    hours: z
      .number()
      .positive()
      .max(500)
      // ≥ 0.5 h, one decimal (a refinement: the fuzz harness derives integer bounds from min/max)
      .refine((v) => v >= 0.5 && Number.isInteger(Math.round(v * 1e6) / 1e5), { message: '0.5–500, one decimal' })
      .nullable()
      .default(null),
    note: z.string().trim().max(500).nullable().default(null),
  })
  .strict();
export const TrainingSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  heldOn: z.string(),
  hours: z.number().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type Training = z.infer<typeof TrainingSchema>;

export const ContactSchema = z.object({
  personId: z.number().int(),
  name: z.string(),
  homeGrid: Ref.nullable(),
  org: Ref,
  addedAt: z.string(),
  lastContactOn: z.string().nullable(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const CadreDetailSchema = CadreSchema.extend({
  quarter: z.object({ from: z.string(), to: z.string() }),
  contactList: z.array(ContactSchema),
  trainingList: z.array(TrainingSchema),
});
export type CadreDetail = z.infer<typeof CadreDetailSchema>;

export const ContactsAddSchema = z.object({ personIds: z.array(BodyId).min(1).max(MAX_CONTACTS) }).strict();
export const ContactsAddResultSchema = z.object({ added: z.number().int(), total: z.number().int() });

export const ContactParamsSchema = z.object({ id: Id, personId: Id });

export const ContactLogCreateSchema = z
  .object({
    personId: BodyId,
    contactedOn: PastDate,
    channel: z.enum(CONTACT_CHANNELS),
    note: z.string().trim().max(500).nullable().default(null),
  })
  .strict();
export type ContactLogCreate = z.infer<typeof ContactLogCreateSchema>;

export const ContactLogSchema = z.object({
  id: z.number().int(),
  cadrePersonId: z.number().int(),
  person: Ref,
  contactedOn: z.string(),
  channel: z.enum(CONTACT_CHANNELS),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type ContactLog = z.infer<typeof ContactLogSchema>;

export const ContactLogListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const ContactLogListSchema = z.object({
  items: z.array(ContactLogSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const CoverageQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().optional(),
  })
  .strict();

/** 本季度未联系 the 1+100 dashboard of a subtree. */
export const ContactCoverageSchema = z.object({
  quarter: z.object({ from: z.string(), to: z.string() }),
  cadres: z.number().int(),
  contacts: z.number().int(),
  contacted: z.number().int(),
  /** contacted / contacts, 0–1 */
  rate: z.number(),
  perCadre: z.array(
    z.object({
      personId: z.number().int(),
      name: z.string(),
      org: Ref,
      contacts: z.number().int(),
      contacted: z.number().int(),
    }),
  ),
  /** the first 500 pairs not contacted this quarter, longest-waiting first */
  notContacted: z.array(
    z.object({
      cadrePersonId: z.number().int(),
      cadreName: z.string(),
      personId: z.number().int(),
      personName: z.string(),
      lastContactOn: z.string().nullable(),
    }),
  ),
  notContactedTotal: z.number().int(),
});
export type ContactCoverage = z.infer<typeof ContactCoverageSchema>;

// --- visits --------------------------------------------------------------------------------------

export const VisitSettingsSchema = z.object({
  districtId: z.number().int(),
  /** day of the month, 1–28 */
  visitDay: z.number().int(),
  nextVisitDay: z.string(),
});
export const VisitSettingsUpdateSchema = z.object({ visitDay: z.number().int().min(1).max(28) }).strict();
export const DistrictQuerySchema = z.object({ districtId: z.coerce.number().int().positive().optional() }).strict();

export const VisitCreateSchema = z
  .object({
    /** the visiting org (scope of the record) */
    orgId: BodyId,
    visitedOn: PastDate,
    targetKind: z.enum(VISIT_TARGET_KINDS),
    /** the person visited (targetKind person) */
    personId: BodyId.nullable().default(null),
    /** the enterprise or organisation visited */
    targetName: z.string().trim().min(1).max(100).nullable().default(null),
    /** the cadre who visited (a cadre of the registry), if recorded */
    visitorPersonId: BodyId.nullable().default(null),
    notes: z.string().trim().min(1).max(2000),
    /** 收集的诉求 demands collected; each can later become a service order */
    demands: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.targetKind === 'person' && v.personId === null)
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'required' });
    if (v.targetKind !== 'person' && v.targetName === null)
      ctx.addIssue({ code: 'custom', path: ['targetName'], message: 'required' });
    if (v.targetKind !== 'person' && v.personId !== null)
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'only for a person' });
  });
export type VisitCreate = z.infer<typeof VisitCreateSchema>;

export const VisitDemandSchema = z.object({
  id: z.number().int(),
  visitId: z.number().int(),
  text: z.string(),
  status: z.enum(DEMAND_STATUSES),
  /** the service order made from it (orders module), when there is one */
  orderId: z.number().int().nullable(),
});
export type VisitDemand = z.infer<typeof VisitDemandSchema>;

export const VisitSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  org: Ref,
  visitedOn: z.string(),
  /** the record falls on the district's monthly visit day */
  onVisitDay: z.boolean(),
  targetKind: z.enum(VISIT_TARGET_KINDS),
  person: Ref.nullable(),
  targetName: z.string().nullable(),
  visitor: Ref.nullable(),
  notes: z.string(),
  demands: z.array(VisitDemandSchema),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Visit = z.infer<typeof VisitSchema>;

export const VisitListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().optional(),
    targetKind: z.enum(VISIT_TARGET_KINDS).optional(),
    from: DateStr.optional(),
    to: DateStr.optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type VisitListQuery = z.infer<typeof VisitListQuerySchema>;
export const VisitListSchema = z.object({
  items: z.array(VisitSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const DemandListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(DEMAND_STATUSES).default('open'),
  })
  .strict();
export const DemandListSchema = z.object({
  items: z.array(VisitDemandSchema.extend({ org: Ref, visitedOn: z.string() })),
});
