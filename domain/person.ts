import { z } from 'zod';
import { CaptchaAnswerSchema } from './captcha.ts';
import {
  ageOn,
  idBirthDate,
  idGender,
  isRealDate,
  normaliseIdNumber,
  normalisePhone,
  todayInChina,
} from './identity.ts';

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

/** 政治面貌 political status. */
export const POLITICAL_STATUSES = [
  /** 共青团员 League member */
  'league_member',
  /** 中共党员（含预备党员）Party member */
  'party_member',
  /** 群众 masses */
  'masses',
] as const;
export type PoliticalStatus = (typeof POLITICAL_STATUSES)[number];

/** 青年类别 category of youth. */
export const PERSON_CATEGORIES = [
  /** 城镇青年 urban */
  'urban',
  /** 白领青年 white-collar */
  'white_collar',
  /** 农业青年 agricultural */
  'agricultural',
  /** 进城务工青年 migrant worker */
  'migrant_worker',
  /** 学生 student */
  'student',
  /** 大学生村官 college-graduate village official */
  'village_official',
  /** 其他 other */
  'other',
] as const;
export type PersonCategory = (typeof PERSON_CATEGORIES)[number];

/** 来源 how the record came in. */
export const PERSON_SOURCES = ['staff', 'qr', 'import'] as const;
export type PersonSource = (typeof PERSON_SOURCES)[number];

/**
 * 状态: pending (self-registered, awaiting the grid leader), registered, inactive (deactivated by staff),
 * withdrawn (consent withdrawn: hidden from lists and exports, kept only as the law requires).
 */
export const PERSON_STATUSES = ['pending', 'registered', 'inactive', 'withdrawn'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** 同意渠道 how consent was given. */
export const CONSENT_CHANNELS = ['qr', 'paper', 'online', 'import'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** 重点青少年 kinds of key youth (restricted archive). */
export const KEY_YOUTH_KINDS = [
  /** 留守儿童 left-behind child */
  'left_behind_child',
  /** 闲散青少年 idle youth */
  'idle_youth',
  /** 不良行为青少年 youth with bad behaviour */
  'bad_behaviour',
  /** 困境青少年 youth in hardship */
  'hardship',
  /** 其他 other */
  'other',
] as const;
export type KeyYouthKind = (typeof KEY_YOUTH_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/** 青年 youth are 14–35; younger only with a guardian's consent (PIPL §31). */
export const YOUTH_MIN_AGE = 14;
export const YOUTH_MAX_AGE = 35;
/** 团员 League members are normally 14–28; older members go to the 离团 review. */
export const LEAGUE_MAX_AGE = 28;

/** Version of the privacy notice a consent refers to. Bump it when the notice text changes. */
export const CONSENT_VERSION = '2026-01';

/** 隐私告知 the notice shown beside the consent checkbox. */
export const PRIVACY_NOTICE: Record<'zh-CN' | 'en', string> = {
  'zh-CN':
    '为开展共青团网格化服务，我们收集您的姓名、性别、出生日期、手机号、身份证号和青年类别。身份证号和手机号加密存储，仅授权的团干部可查看，每次查看均留痕。您可以随时联系所在网格撤回同意，撤回后我们停止处理您的信息。不满 14 周岁的，须由监护人同意。',
  en: 'To provide Youth League grid services we collect your name, gender, birth date, mobile number, ID number and category. ID and mobile numbers are stored encrypted, visible only to authorised cadres, and every view is recorded. You may withdraw consent at any time through your grid; we then stop processing your data. Under-14s need a guardian’s consent.',
};

/** Whether a person should be reviewed for leaving the League (超龄离团). */
export function needsLeaveReview(politicalStatus: PoliticalStatus, birthDate: string, today = todayInChina()): boolean {
  return politicalStatus === 'league_member' && ageOn(birthDate, today) > LEAGUE_MAX_AGE;
}

export type PersonRuleError = {
  field: string;
  code: 'AGE_OUT_OF_RANGE' | 'GUARDIAN_CONSENT_REQUIRED' | 'BIRTH_DATE_MISMATCH' | 'GENDER_MISMATCH';
};

/**
 * Checks identity facts together: a birth date given beside an ID number must be the one embedded in
 * it (same for gender); the age must be 14–35, or under 14 with a guardian's consent.
 * Returns the resolved birth date and gender (taken from the ID number when not given).
 */
export function resolvePersonFacts(
  input: { birthDate?: string | null; gender?: Gender | null; idNumber?: string | null; guardianConsent?: unknown },
  today = todayInChina(),
): { birthDate: string | null; gender: Gender | null; errors: PersonRuleError[] } {
  const errors: PersonRuleError[] = [];
  let birthDate = input.birthDate ?? null;
  let gender = input.gender ?? null;
  if (input.idNumber) {
    const embedded = idBirthDate(input.idNumber);
    if (birthDate && birthDate !== embedded) errors.push({ field: 'birthDate', code: 'BIRTH_DATE_MISMATCH' });
    birthDate = embedded;
    const g = idGender(input.idNumber);
    if (gender && gender !== g) errors.push({ field: 'gender', code: 'GENDER_MISMATCH' });
    gender = g;
  }
  if (birthDate) {
    const age = ageOn(birthDate, today);
    if (age > YOUTH_MAX_AGE || age < 0) errors.push({ field: 'birthDate', code: 'AGE_OUT_OF_RANGE' });
    else if (age < YOUTH_MIN_AGE && !input.guardianConsent)
      errors.push({ field: 'guardianConsent', code: 'GUARDIAN_CONSENT_REQUIRED' });
  }
  return { birthDate, gender, errors };
}

// ---------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u);

/** 手机号 a mainland mobile; spaces, dashes, +86 and full-width digits are normalised away. */
export const PhoneInputSchema = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const r = normalisePhone(value);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  });

/** 身份证号 an 18-character ID number with a valid check character and birth date. */
export const IdNumberInputSchema = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const r = normaliseIdNumber(value);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  });

