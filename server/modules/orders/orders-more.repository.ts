import { type SQL, sql } from 'drizzle-orm';
import type { OrderStatus } from '../../../domain/order.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many, one } from '../../db/sql.ts';

/**
 * SQL of the orders module's settings, reminders, review tasks, participant ratings, attraction
 * rate, public leaderboard and Open311 clients (the second half of the module; see orders.repository.ts).
 */

// ── settings ──────────────────────────────────────────────────────────────────────────────────

export async function findSettings(ex: Executor, districtId: number) {
  const r = await one<any>(
    ex,
    sql`SELECT deadlines, incubation_threshold_pct, updated_at FROM order_settings WHERE district_id = ${districtId}`,
  );
  if (!r) return null;
  const deadlines = typeof r.deadlines === 'string' ? JSON.parse(r.deadlines) : r.deadlines;
  return { deadlines, thresholdPct: Number(r.incubation_threshold_pct), updatedAt: iso(r.updated_at) };
}

export async function saveSettings(ex: Executor, districtId: number, deadlines: unknown, thresholdPct: number) {
  await ex.execute(sql`
    INSERT INTO order_settings (district_id, deadlines, incubation_threshold_pct)
    VALUES (${districtId}, ${JSON.stringify(deadlines)}::jsonb, ${thresholdPct})
    ON CONFLICT (district_id) DO UPDATE SET deadlines = EXCLUDED.deadlines,
      incubation_threshold_pct = EXCLUDED.incubation_threshold_pct, updated_at = now()`);
}

// ── reminders ─────────────────────────────────────────────────────────────────────────────────

export async function orderForReminder(ex: Executor, orderId: number) {
  return one<{
    id: number;
    districtId: number;
    status: OrderStatus;
    dispatchCount: number;
    assigneeOrgId: number | null;
    respondDueAt: string | null;
    completeDueAt: string | null;
  }>(
    ex,
    sql`SELECT id, district_id AS "districtId", status, dispatch_count AS "dispatchCount",
               assignee_org_id AS "assigneeOrgId", respond_due_at::text AS "respondDueAt",
               complete_due_at::text AS "completeDueAt"
        FROM service_orders WHERE id = ${orderId} FOR UPDATE`,
  );
}

/** Records a reminder once per order, kind and dispatch; false when it was already there. */
export async function insertReminder(
  ex: Executor,
  r: {
    districtId: number;
    orderId: number;
    orgId: number | null;
    kind: 'respond' | 'complete';
    dispatchNo: number;
    dueAt: string;
  },
): Promise<boolean> {
  const rows = await many(
    ex,
    sql`INSERT INTO service_order_reminders (district_id, order_id, org_id, kind, dispatch_no, due_at)
        VALUES (${r.districtId}, ${r.orderId}, ${r.orgId}, ${r.kind}, ${r.dispatchNo}, ${r.dueAt}::timestamptz)
        ON CONFLICT (order_id, kind, dispatch_no) DO NOTHING RETURNING id`,
  );
  return rows.length === 1;
}

export async function listReminders(ex: Executor, orderId: number) {
  const rows = await many<any>(
    ex,
    sql`SELECT r.kind, r.dispatch_no, r.due_at, r.created_at, og.name AS org_name, r.org_id
        FROM service_order_reminders r LEFT JOIN orgs og ON og.id = r.org_id
        WHERE r.order_id = ${orderId} ORDER BY r.id`,
  );
  return rows.map((r) => ({
    kind: r.kind as 'respond' | 'complete',
    dispatchNo: Number(r.dispatch_no),
    dueAt: iso(r.due_at),
    at: iso(r.created_at),
    org: r.org_id ? { id: r.org_id as number, name: r.org_name as string } : null,
  }));
}

// ── review tasks ──────────────────────────────────────────────────────────────────────────────

