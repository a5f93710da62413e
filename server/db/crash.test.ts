import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpLogin, type ServerProcess, startServer } from '../test/server-process.ts';

// The embedded database is PGlite only; PostgreSQL recovers by itself.
const pgliteOnly = process.env.JW_TEST_DB === 'postgresql';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-crash-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(pgliteOnly)('embedded database after kill -9', () => {
  it('seeds once, keeps committed data across a kill -9, and refuses a second server on the same data dir', async () => {
    const env = { JINGWEI_DATA_DIR: dataDir, JINGWEI_DEMO_PASSWORD: 'Crash2026pw' };
    server = await startServer(env);
    expect(server.output()).toContain('Demo district seeded');
    const { cookie, csrfToken } = await httpLogin(server.url, 'admin', 'Crash2026pw');
    const tree = await (await fetch(`${server.url}/api/orgs/tree`, { headers: { cookie } })).json();
    const created = await fetch(`${server.url}/api/orgs`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ parentId: tree.roots[0].id, kind: 'town_committee', name: '断电镇团委' }),
    });
    expect(created.status).toBe(201);

    await expect(startServer(env, 60_000)).rejects.toThrow(/in use by process/);

    server.child.kill('SIGKILL');
    await new Promise((r) => server!.child.once('exit', r));
    expect(fs.existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid'))).toBe(true);

    server = await startServer(env);
    expect(server.output()).not.toContain('Demo district seeded');
    const again = await httpLogin(server.url, 'admin', 'Crash2026pw');
    const found = await (
      await fetch(`${server.url}/api/orgs?q=${encodeURIComponent('断电镇')}`, { headers: { cookie: again.cookie } })
    ).json();
    expect(found.total).toBe(1);
    const after = await (await fetch(`${server.url}/api/orgs/tree`, { headers: { cookie: again.cookie } })).json();
    expect(after.roots[0].counts.orgs).toBe(tree.roots[0].counts.orgs + 1);
  }, 240_000);
});
