/**
 * Hostile input against every operation of /api/openapi.json, through app.inject, as a logged-in
 * district admin (platform admin where only the platform may act) with a valid CSRF token:
 * no 5xx; every 4xx is application/problem+json with a code; every 400 for a request that was
 * JSON names the offending field; every 2xx matches the documented response schema.
 *
 * JW_FUZZ_RUNS sets the cases per operation (default 25 for `npm test`; `npm run test:trust` sets 200); JW_FUZZ_SEED replays a failing run;
 * JW_FUZZ_ONLY (a regular expression over `METHOD /path`) picks operations.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ProblemSchema } from '../../domain/common.ts';
import { addAccount, buildWorld, PASSWORD } from '../test/factories.ts';
import { Client, createTestApp } from '../test/harness.ts';
import {
  type FuzzCase,
  type Hints,
  type Operation,
  operationsOf,
  requestArb,
  responseValidators,
} from './openapi-fuzz.ts';

/** 25 per operation in `npm test`; `npm run test:trust` (CI) runs 200. */
const RUNS = Number(process.env.JW_FUZZ_RUNS ?? 25);
const SEED = process.env.JW_FUZZ_SEED ? Number(process.env.JW_FUZZ_SEED) : undefined;
/** JW_FUZZ_ONLY: a regular expression picking operations by `METHOD /path`, to replay a few. */
const ONLY = process.env.JW_FUZZ_ONLY ? new RegExp(process.env.JW_FUZZ_ONLY) : null;

const ctx = await createTestApp({ JINGWEI_LOGIN_RATE_LIMIT: '1000000' });
afterAll(() => ctx.close());
const world = await buildWorld(ctx.database);
const fuzzAdminId = await addAccount(ctx.database, 'fuzz_admin', 'district_admin', world.rootA);
const fuzzPlatformId = await addAccount(ctx.database, 'fuzz_platform', 'platform_admin', null);
const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
const operations = operationsOf(doc);
const validatorOf = responseValidators(doc);

/** Operations only a platform admin can reach past the permission check. */
const PLATFORM_OPERATIONS = new Set(['POST /api/districts']);

const orgIds = [world.rootA, world.t1, world.t2, world.v1, world.v2, world.rootB, world.tb].map((o) => o.id);
const accountIds = (
  await ctx.database.query<{ id: number }>('SELECT id FROM accounts WHERE username NOT LIKE $1', ['fuzz_%'])
).map((r) => r.id);
const hints: Hints = {
  ids: {
    id: [...orgIds, ...accountIds],
    parentId: orgIds,
    orgId: orgIds,
    orgIds,
    districtId: [world.districtA, world.districtB],
  },
  avoidIds: [fuzzAdminId, fuzzPlatformId],
};

async function loggedIn(username: string): Promise<Client> {
  const client = new Client(ctx.app);
  const res = await client.login(username, PASSWORD);
  if (res.statusCode !== 200) throw new Error(`fuzz login failed: ${res.body}`);
  return client;
}

/**
 * Each case comes from its own address, so the per-IP limits and captcha thresholds of the public routes do not
 * answer in place of their validation (sessions are not bound to an address).
 */
let caseNo = 0;
function nextAddress(): string {
  caseNo += 1;
  return `10.${(caseNo >> 16) & 255}.${(caseNo >> 8) & 255}.${caseNo & 255}`;
}

function send(client: Client, c: FuzzCase): Promise<LightMyRequestResponse> {
  const remoteAddress = nextAddress();
  const headers: Record<string, string> = {
    cookie: client.cookie,
    'x-csrf-token': client.csrf,
    'accept-language': 'zh-CN',
  };
  if (c.raw) {
    return ctx.app.inject({
      method: c.method,
      url: c.url,
      remoteAddress,
      payload: c.raw.body,
      headers: { ...headers, 'content-type': c.raw.contentType },
    });
  }
  if (c.payload === undefined) return ctx.app.inject({ method: c.method, url: c.url, remoteAddress, headers });
  return ctx.app.inject({
    method: c.method,
    url: c.url,
    remoteAddress,
    payload: JSON.stringify(c.payload),
    headers: { ...headers, 'content-type': 'application/json' },
  });
}

/** Names a 400 may blame: the operation's fields and parameters, or a whole part of the request. */
function knownFields(op: Operation): Set<string> {
  const names = new Set(['body', 'querystring', 'params']);
  for (const p of [...op.pathParams, ...op.queryParams]) names.add(p.name);
  for (const key of Object.keys(op.body?.properties ?? {})) names.add(key);
  return names;
}

