import { z } from 'zod';

/** Account roles, from widest to narrowest. */
export const ROLES = [
  /** 平台管理员 installs, creates districts, manages accounts everywhere */
  'platform_admin',
  /** 团区委管理员 district admin: the whole district */
  'district_admin',
  /** 组织管理员 org admin: the subtree of the org the account is bound to */
  'org_admin',
  /** 网格长 grid leader */
  'grid_leader',
  /** 服务队长 service-team leader */
  'team_leader',
  /** 青年 youth */
  'youth',
] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/** What a role may do. Reads are always limited to the account's subtree (scope). */
export type Permission =
  | 'org.read'
  | 'org.write'
  | 'account.read'
  | 'account.write'
  | 'audit.read'
  | 'district.read'
  | 'district.write'
  /** 考核 read rounds and the results of orgs in scope */
  | 'assessment.read'
  /** 考核 create indicator sets and rounds */
  | 'assessment.manage'
  /** 青年库 read the people registry (identifiers masked) */
  | 'person.read'
  /** enter, edit, confirm and deactivate people; QR registration codes */
  | 'person.write'
  /** 查看个人敏感信息 see unmasked ID and mobile numbers (every view audited) */
  | 'person.pii'
  /** 重点青少年 the restricted key-youth archive (every read audited) */
  | 'person.key_youth'
  /** 阵地 see venues and their booking calendars */
  | 'venue.read'
  /** create and edit venues of the own subtree, approve or reject their bookings */
  | 'venue.manage'
  /** book venues for orgs of the own subtree */
  | 'venue.book'
  /** 党群公积金 see provident-fund accounts of the own subtree */
  | 'fund.read'
  /** request withdrawals for accounts of the own subtree */
  | 'fund.request'
  /** district policy, accounts, deposits, donations, reversals, approving withdrawals */
  | 'fund.manage'
  /** 塔群直达 receive notices, acknowledge, follow the live stream */
  | 'notice.read'
  /** send notices down the subtree, read their reach reports */
  | 'notice.send'
  /** keep the tower registry (groups, admins, instructors) and the deadlines */
  | 'notice.manage'
  /** 点单 see service orders of the own subtree (requested there or assigned there), the menu and the two rates */
  | 'order.read'
  /** enter orders (on behalf), keep the service menu, accept / work on / complete orders assigned to the subtree */
  | 'order.write'
  /** 派单 classify, dispatch, re-dispatch, reject or cancel orders requested in the own subtree */
  | 'order.dispatch'
  /** 活动 see themes, plans, activities, service teams and activity figures of the own subtree */
  | 'activity.read'
  /** open theme solicitations, propose plans, run activities (sign-ups, check-in, summary), keep teams */
  | 'activity.write'
  /** approve or return plans of orgs below the own (district admins: the whole district) */
  | 'activity.approve'
  /** keep the district's activity categories */
  | 'activity.manage';

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  platform_admin: [
    'org.read',
    'org.write',
    'account.read',
    'account.write',
    'audit.read',
    'district.read',
    'district.write',
    'assessment.read',
    'assessment.manage',
    'person.read',
    'person.write',
    'venue.read',
    'venue.manage',
    'venue.book',
    'fund.read',
    'fund.request',
    'fund.manage',
    'notice.read',
    'notice.send',
    'notice.manage',
    'order.read',
    'order.write',
    'order.dispatch',
    'activity.read',
    'activity.write',
    'activity.approve',
    'activity.manage',
  ],
  district_admin: [
    'org.read',
    'org.write',
    'account.read',
    'account.write',
    'audit.read',
    'district.read',
    'assessment.read',
    'assessment.manage',
    'person.read',
    'person.write',
    'person.pii',
    'person.key_youth',
    'venue.read',
    'venue.manage',
    'venue.book',
    'fund.read',
    'fund.request',
    'fund.manage',
    'notice.read',
    'notice.send',
    'notice.manage',
    'order.read',
    'order.write',
    'order.dispatch',
    'activity.read',
    'activity.write',
    'activity.approve',
    'activity.manage',
  ],
  org_admin: [
    'org.read',
    'org.write',
    'account.read',
    'account.write',
    'district.read',
    'assessment.read',
    'person.read',
    'person.write',
    'venue.read',
    'venue.manage',
    'venue.book',
    'fund.read',
    'fund.request',
    'notice.read',
    'notice.send',
    'notice.manage',
    'order.read',
    'order.write',
    'order.dispatch',
    'activity.read',
    'activity.write',
    'activity.approve',
  ],
  grid_leader: [
    'org.read',
    'district.read',
    'person.read',
    'person.write',
    'venue.read',
    'venue.book',
    'notice.read',
    'order.read',
    'order.write',
    'activity.read',
    'activity.write',
  ],
  team_leader: [
    'org.read',
    'district.read',
    'venue.read',
    'venue.book',
    'notice.read',
    'order.read',
    'order.write',
    'activity.read',
  ],
  youth: ['district.read'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission);
}

