import { roleCan } from '../../../domain/account.ts';
import {
  BOOKING_STATUSES,
  type Booking,
  type BookingCreate,
  type BookingStatus,
  checkBookingRules,
  DEFAULT_OPENING_HOURS,
  describeViolation,
  LIVE_BOOKING_STATUSES,
  mayBook,
  openMinutesBetween,
  type PublicVenueQuery,
  type Venue,
  type VenueCreate,
  type VenueListQuery,
  type VenueUpdate,
} from '../../../domain/venue.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { getDistrictName } from '../districts/districts.repository.ts';
import { loadGridInScope } from '../grids/grids.service.ts';
import type { OrgRow } from '../orgs/orgs.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import {
  type BookingRow,
  bookingExists,
  findBooking,
  findVenue,
  insertBooking,
  insertVenue,
  listBookings,
  listPublicVenues,
  listVenueBookings,
  listVenues,
  lockVenue,
  transitionBooking,
  updateVenueFields,
  usageOfVenue,
  type VenueRow,
  type VenueWrite,
  venueExists,
} from './venues.repository.ts';

/** Whether an org path lies in a scope (null scope: the whole platform). */
const under = (path: string, scopePath: string | null) => scopePath === null || path.startsWith(scopePath);

/** Venue managers: the owner org's subtree holders with venue.manage (district admins: the whole district). */
function canManage(actor: Actor, venueOrgPath: string): boolean {
  return roleCan(actor.role, 'venue.manage') && under(venueOrgPath, actor.scopePath);
}

export function toVenue(row: VenueRow, actor: Actor): Venue {
  const { orgPath, ...rest } = row;
  return { ...rest, canManage: canManage(actor, orgPath) };
}

export function toBooking(row: BookingRow, actor: Actor): Booking {
  const { venueOrgPath, orgPath, districtId: _d, ...rest } = row;
  const live = LIVE_BOOKING_STATUSES.includes(row.status);
  const manager = canManage(actor, venueOrgPath);
  return {
    ...rest,
    canDecide: manager && row.status === 'requested',
    canCancel: live && (manager || (roleCan(actor.role, 'venue.book') && under(orgPath, actor.scopePath))),
  };
}

/** A venue of the actor's district; another district's (or a missing one) is 404, the former audited. */
async function loadVenue(database: Database, actor: Actor, id: number): Promise<VenueRow> {
  const venue = await findVenue(database.db, actor.districtId, id);
  if (venue) return venue;
  if (await venueExists(database.db, id)) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'venue', entityId: id });
  }
  throw new AppError('VENUE_NOT_FOUND');
}

/** A venue the actor manages: outside the subtree it is answered like a missing one (and audited). */
async function loadManagedVenue(database: Database, actor: Actor, id: number): Promise<VenueRow> {
  const venue = await loadVenue(database, actor, id);
  if (canManage(actor, venue.orgPath)) return venue;
  await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'venue', entityId: id });
  throw new AppError('VENUE_NOT_FOUND');
}

/** An org of the actor's subtree named by a body field; 404 names the field. */
async function loadFieldOrg(database: Database, actor: Actor, id: number, field: string): Promise<OrgRow> {
  let org: OrgRow;
  try {
    org = await loadOrgInScope(database, actor, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') {
      throw new AppError('ORG_NOT_FOUND', { errors: [{ field, message: 'ORG_NOT_FOUND' }] });
    }
    throw err;
  }
  if (!org.active) throw new AppError('ORG_INACTIVE', { errors: [{ field, message: 'ORG_INACTIVE' }] });
  return org;
}

async function checkGrid(database: Database, actor: Actor, districtId: number, gridId: number) {
  try {
    const grid = await loadGridInScope(database, actor, gridId);
    if (grid.districtId !== districtId) throw new AppError('GRID_NOT_FOUND');
    if (!grid.active) throw new AppError('GRID_INACTIVE', { errors: [{ field: 'gridId', message: 'GRID_INACTIVE' }] });
  } catch (err) {
    if (err instanceof AppError && err.code === 'GRID_NOT_FOUND') {
      throw new AppError('GRID_NOT_FOUND', { errors: [{ field: 'gridId', message: 'GRID_NOT_FOUND' }] });
    }
    throw err;
  }
}

