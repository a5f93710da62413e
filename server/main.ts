import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { PasswordSchema, UsernameSchema } from '../domain/account.ts';
import { buildApp } from './app.ts';
import { type Config, loadConfig } from './config.ts';
import { backupDatabase, restoreDatabase } from './db/backup.ts';
import { type Database, openConfiguredDatabase } from './db/client.ts';
import { one } from './db/sql.ts';
import { piiCipherFor } from './lib/crypto.ts';
import { findAccountByUsername, insertAccount } from './modules/accounts/accounts.repository.ts';
import { type ChainHead, compareWithRecordedHeads, purgeAudit, verifyAuditChain } from './modules/audit/audit-chain.ts';
import { hashPassword } from './modules/auth/password.ts';
import { seedDemo } from './seed/demo.ts';

const USAGE = `Jingwei 经纬 — usage: jingwei <command> [options]
  serve                      start the server (migrates; seeds the demo district on the first embedded start)
  migrate                    apply pending migrations
  seed [--force]             seed the demo district (refused if a district exists, unless --force)
  create-admin --username U --password P [--name N]
                             create a platform admin (first account of a production install)
  backup <file>              write the whole database to one file (stop an embedded server first)
  restore <file> [--force]   load a backup into the configured database (PGlite or DATABASE_URL)
  verify-audit [--expect F]  re-check the audit log's hash chain; prints the first broken link and every
                             chain's head (JSON); --expect F compares with heads recorded earlier (exit 2 if broken)
  purge-audit [--keep-days N]
                             delete audit rows older than N days (default JINGWEI_AUDIT_RETENTION_DAYS, ≥ 180)
Environment: PORT, JINGWEI_DATA_DIR, DATABASE_URL, JINGWEI_DEMO_PASSWORD, JINGWEI_DEMO (see README).`;

/** Seeds demo data on the very first start of an embedded install (or when JINGWEI_DEMO=true). */
async function seedOnFirstStart(database: Database, config: Config, env: NodeJS.ProcessEnv) {
  const wantDemo = env.JINGWEI_DEMO ? env.JINGWEI_DEMO === 'true' : !config.databaseUrl;
  const started = await one(database.db, sql`SELECT 1 FROM system_state WHERE key = 'first_start'`);
  if (started) return;
  await database.db.execute(
    sql`INSERT INTO system_state (key, value) VALUES ('first_start', to_jsonb(now())) ON CONFLICT DO NOTHING`,
  );
  const hasDistrict = await one(database.db, sql`SELECT 1 FROM districts LIMIT 1`);
  if (!wantDemo || hasDistrict) return;
  const summary = await seedDemo(database, config.demoPassword, undefined, piiCipherFor(config.dataDir));
  printDemoLogins(summary.orgs, summary.accounts, config.demoPassword);
}

function printDemoLogins(orgs: number, accounts: { username: string; role: string; org: string }[], password: string) {
  const towns = accounts.filter((a) => a.role === 'org_admin').slice(0, 3);
  console.log(`
  ┌──────────────────────────────────────────────────────────────
  │ 演示数据已生成 Demo district seeded: 柯桥区, ${orgs} orgs, ${accounts.length} accounts
  │ 演示管理员 Demo admin:  username admin   password ${password}
  │ 镇街管理员 Town admins: ${towns.map((a) => `${a.username} (${a.org})`).join(', ')} … same password
  └──────────────────────────────────────────────────────────────`);
}

