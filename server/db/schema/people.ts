import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { accounts, districts, orgs } from './core.ts';
import { grids } from './grids.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/**
 * 青年 a person of the registry. ID and mobile numbers are kept only as SM4 ciphertext (`*_enc`)
 * and an HMAC-SM3 blind index (`*_idx`) for exact lookup and de-duplication; no plain text.
 * Scope: the home grid's responsible org, else the League branch.
 */
export const people = pgTable(
  'people',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    name: varchar('name', { length: 50 }).notNull(),
    gender: varchar('gender', { length: 10 }),
    birthDate: date('birth_date', { mode: 'string' }),
    phoneEnc: text('phone_enc'),
    phoneIdx: varchar('phone_idx', { length: 64 }),
    idEnc: text('id_enc'),
    idIdx: varchar('id_idx', { length: 64 }),
    politicalStatus: varchar('political_status', { length: 20 }).notNull(),
    category: varchar('category', { length: 30 }).notNull(),
    skills: jsonb('skills').notNull().default(sql`'[]'::jsonb`),
    homeGridId: integer('home_grid_id').references(() => grids.id),
    branchOrgId: integer('branch_org_id').references(() => orgs.id),
    backbone: boolean('backbone').notNull().default(false),
    reserveBackbone: boolean('reserve_backbone').notNull().default(false),
    source: varchar('source', { length: 10 }).notNull(),
    status: varchar('status', { length: 12 }).notNull(),
    consentVersion: varchar('consent_version', { length: 20 }),
    consentAt: ts('consent_at'),
    consentChannel: varchar('consent_channel', { length: 10 }),
    /** { guardianName, relation, at } when under 14 */
    guardianConsent: jsonb('guardian_consent'),
    registrationTokenId: varchar('registration_token_id', { length: 32 }),
    withdrawnAt: ts('withdrawn_at'),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_district_id_idx_uq').on(t.districtId, t.idIdx).where(sql`${t.idIdx} IS NOT NULL`),
    uniqueIndex('people_district_phone_idx_uq').on(t.districtId, t.phoneIdx).where(sql`${t.phoneIdx} IS NOT NULL`),
    index('people_home_grid_idx').on(t.homeGridId),
    index('people_branch_org_idx').on(t.branchOrgId),
    index('people_district_status_idx').on(t.districtId, t.status),
    check('people_place_ck', sql`${t.homeGridId} IS NOT NULL OR ${t.branchOrgId} IS NOT NULL`),
  ],
);

/** 所在圈 a person's circles (grids of kind building / profession / interest). */
export const personCircles = pgTable(
  'person_circles',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
  },
  (t) => [primaryKey({ columns: [t.personId, t.gridId] }), index('person_circles_grid_idx').on(t.gridId)],
);

/**
 * 疑似重复待核 a submission that collides with known people in a way that must not be merged
 * silently (same phone, different ID …). Its identifiers are encrypted like the registry's.
 */
export const personReviews = pgTable(
  'person_reviews',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    /** the org the submission was aimed at; scope of who sees the entry */
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    reason: varchar('reason', { length: 20 }).notNull(),
    source: varchar('source', { length: 10 }).notNull(),
    status: varchar('status', { length: 10 }).notNull().default('open'),
    /** the submitted fields other than the identifiers */
    incoming: jsonb('incoming').notNull(),
    phoneEnc: text('phone_enc'),
    phoneIdx: varchar('phone_idx', { length: 64 }),
    idEnc: text('id_enc'),
    idIdx: varchar('id_idx', { length: 64 }),
    /** [{ id, match: 'phone' | 'idNumber' }] */
    candidates: jsonb('candidates').notNull(),
    registrationTokenId: varchar('registration_token_id', { length: 32 }),
    resolution: varchar('resolution', { length: 10 }),
    resolvedPersonId: integer('resolved_person_id').references(() => people.id),
    resolvedBy: integer('resolved_by').references(() => accounts.id),
    resolvedAt: ts('resolved_at'),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('person_reviews_district_status_idx').on(t.districtId, t.status)],
);

/** 重点青少年 the restricted archive: readable only with person.key_youth, every read audited. */
export const keyYouth = pgTable(
  'key_youth',
  {
    personId: integer('person_id')
      .primaryKey()
      .references(() => people.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    kind: varchar('kind', { length: 30 }).notNull(),
    /** SM4 ciphertext of the notes */
    noteEnc: text('note_enc').notNull(),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('key_youth_district_idx').on(t.districtId)],
);

/**
 * 报到二维码 a registration token of a grid or an org. The QR encodes `<id>.<HMAC signature>`; only the
 * id is stored, so a token can be revoked and its signature re-made for a new download.
 */
export const registrationTokens = pgTable(
  'registration_tokens',
  {
    id: varchar('id', { length: 32 }).primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    gridId: integer('grid_id').references(() => grids.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    revokedBy: integer('revoked_by').references(() => accounts.id),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    /**
     * Set for an activity's sign-up / check-in code (migration 0010_activities; no foreign key in
     * Drizzle to keep schema files free of import cycles — the SQL has none either). Such a token
     * is never a registration code.
     */
    activityId: integer('activity_id'),
  },
  (t) => [
    index('registration_tokens_org_idx').on(t.orgId),
    index('registration_tokens_grid_idx').on(t.gridId),
    index('registration_tokens_activity_idx').on(t.activityId),
  ],
);

/** One accepted QR form per (token, submission id): a replayed form is refused. */
export const registrationSubmissions = pgTable(
  'registration_submissions',
  {
    tokenId: varchar('token_id', { length: 32 })
      .notNull()
      .references(() => registrationTokens.id),
    submissionId: varchar('submission_id', { length: 64 }).notNull(),
    personId: integer('person_id').references(() => people.id),
    reviewId: integer('review_id').references(() => personReviews.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.submissionId] })],
);

/** District settings of self-registration. */
export const registrationSettings = pgTable('registration_settings', {
  districtId: integer('district_id')
    .primaryKey()
    .references(() => districts.id),
  /** 扫码即登记: QR registrations land as registered (true) or pending (false) */
  autoRegister: boolean('auto_register').notNull().default(false),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
