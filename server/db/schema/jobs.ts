import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/**
 * 任务队列 the durable job queue: a row per scheduled piece of background work (a notice's deadline,
 * later imports). Workers take due rows with `SELECT … FOR UPDATE SKIP LOCKED`, so several servers on
 * one PostgreSQL never run a job twice, and a job survives a restart because it is only a row.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** what to run, e.g. 'notice.deadline' */
    kind: varchar('kind', { length: 60 }).notNull(),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    /** not before this moment */
    runAt: ts('run_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** set when the job succeeded or was given up; pending jobs have none */
    doneAt: ts('done_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('jobs_due_idx').on(t.runAt).where(sql`${t.doneAt} IS NULL`)],
);
