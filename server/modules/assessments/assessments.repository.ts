import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import type { BandThresholds, IndicatorSetDefinition } from '../../../domain/assessment.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

function toSet(r: any) {
  return {
    id: r.id,
    districtId: r.district_id,
    name: r.name,
    definition: r.definition as IndicatorSetDefinition,
    createdAt: iso(r.created_at),
  };
}

export async function listSets(ex: Executor, districtId: number) {
  return (await many(ex, sql`SELECT * FROM assessment_sets WHERE district_id = ${districtId} ORDER BY id`)).map(toSet);
}

export async function findSet(ex: Executor, districtId: number, id: number) {
  const r = await one(ex, sql`SELECT * FROM assessment_sets WHERE district_id = ${districtId} AND id = ${id}`);
  return r ? toSet(r) : undefined;
}

export async function insertSet(ex: Executor, districtId: number, name: string, definition: IndicatorSetDefinition) {
  const r = await one(
    ex,
    sql`INSERT INTO assessment_sets (district_id, name, definition)
        VALUES (${districtId}, ${name}, ${JSON.stringify(definition)}::jsonb) RETURNING *`,
  );
  return toSet(r);
}

export async function updateSet(ex: Executor, id: number, name: string, definition: IndicatorSetDefinition) {
  const r = await one(
    ex,
    sql`UPDATE assessment_sets SET name = ${name}, definition = ${JSON.stringify(definition)}::jsonb WHERE id = ${id} RETURNING *`,
  );
  return toSet(r);
}

export async function setInUse(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM assessment_rounds WHERE set_id = ${id} LIMIT 1`));
}

export type RoundRow = {
  id: number;
  districtId: number;
  setId: number;
  setName: string;
  definition: IndicatorSetDefinition;
  name: string;
  period: string;
  deadline: string;
  status: 'open' | 'closed';
  thresholds: BandThresholds;
  mode: 'district' | 'self_review';
  createdAt: string;
};

const SELECT_ROUND = sql`SELECT r.*, s.name AS set_name, s.definition FROM assessment_rounds r
  JOIN assessment_sets s ON s.id = r.set_id`;

function toRound(r: any): RoundRow {
  return {
    id: r.id,
    districtId: r.district_id,
    setId: r.set_id,
    setName: r.set_name,
    definition: r.definition,
    name: r.name,
    period: r.period,
    deadline: iso(r.deadline),
    status: r.status,
    thresholds: r.thresholds,
    mode: r.mode ?? 'district',
    createdAt: iso(r.created_at),
  };
}

/**
 * Rounds the actor may see: every round of the district for district-wide accounts; for others the
 * rounds that assess an org inside their subtree (with assessment.read) or list them as assessor.
 * An account without assessment.read (a team leader named assessor) sees only the rounds it scores.
 */
export async function listRounds(ex: Executor, actor: Actor, districtId: number) {
  const bySubtree = roleCan(actor.role, 'assessment.read')
    ? sql`EXISTS (SELECT 1 FROM assessment_targets t JOIN orgs o ON o.id = t.org_id
                  WHERE t.round_id = r.id AND ${orgScopeCondition(actor, districtId)})`
    : sql`FALSE`;
  const rows = await many(
    ex,
    sql`${SELECT_ROUND} WHERE r.district_id = ${districtId} AND (
          ${bySubtree}
          OR EXISTS (SELECT 1 FROM assessment_assessors a WHERE a.round_id = r.id AND a.account_id = ${actor.accountId}))
        ORDER BY r.id DESC`,
  );
  return rows.map(toRound);
}

export async function findRoundById(ex: Executor, id: number) {
  const r = await one(ex, sql`${SELECT_ROUND} WHERE r.id = ${id}`);
  return r ? toRound(r) : undefined;
}

export async function findRound(ex: Executor, districtId: number, id: number) {
  const r = await one(ex, sql`${SELECT_ROUND} WHERE r.district_id = ${districtId} AND r.id = ${id}`);
  return r ? toRound(r) : undefined;
}

export async function insertRound(
  ex: Executor,
  r: {
    districtId: number;
    setId: number;
    name: string;
    period: string;
    deadline: string;
    thresholds: BandThresholds;
    orgIds: number[];
    assessorIds: number[];
    mode?: 'district' | 'self_review';
  },
): Promise<number> {
  const row = await one<{ id: number }>(
    ex,
    sql`INSERT INTO assessment_rounds (district_id, set_id, name, period, deadline, thresholds, mode)
        VALUES (${r.districtId}, ${r.setId}, ${r.name}, ${r.period}, ${r.deadline}, ${JSON.stringify(r.thresholds)}::jsonb,
                ${r.mode ?? 'district'})
        RETURNING id`,
  );
  const id = row!.id;
  await ex.execute(sql`INSERT INTO assessment_targets (round_id, org_id, district_id)
    SELECT ${id}, o.id, ${r.districtId} FROM orgs o WHERE o.id IN (${idList(r.orgIds)})`);
  await ex.execute(sql`INSERT INTO assessment_assessors (round_id, account_id, district_id)
    SELECT ${id}, a.id, ${r.districtId} FROM accounts a WHERE a.id IN (${idList(r.assessorIds)})`);
  return id;
}

export async function roundOrgs(ex: Executor, roundId: number) {
  return many<{ id: number; name: string; state: 'pending' | 'self_submitted' | 'reviewed' }>(
    ex,
    sql`SELECT o.id, o.name, t.state FROM assessment_targets t JOIN orgs o ON o.id = t.org_id
        WHERE t.round_id = ${roundId} ORDER BY o.path`,
  );
}

export async function roundAssessors(ex: Executor, roundId: number) {
  return many<{ id: number; displayName: string }>(
    ex,
    sql`SELECT a.id, a.display_name AS "displayName" FROM assessment_assessors s JOIN accounts a ON a.id = s.account_id
        WHERE s.round_id = ${roundId} ORDER BY a.id`,
  );
}

export async function countScores(ex: Executor, roundId: number): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM assessment_scores WHERE round_id = ${roundId}`,
  );
  return r?.n ?? 0;
}

