import { type SQL, sql } from 'drizzle-orm';
import type {
  BookableBy,
  BookingStatus,
  OpeningHours,
  PublicVenueQuery,
  VenueListQuery,
  VenueType,
} from '../../../domain/venue.ts';
import { sameDayClock } from '../../../domain/venue.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, likeEscape, many, one } from '../../db/sql.ts';

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** A venue as stored, with the owner org's name and path (for scope decisions in the service). */
export type VenueRow = {
  id: number;
  districtId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  grid: { id: number; name: string } | null;
  type: VenueType;
  name: string;
  location: { lon: number; lat: number };
  address: string | null;
  capacity: number | null;
  facilities: string[];
  openingHours: OpeningHours;
  bookableBy: BookableBy;
  advanceDays: number;
  maxMinutes: number;
  needsApproval: boolean;
  contactName: string | null;
  contactPhone: string | null;
  description: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
};

const SELECT_VENUES = sql`
  SELECT v.id, v.district_id, v.org_id, o.name AS org_name, o.path AS org_path, v.grid_id, g.name AS grid_name,
         v.type, v.name, ST_X(v.location) AS lon, ST_Y(v.location) AS lat, v.address, v.capacity, v.facilities,
         v.opening_hours, v.bookable_by, v.advance_days, v.max_minutes, v.needs_approval, v.contact_name,
         v.contact_phone, v.description, v.active, v.created_at, v.updated_at
  FROM venues v
  JOIN orgs o ON o.id = v.org_id
  LEFT JOIN grids g ON g.id = v.grid_id`;

