import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many, one } from '../../db/sql.ts';
import { buildWorld, PASSWORD } from '../../test/factories.ts';
import { Client, createTestApp, type TestContext } from '../../test/harness.ts';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: Client;
let t1Admin: Client;
let t2Admin: Client;
let adminB: Client;
let leader: Client;
let youth: Client;

const DAY = 86_400_000;
const OFFSET = 8 * 3600_000;

/** An ISO instant with +08:00: `daysAhead` Shanghai days from today at `clock`. */
function at(daysAhead: number, clock: string): string {
  const today = Math.floor((Date.now() + OFFSET) / DAY);
  const date = new Date((today + daysAhead) * DAY).toISOString().slice(0, 10);
  return `${date}T${clock}:00+08:00`;
}

const EVERY_DAY = { from: '08:00', to: '22:00' };
const OPEN_DAILY = {
  mon: [EVERY_DAY],
  tue: [EVERY_DAY],
  wed: [EVERY_DAY],
  thu: [EVERY_DAY],
  fri: [EVERY_DAY],
  sat: [EVERY_DAY],
  sun: [EVERY_DAY],
};

let seq = 0;
function venueInput(orgId: number, extra: Record<string, unknown> = {}) {
  seq++;
  return {
    orgId,
    type: 'youth_home',
    name: `测试青年之家${seq}`,
    location: { lon: 120.49 + seq * 0.001, lat: 30.08 },
    address: `柯桥街道测试路${seq}号`,
    capacity: 60,
    facilities: ['projector', 'wifi'],
    openingHours: OPEN_DAILY,
    advanceDays: 14,
    maxMinutes: 180,
    contactName: '服务台',
    contactPhone: '0575-8888 0000',
    ...extra,
  };
}

async function createVenue(client: Client, orgId: number, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/venues', venueInput(orgId, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; name: string };
}

function book(client: Client, venueId: number, orgId: number, start: string, end: string, purpose = '青年议事会') {
  return client.post(`/api/venues/${venueId}/bookings`, { orgId, purpose, start, end });
}

