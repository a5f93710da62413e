/**
 * Production with two PostgreSQL roles (server/db/roles.ts): the application's role may write everything but
 * the audit log's history. PostgreSQL only (PGlite has one user).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { buildWorld, PASSWORD } from '../test/factories.ts';
import { withDatabase } from '../test/global-setup.ts';
import { Client } from '../test/harness.ts';
import { Database, openConfiguredDatabase } from './client.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const onPostgres = !!serverUrl && process.env.JW_TEST_DB === 'postgresql';
const name = `jw_roles_${process.pid}`;
const role = `jw_app_${process.pid}`;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe.skipIf(!onPostgres)('application role (JINGWEI_OWNER_DATABASE_URL)', () => {
  it('works as the app role, which cannot rewrite, delete or truncate the audit log; the purge still runs', async () => {
    const admin = await Database.open({ kind: 'postgresql', url: serverUrl!, poolSize: 1 });
    cleanups.push(() => admin.close());
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    });
    const ownerUrl = withDatabase(serverUrl!, name);
    const appUrl = new URL(ownerUrl);
    appUrl.username = role;
    appUrl.password = '';

    const config = loadConfig({
      LOG_LEVEL: 'silent',
      JINGWEI_WEB_DIST: '/nonexistent',
      DATABASE_URL: appUrl.toString(),
      JINGWEI_OWNER_DATABASE_URL: ownerUrl,
    });
    const database = await openConfiguredDatabase(config);
    cleanups.push(() => database.close());
    const [who] = await database.query<{ u: string }>('SELECT current_user AS u');
    expect(who.u).toBe(role);

    // The owner builds the world; the application, as its own role, logs in (an audited write).
    const owner = await Database.open({ kind: 'postgresql', url: ownerUrl, poolSize: 2 });
    cleanups.push(() => owner.close());
    const world = await buildWorld(owner);
    const app = await buildApp(config, database);
    cleanups.push(() => app.close());
    const client = new Client(app);
    expect((await client.login('admin_a', PASSWORD)).statusCode).toBe(200);
    const created = await client.post('/api/orgs', {
      name: '角色测试村团支部',
      kind: 'village_branch',
      parentId: world.t1.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const [rows] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(rows.n).toBeGreaterThan(0);

    await expect(database.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/permission denied/);
    await expect(database.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
    await expect(database.query('TRUNCATE audit_log')).rejects.toThrow(/permission denied/);
    await expect(database.query('ALTER TABLE audit_log DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
    await expect(database.query('DELETE FROM audit_purges')).rejects.toThrow(/permission denied/);
    // The retention purge runs as the owner (SECURITY DEFINER) and keeps the 180-day floor.
    const [purged] = await database.query<{ n: number }>('SELECT audit_purge(180) AS n');
    expect(Number(purged.n)).toBe(0);
    await expect(database.query('SELECT audit_purge(10)')).rejects.toThrow(/at least 180/);
    const [after] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(after.n).toBe(rows.n);
  }, 180_000);
});
