import type { z } from 'zod';
import {
  type AccountCreateSchema,
  type AccountUpdateSchema,
  canAssignRole,
  type Role,
} from '../../../domain/account.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { hashPassword } from '../auth/password.ts';
import { clearTotp } from '../auth/security.repository.ts';
import { deleteSessionsOfAccount } from '../auth/sessions.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import {
  findAccountById,
  findAccountByUsername,
  findScopedAccount,
  insertAccount,
  listScopedAccounts,
  toAccount,
  updateAccount,
} from './accounts.repository.ts';

function assertAssignable(actor: Actor, role: Role) {
  if (role === 'platform_admin' || !canAssignRole(actor.role, role)) {
    throw new AppError('ROLE_NOT_ALLOWED', { errors: [{ field: 'role', message: 'ROLE_NOT_ALLOWED' }] });
  }
}

export async function listAccounts(
  database: Database,
  actor: Actor,
  q: { districtId?: number; q?: string; orgId?: number; role?: Role; page: number; pageSize: number },
) {
  requirePermission(actor, 'account.read');
  const { districtId: requested, ...filter } = q;
  return listScopedAccounts(database.db, actor, resolveDistrict(actor, requested), filter);
}

/** 新建账号 Creates an account bound to an org in the actor's subtree; it must change its password at first login. */
export async function createAccount(database: Database, actor: Actor, input: z.infer<typeof AccountCreateSchema>) {
  requirePermission(actor, 'account.write');
  assertAssignable(actor, input.role);
  const org = await loadOrgInScope(database, actor, input.orgId);
  if (await findAccountByUsername(database.db, input.username)) {
    throw new AppError('DUPLICATE_USERNAME', { errors: [{ field: 'username', message: 'DUPLICATE_USERNAME' }] });
  }
  const passwordHash = await hashPassword(input.password);
  return database.db.transaction(async (tx) => {
    const id = await insertAccount(tx, {
      districtId: org.districtId,
      orgId: org.id,
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash,
      mustChangePassword: true,
    });
    const created = toAccount((await findScopedAccount(tx, actor, org.districtId, id))!);
    await recordAudit(tx, actor, {
      action: 'account.create',
      entity: 'account',
      entityId: id,
      districtId: org.districtId,
      after: created,
    });
    return created;
  });
}

/** 编辑账号 Edits, moves, (de)activates or resets the password of an account in the actor's subtree. */
export async function updateAccountById(
  database: Database,
  actor: Actor,
  id: number,
  patch: z.infer<typeof AccountUpdateSchema>,
) {
  requirePermission(actor, 'account.write');
  const districtId = actor.districtId;
  const target = districtId === null ? undefined : await findScopedAccount(database.db, actor, districtId, id);
  const found = target ?? (actor.districtId === null ? await findAccountById(database.db, id) : undefined);
  if (!found) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'account', entityId: id });
    throw new AppError('NOT_FOUND');
  }
  if (!canAssignRole(actor.role, found.role)) throw new AppError('ROLE_NOT_ALLOWED');
  if (patch.role) assertAssignable(actor, patch.role);
  if (patch.orgId !== undefined) await loadOrgInScope(database, actor, patch.orgId);
  if (found.id === actor.accountId && (patch.active === false || patch.role || patch.orgId))
    throw new AppError('FORBIDDEN');
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  return database.db.transaction(async (tx) => {
    await updateAccount(tx, found.id, {
      displayName: patch.displayName,
      role: patch.role,
      orgId: patch.orgId,
      active: patch.active,
      ...(passwordHash ? { passwordHash, mustChangePassword: true } : {}),
    });
    if (patch.resetTotp) await clearTotp(tx, found.id);
    if (passwordHash || patch.resetTotp || patch.active === false) await deleteSessionsOfAccount(tx, found.id);
    const after = toAccount((await findAccountById(tx, found.id))!);
    await recordAudit(tx, actor, {
      action: passwordHash ? 'account.password_reset' : patch.resetTotp ? 'account.totp_reset' : 'account.update',
      entity: 'account',
      entityId: found.id,
      districtId: found.districtId,
      before: toAccount(found),
      after,
    });
    return after;
  });
}
