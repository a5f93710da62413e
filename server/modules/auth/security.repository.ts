import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { one } from '../../db/sql.ts';

/**
 * Failed logins per (username as typed, lower-cased; IP) — also for names that do not exist — and the
 * TOTP and password-age columns of accounts (migration 0012). Auth owns these; the accounts module owns
 * the rest of the account row.
 */

/** Whether this (username, ip) pair — or the username from every IP ('*') — is locked now. */
export async function loginLocked(ex: Executor, username: string, ip: string): Promise<boolean> {
  const r = await one<{ locked: boolean }>(
    ex,
    sql`SELECT EXISTS (SELECT 1 FROM login_failures WHERE username = lower(${username}) AND ip IN (${ip}, '*')
                         AND locked_until > now()) AS locked`,
  );
  return r?.locked ?? false;
}

/**
 * Counts a failure for (username, ip) and for (username, '*'); the `perIp`-th failure in a row from one IP,
 * or the `overall`-th from all IPs together, locks for `minutes`. Returns whether the pair is locked now.
 */
export async function recordFailure(
  ex: Executor,
  username: string,
  ip: string,
  limits: { perIp: number; overall: number; minutes: number },
): Promise<boolean> {
  let locked = false;
  for (const [key, lockAfter] of [
    [ip, limits.perIp],
    ['*', limits.overall],
  ] as const) {
    const r = await one<{ locked: boolean }>(
      ex,
      sql`INSERT INTO login_failures AS f (username, ip, failures, locked_until)
          VALUES (lower(${username}), ${key}, CASE WHEN ${lockAfter} <= 1 THEN 0 ELSE 1 END,
                  CASE WHEN ${lockAfter} <= 1 THEN now() + make_interval(mins => ${limits.minutes}) END)
          ON CONFLICT (username, ip) DO UPDATE SET
            failures = CASE WHEN f.failures + 1 >= ${lockAfter} THEN 0 ELSE f.failures + 1 END,
            locked_until = CASE WHEN f.failures + 1 >= ${lockAfter}
                                THEN now() + make_interval(mins => ${limits.minutes}) ELSE f.locked_until END,
            updated_at = now()
          RETURNING (locked_until IS NOT NULL AND locked_until > now()) AS locked`,
    );
    if (r?.locked) locked = true;
  }
  return locked;
}

/** A successful login clears the pair and the all-IP counter. */
export async function clearFailures(ex: Executor, username: string, ip: string): Promise<void> {
  await ex.execute(sql`DELETE FROM login_failures WHERE username = lower(${username}) AND ip IN (${ip}, '*')`);
}

export type AccountSecurity = {
  passwordChangedAt: Date;
  totpSecret: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
};

export async function accountSecurity(ex: Executor, accountId: number): Promise<AccountSecurity> {
  const r = await one<{
    password_changed_at: string | Date;
    totp_secret: string | null;
    totp_enabled_at: unknown;
    totp_last_step: string | number | null;
  }>(
    ex,
    sql`SELECT password_changed_at, totp_secret, totp_enabled_at, totp_last_step FROM accounts WHERE id = ${accountId}`,
  );
  return {
    passwordChangedAt: new Date(r?.password_changed_at ?? Date.now()),
    totpSecret: r?.totp_secret ?? null,
    totpEnabled: r?.totp_enabled_at != null,
    totpLastStep: r?.totp_last_step == null ? null : Number(r.totp_last_step),
  };
}

export async function setPendingTotpSecret(ex: Executor, accountId: number, sealed: string): Promise<void> {
  await ex.execute(
    sql`UPDATE accounts SET totp_secret = ${sealed}, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = ${accountId}`,
  );
}

export async function clearTotp(ex: Executor, accountId: number): Promise<void> {
  await ex.execute(
    sql`UPDATE accounts SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = ${accountId}`,
  );
}

export async function enableTotp(ex: Executor, accountId: number, step: number): Promise<void> {
  await ex.execute(sql`UPDATE accounts SET totp_enabled_at = now(), totp_last_step = ${step} WHERE id = ${accountId}`);
}

/** Records the step of a code just used; false when a concurrent login used this step (or a later one) first. */
export async function consumeTotpStep(ex: Executor, accountId: number, step: number): Promise<boolean> {
  const r = await one<{ id: number }>(
    ex,
    sql`UPDATE accounts SET totp_last_step = ${step}
        WHERE id = ${accountId} AND (totp_last_step IS NULL OR totp_last_step < ${step}) RETURNING id`,
  );
  return !!r;
}

export async function markPasswordChanged(ex: Executor, accountId: number): Promise<void> {
  await ex.execute(sql`UPDATE accounts SET password_changed_at = now() WHERE id = ${accountId}`);
}

export async function requirePasswordChange(ex: Executor, accountId: number): Promise<void> {
  await ex.execute(sql`UPDATE accounts SET must_change_password = true WHERE id = ${accountId}`);
}
