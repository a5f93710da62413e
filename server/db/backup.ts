import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import type { Database } from './client.ts';

/**
 * Logical backup in one gzip'd JSON-lines file, the same on PGlite and PostgreSQL: every row of every
 * table of the public schema in PostgreSQL's own text form (`row::text`), so every type (jsonb,
 * PostGIS geometry as hex EWKB, arrays, timestamps) round-trips exactly. Written batch by batch
 * (PGlite's pgDump fails on larger databases; this does not hold a table in memory).
 */
const FORMAT = 'jingwei-backup';
const BATCH = 2000;
/** Tables of large rows are read and restored in smaller batches (a photo is up to a few MB as hex text). */
const BATCH_ROWS: Record<string, number> = { photos: 20 };
/** Tables that reference themselves must be written parents first. */
const ROW_ORDER: Record<string, string> = { orgs: 'depth, id' };
/** PostGIS's own catalogue table is created by the extension, not by us. */
const SKIP = new Set(['spatial_ref_sys']);

type Header = { format: string; version: 1; migration: string; createdAt: string; tables: string[] };

/** Our tables, ordered so that every table comes after the tables it references. */
async function tablesInDependencyOrder(database: Database): Promise<string[]> {
  const tables = (
    await database.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    )
  )
    .map((r) => r.name)
    .filter((t) => !SKIP.has(t));
  const edges = await database.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND c.relname <> p.relname`,
  );
  const ordered: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (ordered.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const e of edges) if (e.child === t) visit(e.parent, seen);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function backupDatabase(database: Database, file: string): Promise<{ tables: number; rows: number }> {
  const tables = await tablesInDependencyOrder(database);
  const gzip = zlib.createGzip();
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);
  const write = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`)) await new Promise((r) => gzip.once('drain', r));
  };
  const header: Header = {
    format: FORMAT,
    version: 1,
    migration: await database.migrationTag(),
    createdAt: new Date().toISOString(),
    tables,
  };
  await write(header);
  // One snapshot for the whole file, read through a cursor so no table is held in memory.
  const rows = await database.onConnection(async (query) => {
    await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      let total = 0;
      for (const table of tables) {
        const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(table)}`);
        await write({ table, count: n });
        await query(
          `DECLARE backup_rows NO SCROLL CURSOR FOR SELECT t::text AS r FROM ${ident(table)} t ${ROW_ORDER[table] ? `ORDER BY ${ROW_ORDER[table]}` : ''}`,
        );
        for (;;) {
          const size = BATCH_ROWS[table] ?? BATCH;
          const batch = await query<{ r: string }>(`FETCH ${size} FROM backup_rows`);
          for (const { r } of batch) await write(r);
          total += batch.length;
          if (batch.length < size) break;
        }
        await query('CLOSE backup_rows');
      }
      return total;
    } finally {
      await query('COMMIT');
    }
  });
  gzip.end();
  await done;
  return { tables: tables.length, rows };
}

/**
 * Restores a backup into a migrated database of the same migration. Refuses a database that
 * already holds data unless `force`, which empties it first. All or nothing: one transaction.
 */
export async function restoreDatabase(database: Database, file: string, force = false) {
  const lines = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Infinity,
  });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = JSON.parse(first.value ?? '{}') as Header;
  if (header.format !== FORMAT) throw new Error(`${file} is not a Jingwei backup`);
  const migration = await database.migrationTag();
  if (header.migration !== migration) {
    throw new Error(
      `The backup is at migration ${header.migration}, this database at ${migration}; run the matching version.`,
    );
  }
  const [{ n }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM districts');
  if (n > 0 && !force) throw new Error('The target database already holds data; pass --force to replace it.');

  return database.onConnection(async (query) => {
    await query('BEGIN');
    try {
      // The audit log is append-only and hash-chained (migration 0012): a restore may empty it and loads
      // the rows with the links they had, for this transaction only.
      await query(`SELECT set_config('jingwei.audit_restore', 'on', true)`);
      // The roll-up counters (migration 0013) are restored as they were: their triggers stand aside.
      await query(`SELECT set_config('jingwei.rollups_restore', 'on', true)`);
      if (header.tables.length) await query(`TRUNCATE ${header.tables.map(ident).join(', ')} CASCADE`);
      let table = '';
      let batch: string[] = [];
      let rows = 0;
      const flush = async () => {
        if (!batch.length) return;
        await query(`INSERT INTO ${ident(table)} SELECT (r::${ident(table)}).* FROM unnest($1::text[]) AS r`, [batch]);
        rows += batch.length;
        batch = [];
      };
      for (let line = await iterator.next(); !line.done; line = await iterator.next()) {
        if (!line.value) continue;
        const value = JSON.parse(line.value);
        if (typeof value === 'string') {
          batch.push(value);
          if (batch.length >= (BATCH_ROWS[table] ?? BATCH)) await flush();
        } else {
          await flush();
          table = value.table;
        }
      }
      await flush();
      await resetSequences(query);
      await query('COMMIT');
      return { tables: header.tables.length, rows };
    } catch (err) {
      await query('ROLLBACK');
      throw err;
    }
  });
}

/** Moves every serial/identity sequence past the restored ids. */
async function resetSequences(query: Database['query']) {
  const columns = await query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
  );
  for (const c of columns) {
    await query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(c.column_name)}) FROM ${ident(c.table_name)}), 0) + 1, false)`,
      [c.table_name, c.column_name],
    );
  }
}
