import crypto from 'node:crypto';
import type { z } from 'zod';
import type { Lang } from '../../../domain/messages.ts';
import {
  CATEGORY_NAMES,
  type Open311ClientCreateSchema,
  type Open311RequestCreateSchema,
  type Open311RequestsQuerySchema,
  open311Status,
  parseServiceCode,
  statusesOf,
  titleOf,
} from '../../../domain/open311.ts';
import {
  makeTrackingNo,
  ORDER_CATEGORIES,
  type OrderCategory,
  type OrderSource,
  TRACKING_RE,
} from '../../../domain/order.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { getDistrictName } from '../districts/districts.repository.ts';
import * as repo from './orders.repository.ts';
import * as more from './orders-more.repository.ts';

/**
 * Open311 GeoReport v2 over the orders (docs/OPEN311.md): jurisdiction_id = district id,
 * service_code = category or `menu-<id>`, service_request_id = tracking number, status open/closed.
 * Reads without an api_key answer only requests named by id and never carry personal data or
 * places; a district's api_key (stored as SHA-256) lists all, sees addresses and may submit.
 */

export const hashApiKey = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

async function requireDistrict(database: Database, districtId: number) {
  if ((await getDistrictName(database.db, districtId)) === null) throw new AppError('DISTRICT_NOT_FOUND');
}

/** The active client of the district holding the key, or a 403. */
async function clientOf(database: Database, districtId: number, apiKey: string) {
  const client = await more.clientByKeyHash(database.db, districtId, hashApiKey(apiKey));
  if (!client)
    throw new AppError('OPEN311_KEY_INVALID', { errors: [{ field: 'api_key', message: 'OPEN311_KEY_INVALID' }] });
  return client;
}

// ── services ──────────────────────────────────────────────────────────────────────────────────

/** Our categories, then the district's active menu items (共青团所能). */
export async function listServices(database: Database, districtId: number, lang: Lang) {
  await requireDistrict(database, districtId);
  const categories = ORDER_CATEGORIES.map((c) => ({
    service_code: c,
    service_name: CATEGORY_NAMES[c][lang],
    description: CATEGORY_NAMES[c][lang],
    metadata: false,
    type: 'realtime' as const,
    keywords: c,
    group: CATEGORY_NAMES[c][lang],
  }));
  const menu = (await repo.listMenu(database.db, districtId, { active: 'true' })).map((m) => ({
    service_code: `menu-${m.id}`,
    service_name: m.title,
    description: [m.description, m.org.name].filter(Boolean).join(' · '),
    metadata: false,
    type: 'realtime' as const,
    keywords: m.category,
    group: CATEGORY_NAMES[m.category][lang],
  }));
  return [...categories, ...menu];
}

export async function serviceDefinition(database: Database, districtId: number, code: string) {
  await requireDistrict(database, districtId);
  const parsed = parseServiceCode(code);
  if (!parsed) throw new AppError('OPEN311_SERVICE_NOT_FOUND');
  if (parsed.kind === 'menu') {
    const item = await repo.findMenuItem(database.db, districtId, parsed.menuItemId);
    if (!item?.active) throw new AppError('OPEN311_SERVICE_NOT_FOUND');
  }
  // No extra attributes: what we need travels in the standard fields.
  return { service_code: code, attributes: [] };
}

// ── requests ──────────────────────────────────────────────────────────────────────────────────

type RequestRow = Awaited<ReturnType<typeof more.listOpen311Requests>>[number];

function toRequest(r: RequestRow, trusted: boolean, lang: Lang) {
  const category = r.category as (typeof ORDER_CATEGORIES)[number];
  // Only the reason of a refusal or cancellation is a public note (it is written for the requester).
  const closedNote = r.status === 'rejected' || r.status === 'cancelled' ? r.statusReason : null;
  return {
    service_request_id: r.trackingNo,
    status: open311Status(r.status),
    status_notes: closedNote,
    service_name: r.menuTitle ?? CATEGORY_NAMES[category]?.[lang] ?? r.category,
    service_code: r.menuItemId ? `menu-${r.menuItemId}` : r.category,
    description: r.title,
    agency_responsible: r.assigneeName,
    service_notice: null,
    requested_datetime: r.createdAt,
    updated_datetime: r.updatedAt,
    expected_datetime: r.completeDueAt,
    address: trusted ? r.address : null,
    address_id: null,
    zipcode: null,
    lat: trusted ? r.lat : null,
    long: trusted ? r.lon : null,
    media_url: null,
  };
}

