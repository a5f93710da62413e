import crypto from 'node:crypto';
import { is, type SQL } from 'drizzle-orm';
import { PgliteSession } from 'drizzle-orm/pglite';
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
 * `many` as a prepared statement: PostgreSQL parses and plans it once per connection instead of on every call
 * (on the QR registration path planning was half of the database's time per request, docs/PERFORMANCE.md).
 * The name is derived from the statement text, so one name never stands for two texts. Only for statements of a
 * fixed shape (no lists whose length varies), on hot paths: each distinct text stays prepared on every pooled
 * connection. On PostgreSQL it is a protocol-level named statement (node-postgres); on PGlite see `pglitePrepared`.
 */
export async function manyPrepared<T>(ex: Executor, query: SQL): Promise<T[]> {
  const { session, dialect } = ex as unknown as {
    session: {
      prepareQuery(q: unknown, fields: undefined, name: string, arrayMode: boolean): { execute(): Promise<unknown> };
    };
    dialect: object & { sqlToQuery(q: SQL): { sql: string; params: unknown[] } };
  };
  const compiled = dialect.sqlToQuery(query);
  const name = `jw_${crypto.createHash('sha1').update(compiled.sql).digest('hex').slice(0, 20)}`;
  if (is(session, PgliteSession)) {
    const { client } = session as unknown as { client: PgliteClient };
    const rows = await pglitePrepared<T>(client, dialect, name, compiled);
    if (rows) return rows;
  }
  const result = (await session.prepareQuery(compiled, undefined, name, false).execute()) as { rows: T[] };
  return result.rows;
}

type PgliteClient = { exec<T>(text: string, options?: object): Promise<{ rows: T[] }[]> };

/** Statement names prepared in each embedded database's session (keyed by its Drizzle dialect, one per database). */
const pglitePreparedNames = new WeakMap<object, Map<string, 'ready' | 'unusable'>>();
/** The result parsers drizzle-orm's PGlite driver uses (timestamps, dates and intervals stay text). */
const PGLITE_TEXT_TYPES = [1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182];
const pgliteParsers = Object.fromEntries(PGLITE_TEXT_TYPES.map((oid) => [oid, (value: string) => value]));

/**
 * PGlite's `query` parses, describes and plans every statement again (≈ 0.5 ms of WebAssembly for a bare
 * `SELECT 1`, 0.7–0.8 ms more to plan a registration statement), and it has no protocol-level named statements.
 * So the statement is `PREPARE`d once in the embedded session and run as `EXECUTE name('literal', …)`: the values are
 * inlined as quoted literals (`E'…'`, backslashes and quotes doubled), each coerced by
 * PostgreSQL to the parameter's type as a text parameter would be. Values it cannot inline safely (arrays, objects,
 * NUL characters) return null and the caller runs the ordinary query. A prepared statement is session state, not
 * rolled back with a transaction; if it stops working (a migration changed a result type) that text goes back to
 * ordinary queries.
 */
async function pglitePrepared<T>(
  client: PgliteClient,
  dialect: object,
  name: string,
  compiled: { sql: string; params: unknown[] },
): Promise<T[] | null> {
  let names = pglitePreparedNames.get(dialect);
  if (!names) {
    names = new Map();
    pglitePreparedNames.set(dialect, names);
  }
  const state = names.get(name);
  if (state === 'unusable') return null;
  const args: string[] = [];
  for (const value of compiled.params) {
    const text = sqlLiteral(value);
    if (text === null) return null;
    args.push(text);
  }
  if (!state) {
    await client.exec(`PREPARE ${name} AS ${compiled.sql}`);
    names.set(name, 'ready');
  }
  try {
    const call = args.length ? `EXECUTE ${name}(${args.join(', ')})` : `EXECUTE ${name}`;
    // The simple query protocol: one exchange with the embedded server instead of parse, describe and bind.
    const [result] = await client.exec<T>(call, { rowMode: 'object', parsers: pgliteParsers });
    return result.rows;
  } catch (err) {
    // 0A000: "cached plan must not change result type"; 26000: the statement is gone.
    const code = (err as { code?: string }).code;
    if (code === '0A000' || code === '26000') names.set(name, 'unusable');
    throw err;
  }
}

/** A value as a quoted SQL literal, or null when it is not one this module inlines. */
export function sqlLiteral(value: unknown): string | null {
  if (value === null || value === undefined) return 'NULL';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    text = value.toISOString();
  } else if (value instanceof Uint8Array)
    text = `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  else return null;
  if (text.includes('\0')) return null;
  // An E'' literal reads the same whatever standard_conforming_strings is: backslashes and quotes doubled.
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
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
