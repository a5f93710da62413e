import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
/** PostgreSQL bytea (drizzle-orm has no built-in column for it). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** 区县 a district: one tenant. */
export const districts = pgTable('districts', {
  id: serial('id').primaryKey(),
  code: varchar('code', { length: 6 }).notNull().unique(),
  name: varchar('name', { length: 100 }).notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * 组织 an org of the League network. `path` is the materialised path of ids ('/1/7/42/'):
 * a subtree is `path LIKE '/1/7/%'`, which scope checks and roll-ups use.
 */
export const orgs = pgTable(
  'orgs',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    parentId: integer('parent_id').references((): any => orgs.id),
    kind: varchar('kind', { length: 40 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    hierarchical: boolean('hierarchical').notNull(),
    path: text('path').notNull(),
    depth: smallint('depth').notNull(),
    namePinyin: text('name_pinyin').notNull(),
    nameInitials: text('name_initials').notNull(),
    secretaryName: varchar('secretary_name', { length: 50 }),
    contact: varchar('contact', { length: 100 }),
    description: varchar('description', { length: 1000 }),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('orgs_district_path_idx').using('btree', t.districtId, sql`${t.path} text_pattern_ops`),
    index('orgs_parent_idx').on(t.parentId),
    uniqueIndex('orgs_sibling_name_uq').on(t.districtId, sql`coalesce(${t.parentId}, 0)`, t.name),
  ],
);

/** 团建联盟成员 alliance membership: many-to-many across the district. */
export const allianceMembers = pgTable(
  'alliance_members',
  {
    allianceId: integer('alliance_id')
      .notNull()
      .references(() => orgs.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.allianceId, t.orgId] }), index('alliance_members_org_idx').on(t.orgId)],
);

/** 账号 an account, bound to an org (its scope) with a role. Platform admins have no district. */
export const accounts = pgTable(
  'accounts',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id').references(() => districts.id),
    orgId: integer('org_id').references(() => orgs.id),
    username: varchar('username', { length: 40 }).notNull(),
    displayName: varchar('display_name', { length: 50 }).notNull(),
    role: varchar('role', { length: 30 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: ts('locked_until'),
    active: boolean('active').notNull().default(true),
    lastLoginAt: ts('last_login_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** For the 等保 profile's periodic change (migration 0012). */
    passwordChangedAt: ts('password_changed_at').notNull().defaultNow(),
    /** TOTP second factor: base32 secret (SM4-encrypted like other secrets), when enrolment was confirmed, last used step. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: ts('totp_enabled_at'),
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  },
  (t) => [uniqueIndex('accounts_username_uq').on(sql`lower(${t.username})`), index('accounts_org_idx').on(t.orgId)],
);

/** 会话 a login session; the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    /** Synchronizer token: cookie-authenticated writes must echo it in x-csrf-token. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    /** False while an admin who must use TOTP has not enrolled yet: only enrolment routes are open. */
    secondFactor: boolean('second_factor').notNull().default(true),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

/** 审计日志 every write and every read of sensitive personal data. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    districtId: integer('district_id'),
    accountId: integer('account_id'),
    username: varchar('username', { length: 40 }),
    action: varchar('action', { length: 60 }).notNull(),
    entity: varchar('entity', { length: 40 }).notNull(),
    entityId: varchar('entity_id', { length: 60 }),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: varchar('ip', { length: 64 }),
    at: ts('at').notNull().defaultNow(),
    /** Hash chain (migration 0012, set by the audit_log_chain trigger): chain = coalesce(district_id, 0). */
    chain: integer('chain').notNull(),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [
    index('audit_district_at_idx').on(t.districtId, t.at),
    index('audit_entity_idx').on(t.entity, t.entityId),
    uniqueIndex('audit_chain_seq_idx').on(t.chain, t.chainSeq),
  ],
);

/** Platform-level key/value state (e.g. whether demo data was seeded). */
export const systemState = pgTable('system_state', {
  key: varchar('key', { length: 60 }).primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
