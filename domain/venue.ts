import { z } from 'zod';

/** Kinds of venue (阵地), as the Ouhai and Keqiao reports list them. */
export const VENUE_TYPES = [
  /** 青年之家 youth home */
  'youth_home',
  /** 青年会客厅 youth parlour */
  'youth_parlour',
  /** 青年社区 youth community */
  'youth_community',
  /** 青年驿站 youth station */
  'youth_station',
  /** 党群服务中心 party-mass service centre */
  'party_mass_centre',
  /** 文化礼堂 culture hall */
  'culture_hall',
  /** 会议室 meeting room */
  'meeting_room',
  /** 运动场地 sports ground */
  'sports_ground',
  /** 其他 other */
  'other',
] as const;
export type VenueType = (typeof VENUE_TYPES)[number];
export const VenueTypeSchema = z.enum(VENUE_TYPES);

/** Who may book a venue: any org of its district, or only orgs inside the owner org's subtree. */
export const BOOKABLE_BY = ['district', 'owner_subtree'] as const;
export type BookableBy = (typeof BOOKABLE_BY)[number];

export const BOOKING_STATUSES = ['requested', 'approved', 'rejected', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Statuses that hold the slot (the exclusion constraint's WHERE clause). */
export const LIVE_BOOKING_STATUSES: readonly BookingStatus[] = ['requested', 'approved'];

/** Facilities the console offers as tags (others may be typed in). */
export const COMMON_FACILITIES = [
  'projector',
  'sound',
  'wifi',
  'air_conditioning',
  'parking',
  'accessible',
  'kitchen',
  'computers',
  'stage',
  'sports',
] as const;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u);

// ---------------------------------------------------------------------------------------------
// Opening hours 开放时间 (Asia/Shanghai)
// ---------------------------------------------------------------------------------------------

/** 'HH:MM' of a day, 00:00 to 24:00. Strings of this shape compare in time order. */
export const ClockSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'venue.clock' });

export const OpeningIntervalSchema = z
  .object({ from: ClockSchema, to: ClockSchema })
  .strict()
  .refine((i) => i.from < i.to, { path: ['to'], message: 'venue.hoursOrder' });
export type OpeningInterval = z.infer<typeof OpeningIntervalSchema>;

const DaySchema = z
  .array(OpeningIntervalSchema)
  .max(4)
  .superRefine((intervals, ctx) => {
    const sorted = [...intervals].sort((a, b) => (a.from < b.from ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].from < sorted[i - 1].to) {
        ctx.addIssue({ code: 'custom', path: [intervals.indexOf(sorted[i])], message: 'venue.hoursOverlap' });
      }
    }
  });

/** 开放时间 per weekday, in Asia/Shanghai local time; an empty day is closed. */
export const OpeningHoursSchema = z
  .object({
    mon: DaySchema,
    tue: DaySchema,
    wed: DaySchema,
    thu: DaySchema,
    fri: DaySchema,
    sat: DaySchema,
    sun: DaySchema,
  })
  .strict();
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

/** Weekdays 08:30–12:00 and 13:30–17:30, weekends 09:00–17:00: what a new venue starts with. */
export const DEFAULT_OPENING_HOURS: OpeningHours = {
  mon: [
    { from: '08:30', to: '12:00' },
    { from: '13:30', to: '17:30' },
  ],
  tue: [
    { from: '08:30', to: '12:00' },
    { from: '13:30', to: '17:30' },
  ],
  wed: [
    { from: '08:30', to: '12:00' },
    { from: '13:30', to: '17:30' },
  ],
  thu: [
    { from: '08:30', to: '12:00' },
    { from: '13:30', to: '17:30' },
  ],
  fri: [
    { from: '08:30', to: '12:00' },
    { from: '13:30', to: '17:30' },
  ],
  sat: [{ from: '09:00', to: '17:00' }],
  sun: [{ from: '09:00', to: '17:00' }],
};

