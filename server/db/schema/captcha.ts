import { index, integer, pgTable, primaryKey, timestamp, varchar } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** Captcha challenges (migration 0016): the answer's keyed hash, used once, 5 minutes. Not tenant data. */
export const captchaChallenges = pgTable(
  'captcha_challenges',
  {
    id: varchar('id', { length: 32 }).primaryKey(),
    answerHash: varchar('answer_hash', { length: 64 }).notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('captcha_challenges_expires_idx').on(t.expiresAt)],
);

/**
 * Attempts per scope (e.g. `qr:<token id>:ip:<ip>`) and fixed time window, shared by every app server:
 * they decide when a public form needs a captcha, and per-token rate limits.
 */
export const attemptCounters = pgTable(
  'attempt_counters',
  {
    scope: varchar('scope', { length: 200 }).notNull(),
    windowStart: ts('window_start').notNull(),
    count: integer('count').notNull().default(1),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.windowStart] }), index('attempt_counters_expires_idx').on(t.expiresAt)],
);