export async function insertReview(
  ex: Executor,
  r: { districtId: number; orderId: number; orgId: number; score: number; comment: string | null; byKind: string },
): Promise<number> {
  const row = await one<{ id: number }>(
    ex,
    sql`INSERT INTO service_order_reviews (district_id, order_id, org_id, score, comment, by_kind)
        VALUES (${r.districtId}, ${r.orderId}, ${r.orgId}, ${r.score}, ${r.comment}, ${r.byKind}) RETURNING id`,
  );
  return row!.id;
}

const SELECT_REVIEWS = sql`
  SELECT rv.*, ro.path AS org_path_requesting, so.tracking_no, so.title, so.status AS order_status, og.name AS org_name, ac.username AS resolved_name
  FROM service_order_reviews rv
  JOIN service_orders so ON so.id = rv.order_id
  JOIN orgs og ON og.id = rv.org_id
  JOIN orgs ro ON ro.id = so.org_id
  LEFT JOIN accounts ac ON ac.id = rv.resolved_by`;

function toReview(r: any) {
  return {
    id: r.id as number,
    districtId: r.district_id as number,
    orgPath: r.org_path_requesting as string,
    order: {
      id: r.order_id as number,
      trackingNo: r.tracking_no as string,
      title: r.title as string,
      status: r.order_status,
    },
    org: { id: r.org_id as number, name: r.org_name as string },
    score: Number(r.score),
    comment: r.comment as string | null,
    byKind: r.by_kind as 'requester' | 'cadre' | 'participant',
    status: r.status as 'open' | 'closed',
    resolution: r.resolution as string | null,
    resolvedBy: (r.resolved_name ?? null) as string | null,
    resolvedAt: isoOrNull(r.resolved_at),
    createdAt: iso(r.created_at),
  };
}

/** Review tasks of orders the scope sees (requested in it, or of an org rated in it). */
export async function listReviews(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  status: 'open' | 'closed' | 'all',
) {
  const conds: SQL[] = [sql`rv.district_id = ${districtId}`];
  if (scopePath !== null) conds.push(sql`(ro.path LIKE ${`${scopePath}%`} OR og.path LIKE ${`${scopePath}%`})`);
  if (status !== 'all') conds.push(sql`rv.status = ${status}`);
  const rows = await many(
    ex,
    sql`${SELECT_REVIEWS} WHERE ${sql.join(conds, sql` AND `)} ORDER BY rv.created_at DESC, rv.id DESC LIMIT 500`,
  );
  return rows.map(toReview);
}

export async function listReviewsOfOrder(ex: Executor, orderId: number) {
  return (await many(ex, sql`${SELECT_REVIEWS} WHERE rv.order_id = ${orderId} ORDER BY rv.id`)).map(toReview);
}

export async function findReview(ex: Executor, id: number) {
  const r = await one(ex, sql`${SELECT_REVIEWS} WHERE rv.id = ${id}`);
  return r ? toReview(r) : undefined;
}

/** Closes an open review in one conditional UPDATE; false when someone closed it first. */
export async function closeReview(ex: Executor, id: number, by: number, resolution: string): Promise<boolean> {
  const rows = await many(
    ex,
    sql`UPDATE service_order_reviews SET status = 'closed', resolution = ${resolution}, resolved_by = ${by},
          resolved_at = now() WHERE id = ${id} AND status = 'open' RETURNING id`,
  );
  return rows.length === 1;
}

// ── participants ──────────────────────────────────────────────────────────────────────────────

export async function insertParticipantRating(
  ex: Executor,
  r: { districtId: number; orderId: number; orgId: number; phoneIdx: string; score: number; comment: string | null },
): Promise<void> {
  await ex.execute(sql`
    INSERT INTO service_order_participant_ratings (district_id, order_id, org_id, phone_idx, score, comment)
    VALUES (${r.districtId}, ${r.orderId}, ${r.orgId}, ${r.phoneIdx}, ${r.score}, ${r.comment})`);
}

