import type { z } from 'zod';
import { roleCan } from '../../../domain/account.ts';
import type { SelfReviewEntrySchema, SelfScoreEntrySchema } from '../../../domain/assessment.ts';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { type RoundRow, roundAssessors } from './assessments.repository.ts';
import { loadRound } from './assessments.service.ts';
import {
  findTarget,
  listSelfScores,
  lockTarget,
  markSubmitted,
  saveReview,
  upsertSelfScores,
} from './self-review.repository.ts';

/**
 * 自评 + 区级审核: in a self_review round each assessed org scores itself (its own cadres: accounts
 * bound to that org with assessment.read), submits, and a reviewer of the round (its assessors,
 * district cadres) accepts or adjusts every item with a note. The reviewed scores are what the
 * results count. An org's self-assessment is seen by that org and by the district (reviewers and
 * assessment.manage holders) only — an org above it in the tree, or beside it, never sees it.
 */

export type SelfAccess = { isOwn: boolean; isReviewer: boolean; canSee: boolean };

/** What the actor may do with org `orgId`'s self-assessment in the round. */
export async function selfAccess(database: Database, actor: Actor, round: RoundRow, orgId: number) {
  const assessors = await roundAssessors(database.db, round.id);
  const isReviewer = assessors.some((a) => a.id === actor.accountId);
  const isOwn = actor.orgId === orgId && roleCan(actor.role, 'assessment.read');
  const manager =
    roleCan(actor.role, 'assessment.manage') && (actor.districtId ?? round.districtId) === round.districtId;
  return { isOwn, isReviewer, canSee: isOwn || isReviewer || manager } satisfies SelfAccess;
}

/** The round (visible, self_review mode), the assessed org and the actor's access; 404 / 409 / 403 otherwise. */
async function load(database: Database, actor: Actor, roundId: number, orgId: number, districtId?: number) {
  const round = await loadRound(database, actor, roundId, districtId);
  if (round.mode !== 'self_review') throw new AppError('ASSESSMENT_MODE');
  const target = await findTarget(database.db, round.id, orgId);
  if (!target) throw new AppError('NOT_FOUND', { errors: [{ field: 'orgId', message: 'NOT_FOUND' }] });
  const access = await selfAccess(database, actor, round, orgId);
  if (!access.canSee) {
    // Outside the scope: like a missing one (audited); inside it (an org above): not his to see.
    await loadOrgInScope(database, actor, orgId);
    throw new AppError('FORBIDDEN');
  }
  return { round, target, access };
}

const open = (round: RoundRow) => round.status === 'open' && new Date(round.deadline) >= new Date();

async function view(database: Database, round: RoundRow, orgId: number, access: SelfAccess) {
  const target = (await findTarget(database.db, round.id, orgId))!;
  const scores = new Map((await listSelfScores(database.db, round.id, orgId)).map((s) => [s.itemKey, s]));
  const keys = round.definition.indicators.flatMap((i) => i.items.map((item) => item.key));
  return {
    ...target,
    canSelfScore: access.isOwn && target.state === 'pending' && open(round),
    canReview: access.isReviewer && target.state !== 'pending' && round.status === 'open',
    items: keys.map((itemKey) => {
      const s = scores.get(itemKey);
      return {
        itemKey,
        score: s?.score ?? null,
        note: s?.note ?? null,
        evidence: s?.evidence ?? null,
        decision: s?.decision ?? null,
        reviewedScore: s?.reviewedScore ?? null,
        reviewNote: s?.reviewNote ?? null,
      };
    }),
  };
}

export async function getSelfReview(
  database: Database,
  actor: Actor,
  roundId: number,
  orgId: number,
  districtId?: number,
) {
  const { round, access } = await load(database, actor, roundId, orgId, districtId);
  return view(database, round, orgId, access);
}

function itemKeysOf(round: RoundRow) {
  return round.definition.indicators.flatMap((i) => i.items.map((item) => item.key));
}

/** Refuses item keys the round's set does not have, naming each field. */
function checkKeys(round: RoundRow, keys: string[], path: string) {
  const known = new Set(itemKeysOf(round));
  const seen = new Set<string>();
  const errors: { field: string; message: string }[] = [];
  keys.forEach((k, i) => {
    if (!known.has(k)) errors.push({ field: `${path}.${i}.itemKey`, message: 'NOT_FOUND' });
    else if (seen.has(k)) errors.push({ field: `${path}.${i}.itemKey`, message: 'duplicate item key' });
    seen.add(k);
  });
  if (errors.length) throw new AppError('VALIDATION', { errors });
}

