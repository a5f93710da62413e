import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgTreeNode } from '../../../domain/org.ts';
import { CONSENT_VERSION } from '../../../domain/person.ts';
import { many } from '../../db/sql.ts';
import { PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { buildPeopleWorld, makeIdNumber, tempDataDir } from './people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];

/** Every identifier a test sends, to prove none is stored in plain text. */
const SENT: string[] = [];
const consent = { version: CONSENT_VERSION, channel: 'paper' };

function person(overrides: Record<string, unknown> = {}) {
  return { name: '张小青', homeGridId: world.g1, consent, ...overrides };
}
function phone(n: number) {
  const p = `1380000${String(n).padStart(4, '0')}`;
  SENT.push(p);
  return p;
}
function idNumber(birth: string, seq: string) {
  const id = makeIdNumber(birth, seq);
  SENT.push(id, id.slice(0, 17));
  return id;
}

beforeAll(async () => {
  dataDir = tempDataDir();
  ctx = await createTestApp({ JINGWEI_DATA_DIR: dataDir });
  world = await buildPeopleWorld(ctx.database);
  for (const name of ['admin_a', 'admin_b', 't1_admin', 't2_admin', 'v1_leader', 'v1_youth']) {
    clients[name] = new Client(ctx.app);
    await clients[name].login(name, PASSWORD);
  }
});
afterAll(async () => {
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function audits(action: string, entityId?: number) {
  return many<any>(
    ctx.database.db,
    entityId === undefined
      ? sql`SELECT * FROM audit_log WHERE action = ${action} ORDER BY id`
      : sql`SELECT * FROM audit_log WHERE action = ${action} AND entity_id = ${String(entityId)} ORDER BY id`,
  );
}

describe('registry entry and validation', () => {
  it('creates a person with normalised identifiers, masked in the answer, birth date and gender from the ID', async () => {
    const id = idNumber('20000101', '123');
    const p = phone(1);
    const res = await as('t1_admin').post(
      '/api/people',
      person({ phone: `+86 ${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`, idNumber: id.toLowerCase() }),
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.outcome).toBe('created');
    expect(body.person).toMatchObject({
      phone: `${p.slice(0, 3)}****${p.slice(-4)}`,
      idNumber: `${id.slice(0, 4)}**********${id.slice(-4)}`,
      birthDate: '2000-01-01',
      gender: 'male',
      status: 'registered',
      source: 'staff',
      homeGrid: { id: world.g1 },
      org: { id: world.v1.id },
      consent: { version: CONSENT_VERSION, channel: 'paper' },
    });
    expect(res.body).not.toContain(p);
    expect(res.body).not.toContain(id);
  });

  it('reports a wrong check digit, a bad phone and a missing place with field messages', async () => {
    const bad = makeIdNumber('20000101', '555');
    const wrong = bad.slice(0, 17) + (bad[17] === '1' ? '2' : '1');
    const res = await as('t1_admin').post('/api/people', {
      name: '错号',
      phone: '1380000',
      idNumber: wrong,
      consent,
    });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'phone', message: '请填写正确的 11 位手机号' },
        { field: 'idNumber', message: '身份证号校验位不正确，请核对' },
      ]),
    );
    const en = new Client(ctx.app, 'en');
    await en.login('t1_admin', PASSWORD);
    const res2 = await en.post('/api/people', person({ phone: phone(2), birthDate: '2026-13-01' }));
    expect(res2.json().errors).toEqual([
      { field: 'birthDate', message: 'Invalid date (2000-01-31, not in the future)' },
    ]);
  });

  it('enforces the age range, guardian consent under 14 and agreement with the ID number', async () => {
    const old = await as('t1_admin').post('/api/people', person({ phone: phone(3), birthDate: '1980-01-01' }));
    expect(old.statusCode).toBe(422);
    expect(old.json().code).toBe('AGE_OUT_OF_RANGE');
    const child = await as('t1_admin').post('/api/people', person({ phone: phone(4), birthDate: '2015-03-01' }));
    expect(child.statusCode).toBe(422);
    expect(child.json()).toMatchObject({ code: 'GUARDIAN_CONSENT_REQUIRED', errors: [{ field: 'guardianConsent' }] });
    const withGuardian = await as('t1_admin').post(
      '/api/people',
      person({ phone: phone(4), birthDate: '2015-03-01', guardianConsent: { guardianName: '张父', relation: '父亲' } }),
    );
    expect(withGuardian.statusCode).toBe(201);
    expect(withGuardian.json().person.guardianConsent).toMatchObject({ guardianName: '张父', relation: '父亲' });
    const mismatch = await as('t1_admin').post(
      '/api/people',
      person({ idNumber: idNumber('20010101', '331'), birthDate: '2001-01-02' }),
    );
    expect(mismatch.json().code).toBe('BIRTH_DATE_MISMATCH');
  });

  it('flags League members over 28 for the 离团 review and filters on it', async () => {
    const res = await as('t1_admin').post(
      '/api/people',
      person({ name: '老团员', phone: phone(5), birthDate: '1995-01-01', politicalStatus: 'league_member' }),
    );
    expect(res.json().person.leaveReview).toBe(true);
    const young = await as('t1_admin').post(
      '/api/people',
      person({ name: '新团员', phone: phone(6), birthDate: '2005-01-01', politicalStatus: 'league_member' }),
    );
    expect(young.json().person.leaveReview).toBe(false);
    const list = await as('t1_admin').get('/api/people?leaveReview=true');
    expect(list.json().items.map((p: any) => p.name)).toEqual(['老团员']);
  });

  it('puts a person in circles, and refuses a grid that is not a circle', async () => {
    const res = await as('t1_admin').post(
      '/api/people',
      person({
        name: '兴趣青年',
        phone: phone(7),
        birthDate: '2002-02-02',
        circleGridIds: [world.circle],
        skills: ['摄影'],
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().person.circles).toEqual([{ id: world.circle, name: 'A-C1网格' }]);
    const list = await as('t1_admin').get(`/api/people?gridId=${world.circle}`);
    expect(list.json().items.map((p: any) => p.name)).toEqual(['兴趣青年']);
    const notCircle = await as('t1_admin').post(
      '/api/people',
      person({ phone: phone(8), birthDate: '2002-02-02', circleGridIds: [world.g2] }),
    );
    expect(notCircle.json().code).toBe('NOT_A_CIRCLE');
  });
});

describe('de-duplication', () => {
  let personId: number;
  const idA = () => makeIdNumber('19990909', '456');

  it('the same ID number is the same person: re-entry updates him', async () => {
    idNumber('19990909', '456');
    const first = await as('v1_leader').post(
      '/api/people',
      person({ name: '李重复', idNumber: idA(), phone: phone(20) }),
    );
    expect(first.statusCode).toBe(201);
    personId = first.json().person.id;
    const again = await as('v1_leader').post(
      '/api/people',
      person({ name: '李重复', idNumber: idA(), phone: phone(21), category: 'student' }),
    );
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: 'updated', person: { id: personId, category: 'student' } });
    expect(again.json().person.phone).toBe('138****0021');
    expect(await audits('person.reregister', personId)).toHaveLength(1);
  });

  it('the same phone without an ID number is the same person', async () => {
    const res = await as('v1_leader').post(
      '/api/people',
      person({ name: '李重复', phone: phone(21), birthDate: '1999-09-09', skills: ['电工'] }),
    );
    expect(res.json()).toMatchObject({ outcome: 'updated', person: { id: personId, skills: ['电工'] } });
    const [{ n }] = await many<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM people WHERE name = '李重复'`,
    );
    expect(n).toBe(1);
  });

  it('the same phone with a different ID number goes to the review list, never merged', async () => {
    const other = idNumber('20020202', '789');
    const res = await as('v1_leader').post(
      '/api/people',
      person({ name: '王冲突', idNumber: other, phone: phone(21) }),
    );
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ outcome: 'review', person: null });
    const reviewId = res.json().reviewId;
    const list = await as('v1_leader').get('/api/people/reviews');
    const review = list.json().items.find((r: any) => r.id === reviewId);
    expect(review).toMatchObject({
      reason: 'phone_conflict',
      status: 'open',
      incoming: { name: '王冲突', phone: '138****0021', idNumber: `${other.slice(0, 4)}**********${other.slice(-4)}` },
      candidates: [{ id: personId, name: '李重复', match: 'phone' }],
    });
    const [{ n }] = await many<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM people WHERE name = '王冲突'`,
    );
    expect(n).toBe(0);

    // Someone outside the entry's subtree cannot see or resolve it.
    const t2 = await as('t2_admin').post(`/api/people/reviews/${reviewId}/resolve`, { action: 'create' });
    expect(t2.statusCode).toBe(404);

    // The phone changed hands: the new person gets it, the old one loses it.
    const resolved = await as('v1_leader').post(`/api/people/reviews/${reviewId}/resolve`, { action: 'create' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({
      review: { status: 'resolved', resolution: 'created' },
      person: { name: '王冲突', phone: '138****0021' },
    });
    const old = await as('v1_leader').get(`/api/people/${personId}`);
    expect(old.json().phone).toBeNull();
    const twice = await as('v1_leader').post(`/api/people/reviews/${reviewId}/resolve`, { action: 'reject' });
    expect(twice.json().code).toBe('REVIEW_RESOLVED');
  });

  it('editing a phone to one held by another person is refused', async () => {
    const res = await as('v1_leader').patch(`/api/people/${personId}`, { phone: '138-0000-0021' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'DUPLICATE_PERSON', errors: [{ field: 'phone' }] });
  });

  it('finds people by exact phone or ID through the blind index, with the identifier only in the body', async () => {
    const res = await as('v1_leader').post('/api/people/lookup', { idNumber: idA() });
    expect(res.json().items.map((p: any) => p.id)).toEqual([personId]);
    const none = await as('t2_admin').post('/api/people/lookup', { idNumber: idA() });
    expect(none.json().total).toBe(0);
    expect(await audits('person.lookup')).not.toHaveLength(0);
  });

  it('an entry matching a person outside the submitter’s subtree goes to review', async () => {
    const res = await as('t2_admin').post(
      '/api/people',
      person({ name: '李重复', idNumber: idA(), homeGridId: world.g2 }),
    );
    expect(res.json()).toMatchObject({ outcome: 'review' });
    const review = (await as('t2_admin').get('/api/people/reviews')).json().items[0];
    expect(review.reason).toBe('out_of_scope');
  });
});