export async function participantRatingCounts(ex: Executor, orderId: number) {
  const r = await one<{ n: number; satisfied: number }>(
    ex,
    sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE score >= 4)::int AS satisfied
        FROM service_order_participant_ratings WHERE order_id = ${orderId}`,
  );
  return { ratings: r?.n ?? 0, satisfied: r?.satisfied ?? 0 };
}

export async function setParticipants(
  ex: Executor,
  orderId: number,
  f: { planned?: number | null; participants?: number | null },
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = now()`];
  if (f.planned !== undefined) sets.push(sql`planned_participants = ${f.planned}`);
  if (f.participants !== undefined) sets.push(sql`participants = ${f.participants}`);
  await ex.execute(sql`UPDATE service_orders SET ${sql.join(sets, sql`, `)} WHERE id = ${orderId}`);
}

// ── attraction rate and leaderboard ───────────────────────────────────────────────────────────

/** Active orgs of the given kinds in the district (the leaderboard lists them even without data). */
export async function orgsOfKinds(ex: Executor, districtId: number, kinds: readonly string[]) {
  return many<{ id: number; name: string; kind: string; path: string }>(
    ex,
    sql`SELECT id, name, kind, path FROM orgs WHERE district_id = ${districtId} AND active
          AND kind IN (${sql.join(
            kinds.map((k) => sql`${k}`),
            sql`, `,
          )}) ORDER BY id`,
  );
}

/** 资源清单: orgs with active services, their categories and count. */
export async function listProviders(ex: Executor, districtId: number) {
  const rows = await many<any>(
    ex,
    sql`SELECT og.name, og.kind, array_agg(DISTINCT mi.category ORDER BY mi.category) AS categories,
               count(*)::int AS services
        FROM service_menu_items mi JOIN orgs og ON og.id = mi.org_id
        WHERE mi.district_id = ${districtId} AND mi.active AND og.active
        GROUP BY og.id, og.name, og.kind ORDER BY count(*) DESC, og.name LIMIT 500`,
  );
  return rows.map((r) => ({
    orgName: r.name as string,
    orgKind: r.kind as string,
    categories: (Array.isArray(r.categories)
      ? r.categories
      : String(r.categories).replace(/[{}]/g, '').split(',')) as any[],
    services: Number(r.services),
  }));
}

/** Orders a phone placed since an instant (the per-phone limit on public ordering). */
export async function countOrdersOfPhoneSince(ex: Executor, phoneIdx: string, since: string): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM service_orders
        WHERE requester_phone_idx = ${phoneIdx} AND created_by IS NULL AND created_at > ${since}::timestamptz`,
  );
  return r?.n ?? 0;
}

/** Codes requested from an IP since an instant (the per-IP limit on SMS codes, across app restarts). */
export async function countSmsOfIpSince(ex: Executor, ip: string, since: string): Promise<number> {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM sms_codes WHERE ip = ${ip} AND created_at > ${since}::timestamptz`,
  );
  return r?.n ?? 0;
}

// ── Open311 clients ───────────────────────────────────────────────────────────────────────────

export type Open311ClientRow = {
  id: number;
  districtId: number;
  name: string;
  source: 'resident' | 'youth_voice';
  active: boolean;
  createdAt: string;
  lastUsedAt: string | null;
};

const toClient = (r: any): Open311ClientRow => ({
  id: r.id,
  districtId: r.district_id,
  name: r.name,
  source: r.source,
  active: r.active,
  createdAt: iso(r.created_at),
  lastUsedAt: isoOrNull(r.last_used_at),
});

export async function insertOpen311Client(
  ex: Executor,
  c: { districtId: number; name: string; keyHash: string; source: string; createdBy: number },
): Promise<Open311ClientRow> {
  const r = await one(
    ex,
    sql`INSERT INTO open311_clients (district_id, name, key_hash, source, created_by)
        VALUES (${c.districtId}, ${c.name}, ${c.keyHash}, ${c.source}, ${c.createdBy}) RETURNING *`,
  );
  return toClient(r);
}

