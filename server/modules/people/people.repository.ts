import { type SQL, sql } from 'drizzle-orm';
import type {
  ConsentChannel,
  Gender,
  KeyYouthKind,
  PersonCategory,
  PersonSource,
  PersonStatus,
  PoliticalStatus,
  ReviewReason,
} from '../../../domain/person.ts';
import { LEAGUE_MAX_AGE } from '../../../domain/person.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, likeEscape, many, manyPrepared, one, onePrepared } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** A person as stored: identifiers still encrypted; the service masks or decrypts them. */
export type PersonRow = {
  id: number;
  districtId: number;
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  phoneEnc: string | null;
  idEnc: string | null;
  politicalStatus: PoliticalStatus;
  category: PersonCategory;
  skills: string[];
  homeGrid: { id: number; name: string } | null;
  circles: { id: number; name: string }[];
  branchOrg: { id: number; name: string } | null;
  org: { id: number; name: string };
  orgPath: string;
  backbone: boolean;
  reserveBackbone: boolean;
  source: PersonSource;
  status: PersonStatus;
  consent: { version: string; at: string; channel: ConsentChannel } | null;
  guardianConsent: { guardianName: string; relation: string; at: string } | null;
  keyYouth: boolean;
  createdAt: string;
  updatedAt: string;
};

/**
 * People with the names shown beside the ids. The scope org is the home grid's responsible org,
 * else the League branch; it is joined at read time so a grid handed to another org moves its people.
 */
/** The columns of a {@link PersonRow} over `p` (a people row) and the joins they need. */
const PERSON_COLUMNS = sql`p.id, p.district_id, p.name, p.gender, p.birth_date::text AS birth_date, p.phone_enc, p.id_enc,
         p.political_status, p.category, p.skills, p.home_grid_id, hg.name AS home_grid_name,
         p.branch_org_id, bo.name AS branch_org_name, o.id AS org_id, o.name AS org_name, o.path AS org_path,
         p.backbone, p.reserve_backbone, p.source, p.status, p.consent_version, p.consent_at, p.consent_channel,
         p.guardian_consent, p.created_at, p.updated_at,
         EXISTS (SELECT 1 FROM key_youth k WHERE k.person_id = p.id) AS key_youth,
         (SELECT coalesce(json_agg(json_build_object('id', cg.id, 'name', cg.name) ORDER BY cg.id), '[]'::json)
            FROM person_circles pc JOIN grids cg ON cg.id = pc.grid_id WHERE pc.person_id = p.id) AS circles`;
const PERSON_JOINS = sql`
  LEFT JOIN grids hg ON hg.id = p.home_grid_id
  LEFT JOIN orgs bo ON bo.id = p.branch_org_id
  JOIN orgs o ON o.id = coalesce(hg.org_id, p.branch_org_id)`;
const SELECT_PEOPLE = sql`SELECT ${PERSON_COLUMNS} FROM people p ${PERSON_JOINS}`;

