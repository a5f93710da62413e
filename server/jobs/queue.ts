import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.ts';
import { type Executor, many } from '../db/sql.ts';

/**
 * The durable job queue (ENGINEERING.md "background work"): jobs are rows of `jobs`, taken by a
 * poller with `SELECT … FOR UPDATE SKIP LOCKED` inside the transaction that runs them, so a job's
 * effects and its completion commit together, several servers on one PostgreSQL never run a job
 * twice, and a job scheduled before a restart fires after it. Works the same on PGlite.
 *
 * Deviation from ENGINEERING.md: not pg-boss. pg-boss 10 needs an adapter for PGlite and 12 needs
 * Node 22; the queue we need (run at a time, once, retried with back-off) is these ~150 lines over one
 * table, testable on both databases.
 */

/** What a handler may return: work to do after its transaction committed (push, send). */
export type AfterCommit = (() => Promise<void>) | undefined;
export type JobHandler = (
  ex: Executor,
  payload: any,
  job: { id: number; runAt: Date; now: Date },
) => Promise<AfterCommit>;
/** Periodic work done on every tick after the due jobs (e.g. the delivery outbox). */
export type TickTask = (now: Date) => Promise<void>;

const MAX_ATTEMPTS = 5;
const BATCH = 50;

/** Schedules a job; pass the transaction of the write that needs it so both commit together. */
export async function enqueueJob(ex: Executor, kind: string, payload: unknown, runAt: Date): Promise<number> {
  const [r] = await many<{ id: string | number }>(
    ex,
    sql`INSERT INTO jobs (kind, payload, run_at) VALUES (${kind}, ${JSON.stringify(payload)}::jsonb, ${runAt.toISOString()}::timestamptz)
        RETURNING id`,
  );
  return Number(r.id);
}

export class JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly tasks: TickTask[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly database: Database,
    private readonly options: {
      pollMs: number;
      log?: { error(obj: unknown, msg?: string): void };
      clock?: () => Date;
    },
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  addTickTask(task: TickTask): void {
    this.tasks.push(task);
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the job in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs a tick now (tests, and right after scheduling something due at once). */
  poke(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick()
        .then(() => undefined)
        .catch((err) => this.options.log?.error({ err }, 'job queue tick failed'))
        .finally(() => {
          this.running = null;
          this.schedule(this.options.pollMs);
        });
    }, ms);
    this.timer.unref?.();
  }

  /** Runs every due job (up to a batch), then the tick tasks. Returns how many jobs ran. */
  async tick(): Promise<number> {
    let ran = 0;
    for (;;) {
      const done = await this.runOne();
      if (done === 'none') break;
      ran++;
      if (ran >= BATCH) break;
    }
    for (const task of this.tasks) {
      try {
        await task(this.now());
      } catch (err) {
        this.options.log?.error({ err }, 'job queue task failed');
      }
    }
    return ran;
  }

  /** Takes one due job, runs it in its own transaction and marks it done there. */
  async runOne(): Promise<'none' | 'done' | 'failed'> {
    const now = this.now();
    let after: AfterCommit;
    let taken: { id: number; kind: string } | null = null;
    try {
      const outcome = await this.database.db.transaction(async (tx) => {
        const [job] = await many<{ id: string | number; kind: string; payload: unknown; run_at: unknown }>(
          tx,
          sql`SELECT id, kind, payload, run_at FROM jobs
              WHERE done_at IS NULL AND run_at <= ${now.toISOString()}::timestamptz
              ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!job) return 'none' as const;
        taken = { id: Number(job.id), kind: job.kind };
        const handler = this.handlers.get(job.kind);
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        const payload = typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload;
        after = await handler(tx, payload, { id: taken.id, runAt: new Date(String(job.run_at)), now });
        await tx.execute(sql`UPDATE jobs SET done_at = now(), attempts = attempts + 1 WHERE id = ${taken.id}`);
        return 'done' as const;
      });
      if (outcome === 'done' && after) {
        await after().catch((err) => this.options.log?.error({ err }, 'job after-commit work failed'));
      }
      return outcome;
    } catch (err) {
      if (!taken) throw err;
      const job = taken as { id: number; kind: string };
      this.options.log?.error({ err, job }, 'job failed');
      // Retry with back-off; give up (done, error kept) after MAX_ATTEMPTS.
      await this.database.db.execute(sql`UPDATE jobs SET attempts = attempts + 1, last_error = ${String(
        (err as Error)?.stack ?? err,
      ).slice(0, 4000)},
          run_at = now() + make_interval(secs => power(2, attempts + 1)),
          done_at = CASE WHEN attempts + 1 >= ${MAX_ATTEMPTS} THEN now() END
          WHERE id = ${job.id}`);
      return 'failed';
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobQueue;
  }
}

/** Decorates the app with its job queue; polling starts when the app is ready and stops when it closes. */
export const jobsPlugin = fp(async (app: FastifyInstance) => {
  const queue = new JobQueue(app.database, { pollMs: app.config.jobPollMs, log: app.log });
  app.decorate('jobs', queue);
  app.addHook('onReady', async () => {
    if (app.config.jobPollMs > 0) queue.start();
  });
  app.addHook('preClose', async () => {
    await queue.stop();
  });
});