export async function searchVenues(database: Database, actor: Actor, query: VenueListQuery) {
  requirePermission(actor, 'venue.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const { total, items } = await listVenues(database.db, districtId, query);
  return { total, items: items.map((r) => toVenue(r, actor)), page: query.page, pageSize: query.pageSize };
}

export async function getVenue(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'venue.read');
  return toVenue(await loadVenue(database, actor, id), actor);
}

/** 新建阵地 Creates a venue run by an org of the actor's subtree. */
export async function createVenue(database: Database, actor: Actor, input: VenueCreate) {
  requirePermission(actor, 'venue.manage');
  const org = await loadFieldOrg(database, actor, input.orgId, 'orgId');
  const districtId = org.districtId;
  if (input.gridId) await checkGrid(database, actor, districtId, input.gridId);
  const write: VenueWrite = {
    orgId: org.id,
    gridId: input.gridId ?? null,
    type: input.type,
    name: input.name,
    location: input.location,
    address: input.address ?? null,
    capacity: input.capacity ?? null,
    facilities: [...new Set(input.facilities ?? [])],
    openingHours: input.openingHours ?? DEFAULT_OPENING_HOURS,
    bookableBy: input.bookableBy ?? 'district',
    advanceDays: input.advanceDays ?? 30,
    maxMinutes: input.maxMinutes ?? 240,
    needsApproval: input.needsApproval ?? false,
    contactName: input.contactName ?? null,
    contactPhone: input.contactPhone ?? null,
    description: input.description ?? null,
  };
  return database.db.transaction(async (tx) => {
    const id = await insertVenue(tx, districtId, write);
    const venue = toVenue((await findVenue(tx, null, id))!, actor);
    await recordAudit(tx, actor, { action: 'venue.create', entity: 'venue', entityId: id, districtId, after: venue });
    return venue;
  });
}

/** 编辑阵地 Edits a venue; `active: false` deactivates it (live bookings stay until cancelled). */
export async function updateVenue(database: Database, actor: Actor, id: number, patch: VenueUpdate) {
  requirePermission(actor, 'venue.manage');
  const current = await loadManagedVenue(database, actor, id);
  const districtId = current.districtId;
  const write: Partial<VenueWrite> & { active?: boolean } = {};
  if (patch.orgId !== undefined && patch.orgId !== current.orgId) {
    const org = await loadFieldOrg(database, actor, patch.orgId, 'orgId');
    if (org.districtId !== districtId) {
      throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
    }
    write.orgId = org.id;
  }
  if (patch.gridId) await checkGrid(database, actor, districtId, patch.gridId);
  if (patch.gridId !== undefined) write.gridId = patch.gridId;
  for (const key of [
    'type',
    'name',
    'location',
    'address',
    'capacity',
    'openingHours',
    'bookableBy',
    'advanceDays',
    'maxMinutes',
    'needsApproval',
    'contactName',
    'contactPhone',
    'description',
    'active',
  ] as const) {
    if (patch[key] !== undefined) (write as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.facilities !== undefined) write.facilities = [...new Set(patch.facilities)];
  const before = toVenue(current, actor);
  return database.db.transaction(async (tx) => {
    await updateVenueFields(tx, id, write);
    const after = toVenue((await findVenue(tx, null, id))!, actor);
    const action =
      patch.active === false && current.active
        ? 'venue.deactivate'
        : patch.active === true && !current.active
          ? 'venue.reactivate'
          : 'venue.update';
    await recordAudit(tx, actor, { action, entity: 'venue', entityId: id, districtId, before, after });
    return after;
  });
}

/** 停用阵地 Venues are never hard-deleted: their booking history stays. */
export async function deactivateVenue(database: Database, actor: Actor, id: number) {
  return updateVenue(database, actor, id, { active: false });
}

/** 阵地地图 the public map of a district: active venues and their public contact, nothing about bookings. */
export async function getPublicVenues(database: Database, districtId: number, query: PublicVenueQuery) {
  const districtName = await getDistrictName(database.db, districtId);
  if (districtName === null) throw new AppError('DISTRICT_NOT_FOUND');
  const rows = await listPublicVenues(database.db, districtId, query);
  return {
    districtId,
    districtName,
    items: rows.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      location: r.location,
      address: r.address,
      capacity: r.capacity,
      facilities: r.facilities,
      openingHours: r.openingHours,
      needsApproval: r.needsApproval,
      orgName: r.orgName,
      contactName: r.contactName,
      contactPhone: r.contactPhone,
    })),
  };
}

