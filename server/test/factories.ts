import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Role } from '../../domain/account.ts';
import { DEFAULT_BANDS, keqiaoTemplate } from '../../domain/assessment.ts';
import type { Boundary, GridKind } from '../../domain/grid.ts';
import type { OrgKind } from '../../domain/org.ts';
import { isHierarchicalKind } from '../../domain/org.ts';
import { CONSENT_VERSION, type PersonStatus } from '../../domain/person.ts';
import type { Database } from '../db/client.ts';
import { many, one } from '../db/sql.ts';
import type { PiiCipher } from '../lib/crypto.ts';
import { insertAccount } from '../modules/accounts/accounts.repository.ts';
import { insertRound, insertSet } from '../modules/assessments/assessments.repository.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { createDistrictWithRoot } from '../modules/districts/districts.service.ts';
import { upsertTerritory } from '../modules/grids/coverage.repository.ts';
import { insertGrid, prepareBoundary } from '../modules/grids/grids.repository.ts';
import { insertOrg, type OrgRow } from '../modules/orgs/orgs.repository.ts';
import { insertPerson, insertReview, upsertKeyYouth } from '../modules/people/people.repository.ts';
import { insertToken } from '../modules/registrations/registrations.repository.ts';

export const PASSWORD = 'Passw0rd2026';

export async function addOrg(database: Database, parent: OrgRow, kind: OrgKind, name: string): Promise<OrgRow> {
  return insertOrg(database.db, {
    districtId: parent.districtId,
    parent,
    kind,
    name,
    hierarchical: isHierarchicalKind(kind),
  });
}

let hashed: Promise<string> | null = null;
export async function addAccount(
  database: Database,
  username: string,
  role: Role,
  org: OrgRow | null,
  mustChangePassword = false,
) {
  hashed ??= hashPassword(PASSWORD);
  return insertAccount(database.db, {
    districtId: org?.districtId ?? null,
    orgId: org?.id ?? null,
    username,
    displayName: username,
    role,
    passwordHash: await hashed,
    mustChangePassword,
  });
}

/**
 * Two districts. A: root → towns T1 (东湖镇) and T2 (西山街道) → villages V1 under T1, V2 under T2.
 * B: root → town TB. One account per role, all with PASSWORD.
 */
export async function buildWorld(database: Database) {
  const a = await createDistrictWithRoot(database.db, null, '330001', '甲区');
  const b = await createDistrictWithRoot(database.db, null, '330002', '乙区');
  const t1 = await addOrg(database, a.root, 'town_committee', '东湖镇团委');
  const t2 = await addOrg(database, a.root, 'town_committee', '西山街道团工委');
  const v1 = await addOrg(database, t1, 'village_branch', '北村团总支');
  const v2 = await addOrg(database, t2, 'village_branch', '南村团总支');
  const tb = await addOrg(database, b.root, 'town_committee', '乙镇团委');
  await addAccount(database, 'platform', 'platform_admin', null);
  await addAccount(database, 'admin_a', 'district_admin', a.root);
  await addAccount(database, 'admin_b', 'district_admin', b.root);
  await addAccount(database, 't1_admin', 'org_admin', t1);
  await addAccount(database, 't2_admin', 'org_admin', t2);
  await addAccount(database, 'tb_admin', 'org_admin', tb);
  await addAccount(database, 'v1_leader', 'grid_leader', v1);
  await addAccount(database, 'v1_youth', 'youth', v1);
  return { districtA: a.districtId, districtB: b.districtId, rootA: a.root, rootB: b.root, t1, t2, v1, v2, tb };
}

// ── fixtures of the grids, people, registrations and assessments modules ─────────────────────

/** A unit square (about 100 m) near Shaoxing, as GeoJSON, shifted east by `offset` squares. */
export function squareBoundary(offset = 0) {
  const w = 120.5 + offset * 0.001;
  const s = 30.0;
  const e = w + 0.001;
  const n = s + 0.001;
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
}

