import { type SQL, sql } from 'drizzle-orm';
import type {
  OrderCategory,
  OrderClassification,
  OrderListQuery,
  OrderSource,
  OrderStatus,
} from '../../../domain/order.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, likeEscape, many, one } from '../../db/sql.ts';

/**
 * SQL of service orders. *Seam*: the suggestion ranking and the public request read `orgs`, `grids`
 * and `venues` directly (locations, kinds, the grid under a point): a call per candidate through
 * their services could not rank a district's orgs in one query.
 */

export type OrderRow = {
  id: number;
  districtId: number;
  trackingNo: string;
  source: OrderSource;
  category: OrderCategory;
  title: string;
  description: string | null;
  location: { lon: number; lat: number } | null;
  address: string | null;
  grid: { id: number; name: string } | null;
  org: { id: number; name: string };
  orgPath: string;
  menuItem: { id: number; title: string } | null;
  requesterName: string | null;
  requesterPhoneEnc: string | null;
  requesterPhoneIdx: string | null;
  classification: OrderClassification | null;
  status: OrderStatus;
  statusReason: string | null;
  assignee: { id: number; name: string } | null;
  assigneePath: string | null;
  respondDueAt: string | null;
  completeDueAt: string | null;
  dispatchCount: number;
  completionNote: string | null;
  createdAt: string;
  classifiedAt: string | null;
  dispatchedAt: string | null;
  acceptedAt: string | null;
  startedAt: string | null;
  doneAt: string | null;
  ratedAt: string | null;
  closedAt: string | null;
  plannedParticipants: number | null;
  participants: number | null;
  rating: { score: number; comment: string | null; byKind: 'requester' | 'cadre'; createdAt: string } | null;
};

const SELECT_ORDERS = sql`
  SELECT so.*, ST_X(so.location) AS lon, ST_Y(so.location) AS lat,
         o.name AS org_name, o.path AS org_path, g.name AS grid_name,
         a.name AS assignee_name, a.path AS assignee_path, m.title AS menu_title,
         r.score AS rating_score, r.comment AS rating_comment, r.by_kind AS rating_by, r.created_at AS rating_at
  FROM service_orders so
  JOIN orgs o ON o.id = so.org_id
  LEFT JOIN orgs a ON a.id = so.assignee_org_id
  LEFT JOIN grids g ON g.id = so.grid_id
  LEFT JOIN service_menu_items m ON m.id = so.menu_item_id
  LEFT JOIN service_order_ratings r ON r.order_id = so.id`;

function toOrderRow(r: any): OrderRow {
  return {
    id: r.id,
    districtId: r.district_id,
    trackingNo: r.tracking_no,
    source: r.source,
    category: r.category,
    title: r.title,
    description: r.description,
    location: r.lon === null || r.lon === undefined ? null : { lon: Number(r.lon), lat: Number(r.lat) },
    address: r.address,
    grid: r.grid_id ? { id: r.grid_id, name: r.grid_name } : null,
    org: { id: r.org_id, name: r.org_name },
    orgPath: r.org_path,
    menuItem: r.menu_item_id ? { id: r.menu_item_id, title: r.menu_title } : null,
    requesterName: r.requester_name,
    requesterPhoneEnc: r.requester_phone_enc,
    requesterPhoneIdx: r.requester_phone_idx,
    classification: r.classification,
    status: r.status,
    statusReason: r.status_reason,
    assignee: r.assignee_org_id ? { id: r.assignee_org_id, name: r.assignee_name } : null,
    assigneePath: r.assignee_path ?? null,
    respondDueAt: isoOrNull(r.respond_due_at),
    completeDueAt: isoOrNull(r.complete_due_at),
    dispatchCount: r.dispatch_count,
    completionNote: r.completion_note,
    createdAt: iso(r.created_at),
    classifiedAt: isoOrNull(r.classified_at),
    dispatchedAt: isoOrNull(r.dispatched_at),
    acceptedAt: isoOrNull(r.accepted_at),
    startedAt: isoOrNull(r.started_at),
    doneAt: isoOrNull(r.done_at),
    ratedAt: isoOrNull(r.rated_at),
    closedAt: isoOrNull(r.closed_at),
    plannedParticipants: r.planned_participants ?? null,
    participants: r.participants ?? null,
    rating:
      r.rating_score === null || r.rating_score === undefined
        ? null
        : {
            score: Number(r.rating_score),
            comment: r.rating_comment,
            byKind: r.rating_by,
            createdAt: iso(r.rating_at),
          },
  };
}

