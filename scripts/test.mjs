// `npm test`: typecheck, lint, unit + API integration on PGlite (and on PostgreSQL when
// TEST_DATABASE_URL is set), then browser E2E in Debian's Chromium. Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const requireBrowser = process.env.CI === 'true' || process.env.JW_REQUIRE_BROWSER === '1';
const bin = (name) => path.resolve('node_modules/.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const steps = [];

function run(title, cmd, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  steps.push(`${ok ? '✓' : '✗'} ${title} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return ok;
}

/** Runs a vitest suite and adds its counts to the totals. */
function vitest(title, args, env = {}) {
  fs.mkdirSync('.tmp', { recursive: true });
  const out = path.resolve('.tmp', `vitest-${steps.length}.json`);
  fs.rmSync(out, { force: true });
  const ok = run(
    title,
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...args],
    env,
  );
  if (fs.existsSync(out)) {
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (!ok && report.numFailedTests === 0) totals.failed += 1; // a suite that crashed before its tests ran
  } else if (!ok) {
    totals.failed += 1;
  }
  return ok;
}

let ok = true;
ok = run('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) && ok;
ok = run('lint (biome)', bin('biome'), ['check', '.']) && ok;
ok = vitest('unit + API integration on PGlite', [], { JW_TEST_DB: 'pglite' }) && ok;
if (process.env.TEST_DATABASE_URL) {
  ok = vitest('API integration on PostgreSQL', ['server'], { JW_TEST_DB: 'postgresql' }) && ok;
} else {
  steps.push('- PostgreSQL suite skipped: TEST_DATABASE_URL is not set');
}
if (fs.existsSync(CHROMIUM)) {
  ok = run('build web console', process.execPath, ['scripts/ensure-web-build.mjs']) && ok;
  ok = vitest('browser E2E (Chromium)', ['--config', 'e2e/vitest.config.ts'], { CHROMIUM_PATH: CHROMIUM }) && ok;
} else if (requireBrowser) {
  console.error(`\n✗ Browser tests are required here but ${CHROMIUM} is missing (apt-get install -y chromium).`);
  steps.push('✗ browser E2E: Chromium missing');
  totals.failed += 1;
  ok = false;
} else {
  console.warn(`\n! ${CHROMIUM} not found: browser tests skipped (apt-get install -y chromium to run them).`);
  steps.push('- browser E2E skipped: Chromium not installed');
}

console.log(`\n${steps.join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