export async function listOpen311Clients(ex: Executor, districtId: number) {
  return (await many(ex, sql`SELECT * FROM open311_clients WHERE district_id = ${districtId} ORDER BY id`)).map(
    toClient,
  );
}

export async function findOpen311Client(ex: Executor, id: number) {
  const r = await one(ex, sql`SELECT * FROM open311_clients WHERE id = ${id}`);
  return r ? toClient(r) : undefined;
}

export async function deactivateOpen311Client(ex: Executor, id: number): Promise<void> {
  await ex.execute(sql`UPDATE open311_clients SET active = false WHERE id = ${id}`);
}

/** The active client holding the key hash in the district (the key names its district). */
export async function clientByKeyHash(ex: Executor, districtId: number, keyHash: string) {
  const r = await one(
    ex,
    sql`SELECT * FROM open311_clients WHERE key_hash = ${keyHash} AND district_id = ${districtId} AND active`,
  );
  return r ? toClient(r) : undefined;
}

export async function touchOpen311Client(ex: Executor, id: number): Promise<void> {
  await ex.execute(sql`UPDATE open311_clients SET last_used_at = now() WHERE id = ${id}`);
}

export async function setOpen311Client(ex: Executor, orderId: number, clientId: number): Promise<void> {
  await ex.execute(sql`UPDATE service_orders SET open311_client_id = ${clientId} WHERE id = ${orderId}`);
}