function toPersonRow(r: any): PersonRow {
  const guardian = parseJson(r.guardian_consent);
  return {
    id: r.id,
    districtId: r.district_id,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    phoneEnc: r.phone_enc,
    idEnc: r.id_enc,
    politicalStatus: r.political_status,
    category: r.category,
    skills: parseJson(r.skills) ?? [],
    homeGrid: r.home_grid_id ? { id: r.home_grid_id, name: r.home_grid_name } : null,
    circles: parseJson(r.circles) ?? [],
    branchOrg: r.branch_org_id ? { id: r.branch_org_id, name: r.branch_org_name } : null,
    org: { id: r.org_id, name: r.org_name },
    orgPath: r.org_path,
    backbone: r.backbone,
    reserveBackbone: r.reserve_backbone,
    source: r.source,
    status: r.status,
    consent: r.consent_version
      ? { version: r.consent_version, at: iso(r.consent_at), channel: r.consent_channel }
      : null,
    guardianConsent: guardian ?? null,
    keyYouth: r.key_youth,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Scope of a lookup by id: the person's org inside the actor's subtree (platform admins: anywhere). */
function scopeOf(actor: Actor): SQL {
  return actor.districtId === null ? sql`TRUE` : orgScopeCondition(actor, actor.districtId);
}

export async function findPersonInScope(ex: Executor, actor: Actor, id: number): Promise<PersonRow | undefined> {
  const r = await one(ex, sql`${SELECT_PEOPLE} WHERE p.id = ${id} AND ${scopeOf(actor)}`);
  return r ? toPersonRow(r) : undefined;
}

/** A person by id with no scope (inside a write that already checked it). */
export async function findPersonById(ex: Executor, id: number): Promise<PersonRow | undefined> {
  const r = await onePrepared(ex, sql`${SELECT_PEOPLE} WHERE p.id = ${id}`);
  return r ? toPersonRow(r) : undefined;
}

export async function personExists(ex: Executor, id: number): Promise<{ districtId: number } | undefined> {
  const r = await one<{ district_id: number }>(ex, sql`SELECT district_id FROM people WHERE id = ${id}`);
  return r ? { districtId: r.district_id } : undefined;
}

export type PersonListFilter = {
  q?: string;
  orgPath?: string;
  gridId?: number;
  status?: 'pending' | 'registered' | 'inactive';
  politicalStatus?: PoliticalStatus;
  category?: PersonCategory;
  backbone?: boolean;
  reserveBackbone?: boolean;
  leaveReview?: boolean;
  /** exact matches through the blind index */
  phoneIdx?: string;
  idIdx?: string;
  page: number;
  pageSize: number;
};

/**
 * The general registry list of the actor's subtree: never withdrawn people, never the key-youth
 * archive; deactivated people only when asked for.
 */
export async function listPeople(ex: Executor, actor: Actor, districtId: number, f: PersonListFilter) {
  const conds: SQL[] = [
    sql`p.district_id = ${districtId}`,
    orgScopeCondition(actor, districtId),
    sql`NOT EXISTS (SELECT 1 FROM key_youth k WHERE k.person_id = p.id)`,
    f.status ? sql`p.status = ${f.status}` : sql`p.status IN ('pending', 'registered')`,
  ];
  if (f.q) conds.push(sql`p.name LIKE ${`%${likeEscape(f.q)}%`}`);
  if (f.orgPath) conds.push(sql`o.path LIKE ${`${likeEscape(f.orgPath)}%`}`);
  if (f.gridId)
    conds.push(
      sql`(p.home_grid_id = ${f.gridId} OR EXISTS (SELECT 1 FROM person_circles pc WHERE pc.person_id = p.id AND pc.grid_id = ${f.gridId}))`,
    );
  if (f.politicalStatus) conds.push(sql`p.political_status = ${f.politicalStatus}`);
  if (f.category) conds.push(sql`p.category = ${f.category}`);
  if (f.backbone !== undefined) conds.push(sql`p.backbone = ${f.backbone}`);
  if (f.reserveBackbone !== undefined) conds.push(sql`p.reserve_backbone = ${f.reserveBackbone}`);
  if (f.leaveReview !== undefined) {
    const over = sql`(p.political_status = 'league_member' AND p.birth_date IS NOT NULL
      AND p.birth_date <= (now() AT TIME ZONE 'Asia/Shanghai')::date - make_interval(years => ${LEAGUE_MAX_AGE + 1}))`;
    conds.push(f.leaveReview ? over : sql`NOT ${over}`);
  }
  if (f.phoneIdx) conds.push(sql`p.phone_idx = ${f.phoneIdx}`);
  if (f.idIdx) conds.push(sql`p.id_idx = ${f.idIdx}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM people p LEFT JOIN grids hg ON hg.id = p.home_grid_id
        JOIN orgs o ON o.id = coalesce(hg.org_id, p.branch_org_id) WHERE ${where}`,
  );
  const rows = await many<any>(
    ex,
    sql`${SELECT_PEOPLE} WHERE ${where} ORDER BY p.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, rows: rows.map(toPersonRow) };
}

/** A known person an identifier points at, with his scope path (district-wide, any status). */
export type IdentityMatch = {
  id: number;
  phoneIdx: string | null;
  idIdx: string | null;
  orgPath: string;
  status: PersonStatus;
};

/** People of the district holding this phone or ID number (through the blind index). */
export async function findIdentityMatches(
  ex: Executor,
  districtId: number,
  phoneIdx: string | null,
  idIdx: string | null,
): Promise<IdentityMatch[]> {
  if (!phoneIdx && !idIdx) return [];
  const rows = await manyPrepared<any>(
    ex,
    sql`SELECT p.id, p.phone_idx, p.id_idx, p.status, o.path AS org_path
        FROM people p LEFT JOIN grids hg ON hg.id = p.home_grid_id
        JOIN orgs o ON o.id = coalesce(hg.org_id, p.branch_org_id)
        WHERE p.district_id = ${districtId}
          AND (p.phone_idx = ${phoneIdx ?? '-'} OR p.id_idx = ${idIdx ?? '-'})
        ORDER BY p.id`,
  );
  return rows.map((r) => ({ id: r.id, phoneIdx: r.phone_idx, idIdx: r.id_idx, orgPath: r.org_path, status: r.status }));
}

/** Every column a write may set. Identifiers arrive encrypted, with their blind indexes. */
export type PersonWrite = {
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  phoneEnc: string | null;
  phoneIdx: string | null;
  idEnc: string | null;
  idIdx: string | null;
  politicalStatus: PoliticalStatus;
  category: PersonCategory;
  skills: string[];
  homeGridId: number | null;
  branchOrgId: number | null;
  backbone: boolean;
  reserveBackbone: boolean;
  source: PersonSource;
  status: PersonStatus;
  consentVersion: string | null;
  consentAt: string | null;
  consentChannel: ConsentChannel | null;
  guardianConsent: unknown | null;
  registrationTokenId: string | null;
};

export async function insertPerson(
  ex: Executor,
  districtId: number,
  w: PersonWrite,
  createdBy: number | null,
): Promise<number> {
  return (await insertPersonRow(ex, districtId, w, createdBy)).id;
}

/**
 * Inserts a person and returns the row as {@link findPersonById} would read it, in one statement (no read-back:
 * on the QR registration path every statement counts). A new person has no circles and no key-youth record yet.
 */
export async function insertPersonRow(
  ex: Executor,
  districtId: number,
  w: PersonWrite,
  createdBy: number | null,
): Promise<PersonRow> {
  const r = await onePrepared(
    ex,
    sql`WITH p AS (INSERT INTO people (district_id, name, gender, birth_date, phone_enc, phone_idx, id_enc, id_idx,
          political_status, category, skills, home_grid_id, branch_org_id, backbone, reserve_backbone, source, status,
          consent_version, consent_at, consent_channel, guardian_consent, registration_token_id, created_by)
        VALUES (${districtId}, ${w.name}, ${w.gender}, ${w.birthDate}, ${w.phoneEnc}, ${w.phoneIdx}, ${w.idEnc},
          ${w.idIdx}, ${w.politicalStatus}, ${w.category}, ${JSON.stringify(w.skills)}::jsonb, ${w.homeGridId},
          ${w.branchOrgId}, ${w.backbone}, ${w.reserveBackbone}, ${w.source}, ${w.status}, ${w.consentVersion},
          ${w.consentAt}::timestamptz, ${w.consentChannel},
          ${w.guardianConsent === null ? null : JSON.stringify(w.guardianConsent)}::jsonb,
          ${w.registrationTokenId}, ${createdBy})
        RETURNING *)
        SELECT ${PERSON_COLUMNS} FROM p ${PERSON_JOINS}`,
  );
  return toPersonRow(r);
}

/** Updates the given columns (all of {@link PersonWrite} but `source`, which stays the first one). */
export async function updatePerson(ex: Executor, id: number, patch: Partial<PersonWrite>): Promise<void> {
  const cols: Record<keyof PersonWrite, string> = {
    name: 'name',
    gender: 'gender',
    birthDate: 'birth_date',
    phoneEnc: 'phone_enc',
    phoneIdx: 'phone_idx',
    idEnc: 'id_enc',
    idIdx: 'id_idx',
    politicalStatus: 'political_status',
    category: 'category',
    skills: 'skills',
    homeGridId: 'home_grid_id',
    branchOrgId: 'branch_org_id',
    backbone: 'backbone',
    reserveBackbone: 'reserve_backbone',
    source: 'source',
    status: 'status',
    consentVersion: 'consent_version',
    consentAt: 'consent_at',
    consentChannel: 'consent_channel',
    guardianConsent: 'guardian_consent',
    registrationTokenId: 'registration_token_id',
  };
  const sets: SQL[] = [sql`updated_at = now()`];
  for (const [key, value] of Object.entries(patch) as [keyof PersonWrite, unknown][]) {
    if (value === undefined || key === 'source') continue;
    const col = sql.raw(cols[key]);
    if (key === 'skills' || key === 'guardianConsent')
      sets.push(sql`${col} = ${value === null ? null : JSON.stringify(value)}::jsonb`);
    else if (key === 'consentAt') sets.push(sql`${col} = ${value}::timestamptz`);
    else sets.push(sql`${col} = ${value}`);
  }
  await ex.execute(sql`UPDATE people SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

/** Marks consent withdrawn: processing stops; only what the law requires stays. */
export async function markWithdrawn(ex: Executor, id: number): Promise<void> {
  await ex.execute(
    sql`UPDATE people SET status = 'withdrawn', withdrawn_at = now(), updated_at = now(), skills = '[]'::jsonb,
          backbone = false, reserve_backbone = false
        WHERE id = ${id}`,
  );
  await ex.execute(sql`DELETE FROM person_circles WHERE person_id = ${id}`);
}

export async function replaceCircles(ex: Executor, personId: number, districtId: number, gridIds: number[]) {
  await ex.execute(sql`DELETE FROM person_circles WHERE person_id = ${personId}`);
  for (const gridId of gridIds) {
    await ex.execute(
      sql`INSERT INTO person_circles (person_id, grid_id, district_id) VALUES (${personId}, ${gridId}, ${districtId})`,
    );
  }
}

/** Circles (grids) of the district by id, with kind and state, for validating a person's circles. */
export async function findGridsForCircles(ex: Executor, districtId: number, ids: number[]) {
  if (!ids.length) return [];
  return many<{ id: number; kind: string; active: boolean; org_path: string }>(
    ex,
    sql`SELECT g.id, g.kind, g.active, o.path AS org_path FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.district_id = ${districtId} AND g.id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Roll-up and org dependents
// ---------------------------------------------------------------------------------------------

async function countBy(ex: Executor, districtId: number, extra: SQL): Promise<Map<number, number>> {
  const rows = await many<{ org_id: number; n: number }>(
    ex,
    sql`SELECT coalesce(hg.org_id, p.branch_org_id) AS org_id, count(*)::int AS n
        FROM people p LEFT JOIN grids hg ON hg.id = p.home_grid_id
        WHERE p.district_id = ${districtId} AND p.status = 'registered' AND ${extra}
        GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.org_id, r.n]));
}

/** 青年数 registered people per org (the org tree sums them up the subtree). */
export function countPeopleByOrg(ex: Executor, districtId: number) {
  return countBy(ex, districtId, sql`TRUE`);
}

/** 团员数 registered League members per org. */
export function countMembersByOrg(ex: Executor, districtId: number) {
  return countBy(ex, districtId, sql`p.political_status = 'league_member'`);
}

/** People still attached to an org as their League branch (blocks deactivating the org). */
export async function countActivePeopleOfBranch(ex: Executor, orgId: number): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM people WHERE branch_org_id = ${orgId} AND status IN ('pending', 'registered')`,
  );
  return r?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Review list
// ---------------------------------------------------------------------------------------------

export type ReviewRow = {
  id: number;
  districtId: number;
  orgId: number;
  reason: ReviewReason;
  source: PersonSource;
  status: 'open' | 'resolved';
  incoming: Record<string, any>;
  phoneEnc: string | null;
  phoneIdx: string | null;
  idEnc: string | null;
  idIdx: string | null;
  candidates: { id: number; match: 'phone' | 'idNumber' }[];
  registrationTokenId: string | null;
  resolution: 'applied' | 'created' | 'rejected' | null;
  resolvedPersonId: number | null;
  createdAt: string;
  resolvedAt: string | null;
};

function toReviewRow(r: any): ReviewRow {
  return {
    id: r.id,
    districtId: r.district_id,
    orgId: r.org_id,
    reason: r.reason,
    source: r.source,
    status: r.status,
    incoming: parseJson(r.incoming),
    phoneEnc: r.phone_enc,
    phoneIdx: r.phone_idx,
    idEnc: r.id_enc,
    idIdx: r.id_idx,
    candidates: parseJson(r.candidates),
    registrationTokenId: r.registration_token_id,
    resolution: r.resolution,
    resolvedPersonId: r.resolved_person_id,
    createdAt: iso(r.created_at),
    resolvedAt: isoOrNull(r.resolved_at),
  };
}

export async function insertReview(
  ex: Executor,
  v: Omit<ReviewRow, 'id' | 'status' | 'resolution' | 'resolvedPersonId' | 'createdAt' | 'resolvedAt'>,
  createdBy: number | null,
): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO person_reviews (district_id, org_id, reason, source, incoming, phone_enc, phone_idx, id_enc, id_idx,
          candidates, registration_token_id, created_by)
        VALUES (${v.districtId}, ${v.orgId}, ${v.reason}, ${v.source}, ${JSON.stringify(v.incoming)}::jsonb,
          ${v.phoneEnc}, ${v.phoneIdx}, ${v.idEnc}, ${v.idIdx}, ${JSON.stringify(v.candidates)}::jsonb,
          ${v.registrationTokenId}, ${createdBy})
        RETURNING id`,
  );
  return r!.id;
}

