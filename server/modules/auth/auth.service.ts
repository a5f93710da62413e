import crypto from 'node:crypto';
import { type Permission, permissionsOfRole } from '../../../domain/account.ts';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import {
  type AccountRow,
  findAccountById,
  findAccountByUsername,
  recordLoginFailure,
  recordLoginSuccess,
  toAccount,
  updateAccount,
} from '../accounts/accounts.repository.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import {
  deleteSession,
  deleteSessionsOfAccount,
  findSession,
  insertSession,
  touchSession,
} from './sessions.repository.ts';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

type RequestInfo = { ip: string; lang: Actor['lang'] };

/** 登录 Checks the password, enforces the lockout, and opens a session. */
export async function login(database: Database, username: string, password: string, info: RequestInfo) {
  const { db } = database;
  const account = await findAccountByUsername(db, username);
  if (!account) {
    await verifyPassword(await dummyPasswordHash(), password);
    throw new AppError('BAD_CREDENTIALS');
  }
  const who = { accountId: account.id, username: account.username, districtId: account.districtId, ip: info.ip };
  if (account.lockedUntil && new Date(account.lockedUntil) > new Date()) throw new AppError('ACCOUNT_LOCKED');
  if (!(await verifyPassword(account.passwordHash, password))) {
    const locked = await db.transaction(async (tx) => {
      const nowLocked = await recordLoginFailure(tx, account.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
      await recordAudit(tx, who, {
        action: nowLocked ? 'auth.locked' : 'auth.login_failed',
        entity: 'account',
        entityId: account.id,
      });
      return nowLocked;
    });
    throw new AppError(locked ? 'ACCOUNT_LOCKED' : 'BAD_CREDENTIALS');
  }
  if (!account.active) throw new AppError('ACCOUNT_INACTIVE');
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    await recordLoginSuccess(tx, account.id);
    await insertSession(tx, hashToken(token), account.id, csrfToken);
    await recordAudit(tx, who, { action: 'auth.login', entity: 'account', entityId: account.id });
  });
  return { token, csrfToken, account };
}

export async function logout(database: Database, token: string) {
  await deleteSession(database.db, hashToken(token));
}

export type SessionContext = { actor: Actor; account: AccountRow; csrfToken: string; tokenHash: string };

/**
 * Resolves a session cookie to the acting account. An idle session ends; `last_seen_at` is written
 * at most once a minute so reads stay reads.
 */
export async function resolveSession(
  database: Database,
  token: string,
  idleTimeoutMinutes: number,
  info: RequestInfo,
): Promise<SessionContext> {
  const tokenHash = hashToken(token);
  const session = await findSession(database.db, tokenHash);
  if (!session) throw new AppError('UNAUTHENTICATED');
  if (session.idle_seconds > idleTimeoutMinutes * 60) {
    await deleteSession(database.db, tokenHash);
    throw new AppError('SESSION_EXPIRED');
  }
  const account = await findAccountById(database.db, session.account_id);
  if (!account?.active) {
    await deleteSession(database.db, tokenHash);
    throw new AppError('UNAUTHENTICATED');
  }
  if (session.idle_seconds >= 60) await touchSession(database.db, tokenHash);
  return { actor: actorOf(account, info), account, csrfToken: session.csrf_token, tokenHash };
}

export function actorOf(account: AccountRow, info: RequestInfo): Actor {
  return {
    accountId: account.id,
    username: account.username,
    role: account.role,
    districtId: account.districtId,
    orgId: account.orgId,
    scopePath: account.role === 'platform_admin' ? null : (account.orgPath ?? '/nowhere/'),
    mustChangePassword: account.mustChangePassword,
    lang: info.lang,
    ip: info.ip,
  };
}

/** 修改密码 The account changes its own password; other sessions of it end. */
export async function changePassword(
  database: Database,
  ctx: SessionContext,
  currentPassword: string,
  newPassword: string,
) {
  if (!(await verifyPassword(ctx.account.passwordHash, currentPassword))) {
    throw new AppError('WRONG_PASSWORD', { errors: [{ field: 'currentPassword', message: 'WRONG_PASSWORD' }] });
  }
  if (currentPassword === newPassword) {
    throw new AppError('SAME_PASSWORD', { errors: [{ field: 'newPassword', message: 'SAME_PASSWORD' }] });
  }
  const passwordHash = await hashPassword(newPassword);
  await database.db.transaction(async (tx) => {
    await updateAccount(tx, ctx.account.id, { passwordHash, mustChangePassword: false });
    await deleteSessionsOfAccount(tx, ctx.account.id, ctx.tokenHash);
    await recordAudit(tx, ctx.actor, { action: 'auth.password_changed', entity: 'account', entityId: ctx.account.id });
  });
}

export function permissionsOf(account: AccountRow): Permission[] {
  return permissionsOfRole(account.role);
}

export { toAccount };
