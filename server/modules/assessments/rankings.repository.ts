import { type SQL, sql } from 'drizzle-orm';
import type { RankingDefinition, RankingKind, RankingResults } from '../../../domain/assessment.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many, one } from '../../db/sql.ts';

// Schemes --------------------------------------------------------------------------------------

export type SchemeRow = {
  id: number;
  districtId: number;
  kind: RankingKind;
  name: string;
  definition: RankingDefinition;
  createdAt: string;
  updatedAt: string;
};

function toScheme(r: any): SchemeRow {
  return {
    id: r.id,
    districtId: r.district_id,
    kind: r.kind,
    name: r.name,
    definition: r.definition,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export async function listSchemes(ex: Executor, districtId: number) {
  return (await many(ex, sql`SELECT * FROM ranking_schemes WHERE district_id = ${districtId} ORDER BY id`)).map(
    toScheme,
  );
}

export async function findScheme(ex: Executor, districtId: number, id: number) {
  const r = await one(ex, sql`SELECT * FROM ranking_schemes WHERE district_id = ${districtId} AND id = ${id}`);
  return r ? toScheme(r) : undefined;
}

export async function insertScheme(
  ex: Executor,
  districtId: number,
  s: { kind: RankingKind; name: string; definition: RankingDefinition },
) {
  const r = await one(
    ex,
    sql`INSERT INTO ranking_schemes (district_id, kind, name, definition)
        VALUES (${districtId}, ${s.kind}, ${s.name}, ${JSON.stringify(s.definition)}::jsonb) RETURNING *`,
  );
  return toScheme(r);
}

export async function updateScheme(ex: Executor, id: number, s: { name: string; definition: RankingDefinition }) {
  const r = await one(
    ex,
    sql`UPDATE ranking_schemes SET name = ${s.name}, definition = ${JSON.stringify(s.definition)}::jsonb, updated_at = now()
        WHERE id = ${id} RETURNING *`,
  );
  return toScheme(r);
}

// Periods --------------------------------------------------------------------------------------

export type PeriodRow = {
  id: number;
  districtId: number;
  schemeId: number;
  schemeName: string;
  kind: RankingKind;
  period: string;
  startsAt: string;
  endsAt: string;
  status: 'open' | 'published';
  publishedAt: string | null;
  createdAt: string;
};

const SELECT_PERIOD = sql`SELECT p.id, p.district_id, p.scheme_id, s.name AS scheme_name, s.kind, p.period, p.starts_at,
  p.ends_at, p.status, p.published_at, p.created_at FROM ranking_periods p JOIN ranking_schemes s ON s.id = p.scheme_id`;

function toPeriod(r: any): PeriodRow {
  return {
    id: r.id,
    districtId: r.district_id,
    schemeId: r.scheme_id,
    schemeName: r.scheme_name,
    kind: r.kind,
    period: r.period,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    status: r.status,
    publishedAt: isoOrNull(r.published_at),
    createdAt: iso(r.created_at),
  };
}

export async function listPeriods(ex: Executor, districtId: number, f: { schemeId?: number; publishedOnly: boolean }) {
  const conds: SQL[] = [sql`p.district_id = ${districtId}`];
  if (f.schemeId) conds.push(sql`p.scheme_id = ${f.schemeId}`);
  if (f.publishedOnly) conds.push(sql`p.status = 'published'`);
  return (
    await many(ex, sql`${SELECT_PERIOD} WHERE ${sql.join(conds, sql` AND `)} ORDER BY p.starts_at DESC, p.id DESC`)
  ).map(toPeriod);
}

export async function findPeriod(ex: Executor, districtId: number, id: number) {
  const r = await one(ex, sql`${SELECT_PERIOD} WHERE p.district_id = ${districtId} AND p.id = ${id}`);
  return r ? toPeriod(r) : undefined;
}

export async function insertPeriod(
  ex: Executor,
  p: { districtId: number; schemeId: number; period: string; from: string; to: string },
): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO ranking_periods (district_id, scheme_id, period, starts_at, ends_at)
        VALUES (${p.districtId}, ${p.schemeId}, ${p.period}, ${p.from}::timestamptz, ${p.to}::timestamptz) RETURNING id`,
  );
  return r!.id;
}

/** Freezes the results; false when the period was published already (of racing publications one wins). */
export async function publishPeriod(ex: Executor, id: number, results: RankingResults): Promise<boolean> {
  const r = await one(
    ex,
    sql`UPDATE ranking_periods SET status = 'published', published_at = now(), results = ${JSON.stringify(results)}::jsonb
        WHERE id = ${id} AND status = 'open' RETURNING id`,
  );
  return !!r;
}

export async function snapshotOf(ex: Executor, id: number): Promise<RankingResults | null> {
  const r = await one<{ results: RankingResults | null }>(
    ex,
    sql`SELECT results FROM ranking_periods WHERE id = ${id}`,
  );
  return r?.results ?? null;
}

/** Published snapshots of the district's schemes of a kind, newest first. */
export async function publishedSnapshots(ex: Executor, districtId: number, kind?: RankingKind) {
  const k = kind ? sql`AND s.kind = ${kind}` : sql``;
  return many<{ id: number; scheme_name: string; period: string; starts_at: string; results: RankingResults }>(
    ex,
    sql`SELECT p.id, s.name AS scheme_name, p.period, p.starts_at, p.results FROM ranking_periods p
        JOIN ranking_schemes s ON s.id = p.scheme_id
        WHERE p.district_id = ${districtId} AND p.status = 'published' ${k}
        ORDER BY p.starts_at DESC, p.id DESC`,
  );
}

// Subjects and manual scores --------------------------------------------------------------------

export type SubjectRow = { id: number; name: string; path: string; parentName: string | null };

/** The active orgs of the given kinds in the district under `scopePath` (null: all). */
export async function listSubjects(
  ex: Executor,
  districtId: number,
  kinds: readonly string[],
  scopePath: string | null,
) {
  const scope = scopePath === null ? sql`` : sql`AND o.path LIKE ${`${scopePath}%`}`;
  const kindList = sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  return (
    await many<any>(
      ex,
      sql`SELECT o.id, o.name, o.path, p.name AS parent_name FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
          WHERE o.district_id = ${districtId} AND o.active AND o.kind IN (${kindList}) ${scope} ORDER BY o.path`,
    )
  ).map((r) => ({ id: r.id, name: r.name, path: r.path, parentName: r.parent_name }) as SubjectRow);
}

export async function manualScoresOf(ex: Executor, periodId: number) {
  return many<{ org_id: number; item_key: string; points: number; note: string | null; evidence: string | null }>(
    ex,
    sql`SELECT org_id, item_key, points::float8 AS points, note, evidence FROM ranking_manual_scores WHERE period_id = ${periodId}`,
  );
}

export async function upsertManualScores(
  ex: Executor,
  p: { periodId: number; districtId: number; orgId: number; scoredBy: number },
  items: { itemKey: string; points: number; note: string | null; evidence: string | null }[],
) {
  for (const i of items) {
    await ex.execute(sql`INSERT INTO ranking_manual_scores (period_id, org_id, item_key, district_id, points, note, evidence, scored_by)
      VALUES (${p.periodId}, ${p.orgId}, ${i.itemKey}, ${p.districtId}, ${i.points}, ${i.note}, ${i.evidence}, ${p.scoredBy})
      ON CONFLICT (period_id, org_id, item_key) DO UPDATE SET points = excluded.points, note = excluded.note,
        evidence = excluded.evidence, scored_by = excluded.scored_by, updated_at = now()`);
  }
}

/** Locks the period row for the rest of the transaction (manual scores vs publication). */
export async function lockPeriod(ex: Executor, id: number): Promise<'open' | 'published' | undefined> {
  const r = await one<{ status: 'open' | 'published' }>(
    ex,
    sql`SELECT status FROM ranking_periods WHERE id = ${id} FOR UPDATE`,
  );
  return r?.status;
}
