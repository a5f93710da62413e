import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from '../server/test/server-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eTemplateDir: string;
  }
}

export const E2E_PASSWORD = 'E2eDemo2026';

/**
 * Starts `jingwei serve` once on an empty data dir (migrations + demo seed, ~30–50 s with PostGIS),
 * stops it cleanly, and hands the dir to every browser test file, which starts its own server on a
 * copy: each file still gets a fresh database, without paying for creating one.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-e2e-template-'));
  const server = await startServer({ JINGWEI_DATA_DIR: dir, JINGWEI_DEMO_PASSWORD: E2E_PASSWORD });
  await server.stop();
  project.provide('e2eTemplateDir', dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
