import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { Database } from '../db/client.ts';
import { withDatabase } from './global-setup.ts';

/** A fresh, migrated database cloned from the run's template (see global-setup.ts). */
export async function openTestDatabase(): Promise<Database> {
  const pgTemplate = inject('postgresTemplate');
  if (pgTemplate) {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `jw_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate}`);
    await admin.close();
    return Database.open({ kind: 'postgresql', url: withDatabase(url, name), poolSize: 4 });
  }
  const file = inject('pgliteTemplate');
  return Database.open({ kind: 'pglite', loadDataDir: new Blob([fs.readFileSync(file)]) });
}

export type TestContext = {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
};

export async function createTestApp(env: Record<string, string> = {}): Promise<TestContext> {
  const database = await openTestDatabase();
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', JINGWEI_WEB_DIST: '/nonexistent', ...env }) };
  const app = await buildApp(config, database);
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A logged-in API client: keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  cookie = '';
  csrf = '';
  constructor(
    private readonly app: FastifyInstance,
    readonly lang = 'zh-CN',
  ) {}

  async login(username: string, password: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode === 200) {
      const setCookie = res.cookies.find((c) => c.name === 'jw_session');
      this.cookie = `jw_session=${setCookie?.value}`;
      this.csrf = res.json().csrfToken;
    }
    return res;
  }

  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) {
    return this.app.inject({
      method,
      url,
      payload: payload as any,
      headers: {
        cookie: this.cookie,
        'accept-language': this.lang,
        ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrf }),
        ...headers,
      },
    });
  }
  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, payload?: unknown) {
    return this.request('POST', url, payload);
  }
  patch(url: string, payload?: unknown) {
    return this.request('PATCH', url, payload);
  }
  put(url: string, payload?: unknown) {
    return this.request('PUT', url, payload);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}
