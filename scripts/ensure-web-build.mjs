#!/usr/bin/env node
// Builds the web console with Vite only when web/dist/index.html is missing or older than any source
// (web/src/**, web/index.html, vite.config.ts). Cheap when up to date: a stat walk, no Vite import.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(repo, 'web', 'dist', 'index.html');

/** Newest modification time (ms) of a file, or of every file below a directory. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file bumps its directory's mtime
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

function needsBuild() {
  if (!existsSync(output)) return 'web/dist/index.html is missing';
  if (!existsSync(join(repo, 'web', 'dist', 'phone.html'))) return 'web/dist/phone.html is missing';
  const built = statSync(output).mtimeMs;
  const sources = [
    join(repo, 'web', 'src'),
    join(repo, 'web', 'index.html'),
    join(repo, 'web', 'phone.html'),
    join(repo, 'vite.config.ts'),
  ];
  for (const source of sources) {
    if (newestMtime(source) > built) return `${source.slice(repo.length + 1)} changed since the last build`;
  }
  return null;
}

const reason = needsBuild();
if (reason) {
  console.log(`[web] building the console (${reason}) …`);
  const vite = join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[web] vite build failed');
    process.exit(result.status ?? 1);
  }
  console.log('[web] built web/dist');
}
