import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AwardKindCreateSchema, NominationCreateSchema } from '../../../domain/assessment.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many, one } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { publishedPlacesOf } from './rankings.service.ts';

/**
 * 评优 Award kinds of a district, nominations by orgs (reasons and evidence) for themselves or
 * their subtree (assessment.read), review and publication by the district (assessment.manage).
 * Everyone of the district sees published results.
 */

/** A module's figures about a nominee org (activities held, ratings …) shown beside a nomination. */
export type NomineeRecordSource = {
  key: string;
  records(
    ex: Executor,
    districtId: number,
    org: { id: number; path: string },
    year: number,
  ): Promise<{ key: string; label: string; value: number | string }[]>;
};
const recordSources = new Map<string, NomineeRecordSource>();
export function registerNomineeRecordSource(source: NomineeRecordSource): void {
  recordSources.set(source.key, source);
}

async function isPublished(ex: Executor, kindId: number, year: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM award_publications WHERE kind_id = ${kindId} AND year = ${year}`));
}

function toKind(r: any) {
  return {
    id: r.id,
    districtId: r.district_id,
    name: r.name,
    description: r.description,
    nomineeType: r.nominee_type,
    active: r.active,
    createdAt: iso(r.created_at),
  };
}

export async function getKinds(database: Database, actor: Actor, districtId?: number) {
  const d = resolveDistrict(actor, districtId);
  return {
    items: (await many(database.db, sql`SELECT * FROM award_kinds WHERE district_id = ${d} ORDER BY id`)).map(toKind),
  };
}

export async function createKind(database: Database, actor: Actor, input: z.infer<typeof AwardKindCreateSchema>) {
  requirePermission(actor, 'assessment.manage');
  const d = resolveDistrict(actor, input.districtId);
  return database.db
    .transaction(async (tx) => {
      const r = await one<any>(
        tx,
        sql`INSERT INTO award_kinds (district_id, name, description, nominee_type)
            VALUES (${d}, ${input.name}, ${input.description ?? null}, ${input.nomineeType}) RETURNING *`,
      );
      await recordAudit(tx, actor, {
        action: 'award.kind_create',
        entity: 'award_kind',
        entityId: r.id,
        districtId: d,
        after: input,
      });
      return toKind(r);
    })
    .catch((err) => {
      const pg = pgErrorOf(err);
      if (pg?.code === '23505')
        throw new AppError('AWARD_KIND_EXISTS', { errors: [{ field: 'name', message: 'AWARD_KIND_EXISTS' }] });
      throw err;
    });
}

const SELECT_NOMINATIONS = sql`
  SELECT n.*, k.name AS kind_name, o.name AS org_name, o.path AS org_path, na.display_name AS nominated_by_name,
         ra.display_name AS reviewed_by_name
  FROM award_nominations n
  JOIN award_kinds k ON k.id = n.kind_id
  JOIN orgs o ON o.id = n.org_id
  JOIN accounts na ON na.id = n.nominated_by
  LEFT JOIN accounts ra ON ra.id = n.reviewed_by`;

function toNomination(r: any) {
  return {
    id: r.id,
    districtId: r.district_id,
    kindId: r.kind_id,
    kindName: r.kind_name,
    year: r.year,
    orgId: r.org_id,
    orgName: r.org_name,
    nomineeName: r.nominee_name,
    reasons: r.reasons,
    evidence: r.evidence,
    status: r.status,
    nominatedBy: { id: r.nominated_by, name: r.nominated_by_name },
    reviewNote: r.review_note,
    reviewedBy: r.reviewed_by ? { id: r.reviewed_by, name: r.reviewed_by_name } : null,
    reviewedAt: isoOrNull(r.reviewed_at),
    publishedAt: isoOrNull(r.published_at),
    createdAt: iso(r.created_at),
  };
}

/** Nominations of orgs in the caller's subtree; published ones for everyone of the district. */
export async function getNominations(
  database: Database,
  actor: Actor,
  q: { districtId?: number; year?: number; kindId?: number; status?: string },
) {
  const d = resolveDistrict(actor, q.districtId);
  const conds: SQL[] = [sql`n.district_id = ${d}`];
  const reader = actor.role !== 'youth' && actor.role !== 'grid_leader' && actor.role !== 'team_leader';
  if (!reader || q.status === 'published') conds.push(sql`n.published_at IS NOT NULL`);
  else if (actor.scopePath !== null) conds.push(sql`o.path LIKE ${`${actor.scopePath}%`}`);
  if (q.status && q.status !== 'published') conds.push(sql`n.status = ${q.status}`);
  if (q.year) conds.push(sql`n.year = ${q.year}`);
  if (q.kindId) conds.push(sql`n.kind_id = ${q.kindId}`);
  const rows = await many(
    database.db,
    sql`${SELECT_NOMINATIONS} WHERE ${sql.join(conds, sql` AND `)} ORDER BY n.year DESC, n.kind_id, n.id`,
  );
  return { items: rows.map(toNomination) };
}

async function loadNomination(database: Database, actor: Actor, id: number, ex: Executor = database.db) {
  const conds: SQL[] = [sql`n.id = ${id}`];
  if (actor.districtId !== null) conds.push(sql`n.district_id = ${actor.districtId}`);
  if (actor.scopePath !== null) conds.push(sql`o.path LIKE ${`${actor.scopePath}%`}`);
  const r = await one<any>(ex, sql`${SELECT_NOMINATIONS} WHERE ${sql.join(conds, sql` AND `)}`);
  if (!r) {
    if (await one(database.db, sql`SELECT 1 FROM award_nominations WHERE id = ${id}`)) {
      await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'award_nomination', entityId: id });
    }
    throw new AppError('AWARD_NOMINATION_NOT_FOUND');
  }
  return r;
}

/** 推荐 An org nominates itself or one of its subtree (or a person, grid, project, team of it). */
export async function nominate(database: Database, actor: Actor, input: z.infer<typeof NominationCreateSchema>) {
  requirePermission(actor, 'assessment.read');
  const org = await loadOrgInScope(database, actor, input.orgId).catch((err) => {
    if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') {
      throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
    }
    throw err;
  });
  const kind = await one<any>(
    database.db,
    sql`SELECT * FROM award_kinds WHERE id = ${input.kindId} AND district_id = ${org.districtId} AND active`,
  );
  if (!kind)
    throw new AppError('AWARD_KIND_NOT_FOUND', { errors: [{ field: 'kindId', message: 'AWARD_KIND_NOT_FOUND' }] });
  if (await isPublished(database.db, kind.id, input.year)) throw new AppError('AWARD_PUBLISHED');
  return database.db.transaction(async (tx) => {
    const r = await one<{ id: number }>(
      tx,
      sql`INSERT INTO award_nominations (district_id, kind_id, year, org_id, nominee_name, reasons, evidence, nominated_by)
          VALUES (${org.districtId}, ${kind.id}, ${input.year}, ${org.id}, ${input.nomineeName}, ${input.reasons},
                  ${JSON.stringify(input.evidence)}::jsonb, ${actor.accountId}) RETURNING id`,
    );
    await recordAudit(tx, actor, {
      action: 'award.nominate',
      entity: 'award_nomination',
      entityId: r!.id,
      districtId: org.districtId,
      after: input,
    });
    return toNomination(await one(tx, sql`${SELECT_NOMINATIONS} WHERE n.id = ${r!.id}`));
  });
}

/** A nomination with the nominee org's platform records beside it. */
export async function getNomination(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'assessment.read');
  const r = await loadNomination(database, actor, id);
  const nomination = toNomination(r);
  const assessments = await many<any>(
    database.db,
    sql`SELECT DISTINCT r.id, r.name, r.period FROM assessment_rounds r JOIN assessment_targets t ON t.round_id = r.id
        WHERE t.org_id = ${r.org_id} ORDER BY r.id DESC LIMIT 10`,
  );
  const { aggregateRoundForOrg } = await import('./assessments.service.ts');
  const assessmentRecords = [];
  for (const a of assessments) {
    const result = await aggregateRoundForOrg(database.db, a.id, r.org_id);
    assessmentRecords.push({
      roundName: a.name,
      period: a.period,
      overall: result?.overall ?? null,
      band: result?.band ?? null,
    });
  }
  const other = [];
  for (const s of recordSources.values())
    other.push(...(await s.records(database.db, r.district_id, { id: r.org_id, path: r.org_path }, r.year)));
  return {
    ...nomination,
    records: {
      rankings: await publishedPlacesOf(database.db, r.district_id, r.org_id),
      assessments: assessmentRecords,
      other,
    },
  };
}

/** 审核 The district approves or rejects a nomination (one conditional UPDATE: racing reviews, one wins). */
export async function review(
  database: Database,
  actor: Actor,
  id: number,
  input: { decision: 'approved' | 'rejected'; note?: string },
) {
  requirePermission(actor, 'assessment.manage');
  const current = await loadNomination(database, actor, id);
  if (await isPublished(database.db, current.kind_id, current.year)) throw new AppError('AWARD_PUBLISHED');
  return database.db.transaction(async (tx) => {
    const r = await one<any>(
      tx,
      sql`UPDATE award_nominations SET status = ${input.decision}, review_note = ${input.note ?? null},
            reviewed_by = ${actor.accountId}, reviewed_at = now()
          WHERE id = ${id} AND status = 'nominated' AND published_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM award_publications p
                            WHERE p.kind_id = award_nominations.kind_id AND p.year = award_nominations.year)
          RETURNING id`,
    );
    if (!r) throw new AppError('AWARD_NOMINATION_STATE');
    await recordAudit(tx, actor, {
      action: `award.${input.decision === 'approved' ? 'approve' : 'reject'}`,
      entity: 'award_nomination',
      entityId: id,
      districtId: current.district_id,
      before: { status: current.status },
      after: { status: input.decision, note: input.note ?? null },
    });
    return toNomination(await one(tx, sql`${SELECT_NOMINATIONS} WHERE n.id = ${id}`));
  });
}

/** 发布 Publishes the approved nominations of a kind and year (once). */
export async function publishAwards(
  database: Database,
  actor: Actor,
  input: { districtId?: number; kindId: number; year: number },
) {
  requirePermission(actor, 'assessment.manage');
  const d = resolveDistrict(actor, input.districtId);
  const kind = await one<any>(
    database.db,
    sql`SELECT * FROM award_kinds WHERE id = ${input.kindId} AND district_id = ${d}`,
  );
  if (!kind)
    throw new AppError('AWARD_KIND_NOT_FOUND', { errors: [{ field: 'kindId', message: 'AWARD_KIND_NOT_FOUND' }] });
  return database.db.transaction(async (tx) => {
    // One publication per kind and year: the primary key lets exactly one of racing publications in.
    const first = await one(
      tx,
      sql`INSERT INTO award_publications (kind_id, year, district_id, published_by)
          VALUES (${kind.id}, ${input.year}, ${d}, ${actor.accountId}) ON CONFLICT DO NOTHING RETURNING kind_id`,
    );
    if (!first) throw new AppError('AWARD_PUBLISHED');
    const rows = await many<{ id: number }>(
      tx,
      sql`UPDATE award_nominations SET published_at = now()
          WHERE kind_id = ${kind.id} AND year = ${input.year} AND status = 'approved' RETURNING id`,
    );
    await recordAudit(tx, actor, {
      action: 'award.publish',
      entity: 'award_kind',
      entityId: kind.id,
      districtId: d,
      after: { year: input.year, nominations: rows.map((r) => r.id) },
    });
    const list = await many(
      tx,
      sql`${SELECT_NOMINATIONS} WHERE n.kind_id = ${kind.id} AND n.year = ${input.year} AND n.published_at IS NOT NULL ORDER BY n.id`,
    );
    return { items: list.map(toNomination) };
  });
}
