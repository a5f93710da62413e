/** Shared by the benchmarks: a fresh database (PGlite in memory, or a new PostgreSQL database), timing, results. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Database } from '../server/db/client.ts';

export async function openBenchDatabase(kind: string): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'postgresql') {
    const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `jw_bench_${crypto.randomBytes(4).toString('hex')}`;
    const admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await Database.open({ kind: 'postgresql', url: u.toString() });
    return {
      database,
      drop: async () => {
        await database.close();
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  }
  const database = await Database.open({ kind: 'pglite' });
  return { database, drop: () => database.close() };
}

/** Runs `fn` `runs` times after `warmup` runs; returns p50/p99/mean in ms. */
export async function timeIt(fn: () => Promise<unknown>, runs = 30, warmup = 3) {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => +ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
  return { p50: at(0.5), p99: at(0.99), mean: +(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1), runs };
}

export function writeResult(name: string, db: string, report: Record<string, unknown>) {
  const full = {
    bench: name,
    db,
    ...report,
    node: process.version,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.log(JSON.stringify(full, null, 2));
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(`bench/results/${name}-${db}.json`, `${JSON.stringify(full, null, 2)}\n`);
}
