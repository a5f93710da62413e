import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import {
  aggregateScores,
  DEFAULT_BANDS,
  type IndicatorSetCreateSchema,
  type IndicatorSetDefinition,
  keqiaoTemplate,
  type RoundCreateSchema,
  type ScoreEntrySchema,
  scoreDifference,
} from '../../../domain/assessment.ts';
import { escapeSpreadsheetText } from '../../../domain/ledger.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { many } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import {
  countScores,
  existingAccounts,
  findRound,
  findRoundById,
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
  setInUse,
  updateSet,
  upsertScores,
} from './assessments.repository.ts';
import { countSelfScores, selfScoresOfOrgs, targetStates } from './self-review.repository.ts';
import { selfAccess } from './self-review.service.ts';

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
  const self = round.mode === 'self_review';
  const [orgs, assessors, entered] = await Promise.all([
    roundOrgs(database.db, round.id),
    roundAssessors(database.db, round.id),
    self ? countSelfScores(database.db, round.id) : countScores(database.db, round.id),
  ]);
  const items = round.definition.indicators.reduce((n, i) => n + i.items.length, 0);
  const { definition: _d, ...rest } = round;
  // A self_review round expects one self score per org and item (its review is tracked by the orgs' states).
  const expected = orgs.length * (self ? 1 : assessors.length) * items;
  return { ...rest, orgs, assessors, progress: { entered, expected } };
}

export async function getRounds(database: Database, actor: Actor, districtId?: number) {
  const district = resolveDistrict(actor, districtId);
  const rounds = await listRounds(database.db, actor, district);
  return { items: await Promise.all(rounds.map((r) => describeRound(database, r))) };
}

/** A round visible to the actor: assessed orgs in scope, or the actor scores in it; else 404 (audited). */
export async function loadRound(database: Database, actor: Actor, id: number, districtId?: number) {
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
      mode: input.mode ?? 'district',
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
  // In a self_review round the counted scores come from the review (POST …/review), not from here.
  if (round.mode === 'self_review') throw new AppError('ASSESSMENT_MODE');
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
  const orgs = [...byOrg.entries()].map(([orgId, entry]) => ({
    orgId,
    orgName: entry.name,
    result: aggregateScores(round.definition, entry.scores, round.thresholds),
  }));
  if (round.mode !== 'self_review') {
    return {
      combined: aggregateScores(round.definition, combined, round.thresholds),
      orgs: orgs.map((o) => ({ ...o, selfReview: null })),
    };
  }
  // 自评 vs 审核: the counted (reviewed) result beside the org's own scores, for those who may see them.
  const states = await targetStates(database.db, round.id);
  const selfRows = await selfScoresOfOrgs(
    database.db,
    round.id,
    orgs.map((o) => o.orgId),
  );
  const withSelf = await Promise.all(
    orgs.map(async (o) => {
      const state = states.get(o.orgId) ?? 'pending';
      const { canSee } = await selfAccess(database, actor, round, o.orgId);
      if (!canSee) {
        return {
          ...o,
          selfReview: { state, visible: false, selfOverall: null, reviewedOverall: null, difference: null, items: [] },
        };
      }
      const selfScores: Record<string, number[]> = {};
      for (const r of selfRows) if (r.org_id === o.orgId) selfScores[r.item_key] = [r.score];
      const selfResult = aggregateScores(round.definition, selfScores, round.thresholds);
      const items = selfResult.indicators.flatMap((ind, i) =>
        ind.items.map((item, j) => {
          const reviewed = o.result.indicators[i].items[j].mean;
          return { key: item.key, self: item.mean, reviewed, difference: scoreDifference(item.mean, reviewed) };
        }),
      );
      return {
        ...o,
        selfReview: {
          state,
          visible: true,
          selfOverall: selfResult.overall,
          reviewedOverall: o.result.overall,
          difference: scoreDifference(selfResult.overall, o.result.overall),
          items,
        },
      };
    }),
  );
  return { combined: aggregateScores(round.definition, combined, round.thresholds), orgs: withSelf };
}

/** One org's aggregated result in a round (no scope check: callers check the org). */
export async function aggregateRoundForOrg(ex: Executor, roundId: number, orgId: number) {
  const round = await findRoundById(ex, roundId);
  if (!round) return null;
  const rows = await many<{ item_key: string; score: number }>(
    ex,
    sql`SELECT item_key, score::float8 AS score FROM assessment_scores WHERE round_id = ${roundId} AND org_id = ${orgId}`,
  );
  const scores: Record<string, number[]> = {};
  for (const r of rows) scores[r.item_key] = [...(scores[r.item_key] ?? []), r.score];
  return aggregateScores(round.definition, scores, round.thresholds);
}