/** 自评打分 The org's own cadre saves self scores (a draft: re-saving replaces) while pending. */
export async function enterSelfScores(
  database: Database,
  actor: Actor,
  roundId: number,
  input: z.infer<typeof SelfScoreEntrySchema>,
  districtId?: number,
) {
  const { round, access } = await load(database, actor, roundId, input.orgId, districtId);
  if (!access.isOwn) throw new AppError('FORBIDDEN');
  if (!open(round)) throw new AppError('ROUND_CLOSED');
  checkKeys(
    round,
    input.scores.map((s) => s.itemKey),
    'scores',
  );
  await database.db.transaction(async (tx) => {
    if ((await lockTarget(tx, round.id, input.orgId)) !== 'pending') throw new AppError('ASSESSMENT_SELF_STATE');
    await upsertSelfScores(
      tx,
      { roundId: round.id, orgId: input.orgId, districtId: round.districtId, accountId: actor.accountId },
      input.scores,
    );
    await recordAudit(tx, actor, {
      action: 'assessment.self_score',
      entity: 'assessment_round',
      entityId: round.id,
      districtId: round.districtId,
      after: input,
    });
  });
  return view(database, round, input.orgId, access);
}

/** 提交自评 pending → self_submitted once every item has a self score; the scores are then locked. */
export async function submitSelf(
  database: Database,
  actor: Actor,
  roundId: number,
  orgId: number,
  districtId?: number,
) {
  const { round, access } = await load(database, actor, roundId, orgId, districtId);
  if (!access.isOwn) throw new AppError('FORBIDDEN');
  if (!open(round)) throw new AppError('ROUND_CLOSED');
  await database.db.transaction(async (tx) => {
    if ((await lockTarget(tx, round.id, orgId)) !== 'pending') throw new AppError('ASSESSMENT_SELF_STATE');
    const scored = new Set((await listSelfScores(tx, round.id, orgId)).map((s) => s.itemKey));
    const missing = itemKeysOf(round).filter((k) => !scored.has(k));
    if (missing.length) {
      throw new AppError('ASSESSMENT_SELF_INCOMPLETE', {
        detail: missing.join(', '),
        errors: [{ field: 'orgId', message: 'ASSESSMENT_SELF_INCOMPLETE' }],
      });
    }
    if (!(await markSubmitted(tx, round.id, orgId, actor.accountId))) throw new AppError('ASSESSMENT_SELF_STATE');
    await recordAudit(tx, actor, {
      action: 'assessment.self_submit',
      entity: 'assessment_round',
      entityId: round.id,
      districtId: round.districtId,
      after: { orgId },
    });
  });
  return view(database, round, orgId, access);
}

/**
 * 区级审核 A reviewer of the round accepts or adjusts (score + note) every item of a submitted
 * self-assessment; the reviewed scores become the org's counted scores. A reviewed org may be
 * reviewed again while the round is open (the new review replaces the old).
 */
export async function reviewSelf(
  database: Database,
  actor: Actor,
  roundId: number,
  input: z.infer<typeof SelfReviewEntrySchema>,
  districtId?: number,
) {
  const { round, access } = await load(database, actor, roundId, input.orgId, districtId);
  if (!access.isReviewer) throw new AppError('FORBIDDEN');
  if (round.status !== 'open') throw new AppError('ROUND_CLOSED');
  checkKeys(
    round,
    input.items.map((i) => i.itemKey),
    'items',
  );
  const given = new Set(input.items.map((i) => i.itemKey));
  const missing = itemKeysOf(round).filter((k) => !given.has(k));
  if (missing.length) {
    throw new AppError('ASSESSMENT_REVIEW_INCOMPLETE', {
      detail: missing.join(', '),
      errors: [{ field: 'items', message: 'ASSESSMENT_REVIEW_INCOMPLETE' }],
    });
  }
  await database.db.transaction(async (tx) => {
    const state = await lockTarget(tx, round.id, input.orgId);
    if (state !== 'self_submitted' && state !== 'reviewed') throw new AppError('ASSESSMENT_SELF_STATE');
    const self = new Map((await listSelfScores(tx, round.id, input.orgId)).map((s) => [s.itemKey, s.score]));
    const items = input.items.map((i) => ({
      itemKey: i.itemKey,
      decision: i.decision,
      score: i.decision === 'adjusted' ? i.score! : self.get(i.itemKey)!,
      note: i.note ?? null,
    }));
    await saveReview(
      tx,
      { roundId: round.id, orgId: input.orgId, districtId: round.districtId, reviewerId: actor.accountId },
      items,
    );
    await recordAudit(tx, actor, {
      action: 'assessment.self_review',
      entity: 'assessment_round',
      entityId: round.id,
      districtId: round.districtId,
      before: { state },
      after: input,
    });
  });
  return view(database, round, input.orgId, access);
}