async function count(table: string, where = sql`TRUE`) {
  const r = await one<{ n: number }>(
    ctx.database.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${where}`,
  );
  return r!.n;
}

beforeAll(async () => {
  ctx = await createTestApp();
  world = await buildWorld(ctx.database);
  const login = async (username: string, lang = 'zh-CN') => {
    const c = new Client(ctx.app, lang);
    const res = await c.login(username, PASSWORD);
    expect(res.statusCode).toBe(200);
    return c;
  };
  admin = await login('admin_a');
  t1Admin = await login('t1_admin');
  t2Admin = await login('t2_admin');
  adminB = await login('admin_b', 'en');
  leader = await login('v1_leader');
  youth = await login('v1_youth');
});
afterAll(() => ctx?.close());

describe('venue CRUD and validation', () => {
  it('creates a venue with every field and audits it', async () => {
    const res = await t1Admin.post('/api/venues', venueInput(world.v1.id, { needsApproval: true }));
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v).toMatchObject({
      orgId: world.v1.id,
      orgName: '北村团总支',
      type: 'youth_home',
      capacity: 60,
      facilities: ['projector', 'wifi'],
      bookableBy: 'district',
      advanceDays: 14,
      maxMinutes: 180,
      needsApproval: true,
      canManage: true,
      active: true,
    });
    expect(v.location.lat).toBeCloseTo(30.08, 6);
    expect(v.openingHours.mon).toEqual([EVERY_DAY]);
    expect(await count('audit_log', sql`action = 'venue.create' AND entity_id = ${String(v.id)}`)).toBe(1);
  });

  it('defaults the opening hours and rules', async () => {
    const { openingHours: _o, advanceDays: _a, maxMinutes: _m, ...input } = venueInput(world.t1.id);
    const res = await t1Admin.post('/api/venues', input);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ advanceDays: 30, maxMinutes: 240, needsApproval: false });
    expect(res.json().openingHours.sat).toEqual([{ from: '09:00', to: '17:00' }]);
  });

  it('names every wrong field in a 400 problem', async () => {
    const res = await t1Admin.post('/api/venues', {
      ...venueInput(world.v1.id),
      name: '',
      type: 'castle',
      location: { lon: 120.5, lat: 300 },
      capacity: -1,
      openingHours: { ...OPEN_DAILY, mon: [{ from: '18:00', to: '09:00' }], tue: [{ from: '8:00', to: '09:00' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'name',
        'type',
        'location.lat',
        'capacity',
        'openingHours.mon.0.to',
        'openingHours.tue.0.from',
      ]),
    );
    const monMessage = res.json().errors.find((e: { field: string }) => e.field === 'openingHours.mon.0.to').message;
    expect(monMessage).toBe('结束时间须晚于开始时间');
  });

  it('refuses an owner org outside the subtree, naming the field', async () => {
    const res = await t1Admin.post('/api/venues', venueInput(world.v2.id));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ORG_NOT_FOUND', errors: [{ field: 'orgId' }] });
  });

  it('lets roles without venue.manage read but not write', async () => {
    expect((await leader.get('/api/venues')).statusCode).toBe(200);
    expect((await leader.post('/api/venues', venueInput(world.v1.id))).statusCode).toBe(403);
    expect((await youth.get('/api/venues')).statusCode).toBe(403);
  });

  it('edits and deactivates; another town and another district get 404', async () => {
    const v = await createVenue(t1Admin, world.v1.id);
    const patched = await t1Admin.patch(`/api/venues/${v.id}`, { capacity: 80, facilities: ['stage'] });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ capacity: 80, facilities: ['stage'] });

    // The sibling town reads the district's venues but cannot manage this one.
    const seen = await t2Admin.get(`/api/venues/${v.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().canManage).toBe(false);
    expect((await t2Admin.patch(`/api/venues/${v.id}`, { capacity: 1 })).statusCode).toBe(404);
    expect((await t2Admin.delete(`/api/venues/${v.id}`)).statusCode).toBe(404);

    // Another district sees nothing of it.
    const other = await adminB.get(`/api/venues/${v.id}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('VENUE_NOT_FOUND');
    expect(other.json().title).toBe('Venue not found');
    const listB = await adminB.get('/api/venues?pageSize=1000');
    expect(listB.json().items.map((x: { id: number }) => x.id)).not.toContain(v.id);
    expect((await adminB.get(`/api/venues?districtId=${world.districtA}`)).statusCode).toBe(404);
    expect(await count('audit_log', sql`action = 'scope.denied' AND entity = 'venue'`)).toBeGreaterThan(0);

    const off = await t1Admin.delete(`/api/venues/${v.id}`);
    expect(off.json().active).toBe(false);
    const list = await admin.get('/api/venues?pageSize=1000');
    expect(list.json().items.map((x: { id: number }) => x.id)).not.toContain(v.id);
  });
});

describe('venue list filters and the public map', () => {
  let hall: { id: number };
  let room: { id: number };

  beforeAll(async () => {
    hall = await createVenue(admin, world.t2.id, {
      type: 'culture_hall',
      name: '西山文化礼堂',
      capacity: 300,
      facilities: ['stage', 'sound', 'parking'],
    });
    room = await createVenue(admin, world.t2.id, {
      type: 'meeting_room',
      name: '西山会议室',
      capacity: 20,
      facilities: ['projector'],
    });
  });

  it('filters by type, capacity, facilities, org and text', async () => {
    const ids = async (q: string) =>
      ((await admin.get(`/api/venues?pageSize=1000&${q}`)).json().items as { id: number }[]).map((v) => v.id);
    expect(await ids('type=culture_hall')).toContain(hall.id);
    expect(await ids('type=culture_hall')).not.toContain(room.id);
    expect(await ids('minCapacity=100')).toContain(hall.id);
    expect(await ids('minCapacity=100')).not.toContain(room.id);
    expect(await ids('facilities=stage,sound')).toEqual([hall.id]);
    expect(await ids(`orgId=${world.t2.id}`)).toEqual(expect.arrayContaining([hall.id, room.id]));
    expect(await ids(`orgId=${world.t1.id}`)).not.toContain(hall.id);
    expect(await ids(`q=${encodeURIComponent('会议')}`)).toEqual([room.id]);
  });

  it('filters by free time: booked or closed venues drop out', async () => {
    const start = at(2, '14:00');
    const end = at(2, '16:00');
    const free = async () =>
      (
        (
          await admin.get(
            `/api/venues?pageSize=1000&freeFrom=${encodeURIComponent(start)}&freeTo=${encodeURIComponent(end)}`,
          )
        ).json().items as { id: number }[]
      ).map((v) => v.id);
    expect(await free()).toEqual(expect.arrayContaining([hall.id, room.id]));
    expect((await book(admin, hall.id, world.t2.id, at(2, '15:00'), at(2, '15:30'))).statusCode).toBe(201);
    expect(await free()).not.toContain(hall.id);
    expect(await free()).toContain(room.id);
    // 22:00–23:00 is outside every test venue's hours.
    const late = await admin.get(
      `/api/venues?pageSize=1000&freeFrom=${encodeURIComponent(at(2, '22:00'))}&freeTo=${encodeURIComponent(at(2, '23:00'))}`,
    );
    expect(late.json().items.map((v: { id: number }) => v.id)).not.toContain(room.id);
    const bad = await admin.get(`/api/venues?freeFrom=${encodeURIComponent(start)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('freeTo');
  });

  it('publishes active venues without a login, with only the venue’s own contact', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/public/districts/${world.districtA}/venues` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.districtName).toBe('甲区');
    const item = body.items.find((v: { id: number }) => v.id === hall.id);
    expect(Object.keys(item).sort()).toEqual(
      [
        'address',
        'capacity',
        'contactName',
        'contactPhone',
        'facilities',
        'id',
        'location',
        'name',
        'needsApproval',
        'openingHours',
        'orgName',
        'type',
      ].sort(),
    );
    expect(JSON.stringify(body)).not.toMatch(/bookedBy|purpose|v1_leader|t1_admin/);
    const filtered = await ctx.app.inject({
      method: 'GET',
      url: `/api/public/districts/${world.districtA}/venues?type=meeting_room&minCapacity=10`,
    });
    expect(filtered.json().items.map((v: { id: number }) => v.id)).toContain(room.id);
    expect(filtered.json().items.map((v: { id: number }) => v.id)).not.toContain(hall.id);
    const otherDistrict = await ctx.app.inject({
      method: 'GET',
      url: `/api/public/districts/${world.districtB}/venues`,
    });
    expect(otherDistrict.json().items.map((v: { id: number }) => v.id)).not.toContain(hall.id);
    const missing = await ctx.app.inject({ method: 'GET', url: '/api/public/districts/999999/venues' });
    expect(missing.statusCode).toBe(404);
  });
});

describe('booking', () => {
  let venue: { id: number };

  beforeAll(async () => {
    venue = await createVenue(t1Admin, world.t1.id, { name: '东湖青年之家' });
  });

  it('books adjacent slots [10:00,11:00) and [11:00,12:00) and refuses an overlap with a clear 409', async () => {
    const a = await book(t1Admin, venue.id, world.t1.id, at(3, '10:00'), at(3, '11:00'));
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ status: 'approved', orgId: world.t1.id, venueName: '东湖青年之家' });
    expect(new Date(a.json().start).toISOString()).toBe(new Date(at(3, '10:00')).toISOString());
    const b = await book(leader, venue.id, world.v1.id, at(3, '11:00'), at(3, '12:00'));
    expect(b.statusCode, b.body).toBe(201);

    const clash = await book(leader, venue.id, world.v1.id, at(3, '10:30'), at(3, '11:30'));
    expect(clash.statusCode).toBe(409);
    expect(clash.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(clash.json()).toMatchObject({
      code: 'BOOKING_CONFLICT',
      title: '该时段已被预订（或正在等待审批），请选择其他时间',
      errors: [{ field: 'start' }],
    });
    const en = await adminB.post(`/api/venues/${venue.id}/bookings`, {
      orgId: world.tb.id,
      purpose: 'x',
      start: at(3, '10:30'),
      end: at(3, '11:30'),
    });
    expect(en.statusCode).toBe(404); // another district cannot even see the venue
  });

  it('answers 50 simultaneous requests for one slot with exactly one 201 and 49 409s', async () => {
    const start = at(4, '14:00');
    const end = at(4, '16:00');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        book(i % 2 ? leader : t1Admin, venue.id, world.v1.id, start, end, `并发${i}`),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('BOOKING_CONFLICT');
    const live = await many(
      ctx.database.db,
      sql`SELECT id FROM venue_bookings WHERE venue_id = ${venue.id}
            AND period && tstzrange(${start}::timestamptz, ${end}::timestamptz) AND status IN ('requested', 'approved')`,
    );
    expect(live).toHaveLength(1);
    expect(await count('audit_log', sql`action = 'venue.booking.create' AND after->>'purpose' LIKE '并发%'`)).toBe(1);
  });

  it('frees the slot when a booking is cancelled', async () => {
    const first = await book(leader, venue.id, world.v1.id, at(5, '09:00'), at(5, '10:00'));
    expect(first.statusCode).toBe(201);
    expect((await book(t1Admin, venue.id, world.t1.id, at(5, '09:00'), at(5, '10:00'))).statusCode).toBe(409);
    // The sibling town cannot cancel it; the booker's side can.
    expect((await t2Admin.post(`/api/venue-bookings/${first.json().id}/cancel`, {})).statusCode).toBe(404);
    const cancelled = await leader.post(`/api/venue-bookings/${first.json().id}/cancel`, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((await leader.post(`/api/venue-bookings/${first.json().id}/cancel`, {})).statusCode).toBe(409);
    expect((await book(t1Admin, venue.id, world.t1.id, at(5, '09:00'), at(5, '10:00'))).statusCode).toBe(201);
  });

  it('refuses slots outside the opening hours, past the window, too long or in the past, with the numbers', async () => {
    const closed = await book(t1Admin, venue.id, world.t1.id, at(3, '21:00'), at(3, '23:00'));
    expect(closed.statusCode).toBe(422);
    expect(closed.json()).toMatchObject({ code: 'BOOKING_OUTSIDE_HOURS', errors: [{ field: 'start' }] });
    expect(closed.json().detail).toMatch(/08:00–22:00/);

    const early = await book(t1Admin, venue.id, world.t1.id, at(3, '07:30'), at(3, '08:30'));
    expect(early.json().code).toBe('BOOKING_OUTSIDE_HOURS');

    const far = await book(t1Admin, venue.id, world.t1.id, at(15, '10:00'), at(15, '11:00'));
    expect(far.statusCode).toBe(422);
    expect(far.json()).toMatchObject({ code: 'BOOKING_TOO_FAR_AHEAD', errors: [{ field: 'start' }] });
    expect(far.json().detail).toMatch(/14/);
    expect((await book(t1Admin, venue.id, world.t1.id, at(14, '10:00'), at(14, '11:00'))).statusCode).toBe(201);

    const long = await book(t1Admin, venue.id, world.t1.id, at(6, '09:00'), at(6, '13:00'));
    expect(long.json()).toMatchObject({ code: 'BOOKING_TOO_LONG', errors: [{ field: 'end' }] });

    const past = await book(t1Admin, venue.id, world.t1.id, at(-1, '10:00'), at(-1, '11:00'));
    expect(past.json().code).toBe('BOOKING_IN_PAST');

    const backwards = await book(t1Admin, venue.id, world.t1.id, at(6, '11:00'), at(6, '10:00'));
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toEqual([{ field: 'end', message: '结束时间须晚于开始时间' }]);

    const noOffset = await book(t1Admin, venue.id, world.t1.id, '2026-12-01 10:00', at(6, '10:00'));
    expect(noOffset.statusCode).toBe(400);
    expect(noOffset.json().errors[0].field).toBe('start');
  });

  it('applies "who may book": owner-subtree venues refuse other towns', async () => {
    const own = await createVenue(t1Admin, world.t1.id, { bookableBy: 'owner_subtree' });
    const other = await book(t2Admin, own.id, world.t2.id, at(3, '10:00'), at(3, '11:00'));
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'BOOKING_NOT_ALLOWED', errors: [{ field: 'orgId' }] });
    expect((await book(leader, own.id, world.v1.id, at(3, '10:00'), at(3, '11:00'))).statusCode).toBe(201);
    // Booking for an org outside one's own subtree is refused whatever the venue.
    const foreign = await book(leader, venue.id, world.t2.id, at(7, '10:00'), at(7, '11:00'));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors[0].field).toBe('orgId');
    expect((await book(youth, venue.id, world.v1.id, at(7, '10:00'), at(7, '11:00'))).statusCode).toBe(403);
  });

  it('makes no partial writes: a refused booking leaves no row and no audit entry', async () => {
    const before = await count('venue_bookings');
    const audits = await count('audit_log', sql`action = 'venue.booking.create'`);
    await book(t1Admin, venue.id, world.t1.id, at(3, '10:00'), at(3, '11:00'));
    await book(t1Admin, venue.id, world.t1.id, at(3, '21:00'), at(3, '23:00'));
    expect(await count('venue_bookings')).toBe(before);
    expect(await count('audit_log', sql`action = 'venue.booking.create'`)).toBe(audits);
  });
});

describe('approval', () => {
  let venue: { id: number };

  beforeAll(async () => {
    venue = await createVenue(t1Admin, world.v1.id, { name: '北村文化礼堂', needsApproval: true });
  });

  it('holds the slot while requested; only the owner side decides; racing approvals post once', async () => {
    const req = await book(t2Admin, venue.id, world.t2.id, at(6, '09:00'), at(6, '10:00'));
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json()).toMatchObject({ status: 'requested', canDecide: false, canCancel: true });
    const id = req.json().id;
    // A requested booking holds the slot.
    expect((await book(leader, venue.id, world.v1.id, at(6, '09:30'), at(6, '10:30'))).statusCode).toBe(409);

    expect((await t2Admin.post(`/api/venue-bookings/${id}/approve`, {})).statusCode).toBe(404);
    expect((await leader.post(`/api/venue-bookings/${id}/approve`, {})).statusCode).toBe(403);
    expect((await adminB.post(`/api/venue-bookings/${id}/approve`, {})).statusCode).toBe(404);

    const todo = await t1Admin.get('/api/venue-bookings?view=to_decide&status=requested');
    expect(todo.json().items.map((b: { id: number }) => b.id)).toContain(id);
    expect(todo.json().items.find((b: { id: number }) => b.id === id).canDecide).toBe(true);

    const race = await Promise.all([
      t1Admin.post(`/api/venue-bookings/${id}/approve`, { note: '同意' }),
      admin.post(`/api/venue-bookings/${id}/approve`, {}),
      admin.post(`/api/venue-bookings/${id}/reject`, { note: '冲突' }),
    ]);
    const codes = race.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409]);
    expect(race.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'BOOKING_STATE')).toBe(true);
    const decisions = await count(
      'audit_log',
      sql`action IN ('venue.booking.approve', 'venue.booking.reject') AND entity_id = ${String(id)}`,
    );
    expect(decisions).toBe(1);
  });

  it('a rejected request frees the slot; managers book their own venue without approval', async () => {
    const req = await book(leader, venue.id, world.v1.id, at(7, '14:00'), at(7, '15:00'));
    expect(req.json().status).toBe('requested');
    const rejected = await admin.post(`/api/venue-bookings/${req.json().id}/reject`, { note: '场地维修' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '场地维修' });
    const own = await book(t1Admin, venue.id, world.v1.id, at(7, '14:00'), at(7, '15:00'));
    expect(own.statusCode).toBe(201);
    expect(own.json().status).toBe('approved');
  });
});

describe('calendar and usage', () => {
  it('lists the bookings of a range and computes hours and utilisation', async () => {
    const v = await createVenue(t1Admin, world.t1.id, {
      openingHours: { ...OPEN_DAILY, mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    });
    // Open 08:00–22:00 on every day but nothing else: set it back, then book 2 h + 1 h approved, 1 h cancelled.
    await t1Admin.patch(`/api/venues/${v.id}`, { openingHours: OPEN_DAILY });
    const ids: number[] = [];
    for (const [from, to] of [
      ['09:00', '11:00'],
      ['13:00', '14:00'],
      ['15:00', '16:00'],
    ]) {
      const r = await book(t1Admin, v.id, world.t1.id, at(8, from), at(8, to));
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().id);
    }
    await t1Admin.post(`/api/venue-bookings/${ids[2]}/cancel`, {});
    const range = `from=${encodeURIComponent(at(8, '00:00'))}&to=${encodeURIComponent(at(9, '00:00'))}`;
    const cal = await t2Admin.get(`/api/venues/${v.id}/bookings?${range}`);
    expect(cal.statusCode, cal.body).toBe(200);
    expect(cal.json().items.map((b: { id: number }) => b.id)).toEqual(ids);
    expect(cal.json().items[0].canCancel).toBe(false); // another town reads, but does not cancel
    const usage = await t1Admin.get(`/api/venues/${v.id}/usage?${range}`);
    expect(usage.statusCode, usage.body).toBe(200);
    expect(usage.json()).toMatchObject({
      hoursBooked: 3,
      hoursOpen: 14,
      bookings: { approved: 2, cancelled: 1, requested: 0, rejected: 0 },
    });
    expect(usage.json().utilisation).toBeCloseTo(3 / 14, 4);
    const tooLong = await t1Admin.get(
      `/api/venues/${v.id}/bookings?from=${encodeURIComponent(at(0, '00:00'))}&to=${encodeURIComponent(at(90, '00:00'))}`,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('to');
    expect((await adminB.get(`/api/venues/${v.id}/usage?${range}`)).statusCode).toBe(404);
  });
});
