import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { Database } from '../db/client.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

/**
 * Creates the migrated database once per run; each test file then clones it: PGlite from a dumped
 * data dir (~15 s to create with PostGIS, a few seconds to load), PostgreSQL by CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const kind = process.env.JW_TEST_DB ?? 'pglite';
  if (kind === 'postgresql') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('JW_TEST_DB=postgresql needs TEST_DATABASE_URL');
    const template = `jw_tpl_${process.pid}`;
    const admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const templateUrl = withDatabase(url, template);
    const tpl = await Database.open({ kind: 'postgresql', url: templateUrl, poolSize: 1 });
    await tpl.migrate();
    await tpl.close();
    project.provide('postgresTemplate', template);
    project.provide('pgliteTemplate', '');
    return async () => {
      const dbs = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'jw_t_${process.pid}_%' OR datname = '${template}'`,
      );
      for (const d of dbs) await admin.query(`DROP DATABASE IF EXISTS ${d.datname} WITH (FORCE)`);
      await admin.close();
    };
  }
  const dir = path.resolve('.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `pglite-template-${process.pid}.tar`);
  const db = await Database.open({ kind: 'pglite' });
  await db.migrate();
  const blob = await db.pglite!.dumpDataDir('none');
  fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', '');
  return () => fs.rmSync(file, { force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
