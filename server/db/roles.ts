import type { Database } from './client.ts';

/**
 * Production on PostgreSQL with two roles (issue 11, "append-only for the application's database role"): the
 * owner (JINGWEI_OWNER_DATABASE_URL) owns the tables and runs migrations and restores; the application
 * (DATABASE_URL) connects as a role that may read and write the tables but may not UPDATE, DELETE or TRUNCATE the
 * audit log. The retention purge then runs as the owner through a SECURITY DEFINER `audit_purge`, whose trigger
 * still refuses rows younger than 180 days. Re-applied after every migration, so new tables are covered.
 */
export async function grantApplicationRole(owner: Database, role: string): Promise<void> {
  const r = quoteIdent(role);
  const statements = [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_purges FROM ${r}`,
    // search_path pinned: a definer function must not resolve names through the caller's schemas.
    'ALTER FUNCTION audit_purge(integer) SECURITY DEFINER SET search_path = public, pg_temp',
    'REVOKE ALL ON FUNCTION audit_purge(integer) FROM PUBLIC',
    `GRANT EXECUTE ON FUNCTION audit_purge(integer) TO ${r}`,
  ];
  for (const statement of statements) await owner.query(statement);
}

/** The role a connection URL logs in as (percent-decoded). */
export function roleOfUrl(url: string): string {
  const role = decodeURIComponent(new URL(url).username);
  if (!role) throw new Error('DATABASE_URL names no user: the application role must be explicit');
  return role;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
