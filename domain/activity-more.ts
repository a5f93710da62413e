import { z } from 'zod';

/**
 * Activities, second part: who approves plans (a district setting), and the youth's call inbox
 * (我的召集令) reached from a signed personal link.
 */

// ---------------------------------------------------------------------------------------------
// Plan approval level 上一级审批（可配置）
// ---------------------------------------------------------------------------------------------

/**
 * Which level approves a plan: `parent` the org directly above the proposing org (default), `town`
 * the town-level ancestor (the org one level below the district root), `district` the district
 * committee. The configured approver or any org above it may decide; nobody at or below the
 * proposing org may.
 */
export const PLAN_APPROVER_LEVELS = ['parent', 'town', 'district'] as const;
export type PlanApproverLevel = (typeof PLAN_APPROVER_LEVELS)[number];
export const DEFAULT_PLAN_APPROVER: PlanApproverLevel = 'parent';

/** Materialised path ('/1/7/42/') of the org that approves plans of the org at `orgPath`. */
export function approverPath(orgPath: string, level: PlanApproverLevel): string {
  const segments = orgPath.split('/').filter(Boolean);
  if (segments.length === 0) return orgPath;
  const prefix = (n: number) => `/${segments.slice(0, n).join('/')}/`;
  // the district committee's own plans: nobody is above it, its admins decide
  const parent = segments.length >= 2 ? prefix(segments.length - 1) : orgPath;
  if (level === 'district') return prefix(1);
  if (level === 'town') return segments.length >= 3 ? prefix(2) : parent;
  return parent;
}

/**
 * Whether someone whose scope is `scopePath` (null = the whole platform) may approve a plan of the
 * org at `orgPath`: his org is the configured approver or an ancestor of it.
 */
export function scopeMayApprove(scopePath: string | null, orgPath: string, level: PlanApproverLevel): boolean {
  return scopePath === null || approverPath(orgPath, level).startsWith(scopePath);
}

export const ActivitySettingsSchema = z.object({
  districtId: z.number().int(),
  planApprover: z.enum(PLAN_APPROVER_LEVELS),
});
export type ActivitySettings = z.infer<typeof ActivitySettingsSchema>;
export const ActivitySettingsUpdateSchema = z
  .object({
    districtId: z.number().int().positive().max(2147483647).optional(),
    planApprover: z.enum(PLAN_APPROVER_LEVELS),
  })
  .strict();
export const ActivitySettingsQuerySchema = z
  .object({ districtId: z.coerce.number().int().positive().max(2147483647).optional() })
  .strict();

/** Resolves the stored jsonb (missing or unknown keys take the defaults). */
export function resolveActivitySettings(stored: unknown): { planApprover: PlanApproverLevel } {
  const raw = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const level = PLAN_APPROVER_LEVELS.find((l) => l === raw.planApprover);
  return { planApprover: level ?? DEFAULT_PLAN_APPROVER };
}

// ---------------------------------------------------------------------------------------------
// Call inbox 我的召集令
// ---------------------------------------------------------------------------------------------

/** Days a personal inbox link stays valid; a link with less than the renewal margin left is replaced. */
export const INBOX_LINK_DAYS = 90;
export const INBOX_LINK_RENEW_DAYS = 30;

/** A personal link token: `<random id>.<HMAC-SM3 signature>` (never a database id of the person). */
export const InboxTokenParamSchema = z.object({
  token: z
    .string()
    .min(10)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
});

export const InboxCallSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  message: z.string(),
  orgName: z.string(),
  createdAt: z.string(),
  activity: z.object({
    id: z.number().int(),
    title: z.string(),
    venue: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    signupClosesAt: z.string(),
    placesLeft: z.number().int(),
  }),
  /** the activity's phone page with this call named (the sign-up counts for the call); null when withdrawn */
  signupUrl: z.string().nullable(),
  /** he already signed up for the activity (admitted or waiting) */
  signedUp: z.boolean(),
});
export const InboxSchema = z.object({
  /** 张* */
  name: z.string(),
  expiresAt: z.string(),
  items: z.array(InboxCallSchema),
});
export type Inbox = z.infer<typeof InboxSchema>;

/** The text of the SMS that tells a recipient about a call, with his personal link. */
export function callSmsText(orgName: string, title: string, url: string): string {
  const t = [...title].length > 30 ? `${[...title].slice(0, 30).join('')}…` : title;
  return `【经纬】${orgName}发布召集令“${t}”，查看并报名：${url}`;
}