/** Orders the scope sees: requested in the subtree, or assigned to an org of it. */
export function orderScopeCondition(districtId: number, scopePath: string | null): SQL {
  if (scopePath === null) return sql`so.district_id = ${districtId}`;
  const like = `${scopePath}%`;
  return sql`so.district_id = ${districtId} AND (o.path LIKE ${like} OR a.path LIKE ${like})`;
}

export async function findOrder(ex: Executor, id: number): Promise<OrderRow | undefined> {
  const r = await one(ex, sql`${SELECT_ORDERS} WHERE so.id = ${id}`);
  return r ? toOrderRow(r) : undefined;
}

export async function findOrderByTracking(ex: Executor, trackingNo: string): Promise<OrderRow | undefined> {
  const r = await one(ex, sql`${SELECT_ORDERS} WHERE so.tracking_no = ${trackingNo}`);
  return r ? toOrderRow(r) : undefined;
}

/** Locks the order row for the rest of the transaction (steps of one order are serialised). */
export async function lockOrder(ex: Executor, id: number): Promise<void> {
  await ex.execute(sql`SELECT id FROM service_orders WHERE id = ${id} FOR UPDATE`);
}

export async function orderExists(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM service_orders WHERE id = ${id}`));
}

const OVERDUE_SQL = sql`((so.status = 'dispatched' AND so.respond_due_at < now())
  OR (so.status IN ('accepted', 'in_progress') AND so.complete_due_at < now()))`;

export async function listOrders(ex: Executor, districtId: number, scopePath: string | null, f: OrderListQuery) {
  const conds: SQL[] = [orderScopeCondition(districtId, scopePath)];
  if (f.status) conds.push(sql`so.status = ${f.status}`);
  if (f.classification) conds.push(sql`so.classification = ${f.classification}`);
  if (f.source) conds.push(sql`so.source = ${f.source}`);
  if (f.category) conds.push(sql`so.category = ${f.category}`);
  if (f.orgId) {
    conds.push(
      sql`o.path LIKE (SELECT s.path FROM orgs s WHERE s.id = ${f.orgId} AND s.district_id = ${districtId}) || '%'`,
    );
  }
  if (f.assigneeOrgId) conds.push(sql`so.assignee_org_id = ${f.assigneeOrgId}`);
  if (f.view === 'assigned' && scopePath !== null) conds.push(sql`a.path LIKE ${`${scopePath}%`}`);
  if (f.view === 'assigned' && scopePath === null) conds.push(sql`so.assignee_org_id IS NOT NULL`);
  if (f.view === 'to_dispatch') {
    conds.push(sql`so.status IN ('submitted', 'classified', 'returned')`);
    if (scopePath !== null) conds.push(sql`o.path LIKE ${`${scopePath}%`}`);
  }
  if (f.overdue === 'true') conds.push(OVERDUE_SQL);
  if (f.overdue === 'false') conds.push(sql`NOT ${OVERDUE_SQL}`);
  if (f.q) {
    const text = `%${likeEscape(f.q)}%`;
    conds.push(sql`(so.tracking_no ILIKE ${text} OR so.title ILIKE ${text})`);
  }
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM service_orders so JOIN orgs o ON o.id = so.org_id
        LEFT JOIN orgs a ON a.id = so.assignee_org_id WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${SELECT_ORDERS} WHERE ${where} ORDER BY so.created_at DESC, so.id DESC
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toOrderRow) };
}

export type OrderWrite = {
  districtId: number;
  trackingNo: string;
  source: OrderSource;
  category: OrderCategory;
  title: string;
  description: string | null;
  location: { lon: number; lat: number } | null;
  address: string | null;
  gridId: number | null;
  orgId: number;
  menuItemId: number | null;
  requesterName: string | null;
  requesterPhoneEnc: string | null;
  requesterPhoneIdx: string | null;
  classification: OrderClassification | null;
  createdBy: number | null;
  clientId: string | null;
};

export async function insertOrder(ex: Executor, w: OrderWrite): Promise<number> {
  const location = w.location ? sql`ST_SetSRID(ST_MakePoint(${w.location.lon}, ${w.location.lat}), 4326)` : sql`NULL`;
  const status = w.classification ? 'classified' : 'submitted';
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO service_orders (district_id, tracking_no, source, category, title, description, location, address,
                                    grid_id, org_id, menu_item_id, requester_name, requester_phone_enc,
                                    requester_phone_idx, classification, status, classified_at, created_by, client_id)
        VALUES (${w.districtId}, ${w.trackingNo}, ${w.source}, ${w.category}, ${w.title}, ${w.description}, ${location},
                ${w.address}, ${w.gridId}, ${w.orgId}, ${w.menuItemId}, ${w.requesterName}, ${w.requesterPhoneEnc},
                ${w.requesterPhoneIdx}, ${w.classification}, ${status},
                ${w.classification ? sql`now()` : sql`NULL`}, ${w.createdBy}, ${w.clientId})
        RETURNING id`,
  );
  return r!.id;
}