const SELECT_REVIEWS = sql`SELECT r.* FROM person_reviews r JOIN orgs o ON o.id = r.org_id`;

export async function listReviews(ex: Executor, actor: Actor, districtId: number, status: 'open' | 'resolved') {
  const rows = await many<any>(
    ex,
    sql`${SELECT_REVIEWS} WHERE r.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
        AND r.status = ${status} ORDER BY r.id DESC LIMIT 500`,
  );
  return rows.map(toReviewRow);
}

export async function findReviewInScope(ex: Executor, actor: Actor, id: number): Promise<ReviewRow | undefined> {
  const r = await one(ex, sql`${SELECT_REVIEWS} WHERE r.id = ${id} AND ${scopeOf(actor)} FOR UPDATE OF r`);
  return r ? toReviewRow(r) : undefined;
}

export async function markReviewResolved(
  ex: Executor,
  id: number,
  resolution: 'applied' | 'created' | 'rejected',
  personId: number | null,
  accountId: number,
) {
  await ex.execute(
    sql`UPDATE person_reviews SET status = 'resolved', resolution = ${resolution}, resolved_person_id = ${personId},
          resolved_by = ${accountId}, resolved_at = now()
        WHERE id = ${id}`,
  );
}

/** Minimal facts of people for a review's candidate list (identifiers encrypted). */
export async function findPeopleBrief(ex: Executor, ids: number[]) {
  if (!ids.length) return [];
  return many<{ id: number; name: string; phone_enc: string | null; id_enc: string | null }>(
    ex,
    sql`SELECT id, name, phone_enc, id_enc FROM people WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Key youth archive
// ---------------------------------------------------------------------------------------------

export type KeyYouthRow = {
  personId: number;
  personName: string;
  org: { id: number; name: string };
  kind: KeyYouthKind;
  noteEnc: string;
  createdAt: string;
  updatedAt: string;
};

const SELECT_KEY_YOUTH = sql`
  SELECT k.person_id, p.name AS person_name, o.id AS org_id, o.name AS org_name, k.kind, k.note_enc,
         k.created_at, k.updated_at
  FROM key_youth k
  JOIN people p ON p.id = k.person_id
  LEFT JOIN grids hg ON hg.id = p.home_grid_id
  JOIN orgs o ON o.id = coalesce(hg.org_id, p.branch_org_id)`;

function toKeyYouthRow(r: any): KeyYouthRow {
  return {
    personId: r.person_id,
    personName: r.person_name,
    org: { id: r.org_id, name: r.org_name },
    kind: r.kind,
    noteEnc: r.note_enc,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export async function findKeyYouth(ex: Executor, personId: number): Promise<KeyYouthRow | undefined> {
  const r = await one(ex, sql`${SELECT_KEY_YOUTH} WHERE k.person_id = ${personId}`);
  return r ? toKeyYouthRow(r) : undefined;
}

export async function listKeyYouth(
  ex: Executor,
  actor: Actor,
  districtId: number,
  f: { orgPath?: string; kind?: KeyYouthKind; page: number; pageSize: number },
) {
  const conds: SQL[] = [
    sql`k.district_id = ${districtId}`,
    orgScopeCondition(actor, districtId),
    sql`p.status <> 'withdrawn'`,
  ];
  if (f.orgPath) conds.push(sql`o.path LIKE ${`${likeEscape(f.orgPath)}%`}`);
  if (f.kind) conds.push(sql`k.kind = ${f.kind}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM (${SELECT_KEY_YOUTH} WHERE ${where}) t`,
  );
  const rows = await many<any>(
    ex,
    sql`${SELECT_KEY_YOUTH} WHERE ${where} ORDER BY k.person_id LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, rows: rows.map(toKeyYouthRow) };
}