/** Everything a role may do, as listed to the console in /api/me. */
export function permissionsOfRole(role: Role): Permission[] {
  return [...PERMISSIONS[role]];
}

/** An account may only create or edit accounts of a role no wider than its own. */
export function canAssignRole(actor: Role, target: Role): boolean {
  return ROLES.indexOf(target) >= ROLES.indexOf(actor) && (actor !== 'org_admin' || target !== 'district_admin');
}

/** Password rule: at least 8 characters with letters and digits. */
export const PasswordSchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/[A-Za-z]/, { message: 'password.letters' })
  .regex(/[0-9]/, { message: 'password.digits' });

export const UsernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[A-Za-z0-9_.-]+$/, { message: 'username.chars' });

export const LoginSchema = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  /** The authenticator's 6-digit code, for accounts with a second factor (issue 11). */
  totp: z
    .string()
    .regex(/^[0-9]{6}$/, { message: 'totp.code' })
    .optional(),
});

export const TotpCodeSchema = z.object({ code: z.string().regex(/^[0-9]{6}$/, { message: 'totp.code' }) }).strict();
export const TotpSetupSchema = z.object({
  /** Base32 secret, for typing in by hand. */
  secret: z.string(),
  /** otpauth://totp/… URL the authenticator app scans. */
  otpauthUrl: z.string(),
  /** The same URL as a QR code image (data: URL, PNG). */
  qrDataUrl: z.string(),
});

export const PasswordChangeSchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: PasswordSchema })
  .strict();

export const AccountSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  districtId: z.number().int().nullable(),
  orgId: z.number().int().nullable(),
  orgName: z.string().nullable(),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof AccountSchema>;

export const AccountCreateSchema = z
  .object({
    username: UsernameSchema,
    displayName: z.string().trim().min(1).max(50),
    role: RoleSchema,
    orgId: z.number().int().positive(),
    /** Initial password; the account must change it at first login. */
    password: PasswordSchema,
  })
  .strict();

export const AccountUpdateSchema = z
  .object({
    displayName: z.string().trim().min(1).max(50).optional(),
    role: RoleSchema.optional(),
    orgId: z.number().int().positive().optional(),
    active: z.boolean().optional(),
    /** Reset to this password; the account must change it at next login, and any lock is lifted. */
    password: PasswordSchema.optional(),
    /** Removes the authenticator binding (a lost phone); the account enrols again when its profile requires TOTP. */
    resetTotp: z.literal(true).optional(),
  })
  .strict();

export const AccountListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    q: z.string().trim().max(100).optional(),
    orgId: z.coerce.number().int().positive().optional(),
    role: RoleSchema.optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const AccountListSchema = z.object({
  items: z.array(AccountSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const MeSchema = z.object({
  account: AccountSchema,
  districtName: z.string().nullable(),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
  /** TOTP state: `pending` while an account that must use TOTP (等保 profile) has not enrolled yet. */
  secondFactor: z.object({ enabled: z.boolean(), required: z.boolean(), pending: z.boolean() }),
});