export async function trackingNoTaken(ex: Executor, trackingNo: string): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM service_orders WHERE tracking_no = ${trackingNo}`));
}

/**
 * Moves the order out of one of `from` and sets `fields` (column → SQL value), in one conditional
 * UPDATE: of racing steps exactly one takes effect. Returns whether it did.
 */
export async function transitionOrder(
  ex: Executor,
  id: number,
  from: readonly OrderStatus[],
  to: OrderStatus,
  fields: Record<string, SQL | string | number | null> = {},
): Promise<boolean> {
  const sets: SQL[] = [sql`status = ${to}`, sql`updated_at = now()`];
  for (const [col, value] of Object.entries(fields)) {
    sets.push(sql`${sql.raw(col)} = ${value}`);
  }
  const rows = await many(
    ex,
    sql`UPDATE service_orders SET ${sql.join(sets, sql`, `)}
        WHERE id = ${id} AND status IN (${sql.join(
          from.map((s) => sql`${s}`),
          sql`, `,
        )}) RETURNING id`,
  );
  return rows.length === 1;
}

// ── events ────────────────────────────────────────────────────────────────────────────────────

export type EventWrite = {
  districtId: number;
  orderId: number;
  accountId: number | null;
  actorKind: 'cadre' | 'requester' | 'system';
  action: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  orgId?: number | null;
  note?: string | null;
  internal?: boolean;
};

export async function insertEvent(ex: Executor, e: EventWrite): Promise<void> {
  await ex.execute(sql`
    INSERT INTO service_order_events (district_id, order_id, account_id, actor_kind, action, from_status, to_status,
                                      org_id, note, internal)
    VALUES (${e.districtId}, ${e.orderId}, ${e.accountId}, ${e.actorKind}, ${e.action}, ${e.fromStatus},
            ${e.toStatus}, ${e.orgId ?? null}, ${e.note ?? null}, ${e.internal ?? false})`);
}

export async function listEvents(ex: Executor, orderId: number) {
  const rows = await many<any>(
    ex,
    sql`SELECT e.id, e.action, e.from_status, e.to_status, e.actor_kind, ac.username, e.org_id, og.name AS org_name,
               e.note, e.internal, e.at
        FROM service_order_events e
        LEFT JOIN accounts ac ON ac.id = e.account_id
        LEFT JOIN orgs og ON og.id = e.org_id
        WHERE e.order_id = ${orderId} ORDER BY e.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    action: r.action as string,
    fromStatus: r.from_status as OrderStatus | null,
    toStatus: r.to_status as OrderStatus | null,
    actorKind: r.actor_kind as 'cadre' | 'requester' | 'system',
    username: r.username as string | null,
    org: r.org_id ? { id: r.org_id as number, name: r.org_name as string } : null,
    note: r.note as string | null,
    internal: r.internal as boolean,
    at: iso(r.at),
  }));
}

