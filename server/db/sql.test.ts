/**
 * manyPrepared answers exactly what many does, on both databases. On PGlite it runs `EXECUTE name(literal, …)` with
 * the values inlined (server/db/sql.ts), so this is where quoting is proven: quotes, backslashes, an attempt to
 * break out of the literal, Unicode, bytes, NULL, numbers, booleans, dates — each read back unchanged, with the
 * same types as an ordinary query; a prepared statement outlives a rolled-back transaction; values it does not
 * inline fall back to an ordinary query.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test/harness.ts';
import type { Database } from './client.ts';
import { many, manyPrepared, sqlLiteral } from './sql.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await database.query('CREATE TABLE sql_test (id serial PRIMARY KEY, t text, b bytea, n numeric, at timestamptz)');
});
afterAll(() => database?.close());

const HOSTILE = [
  "it's",
  "''",
  '\\',
  "\\'",
  "\\''); DROP TABLE sql_test; --",
  "E'x'",
  '$$ $1 $tag$',
  '青年 👩‍🎓 \u200b',
  'line\nbreak\ttab',
  '',
];

describe('manyPrepared', () => {
  it('reads back every hostile text unchanged, as many does', async () => {
    for (const text of HOSTILE) {
      const q = () => sql`SELECT ${text}::text AS t, length(${text}::text) AS len`;
      const prepared = await manyPrepared<{ t: string; len: number }>(database.db, q());
      expect(prepared).toEqual(await many(database.db, q()));
      expect(prepared[0].t).toBe(text);
    }
    expect((await database.query<{ n: number }>('SELECT count(*)::int AS n FROM sql_test'))[0].n).toBe(0);
    if (database.kind === 'pglite') {
      // …and it went through EXECUTE: the statement is prepared in the embedded session.
      const [{ n }] = await database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'jw\\_%' AND statement LIKE '%length(%'",
      );
      expect(n).toBe(1);
    }
  });

  it('writes and reads bytes, numbers, booleans, NULL and instants with the types of an ordinary query', async () => {
    const bytes = Buffer.from([0, 1, 39, 92, 255]);
    const at = new Date('2026-12-02T01:02:03.456Z');
    const insert = (t: string | null) =>
      sql`INSERT INTO sql_test (t, b, n, at) VALUES (${t}, ${bytes}, ${-12.5}, ${at.toISOString()}) RETURNING id`;
    const [{ id }] = await manyPrepared<{ id: number }>(database.db, insert("o'k"));
    await manyPrepared(database.db, insert(null));
    const read = () =>
      sql`SELECT t, b, n, at, at > ${at.toISOString()}::timestamptz - interval '1 second' AS recent, ${true}::boolean AS yes,
                 ${42}::int AS answer, ${9007199254740993n}::bigint AS big
          FROM sql_test WHERE id >= ${id} ORDER BY id`;
    const prepared = await manyPrepared<Record<string, unknown>>(database.db, read());
    expect(prepared).toEqual(await many(database.db, read()));
    expect(prepared).toHaveLength(2);
    expect(Buffer.from(prepared[0].b as Uint8Array).equals(bytes)).toBe(true);
    expect(prepared[0].t).toBe("o'k");
    expect(prepared[1].t).toBeNull();
    expect(prepared[0].recent).toBe(true);
    expect(prepared[0].answer).toBe(42);
  });

  it('keeps working after a transaction that used it rolled back', async () => {
    const q = (v: string) => sql`SELECT ${v}::text || '!' AS t`;
    await expect(
      database.db.transaction(async (tx) => {
        expect((await manyPrepared<{ t: string }>(tx, q('in')))[0].t).toBe('in!');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await manyPrepared<{ t: string }>(database.db, q('after')))[0].t).toBe('after!');
  });

  it('falls back to an ordinary query for values it does not inline', async () => {
    const q = () => sql`SELECT ${{ a: "it's" }}::jsonb AS j`;
    const prepared = await manyPrepared(database.db, q());
    expect(prepared).toEqual(await many(database.db, q()));
    expect(prepared).toEqual([{ j: { a: "it's" } }]);
  });
});

describe('sqlLiteral', () => {
  it('quotes as an E-string, doubling backslashes and quotes', () => {
    expect(sqlLiteral("a'b\\c")).toBe("E'a''b\\\\c'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(undefined)).toBe('NULL');
    expect(sqlLiteral(3)).toBe("E'3'");
    expect(sqlLiteral(false)).toBe("E'false'");
    expect(sqlLiteral(Buffer.from([1, 255]))).toBe("E'\\\\x01ff'");
  });
  it('refuses what it cannot inline safely', () => {
    expect(sqlLiteral([1])).toBeNull();
    expect(sqlLiteral({ a: 1 })).toBeNull();
    expect(sqlLiteral(Number.NaN)).toBeNull();
    expect(sqlLiteral('a\u0000b')).toBeNull();
    expect(sqlLiteral(new Date(Number.NaN))).toBeNull();
  });
});
