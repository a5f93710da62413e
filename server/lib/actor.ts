import { type SQL, sql } from 'drizzle-orm';
import type { Permission, Role } from '../../domain/account.ts';
import { roleCan } from '../../domain/account.ts';
import type { Lang } from '../../domain/messages.ts';
import { AppError } from './errors.ts';

/** Who is asking: the logged-in account and the part of the org network it may see. */
export type Actor = {
  accountId: number;
  username: string;
  role: Role;
  /** null only for platform admins */
  districtId: number | null;
  orgId: number | null;
  /** Materialised path of the account's org ('/1/7/'); null = the whole platform. */
  scopePath: string | null;
  mustChangePassword: boolean;
  lang: Lang;
  ip: string;
};

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!roleCan(actor.role, permission)) throw new AppError('FORBIDDEN');
}

/**
 * The district a request works in. Platform admins name it (or get `fallback`); everyone else
 * works in their own district, and naming another one is answered as unknown.
 */
export function resolveDistrict(actor: Actor, requested: number | undefined): number {
  if (actor.districtId === null) {
    if (requested === undefined)
      throw new AppError('VALIDATION', { errors: [{ field: 'districtId', message: 'required' }] });
    return requested;
  }
  if (requested !== undefined && requested !== actor.districtId) throw new AppError('DISTRICT_NOT_FOUND');
  return actor.districtId;
}

/**
 * SQL condition limiting an orgs-table alias to what the actor may see: same district and inside
 * the actor's subtree. Every repository query of tenant data goes through this.
 */
export function orgScopeCondition(actor: Actor, districtId: number, alias = 'o'): SQL {
  const a = sql.raw(alias);
  if (actor.scopePath === null) return sql`${a}.district_id = ${districtId}`;
  return sql`${a}.district_id = ${districtId} AND ${a}.path LIKE ${`${actor.scopePath}%`}`;
}