function toVenueRow(r: any): VenueRow {
  return {
    id: r.id,
    districtId: r.district_id,
    orgId: r.org_id,
    orgName: r.org_name,
    orgPath: r.org_path,
    grid: r.grid_id ? { id: r.grid_id, name: r.grid_name } : null,
    type: r.type,
    name: r.name,
    location: { lon: Number(r.lon), lat: Number(r.lat) },
    address: r.address,
    capacity: r.capacity,
    facilities: r.facilities ?? [],
    openingHours: parseJson(r.opening_hours),
    bookableBy: r.bookable_by,
    advanceDays: r.advance_days,
    maxMinutes: r.max_minutes,
    needsApproval: r.needs_approval,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    description: r.description,
    active: r.active,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const textArray = (items: readonly string[]): SQL =>
  items.length
    ? sql`ARRAY[${sql.join(
        items.map((i) => sql`${i}`),
        sql`, `,
      )}]::text[]`
    : sql`'{}'::text[]`;

/** A venue of the district (null: any district, for platform admins). Reading is district-wide. */
export async function findVenue(ex: Executor, districtId: number | null, id: number): Promise<VenueRow | undefined> {
  const district = districtId === null ? sql`TRUE` : sql`v.district_id = ${districtId}`;
  const r = await one(ex, sql`${SELECT_VENUES} WHERE v.id = ${id} AND ${district}`);
  return r ? toVenueRow(r) : undefined;
}

/** The same row locked for the rest of the transaction (edits of one venue are serialised). */
export async function lockVenue(ex: Executor, id: number): Promise<void> {
  await ex.execute(sql`SELECT id FROM venues WHERE id = ${id} FOR UPDATE`);
}

export async function venueExists(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM venues WHERE id = ${id}`));
}

/** The filters the console list and the public map share, as SQL conditions on alias v. */
function filterConditions(f: PublicVenueQuery): SQL[] {
  const conds: SQL[] = [];
  if (f.type) conds.push(sql`v.type = ${f.type}`);
  if (f.minCapacity !== undefined) conds.push(sql`v.capacity >= ${f.minCapacity}`);
  const facilities = (f.facilities ?? '')
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (facilities.length) conds.push(sql`v.facilities @> ${textArray(facilities)}`);
  if (f.q) {
    const text = `%${likeEscape(f.q)}%`;
    conds.push(sql`(v.name ILIKE ${text} OR coalesce(v.address, '') ILIKE ${text})`);
  }
  if (f.freeFrom && f.freeTo) {
    conds.push(sql`NOT EXISTS (SELECT 1 FROM venue_bookings b WHERE b.venue_id = v.id
      AND b.status IN ('requested', 'approved')
      AND b.period && tstzrange(${f.freeFrom}::timestamptz, ${f.freeTo}::timestamptz, '[)'))`);
    // Within one day the venue must also be open for the whole range ('HH:MM' strings sort as times).
    const span = sameDayClock(new Date(f.freeFrom), new Date(f.freeTo));
    if (span) {
      conds.push(sql`EXISTS (SELECT 1 FROM jsonb_array_elements(v.opening_hours -> ${span.weekday}) iv
        WHERE iv->>'from' <= ${span.from} AND iv->>'to' >= ${span.to})`);
    }
  }
  return conds;
}

export async function listVenues(ex: Executor, districtId: number, f: VenueListQuery) {
  const conds: SQL[] = [sql`v.district_id = ${districtId}`, ...filterConditions(f)];
  if (f.active !== 'all') conds.push(sql`v.active = ${f.active === 'true'}`);
  if (f.orgId) {
    conds.push(
      sql`o.path LIKE (SELECT s.path FROM orgs s WHERE s.id = ${f.orgId} AND s.district_id = ${districtId}) || '%'`,
    );
  }
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM venues v JOIN orgs o ON o.id = v.org_id WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${SELECT_VENUES} WHERE ${where} ORDER BY o.path, v.name, v.id
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toVenueRow) };
}

/** Active venues of a district for the public map (at most 2,000). */
export async function listPublicVenues(ex: Executor, districtId: number, f: PublicVenueQuery) {
  const conds = [sql`v.district_id = ${districtId}`, sql`v.active`, ...filterConditions(f)];
  const rows = await many(
    ex,
    sql`${SELECT_VENUES} WHERE ${sql.join(conds, sql` AND `)} ORDER BY v.name, v.id LIMIT 2000`,
  );
  return rows.map(toVenueRow);
}

export type VenueWrite = {
  orgId: number;
  gridId: number | null;
  type: VenueType;
  name: string;
  location: { lon: number; lat: number };
  address: string | null;
  capacity: number | null;
  facilities: string[];
  openingHours: OpeningHours;
  bookableBy: BookableBy;
  advanceDays: number;
  maxMinutes: number;
  needsApproval: boolean;
  contactName: string | null;
  contactPhone: string | null;
  description: string | null;
};

export async function insertVenue(ex: Executor, districtId: number, v: VenueWrite): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO venues (district_id, org_id, grid_id, type, name, location, address, capacity, facilities,
                            opening_hours, bookable_by, advance_days, max_minutes, needs_approval, contact_name,
                            contact_phone, description)
        VALUES (${districtId}, ${v.orgId}, ${v.gridId}, ${v.type}, ${v.name},
                ST_SetSRID(ST_MakePoint(${v.location.lon}, ${v.location.lat}), 4326), ${v.address}, ${v.capacity},
                ${textArray(v.facilities)}, ${JSON.stringify(v.openingHours)}::jsonb, ${v.bookableBy}, ${v.advanceDays},
                ${v.maxMinutes}, ${v.needsApproval}, ${v.contactName}, ${v.contactPhone}, ${v.description})
        RETURNING id`,
  );
  return r!.id;
}

export async function updateVenueFields(
  ex: Executor,
  id: number,
  patch: Partial<VenueWrite> & { active?: boolean },
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  const col: Record<string, string> = {
    orgId: 'org_id',
    gridId: 'grid_id',
    type: 'type',
    name: 'name',
    address: 'address',
    capacity: 'capacity',
    bookableBy: 'bookable_by',
    advanceDays: 'advance_days',
    maxMinutes: 'max_minutes',
    needsApproval: 'needs_approval',
    contactName: 'contact_name',
    contactPhone: 'contact_phone',
    description: 'description',
    active: 'active',
  };
  for (const [key, column] of Object.entries(col)) {
    const value = (patch as Record<string, unknown>)[key];
    if (value !== undefined) sets.push(sql`${sql.identifier(column)} = ${value}`);
  }
  if (patch.location) {
    sets.push(sql`location = ST_SetSRID(ST_MakePoint(${patch.location.lon}, ${patch.location.lat}), 4326)`);
  }
  if (patch.facilities) sets.push(sql`facilities = ${textArray(patch.facilities)}`);
  if (patch.openingHours) sets.push(sql`opening_hours = ${JSON.stringify(patch.openingHours)}::jsonb`);
  await ex.execute(sql`UPDATE venues SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

// Bookings ---------------------------------------------------------------------------------------

export type BookingRow = {
  id: number;
  districtId: number;
  venueId: number;
  venueName: string;
  venueOrgPath: string;
  orgId: number;
  orgName: string;
  orgPath: string;
  bookedBy: { id: number; name: string };
  purpose: string;
  attendees: number | null;
  start: string;
  end: string;
  status: BookingStatus;
  decidedBy: { id: number; name: string } | null;
  decidedAt: string | null;
  decisionNote: string | null;
  cancelledAt: string | null;
  createdAt: string;
};

const SELECT_BOOKINGS = sql`
  SELECT b.id, b.district_id, b.venue_id, v.name AS venue_name, vo.path AS venue_org_path, b.org_id,
         bo.name AS org_name, bo.path AS org_path, b.booked_by, ba.display_name AS booked_by_name, b.purpose,
         b.attendees, lower(b.period) AS start_at, upper(b.period) AS end_at, b.status, b.decided_by,
         da.display_name AS decided_by_name, b.decided_at, b.decision_note, b.cancelled_at, b.created_at
  FROM venue_bookings b
  JOIN venues v ON v.id = b.venue_id
  JOIN orgs vo ON vo.id = v.org_id
  JOIN orgs bo ON bo.id = b.org_id
  JOIN accounts ba ON ba.id = b.booked_by
  LEFT JOIN accounts da ON da.id = b.decided_by`;

function toBookingRow(r: any): BookingRow {
  return {
    id: r.id,
    districtId: r.district_id,
    venueId: r.venue_id,
    venueName: r.venue_name,
    venueOrgPath: r.venue_org_path,
    orgId: r.org_id,
    orgName: r.org_name,
    orgPath: r.org_path,
    bookedBy: { id: r.booked_by, name: r.booked_by_name },
    purpose: r.purpose,
    attendees: r.attendees,
    start: iso(r.start_at),
    end: iso(r.end_at),
    status: r.status,
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name } : null,
    decidedAt: isoOrNull(r.decided_at),
    decisionNote: r.decision_note,
    cancelledAt: isoOrNull(r.cancelled_at),
    createdAt: iso(r.created_at),
  };
}

export async function findBooking(
  ex: Executor,
  districtId: number | null,
  id: number,
): Promise<BookingRow | undefined> {
  const district = districtId === null ? sql`TRUE` : sql`b.district_id = ${districtId}`;
  const r = await one(ex, sql`${SELECT_BOOKINGS} WHERE b.id = ${id} AND ${district}`);
  return r ? toBookingRow(r) : undefined;
}

export async function bookingExists(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM venue_bookings WHERE id = ${id}`));
}

