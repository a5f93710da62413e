import type { Photo, PhotoUpload } from '../../../domain/photo.ts';
import type { Executor } from '../../db/sql.ts';
import {
  insertPhotos,
  type PreparedPhoto,
  photosOf,
  preparePhotos,
  registerPhotoOwner,
} from '../photos/photos.service.ts';
import * as repo from './activities.repository.ts';

/**
 * 总结照片 photos of an activity summary (owner kind `activity_summary`, owner id = the activity). They are
 * checked and re-encoded before the summary's transaction and stored inside it, so a bad photo leaves no
 * summary and no status change behind. A cadre sees them when he sees the activity; anyone sees them once
 * the activity is published (the public activity page).
 */
export function registerActivityPhotos() {
  registerPhotoOwner('activity_summary', {
    permission: 'activity.read',
    async mayRead(database, actor, activityId) {
      return !!(await repo.findActivity(database.db, activityId, actor));
    },
    async isPublic(database, activityId) {
      return (await repo.findActivity(database.db, activityId))?.status === 'published';
    },
  });
}

/** Checks the summary's uploads (errors name `photos.<i>.dataBase64`). */
export function prepareSummaryPhotos(uploads: readonly PhotoUpload[] | undefined): Promise<PreparedPhoto[]> {
  return preparePhotos(uploads ?? [], 'photos');
}

/** Stores the summary's photos; call inside the summary's transaction. */
export async function insertSummaryPhotos(
  tx: Executor,
  a: { id: number; districtId: number; orgId: number },
  accountId: number,
  photos: readonly PreparedPhoto[],
) {
  await insertPhotos(
    tx,
    { districtId: a.districtId, orgId: a.orgId, kind: 'activity_summary', id: a.id, createdBy: accountId },
    photos,
  );
}

/** The summary's photos, with internal URLs (console) or public ones (the published page). */
export async function summaryPhotos(ex: Executor, activityId: number, publicUrl = false): Promise<Photo[]> {
  return (await photosOf(ex, 'activity_summary', [activityId], { publicUrl })).get(activityId) ?? [];
}