/** A calendar date yyyy-mm-dd (full-width digits accepted), never in the future. */
export const DateInputSchema = z
  .string()
  .max(20)
  .transform((value, ctx) => {
    const s = value.trim().replace(/[\uFF10-\uFF19\uFF0D]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (!isRealDate(s) || s < '1900-01-01' || s > todayInChina()) {
      ctx.addIssue({ code: 'custom', message: 'date.invalid' });
      return z.NEVER;
    }
    return s;
  });

/** 知情同意 consent to the processing of personal data. */
export const ConsentInputSchema = z
  .object({
    version: Text(20).min(1),
    /** when it was given; defaults to now */
    at: z.iso.datetime({ offset: true }).optional(),
    channel: z.enum(CONSENT_CHANNELS),
  })
  .strict();

/** 监护人同意 guardian consent, required under 14. */
export const GuardianConsentSchema = z
  .object({
    guardianName: Text(50).min(1),
    /** 与本人关系 e.g. 父亲 / 母亲 */
    relation: Text(20).min(1),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const PersonFields = {
  name: Text(50).min(1),
  gender: z.enum(GENDERS).nullish(),
  birthDate: DateInputSchema.nullish(),
  phone: PhoneInputSchema.nullish(),
  idNumber: IdNumberInputSchema.nullish(),
  politicalStatus: z.enum(POLITICAL_STATUSES),
  category: z.enum(PERSON_CATEGORIES),
  skills: z.array(Text(30).min(1)).max(20),
  /** 所在网格 home grid */
  homeGridId: z.number().int().positive().nullish(),
  /** 所在圈 circles (grids of kind building / profession / interest) */
  circleGridIds: z.array(z.number().int().positive()).max(20),
  /** 所在团支部 League branch (any org the person belongs to directly) */
  branchOrgId: z.number().int().positive().nullish(),
  /** 骨干 backbone */
  backbone: z.boolean(),
  /** 后备骨干 reserve backbone */
  reserveBackbone: z.boolean(),
  guardianConsent: GuardianConsentSchema.nullish(),
};

/** 新增青年 staff entry of a person (re-entering a known ID or phone updates that person). */
export const PersonCreateSchema = z
  .object({
    ...PersonFields,
    politicalStatus: PersonFields.politicalStatus.default('masses'),
    category: PersonFields.category.default('other'),
    skills: PersonFields.skills.default([]),
    circleGridIds: PersonFields.circleGridIds.default([]),
    backbone: PersonFields.backbone.default(false),
    reserveBackbone: PersonFields.reserveBackbone.default(false),
    consent: ConsentInputSchema,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.phone && !v.idNumber)
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'person.identifierRequired' });
    if (!v.birthDate && !v.idNumber)
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'person.birthDateRequired' });
    if (!v.homeGridId && !v.branchOrgId)
      ctx.addIssue({ code: 'custom', path: ['homeGridId'], message: 'person.placeRequired' });
  });
export type PersonCreate = z.infer<typeof PersonCreateSchema>;

