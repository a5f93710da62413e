import { bigint, index, integer, pgTable, primaryKey, serial, timestamp, varchar } from 'drizzle-orm/pg-core';
import { bytea } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** Retention purges of the audit log (migration 0012): where each chain now starts. Append-only. */
export const auditPurges = pgTable(
  'audit_purges',
  {
    id: serial('id').primaryKey(),
    chain: integer('chain').notNull(),
    throughSeq: bigint('through_seq', { mode: 'number' }).notNull(),
    throughHash: bytea('through_hash').notNull(),
    rows: integer('rows').notNull(),
    keepDays: integer('keep_days').notNull(),
    purgedAt: ts('purged_at').notNull().defaultNow(),
  },
  (t) => [index('audit_purges_chain_idx').on(t.chain, t.throughSeq)],
);

/**
 * Failed logins per (username as typed, lower-cased; client IP) — kept for unknown usernames too, so a
 * locked-out probe of a name that does not exist answers exactly like one that does. Not tenant data.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    username: varchar('username', { length: 100 }).notNull(),
    ip: varchar('ip', { length: 64 }).notNull(),
    failures: integer('failures').notNull().default(0),
    lockedUntil: ts('locked_until'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.username, t.ip] })],
);
