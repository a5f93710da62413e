import type { z } from 'zod';
import type { OrderProgressSchema } from '../../../domain/order.ts';
import type { Photo, PhotoUpload } from '../../../domain/photo.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import {
  insertPhotos,
  type PreparedPhoto,
  photosOf,
  preparePhotos,
  registerPhotoOwner,
} from '../photos/photos.service.ts';
import type { OrderRow } from './orders.repository.ts';
import * as repo from './orders.repository.ts';
import { canWork, getOrder, isVisible, loadOrder } from './orders.service.ts';

/**
 * 工单照片 photos of a service order: the resident's request photos (owner kind `order_request`, taken only
 * together with the public request: there is no free-standing public upload) and the assignee's progress and
 * completion photos (owner kind `order`). Both are shown to the cadres who see the order (either side), never
 * on the public tracking page: a resident's photos show homes, faces and house numbers, and the tracking page
 * is opened with a token or the phone's last four digits — too weak a proof for personal data the requester
 * already holds himself.
 */
export function registerOrderPhotos() {
  const owner = {
    permission: 'order.read' as const,
    async mayRead(database: Database, actor: Actor, orderId: number) {
      const row = await repo.findOrder(database.db, orderId);
      return !!row && isVisible(actor, row);
    },
  };
  registerPhotoOwner('order_request', owner);
  registerPhotoOwner('order', owner);
}

/** Checks uploads by content before any transaction (errors name `photos.<i>.dataBase64`). */
export function prepareOrderPhotos(uploads: readonly PhotoUpload[] | undefined): Promise<PreparedPhoto[]> {
  return preparePhotos(uploads ?? [], 'photos');
}

/** Stores the resident's request photos; call inside the request's transaction. */
export async function insertRequestPhotos(
  tx: Executor,
  order: { id: number; districtId: number; orgId: number },
  photos: readonly PreparedPhoto[],
) {
  await insertPhotos(
    tx,
    { districtId: order.districtId, orgId: order.orgId, kind: 'order_request', id: order.id, createdBy: null },
    photos,
  );
}

/** Stores the assignee's photos of a progress or completion record; call inside its transaction. */
export async function insertWorkPhotos(tx: Executor, row: OrderRow, actor: Actor, photos: readonly PreparedPhoto[]) {
  await insertPhotos(
    tx,
    {
      districtId: row.districtId,
      orgId: row.assignee?.id ?? row.org.id,
      kind: 'order',
      id: row.id,
      createdBy: actor.accountId,
    },
    photos,
  );
}

/** The order's photos for the detail view. */
export async function orderPhotos(ex: Executor, orderId: number): Promise<{ request: Photo[]; work: Photo[] }> {
  const [request, work] = await Promise.all([
    photosOf(ex, 'order_request', [orderId]),
    photosOf(ex, 'order', [orderId]),
  ]);
  return { request: request.get(orderId) ?? [], work: work.get(orderId) ?? [] };
}

/**
 * 进展记录 the assignee records progress on an accepted or started order: a note and photos, as a timeline
 * event `progress` (the requester's timeline shows that progress was made, without the note) — no status change.
 */
export async function recordProgress(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  input: z.infer<typeof OrderProgressSchema>,
) {
  requirePermission(actor, 'order.write');
  const seen = await loadOrder(database, actor, id);
  if (!canWork(actor, seen)) throw new AppError('FORBIDDEN');
  const photos = await prepareOrderPhotos(input.photos);
  await database.db.transaction(async (tx) => {
    await repo.lockOrder(tx, id);
    const row = (await repo.findOrder(tx, id))!;
    if (!canWork(actor, row)) throw new AppError('FORBIDDEN');
    if (row.status !== 'accepted' && row.status !== 'in_progress') throw new AppError('ORDER_STATE');
    await repo.insertEvent(tx, {
      districtId: row.districtId,
      orderId: id,
      accountId: actor.accountId,
      actorKind: 'cadre',
      action: 'progress',
      fromStatus: row.status,
      toStatus: row.status,
      orgId: row.assignee?.id ?? null,
      note: input.note,
      internal: false,
    });
    await insertWorkPhotos(tx, row, actor, photos);
    await recordAudit(tx, actor, {
      action: 'order.progress',
      entity: 'service_order',
      entityId: id,
      districtId: row.districtId,
      after: { note: input.note, photos: photos.length },
    });
  });
  return getOrder(database, pii, actor, id);
}