/** 编辑青年 a partial update; null clears an optional field. */
export const PersonUpdateSchema = z
  .object({
    name: PersonFields.name.optional(),
    gender: PersonFields.gender,
    birthDate: PersonFields.birthDate,
    phone: PersonFields.phone,
    idNumber: PersonFields.idNumber,
    politicalStatus: PersonFields.politicalStatus.optional(),
    category: PersonFields.category.optional(),
    skills: PersonFields.skills.optional(),
    homeGridId: PersonFields.homeGridId,
    circleGridIds: PersonFields.circleGridIds.optional(),
    branchOrgId: PersonFields.branchOrgId,
    backbone: PersonFields.backbone.optional(),
    reserveBackbone: PersonFields.reserveBackbone.optional(),
    guardianConsent: PersonFields.guardianConsent,
    consent: ConsentInputSchema.optional(),
  })
  .strict();
export type PersonUpdate = z.infer<typeof PersonUpdateSchema>;

const Ref = z.object({ id: z.number().int(), name: z.string() });

/** A person as every API answers it: phone and ID number are always masked here. */
export const PersonSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  name: z.string(),
  gender: z.enum(GENDERS).nullable(),
  birthDate: z.string().nullable(),
  age: z.number().int().nullable(),
  /** masked: 138****1234 */
  phone: z.string().nullable(),
  /** masked: 3301**********1234 */
  idNumber: z.string().nullable(),
  politicalStatus: z.enum(POLITICAL_STATUSES),
  category: z.enum(PERSON_CATEGORIES),
  skills: z.array(z.string()),
  homeGrid: Ref.nullable(),
  circles: z.array(Ref),
  branchOrg: Ref.nullable(),
  /** the org whose subtree the person belongs to: the home grid's responsible org, else the branch */
  org: Ref,
  backbone: z.boolean(),
  reserveBackbone: z.boolean(),
  source: z.enum(PERSON_SOURCES),
  status: z.enum(PERSON_STATUSES),
  consent: z.object({ version: z.string(), at: z.string(), channel: z.enum(CONSENT_CHANNELS) }).nullable(),
  guardianConsent: z.object({ guardianName: z.string(), relation: z.string(), at: z.string() }).nullable(),
  /** 超龄离团 League member older than 28 */
  leaveReview: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Person = z.infer<typeof PersonSchema>;

/** Outcome of an entry that goes through de-duplication. */
export const PersonWriteResultSchema = z.object({
  outcome: z.enum(['created', 'updated', 'review']),
  person: PersonSchema.nullable(),
  /** set when the entry went to the review list instead (同手机号不同身份证) */
  reviewId: z.number().int().nullable(),
});
export type PersonWriteResult = z.infer<typeof PersonWriteResultSchema>;

const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const PersonListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    /** name (contains) */
    q: z.string().trim().max(50).optional(),
    /** subtree of this org */
    orgId: z.coerce.number().int().positive().optional(),
    gridId: z.coerce.number().int().positive().optional(),
    status: z.enum(['pending', 'registered', 'inactive']).optional(),
    politicalStatus: z.enum(POLITICAL_STATUSES).optional(),
    category: z.enum(PERSON_CATEGORIES).optional(),
    backbone: QueryBool.optional(),
    reserveBackbone: QueryBool.optional(),
    /** League members older than 28 */
    leaveReview: QueryBool.optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type PersonListQuery = z.infer<typeof PersonListQuerySchema>;

export const PersonListSchema = z.object({
  items: z.array(PersonSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** 精确查找 exact lookup by phone or ID number (in the body: identifiers never go into URLs or logs). */
export const PersonLookupSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    phone: PhoneInputSchema.optional(),
    idNumber: IdNumberInputSchema.optional(),
  })
  .strict()
  .refine((v) => !!v.phone || !!v.idNumber, { path: ['phone'], message: 'person.identifierRequired' });

/** 查看完整证件号 unmasked identifiers (needs person.pii; every read is audited). */
export const PersonIdentifiersSchema = z.object({
  id: z.number().int(),
  phone: z.string().nullable(),
  idNumber: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Review list 疑似重复待核
// ---------------------------------------------------------------------------------------------

export const REVIEW_REASONS = [
  /** 同手机号、不同身份证号 same phone, different ID number */
  'phone_conflict',
  /** the ID number and the phone belong to two different people */
  'split_match',
  /** the known person lies outside the submitter's scope */
  'out_of_scope',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export const PersonReviewSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  reason: z.enum(REVIEW_REASONS),
  source: z.enum(PERSON_SOURCES),
  status: z.enum(['open', 'resolved']),
  /** what was submitted (identifiers masked) */
  incoming: z.object({
    name: z.string(),
    phone: z.string().nullable(),
    idNumber: z.string().nullable(),
    birthDate: z.string().nullable(),
  }),
  /** the people it collides with */
  candidates: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      phone: z.string().nullable(),
      idNumber: z.string().nullable(),
      match: z.enum(['phone', 'idNumber']),
    }),
  ),
  resolution: z.enum(['applied', 'created', 'rejected']).nullable(),
  resolvedPersonId: z.number().int().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type PersonReview = z.infer<typeof PersonReviewSchema>;

export const PersonReviewListSchema = z.object({ items: z.array(PersonReviewSchema), total: z.number().int() });

export const PersonReviewListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(['open', 'resolved']).default('open'),
  })
  .strict();

