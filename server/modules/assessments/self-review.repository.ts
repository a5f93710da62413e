import { sql } from 'drizzle-orm';
import type { SelfReviewState } from '../../../domain/assessment.ts';
import type { Executor } from '../../db/sql.ts';
import { isoOrNull, many, one } from '../../db/sql.ts';

export type TargetRow = {
  roundId: number;
  orgId: number;
  orgName: string;
  state: SelfReviewState;
  selfSubmittedAt: string | null;
  selfSubmittedBy: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
};

/** One assessed org of a round with the state of its self-assessment. */
export async function findTarget(ex: Executor, roundId: number, orgId: number): Promise<TargetRow | undefined> {
  const r = await one<any>(
    ex,
    sql`SELECT t.round_id, t.org_id, o.name AS org_name, t.state, t.self_submitted_at, sa.display_name AS submitted_by,
               t.reviewed_at, ra.display_name AS reviewed_by
        FROM assessment_targets t JOIN orgs o ON o.id = t.org_id
        LEFT JOIN accounts sa ON sa.id = t.self_submitted_by
        LEFT JOIN accounts ra ON ra.id = t.reviewed_by
        WHERE t.round_id = ${roundId} AND t.org_id = ${orgId}`,
  );
  if (!r) return undefined;
  return {
    roundId: r.round_id,
    orgId: r.org_id,
    orgName: r.org_name,
    state: r.state,
    selfSubmittedAt: isoOrNull(r.self_submitted_at),
    selfSubmittedBy: r.submitted_by ?? null,
    reviewedAt: isoOrNull(r.reviewed_at),
    reviewedBy: r.reviewed_by ?? null,
  };
}

export type SelfScoreRow = {
  itemKey: string;
  score: number;
  note: string | null;
  evidence: string | null;
  decision: 'accepted' | 'adjusted' | null;
  reviewedScore: number | null;
  reviewNote: string | null;
};

export async function listSelfScores(ex: Executor, roundId: number, orgId: number): Promise<SelfScoreRow[]> {
  const rows = await many<any>(
    ex,
    sql`SELECT item_key, score::float8 AS score, note, evidence, decision, reviewed_score::float8 AS reviewed_score, review_note
        FROM assessment_self_scores WHERE round_id = ${roundId} AND org_id = ${orgId} ORDER BY item_key`,
  );
  return rows.map((r) => ({
    itemKey: r.item_key,
    score: Number(r.score),
    note: r.note,
    evidence: r.evidence,
    decision: r.decision,
    reviewedScore: r.reviewed_score === null ? null : Number(r.reviewed_score),
    reviewNote: r.review_note,
  }));
}

/** Self scores of many orgs of a round (for the results). */
export async function selfScoresOfOrgs(ex: Executor, roundId: number, orgIds: number[]) {
  if (!orgIds.length) return [];
  return many<{ org_id: number; item_key: string; score: number }>(
    ex,
    sql`SELECT org_id, item_key, score::float8 AS score FROM assessment_self_scores
        WHERE round_id = ${roundId} AND org_id IN (${sql.join(
          orgIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
}

/** The targets' states of a round (for the results). */
export async function targetStates(ex: Executor, roundId: number) {
  const rows = await many<{ org_id: number; state: SelfReviewState }>(
    ex,
    sql`SELECT org_id, state FROM assessment_targets WHERE round_id = ${roundId}`,
  );
  return new Map(rows.map((r) => [r.org_id, r.state]));
}

/** Locks the target row: self-scoring, submission and review of one org never interleave. */
export async function lockTarget(ex: Executor, roundId: number, orgId: number): Promise<SelfReviewState | undefined> {
  const r = await one<{ state: SelfReviewState }>(
    ex,
    sql`SELECT state FROM assessment_targets WHERE round_id = ${roundId} AND org_id = ${orgId} FOR UPDATE`,
  );
  return r?.state;
}

export async function upsertSelfScores(
  ex: Executor,
  s: { roundId: number; orgId: number; districtId: number; accountId: number },
  scores: { itemKey: string; score: number; note?: string | null; evidence?: string | null }[],
) {
  for (const item of scores) {
    await ex.execute(sql`
      INSERT INTO assessment_self_scores (round_id, org_id, district_id, item_key, score, note, evidence, entered_by)
      VALUES (${s.roundId}, ${s.orgId}, ${s.districtId}, ${item.itemKey}, ${item.score}, ${item.note ?? null},
              ${item.evidence ?? null}, ${s.accountId})
      ON CONFLICT (round_id, org_id, item_key)
      DO UPDATE SET score = excluded.score, note = excluded.note, evidence = excluded.evidence,
                    entered_by = excluded.entered_by, updated_at = now()`);
  }
}

/** pending → self_submitted, conditionally: of racing submissions exactly one changes the state. */
export async function markSubmitted(ex: Executor, roundId: number, orgId: number, accountId: number) {
  const r = await one<{ org_id: number }>(
    ex,
    sql`UPDATE assessment_targets SET state = 'self_submitted', self_submitted_at = now(), self_submitted_by = ${accountId}
        WHERE round_id = ${roundId} AND org_id = ${orgId} AND state = 'pending' RETURNING org_id`,
  );
  return !!r;
}

/**
 * Writes the review: per item the decision, the reviewed score and note; the reviewed scores replace
 * this org's counted scores (assessment_scores, under the reviewer); the target becomes reviewed.
 */
export async function saveReview(
  ex: Executor,
  s: { roundId: number; orgId: number; districtId: number; reviewerId: number },
  items: { itemKey: string; decision: 'accepted' | 'adjusted'; score: number; note: string | null }[],
) {
  for (const item of items) {
    await ex.execute(sql`
      UPDATE assessment_self_scores SET decision = ${item.decision}, reviewed_score = ${item.score},
             review_note = ${item.note}, reviewed_by = ${s.reviewerId}, reviewed_at = now()
      WHERE round_id = ${s.roundId} AND org_id = ${s.orgId} AND item_key = ${item.itemKey}`);
  }
  await ex.execute(sql`DELETE FROM assessment_scores WHERE round_id = ${s.roundId} AND org_id = ${s.orgId}`);
  await ex.execute(sql`
    INSERT INTO assessment_scores (round_id, org_id, assessor_id, district_id, item_key, score, note)
    SELECT round_id, org_id, ${s.reviewerId}, district_id, item_key, reviewed_score, review_note
    FROM assessment_self_scores WHERE round_id = ${s.roundId} AND org_id = ${s.orgId} AND reviewed_score IS NOT NULL`);
  await ex.execute(sql`
    UPDATE assessment_targets SET state = 'reviewed', reviewed_at = now(), reviewed_by = ${s.reviewerId}
    WHERE round_id = ${s.roundId} AND org_id = ${s.orgId}`);
}

export async function countSelfScores(ex: Executor, roundId: number): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM assessment_self_scores WHERE round_id = ${roundId}`,
  );
  return r?.n ?? 0;
}
