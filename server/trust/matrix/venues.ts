/**
 * Authorization rows of the venues module (阵地 and bookings). Reading venues and their calendars is
 * district-wide (any org may book a venue of its district); managing a venue and deciding its
 * bookings follows the owner org's subtree; booking and cancelling follow the booking org's subtree.
 */
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

const OPEN_DAILY = JSON.stringify(
  Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '08:00', to: '22:00' }]]),
  ),
);

/** A fresh venue run by the scope org, open every day 08:00–22:00. */
async function venueOf(t: Target, needsApproval = false): Promise<number> {
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO venues (district_id, org_id, type, name, location, opening_hours, needs_approval)
     VALUES ($1, $2, 'meeting_room', $3, ST_SetSRID(ST_MakePoint(120.49, 30.08), 4326), $4::jsonb, $5) RETURNING id`,
    [t.districtId, t.orgId, `阵地${t.unique}`, OPEN_DAILY, needsApproval],
  );
  return row.id;
}

/** Tomorrow (Asia/Shanghai) at HH:00, as an ISO instant with +08:00. */
function tomorrowAt(hour: number): string {
  const day = Math.floor((Date.now() + 8 * 3600_000) / 86_400_000) + 1;
  const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
  return `${date}T${String(hour).padStart(2, '0')}:00:00+08:00`;
}

/** A live booking of a fresh venue of the scope org, made for the scope org. */
async function bookingOf(t: Target, status: 'requested' | 'approved'): Promise<number> {
  const venueId = await venueOf(t, status === 'requested');
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO venue_bookings (district_id, venue_id, org_id, booked_by, purpose, period, status)
     VALUES ($1, $2, $3, $4, '矩阵测试', tstzrange($5::timestamptz, $6::timestamptz, '[)'), $7) RETURNING id`,
    [t.districtId, venueId, t.orgId, t.accountId, tomorrowAt(10), tomorrowAt(11), status],
  );
  return row.id;
}

const READ = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: DISTRICT,
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const MANAGE = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const BOOK = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: SUBTREE,
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const RANGE = () => `from=${encodeURIComponent(tomorrowAt(0))}&to=${encodeURIComponent(tomorrowAt(23))}`;

export const venueRules: Record<string, RouteRule> = {
  'GET /api/venues': { request: (t) => ({ url: `/api/venues?districtId=${t.districtId}` }), expect: READ },
  'POST /api/venues': {
    request: (t) => ({
      url: '/api/venues',
      payload: {
        orgId: t.orgId,
        type: 'youth_home',
        name: `青年之家${t.unique}`,
        location: { lon: 120.49, lat: 30.08 },
      },
    }),
    expect: MANAGE,
  },
  'GET /api/venues/:id': { request: async (t) => ({ url: `/api/venues/${await venueOf(t)}` }), expect: READ },
  'PATCH /api/venues/:id': {
    request: async (t) => ({ url: `/api/venues/${await venueOf(t)}`, payload: { capacity: 30 } }),
    expect: MANAGE,
  },
  'DELETE /api/venues/:id': { request: async (t) => ({ url: `/api/venues/${await venueOf(t)}` }), expect: MANAGE },
  'GET /api/venues/:id/bookings': {
    request: async (t) => ({ url: `/api/venues/${await venueOf(t)}/bookings?${RANGE()}` }),
    expect: READ,
  },
  'GET /api/venues/:id/usage': {
    request: async (t) => ({ url: `/api/venues/${await venueOf(t)}/usage?${RANGE()}` }),
    expect: READ,
  },
  'POST /api/venues/:id/bookings': {
    // The venue and the booking org are both the scope org: booking follows the booking org's subtree.
    request: async (t) => ({
      url: `/api/venues/${await venueOf(t)}/bookings`,
      payload: { orgId: t.orgId, purpose: '矩阵测试', start: tomorrowAt(10), end: tomorrowAt(11) },
    }),
    expect: BOOK,
  },
  'GET /api/venue-bookings': {
    request: (t) => ({ url: `/api/venue-bookings?districtId=${t.districtId}` }),
    expect: READ,
  },
  'POST /api/venue-bookings/:id/approve': {
    request: async (t) => ({ url: `/api/venue-bookings/${await bookingOf(t, 'requested')}/approve`, payload: {} }),
    expect: MANAGE,
  },
  'POST /api/venue-bookings/:id/reject': {
    request: async (t) => ({ url: `/api/venue-bookings/${await bookingOf(t, 'requested')}/reject`, payload: {} }),
    expect: MANAGE,
  },
  'POST /api/venue-bookings/:id/cancel': {
    request: async (t) => ({ url: `/api/venue-bookings/${await bookingOf(t, 'approved')}/cancel`, payload: {} }),
    expect: BOOK,
  },
};