export async function listRequests(database: Database, query: z.infer<typeof Open311RequestsQuerySchema>, lang: Lang) {
  const districtId = query.jurisdiction_id;
  await requireDistrict(database, districtId);
  const trusted = query.api_key ? await clientOf(database, districtId, query.api_key) : null;
  const ids = query.service_request_id
    ?.split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (ids?.some((id) => !TRACKING_RE.test(id))) {
    throw new AppError('VALIDATION', { errors: [{ field: 'service_request_id', message: 'order.trackingNo' }] });
  }
  if (!trusted && !ids?.length) throw new AppError('OPEN311_KEY_REQUIRED');
  const code = query.service_code ? parseServiceCode(query.service_code) : null;
  if (query.service_code && !code) {
    throw new AppError('OPEN311_SERVICE_NOT_FOUND', {
      errors: [{ field: 'service_code', message: 'OPEN311_SERVICE_NOT_FOUND' }],
    });
  }
  if (query.start_date && query.end_date && new Date(query.end_date) <= new Date(query.start_date)) {
    throw new AppError('VALIDATION', { errors: [{ field: 'end_date', message: 'venue.rangeOrder' }] });
  }
  // The spec's default window: the last 90 days, unless ids are named.
  const from = query.start_date ?? (ids?.length ? undefined : new Date(Date.now() - 90 * 86_400_000).toISOString());
  const rows = await more.listOpen311Requests(database.db, districtId, {
    trackingNos: ids?.slice(0, 100),
    category: code?.kind === 'category' ? code.category : undefined,
    menuItemId: code?.kind === 'menu' ? code.menuItemId : undefined,
    from: from ? new Date(from).toISOString() : undefined,
    to: query.end_date ? new Date(query.end_date).toISOString() : undefined,
    statuses: query.status ? statusesOf(query.status) : undefined,
  });
  if (trusted) await more.touchOpen311Client(database.db, trusted.id);
  return rows.map((r) => toRequest(r, !!trusted, lang));
}

export async function getRequest(
  database: Database,
  districtId: number,
  id: string,
  apiKey: string | undefined,
  lang: Lang,
) {
  await requireDistrict(database, districtId);
  const trusted = apiKey ? await clientOf(database, districtId, apiKey) : null;
  if (!TRACKING_RE.test(id)) throw new AppError('ORDER_NOT_FOUND');
  const rows = await more.listOpen311Requests(database.db, districtId, { trackingNos: [id] });
  if (!rows.length) throw new AppError('ORDER_NOT_FOUND');
  return [toRequest(rows[0], !!trusted, lang)];
}

/**
 * POST requests.json: a trusted system (hotline, reporting app) submits what our public page
 * requires — name, mobile number, service, text — with its district api_key standing in for the
 * SMS code (the system verified the caller). The order is a resident's request (or 青年之声 for a
 * 12355 client) with the same tracking number, timeline and rating path.
 */
export async function createRequest(
  database: Database,
  pii: PiiCipher,
  input: z.infer<typeof Open311RequestCreateSchema>,
  lang: Lang,
) {
  const districtId = input.jurisdiction_id;
  await requireDistrict(database, districtId);
  const client = await clientOf(database, districtId, input.api_key);
  const code = parseServiceCode(input.service_code);
  if (!code) {
    throw new AppError('OPEN311_SERVICE_NOT_FOUND', {
      errors: [{ field: 'service_code', message: 'OPEN311_SERVICE_NOT_FOUND' }],
    });
  }
  const menu = code.kind === 'menu' ? await repo.findMenuItem(database.db, districtId, code.menuItemId) : null;
  if (code.kind === 'menu' && !menu?.active) {
    throw new AppError('OPEN311_SERVICE_NOT_FOUND', {
      errors: [{ field: 'service_code', message: 'OPEN311_SERVICE_NOT_FOUND' }],
    });
  }
  const category = menu ? menu.category : code.kind === 'category' ? code.category : 'other';
  const name = [input.last_name, input.first_name].filter(Boolean).join('').slice(0, 50);
  const created = await createTrustedOrder(database, pii, districtId, {
    source: menu ? 'menu' : client.source,
    name,
    phone: input.phone,
    category,
    menuItemId: menu?.id ?? null,
    title: titleOf(input.description, menu?.title ?? CATEGORY_NAMES[category][lang]),
    description: input.description ?? null,
    location: input.lat !== undefined && input.long !== undefined ? { lon: input.long, lat: input.lat } : null,
    address: input.address_string ?? null,
    open311ClientId: client.id,
  });
  await more.touchOpen311Client(database.db, client.id);
  return [
    {
      service_request_id: created.trackingNo,
      service_notice:
        lang === 'en'
          ? 'Received. The requester can follow it on the tracking page with this number.'
          : '已受理，请凭受理编号在进度查询页查看办理情况。',
      account_id: null,
    },
  ];
}

