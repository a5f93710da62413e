import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { postgis } from '@electric-sql/pglite-postgis';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { grantApplicationRole, roleOfUrl } from './roles.ts';
import * as schema from './schema/index.ts';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Drizzle = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = 'pglite' | 'postgresql';

export type DatabaseOptions =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob }
  | { kind: 'postgresql'; url: string; poolSize?: number };

/** One open database, embedded or server, behind the same Drizzle API. */
export class Database {
  private constructor(
    readonly kind: DatabaseKind,
    readonly db: Drizzle,
    private readonly closeFn: () => Promise<void>,
    readonly pglite: PGlite | null,
    readonly pool: pg.Pool | null,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    if (options.kind === 'postgresql') {
      const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
      const allClosed = trackConnections(pool);
      // Fail early with a clear message instead of on the first request.
      const client = await pool.connect();
      client.release();
      return new Database(
        'postgresql',
        drizzleNodePg(pool, { schema }) as unknown as Drizzle,
        async () => {
          await pool.end();
          await allClosed();
        },
        null,
        pool,
      );
    }
    let release = () => {};
    let dataDir: string | undefined;
    if (options.dataDir) {
      fs.mkdirSync(options.dataDir, { recursive: true });
      release = lockDataDir(options.dataDir);
      dataDir = path.join(options.dataDir, 'pgdata');
      // A killed server leaves postmaster.pid behind and PGlite 0.5.8 then hangs on open.
      // We hold the data-dir lock, so no other server uses it: the file is stale.
      fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
    }
    const client = await PGlite.create({
      dataDir,
      loadDataDir: options.loadDataDir,
      extensions: { postgis, btree_gist },
    });
    return new Database(
      'pglite',
      drizzlePglite(client, { schema }) as unknown as Drizzle,
      async () => {
        await client.close();
        release();
      },
      client,
      null,
    );
  }

  /** Runs a query and returns its rows. */
  async rows<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
    const result = (await this.db.execute(query)) as unknown as { rows: T[] };
    return result.rows;
  }

  /** Runs one parameterised statement on the driver directly (array parameters stay arrays). */
  async query<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    if (this.pglite) return (await this.pglite.query<T>(text, params)).rows;
    return (await this.pool!.query(text, params)).rows as T[];
  }

  /** Runs `fn` on one connection (for statements that must share it, like BEGIN … COMMIT). */
  async onConnection<T>(fn: (query: Database['query']) => Promise<T>): Promise<T> {
    if (this.pglite) return fn((text, params) => this.query(text, params));
    const client = await this.pool!.connect();
    try {
      return await fn(async (text, params = []) => (await client.query(text, params)).rows);
    } finally {
      client.release();
    }
  }

  /** Applies pending migrations; on PostgreSQL under an advisory lock so several app servers may start at once. */
  async migrate(): Promise<void> {
    if (this.kind === 'pglite') {
      await migratePglite(this.db as any, { migrationsFolder: MIGRATIONS_DIR });
      return;
    }
    const client = await this.pool!.connect();
    try {
      await client.query('SELECT pg_advisory_lock(7283001)');
      await migrateNodePg(drizzleNodePg(client) as any, { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client.query('SELECT pg_advisory_unlock(7283001)').catch(() => {});
      client.release();
    }
  }

  /** The tag of the last applied migration, e.g. "0001_core". */
  async migrationTag(): Promise<string> {
    const journal = readJournal();
    const [row] = await this.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
    ).catch(() => [{ n: 0 }]);
    const n = row?.n ?? 0;
    return n === 0 ? 'none' : (journal[n - 1]?.tag ?? `unknown-${n}`);
  }

  async postgisVersion(): Promise<string | null> {
    const [row] = await this.rows<{ v: string }>(
      sql`SELECT extversion AS v FROM pg_extension WHERE extname = 'postgis'`,
    );
    return row?.v ?? null;
  }

  async close(): Promise<void> {
    await this.closeFn();
  }
}

/**
 * The pool's connections until their sockets have closed. `pool.end()` resolves once it has asked every idle
 * connection to end, before the server has let it go; a `DROP DATABASE … WITH (FORCE)` right after it (the tests,
 * the benchmarks) then terminates a connection still ending, whose FATAL error arrives on a client the pool no
 * longer listens to — an uncaught exception. Closing waits for the sockets (at most 5 s). A connection the server
 * drops (a restart, an administrator) no longer crashes the process either: its query fails, and the pool opens a
 * new connection for the next one.
 */
function trackConnections(pool: pg.Pool): () => Promise<void> {
  const open = new Set<pg.Client>();
  pool.on('connect', (client) => {
    open.add(client);
    client.on('error', () => {});
    client.once('end', () => open.delete(client));
  });
  pool.on('error', () => {});
  return async () => {
    const deadline = Date.now() + 5_000;
    while (open.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  };
}

function readJournal(): { tag: string }[] {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8'));
  return journal.entries;
}

/**
 * One server per data dir: PGlite is single-process. The lock file holds our pid; a lock
 * left by a process that no longer exists (kill -9) is taken over.
 */
const lockedHere = new Set<string>();

function lockDataDir(dir: string): () => void {
  const lockFile = path.join(dir, 'jingwei.lock');
  if (lockedHere.has(lockFile)) throw new Error(`The data directory ${dir} is already open in this process.`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      lockedHere.add(lockFile);
      return () => {
        lockedHere.delete(lockFile);
        fs.rmSync(lockFile, { force: true });
      };
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The data directory ${dir} is in use by process ${holder}; stop it first or set JINGWEI_DATA_DIR.`,
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM';
  }
}

/**
 * Opens the database the configuration names and brings it to the latest migration. With an owner URL
 * (production on PostgreSQL, see server/db/roles.ts) the owner migrates and grants, and the application gets its
 * own, narrower role; `asOwner` (restore) works as the owner.
 */
export async function openConfiguredDatabase(
  config: { databaseUrl: string | null; ownerDatabaseUrl?: string | null; dataDir: string },
  options: { asOwner?: boolean } = {},
): Promise<Database> {
  if (config.databaseUrl && config.ownerDatabaseUrl) {
    const owner = await Database.open({ kind: 'postgresql', url: config.ownerDatabaseUrl, poolSize: 2 });
    try {
      await owner.migrate();
      await grantApplicationRole(owner, roleOfUrl(config.databaseUrl));
    } catch (err) {
      await owner.close();
      throw err;
    }
    if (options.asOwner) return owner;
    await owner.close();
    return Database.open({ kind: 'postgresql', url: config.databaseUrl });
  }
  const database = config.databaseUrl
    ? await Database.open({ kind: 'postgresql', url: config.databaseUrl })
    : await Database.open({ kind: 'pglite', dataDir: config.dataDir });
  await database.migrate();
  return database;
}
