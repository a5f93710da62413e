import crypto from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import type { Drizzle } from './client.ts';

/** A database handle or an open transaction: repositories accept either. */
export type Executor = Drizzle;

export async function many<T>(ex: Executor, query: SQL): Promise<T[]> {
  const result = (await ex.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function one<T>(ex: Executor, query: SQL): Promise<T | undefined> {
  return (await many<T>(ex, query))[0];
}

/**
 * `many` as a named prepared statement: PostgreSQL parses and plans it once per connection instead of on every
 * call (on the QR registration path planning was half of the database's time per request, docs/PERFORMANCE.md).
 * The name is derived from the statement text, so one name never stands for two texts. Only for statements of a
 * fixed shape (no lists whose length varies), on hot paths: each distinct text stays prepared on every pooled
 * connection. PGlite runs it as an ordinary query.
 */
export async function manyPrepared<T>(ex: Executor, query: SQL): Promise<T[]> {
  const { session, dialect } = ex as unknown as {
    session: {
      prepareQuery(q: unknown, fields: undefined, name: string, arrayMode: boolean): { execute(): Promise<unknown> };
    };
    dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } };
  };
  const compiled = dialect.sqlToQuery(query);
  const name = `jw_${crypto.createHash('sha1').update(compiled.sql).digest('hex').slice(0, 20)}`;
  const result = (await session.prepareQuery(compiled, undefined, name, false).execute()) as { rows: T[] };
  return result.rows;
}

export async function onePrepared<T>(ex: Executor, query: SQL): Promise<T | undefined> {
  return (await manyPrepared<T>(ex, query))[0];
}

/** Escapes LIKE wildcards in user text. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** ISO string of a timestamp column, whichever driver produced it. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}