describe('personal data protection', () => {
  let id: number;
  beforeAll(async () => {
    const res = await as('t1_admin').post(
      '/api/people',
      person({ name: '隐私青年', idNumber: idNumber('20030303', '246'), phone: phone(30) }),
    );
    id = res.json().person.id;
  });

  it('unmasked identifiers need person.pii, and each view is audited', async () => {
    const denied = await as('t1_admin').get(`/api/people/${id}/identifiers`);
    expect(denied.statusCode).toBe(403);
    const res = await as('admin_a').get(`/api/people/${id}/identifiers`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, phone: '13800000030', idNumber: makeIdNumber('20030303', '246') });
    expect(res.headers['cache-control']).toBe('no-store');
    const entries = await audits('person.pii.read', id);
    expect(entries).toHaveLength(1);
    expect(entries[0].username).toBe('admin_a');
  });

  it('no plain-text ID or phone anywhere in the database, audit log included', async () => {
    const tables = ['people', 'person_reviews', 'key_youth', 'audit_log', 'registration_submissions'];
    const dump: string[] = [];
    for (const t of tables) {
      const rows = await many<{ j: string }>(
        ctx.database.db,
        sql`SELECT row_to_json(x)::text AS j FROM ${sql.raw(t)} x`,
      );
      dump.push(...rows.map((r) => r.j));
    }
    const text = dump.join('\n');
    expect(dump.length).toBeGreaterThan(20);
    expect(text).toContain('v1.');
    for (const value of SENT) expect(text, value).not.toContain(value);
  });
});

