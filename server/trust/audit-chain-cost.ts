/**
 * What the audit hash chain costs a bulk write: the ledger import's audit statement (recordAuditBulk, one
 * INSERT … SELECT FROM jsonb_to_recordset per 1,000 rows) with the chain trigger on and off, alternated in
 * one process so machine load affects both alike.
 *
 *   npx tsx server/trust/audit-chain-cost.ts                 # PGlite in memory
 *   npx tsx server/trust/audit-chain-cost.ts --db postgresql # TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { Database } from '../db/client.ts';
import { recordAuditBulk } from '../modules/audit/audit.repository.ts';

const { values } = parseArgs({
  options: { db: { type: 'string', default: 'pglite' }, rows: { type: 'string', default: '20000' } },
});
const ROWS = Number(values.rows);
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `jw_chain_${crypto.randomBytes(3).toString('hex')}`;
let admin: Database | null = null;
let database: Database;
if (values.db === 'postgresql') {
  admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  database = await Database.open({ kind: 'postgresql', url: u.toString(), poolSize: 2 });
} else database = await Database.open({ kind: 'pglite' });
await database.migrate();
await database.query(`INSERT INTO districts (code, name) VALUES ('330603', '柯桥区')`);
const who = { accountId: 1, username: 'admin', districtId: 1, ip: '127.0.0.1' };
const entries = (k: number) =>
  Array.from({ length: 1000 }, (_, i) => ({
    action: 'person.create',
    entity: 'person',
    entityId: k * 1000 + i,
    after: { name: `青年${i}`, source: 'import', orgId: 7 },
  }));

async function timed(chain: boolean): Promise<number> {
  if (!chain) await database.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain');
  // Without the trigger the chain columns must be given: fill them with a placeholder.
  if (!chain)
    for (const c of ['chain', 'chain_seq', 'prev_hash', 'hash'])
      await database.query(
        `ALTER TABLE audit_log ALTER COLUMN ${c} SET DEFAULT ${c === 'chain_seq' ? "nextval('audit_log_id_seq')" : c === 'chain' ? '0' : "'\\x'::bytea"}`,
      );
  const t0 = performance.now();
  await database.db.transaction(async (tx) => {
    for (let k = 0; k < ROWS / 1000; k++) await recordAuditBulk(tx, who, entries(k));
  });
  const ms = performance.now() - t0;
  if (!chain) {
    for (const c of ['chain', 'chain_seq', 'prev_hash', 'hash'])
      await database.query(`ALTER TABLE audit_log ALTER COLUMN ${c} DROP DEFAULT`);
    await database.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain');
  }
  return ms;
}

const on: number[] = [];
const off: number[] = [];
for (let i = 0; i < 3; i++) {
  off.push(await timed(false));
  on.push(await timed(true));
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(
  JSON.stringify({
    bench: 'audit-chain-cost',
    db: values.db,
    rows: ROWS,
    msWithoutChain: Math.round(median(off)),
    msWithChain: Math.round(median(on)),
    usPerRowAdded: Math.round(((median(on) - median(off)) * 1000) / ROWS),
    ratio: Number((median(on) / median(off)).toFixed(2)),
  }),
);
await database.close();
if (admin) {
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.close();
}