export async function upsertKeyYouth(
  ex: Executor,
  v: { personId: number; districtId: number; kind: KeyYouthKind; noteEnc: string },
  accountId: number,
) {
  await ex.execute(
    sql`INSERT INTO key_youth (person_id, district_id, kind, note_enc, created_by)
        VALUES (${v.personId}, ${v.districtId}, ${v.kind}, ${v.noteEnc}, ${accountId})
        ON CONFLICT (person_id) DO UPDATE SET kind = excluded.kind, note_enc = excluded.note_enc, updated_at = now()`,
  );
}

export async function deleteKeyYouth(ex: Executor, personId: number) {
  await ex.execute(sql`DELETE FROM key_youth WHERE person_id = ${personId}`);
}

/**
 * Inserts new people in one statement (the demo seed's bulk path; the ledger import has insertImportedPeople).
 * Returns their ids and names in input order.
 */
export async function insertPeopleBulk(
  ex: Executor,
  districtId: number,
  rows: PersonWrite[],
  createdBy: number | null,
): Promise<{ id: number; name: string }[]> {
  if (!rows.length) return [];
  const json = JSON.stringify(
    rows.map((w, ord) => ({ ...w, ord, skills: w.skills, guardianConsent: w.guardianConsent ?? null })),
  );
  return many<{ id: number; name: string }>(
    ex,
    sql`WITH input AS (
          SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS x(
            ord int, name text, gender text, "birthDate" date, "phoneEnc" text, "phoneIdx" text, "idEnc" text,
            "idIdx" text, "politicalStatus" text, category text, skills jsonb, "homeGridId" int, "branchOrgId" int,
            backbone boolean, "reserveBackbone" boolean, source text, status text, "consentVersion" text,
            "consentAt" timestamptz, "consentChannel" text, "guardianConsent" jsonb, "registrationTokenId" text)
        ), inserted AS (
          INSERT INTO people (district_id, name, gender, birth_date, phone_enc, phone_idx, id_enc, id_idx,
            political_status, category, skills, home_grid_id, branch_org_id, backbone, reserve_backbone, source, status,
            consent_version, consent_at, consent_channel, guardian_consent, registration_token_id, created_by)
          SELECT ${districtId}, name, gender, "birthDate", "phoneEnc", "phoneIdx", "idEnc", "idIdx", "politicalStatus",
            category, skills, "homeGridId", "branchOrgId", backbone, "reserveBackbone", source, status, "consentVersion",
            "consentAt", "consentChannel", "guardianConsent", "registrationTokenId", ${createdBy}
          FROM input ORDER BY ord
          RETURNING id, name
        )
        SELECT id, name FROM inserted ORDER BY id`,
  );
}