/** 预订日历 the bookings of a venue overlapping a range. */
export async function getCalendar(
  database: Database,
  actor: Actor,
  venueId: number,
  range: { from?: string; to?: string },
) {
  requirePermission(actor, 'venue.read');
  const venue = await loadVenue(database, actor, venueId);
  const from = new Date(range.from!).toISOString();
  const to = new Date(range.to!).toISOString();
  const rows = await listVenueBookings(database.db, venue.id, from, to);
  return { venueId: venue.id, from, to, items: rows.map((r) => toBooking(r, actor)) };
}

/** The overlap of two live bookings, as the exclusion constraint reports it. */
function mapOverlap(err: unknown): never {
  const pg = pgErrorOf(err);
  if (pg?.code === '23P01' && pg.constraint === 'venue_bookings_no_overlap') {
    throw new AppError('BOOKING_CONFLICT', { errors: [{ field: 'start', message: 'BOOKING_CONFLICT' }] });
  }
  throw err;
}

/**
 * 预订 Books a slot of a venue for an org of the actor's subtree. The venue's rules are checked
 * here; that the slot is free is left to the database (exclusion constraint), so of two requests
 * for one slot exactly one succeeds, whatever the timing. Venues that need approval get a
 * `requested` booking (which holds the slot) unless the booker manages the venue.
 */
export async function createBooking(database: Database, actor: Actor, venueId: number, input: BookingCreate) {
  requirePermission(actor, 'venue.book');
  const venue = await loadVenue(database, actor, venueId);
  const org = await loadFieldOrg(database, actor, input.orgId, 'orgId');
  if (org.districtId !== venue.districtId) {
    throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
  }
  if (!mayBook(venue.bookableBy, venue.orgPath, org.path)) {
    throw new AppError('BOOKING_NOT_ALLOWED', { errors: [{ field: 'orgId', message: 'BOOKING_NOT_ALLOWED' }] });
  }
  const start = new Date(input.start);
  const end = new Date(input.end);
  const violations = checkBookingRules(venue, start, end, new Date());
  if (violations.length) {
    const first = violations[0];
    const detail = violations
      .map((v) => describeViolation(v, actor.lang))
      .filter(Boolean)
      .join('; ');
    throw new AppError(first.code, {
      ...(detail ? { detail } : {}),
      errors: violations.map((v) => ({ field: v.field, message: v.code })),
    });
  }
  const status = venue.needsApproval && !canManage(actor, venue.orgPath) ? 'requested' : 'approved';
  return database.db
    .transaction(async (tx) => {
      const id = await insertBooking(tx, {
        districtId: venue.districtId,
        venueId: venue.id,
        orgId: org.id,
        bookedBy: actor.accountId,
        purpose: input.purpose,
        attendees: input.attendees ?? null,
        start: start.toISOString(),
        end: end.toISOString(),
        status,
      });
      const booking = toBooking((await findBooking(tx, null, id))!, actor);
      await recordAudit(tx, actor, {
        action: 'venue.booking.create',
        entity: 'venue_booking',
        entityId: id,
        districtId: venue.districtId,
        after: booking,
      });
      return booking;
    })
    .catch(mapOverlap);
}

async function loadBooking(database: Database, actor: Actor, id: number): Promise<BookingRow> {
  const booking = await findBooking(database.db, actor.districtId, id);
  if (booking) return booking;
  if (await bookingExists(database.db, id)) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'venue_booking', entityId: id });
  }
  throw new AppError('BOOKING_NOT_FOUND');
}

/**
 * 审批 Approves or rejects a requested booking: the venue's managers only (the owner org's subtree
 * admins, the district admin). The status changes in one conditional UPDATE, so of two racing
 * decisions exactly one takes effect; the other answers BOOKING_STATE.
 */
