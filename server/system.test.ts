import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, PASSWORD } from './test/factories.ts';
import { Client, createTestApp, type TestContext } from './test/harness.ts';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp();
  await buildWorld(ctx.database);
});
afterAll(() => ctx?.close());

describe('system', () => {
  it('reports the database kind, migration and PostGIS in /api/health', async () => {
    const res = await ctx.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: process.env.JW_TEST_DB === 'postgresql' ? 'postgresql' : 'pglite',
      migration: expect.stringMatching(/^\d{4}_/),
    });
    expect(res.json().postgis).toMatch(/^3\./);
  });

  it('publishes OpenAPI 3 with every API route, and a docs page', async () => {
    const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/auth/login',
      '/api/me',
      '/api/orgs',
      '/api/orgs/{id}',
      '/api/orgs/tree',
      '/api/accounts',
      '/api/audit',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/orgs'].post.requestBody.content['application/json'].schema.properties.name.maxLength).toBe(
      100,
    );
    const docs = await ctx.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('sets security headers', async () => {
    const res = await ctx.app.inject({ url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown API paths and methods with a problem', async () => {
    const res = await ctx.app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('rejects a body over the size limit', async () => {
    const c = new Client(ctx.app);
    await c.login('admin_a', PASSWORD);
    const res = await c.post('/api/orgs', {
      parentId: 1,
      kind: 'town_committee',
      name: 'x',
      description: 'x'.repeat(2_000_000),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });
});