/** Every booking of a venue overlapping [from, to), in time order. */
export async function listVenueBookings(ex: Executor, venueId: number, from: string, to: string) {
  const rows = await many(
    ex,
    sql`${SELECT_BOOKINGS} WHERE b.venue_id = ${venueId}
          AND b.period && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')
        ORDER BY lower(b.period), b.id`,
  );
  return rows.map(toBookingRow);
}

/**
 * Bookings of a district: `mine` those whose booking org lies under `scopePath`, `to_decide` those
 * of venues whose owner org lies under it (null: the whole district).
 */
export async function listBookings(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  f: { view: 'mine' | 'to_decide'; status?: BookingStatus; page: number; pageSize: number },
) {
  const conds: SQL[] = [sql`b.district_id = ${districtId}`];
  if (scopePath !== null) {
    conds.push(f.view === 'mine' ? sql`bo.path LIKE ${`${scopePath}%`}` : sql`vo.path LIKE ${`${scopePath}%`}`);
  }
  if (f.status) conds.push(sql`b.status = ${f.status}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM venue_bookings b JOIN venues v ON v.id = b.venue_id
        JOIN orgs vo ON vo.id = v.org_id JOIN orgs bo ON bo.id = b.org_id WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${SELECT_BOOKINGS} WHERE ${where} ORDER BY lower(b.period) DESC, b.id DESC
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toBookingRow) };
}

export type BookingInsert = {
  districtId: number;
  venueId: number;
  orgId: number;
  bookedBy: number;
  purpose: string;
  attendees: number | null;
  start: string;
  end: string;
  status: 'requested' | 'approved';
};

/** Inserts a booking; an overlap with a live booking fails with 23P01 (venue_bookings_no_overlap). */
export async function insertBooking(ex: Executor, b: BookingInsert): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO venue_bookings (district_id, venue_id, org_id, booked_by, purpose, attendees, period, status,
                                    decided_by, decided_at)
        VALUES (${b.districtId}, ${b.venueId}, ${b.orgId}, ${b.bookedBy}, ${b.purpose}, ${b.attendees},
                tstzrange(${b.start}::timestamptz, ${b.end}::timestamptz, '[)'), ${b.status},
                ${b.status === 'approved' ? b.bookedBy : null}, ${b.status === 'approved' ? sql`now()` : null})
        RETURNING id`,
  );
  return r!.id;
}

/**
 * Moves a booking from one of `from` to `to` in one conditional UPDATE: of two racing decisions
 * only one finds the booking still in `from`. Returns whether this one did.
 */
export async function transitionBooking(
  ex: Executor,
  id: number,
  from: readonly BookingStatus[],
  to: BookingStatus,
  accountId: number,
  note: string | null,
): Promise<boolean> {
  const who =
    to === 'cancelled'
      ? sql`cancelled_by = ${accountId}, cancelled_at = now()`
      : sql`decided_by = ${accountId}, decided_at = now(), decision_note = ${note}`;
  const r = await one<{ id: number }>(
    ex,
    sql`UPDATE venue_bookings SET status = ${to}, ${who}, updated_at = now()
        WHERE id = ${id} AND status IN (${sql.join(
          from.map((s) => sql`${s}`),
          sql`, `,
        )})
        RETURNING id`,
  );
  return !!r;
}

/** Approved and requested time and booking counts of a venue within [from, to). */
export async function usageOfVenue(ex: Executor, venueId: number, from: string, to: string) {
  return many<{ status: BookingStatus; n: number; secs: number }>(
    ex,
    sql`SELECT b.status, count(*)::int AS n,
               coalesce(sum(extract(epoch FROM upper(b.period * r.r) - lower(b.period * r.r))), 0)::float8 AS secs
        FROM venue_bookings b,
             (SELECT tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)') AS r) r
        WHERE b.venue_id = ${venueId} AND b.period && r.r
        GROUP BY b.status`,
  );
}