/** Orders of a district for Open311 (newest first, at most 1,000), filtered. */
export async function listOpen311Requests(
  ex: Executor,
  districtId: number,
  f: {
    trackingNos?: string[];
    category?: string;
    menuItemId?: number;
    from?: string;
    to?: string;
    statuses?: OrderStatus[];
  },
) {
  const conds: SQL[] = [sql`so.district_id = ${districtId}`];
  if (f.trackingNos) {
    conds.push(
      sql`so.tracking_no IN (${sql.join(
        f.trackingNos.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  }
  if (f.category) conds.push(sql`so.category = ${f.category}`);
  if (f.menuItemId) conds.push(sql`so.menu_item_id = ${f.menuItemId}`);
  if (f.from) conds.push(sql`so.created_at >= ${f.from}::timestamptz`);
  if (f.to) conds.push(sql`so.created_at < ${f.to}::timestamptz`);
  if (f.statuses) {
    conds.push(
      sql`so.status IN (${sql.join(
        f.statuses.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  }
  const rows = await many<any>(
    ex,
    sql`SELECT so.tracking_no, so.status, so.status_reason, so.category, so.menu_item_id, m.title AS menu_title,
               so.title, a.name AS assignee_name, so.created_at, so.updated_at, so.complete_due_at, so.address,
               ST_X(so.location) AS lon, ST_Y(so.location) AS lat
        FROM service_orders so
        LEFT JOIN orgs a ON a.id = so.assignee_org_id
        LEFT JOIN service_menu_items m ON m.id = so.menu_item_id
        WHERE ${sql.join(conds, sql` AND `)} ORDER BY so.created_at DESC, so.id DESC LIMIT 1000`,
  );
  return rows.map((r) => ({
    trackingNo: r.tracking_no as string,
    status: r.status as OrderStatus,
    statusReason: r.status_reason as string | null,
    category: r.category as string,
    menuItemId: r.menu_item_id as number | null,
    menuTitle: r.menu_title as string | null,
    title: r.title as string,
    assigneeName: r.assignee_name as string | null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    completeDueAt: isoOrNull(r.complete_due_at),
    address: r.address as string | null,
    lon: r.lon === null || r.lon === undefined ? null : Number(r.lon),
    lat: r.lat === null || r.lat === undefined ? null : Number(r.lat),
  }));
}

// ── two rates: the rows, with the service (menu item) of each ─────────────────────────────────

const scopeOf = (scopePath: string | null) => (scopePath === null ? sql`TRUE` : sql`og.path LIKE ${`${scopePath}%`}`);

/** Dispatches to orgs of the scope made in [from, to). */
export async function rateDispatches(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  from: string,
  to: string,
) {
  const rows = await many<any>(
    ex,
    sql`SELECT d.org_id, og.path, so.menu_item_id, d.dispatched_at, d.respond_due_at, d.outcome, d.responded_at
        FROM service_order_dispatches d JOIN orgs og ON og.id = d.org_id JOIN service_orders so ON so.id = d.order_id
        WHERE d.district_id = ${districtId} AND ${scopeOf(scopePath)}
          AND d.dispatched_at >= ${from}::timestamptz AND d.dispatched_at < ${to}::timestamptz`,
  );
  return rows.map((r) => ({
    orgId: r.org_id as number,
    path: r.path as string,
    menuItemId: (r.menu_item_id ?? null) as number | null,
    dispatchedAt: new Date(iso(r.dispatched_at)),
    respondDueAt: new Date(iso(r.respond_due_at)),
    outcome: r.outcome as 'pending' | 'accepted' | 'declined' | 'withdrawn',
    respondedAt: r.responded_at ? new Date(iso(r.responded_at)) : null,
  }));
}

/** Requester (or on-behalf) and participants' ratings of orgs of the scope, given in [from, to). */
export async function rateScores(ex: Executor, districtId: number, scopePath: string | null, from: string, to: string) {
  const rows = await many<any>(
    ex,
    sql`SELECT x.org_id, og.path, so.menu_item_id, x.score FROM (
          SELECT order_id, org_id, score, created_at, district_id FROM service_order_ratings
          UNION ALL
          SELECT order_id, org_id, score, created_at, district_id FROM service_order_participant_ratings) x
        JOIN orgs og ON og.id = x.org_id JOIN service_orders so ON so.id = x.order_id
        WHERE x.district_id = ${districtId} AND ${scopeOf(scopePath)}
          AND x.created_at >= ${from}::timestamptz AND x.created_at < ${to}::timestamptz`,
  );
  return rows.map((r) => ({
    orgId: r.org_id as number,
    path: r.path as string,
    menuItemId: (r.menu_item_id ?? null) as number | null,
    score: Number(r.score),
  }));
}

/** Completed group services (planned participants known) of assignees in the scope, done in [from, to). */
export async function rateServices(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  from: string,
  to: string,
) {
  const rows = await many<any>(
    ex,
    sql`SELECT so.assignee_org_id AS org_id, og.path, so.menu_item_id, so.planned_participants, so.participants
        FROM service_orders so JOIN orgs og ON og.id = so.assignee_org_id
        WHERE so.district_id = ${districtId} AND ${scopeOf(scopePath)} AND so.status IN ('done', 'rated')
          AND so.planned_participants IS NOT NULL
          AND so.done_at >= ${from}::timestamptz AND so.done_at < ${to}::timestamptz`,
  );
  return rows.map((r) => ({
    orgId: r.org_id as number,
    path: r.path as string,
    menuItemId: (r.menu_item_id ?? null) as number | null,
    planned: r.planned_participants === null ? null : Number(r.planned_participants),
    participants: r.participants === null ? null : Number(r.participants),
  }));
}

export async function menuItemsByIds(ex: Executor, ids: readonly number[]) {
  if (!ids.length) return [];
  return many<{ id: number; title: string; orgId: number; orgName: string; orgKind: string }>(
    ex,
    sql`SELECT mi.id, mi.title, og.id AS "orgId", og.name AS "orgName", og.kind AS "orgKind"
        FROM service_menu_items mi JOIN orgs og ON og.id = mi.org_id
        WHERE mi.id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
  );
}