// ── dispatches ────────────────────────────────────────────────────────────────────────────────

export async function insertDispatch(
  ex: Executor,
  d: { districtId: number; orderId: number; orgId: number; by: number; dispatchedAt: string; respondDueAt: string },
): Promise<void> {
  await ex.execute(sql`
    INSERT INTO service_order_dispatches (district_id, order_id, org_id, dispatched_by, dispatched_at, respond_due_at)
    VALUES (${d.districtId}, ${d.orderId}, ${d.orgId}, ${d.by}, ${d.dispatchedAt}::timestamptz,
            ${d.respondDueAt}::timestamptz)`);
}

/** Closes the pending dispatch of the order (if any) with an outcome. */
export async function closePendingDispatch(
  ex: Executor,
  orderId: number,
  outcome: 'accepted' | 'declined' | 'withdrawn',
  reason: string | null,
): Promise<void> {
  const answered = outcome === 'withdrawn' ? sql`NULL` : sql`now()`;
  await ex.execute(sql`
    UPDATE service_order_dispatches SET outcome = ${outcome}, responded_at = ${answered}, reason = ${reason}
    WHERE order_id = ${orderId} AND outcome = 'pending'`);
}

export async function listDispatches(ex: Executor, orderId: number) {
  const rows = await many<any>(
    ex,
    sql`SELECT d.id, d.org_id, og.name AS org_name, d.dispatched_at, d.respond_due_at, d.outcome, d.responded_at, d.reason
        FROM service_order_dispatches d JOIN orgs og ON og.id = d.org_id
        WHERE d.order_id = ${orderId} ORDER BY d.id`,
  );
  return rows.map((r) => ({
    id: r.id as number,
    org: { id: r.org_id as number, name: r.org_name as string },
    dispatchedAt: iso(r.dispatched_at),
    respondDueAt: iso(r.respond_due_at),
    outcome: r.outcome as 'pending' | 'accepted' | 'declined' | 'withdrawn',
    respondedAt: isoOrNull(r.responded_at),
    reason: r.reason as string | null,
  }));
}

// ── ratings ───────────────────────────────────────────────────────────────────────────────────

export async function insertRating(
  ex: Executor,
  r: {
    districtId: number;
    orderId: number;
    orgId: number;
    score: number;
    comment: string | null;
    byKind: 'requester' | 'cadre';
    accountId: number | null;
  },
): Promise<void> {
  await ex.execute(sql`
    INSERT INTO service_order_ratings (district_id, order_id, org_id, score, comment, by_kind, account_id)
    VALUES (${r.districtId}, ${r.orderId}, ${r.orgId}, ${r.score}, ${r.comment}, ${r.byKind}, ${r.accountId})`);
}

// ── SMS codes ─────────────────────────────────────────────────────────────────────────────────

export async function insertSmsCode(
  ex: Executor,
  c: { districtId: number; phoneIdx: string; purpose: string; codeHash: string; expiresAt: string; ip: string | null },
): Promise<void> {
  await ex.execute(sql`
    INSERT INTO sms_codes (district_id, phone_idx, purpose, code_hash, expires_at, ip)
    VALUES (${c.districtId}, ${c.phoneIdx}, ${c.purpose}, ${c.codeHash}, ${c.expiresAt}::timestamptz, ${c.ip})`);
}

