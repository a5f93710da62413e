import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { insertOrg } from '../orgs/orgs.repository.ts';
import { districtCodeTaken, findDistrict, insertDistrict, listDistricts } from './districts.repository.ts';

export async function getDistricts(database: Database, actor: Actor) {
  requirePermission(actor, 'district.read');
  return { items: await listDistricts(database.db, actor.districtId) };
}

/**
 * Creates a district (a tenant) with its root org, the district committee. Used by platform
 * admins through the API and by the CLI and the demo seed (actor null).
 */
export async function createDistrictWithRoot(ex: Executor, who: Actor | null, code: string, name: string) {
  const districtId = await insertDistrict(ex, code, name);
  const root = await insertOrg(ex, {
    districtId,
    parent: null,
    kind: 'district_committee',
    name: `共青团${name}委员会`,
    hierarchical: true,
  });
  await recordAudit(ex, who, {
    action: 'district.create',
    entity: 'district',
    entityId: districtId,
    districtId,
    after: { code, name },
  });
  return { districtId, root };
}

export async function createDistrict(database: Database, actor: Actor, code: string, name: string) {
  requirePermission(actor, 'district.write');
  if (await districtCodeTaken(database.db, code)) {
    throw new AppError('DUPLICATE_DISTRICT', { errors: [{ field: 'code', message: 'DUPLICATE_DISTRICT' }] });
  }
  const { districtId } = await database.db.transaction((tx) => createDistrictWithRoot(tx, actor, code, name));
  return (await findDistrict(database.db, districtId))!;
}