async function main(argv: string[], env: NodeJS.ProcessEnv) {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      force: { type: 'boolean', default: false },
      username: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      expect: { type: 'string' },
      'keep-days': { type: 'string' },
    },
  });
  const config = loadConfig(env);

  switch (command) {
    case 'serve': {
      const started = Date.now();
      const database = await openConfiguredDatabase(config);
      await seedOnFirstStart(database, config, env);
      const app = await buildApp(config, database);
      const shutdown = async () => {
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      await app.listen({ port: config.port, host: config.host });
      // PGlite has no autovacuum daemon, so its planner statistics only refresh when asked: once per start,
      // in the background (a few seconds at full demo size), so bulk imports since the last start plan well.
      if (database.kind === 'pglite')
        void database.db.execute(sql`ANALYZE`).catch((err) => app.log.warn({ err }, 'ANALYZE failed'));
      console.log(
        `Jingwei 经纬 ready at http://localhost:${config.port} (${database.kind}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      return;
    }
    case 'migrate': {
      const database = await openConfiguredDatabase(config);
      console.log(`migrated to ${await database.migrationTag()} (${database.kind})`);
      await database.close();
      return;
    }
    case 'seed': {
      const database = await openConfiguredDatabase(config);
      try {
        const hasDistrict = await one(database.db, sql`SELECT 1 FROM districts WHERE code = '330603'`);
        if (hasDistrict && !values.force) throw new Error('The demo district exists already.');
        if (hasDistrict)
          throw new Error(
            'Re-seeding over an existing demo district is not supported; restore a backup or use a new data dir.',
          );
        const summary = await seedDemo(database, config.demoPassword, undefined, piiCipherFor(config.dataDir));
        printDemoLogins(summary.orgs, summary.accounts, config.demoPassword);
      } finally {
        await database.close();
      }
      return;
    }
    case 'create-admin': {
      const username = UsernameSchema.safeParse(values.username);
      const password = PasswordSchema.safeParse(values.password);
      if (!username.success) throw new Error('--username: 3–40 letters, digits, dot, underscore or hyphen');
      if (!password.success) throw new Error('--password: at least 8 characters with letters and digits');
      const database = await openConfiguredDatabase(config);
      try {
        if (await findAccountByUsername(database.db, username.data))
          throw new Error(`The account ${username.data} exists.`);
        await insertAccount(database.db, {
          districtId: null,
          orgId: null,
          username: username.data,
          displayName: values.name ?? username.data,
          role: 'platform_admin',
          passwordHash: await hashPassword(password.data),
          mustChangePassword: false,
        });
        console.log(`platform admin ${username.data} created`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'backup': {
      const file = positionals[0];
      if (!file) throw new Error('backup <file>');
      const database = await openConfiguredDatabase(config);
      try {
        const result = await backupDatabase(database, file);
        console.log(`backup written to ${file}: ${result.rows} rows in ${result.tables} tables`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'restore': {
      const file = positionals[0];
      if (!file) throw new Error('restore <file> [--force]');
      // A restore truncates the audit log, which only the owner may do.
      const database = await openConfiguredDatabase(config, { asOwner: true });
      try {
        const result = await restoreDatabase(database, file, values.force);
        // Restored rows come without planner statistics (and PGlite runs no autovacuum).
        await database.db.execute(sql`ANALYZE`);
        console.log(`restored ${result.rows} rows in ${result.tables} tables from ${file} into ${database.kind}`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'verify-audit': {
      const database = await openConfiguredDatabase(config);
      try {
        const report = await verifyAuditChain(database);
        let broken = report.firstBroken;
        if (!broken && values.expect) {
          const recorded = JSON.parse(fs.readFileSync(values.expect, 'utf8')) as { chains: ChainHead[] };
          broken = await compareWithRecordedHeads(database, recorded.chains);
        }
        console.log(JSON.stringify({ ...report, ok: !broken, firstBroken: broken }, null, 2));
        if (broken) {
          console.error(
            `audit chain BROKEN at chain ${broken.chain} seq ${broken.seq} (audit_log.id ${broken.id}): ${broken.detail}`,
          );
          process.exitCode = 2;
        } else console.error(`audit chain intact: ${report.rows} rows in ${report.chains.length} chains`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'purge-audit': {
      const keepDays = Number(values['keep-days'] ?? config.auditRetentionDays);
      const database = await openConfiguredDatabase(config);
      try {
        const n = await purgeAudit(database, keepDays);
        console.log(`purged ${n} audit rows older than ${keepDays} days`);
      } finally {
        await database.close();
      }
      return;
    }
    default:
      console.log(USAGE);
      if (command && command !== 'help') process.exitCode = 1;
  }
}

main(process.argv.slice(2), process.env).catch((err) => {
  console.error(`jingwei: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
