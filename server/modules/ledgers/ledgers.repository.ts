import { sql } from 'drizzle-orm';
import type { LedgerImportResult, LedgerIssue } from '../../../domain/ledger.ts';
import type { Gender, PersonCategory, PersonSource, PersonStatus, PoliticalStatus } from '../../../domain/person.ts';
import { type Executor, iso, likeEscape, many, one } from '../../db/sql.ts';
import { type Actor, orgScopeCondition } from '../../lib/actor.ts';

export type GridForLedger = { id: number; code: string; orgId: number; orgPath: string; active: boolean; kind: string };

/** The grids under an org (by materialised path), keyed by code: what a ledger's 网格编码 may name. */
export async function gridsUnder(
  ex: Executor,
  districtId: number,
  orgPath: string,
): Promise<Map<string, GridForLedger>> {
  const rows = await many<{ id: number; code: string; org_id: number; path: string; active: boolean; kind: string }>(
    ex,
    sql`SELECT g.id, g.code, g.org_id, o.path, g.active, g.kind FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.district_id = ${districtId} AND o.path LIKE ${`${likeEscape(orgPath)}%`}`,
  );
  return new Map(
    rows.map((r) => [
      r.code,
      { id: r.id, code: r.code, orgId: r.org_id, orgPath: r.path, active: r.active, kind: r.kind },
    ]),
  );
}

type ImportWrite = Omit<LedgerImportResult, 'id' | 'errors' | 'errorsTruncated' | 'createdAt'> & {
  districtId: number;
  orgId: number;
  accountId: number | null;
  issues: LedgerIssue[];
};

export async function insertImport(ex: Executor, w: ImportWrite): Promise<{ id: number; createdAt: string }> {
  const r = await one<{ id: number; created_at: unknown }>(
    ex,
    sql`INSERT INTO people_imports (district_id, org_id, account_id, file_name, mode, status, total, created, updated, review, rejected, issues)
        VALUES (${w.districtId}, ${w.orgId}, ${w.accountId}, ${w.fileName}, ${w.mode}, ${w.status}, ${w.total}, ${w.created},
                ${w.updated}, ${w.review}, ${w.rejected}, ${JSON.stringify(w.issues)}::jsonb)
        RETURNING id, created_at`,
  );
  return { id: r!.id, createdAt: iso(r!.created_at) };
}

export type ImportRow = Omit<LedgerImportResult, 'errors' | 'errorsTruncated'> & {
  districtId: number;
  orgId: number;
  issues: LedgerIssue[];
};

const SELECT_IMPORTS = sql`
  SELECT i.id, i.district_id, i.org_id, i.file_name, i.mode, i.status, i.total, i.created, i.updated, i.review,
         i.rejected, i.issues, i.created_at
    FROM people_imports i JOIN orgs o ON o.id = i.org_id`;

function toImportRow(r: any): ImportRow {
  return {
    id: r.id,
    districtId: r.district_id,
    orgId: r.org_id,
    fileName: r.file_name,
    mode: r.mode,
    status: r.status,
    total: r.total,
    created: r.created,
    updated: r.updated,
    review: r.review,
    rejected: r.rejected,
    issues: typeof r.issues === 'string' ? JSON.parse(r.issues) : r.issues,
    createdAt: iso(r.created_at),
  };
}

/** An import of an org in the actor's subtree (scope as for the people it wrote). */
export async function findImportInScope(ex: Executor, actor: Actor, id: number): Promise<ImportRow | undefined> {
  const scope = actor.districtId === null ? sql`TRUE` : orgScopeCondition(actor, actor.districtId);
  const r = await one(ex, sql`${SELECT_IMPORTS} WHERE i.id = ${id} AND ${scope}`);
  return r ? toImportRow(r) : undefined;
}

export async function listImports(ex: Executor, actor: Actor, districtId: number): Promise<ImportRow[]> {
  const rows = await many(
    ex,
    sql`${SELECT_IMPORTS} WHERE i.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
        ORDER BY i.id DESC LIMIT 50`,
  );
  return rows.map(toImportRow);
}

export type ExportPerson = {
  id: number;
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  phoneEnc: string | null;
  idEnc: string | null;
  politicalStatus: PoliticalStatus;
  category: PersonCategory;
  gridCode: string | null;
  gridName: string | null;
  orgName: string;
  skills: string[];
  backbone: boolean;
  reserveBackbone: boolean;
  status: PersonStatus;
  source: PersonSource;
};

/**
 * One page of the registry of a subtree for export, by id (keyset: constant cost per page). Same
 * rules as the registry list: no withdrawn people, no key youth (their archive is never exported).
 */
export async function exportPage(
  ex: Executor,
  actor: Actor,
  districtId: number,
  orgPath: string,
  afterId: number,
  limit: number,
): Promise<ExportPerson[]> {
  const rows = await many<any>(
    ex,
    sql`SELECT p.id, p.name, p.gender, p.birth_date::text AS birth_date, p.phone_enc, p.id_enc, p.political_status,
               p.category, hg.code AS grid_code, hg.name AS grid_name, o.name AS org_name, p.skills, p.backbone,
               p.reserve_backbone, p.status, p.source
          FROM people p LEFT JOIN grids hg ON hg.id = p.home_grid_id
          JOIN orgs o ON o.id = coalesce(hg.org_id, p.branch_org_id)
         WHERE p.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
           AND o.path LIKE ${`${likeEscape(orgPath)}%`} AND p.id > ${afterId}
           AND p.status IN ('pending', 'registered')
           AND NOT EXISTS (SELECT 1 FROM key_youth k WHERE k.person_id = p.id)
         ORDER BY p.id LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    phoneEnc: r.phone_enc,
    idEnc: r.id_enc,
    politicalStatus: r.political_status,
    category: r.category,
    gridCode: r.grid_code,
    gridName: r.grid_name,
    orgName: r.org_name,
    skills: typeof r.skills === 'string' ? JSON.parse(r.skills) : r.skills,
    backbone: r.backbone,
    reserveBackbone: r.reserve_backbone,
    status: r.status,
    source: r.source,
  }));
}
