#!/usr/bin/env node
// npm run bench -- <name> [options]   runs bench/<name>.ts (each prints a table and writes bench/results/<name>-<db>.json)
// npm run bench                         lists the benchmarks
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [name, ...rest] = process.argv.slice(2);
const available = fs
  .readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => path.basename(f, '.ts'))
  .sort();
if (!name || !available.includes(name)) {
  console.log(`usage: npm run bench -- <name> [--db postgresql] [options]\nbenchmarks: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', `${name}.ts`), ...rest], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
