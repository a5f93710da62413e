import type { Database } from '../../db/client.ts';

/**
 * The audit log's hash chains (migrations 0012, 0021): 16 chains per district, its shards (chain = shard × 2²⁴ +
 * coalesce(district_id, 0), so shard 0 is the district id), each row holding its chain_seq, the previous row's hash
 * and sha256(prev_hash || canonical row text), computed by the `audit_log_chain` trigger. This file re-checks
 * them and runs the retention purge; every chain is checked on its own.
 *
 * The canonical text is recomputed here with the expression written out (not by calling the database's
 * `audit_row_hash`), so replacing that function does not fool the check. What the chain cannot show on
 * its own is a cut-off tail (the newest rows of a chain deleted by someone with the owner's rights):
 * `verify-audit` prints every chain's head (seq + hash) so an operator can record them elsewhere and
 * compare later (`--expect` takes a previous report).
 */

/** A chain's newest row; `district` (0: platform entries) and `shard` are read off the chain number. */
export type ChainHead = { chain: number; district: number; shard: number; seq: number; hash: string; rows: number };

/** Chain numbers per district (migration 0021): chain = shard × SHARD_STRIDE + district. */
export const SHARD_STRIDE = 16777216;
export type BrokenLink = {
  chain: number;
  seq: number;
  id: number;
  /** What is wrong: the row's content does not match its hash, it does not link to the row before, or rows are missing. */
  problem: 'content' | 'link' | 'gap' | 'start';
  detail: string;
};
export type VerifyReport = { ok: boolean; rows: number; chains: ChainHead[]; firstBroken: BrokenLink | null };

const CANONICAL = `sha256(a.prev_hash || convert_to(jsonb_build_array(a.id, a.chain, a.chain_seq, a.district_id,
  a.account_id, a.username, a.action, a.entity, a.entity_id, a.before, a.after, a.ip,
  (extract(epoch FROM a.at) * 1000000)::bigint)::text, 'UTF8'))`;

/** Recomputes every link; returns the first broken one (lowest chain, then lowest seq). */
export async function verifyAuditChain(database: Database): Promise<VerifyReport> {
  return database.onConnection(async (query) => {
    await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const broken = await query<{
        chain: number;
        seq: string;
        id: string;
        problem: BrokenLink['problem'];
        detail: string;
      }>(
        `WITH anchors AS (
           SELECT DISTINCT ON (chain) chain, through_seq, through_hash FROM audit_purges ORDER BY chain, through_seq DESC
         ), linked AS (
           SELECT a.id, a.chain, a.chain_seq, a.prev_hash, a.hash, ${CANONICAL} AS recomputed,
                  lag(a.chain_seq) OVER w AS prev_seq, lag(a.hash) OVER w AS prev_row_hash,
                  row_number() OVER w AS n
             FROM audit_log a WINDOW w AS (PARTITION BY a.chain ORDER BY a.chain_seq)
         ), checked AS (
           SELECT l.*, CASE
               WHEN l.recomputed <> l.hash THEN 'content'
               WHEN l.n = 1 AND l.chain_seq = 1 AND l.prev_hash <> '\\x'::bytea THEN 'start'
               WHEN l.n = 1 AND l.chain_seq > 1 AND (p.through_seq IS NULL OR p.through_seq <> l.chain_seq - 1) THEN 'gap'
               WHEN l.n = 1 AND l.chain_seq > 1 AND p.through_hash <> l.prev_hash THEN 'link'
               WHEN l.n > 1 AND l.chain_seq <> l.prev_seq + 1 THEN 'gap'
               WHEN l.n > 1 AND l.prev_hash <> l.prev_row_hash THEN 'link'
             END AS problem, p.through_seq
             FROM linked l LEFT JOIN anchors p ON p.chain = l.chain
         )
         SELECT chain, chain_seq::text AS seq, id::text AS id, problem,
                CASE problem
                  WHEN 'content' THEN 'row content does not match its stored hash (edited)'
                  WHEN 'start' THEN 'first row of the chain does not start from the empty hash'
                  WHEN 'gap' THEN 'rows missing before this one (deleted outside the retention purge); expected seq '
                                  || coalesce((coalesce(prev_seq, through_seq, 0) + 1)::text, '?')
                  ELSE 'prev_hash does not equal the hash of the row before (rows removed, inserted or re-hashed)'
                END AS detail
           FROM checked WHERE problem IS NOT NULL ORDER BY chain, chain_seq LIMIT 1`,
      );
      const heads = await query<{ chain: number; seq: string; hash: string; rows: number }>(
        `SELECT DISTINCT ON (chain) chain, chain_seq::text AS seq, encode(hash, 'hex') AS hash,
                count(*) OVER (PARTITION BY chain)::int AS rows
           FROM audit_log ORDER BY chain, chain_seq DESC`,
      );
      const chains = heads.map((h) => ({
        chain: h.chain,
        district: h.chain % SHARD_STRIDE,
        shard: Math.floor(h.chain / SHARD_STRIDE),
        seq: Number(h.seq),
        hash: h.hash,
        rows: h.rows,
      }));
      const b = broken[0];
      return {
        ok: !b,
        rows: chains.reduce((s, c) => s + c.rows, 0),
        chains,
        firstBroken: b
          ? { chain: b.chain, seq: Number(b.seq), id: Number(b.id), problem: b.problem, detail: b.detail }
          : null,
      };
    } finally {
      await query('COMMIT');
    }
  });
}

/**
 * Compares the current heads with a report recorded earlier: every chain must still reach at least the
 * recorded seq, and the row at that seq must still have the recorded hash (a cut-off tail shows here).
 */
export async function compareWithRecordedHeads(database: Database, recorded: ChainHead[]): Promise<BrokenLink | null> {
  for (const h of recorded) {
    const [row] = await database.query<{ id: string; hash: string }>(
      `SELECT id::text AS id, encode(hash, 'hex') AS hash FROM audit_log WHERE chain = $1 AND chain_seq = $2`,
      [h.chain, h.seq],
    );
    if (row && row.hash === h.hash) continue;
    const [purged] = await database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_purges WHERE chain = $1 AND through_seq >= $2',
      [h.chain, h.seq],
    );
    if (!row && purged.n > 0) continue; // purged by retention since it was recorded
    return {
      chain: h.chain,
      seq: h.seq,
      id: row ? Number(row.id) : 0,
      problem: row ? 'content' : 'gap',
      detail: row
        ? 'the row at the recorded head has a different hash now'
        : 'the recorded head row is gone (the newest rows were deleted)',
    };
  }
  return null;
}

/** Minimum retention enforced by the database trigger as well (等保 level 3: keep audit records ≥ 6 months). */
export const AUDIT_MIN_RETENTION_DAYS = 180;

/**
 * Deletes, per chain, the oldest rows up to the first row younger than `keepDays` (≥ 180) and records where
 * each chain now starts. The only path past the append-only trigger (see migration 0012).
 */
export async function purgeAudit(database: Database, keepDays: number): Promise<number> {
  if (!Number.isInteger(keepDays) || keepDays < AUDIT_MIN_RETENTION_DAYS) {
    throw new Error(`audit retention must be at least ${AUDIT_MIN_RETENTION_DAYS} days`);
  }
  const [r] = await database.query<{ n: number }>('SELECT audit_purge($1) AS n', [keepDays]);
  return Number(r.n);
}