const BAND_LABELS = {
  'zh-CN': { very_good: '很好', acceptable: '较好', weak: '较弱' },
  en: { very_good: 'Very good', acceptable: 'Acceptable', weak: 'Weak' },
} as const;

/** 测评结果 as .xlsx: one sheet of indicator means (orgs in columns, combined first), one of item means. */
export async function resultsWorkbook(database: Database, actor: Actor, roundId: number, districtId?: number) {
  requirePermission(actor, 'assessment.read');
  const round = await loadRound(database, actor, roundId, districtId);
  const results = await getResults(database, actor, roundId, districtId);
  const en = actor.lang === 'en';
  const bands = BAND_LABELS[actor.lang];
  const band = (b: string | null) => (b ? bands[b as keyof typeof bands] : '');
  const columns = [
    { name: en ? 'Combined' : '综合', result: results.combined },
    ...results.orgs.map((o) => ({ name: o.orgName, result: o.result })),
  ];
  const workbook = new ExcelJS.Workbook();
  const ind = workbook.addWorksheet(en ? 'Indicators' : '指标');
  ind.addRow([escapeSpreadsheetText(`${round.name} ${round.period}`)]).font = { bold: true, size: 14 };
  ind.addRow([
    en ? 'Indicator' : '指标',
    ...columns.flatMap((c) => [escapeSpreadsheetText(c.name), en ? 'Band' : '等级']),
  ]).font = { bold: true };
  for (const [i, indicator] of round.definition.indicators.entries()) {
    ind.addRow([
      escapeSpreadsheetText(indicator.name),
      ...columns.flatMap((c) => [c.result.indicators[i].mean ?? '', band(c.result.indicators[i].band)]),
    ]);
  }
  ind.addRow([en ? 'Overall' : '总体', ...columns.flatMap((c) => [c.result.overall ?? '', band(c.result.band)])]).font =
    { bold: true };
  ind.getColumn(1).width = 24;
  const items = workbook.addWorksheet(en ? 'Items' : '题项');
  items.addRow([
    en ? 'Item' : '编号',
    en ? 'Text' : '题项',
    ...columns.map((c) => escapeSpreadsheetText(c.name)),
  ]).font = { bold: true };
  for (const [i, indicator] of round.definition.indicators.entries()) {
    for (const [j, item] of indicator.items.entries()) {
      items.addRow([
        item.key,
        escapeSpreadsheetText(item.text),
        ...columns.map((c) => c.result.indicators[i].items[j].mean ?? ''),
      ]);
    }
  }
  items.getColumn(2).width = 60;
  // 自评与审核: self score, reviewed score (what counts) and their difference, per org the viewer may see
  const compared = results.orgs.filter((o) => o.selfReview?.visible);
  if (compared.length) {
    const sheet = workbook.addWorksheet(en ? 'Self vs review' : '自评与审核');
    sheet.addRow([
      en ? 'Organisation' : '组织',
      en ? 'Item' : '编号',
      en ? 'Self' : '自评',
      en ? 'Reviewed' : '审核',
      en ? 'Difference' : '差值',
    ]).font = { bold: true };
    for (const o of compared) {
      const sr = o.selfReview!;
      sheet.addRow([
        escapeSpreadsheetText(o.orgName),
        en ? 'Overall' : '总体',
        sr.selfOverall ?? '',
        sr.reviewedOverall ?? '',
        sr.difference ?? '',
      ]).font = { bold: true };
      for (const item of sr.items) {
        sheet.addRow([
          escapeSpreadsheetText(o.orgName),
          item.key,
          item.self ?? '',
          item.reviewed ?? '',
          item.difference ?? '',
        ]);
      }
    }
    sheet.getColumn(1).width = 24;
  }
  return {
    buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    fileName: en ? `assessment-${roundId}.xlsx` : `测评结果-${roundId}.xlsx`,
  };
}

/** Edits a set of the district; a set already used by a round is refused (copy it instead). */
export async function editSet(
  database: Database,
  actor: Actor,
  id: number,
  input: { name?: string; definition?: IndicatorSetDefinition },
  districtId?: number,
) {
  requirePermission(actor, 'assessment.manage');
  const district = resolveDistrict(actor, districtId);
  const before = await findSet(database.db, district, id);
  if (!before) throw new AppError('NOT_FOUND');
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT id FROM assessment_sets WHERE id = ${id} FOR UPDATE`);
    if (await setInUse(tx, id)) throw new AppError('ASSESSMENT_SET_IN_USE');
    const after = await updateSet(tx, id, input.name ?? before.name, input.definition ?? before.definition);
    await recordAudit(tx, actor, {
      action: 'assessment.set_update',
      entity: 'assessment_set',
      entityId: id,
      districtId: district,
      before: { name: before.name, definition: before.definition },
      after: { name: after.name, definition: after.definition },
    });
    return after;
  });
}
