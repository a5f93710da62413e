import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../db/backup.ts';
import { Database } from '../../db/client.ts';
import { openTestDatabase } from '../../test/harness.ts';
import { recordAudit, recordAuditBulk } from './audit.repository.ts';
import { compareWithRecordedHeads, purgeAudit, SHARD_STRIDE, verifyAuditChain } from './audit-chain.ts';

const run = promisify(execFile);
let database: Database;

const who = (districtId: number | null) => ({ accountId: 1, username: 'admin', districtId, ip: '127.0.0.1' });

beforeAll(async () => {
  database = await openTestDatabase();
  // Two districts and platform entries.
  await database.query(`INSERT INTO districts (code, name) VALUES ('330603', '柯桥区'), ('330602', '越城区')`);
});
afterAll(async () => {
  await database?.close();
});

/** Runs statements as someone with the owner's rights who switches the append-only trigger off. */
async function asOwnerBypassingTrigger(statements: string[]) {
  await database.onConnection(async (query) => {
    await query('BEGIN');
    await query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    for (const s of statements) await query(s);
    await query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    await query('COMMIT');
  });
}

describe('audit log: hash chain, append-only, retention', () => {
  it('chains every row per district, also under concurrent writers', async () => {
    for (let i = 0; i < 5; i++)
      await recordAudit(database.db, who(1), { action: 'test.one', entity: 'x', entityId: i });
    await recordAudit(database.db, who(null), { action: 'test.platform', entity: 'x' });
    await recordAuditBulk(
      database.db,
      who(2),
      Array.from({ length: 300 }, (_, i) => ({ action: 'test.bulk', entity: 'person', entityId: i, after: { i } })),
    );
    // 40 transactions at once, each writing three rows into two chains and sleeping in between (PostgreSQL:
    // really concurrent on 4 connections; PGlite: one connection, serialised).
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        database.db.transaction(async (tx) => {
          await recordAudit(tx, who(1), { action: 'test.race', entity: 'x', entityId: i });
          await tx.execute(sql`SELECT pg_sleep(0.005)`);
          await recordAudit(tx, who(1 + (i % 2)), { action: 'test.race', entity: 'x', entityId: i });
          await recordAudit(tx, who(1), { action: 'test.race', entity: 'x', entityId: i, after: { end: true } });
        }),
      ),
    );
    // A savepoint rolled back takes its rows and the cached chain head with it.
    await database.db.transaction(async (tx) => {
      await recordAudit(tx, who(1), { action: 'test.savepoint', entity: 'x', entityId: 'kept-1' });
      await tx
        .transaction(async (sp) => {
          await recordAudit(sp, who(1), { action: 'test.savepoint', entity: 'x', entityId: 'rolled-back' });
          throw new Error('roll back to the savepoint');
        })
        .catch(() => {});
      await recordAudit(tx, who(1), { action: 'test.savepoint', entity: 'x', entityId: 'kept-2' });
    });
    const report = await verifyAuditChain(database);
    expect(report.firstBroken).toBeNull();
    expect(report.ok).toBe(true);
    // A district's rows are on its shard chains (migration 0021): shard 0 (chain = district id) unless busy.
    const rowsOf = (district: number) =>
      report.chains.filter((c) => c.district === district).reduce((n, c) => n + c.rows, 0);
    expect(rowsOf(0)).toBe(1);
    expect(rowsOf(1)).toBe(5 + 40 * 2 + 20 + 2);
    expect(rowsOf(2)).toBe(300 + 20);
    for (const c of report.chains) expect(c.chain).toBe(c.shard * SHARD_STRIDE + c.district);
    // Concurrent writers of one district link at once on different shards instead of queueing on one lock
    // (PostgreSQL; PGlite has one connection, so everything stays on shard 0).
    const shardsOf1 = report.chains.filter((c) => c.district === 1).length;
    if (process.env.JW_TEST_DB === 'postgresql') expect(shardsOf1).toBeGreaterThan(1);
    else expect(report.chains.map((c) => c.chain)).toEqual([0, 1, 2]);
    // Seqs are dense 1..n per chain: no fork, no gap.
    for (const c of report.chains) expect(c.seq).toBe(c.rows);
    const [first] = await database.query<{ p: string }>(
      `SELECT encode(prev_hash, 'hex') AS p FROM audit_log WHERE chain = 1 AND chain_seq = 1`,
    );
    expect(first.p).toBe('');
  });

  it('refuses UPDATE, DELETE and TRUNCATE by the application', async () => {
    await expect(database.query(`UPDATE audit_log SET action = 'x' WHERE chain = 1`)).rejects.toThrow(/append-only/);
    await expect(database.query(`DELETE FROM audit_log WHERE chain = 1`)).rejects.toThrow(/append-only/);
    await expect(database.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    await expect(database.query(`UPDATE audit_purges SET rows = 0`)).resolves.toBeDefined(); // empty: no row to refuse
    // Even with the purge switch on, a young row cannot be deleted: the 180-day floor is in the trigger.
    await expect(
      database.onConnection(async (query) => {
        await query('BEGIN');
        try {
          await query(`SELECT set_config('jingwei.audit_purge', 'on', true)`);
          await query(`DELETE FROM audit_log WHERE chain = 1 AND chain_seq = 1`);
        } finally {
          await query('ROLLBACK');
        }
      }),
    ).rejects.toThrow(/append-only/);
    await expect(purgeAudit(database, 90)).rejects.toThrow(/180/);
    await expect(database.query('SELECT audit_purge(179)')).rejects.toThrow(/at least 180/);
    expect((await verifyAuditChain(database)).ok).toBe(true);
  });

  it('detects an edited row, a deleted row and a re-hashed forgery, naming the first broken link', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-audit-'));
    const file = path.join(dir, 'before.jwbak');
    await backupDatabase(database, file);
    try {
      const [{ id }] = await database.query<{ id: string }>(
        `SELECT id::text AS id FROM audit_log WHERE chain = 1 AND chain_seq = 7`,
      );
      await asOwnerBypassingTrigger([`UPDATE audit_log SET username = 'someone_else' WHERE id = ${id}`]);
      let report = await verifyAuditChain(database);
      expect(report.ok).toBe(false);
      expect(report.firstBroken).toMatchObject({ chain: 1, seq: 7, id: Number(id), problem: 'content' });

      // Forger recomputes the edited row's hash: then the next row's link breaks.
      await asOwnerBypassingTrigger([
        `UPDATE audit_log SET hash = audit_row_hash(prev_hash, audit_log) WHERE id = ${id}`,
      ]);
      report = await verifyAuditChain(database);
      expect(report.firstBroken).toMatchObject({ chain: 1, seq: 8, problem: 'link' });

      // A deleted row in chain 2 (chain 1 is still broken and reported first).
      await asOwnerBypassingTrigger([`DELETE FROM audit_log WHERE chain = 2 AND chain_seq = 100`]);
      await restoreDatabase(database, file, true); // undo chain 1's damage, keep testing chain 2 alone
      expect((await verifyAuditChain(database)).ok).toBe(true);
      await asOwnerBypassingTrigger([`DELETE FROM audit_log WHERE chain = 2 AND chain_seq = 100`]);
      report = await verifyAuditChain(database);
      expect(report.firstBroken).toMatchObject({ chain: 2, seq: 101, problem: 'gap' });

      // A cut-off tail is invisible to the chain alone, but not to heads recorded earlier.
      await restoreDatabase(database, file, true);
      const recorded = (await verifyAuditChain(database)).chains;
      // (shard 0 of district 2 holds the 300 rows of the bulk insert, which ran alone)
      await asOwnerBypassingTrigger([`DELETE FROM audit_log WHERE chain = 2 AND chain_seq > 290`]);
      expect((await verifyAuditChain(database)).ok).toBe(true);
      expect(await compareWithRecordedHeads(database, recorded)).toMatchObject({ chain: 2, problem: 'gap' });
    } finally {
      await restoreDatabase(database, file, true);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect((await verifyAuditChain(database)).ok).toBe(true);
  });

  it('purges only a prefix of rows older than the retention, never a younger row, and stays verifiable', async () => {
    const old = (days: number, n: number) =>
      database.query(
        `INSERT INTO audit_log (district_id, action, entity, entity_id, at)
         SELECT 2, 'test.old', 'x', g::text, now() - make_interval(days => ${days}) FROM generate_series(1, ${n}) g`,
      );
    // Chain 3 (a new district): 4 rows of 400 days, 2 of 179 days, 3 of 300 days, 1 new.
    await database.query(`INSERT INTO districts (code, name) VALUES ('330604', '上虞区')`);
    const ins = (days: number, n: number) => old(days, n).then(() => undefined);
    await database.query(
      `INSERT INTO audit_log (district_id, action, entity, at)
       SELECT 3, 'test.old', 'x', now() - make_interval(days => d) FROM unnest(ARRAY[400,400,400,400,179,179,300,300,300,0]) d`,
    );
    await ins(500, 3); // chain 2 gets 3 old rows at its end: after young rows, so they stay
    const before = await database.query<{ chain: number; n: number }>(
      `SELECT chain, count(*)::int AS n FROM audit_log GROUP BY chain ORDER BY chain`,
    );
    const youngBefore = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE at >= now() - interval '180 days'`,
    );
    const purged = await purgeAudit(database, 180);
    expect(purged).toBe(4); // only chain 3's first four rows
    const after = await database.query<{ chain: number; n: number }>(
      `SELECT chain, count(*)::int AS n FROM audit_log GROUP BY chain ORDER BY chain`,
    );
    expect(after.find((r) => r.chain === 3)!.n).toBe(6);
    expect(after.find((r) => r.chain === 2)!.n).toBe(before.find((r) => r.chain === 2)!.n);
    const youngAfter = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE at >= now() - interval '180 days'`,
    );
    expect(youngAfter[0].n).toBe(youngBefore[0].n);
    expect((await verifyAuditChain(database)).ok).toBe(true);
    // A new row continues the purged chain; a second purge has nothing to do.
    await recordAudit(database.db, who(3), { action: 'test.after_purge', entity: 'x' });
    expect(await purgeAudit(database, 180)).toBe(0);
    const report = await verifyAuditChain(database);
    expect(report.ok).toBe(true);
    expect(report.chains.find((c) => c.chain === 3)).toMatchObject({ seq: 11, rows: 7 });
    // Deleting the first kept row (outside the purge) is a gap against the purge anchor.
    await asOwnerBypassingTrigger([`DELETE FROM audit_log WHERE chain = 3 AND chain_seq = 5`]);
    expect((await verifyAuditChain(database)).firstBroken).toMatchObject({ chain: 3, seq: 6, problem: 'gap' });
  });
});

