import type { z } from 'zod';
import {
  aggregateScores,
  DEFAULT_BANDS,
  type IndicatorSetCreateSchema,
  keqiaoTemplate,
  type RoundCreateSchema,
  type ScoreEntrySchema,
} from '../../../domain/assessment.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import {
  countScores,
  existingAccounts,
  findRound,
  findSet,
  insertRound,
  insertSet,
  listAssessorScores,
  listRounds,
  listSets,
  type RoundRow,
  roundAssessors,
  roundOrgs,
  scoresInScope,
  upsertScores,
} from './assessments.repository.ts';

export function getTemplate() {
  return keqiaoTemplate();
}

export async function getSets(database: Database, actor: Actor, districtId?: number) {
  requirePermission(actor, 'assessment.read');
  return { items: await listSets(database.db, resolveDistrict(actor, districtId)) };
}

/** 指标体系 A district copies the Keqiao template (or one of its sets) and edits it, or writes its own. */
export async function createSet(
  database: Database,
  actor: Actor,
  input: z.infer<typeof IndicatorSetCreateSchema>,
  districtId?: number,
) {
  requirePermission(actor, 'assessment.manage');
  const district = resolveDistrict(actor, districtId);
  let definition = input.definition;
  if (input.copyFrom === 'keqiao') definition = keqiaoTemplate();
  else if (typeof input.copyFrom === 'number') {
    const source = await findSet(database.db, district, input.copyFrom);
    if (!source) throw new AppError('NOT_FOUND', { errors: [{ field: 'copyFrom', message: 'NOT_FOUND' }] });
    definition = source.definition;
  }
  return database.db.transaction(async (tx) => {
    const set = await insertSet(tx, district, input.name, definition!);
    await recordAudit(tx, actor, {
      action: 'assessment.set_create',
      entity: 'assessment_set',
      entityId: set.id,
      districtId: district,
      after: set,
    });
    return set;
  });
}

async function describeRound(database: Database, round: RoundRow) {
  const [orgs, assessors, entered] = await Promise.all([
    roundOrgs(database.db, round.id),
    roundAssessors(database.db, round.id),
    countScores(database.db, round.id),
  ]);
  const items = round.definition.indicators.reduce((n, i) => n + i.items.length, 0);
  const { definition: _d, ...rest } = round;
  return { ...rest, orgs, assessors, progress: { entered, expected: orgs.length * assessors.length * items } };
}

export async function getRounds(database: Database, actor: Actor, districtId?: number) {
  const district = resolveDistrict(actor, districtId);
  const rounds = await listRounds(database.db, actor, district);
  return { items: await Promise.all(rounds.map((r) => describeRound(database, r))) };
}

/** A round visible to the actor: assessed orgs in scope, or the actor scores in it; else 404 (audited). */
async function loadRound(database: Database, actor: Actor, id: number, districtId?: number) {
  const visible = await listRounds(database.db, actor, resolveDistrict(actor, districtId));
  const round = visible.find((r) => r.id === id);
  if (!round) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'assessment_round', entityId: id });
    throw new AppError('NOT_FOUND');
  }
  return round;
}

/** One round and its set's definition: whoever may see the round (an assessor included) may score against it. */
export async function getRound(database: Database, actor: Actor, id: number, districtId?: number) {
  const round = await loadRound(database, actor, id, districtId);
  return { ...(await describeRound(database, round)), definition: round.definition };
}

