import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { one } from '../../db/sql.ts';

export async function insertSession(
  ex: Executor,
  tokenHash: string,
  accountId: number,
  csrfToken: string,
  secondFactor = true,
) {
  await ex.execute(
    sql`INSERT INTO sessions (token_hash, account_id, csrf_token, second_factor)
        VALUES (${tokenHash}, ${accountId}, ${csrfToken}, ${secondFactor})`,
  );
}

/** The session, how many seconds it has been idle and how old it is (measured by the database clock). */
export async function findSession(ex: Executor, tokenHash: string) {
  return one<{
    account_id: number;
    csrf_token: string;
    idle_seconds: number;
    age_seconds: number;
    second_factor: boolean;
  }>(
    ex,
    sql`SELECT account_id, csrf_token, extract(epoch FROM now() - last_seen_at)::int AS idle_seconds,
               extract(epoch FROM now() - created_at)::int AS age_seconds, second_factor
        FROM sessions WHERE token_hash = ${tokenHash}`,
  );
}

/** The session passed its second factor (TOTP enrolment confirmed in it). */
export async function markSecondFactor(ex: Executor, tokenHash: string) {
  await ex.execute(sql`UPDATE sessions SET second_factor = true WHERE token_hash = ${tokenHash}`);
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