describe.skipIf(process.env.JW_TEST_DB === 'postgresql')('verify-audit CLI', () => {
  it('reports an intact chain with exit 0 and the first broken link with exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-verify-'));
    try {
      const db = await Database.open({ kind: 'pglite', dataDir: dir });
      await db.migrate();
      for (let i = 0; i < 3; i++) await recordAudit(db.db, who(null), { action: 'test.cli', entity: 'x', entityId: i });
      await db.close();
      const env = { ...process.env, JINGWEI_DATA_DIR: dir, DATABASE_URL: '' };
      const ok = await run('npx', ['tsx', 'server/main.ts', 'verify-audit'], { env });
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, rows: 3, firstBroken: null });
      fs.writeFileSync(path.join(dir, 'heads.json'), ok.stdout);

      const again = await Database.open({ kind: 'pglite', dataDir: dir });
      await again.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await again.query(`UPDATE audit_log SET action = 'test.forged' WHERE chain_seq = 2`);
      await again.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      await again.close();
      const broken = await run('npx', ['tsx', 'server/main.ts', 'verify-audit'], { env }).catch((e) => e);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/BROKEN at chain 0 seq 2/);
      expect(JSON.parse(broken.stdout).firstBroken).toMatchObject({ chain: 0, seq: 2, problem: 'content' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
