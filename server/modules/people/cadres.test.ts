import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextVisitDay, quarterOf, shanghaiToday } from '../../../domain/cadre.ts';
import { many } from '../../db/sql.ts';
import { addPerson, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';
import { buildPeopleWorld, tempDataDir } from './people.fixtures.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildPeopleWorld>>;
let dataDir: string;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];
const today = shanghaiToday();

async function count(table: string) {
  const [r] = await ctx.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.n;
}
async function audits(action: string) {
  return many<any>(ctx.database.db, sql`SELECT * FROM audit_log WHERE action = ${action} ORDER BY id`);
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

describe('pure rules', () => {
  it('quarters and the next visit day in Asia/Shanghai', () => {
    expect(quarterOf('2026-02-14')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(quarterOf('2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(quarterOf('2024-05-01')).toEqual({ from: '2024-04-01', to: '2024-06-30' });
    expect(nextVisitDay('2026-03-05', 9)).toBe('2026-03-09');
    expect(nextVisitDay('2026-03-09', 9)).toBe('2026-03-09');
    expect(nextVisitDay('2026-12-10', 9)).toBe('2027-01-09');
    // 16:30 UTC on 31 Dec is already 1 Jan in Shanghai.
    expect(shanghaiToday(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });
});

describe('cadres', () => {
  it('a person of the registry becomes a cadre with posts, recruited-from and trainings, audited', async () => {
    const p = await addPerson(ctx.database, world.v1, '王书记');
    const made = await as('t1_admin').put(`/api/cadres/${p}`, {
      posts: ['secretary', 'grid_leader'],
      recruitedFrom: 'minqing_secretary',
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ personId: p, posts: ['secretary', 'grid_leader'], contacts: 0 });
    const again = await as('t1_admin').put(`/api/cadres/${p}`, {
      posts: ['secretary'],
      recruitedFrom: 'village_cadre',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ posts: ['secretary'], recruitedFrom: 'village_cadre' });
    const t = await as('t1_admin').post(`/api/cadres/${p}/trainings`, {
      title: '基层团干部示范培训',
      heldOn: '2026-01-05',
      hours: 4.5,
    });
    expect(t.statusCode).toBe(201);
    const detail = (await as('t1_admin').get(`/api/cadres/${p}`)).json();
    expect(detail.trainingList).toMatchObject([{ title: '基层团干部示范培训', heldOn: '2026-01-05', hours: 4.5 }]);
    expect(detail.trainings).toBe(1);
    const list = (await as('t1_admin').get('/api/cadres?post=secretary')).json();
    expect(list.items.map((c: any) => c.personId)).toContain(p);
    expect((await audits('cadre.create')).at(-1)).toMatchObject({ entity: 'cadre', entity_id: String(p) });
    expect((await audits('cadre.update')).at(-1).before).toMatchObject({ posts: ['secretary', 'grid_leader'] });
  });

  it('rejects bad posts, empty posts, future training dates, writing nothing', async () => {
    const p = await addPerson(ctx.database, world.v1, '李干部');
    const before = await count('cadres');
    const bad = await as('t1_admin').put(`/api/cadres/${p}`, { posts: ['boss'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('posts.0');
    expect((await as('t1_admin').put(`/api/cadres/${p}`, { posts: [] })).json().errors[0].field).toBe('posts');
    expect(await count('cadres')).toBe(before);
    await as('t1_admin').put(`/api/cadres/${p}`, { posts: ['instructor'] });
    const future = await as('t1_admin').post(`/api/cadres/${p}/trainings`, { title: 'x', heldOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('heldOn');
    expect((await as('t1_admin').get(`/api/cadres/${p + 100000}`)).json().code).toBe('CADRE_NOT_FOUND');
  });

  it('is scoped: another town answers 404 and is audited; districts are isolated; youth have no access', async () => {
    const p = await addPerson(ctx.database, world.v1, '赵干部');
    await as('t1_admin').put(`/api/cadres/${p}`, { posts: ['contact_person'] });
    const other = await as('t2_admin').get(`/api/cadres/${p}`);
    expect(other.statusCode).toBe(404);
    expect(
      (await audits('scope.denied')).filter((a) => a.entity === 'cadre' && a.entity_id === String(p)),
    ).toHaveLength(1);
    expect((await as('t2_admin').get('/api/cadres')).json().items.map((c: any) => c.personId)).not.toContain(p);
    expect((await as('admin_b').get(`/api/cadres/${p}`)).statusCode).toBe(404);
    const v2person = await addPerson(ctx.database, world.v2, '外镇青年');
    expect((await as('t1_admin').put(`/api/cadres/${v2person}`, { posts: ['secretary'] })).statusCode).toBe(404);
    expect((await as('v1_youth').get('/api/cadres')).statusCode).toBe(403);
  });
});

describe('1+100 contacts', () => {
  it('keeps up to 100 youth per cadre, all or nothing, and logs contacts with date, channel and note', async () => {
    const cadre = await addPerson(ctx.database, world.v1, '孙网格长');
    await as('v1_leader').put(`/api/cadres/${cadre}`, { posts: ['grid_leader'] });
    const youth: number[] = [];
    for (let i = 0; i < 101; i++) youth.push(await addPerson(ctx.database, world.v1, `青年${i}`));
    const first = await as('v1_leader').post(`/api/cadres/${cadre}/contacts`, { personIds: youth.slice(0, 99) });
    expect(first.json()).toEqual({ added: 99, total: 99 });
    // Re-adding someone already listed changes nothing.
    expect((await as('v1_leader').post(`/api/cadres/${cadre}/contacts`, { personIds: [youth[0]] })).json()).toEqual({
      added: 0,
      total: 99,
    });
    const over = await as('v1_leader').post(`/api/cadres/${cadre}/contacts`, { personIds: youth.slice(99, 101) });
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('CONTACT_LIMIT');
    const [{ n }] = await ctx.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM cadre_contacts WHERE cadre_person_id = $1',
      [cadre],
    );
    expect(n).toBe(99);
    expect((await as('v1_leader').post(`/api/cadres/${cadre}/contacts`, { personIds: [youth[99]] })).json().total).toBe(
      100,
    );

    // A person outside the caller's subtree is named by its position and nothing is added.
    const outside = await addPerson(ctx.database, world.v2, '外村青年');
    const cadre2 = await addPerson(ctx.database, world.v1, '周联络员');
    await as('v1_leader').put(`/api/cadres/${cadre2}`, { posts: ['contact_person'] });
    const wrong = await as('v1_leader').post(`/api/cadres/${cadre2}/contacts`, { personIds: [youth[0], outside] });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().errors).toEqual([expect.objectContaining({ field: 'personIds.1' })]);
    expect((await as('v1_leader').get(`/api/cadres/${cadre2}`)).json().contacts).toBe(0);

    const log = await as('v1_leader').post(`/api/cadres/${cadre}/contact-logs`, {
      personId: youth[3],
      contactedOn: today,
      channel: 'wechat',
      note: '了解求职需求',
    });
    expect(log.statusCode).toBe(201);
    expect(log.json()).toMatchObject({ person: { id: youth[3] }, contactedOn: today, channel: 'wechat' });
    const notListed = await as('v1_leader').post(`/api/cadres/${cadre}/contact-logs`, {
      personId: youth[100],
      contactedOn: today,
      channel: 'phone',
    });
    expect(notListed.json()).toMatchObject({ code: 'NOT_A_CONTACT', errors: [{ field: 'personId' }] });
    const badChannel = await as('v1_leader').post(`/api/cadres/${cadre}/contact-logs`, {
      personId: youth[3],
      contactedOn: '2026-02-30',
      channel: 'pigeon',
    });
    expect(
      badChannel
        .json()
        .errors.map((e: any) => e.field)
        .sort(),
    ).toEqual(['channel', 'contactedOn']);
    const logs = (await as('v1_leader').get(`/api/cadres/${cadre}/contact-logs`)).json();
    expect(logs.total).toBe(1);

    const detail = (await as('v1_leader').get(`/api/cadres/${cadre}`)).json();
    expect(detail).toMatchObject({ contacts: 100, contactedThisQuarter: 1, quarter: quarterOf(today) });
    expect(detail.contactList.find((c: any) => c.personId === youth[3]).lastContactOn).toBe(today);

    // Removing keeps the log; the list shrinks.
    expect((await as('v1_leader').delete(`/api/cadres/${cadre}/contacts/${youth[50]}`)).json()).toEqual({ ok: true });
    expect((await as('v1_leader').delete(`/api/cadres/${cadre}/contacts/${youth[50]}`)).json().code).toBe(
      'NOT_A_CONTACT',
    );
    expect((await audits('cadre.contacts.remove')).length).toBe(1);
  });

  it('the coverage dashboard lists who has not been contacted this quarter; withdrawn youth leave it', async () => {
    const cadre = await addPerson(ctx.database, world.v1, '吴书记');
    await as('t1_admin').put(`/api/cadres/${cadre}`, { posts: ['secretary'] });
    const [a, b, c] = [
      await addPerson(ctx.database, world.v1, '甲青年'),
      await addPerson(ctx.database, world.v1, '乙青年'),
      await addPerson(ctx.database, world.v1, '丙青年'),
    ];
    await as('t1_admin').post(`/api/cadres/${cadre}/contacts`, { personIds: [a, b, c] });
    await as('t1_admin').post(`/api/cadres/${cadre}/contact-logs`, {
      personId: a,
      contactedOn: today,
      channel: 'phone',
    });
    // Last quarter's contact does not count for this one.
    const lastQuarter = new Date(`${quarterOf(today).from}T00:00:00Z`);
    lastQuarter.setUTCDate(lastQuarter.getUTCDate() - 3);
    await as('t1_admin').post(`/api/cadres/${cadre}/contact-logs`, {
      personId: b,
      contactedOn: lastQuarter.toISOString().slice(0, 10),
      channel: 'face_to_face',
    });
    const cov = (await as('t1_admin').get(`/api/cadres/coverage?orgId=${world.v1.id}`)).json();
    const mine = cov.perCadre.find((x: any) => x.personId === cadre);
    expect(mine).toMatchObject({ contacts: 3, contacted: 1 });
    const pairs = cov.notContacted.filter((x: any) => x.cadrePersonId === cadre);
    expect(pairs.map((x: any) => x.personId).sort()).toEqual([b, c].sort());
    expect(pairs.find((x: any) => x.personId === b).lastContactOn).toBe(lastQuarter.toISOString().slice(0, 10));
    expect(cov.rate).toBeGreaterThan(0);
    expect(cov.rate).toBeLessThanOrEqual(1);

    await as('t1_admin').post(`/api/people/${c}/withdraw-consent`);
    const after = (await as('t1_admin').get(`/api/cadres/coverage?orgId=${world.v1.id}`)).json();
    expect(after.perCadre.find((x: any) => x.personId === cadre)).toMatchObject({ contacts: 2, contacted: 1 });
    expect(after.notContacted.some((x: any) => x.personId === c)).toBe(false);
    expect(
      (await as('t1_admin').get(`/api/cadres/${cadre}`)).json().contactList.map((x: any) => x.personId),
    ).not.toContain(c);
    // Another town sees none of it.
    const t2 = (await as('t2_admin').get('/api/cadres/coverage')).json();
    expect(t2.perCadre.some((x: any) => x.personId === cadre)).toBe(false);
    expect((await as('t2_admin').get(`/api/cadres/coverage?orgId=${world.v1.id}`)).statusCode).toBe(404);
  });
});

describe('visits', () => {
  it('the monthly visit day defaults to the 9th and only district admins change it', async () => {
    const s = (await as('t1_admin').get('/api/visits/settings')).json();
    expect(s).toMatchObject({ visitDay: 9, nextVisitDay: nextVisitDay(today, 9) });
    expect((await as('t1_admin').put('/api/visits/settings', { visitDay: 15 })).statusCode).toBe(403);
    expect((await as('admin_a').put('/api/visits/settings', { visitDay: 31 })).json().errors[0].field).toBe('visitDay');
    const set = await as('admin_a').put('/api/visits/settings', { visitDay: 15 });
    expect(set.json()).toMatchObject({ visitDay: 15 });
    expect((await as('admin_b').get('/api/visits/settings')).json().visitDay).toBe(9);
    await as('admin_a').put('/api/visits/settings', { visitDay: 9 });
    expect((await audits('visit.settings')).length).toBe(2);
  });

  it('records visits of a person, an enterprise and an organisation with notes and demands (the orders hook)', async () => {
    const youth = await addPerson(ctx.database, world.v1, '走访青年');
    const visitor = await addPerson(ctx.database, world.v1, '郑书记');
    await as('t1_admin').put(`/api/cadres/${visitor}`, { posts: ['secretary'] });
    const person = await as('t1_admin').post('/api/visits', {
      orgId: world.v1.id,
      visitedOn: '2026-01-09',
      targetKind: 'person',
      personId: youth,
      visitorPersonId: visitor,
      notes: '家中走访，了解就业情况',
      demands: ['希望参加技能培训'],
    });
    expect(person.statusCode).toBe(201);
    expect(person.json()).toMatchObject({
      onVisitDay: true,
      person: { id: youth, name: '走访青年' },
      visitor: { id: visitor },
      demands: [{ text: '希望参加技能培训', status: 'open', orderId: null }],
    });
    const enterprise = await as('t1_admin').post('/api/visits', {
      orgId: world.t1.id,
      visitedOn: '2026-01-12',
      targetKind: 'enterprise',
      targetName: '<b>某纺织公司</b>',
      notes: '青年职工 120 人',
    });
    expect(enterprise.json()).toMatchObject({ onVisitDay: false, targetName: '<b>某纺织公司</b>', demands: [] });
    const before = await count('visits');
    const broken = await as('t1_admin').post('/api/visits', {
      orgId: world.t1.id,
      visitedOn: '2026-01-12',
      targetKind: 'organisation',
      notes: '',
      demands: ['x'.repeat(501)],
    });
    expect(broken.statusCode).toBe(400);
    expect(
      broken
        .json()
        .errors.map((e: any) => e.field)
        .sort(),
    ).toEqual(['demands.0', 'notes', 'targetName']);
    const outside = await as('t1_admin').post('/api/visits', {
      orgId: world.v2.id,
      visitedOn: '2026-01-12',
      targetKind: 'organisation',
      targetName: '某协会',
      notes: '走访',
    });
    expect(outside.statusCode).toBe(404);
    expect(await count('visits')).toBe(before);

    const list = (await as('t1_admin').get(`/api/visits?orgId=${world.t1.id}&from=2026-01-01&to=2026-01-31`)).json();
    expect(list.items.map((v: any) => v.id)).toEqual([enterprise.json().id, person.json().id]);
    expect((await as('t2_admin').get(`/api/visits/${person.json().id}`)).statusCode).toBe(404);
    expect((await as('admin_b').get('/api/visits')).json().total).toBe(0);
    const demands = (await as('t1_admin').get('/api/visits/demands')).json();
    expect(demands.items).toEqual([
      expect.objectContaining({ text: '希望参加技能培训', status: 'open', visitId: person.json().id }),
    ]);
    expect((await as('t2_admin').get('/api/visits/demands')).json().items).toEqual([]);
    expect((await audits('visit.create')).length).toBe(2);

    // A visited person who withdraws consent is no longer named on the record.
    await as('t1_admin').post(`/api/people/${youth}/withdraw-consent`);
    expect((await as('t1_admin').get(`/api/visits/${person.json().id}`)).json().person.name).toBe('—');
  });
});

describe('work ledger', () => {
  it('exports one cadre’s 工作台账 as .xlsx: posts, list, contact log and visits, formulas escaped, audited', async () => {
    const cadre = await addPerson(ctx.database, world.v1, '钱书记');
    await as('t1_admin').put(`/api/cadres/${cadre}`, { posts: ['secretary'] });
    const y = await addPerson(ctx.database, world.v1, '=HYPERLINK("x")');
    await as('t1_admin').post(`/api/cadres/${cadre}/contacts`, { personIds: [y] });
    await as('t1_admin').post(`/api/cadres/${cadre}/contact-logs`, {
      personId: y,
      contactedOn: today,
      channel: 'qq',
      note: '+1 报名',
    });
    await as('t1_admin').post('/api/visits', {
      orgId: world.v1.id,
      visitedOn: today,
      targetKind: 'enterprise',
      targetName: '某电商企业',
      visitorPersonId: cadre,
      notes: '走访青年职工',
      demands: ['需要场地'],
    });
    const res = await as('t1_admin').get(`/api/cadres/${cadre}/work-ledger.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['基本情况', '联系名单', '联系记录', '走访记录']);
    expect(wb.getWorksheet('联系名单')!.getRow(2).getCell(1).value).toBe(`'=HYPERLINK("x")`);
    expect(wb.getWorksheet('联系记录')!.getRow(2).values).toEqual([
      undefined,
      today,
      `'=HYPERLINK("x")`,
      'QQ',
      "'+1 报名",
    ]);
    expect(wb.getWorksheet('走访记录')!.getRow(2).getCell(5).value).toBe('需要场地');
    expect((await audits('cadre.work_ledger.export')).length).toBe(1);
    expect((await as('t2_admin').get(`/api/cadres/${cadre}/work-ledger.xlsx`)).statusCode).toBe(404);
  });
});

describe('API document', () => {
  it('documents the cadre and visit routes', async () => {
    const doc = (await as('admin_a').get('/api/openapi.json')).json();
    for (const p of [
      '/api/cadres',
      '/api/cadres/coverage',
      '/api/cadres/{id}/contacts',
      '/api/visits',
      '/api/visits/settings',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
  });
});
