import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { one } from '../../db/sql.ts';

export async function insertSession(ex: Executor, tokenHash: string, accountId: number, csrfToken: string) {
  await ex.execute(
    sql`INSERT INTO sessions (token_hash, account_id, csrf_token) VALUES (${tokenHash}, ${accountId}, ${csrfToken})`,
  );
}

/** The session and how many seconds it has been idle (measured by the database clock). */
export async function findSession(ex: Executor, tokenHash: string) {
  return one<{ account_id: number; csrf_token: string; idle_seconds: number }>(
    ex,
    sql`SELECT account_id, csrf_token, extract(epoch FROM now() - last_seen_at)::int AS idle_seconds
        FROM sessions WHERE token_hash = ${tokenHash}`,
  );
}

export async function touchSession(ex: Executor, tokenHash: string) {
  await ex.execute(sql`UPDATE sessions SET last_seen_at = now() WHERE token_hash = ${tokenHash}`);
}

export async function deleteSession(ex: Executor, tokenHash: string) {
  await ex.execute(sql`DELETE FROM sessions WHERE token_hash = ${tokenHash}`);
}

/** Ends every session of an account (password change, deactivation). */
export async function deleteSessionsOfAccount(ex: Executor, accountId: number, exceptTokenHash?: string) {
  await ex.execute(
    sql`DELETE FROM sessions WHERE account_id = ${accountId} AND token_hash <> ${exceptTokenHash ?? ''}`,
  );
}