export async function decideBooking(
  database: Database,
  actor: Actor,
  id: number,
  decision: 'approved' | 'rejected',
  note: string | undefined,
) {
  requirePermission(actor, 'venue.manage');
  const current = await loadBooking(database, actor, id);
  if (!canManage(actor, current.venueOrgPath)) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'venue_booking', entityId: id });
    throw new AppError('BOOKING_NOT_FOUND');
  }
  return changeStatus(database, actor, current, ['requested'], decision, note ?? null);
}

/** 取消 Cancels a live booking: the booking org's side (its subtree) or the venue's managers. */
export async function cancelBooking(database: Database, actor: Actor, id: number, note: string | undefined) {
  requirePermission(actor, 'venue.book');
  const current = await loadBooking(database, actor, id);
  if (!canManage(actor, current.venueOrgPath) && !under(current.orgPath, actor.scopePath)) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'venue_booking', entityId: id });
    throw new AppError('BOOKING_NOT_FOUND');
  }
  return changeStatus(database, actor, current, LIVE_BOOKING_STATUSES, 'cancelled', note ?? null);
}

async function changeStatus(
  database: Database,
  actor: Actor,
  current: BookingRow,
  from: readonly BookingStatus[],
  to: BookingStatus,
  note: string | null,
) {
  const before = toBooking(current, actor);
  return database.db.transaction(async (tx) => {
    // Decisions about one venue's bookings queue behind each other.
    await lockVenue(tx, current.venueId);
    if (!(await transitionBooking(tx, current.id, from, to, actor.accountId, note))) {
      throw new AppError('BOOKING_STATE');
    }
    const after = toBooking((await findBooking(tx, null, current.id))!, actor);
    const action =
      to === 'cancelled' ? 'venue.booking.cancel' : `venue.booking.${to === 'approved' ? 'approve' : 'reject'}`;
    await recordAudit(tx, actor, {
      action,
      entity: 'venue_booking',
      entityId: current.id,
      districtId: current.districtId,
      before,
      after,
    });
    return after;
  });
}

/** Bookings made by the actor's subtree (`mine`) or awaiting the actor's decision (`to_decide`). */
export async function searchBookings(
  database: Database,
  actor: Actor,
  query: { districtId?: number; status?: BookingStatus; view: 'mine' | 'to_decide'; page: number; pageSize: number },
) {
  requirePermission(actor, query.view === 'to_decide' ? 'venue.manage' : 'venue.book');
  const districtId = resolveDistrict(actor, query.districtId);
  const { total, items } = await listBookings(database.db, districtId, actor.scopePath, query);
  return { total, items: items.map((r) => toBooking(r, actor)), page: query.page, pageSize: query.pageSize };
}

/** 使用统计 hours booked and utilisation (approved hours over opening hours) of a venue in a range. */
export async function getUsage(
  database: Database,
  actor: Actor,
  venueId: number,
  range: { from?: string; to?: string },
) {
  requirePermission(actor, 'venue.read');
  const venue = await loadVenue(database, actor, venueId);
  const from = new Date(range.from!);
  const to = new Date(range.to!);
  const rows = await usageOfVenue(database.db, venue.id, from.toISOString(), to.toISOString());
  const bookings = Object.fromEntries(BOOKING_STATUSES.map((s) => [s, 0])) as Record<BookingStatus, number>;
  let bookedSecs = 0;
  let requestedSecs = 0;
  for (const r of rows) {
    bookings[r.status] = r.n;
    if (r.status === 'approved') bookedSecs = Number(r.secs);
    if (r.status === 'requested') requestedSecs = Number(r.secs);
  }
  const openMinutes = openMinutesBetween(venue.openingHours, from, to);
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return {
    venueId: venue.id,
    from: from.toISOString(),
    to: to.toISOString(),
    hoursBooked: round2(bookedSecs / 3600),
    hoursRequested: round2(requestedSecs / 3600),
    hoursOpen: round2(openMinutes / 60),
    utilisation: openMinutes > 0 ? Math.round((bookedSecs / 60 / openMinutes) * 10000) / 10000 : 0,
    bookings,
  };
}
