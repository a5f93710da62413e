import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../seed/demo.ts';
import { withDatabase } from '../test/global-setup.ts';
import { openTestDatabase } from '../test/harness.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { Database } from './client.ts';
import { many } from './sql.ts';

const run = promisify(execFile);
let source: Database;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-backup-'));
const file = path.join(dir, 'demo.jwbak');

/**
 * A fingerprint of every table of the public schema (whatever later migrations add): row count and an
 * order-independent hash of the rows' text.
 */
async function fingerprint(db: Database) {
  const tables = (
    await db.query<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' ORDER BY 1`,
    )
  ).map((r) => r.t);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const [r] = await db.query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS h FROM ${t} t`,
    );
    out[t] = `${r.n}:${r.h}`;
  }
  expect(Object.keys(out).length).toBeGreaterThan(30);
  return out;
}

beforeAll(async () => {
  source = await openTestDatabase();
  await seedDemo(source, 'Demo2026pass');
  // Volume of the full-scale demo district (~140k rows), so backup is proven beyond toy sizes.
  await source.db.execute(sql`
    INSERT INTO audit_log (district_id, action, entity, entity_id, after)
    SELECT 1, 'bulk.test', 'row', g::text, jsonb_build_object('n', g, 'name', '青年' || g)
    FROM generate_series(1, 140000) g`);
}, 400_000);
afterAll(async () => {
  await source?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round-trips the full-size database into a fresh one exactly', async () => {
    const written = await backupDatabase(source, file);
    expect(written.rows).toBeGreaterThan(140_000);
    const target = await openTestDatabase();
    try {
      const restored = await restoreDatabase(target, file);
      expect(restored.rows).toBe(written.rows);
      expect(await fingerprint(target)).toEqual(await fingerprint(source));
      // Sequences continue after the restored ids.
      const [{ id }] = await many<{ id: number }>(
        target.db,
        sql`INSERT INTO districts (code, name) VALUES ('999999', '新区') RETURNING id`,
      );
      expect(id).toBeGreaterThan(1);
      await expect(restoreDatabase(target, file)).rejects.toThrow(/already holds data/);
    } finally {
      await target.close();
    }
  }, 400_000);

  it('a damaged backup restores nothing', async () => {
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString().split('\n');
    const orgLine = lines.findIndex((l) => l.startsWith('{"table":"orgs"'));
    lines[orgLine + 3] = JSON.stringify('(not,a,valid,row');
    const damaged = path.join(dir, 'damaged.jwbak');
    fs.writeFileSync(damaged, zlib.gzipSync(lines.join('\n')));
    const target = await openTestDatabase();
    try {
      await expect(restoreDatabase(target, damaged)).rejects.toThrow();
      const [r] = await target.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM districts) + (SELECT count(*) FROM orgs) AS n',
      );
      expect(Number(r.n)).toBe(0);
    } finally {
      await target.close();
    }
  }, 300_000);

  // The README's move from the embedded database to PostgreSQL, and back.
  const serverUrl = process.env.TEST_DATABASE_URL;
  it.skipIf(!serverUrl || process.env.JW_TEST_DB === 'postgresql')(
    'moves a PGlite backup into PostgreSQL and back without a difference',
    async () => {
      const name = `jw_x_${process.pid}_${Date.now()}`;
      const admin = await Database.open({ kind: 'postgresql', url: serverUrl!, poolSize: 1 });
      await admin.query(`CREATE DATABASE ${name}`);
      const pg = await Database.open({ kind: 'postgresql', url: withDatabase(serverUrl!, name), poolSize: 2 });
      const back = await openTestDatabase();
      try {
        // Through the CLI, as an operator would (migrate + restore, then backup), against DATABASE_URL.
        const cliEnv = { ...process.env, DATABASE_URL: withDatabase(serverUrl!, name), JINGWEI_DATA_DIR: dir };
        await run('npx', ['tsx', 'server/main.ts', 'restore', file], { env: cliEnv });
        expect(await fingerprint(pg)).toEqual(await fingerprint(source));
        const fromPg = path.join(dir, 'from-pg.jwbak');
        await run('npx', ['tsx', 'server/main.ts', 'backup', fromPg], { env: cliEnv });
        await restoreDatabase(back, fromPg);
        expect(await fingerprint(back)).toEqual(await fingerprint(source));
      } finally {
        await pg.close();
        await back.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      }
    },
    500_000,
  );
});
