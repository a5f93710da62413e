import { type SQL, sql } from 'drizzle-orm';
import type { Account, Role } from '../../../domain/account.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, likeEscape, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

export type AccountRow = Account & {
  passwordHash: string;
  failedLogins: number;
  /** Path of the bound org: the account's scope. */
  orgPath: string | null;
};

const SELECT_ACCOUNT = sql`
  SELECT a.id, a.username, a.display_name, a.role, a.district_id, a.org_id, o.name AS org_name, o.path AS org_path,
         a.active, a.must_change_password, a.locked_until, a.last_login_at, a.created_at,
         a.password_hash, a.failed_logins
  FROM accounts a LEFT JOIN orgs o ON o.id = a.org_id`;

function toAccountRow(r: any): AccountRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    districtId: r.district_id,
    orgId: r.org_id,
    orgName: r.org_name ?? null,
    orgPath: r.org_path ?? null,
    active: r.active,
    mustChangePassword: r.must_change_password,
    lockedUntil: isoOrNull(r.locked_until),
    lastLoginAt: isoOrNull(r.last_login_at),
    createdAt: iso(r.created_at),
    passwordHash: r.password_hash,
    failedLogins: r.failed_logins,
  };
}

/** The public view of an account (no hash, no counters). */
export function toAccount(row: AccountRow): Account {
  const { passwordHash: _h, failedLogins: _f, orgPath: _p, ...account } = row;
  return account;
}

export async function findAccountByUsername(ex: Executor, username: string): Promise<AccountRow | undefined> {
  const r = await one(ex, sql`${SELECT_ACCOUNT} WHERE lower(a.username) = lower(${username})`);
  return r ? toAccountRow(r) : undefined;
}

export async function findAccountById(ex: Executor, id: number): Promise<AccountRow | undefined> {
  const r = await one(ex, sql`${SELECT_ACCOUNT} WHERE a.id = ${id}`);
  return r ? toAccountRow(r) : undefined;
}

/** An account the actor may see: bound to an org inside the actor's subtree. */
export async function findScopedAccount(
  ex: Executor,
  actor: Actor,
  districtId: number,
  id: number,
): Promise<AccountRow | undefined> {
  const r = await one(ex, sql`${SELECT_ACCOUNT} WHERE a.id = ${id} AND ${orgScopeCondition(actor, districtId)}`);
  return r ? toAccountRow(r) : undefined;
}

export async function listScopedAccounts(
  ex: Executor,
  actor: Actor,
  districtId: number,
  f: { q?: string; orgId?: number; role?: Role; page: number; pageSize: number },
) {
  const conds: SQL[] = [orgScopeCondition(actor, districtId)];
  if (f.q) {
    const like = `%${likeEscape(f.q.toLowerCase())}%`;
    conds.push(sql`(lower(a.username) LIKE ${like} OR lower(a.display_name) LIKE ${like})`);
  }
  if (f.orgId) conds.push(sql`a.org_id = ${f.orgId}`);
  if (f.role) conds.push(sql`a.role = ${f.role}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM accounts a JOIN orgs o ON o.id = a.org_id WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${SELECT_ACCOUNT} WHERE ${where} ORDER BY o.path, a.username LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map((r) => toAccount(toAccountRow(r))) };
}

export async function insertAccount(
  ex: Executor,
  a: {
    districtId: number | null;
    orgId: number | null;
    username: string;
    displayName: string;
    role: Role;
    passwordHash: string;
    mustChangePassword: boolean;
  },
): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO accounts (district_id, org_id, username, display_name, role, password_hash, must_change_password)
        VALUES (${a.districtId}, ${a.orgId}, ${a.username}, ${a.displayName}, ${a.role}, ${a.passwordHash}, ${a.mustChangePassword})
        RETURNING id`,
  );
  return r!.id;
}

export async function updateAccount(
  ex: Executor,
  id: number,
  patch: Partial<{
    displayName: string;
    role: Role;
    orgId: number;
    active: boolean;
    passwordHash: string;
    mustChangePassword: boolean;
  }>,
): Promise<void> {
  const sets: SQL[] = [];
  if (patch.displayName !== undefined) sets.push(sql`display_name = ${patch.displayName}`);
  if (patch.role !== undefined) sets.push(sql`role = ${patch.role}`);
  if (patch.orgId !== undefined) sets.push(sql`org_id = ${patch.orgId}`);
  if (patch.active !== undefined) sets.push(sql`active = ${patch.active}`);
  if (patch.passwordHash !== undefined)
    sets.push(sql`password_hash = ${patch.passwordHash}, failed_logins = 0, locked_until = NULL`);
  if (patch.mustChangePassword !== undefined) sets.push(sql`must_change_password = ${patch.mustChangePassword}`);
  if (!sets.length) return;
  await ex.execute(sql`UPDATE accounts SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

/**
 * Counts a failed login; the `lockAfter`-th failure in a row locks the account for `lockMinutes`.
 * Returns whether the account is now locked. One statement, so concurrent failures all count.
 */
export async function recordLoginFailure(ex: Executor, id: number, lockAfter: number, lockMinutes: number) {
  const r = await one<{ locked: boolean }>(
    ex,
    sql`UPDATE accounts SET
          failed_logins = CASE WHEN failed_logins + 1 >= ${lockAfter} THEN 0 ELSE failed_logins + 1 END,
          locked_until = CASE WHEN failed_logins + 1 >= ${lockAfter}
                              THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END
        WHERE id = ${id}
        RETURNING (locked_until IS NOT NULL AND locked_until > now()) AS locked`,
  );
  return r?.locked ?? false;
}

export async function recordLoginSuccess(ex: Executor, id: number): Promise<void> {
  await ex.execute(
    sql`UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = ${id}`,
  );
}

/** Active accounts bound to any org of the given ids (used to refuse deactivating such an org). */
export async function countActiveAccountsOfOrg(ex: Executor, orgId: number): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM accounts WHERE org_id = ${orgId} AND active`,
  );
  return r?.n ?? 0;
}

/** Direct account counts per org of a district, for the tree's roll-up. */
export async function countAccountsByOrg(ex: Executor, districtId: number): Promise<Map<number, number>> {
  const rows = await many<{ org_id: number; n: number }>(
    ex,
    sql`SELECT org_id, count(*)::int AS n FROM accounts WHERE district_id = ${districtId} AND active AND org_id IS NOT NULL GROUP BY org_id`,
  );
  return new Map(rows.map((r) => [r.org_id, r.n]));
}