/** China has kept UTC+8 without daylight saving since 1991: Asia/Shanghai is a fixed offset. */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The Asia/Shanghai calendar day (days since 1970-01-01 local), weekday and minute of an instant. */
export function shanghaiParts(instant: Date): { dayIndex: number; weekday: Weekday; minute: number; date: string } {
  const local = instant.getTime() + SHANGHAI_OFFSET_MS;
  const dayIndex = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - dayIndex * DAY_MS) / 60_000);
  // 1970-01-01 was a Thursday.
  const weekday = WEEKDAYS[(((dayIndex + 3) % 7) + 7) % 7];
  const date = new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
  return { dayIndex, weekday, minute, date };
}

/** The instant a Shanghai local day (days since epoch) plus a clock time begins. */
function instantOf(dayIndex: number, clock: string): number {
  return dayIndex * DAY_MS - SHANGHAI_OFFSET_MS + minutesOf(clock) * 60_000;
}

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The local weekday and 'HH:MM' bounds of a range that lies within one Shanghai day (an end at
 * midnight counts as 24:00 of the start's day; seconds round outwards), or null when it spans days.
 */
export function sameDayClock(start: Date, end: Date): { weekday: Weekday; from: string; to: string } | null {
  const s = shanghaiParts(start);
  const endMinute = Math.ceil((end.getTime() + SHANGHAI_OFFSET_MS - s.dayIndex * DAY_MS) / 60_000);
  if (endMinute > 1440) return null;
  return { weekday: s.weekday, from: clockOf(s.minute), to: clockOf(endMinute) };
}

/** Whether [start, end) lies inside one opening interval of its day. */
export function withinOpeningHours(hours: OpeningHours, start: Date, end: Date): boolean {
  const span = sameDayClock(start, end);
  if (!span) return false;
  return hours[span.weekday].some((i) => i.from <= span.from && span.to <= i.to);
}

/** Minutes the venue is open within [from, to). */
export function openMinutesBetween(hours: OpeningHours, from: Date, to: Date): number {
  if (to <= from) return 0;
  const first = shanghaiParts(from).dayIndex;
  const last = shanghaiParts(new Date(to.getTime() - 1)).dayIndex;
  let total = 0;
  for (let day = first; day <= last; day++) {
    const weekday = WEEKDAYS[(((day + 3) % 7) + 7) % 7];
    for (const i of hours[weekday]) {
      const a = Math.max(instantOf(day, i.from), from.getTime());
      const b = Math.min(instantOf(day, i.to), to.getTime());
      if (b > a) total += (b - a) / 60_000;
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Booking rules 预订规则
// ---------------------------------------------------------------------------------------------

export type BookingRuleViolation =
  | { code: 'VENUE_INACTIVE'; field: 'venueId' }
  | { code: 'BOOKING_IN_PAST'; field: 'start' }
  | { code: 'BOOKING_TOO_LONG'; field: 'end'; maxMinutes: number }
  | { code: 'BOOKING_TOO_FAR_AHEAD'; field: 'start'; advanceDays: number; latestDate: string }
  | { code: 'BOOKING_OUTSIDE_HOURS'; field: 'start'; weekday: Weekday; hours: OpeningInterval[] };

export type VenueRules = {
  active: boolean;
  openingHours: OpeningHours;
  advanceDays: number;
  maxMinutes: number;
};

/**
 * Checks a requested slot against a venue's rules: active, not in the past, no longer than the
 * maximum, its Shanghai day within the advance window (today + advanceDays), and inside one opening
 * interval of that day. Returns every violation (empty = bookable, if free).
 */
export function checkBookingRules(venue: VenueRules, start: Date, end: Date, now: Date): BookingRuleViolation[] {
  const out: BookingRuleViolation[] = [];
  if (!venue.active) out.push({ code: 'VENUE_INACTIVE', field: 'venueId' });
  if (start.getTime() < now.getTime()) out.push({ code: 'BOOKING_IN_PAST', field: 'start' });
  if ((end.getTime() - start.getTime()) / 60_000 > venue.maxMinutes) {
    out.push({ code: 'BOOKING_TOO_LONG', field: 'end', maxMinutes: venue.maxMinutes });
  }
  const today = shanghaiParts(now).dayIndex;
  const day = shanghaiParts(start).dayIndex;
  if (day > today + venue.advanceDays) {
    const latestDate = new Date((today + venue.advanceDays) * DAY_MS).toISOString().slice(0, 10);
    out.push({ code: 'BOOKING_TOO_FAR_AHEAD', field: 'start', advanceDays: venue.advanceDays, latestDate });
  }
  if (!withinOpeningHours(venue.openingHours, start, end)) {
    const weekday = shanghaiParts(start).weekday;
    out.push({ code: 'BOOKING_OUTSIDE_HOURS', field: 'start', weekday, hours: venue.openingHours[weekday] });
  }
  return out;
}

/** Whether an org may book a venue under its "who may book" rule (paths are materialised org paths). */
export function mayBook(bookableBy: BookableBy, ownerPath: string, bookerPath: string): boolean {
  return bookableBy === 'district' || bookerPath.startsWith(ownerPath);
}

/** Half-open ranges [a1, a2) and [b1, b2) overlap: the rule the exclusion constraint applies. */
export function rangesOverlap(a1: number, a2: number, b1: number, b2: number): boolean {
  return a1 < b2 && b1 < a2;
}

// ---------------------------------------------------------------------------------------------
// API contract
// ---------------------------------------------------------------------------------------------

/** A WGS-84 point. The box is mainland China's: a venue elsewhere is a data error. */
export const LocationSchema = z
  .object({
    lon: z.number().min(73).max(136),
    lat: z.number().min(3).max(54),
  })
  .strict();

export const PhoneTextSchema = z
  .string()
  .trim()
  .max(30)
  .regex(/^[0-9+\-() ]*$/, { message: 'venue.phone' });

const VenueFields = {
  /** 所属组织 the org that runs the venue */
  orgId: z.number().int().positive(),
  /** 所在网格 */
  gridId: z.number().int().positive().nullish(),
  type: VenueTypeSchema,
  /** 名称 */
  name: Text(100).min(1),
  /** 位置 WGS-84 */
  location: LocationSchema,
  /** 地址 */
  address: Text(200).nullish(),
  /** 容纳人数 */
  capacity: z.number().int().min(1).max(100000).nullish(),
  /** 设施 tags */
  facilities: z.array(Text(30).min(1)).max(30).optional(),
  /** 开放时间; default: weekdays 08:30–12:00 and 13:30–17:30, weekends 09:00–17:00 */
  openingHours: OpeningHoursSchema.optional(),
  /** 预订范围 who may book */
  bookableBy: z.enum(BOOKABLE_BY).optional(),
  /** 最多提前天数 how many days ahead a slot may be booked */
  advanceDays: z.number().int().min(0).max(365).optional(),
  /** 单次最长时长（分钟） */
  maxMinutes: z.number().int().min(15).max(1440).optional(),
  /** 需要审批 */
  needsApproval: z.boolean().optional(),
  /** 联系人 the venue's public contact (a desk, not a private person): published on the public map */
  contactName: Text(50).nullish(),
  /** 联系电话 the venue's public number: published on the public map */
  contactPhone: PhoneTextSchema.nullish(),
  description: Text(1000).nullish(),
};

export const VenueCreateSchema = z.object(VenueFields).strict();
export type VenueCreate = z.infer<typeof VenueCreateSchema>;

export const VenueUpdateSchema = z.object(VenueFields).partial().extend({ active: z.boolean().optional() }).strict();
export type VenueUpdate = z.infer<typeof VenueUpdateSchema>;

const RefSchema = z.object({ id: z.number().int(), name: z.string() });

export const VenueSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  grid: RefSchema.nullable(),
  type: VenueTypeSchema,
  name: z.string(),
  location: z.object({ lon: z.number(), lat: z.number() }),
  address: z.string().nullable(),
  capacity: z.number().int().nullable(),
  facilities: z.array(z.string()),
  openingHours: OpeningHoursSchema,
  bookableBy: z.enum(BOOKABLE_BY),
  advanceDays: z.number().int(),
  maxMinutes: z.number().int(),
  needsApproval: z.boolean(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  description: z.string().nullable(),
  /** whether the caller may edit it and decide its bookings */
  canManage: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Venue = z.infer<typeof VenueSchema>;

/** What the public map shows: the venue and its own public contact, nothing about people or bookings. */
export const PublicVenueSchema = VenueSchema.pick({
  id: true,
  type: true,
  name: true,
  location: true,
  address: true,
  capacity: true,
  facilities: true,
  openingHours: true,
  needsApproval: true,
  orgName: true,
  contactName: true,
  contactPhone: true,
});
export type PublicVenue = z.infer<typeof PublicVenueSchema>;

const Instant = z.iso.datetime({ offset: true });

/** The most a calendar or "free between" range may span. */
export const MAX_CALENDAR_DAYS = 62;
export const MAX_USAGE_DAYS = 366;

function rangeCheck(fromKey: string, toKey: string, maxDays: number, required: boolean) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const from = v[fromKey] as string | undefined;
    const to = v[toKey] as string | undefined;
    if (!from && !to) {
      if (required) ctx.addIssue({ code: 'custom', path: [fromKey], message: 'venue.rangeRequired' });
      return;
    }
    if (!from || !to) {
      ctx.addIssue({ code: 'custom', path: [from ? toKey : fromKey], message: 'venue.rangePair' });
      return;
    }
    const ms = Date.parse(to) - Date.parse(from);
    if (!(ms > 0)) ctx.addIssue({ code: 'custom', path: [toKey], message: 'venue.rangeOrder' });
    else if (ms > maxDays * 86_400_000) ctx.addIssue({ code: 'custom', path: [toKey], message: 'venue.rangeTooLong' });
  };
}

const VenueFilterFields = {
  type: VenueTypeSchema.optional(),
  /** 最少容纳人数 */
  minCapacity: z.coerce.number().int().min(0).max(100000).optional(),
  /** comma-separated facility tags; a venue must have all of them */
  facilities: z.string().trim().max(500).optional(),
  /** free (no live booking, and open) during [freeFrom, freeTo) */
  freeFrom: Instant.optional(),
  freeTo: Instant.optional(),
  /** name or address contains */
  q: z.string().trim().max(100).optional(),
};

export const VenueListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    ...VenueFilterFields,
    /** venues run by this org's subtree */
    orgId: z.coerce.number().int().positive().optional(),
    active: z.enum(['true', 'false', 'all']).default('true'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict()
  .superRefine(rangeCheck('freeFrom', 'freeTo', MAX_CALENDAR_DAYS, false));
export type VenueListQuery = z.infer<typeof VenueListQuerySchema>;

export const VenueListSchema = z.object({
  items: z.array(VenueSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const PublicVenueQuerySchema = z
  .object(VenueFilterFields)
  .strict()
  .superRefine(rangeCheck('freeFrom', 'freeTo', MAX_CALENDAR_DAYS, false));
export type PublicVenueQuery = z.infer<typeof PublicVenueQuerySchema>;

export const PublicVenueListSchema = z.object({
  districtId: z.number().int(),
  districtName: z.string(),
  items: z.array(PublicVenueSchema),
});

export const BookingCreateSchema = z
  .object({
    /** 预订组织 the org the venue is booked for (in the caller's scope) */
    orgId: z.number().int().positive(),
    /** 用途 */
    purpose: Text(200).min(1),
    /** 预计人数 */
    attendees: z.number().int().min(1).max(100000).nullish(),
    start: Instant,
    end: Instant,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (Date.parse(v.end) <= Date.parse(v.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'venue.rangeOrder' });
    }
  });
export type BookingCreate = z.infer<typeof BookingCreateSchema>;

export const BookingDecisionSchema = z
  .object({ note: Text(200).optional() })
  .strict()
  .optional();
export type BookingDecision = z.infer<typeof BookingDecisionSchema>;

export const BookingSchema = z.object({
  id: z.number().int(),
  venueId: z.number().int(),
  venueName: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  bookedBy: RefSchema,
  purpose: z.string(),
  attendees: z.number().int().nullable(),
  start: z.string(),
  end: z.string(),
  status: z.enum(BOOKING_STATUSES),
  decidedBy: RefSchema.nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  createdAt: z.string(),
  /** whether the caller may approve or reject it (venue managers) */
  canDecide: z.boolean(),
  /** whether the caller may cancel it (the booking org's side or the venue's managers) */
  canCancel: z.boolean(),
});
export type Booking = z.infer<typeof BookingSchema>;

export const CalendarQuerySchema = z
  .object({ from: Instant.optional(), to: Instant.optional() })
  .strict()
  .superRefine(rangeCheck('from', 'to', MAX_CALENDAR_DAYS, true));

export const CalendarSchema = z.object({
  venueId: z.number().int(),
  from: z.string(),
  to: z.string(),
  items: z.array(BookingSchema),
});

export const BookingListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(BOOKING_STATUSES).optional(),
    /** mine: booked by orgs of my subtree; to_decide: for venues I manage */
    view: z.enum(['mine', 'to_decide']).default('mine'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const BookingListSchema = z.object({
  items: z.array(BookingSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const UsageQuerySchema = z
  .object({ from: Instant.optional(), to: Instant.optional() })
  .strict()
  .superRefine(rangeCheck('from', 'to', MAX_USAGE_DAYS, true));

/** 使用统计 of a venue over a range. */
export const UsageSchema = z.object({
  venueId: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** hours of approved bookings in the range */
  hoursBooked: z.number(),
  /** hours of bookings still awaiting approval */
  hoursRequested: z.number(),
  /** hours the venue is open in the range */
  hoursOpen: z.number(),
  /** hoursBooked / hoursOpen (0 when never open) */
  utilisation: z.number(),
  bookings: z.record(z.enum(BOOKING_STATUSES), z.number().int()),
});

const WEEKDAY_NAMES: Record<Weekday, { 'zh-CN': string; en: string }> = {
  mon: { 'zh-CN': '周一', en: 'Monday' },
  tue: { 'zh-CN': '周二', en: 'Tuesday' },
  wed: { 'zh-CN': '周三', en: 'Wednesday' },
  thu: { 'zh-CN': '周四', en: 'Thursday' },
  fri: { 'zh-CN': '周五', en: 'Friday' },
  sat: { 'zh-CN': '周六', en: 'Saturday' },
  sun: { 'zh-CN': '周日', en: 'Sunday' },
};

/** The numbers behind a refused booking, in the user's language (the problem's `detail`). */
export function describeViolation(v: BookingRuleViolation, lang: 'zh-CN' | 'en'): string | null {
  const zh = lang === 'zh-CN';
  switch (v.code) {
    case 'BOOKING_TOO_LONG':
      return zh ? `单次最长 ${v.maxMinutes} 分钟` : `At most ${v.maxMinutes} minutes per booking`;
    case 'BOOKING_TOO_FAR_AHEAD':
      return zh
        ? `最多提前 ${v.advanceDays} 天预订（最晚 ${v.latestDate}）`
        : `At most ${v.advanceDays} days ahead (until ${v.latestDate})`;
    case 'BOOKING_OUTSIDE_HOURS': {
      const day = WEEKDAY_NAMES[v.weekday][lang];
      if (!v.hours.length) return zh ? `${day}不开放` : `Closed on ${day}`;
      const spans = v.hours.map((i) => `${i.from}–${i.to}`).join(zh ? '、' : ', ');
      return zh ? `${day}开放时间：${spans}` : `${day} opening hours: ${spans}`;
    }
    default:
      return null;
  }
}