/** Which of the given accounts are active accounts of this district. */
export async function existingAccounts(ex: Executor, districtId: number, ids: number[]) {
  const rows = await many<{ id: number }>(
    ex,
    sql`SELECT id FROM accounts WHERE district_id = ${districtId} AND active AND id IN (${idList(ids)})`,
  );
  return rows.map((r) => r.id);
}

export async function upsertScores(
  ex: Executor,
  s: { roundId: number; orgId: number; assessorId: number; districtId: number },
  scores: { itemKey: string; score: number; note?: string | null; evidence?: string | null }[],
) {
  for (const item of scores) {
    await ex.execute(sql`
      INSERT INTO assessment_scores (round_id, org_id, assessor_id, district_id, item_key, score, note, evidence)
      VALUES (${s.roundId}, ${s.orgId}, ${s.assessorId}, ${s.districtId}, ${item.itemKey}, ${item.score}, ${item.note ?? null},
              ${item.evidence ?? null})
      ON CONFLICT (round_id, org_id, assessor_id, item_key)
      DO UPDATE SET score = excluded.score, note = excluded.note, evidence = excluded.evidence, updated_at = now()`);
  }
}

export async function listAssessorScores(ex: Executor, roundId: number, orgId: number, assessorId: number) {
  return many<{ itemKey: string; score: number; note: string | null; evidence: string | null }>(
    ex,
    sql`SELECT item_key AS "itemKey", score::float8 AS score, note, evidence FROM assessment_scores
        WHERE round_id = ${roundId} AND org_id = ${orgId} AND assessor_id = ${assessorId} ORDER BY item_key`,
  );
}

/** Every score of the round for the assessed orgs inside the actor's scope. */
export async function scoresInScope(ex: Executor, actor: Actor, districtId: number, roundId: number) {
  return many<{ org_id: number; org_name: string; item_key: string | null; score: number | null }>(
    ex,
    sql`SELECT t.org_id, o.name AS org_name, s.item_key, s.score::float8 AS score
        FROM assessment_targets t
        JOIN orgs o ON o.id = t.org_id
        LEFT JOIN assessment_scores s ON s.round_id = t.round_id AND s.org_id = t.org_id
        WHERE t.round_id = ${roundId} AND ${orgScopeCondition(actor, districtId)}
        ORDER BY o.path`,
  );
}