/** Codes sent to a phone since an instant (any purpose): the per-phone send limit. */
export async function countSmsSince(ex: Executor, phoneIdx: string, since: string): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM sms_codes WHERE phone_idx = ${phoneIdx} AND created_at > ${since}::timestamptz`,
  );
  return r?.n ?? 0;
}

export type SmsCodeRow = { id: number; codeHash: string; expired: boolean; attempts: number };

/** The latest unused code of the phone for the purpose, locked (attempts are counted one at a time). */
export async function latestSmsCode(
  ex: Executor,
  districtId: number,
  phoneIdx: string,
  purpose: string,
): Promise<SmsCodeRow | undefined> {
  const r = await one<any>(
    ex,
    sql`SELECT id, code_hash, expires_at < now() AS expired, attempts FROM sms_codes
        WHERE district_id = ${districtId} AND phone_idx = ${phoneIdx} AND purpose = ${purpose} AND consumed_at IS NULL
        ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`,
  );
  return r ? { id: r.id, codeHash: r.code_hash, expired: !!r.expired, attempts: r.attempts } : undefined;
}

export async function countSmsAttempt(ex: Executor, id: number): Promise<void> {
  await ex.execute(sql`UPDATE sms_codes SET attempts = attempts + 1 WHERE id = ${id}`);
}

/** Uses the code up; false when someone else used it first. */
export async function consumeSmsCode(ex: Executor, id: number): Promise<boolean> {
  const rows = await many(
    ex,
    sql`UPDATE sms_codes SET consumed_at = now() WHERE id = ${id} AND consumed_at IS NULL RETURNING id`,
  );
  return rows.length === 1;
}

// ── places (seam: grids and orgs) ─────────────────────────────────────────────────────────────

/** The active grid of the district whose boundary holds the point (the smallest, if several). */
export async function gridAtPoint(ex: Executor, districtId: number, lon: number, lat: number) {
  return one<{ id: number; orgId: number }>(
    ex,
    sql`SELECT id, org_id AS "orgId" FROM grids
        WHERE district_id = ${districtId} AND active AND boundary IS NOT NULL
          AND ST_Covers(boundary, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))
        ORDER BY ST_Area(boundary), id LIMIT 1`,
  );
}

export async function findGridOfDistrict(ex: Executor, districtId: number, gridId: number) {
  return one<{ id: number; orgId: number; orgPath: string; active: boolean }>(
    ex,
    sql`SELECT g.id, g.org_id AS "orgId", o.path AS "orgPath", g.active FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.id = ${gridId} AND g.district_id = ${districtId}`,
  );
}

export async function rootOrgOfDistrict(ex: Executor, districtId: number) {
  return one<{ id: number; path: string }>(
    ex,
    sql`SELECT id, path FROM orgs WHERE district_id = ${districtId} AND parent_id IS NULL ORDER BY id LIMIT 1`,
  );
}

export async function findOrgOfDistrict(ex: Executor, districtId: number, orgId: number) {
  return one<{ id: number; name: string; kind: string; path: string; active: boolean }>(
    ex,
    sql`SELECT id, name, kind, path, active FROM orgs WHERE id = ${orgId} AND district_id = ${districtId}`,
  );
}

// ── suggestions ───────────────────────────────────────────────────────────────────────────────

export type CandidateRow = {
  orgId: number;
  orgName: string;
  orgKind: string;
  categoryMatch: boolean;
  distanceMeters: number | null;
  openOrders: number;
  ratings: number;
  satisfied: number;
  declinedBefore: boolean;
};

/**
 * Every org of the district that could take the order: it offers an active service, or its kind
 * fits a class (service teams, social orgs, partner units, committees). Distance: geodesic metres
 * from the order's point to the nearest of the org's active venues and the centroids of its grids.
 */
export async function listCandidates(
  ex: Executor,
  order: { id: number; districtId: number; category: string; location: { lon: number; lat: number } | null },
  kinds: readonly string[],
): Promise<CandidateRow[]> {
  const pt = order.location
    ? sql`ST_SetSRID(ST_MakePoint(${order.location.lon}, ${order.location.lat}), 4326)::geography`
    : null;
  const distance = pt
    ? sql`(SELECT min(d) FROM (
          SELECT ST_Distance(v.location::geography, ${pt}) AS d FROM venues v WHERE v.org_id = c.id AND v.active
          UNION ALL
          SELECT ST_Distance(ST_Centroid(g.boundary)::geography, ${pt}) FROM grids g
            WHERE g.org_id = c.id AND g.active AND g.boundary IS NOT NULL) places)`
    : sql`NULL::float8`;
  const kindList = sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const rows = await many<any>(
    ex,
    sql`SELECT c.id, c.name, c.kind,
               EXISTS (SELECT 1 FROM service_menu_items mi WHERE mi.org_id = c.id AND mi.active
                       AND mi.category = ${order.category}) AS category_match,
               ${distance} AS distance,
               (SELECT count(*)::int FROM service_orders so WHERE so.assignee_org_id = c.id
                  AND so.status IN ('dispatched', 'accepted', 'in_progress') AND so.id <> ${order.id}) AS open_orders,
               (SELECT count(*)::int FROM service_order_ratings r WHERE r.org_id = c.id) AS ratings,
               (SELECT count(*)::int FROM service_order_ratings r WHERE r.org_id = c.id AND r.score >= 4) AS satisfied,
               EXISTS (SELECT 1 FROM service_order_dispatches d WHERE d.order_id = ${order.id} AND d.org_id = c.id
                       AND d.outcome = 'declined') AS declined_before
        FROM orgs c
        WHERE c.district_id = ${order.districtId} AND c.active
          AND (c.kind IN (${kindList})
               OR EXISTS (SELECT 1 FROM service_menu_items mi WHERE mi.org_id = c.id AND mi.active))`,
  );
  return rows.map((r) => ({
    orgId: r.id,
    orgName: r.name,
    orgKind: r.kind,
    categoryMatch: !!r.category_match,
    distanceMeters: r.distance === null || r.distance === undefined ? null : Math.round(Number(r.distance)),
    openOrders: Number(r.open_orders),
    ratings: Number(r.ratings),
    satisfied: Number(r.satisfied),
    declinedBefore: !!r.declined_before,
  }));
}

/** Whether the org already declined this order (a re-dispatch loop). */
export async function declinedBefore(ex: Executor, orderId: number, orgId: number): Promise<boolean> {
  return !!(await one(
    ex,
    sql`SELECT 1 FROM service_order_dispatches WHERE order_id = ${orderId} AND org_id = ${orgId} AND outcome = 'declined'`,
  ));
}

// ── two rates ─────────────────────────────────────────────────────────────────────────────────

/** Dispatches to orgs of the scope made in [from, to), with the assignee's path. */
export async function dispatchesForRates(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  from: string,
  to: string,
) {
  const scope = scopePath === null ? sql`TRUE` : sql`og.path LIKE ${`${scopePath}%`}`;
  const rows = await many<any>(
    ex,
    sql`SELECT d.org_id, og.path, d.dispatched_at, d.respond_due_at, d.outcome, d.responded_at
        FROM service_order_dispatches d JOIN orgs og ON og.id = d.org_id
        WHERE d.district_id = ${districtId} AND ${scope}
          AND d.dispatched_at >= ${from}::timestamptz AND d.dispatched_at < ${to}::timestamptz`,
  );
  return rows.map((r) => ({
    orgId: r.org_id as number,
    path: r.path as string,
    dispatchedAt: new Date(iso(r.dispatched_at)),
    respondDueAt: new Date(iso(r.respond_due_at)),
    outcome: r.outcome as 'pending' | 'accepted' | 'declined' | 'withdrawn',
    respondedAt: r.responded_at ? new Date(iso(r.responded_at)) : null,
  }));
}

/** Ratings of orgs of the scope given in [from, to). */
export async function ratingsForRates(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  from: string,
  to: string,
) {
  const scope = scopePath === null ? sql`TRUE` : sql`og.path LIKE ${`${scopePath}%`}`;
  const rows = await many<any>(
    ex,
    sql`SELECT r.org_id, og.path, r.score FROM service_order_ratings r JOIN orgs og ON og.id = r.org_id
        WHERE r.district_id = ${districtId} AND ${scope}
          AND r.created_at >= ${from}::timestamptz AND r.created_at < ${to}::timestamptz`,
  );
  return rows.map((r) => ({ orgId: r.org_id as number, path: r.path as string, score: Number(r.score) }));
}

export async function orgsByIds(ex: Executor, ids: readonly number[]) {
  if (!ids.length) return [];
  return many<{ id: number; name: string; kind: string; path: string }>(
    ex,
    sql`SELECT id, name, kind, path FROM orgs WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
}