describe('scope', () => {
  let t1Person: number;
  beforeAll(async () => {
    t1Person = (
      await as('t1_admin').post('/api/people', person({ name: '东湖青年', phone: phone(40), birthDate: '2001-01-01' }))
    ).json().person.id;
  });

  it('a town admin cannot see another town’s people: 404 and an audit entry', async () => {
    const res = await as('t2_admin').get(`/api/people/${t1Person}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('PERSON_NOT_FOUND');
    expect((await audits('scope.denied', t1Person)).length).toBeGreaterThan(0);
    const patch = await as('t2_admin').patch(`/api/people/${t1Person}`, { name: '改名' });
    expect(patch.statusCode).toBe(404);
    const list = await as('t2_admin').get('/api/people?pageSize=500');
    expect(list.json().items.map((p: any) => p.id)).not.toContain(t1Person);
    const own = await as('t1_admin').get('/api/people?pageSize=500');
    expect(own.json().items.map((p: any) => p.id)).toContain(t1Person);
  });

  it('districts are isolated', async () => {
    expect((await as('admin_b').get(`/api/people/${t1Person}`)).statusCode).toBe(404);
    expect((await as('admin_b').get('/api/people')).json().total).toBe(0);
    expect((await as('admin_b').get(`/api/people?districtId=${world.districtA}`)).statusCode).toBe(404);
    const wrongGrid = await as('admin_b').post('/api/people', person({ phone: phone(41), birthDate: '2001-01-01' }));
    expect(wrongGrid.json().code).toBe('GRID_NOT_FOUND');
  });

  it('a youth account has no access to the registry', async () => {
    expect((await as('v1_youth').get('/api/people')).statusCode).toBe(403);
  });

  it('a grid leader cannot put a person into a grid outside his org', async () => {
    const res = await as('v1_leader').post(
      '/api/people',
      person({ phone: phone(42), birthDate: '2001-01-01', homeGridId: world.g2 }),
    );
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('GRID_NOT_FOUND');
  });
});

describe('key youth archive', () => {
  let id: number;
  beforeAll(async () => {
    id = (
      await as('t1_admin').post(
        '/api/people',
        person({
          name: '重点青少年甲',
          phone: phone(50),
          birthDate: '2010-01-01',
          guardianConsent: { guardianName: '甲父', relation: '父亲' },
        }),
      )
    ).json().person.id;
  });

  it('only person.key_youth may file a person; the note is encrypted', async () => {
    expect(
      (await as('t1_admin').put(`/api/people/${id}/key-youth`, { kind: 'left_behind_child', note: '父母在外地务工' }))
        .statusCode,
    ).toBe(403);
    const res = await as('admin_a').put(`/api/people/${id}/key-youth`, {
      kind: 'left_behind_child',
      note: '父母在外地务工',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ personId: id, kind: 'left_behind_child', note: '父母在外地务工' });
    const raw = await many<{ j: string }>(ctx.database.db, sql`SELECT row_to_json(k)::text AS j FROM key_youth k`);
    expect(raw[0].j).not.toContain('父母');
  });

  it('key youth leave the general lists and are invisible without the permission', async () => {
    const list = await as('admin_a').get('/api/people?pageSize=500');
    expect(list.json().items.map((p: any) => p.id)).not.toContain(id);
    expect((await as('t1_admin').get(`/api/people/${id}`)).statusCode).toBe(404);
    expect((await as('t1_admin').get('/api/key-youth')).statusCode).toBe(403);
    expect((await as('admin_a').get(`/api/people/${id}`)).statusCode).toBe(200);
  });

  it('every read of the archive is audited', async () => {
    const list = await as('admin_a').get('/api/key-youth');
    expect(list.json().items.map((k: any) => k.personId)).toEqual([id]);
    const one = await as('admin_a').get(`/api/people/${id}/key-youth`);
    expect(one.json().note).toBe('父母在外地务工');
    expect(await audits('key_youth.list')).toHaveLength(1);
    expect(await audits('key_youth.read', id)).toHaveLength(1);
    expect((await as('admin_b').get(`/api/people/${id}/key-youth`)).statusCode).toBe(404);
  });
});

describe('status changes and roll-up', () => {
  it('deactivated and withdrawn people leave the lists; a withdrawn person can no longer be processed', async () => {
    const a = (
      await as('t1_admin').post('/api/people', person({ name: '停用青年', phone: phone(60), birthDate: '2001-01-01' }))
    ).json().person.id;
    const b = (
      await as('t1_admin').post(
        '/api/people',
        person({ name: '撤回青年', phone: phone(61), birthDate: '2001-01-01', skills: ['篮球'] }),
      )
    ).json().person.id;
    expect((await as('t1_admin').post(`/api/people/${a}/deactivate`)).json().status).toBe('inactive');
    const w = await as('t1_admin').post(`/api/people/${b}/withdraw-consent`);
    expect(w.json()).toMatchObject({ status: 'withdrawn', skills: [] });
    const names = (await as('t1_admin').get('/api/people?pageSize=500')).json().items.map((p: any) => p.name);
    expect(names).not.toContain('停用青年');
    expect(names).not.toContain('撤回青年');
    const inactive = (await as('t1_admin').get('/api/people?status=inactive')).json().items.map((p: any) => p.name);
    expect(inactive).toEqual(['停用青年']);
    expect((await as('t1_admin').patch(`/api/people/${b}`, { name: 'x' })).json().code).toBe('PERSON_WITHDRAWN');
    expect((await as('t1_admin').post(`/api/people/${a}/reactivate`)).json().status).toBe('registered');
    expect(await audits('person.withdraw_consent', b)).toHaveLength(1);
  });

  it('the org tree counts registered people and League members up the subtree', async () => {
    const tree = (await as('admin_a').get('/api/orgs/tree')).json();
    const find = (nodes: OrgTreeNode[], id: number): OrgTreeNode | undefined => {
      for (const n of nodes) {
        if (n.id === id) return n;
        const f = find(n.children, id);
        if (f) return f;
      }
    };
    const [{ n: people }] = await many<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM people p JOIN grids g ON g.id = p.home_grid_id WHERE g.org_id = ${world.v1.id} AND p.status = 'registered'`,
    );
    const v1 = find(tree.roots, world.v1.id)!;
    expect(v1.counts.people).toBe(people);
    expect(v1.counts.members).toBe(2);
    expect(find(tree.roots, world.t1.id)!.counts.people).toBeGreaterThanOrEqual(people);
  });

  it('an org with people attached as their branch cannot be deactivated', async () => {
    const branch = await as('admin_a').post('/api/orgs', { parentId: world.t1.id, kind: 'branch', name: '企业团支部' });
    const res = await as('admin_a').post(
      '/api/people',
      person({ phone: phone(70), birthDate: '2001-01-01', homeGridId: undefined, branchOrgId: branch.json().id }),
    );
    expect(res.json().person.org.id).toBe(branch.json().id);
    const del = await as('admin_a').delete(`/api/orgs/${branch.json().id}`);
    expect(del.json().code).toBe('ORG_HAS_PEOPLE');
  });
});

describe('API document', () => {
  it('documents the people and registration routes', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/api/people', '/api/people/{id}/identifiers', '/api/key-youth', '/api/qr/{token}/register'])
      expect(paths).toContain(p);
  });
});
