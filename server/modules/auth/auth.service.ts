import crypto from 'node:crypto';
import { generateSecret as generateTotpSecret, generateURI as generateTotpUri, verify as verifyTotp } from 'otplib';
import QRCode from 'qrcode';
import { type Permission, permissionsOfRole } from '../../../domain/account.ts';
import { codeMessage } from '../../../domain/messages.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import {
  type AccountRow,
  findAccountById,
  findAccountByUsername,
  recordLoginSuccess,
  toAccount,
  updateAccount,
} from '../accounts/accounts.repository.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import { type PasswordProfile, passwordExpired, passwordIssues, totpRequired } from './password-policy.ts';
import {
  accountSecurity,
  clearFailures,
  consumeTotpStep,
  enableTotp,
  loginLocked,
  markPasswordChanged,
  recordFailure,
  requirePasswordChange,
  setPendingTotpSecret,
} from './security.repository.ts';
import {
  deleteSession,
  deleteSessionsOfAccount,
  findSession,
  insertSession,
  markSecondFactor,
  touchSession,
} from './sessions.repository.ts';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;
/** Failures of one username from all IPs together before it is locked everywhere (spraying from many IPs). */
export const LOCK_AFTER_FAILURES_ALL_IPS = 20;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

type RequestInfo = { ip: string; lang: Actor['lang'] };
/** The parts of the configuration the account rules depend on (server/config.ts). */
export type AuthPolicy = Pick<
  Config,
  'passwordProfile' | 'passwordMaxAgeDays' | 'sessionMaxHours' | 'idleTimeoutMinutes'
> & { cipher: () => PiiCipher };

const LIMITS = { perIp: LOCK_AFTER_FAILURES, overall: LOCK_AFTER_FAILURES_ALL_IPS, minutes: LOCK_MINUTES };

/**
 * 登录 Checks the password (and the TOTP code when the account has one), enforces the lockout, and opens a
 * new session (a fresh random id every time; the session the request came with, if any, ends: no fixation).
 *
 * Lockout is per (username, IP): the 5th failure in a row from one IP locks that pair for 15 minutes, and the
 * 20th from all IPs together locks the name everywhere. The counters are kept for names that do not exist
 * too, and an unknown name is verified against a dummy hash, so every answer (401 BAD_CREDENTIALS, then 423
 * ACCOUNT_LOCKED) and its timing are the same whether or not the account exists.
 */
export async function login(
  database: Database,
  input: { username: string; password: string; totp?: string; previousToken?: string },
  info: RequestInfo,
  policy: AuthPolicy,
) {
  const { db } = database;
  const { username, password } = input;
  const account = await findAccountByUsername(db, username);
  const who = account
    ? { accountId: account.id, username: account.username, districtId: account.districtId, ip: info.ip }
    : { accountId: null, username: null, districtId: null, ip: info.ip }; // the typed name may be a password
  const accountLocked = !!account?.lockedUntil && new Date(account.lockedUntil) > new Date();
  if (accountLocked || (await loginLocked(db, username, info.ip))) {
    // Same work as a real check, so a locked name cannot be told from an open one by timing either.
    await verifyPassword(await dummyPasswordHash(), password);
    throw new AppError('ACCOUNT_LOCKED');
  }
  const fail = async (reason: 'password' | 'totp') => {
    const locked = await db.transaction(async (tx) => {
      const nowLocked = await recordFailure(tx, username, info.ip, LIMITS);
      await recordAudit(tx, who, {
        action: nowLocked ? 'auth.locked' : 'auth.login_failed',
        entity: 'account',
        entityId: account?.id ?? null,
        after: { reason, known: !!account },
      });
      return nowLocked;
    });
    if (locked) throw new AppError('ACCOUNT_LOCKED');
  };
  if (!account) {
    await verifyPassword(await dummyPasswordHash(), password);
    await fail('password');
    throw new AppError('BAD_CREDENTIALS');
  }
  if (!(await verifyPassword(account.passwordHash, password))) {
    await fail('password');
    throw new AppError('BAD_CREDENTIALS');
  }
  if (!account.active) throw new AppError('ACCOUNT_INACTIVE');

  const security = await accountSecurity(db, account.id);
  let secondFactor = true;
  let totpStep: number | null = null;
  if (security.totpEnabled && security.totpSecret) {
    if (!input.totp) throw new AppError('TOTP_REQUIRED');
    totpStep = await checkTotp(policy.cipher().decrypt(security.totpSecret), input.totp, security.totpLastStep);
    if (totpStep === null) {
      await fail('totp');
      throw new AppError('TOTP_INVALID');
    }
  } else if (totpRequired(policy.passwordProfile, account.role)) {
    // Must enrol before doing anything else: the session opens only the enrolment routes (plugins/auth.ts).
    secondFactor = false;
  }
  const expired = passwordExpired(policy.passwordProfile, policy.passwordMaxAgeDays, security.passwordChangedAt);
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    if (totpStep !== null && !(await consumeTotpStep(tx, account.id, totpStep))) throw new AppError('TOTP_INVALID');
    if (input.previousToken) await deleteSession(tx, hashToken(input.previousToken));
    await recordLoginSuccess(tx, account.id);
    await clearFailures(tx, username, info.ip);
    if (expired && !account.mustChangePassword) await requirePasswordChange(tx, account.id);
    await insertSession(tx, hashToken(token), account.id, csrfToken, secondFactor);
    await recordAudit(tx, who, {
      action: 'auth.login',
      entity: 'account',
      entityId: account.id,
      after: { secondFactor: totpStep !== null ? 'totp' : secondFactor ? 'none' : 'enrolment_pending', expired },
    });
  });
  const fresh = expired ? { ...account, mustChangePassword: true } : account;
  return { token, csrfToken, account: fresh, secondFactor };
}