// ── public lists ──────────────────────────────────────────────────────────────────────────────

export async function listPublicNeeds(
  ex: Executor,
  districtId: number,
  f: { category?: string; status?: 'open' | 'done'; gridId?: number },
) {
  const conds: SQL[] = [sql`so.district_id = ${districtId}`, sql`so.status NOT IN ('rejected', 'cancelled')`];
  if (f.category) conds.push(sql`so.category = ${f.category}`);
  if (f.status === 'open') conds.push(sql`so.status NOT IN ('done', 'rated')`);
  if (f.status === 'done') conds.push(sql`so.status IN ('done', 'rated')`);
  if (f.gridId) conds.push(sql`so.grid_id = ${f.gridId}`);
  const rows = await many<any>(
    ex,
    sql`SELECT so.category, so.title, so.status, g.name AS grid_name, o.name AS org_name, a.name AS assignee_name,
               so.created_at
        FROM service_orders so JOIN orgs o ON o.id = so.org_id
        LEFT JOIN orgs a ON a.id = so.assignee_org_id LEFT JOIN grids g ON g.id = so.grid_id
        WHERE ${sql.join(conds, sql` AND `)} ORDER BY so.created_at DESC, so.id DESC LIMIT 200`,
  );
  return rows.map((r) => ({
    category: r.category,
    title: r.title,
    status: r.status,
    gridName: r.grid_name ?? null,
    orgName: r.org_name,
    assigneeName: r.assignee_name ?? null,
    createdAt: iso(r.created_at),
  }));
}