/** 测评 Opens a round: a set, the orgs assessed (in the actor's scope), the assessors, a period and deadline. */
export async function createRound(
  database: Database,
  actor: Actor,
  input: z.infer<typeof RoundCreateSchema>,
  districtId?: number,
) {
  requirePermission(actor, 'assessment.manage');
  const district = resolveDistrict(actor, districtId);
  const set = await findSet(database.db, district, input.setId);
  if (!set) throw new AppError('NOT_FOUND', { errors: [{ field: 'setId', message: 'NOT_FOUND' }] });
  const orgIds = [...new Set(input.orgIds)];
  for (const orgId of orgIds) {
    const org = await loadOrgInScope(database, actor, orgId);
    if (org.districtId !== district) throw new AppError('ORG_NOT_FOUND');
  }
  const assessorIds = [...new Set(input.assessorIds)];
  const found = new Set(await existingAccounts(database.db, district, assessorIds));
  const missing = assessorIds.filter((id) => !found.has(id));
  if (missing.length) {
    throw new AppError('NOT_FOUND', {
      errors: missing.map((id) => ({ field: `assessorIds.${input.assessorIds.indexOf(id)}`, message: 'NOT_FOUND' })),
    });
  }
  const id = await database.db.transaction(async (tx) => {
    const roundId = await insertRound(tx, {
      districtId: district,
      setId: set.id,
      name: input.name,
      period: input.period,
      deadline: input.deadline,
      thresholds: input.thresholds ?? DEFAULT_BANDS,
      orgIds,
      assessorIds,
    });
    await recordAudit(tx, actor, {
      action: 'assessment.round_create',
      entity: 'assessment_round',
      entityId: roundId,
      districtId: district,
      after: { ...input, orgIds, assessorIds },
    });
    return roundId;
  });
  return describeRound(database, (await findRound(database.db, district, id))!);
}

/** 打分 An assessor of the round scores items of one assessed org (re-scoring replaces the earlier score). */
export async function enterScores(
  database: Database,
  actor: Actor,
  roundId: number,
  input: z.infer<typeof ScoreEntrySchema>,
  districtId?: number,
) {
  const round = await loadRound(database, actor, roundId, districtId);
  const assessors = await roundAssessors(database.db, round.id);
  if (!assessors.some((a) => a.id === actor.accountId)) throw new AppError('FORBIDDEN');
  if (round.status !== 'open' || new Date(round.deadline) < new Date()) throw new AppError('ROUND_CLOSED');
  const orgs = await roundOrgs(database.db, round.id);
  if (!orgs.some((o) => o.id === input.orgId)) {
    throw new AppError('NOT_FOUND', { errors: [{ field: 'orgId', message: 'NOT_FOUND' }] });
  }
  const keys = new Set(round.definition.indicators.flatMap((i) => i.items.map((item) => item.key)));
  const unknown = input.scores.map((s, i) => ({ s, i })).filter(({ s }) => !keys.has(s.itemKey));
  if (unknown.length) {
    throw new AppError('VALIDATION', {
      errors: unknown.map(({ i }) => ({ field: `scores.${i}.itemKey`, message: 'NOT_FOUND' })),
    });
  }
  await database.db.transaction(async (tx) => {
    await upsertScores(
      tx,
      { roundId: round.id, orgId: input.orgId, assessorId: actor.accountId, districtId: round.districtId },
      input.scores,
    );
    await recordAudit(tx, actor, {
      action: 'assessment.score',
      entity: 'assessment_round',
      entityId: round.id,
      districtId: round.districtId,
      after: input,
    });
  });
  return { items: await listAssessorScores(database.db, round.id, input.orgId, actor.accountId) };
}

export async function getMyScores(
  database: Database,
  actor: Actor,
  roundId: number,
  orgId: number,
  districtId?: number,
) {
  const round = await loadRound(database, actor, roundId, districtId);
  return { items: await listAssessorScores(database.db, round.id, orgId, actor.accountId) };
}

/** Results per assessed org in the actor's scope, and all of them combined, with bands and action points. */
export async function getResults(database: Database, actor: Actor, roundId: number, districtId?: number) {
  requirePermission(actor, 'assessment.read');
  const round = await loadRound(database, actor, roundId, districtId);
  const rows = await scoresInScope(database.db, actor, round.districtId, round.id);
  const byOrg = new Map<number, { name: string; scores: Record<string, number[]> }>();
  const combined: Record<string, number[]> = {};
  for (const r of rows) {
    const entry = byOrg.get(r.org_id) ?? { name: r.org_name, scores: {} };
    byOrg.set(r.org_id, entry);
    if (r.item_key === null || r.score === null) continue;
    entry.scores[r.item_key] = [...(entry.scores[r.item_key] ?? []), r.score];
    combined[r.item_key] = [...(combined[r.item_key] ?? []), r.score];
  }
  return {
    combined: aggregateScores(round.definition, combined, round.thresholds),
    orgs: [...byOrg.entries()].map(([orgId, entry]) => ({
      orgId,
      orgName: entry.name,
      result: aggregateScores(round.definition, entry.scores, round.thresholds),
    })),
  };
}
