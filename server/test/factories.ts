import type { Role } from '../../domain/account.ts';
import type { OrgKind } from '../../domain/org.ts';
import { isHierarchicalKind } from '../../domain/org.ts';
import type { Database } from '../db/client.ts';
import { insertAccount } from '../modules/accounts/accounts.repository.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { createDistrictWithRoot } from '../modules/districts/districts.service.ts';
import { insertOrg, type OrgRow } from '../modules/orgs/orgs.repository.ts';

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