async function check(
  client: Client,
  op: Operation,
  c: FuzzCase,
  res: LightMyRequestResponse,
  stats: Map<number, number>,
) {
  stats.set(res.statusCode, (stats.get(res.statusCode) ?? 0) + 1);
  const what = `${c.kind} case (${c.note}): ${c.method} ${c.url.slice(0, 200)} ${
    c.raw ? c.raw.body.slice(0, 100) : JSON.stringify(c.payload)?.slice(0, 300)
  } → ${res.statusCode} ${res.body.slice(0, 400)}`;
  expect(res.statusCode, what).toBeLessThan(500);

  if (res.statusCode >= 400) {
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(ProblemSchema.strict().safeParse(problem).success, what).toBe(true);
    expect(problem.status, what).toBe(res.statusCode);
    if (res.statusCode === 400 && c.kind !== 'malformed') {
      // The request was JSON: the answer must say which field is wrong.
      expect(problem.code, what).toBe('VALIDATION');
    }
    if (problem.code === 'VALIDATION') {
      expect(problem.errors?.length, what).toBeGreaterThan(0);
      const known = knownFields(op);
      if (c.field) known.add(c.field.split('.')[0]); // an unknown field the case sent is named as itself
      // A route that takes forms (Open311) names the unknown fields of a raw form body as themselves too.
      if (c.raw?.contentType === 'application/x-www-form-urlencoded')
        for (const key of new URLSearchParams(c.raw.body).keys()) known.add(key);
      for (const e of problem.errors)
        expect(known.has(String(e.field).split('.')[0]), `${what}\nfield ${e.field}`).toBe(true);
    }
    // The router answers before validation when the path matches no route (find-my-way's suffix
    // parameters, as in `/requests/:id.json`, do not match a CR or LF): then the unbroken request
    // must have been refused the same way, since breaking a query or body field cannot cause it.
    if (c.kind === 'invalid' && res.statusCode === 404 && problem.code === 'NOT_FOUND' && c.base) {
      const base = await send(client, c.base);
      expect(
        base.statusCode === 404 && base.json().code === 'NOT_FOUND',
        `${what}\nthe router refused the path, but the unbroken request got ${base.statusCode}`,
      ).toBe(true);
      return;
    }
    // Rate limits answer before validation does; the 429 itself is checked above.
    if (c.kind === 'invalid' && res.statusCode !== 429) {
      expect(res.statusCode, what).toBe(400);
      const fields: string[] = problem.errors.map((e: { field: string }) => e.field);
      if (!fields.some((f) => f === c.field || f.startsWith(`${c.field}.`)) && c.base) {
        // Not named: fine only if the unbroken request was already refused (a refinement the JSON
        // Schema cannot express failed, or Fastify stopped at an earlier part: params, body, query).
        const base = await send(client, c.base);
        expect(
          (base.statusCode === 400 && base.json().code === 'VALIDATION') || base.statusCode === 429,
          `${what}\nexpected a field error on "${c.field}", got ${fields.join(', ')}; the unbroken request got ${base.statusCode}`,
        ).toBe(true);
      }
    }
    return;
  }
  expect(c.kind, `${what}\nan invalid request was accepted`).not.toBe('invalid');
  if (res.statusCode >= 200 && res.statusCode < 300) {
    const validate = validatorOf(op, res.statusCode);
    expect(validate, `${what}\nstatus ${res.statusCode} is not documented for ${op.key}`).not.toBeUndefined();
    if (validate) {
      const ok = validate(res.json());
      expect(ok, `${what}\n${JSON.stringify(validate.errors)}`).toBe(true);
    }
  }
}

describe('hostile input to every documented operation', () => {
  it('the document lists the API’s operations', () => {
    expect(operations.length).toBeGreaterThan(15);
  });

  for (const op of operations.filter((o) => !ONLY || ONLY.test(o.key))) {
    it(`${op.key} (${RUNS} cases)`, { timeout: 120_000 }, async () => {
      const client = await loggedIn(PLATFORM_OPERATIONS.has(op.key) ? 'fuzz_platform' : 'fuzz_admin');
      const stats = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(requestArb(op, doc, hints), async (c) => check(client, op, c, await send(client, c), stats)),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      // Make the run's coverage visible: how the operation answered.
      const summary = [...stats.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
      console.log(`${op.key}: ${summary}`);
    });
  }
});