/**
 * 处理疑似重复: apply the submission to one of the candidates (the phone moves to that person),
 * create a new person (the phone moves to the new person), or reject it.
 */
export const PersonReviewResolveSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('apply'), personId: z.number().int().positive() }).strict(),
  z.object({ action: z.literal('create') }).strict(),
  z.object({ action: z.literal('reject') }).strict(),
]);
export type PersonReviewResolve = z.infer<typeof PersonReviewResolveSchema>;

// ---------------------------------------------------------------------------------------------
// Key youth 重点青少年 (restricted archive)
// ---------------------------------------------------------------------------------------------

export const KeyYouthSetSchema = z
  .object({
    kind: z.enum(KEY_YOUTH_KINDS),
    /** 帮扶情况 notes; stored encrypted */
    note: Text(2000).default(''),
  })
  .strict();

export const KeyYouthSchema = z.object({
  personId: z.number().int(),
  personName: z.string(),
  org: Ref,
  kind: z.enum(KEY_YOUTH_KINDS),
  note: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const KeyYouthListSchema = z.object({ items: z.array(KeyYouthSchema), total: z.number().int() });
export const KeyYouthListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().optional(),
    kind: z.enum(KEY_YOUTH_KINDS).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// 二维报到 QR self-registration
// ---------------------------------------------------------------------------------------------

export const RegistrationTokenCreateSchema = z
  .object({
    /** a grid's code: the person lands in that grid */
    gridId: z.number().int().positive().optional(),
    /** an org's code: the person lands in that org as his branch */
    orgId: z.number().int().positive().optional(),
    /** validity in days */
    expiresInDays: z.number().int().min(1).max(730).default(180),
  })
  .strict()
  .refine((v) => !!v.gridId !== !!v.orgId, { path: ['gridId'], message: 'qr.gridOrOrg' });

export const RegistrationTokenSchema = z.object({
  id: z.string(),
  kind: z.enum(['grid', 'org']),
  grid: Ref.nullable(),
  org: Ref,
  /** the signed token and the URL the QR code encodes */
  token: z.string(),
  url: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  registrations: z.number().int(),
  createdAt: z.string(),
});
export const RegistrationTokenListSchema = z.object({ items: z.array(RegistrationTokenSchema) });
export const RegistrationTokenListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    gridId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().optional(),
  })
  .strict();

/** What the phone page shows before the form: no personal data. */
export const QrInfoSchema = z.object({
  kind: z.enum(['grid', 'org']),
  gridName: z.string().nullable(),
  orgName: z.string(),
  districtName: z.string(),
  consentVersion: z.string(),
  privacyNotice: z.string(),
  expiresAt: z.string(),
});

/** 扫码报到表单 the phone form. */
export const QrRegisterSchema = z
  .object({
    name: Text(50).min(1),
    phone: PhoneInputSchema,
    idNumber: IdNumberInputSchema.nullish(),
    birthDate: DateInputSchema.nullish(),
    gender: z.enum(GENDERS).nullish(),
    category: z.enum(PERSON_CATEGORIES).default('other'),
    politicalStatus: z.enum(POLITICAL_STATUSES).default('masses'),
    /** the consent checkbox: must be ticked */
    consent: z.literal(true),
    /** the notice version the page showed */
    consentVersion: Text(20).min(1),
    guardianConsent: GuardianConsentSchema.nullish(),
    /** random id the page makes once per form; a replay of the same submission is refused */
    submissionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    /** an org code: the grid chosen on the page (e.g. the one suggested from the phone's position) */
    gridId: z.number().int().positive().optional(),
    /** asked for after repeated attempts (CAPTCHA_REQUIRED) */
    captcha: CaptchaAnswerSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.birthDate && !v.idNumber)
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'person.birthDateRequired' });
  });
export type QrRegister = z.infer<typeof QrRegisterSchema>;

export const QrRegisterResultSchema = z.object({
  /** registered: in the registry; pending: the grid leader confirms; review: a cadre checks a conflict */
  status: z.enum(['registered', 'pending', 'review']),
});

export const RegistrationSettingsSchema = z.object({
  /** 扫码即登记: self-registrations land as registered instead of pending */
  autoRegister: z.boolean(),
});
export const RegistrationSettingsUpdateSchema = RegistrationSettingsSchema.strict();