// ── service menu ──────────────────────────────────────────────────────────────────────────────

export type MenuRow = {
  id: number;
  districtId: number;
  org: { id: number; name: string; kind: string };
  orgPath: string;
  category: OrderCategory;
  title: string;
  description: string | null;
  active: boolean;
  createdAt: string;
};

const SELECT_MENU = sql`
  SELECT mi.id, mi.district_id, mi.org_id, og.name AS org_name, og.kind AS org_kind, og.path AS org_path, mi.category,
         mi.title, mi.description, mi.active, mi.created_at
  FROM service_menu_items mi JOIN orgs og ON og.id = mi.org_id`;

function toMenuRow(r: any): MenuRow {
  return {
    id: r.id,
    districtId: r.district_id,
    org: { id: r.org_id, name: r.org_name, kind: r.org_kind },
    orgPath: r.org_path,
    category: r.category,
    title: r.title,
    description: r.description,
    active: r.active,
    createdAt: iso(r.created_at),
  };
}

export async function listMenu(
  ex: Executor,
  districtId: number,
  f: { category?: string; active: 'true' | 'false' | 'all' },
): Promise<MenuRow[]> {
  const conds: SQL[] = [sql`mi.district_id = ${districtId}`];
  if (f.category) conds.push(sql`mi.category = ${f.category}`);
  if (f.active !== 'all') conds.push(sql`mi.active = ${f.active === 'true'}`);
  if (f.active === 'true') conds.push(sql`og.active`);
  const rows = await many(
    ex,
    sql`${SELECT_MENU} WHERE ${sql.join(conds, sql` AND `)} ORDER BY mi.category, og.name, mi.title, mi.id LIMIT 1000`,
  );
  return rows.map(toMenuRow);
}

export async function findMenuItem(ex: Executor, districtId: number, id: number): Promise<MenuRow | undefined> {
  const r = await one(ex, sql`${SELECT_MENU} WHERE mi.id = ${id} AND mi.district_id = ${districtId}`);
  return r ? toMenuRow(r) : undefined;
}

export async function insertMenuItem(
  ex: Executor,
  m: { districtId: number; orgId: number; category: string; title: string; description: string | null },
): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO service_menu_items (district_id, org_id, category, title, description)
        VALUES (${m.districtId}, ${m.orgId}, ${m.category}, ${m.title}, ${m.description}) RETURNING id`,
  );
  return r!.id;
}

export async function updateMenuItem(
  ex: Executor,
  id: number,
  patch: { category?: string; title?: string; description?: string | null; active?: boolean },
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (patch.category !== undefined) sets.push(sql`category = ${patch.category}`);
  if (patch.title !== undefined) sets.push(sql`title = ${patch.title}`);
  if (patch.description !== undefined) sets.push(sql`description = ${patch.description}`);
  if (patch.active !== undefined) sets.push(sql`active = ${patch.active}`);
  await ex.execute(sql`UPDATE service_menu_items SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}