/** One row of a ledger import's bulk insert (identifiers already sealed; see insertImportedPeople). */
export type ImportedPersonRow = {
  /** name, gender, birth date */
  n: string;
  g: Gender | null;
  b: string | null;
  /** phone and ID number: ciphertext and blind index */
  pe: string | null;
  pi: string | null;
  ie: string | null;
  ii: string | null;
  /** political status, category, skills (omitted when none) */
  ps: PoliticalStatus;
  c: PersonCategory;
  s?: string[];
  /** home grid, or (without one) the League branch */
  hg: number | null;
  bo: number | null;
  /** backbone, reserve backbone */
  bb: boolean;
  rb: boolean;
};

/**
 * The ledger import's bulk insert: one statement for a batch, `ON CONFLICT DO NOTHING` so that a row whose
 * phone or ID number someone holds (already, or since: a QR registration committing meanwhile) is skipped
 * instead of failing the whole import — the caller sends the skipped rows through the de-duplicated write.
 * Returns how many were inserted and their ids as the range lo…hi, or the list when the range has holes.
 */
export async function insertImportedPeople(
  ex: Executor,
  districtId: number,
  common: { consentVersion: string; consentAt: string; createdBy: number | null },
  /**
   * A JSON array of {@link ImportedPersonRow} (built where the identifiers are sealed, maybe another thread): as
   * text, or as UTF-8 bytes (node-postgres sends a Buffer as a binary bytea parameter, so ≈ 0.5 MB of JSON per
   * batch never becomes a string on the JS heap; PGlite would turn bytes into a hex string, so it gets text).
   */
  rowsJson: string | Buffer,
): Promise<{ inserted: number; lo: number | null; hi: number | null; ids: number[] | null }> {
  const json = typeof rowsJson === 'string' ? sql`${rowsJson}::jsonb` : sql`convert_from(${rowsJson}, 'UTF8')::jsonb`;
  const r = await one<{ n: number; lo: number | null; hi: number | null; ids: number[] | string | null }>(
    ex,
    sql`WITH ins AS (
          INSERT INTO people (district_id, name, gender, birth_date, phone_enc, phone_idx, id_enc, id_idx,
            political_status, category, skills, home_grid_id, branch_org_id, backbone, reserve_backbone, source, status,
            consent_version, consent_at, consent_channel, created_by)
          SELECT ${districtId}, x.n, x.g, x.b, x.pe, x.pi, x.ie, x.ii, x.ps, x.c, coalesce(x.s, '[]'::jsonb), x.hg,
            x.bo, x.bb, x.rb, 'import', 'registered', ${common.consentVersion}, ${common.consentAt}::timestamptz,
            'import', ${common.createdBy}
          FROM ROWS FROM (jsonb_to_recordset(${json}) AS (n text, g text, b date, pe text, pi text, ie text, ii text,
            ps text, c text, s jsonb, hg int, bo int, bb boolean, rb boolean))
            WITH ORDINALITY AS x(n, g, b, pe, pi, ie, ii, ps, c, s, hg, bo, bb, rb, o)
          ORDER BY x.o
          ON CONFLICT DO NOTHING
          RETURNING id
        )
        SELECT count(*)::int AS n, min(id) AS lo, max(id) AS hi,
               CASE WHEN max(id) - min(id) + 1 <> count(*) THEN array_agg(id ORDER BY id) END AS ids
          FROM ins`,
  );
  const ids = typeof r!.ids === 'string' ? (JSON.parse(`[${r!.ids.slice(1, -1)}]`) as number[]) : r!.ids;
  return { inserted: r!.n, lo: r!.lo, hi: r!.hi, ids };
}

/** The blind indexes of these people (to tell which rows of an import batch were skipped as conflicts). */
export async function identifiersOf(
  ex: Executor,
  ids: number[],
): Promise<{ id: number; phoneIdx: string | null; idIdx: string | null }[]> {
  if (!ids.length) return [];
  const rows = await many<{ id: number; phone_idx: string | null; id_idx: string | null }>(
    ex,
    sql`SELECT id, phone_idx, id_idx FROM people
         WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::int)`,
  );
  return rows.map((r) => ({ id: r.id, phoneIdx: r.phone_idx, idIdx: r.id_idx }));
}