/** A grid (active) whose responsible org is `org`; a circle kind unless a boundary is given. */
export async function addGrid(
  database: Database,
  org: OrgRow,
  code: string,
  opts: { kind?: GridKind; boundary?: Boundary } = {},
): Promise<number> {
  let boundaryHex: string | null = null;
  if (opts.boundary) {
    const prepared = await prepareBoundary(database.db, org.districtId, opts.boundary, true);
    if (!prepared.ok) throw new Error(`addGrid: boundary refused (${prepared.reason})`);
    boundaryHex = prepared.hex;
  }
  return insertGrid(database.db, org.districtId, {
    code,
    name: `${code}网格`,
    kind: opts.kind ?? (opts.boundary ? 'village' : 'building'),
    orgId: org.id,
    leaderAccountId: null,
    contactAccountId: null,
    venue: null,
    channels: [],
    serviceProject: null,
    youthCount: null,
    memberCount: null,
    boundaryHex,
  });
}

/** Draws the territory of `org`. */
export async function addTerritory(database: Database, org: OrgRow, boundary: Boundary = squareBoundary()) {
  const prepared = await prepareBoundary(database.db, org.districtId, boundary, true);
  if (!prepared.ok) throw new Error(`addTerritory: boundary refused (${prepared.reason})`);
  await upsertTerritory(database.db, org.id, org.districtId, prepared.hex);
}

/** A person whose League branch is `org` (no identifiers), born 2000-01-01. */
export async function addPerson(
  database: Database,
  org: OrgRow,
  name: string,
  status: PersonStatus = 'registered',
): Promise<number> {
  return insertPerson(
    database.db,
    org.districtId,
    {
      name,
      gender: null,
      birthDate: '2000-01-01',
      phoneEnc: null,
      phoneIdx: null,
      idEnc: null,
      idIdx: null,
      politicalStatus: 'masses',
      category: 'other',
      skills: [],
      homeGridId: null,
      branchOrgId: org.id,
      backbone: false,
      reserveBackbone: false,
      source: 'staff',
      status,
      consentVersion: CONSENT_VERSION,
      consentAt: new Date().toISOString(),
      consentChannel: 'paper',
      guardianConsent: null,
      registrationTokenId: null,
    },
    null,
  );
}

/** A person of `org` filed in the key-youth archive. */
export async function addKeyYouth(database: Database, pii: PiiCipher, org: OrgRow, name: string): Promise<number> {
  const personId = await addPerson(database, org, name);
  const creator = await one<{ id: number }>(database.db, sql`SELECT id FROM accounts ORDER BY id LIMIT 1`);
  await upsertKeyYouth(
    database.db,
    { personId, districtId: org.districtId, kind: 'idle_youth', noteEnc: pii.encrypt('帮扶中') },
    creator!.id,
  );
  return personId;
}

/** An open review-list entry (a phone conflict) filed under `org`. */
export async function addReview(database: Database, org: OrgRow, name: string): Promise<number> {
  return insertReview(
    database.db,
    {
      districtId: org.districtId,
      orgId: org.id,
      reason: 'phone_conflict',
      source: 'qr',
      incoming: { name, birthDate: '2000-01-01' },
      phoneEnc: null,
      phoneIdx: null,
      idEnc: null,
      idIdx: null,
      candidates: [],
      registrationTokenId: null,
    },
    null,
  );
}

/** A registration code (QR) for `org`, valid 30 days; returns its id. */
export async function addRegistrationToken(database: Database, org: OrgRow, createdBy: number): Promise<string> {
  const id = crypto.randomBytes(16).toString('base64url');
  await insertToken(database.db, { id, districtId: org.districtId, gridId: null, orgId: org.id, days: 30, createdBy });
  return id;
}

/**
 * An open assessment round on the Keqiao set (a fresh set of the district) assessing `org`, scored
 * by every active district admin of the district.
 */
export async function addAssessmentRound(database: Database, org: OrgRow, name: string) {
  const set = await insertSet(database.db, org.districtId, `${name}指标`, keqiaoTemplate());
  const admins = await many<{ id: number }>(
    database.db,
    sql`SELECT id FROM accounts WHERE district_id = ${org.districtId} AND role = 'district_admin' AND active ORDER BY id`,
  );
  const assessorIds = admins.map((a) => a.id);
  const roundId = await insertRound(database.db, {
    districtId: org.districtId,
    setId: set.id,
    name,
    period: '2026Q4',
    deadline: '2099-12-31T16:00:00Z',
    thresholds: DEFAULT_BANDS,
    orgIds: [org.id],
    assessorIds,
  });
  return { setId: set.id, roundId, assessorIds };
}
