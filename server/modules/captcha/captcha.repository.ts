import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { many, manyPrepared, one } from '../../db/sql.ts';

export async function insertChallenge(ex: Executor, id: string, answerHash: string, ttlSeconds: number) {
  await ex.execute(
    sql`INSERT INTO captcha_challenges (id, answer_hash, expires_at)
        VALUES (${id}, ${answerHash}, now() + make_interval(secs => ${ttlSeconds}))`,
  );
}

/** Uses a challenge up (right or wrong, it is gone): its answer hash while it was live, else null. */
export async function takeChallenge(ex: Executor, id: string): Promise<string | null> {
  const r = await one<{ answer_hash: string }>(
    ex,
    sql`DELETE FROM captcha_challenges WHERE id = ${id} AND expires_at > now() RETURNING answer_hash`,
  );
  return r?.answer_hash ?? null;
}

/**
 * Counts one attempt in each scope's current fixed window (database time, so every app server agrees)
 * and returns the counts after it — ONE upsert statement, whatever the number of scopes.
 */
export async function bumpAttempts(
  ex: Executor,
  scopes: { scope: string; windowSeconds: number }[],
): Promise<Map<string, number>> {
  const values = sql.join(
    scopes.map((s) => sql`(${s.scope}::varchar, ${s.windowSeconds}::int)`),
    sql`, `,
  );
  const rows = await manyPrepared<{ scope: string; count: number }>(
    ex,
    sql`INSERT INTO attempt_counters (scope, window_start, count, expires_at)
        SELECT u.scope, w.start, 1, w.start + make_interval(secs => u.secs)
        FROM (VALUES ${values}) AS u(scope, secs)
        CROSS JOIN LATERAL (SELECT to_timestamp(floor(extract(epoch FROM now()) / u.secs) * u.secs) AS start) w
        ON CONFLICT (scope, window_start) DO UPDATE SET count = attempt_counters.count + 1
        RETURNING scope, count`,
  );
  return new Map(rows.map((r) => [r.scope, Number(r.count)]));
}

/** Deletes expired challenges and counters of past windows; returns how many rows went. */
export async function purgeExpired(ex: Executor): Promise<number> {
  const a = await many(ex, sql`DELETE FROM captcha_challenges WHERE expires_at <= now() RETURNING 1`);
  const b = await many(ex, sql`DELETE FROM attempt_counters WHERE expires_at <= now() RETURNING 1`);
  return a.length + b.length;
}