/** A tracking number nobody holds yet (the unique index is the backstop). */
async function newTrackingNo(database: Database): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const candidate = makeTrackingNo(new Date(), () => crypto.randomInt(0, 1_000_000) / 1_000_000);
    if (!(await repo.trackingNoTaken(database.db, candidate))) return candidate;
  }
  throw new Error('could not draw a free tracking number');
}

/** Writes the order of a trusted system like a public request: the grid under the point, else the district root. */
async function createTrustedOrder(
  database: Database,
  pii: PiiCipher,
  districtId: number,
  o: {
    source: OrderSource;
    name: string;
    phone: string;
    category: OrderCategory;
    menuItemId: number | null;
    title: string;
    description: string | null;
    location: { lon: number; lat: number } | null;
    address: string | null;
    open311ClientId: number;
  },
) {
  const grid = o.location ? await repo.gridAtPoint(database.db, districtId, o.location.lon, o.location.lat) : undefined;
  const orgId = grid?.orgId ?? (await repo.rootOrgOfDistrict(database.db, districtId))!.id;
  const trackingNo = await newTrackingNo(database);
  return database.db.transaction(async (tx) => {
    const id = await repo.insertOrder(tx, {
      districtId,
      trackingNo,
      source: o.source,
      category: o.category,
      title: o.title,
      description: o.description,
      location: o.location,
      address: o.address,
      gridId: grid?.id ?? null,
      orgId,
      menuItemId: o.menuItemId,
      requesterName: o.name,
      requesterPhoneEnc: pii.encrypt(o.phone),
      requesterPhoneIdx: pii.blindIndex('phone', o.phone),
      classification: null,
      createdBy: null,
      clientId: null,
    });
    await more.setOpen311Client(tx, id, o.open311ClientId);
    await repo.insertEvent(tx, {
      districtId,
      orderId: id,
      accountId: null,
      actorKind: 'system',
      action: 'create',
      fromStatus: null,
      toStatus: 'submitted',
      orgId,
      note: 'Open311',
    });
    await recordAudit(tx, null, {
      action: 'order.open311_create',
      entity: 'service_order',
      entityId: id,
      districtId,
      after: { trackingNo, source: o.source, orgId, gridId: grid?.id ?? null, open311ClientId: o.open311ClientId },
    });
    return { id, trackingNo };
  });
}

// ── api keys (console, district admins) ───────────────────────────────────────────────────────

const districtWide = (actor: Actor) => actor.role === 'district_admin' || actor.role === 'platform_admin';

export async function listClients(database: Database, actor: Actor, districtId?: number) {
  requirePermission(actor, 'order.dispatch');
  if (!districtWide(actor)) throw new AppError('FORBIDDEN');
  return { items: await more.listOpen311Clients(database.db, resolveDistrict(actor, districtId)) };
}

/** A new api_key, shown once; only its SHA-256 is kept. */
export async function createClient(database: Database, actor: Actor, input: z.infer<typeof Open311ClientCreateSchema>) {
  requirePermission(actor, 'order.dispatch');
  if (!districtWide(actor)) throw new AppError('FORBIDDEN');
  const districtId = resolveDistrict(actor, input.districtId);
  await requireDistrict(database, districtId);
  const apiKey = `jw311_${crypto.randomBytes(24).toString('base64url')}`;
  return database.db.transaction(async (tx) => {
    const client = await more.insertOpen311Client(tx, {
      districtId,
      name: input.name,
      keyHash: hashApiKey(apiKey),
      source: input.source,
      createdBy: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'open311.client_create',
      entity: 'open311_client',
      entityId: client.id,
      districtId,
      after: { name: client.name, source: client.source },
    });
    return { ...client, apiKey };
  });
}

export async function deactivateClient(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'order.dispatch');
  if (!districtWide(actor)) throw new AppError('FORBIDDEN');
  const found = await more.findOpen311Client(database.db, id);
  if (!found || (actor.districtId !== null && found.districtId !== actor.districtId)) {
    throw new AppError('OPEN311_CLIENT_NOT_FOUND');
  }
  return database.db.transaction(async (tx) => {
    await more.deactivateOpen311Client(tx, id);
    await recordAudit(tx, actor, {
      action: 'open311.client_deactivate',
      entity: 'open311_client',
      entityId: id,
      districtId: found.districtId,
      before: { active: found.active },
      after: { active: false },
    });
    return (await more.findOpen311Client(tx, id))!;
  });
}