/** The step of a valid code (±1 step of clock drift), or null; a step used before is refused (no replay). */
async function checkTotp(secret: string, code: string, lastStep: number | null): Promise<number | null> {
  const result = await verifyTotp({
    secret,
    token: code,
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid ? ((result as { timeStep?: number }).timeStep ?? null) : null;
}

export async function logout(database: Database, token: string) {
  await deleteSession(database.db, hashToken(token));
}

export type SessionContext = {
  actor: Actor;
  account: AccountRow;
  csrfToken: string;
  tokenHash: string;
  /** False while an admin who must use TOTP has not enrolled. */
  secondFactor: boolean;
};

/**
 * Resolves a session cookie to the acting account. A session ends when idle longer than the idle timeout
 * or older than the absolute lifetime, however active; `last_seen_at` is written at most once a minute so
 * reads stay reads.
 */
export async function resolveSession(
  database: Database,
  token: string,
  policy: Pick<AuthPolicy, 'idleTimeoutMinutes' | 'sessionMaxHours'>,
  info: RequestInfo,
): Promise<SessionContext> {
  const tokenHash = hashToken(token);
  const session = await findSession(database.db, tokenHash);
  if (!session) throw new AppError('UNAUTHENTICATED');
  if (session.idle_seconds > policy.idleTimeoutMinutes * 60 || session.age_seconds > policy.sessionMaxHours * 3600) {
    await deleteSession(database.db, tokenHash);
    throw new AppError('SESSION_EXPIRED');
  }
  const account = await findAccountById(database.db, session.account_id);
  if (!account?.active) {
    await deleteSession(database.db, tokenHash);
    throw new AppError('UNAUTHENTICATED');
  }
  if (session.idle_seconds >= 60) await touchSession(database.db, tokenHash);
  return {
    actor: actorOf(account, info),
    account,
    csrfToken: session.csrf_token,
    tokenHash,
    secondFactor: session.second_factor,
  };
}

/** What the console needs to know of an account's TOTP: enrolled, required by the profile, still to enrol. */
export async function secondFactorState(
  database: Database,
  account: AccountRow,
  sessionSecondFactor: boolean,
  policy: Pick<AuthPolicy, 'passwordProfile'>,
) {
  const security = await accountSecurity(database.db, account.id);
  return {
    enabled: security.totpEnabled,
    required: totpRequired(policy.passwordProfile, account.role),
    pending: !sessionSecondFactor,
  };
}

/** 绑定身份验证器 Starts (or restarts) TOTP enrolment: a new secret, shown once as a QR code. */
export async function startTotpEnrolment(database: Database, ctx: SessionContext, policy: AuthPolicy) {
  // Re-binding would switch the second factor off: a stolen session must not be able to do that.
  if ((await accountSecurity(database.db, ctx.account.id)).totpEnabled) throw new AppError('TOTP_ALREADY_ENABLED');
  const secret = generateTotpSecret();
  await database.db.transaction(async (tx) => {
    await setPendingTotpSecret(tx, ctx.account.id, policy.cipher().encrypt(secret));
    await recordAudit(tx, ctx.actor, { action: 'auth.totp_setup', entity: 'account', entityId: ctx.account.id });
  });
  const otpauthUrl = generateTotpUri({ issuer: 'Jingwei 经纬', label: ctx.account.username, secret });
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  return { secret, otpauthUrl, qrDataUrl };
}

/** Confirms enrolment with a first code; the current session then counts as two-factor. */
export async function confirmTotpEnrolment(database: Database, ctx: SessionContext, code: string, policy: AuthPolicy) {
  const security = await accountSecurity(database.db, ctx.account.id);
  if (!security.totpSecret) throw new AppError('TOTP_NOT_STARTED');
  const step = await checkTotp(policy.cipher().decrypt(security.totpSecret), code, security.totpLastStep);
  if (step === null) {
    throw new AppError('VALIDATION', { errors: [{ field: 'code', message: 'TOTP_INVALID' }] });
  }
  await database.db.transaction(async (tx) => {
    await enableTotp(tx, ctx.account.id, step);
    await markSecondFactor(tx, ctx.tokenHash);
    await recordAudit(tx, ctx.actor, { action: 'auth.totp_enabled', entity: 'account', entityId: ctx.account.id });
  });
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
  profile: PasswordProfile = 'standard',
) {
  if (!(await verifyPassword(ctx.account.passwordHash, currentPassword))) {
    throw new AppError('WRONG_PASSWORD', { errors: [{ field: 'currentPassword', message: 'WRONG_PASSWORD' }] });
  }
  if (currentPassword === newPassword) {
    throw new AppError('SAME_PASSWORD', { errors: [{ field: 'newPassword', message: 'SAME_PASSWORD' }] });
  }
  const issues = passwordIssues(profile, newPassword, ctx.account.username);
  if (issues.length) {
    throw new AppError('PASSWORD_POLICY', {
      errors: issues.map((code) => ({ field: 'newPassword', message: codeMessage(code, ctx.actor.lang) ?? code })),
    });
  }
  const passwordHash = await hashPassword(newPassword);
  await database.db.transaction(async (tx) => {
    await updateAccount(tx, ctx.account.id, { passwordHash, mustChangePassword: false });
    await markPasswordChanged(tx, ctx.account.id);
    await deleteSessionsOfAccount(tx, ctx.account.id, ctx.tokenHash);
    await recordAudit(tx, ctx.actor, { action: 'auth.password_changed', entity: 'account', entityId: ctx.account.id });
  });
}

export function permissionsOf(account: AccountRow): Permission[] {
  return permissionsOfRole(account.role);
}

export { toAccount };
