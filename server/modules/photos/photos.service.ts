import crypto from 'node:crypto';
import sharp from 'sharp';
import type { Permission } from '../../../domain/account.ts';
import { roleCan } from '../../../domain/account.ts';
import {
  MAX_PHOTO_BYTES,
  MAX_PHOTO_PIXELS,
  type Photo,
  type PhotoMime,
  type PhotoOwnerKind,
  type PhotoUpload,
  type SniffError,
  STORED_PHOTO_SIDE,
  sniffImage,
} from '../../../domain/photo.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import * as repo from './photos.repository.ts';

/**
 * 照片 the reusable image-upload module. Owners (the activities and orders modules) take uploads in their own
 * JSON bodies, have them checked and re-encoded here with {@link preparePhotos} BEFORE their transaction, and
 * store them with {@link insertPhotos} INSIDE it: a record and its photos commit together or not at all.
 * Who may see a photo is the owner's decision, plugged in with {@link registerPhotoOwner}: this module never
 * reads another module's tables.
 */

/** A checked, re-encoded upload, ready to be stored. */
export type PreparedPhoto = { mime: PhotoMime; bytes: Buffer; width: number; height: number; sha256: string };

// libvips keeps a cache of recent operations; uploads are never processed twice, so keep it small.
sharp.cache({ memory: 32, files: 0, items: 20 });

const FORMAT_MIME: Record<string, PhotoMime> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Decodes and re-encodes one image with libvips (sharp): orientation applied from EXIF, then every metadata
 * block dropped (EXIF with GPS, XMP, IPTC, comments, ICC after conversion to sRGB), anything appended after the
 * image gone, the long side capped at {@link STORED_PHOTO_SIDE}. The format stays (JPEG, PNG or WebP).
 */
async function reencode(bytes: Buffer, mime: PhotoMime): Promise<PreparedPhoto | SniffError> {
  try {
    const image = sharp(bytes, {
      limitInputPixels: MAX_PHOTO_PIXELS,
      failOn: 'error',
      sequentialRead: true,
      animated: false,
      autoOrient: true,
    });
    const meta = await image.metadata();
    // libvips detects the format itself; it must be the one the magic bytes said.
    if (FORMAT_MIME[meta.format ?? ''] !== mime) return 'PHOTO_NOT_IMAGE';
    const resized = image.resize({
      width: STORED_PHOTO_SIDE,
      height: STORED_PHOTO_SIDE,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const encoded =
      mime === 'image/jpeg'
        ? resized.jpeg({ quality: 85 })
        : mime === 'image/png'
          ? resized.png({ compressionLevel: 6 })
          : resized.webp({ quality: 85 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return {
      mime,
      bytes: data,
      width: info.width,
      height: info.height,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
    };
  } catch {
    // libvips refused to decode it: truncated or corrupt pixel data.
    return 'PHOTO_DAMAGED';
  }
}

/**
 * Checks uploads by their content and re-encodes them. Every refused photo is listed with its field
 * (`<field>.<i>.dataBase64`) and why: PHOTO_NOT_IMAGE (not JPEG/PNG/WebP by its bytes), PHOTO_DAMAGED
 * (truncated, corrupt, something appended), PHOTO_DIMENSIONS (over 40 megapixels) → 400 VALIDATION like every
 * other field error; PHOTO_TOO_LARGE (over {@link MAX_PHOTO_BYTES}) → 413 PHOTO_TOO_LARGE, the same status as
 * an over-long body, so a client handles "too big" one way.
 */
export async function preparePhotos(uploads: readonly PhotoUpload[], field: string): Promise<PreparedPhoto[]> {
  const errors: (FieldError & { message: PhotoErrorCode })[] = [];
  const out: PreparedPhoto[] = [];
  for (const [i, upload] of uploads.entries()) {
    const at = `${field}.${i}.dataBase64`;
    // Length first: never decode more than the limit allows (base64 is 4 characters per 3 bytes).
    if (Math.floor((upload.dataBase64.length * 3) / 4) > MAX_PHOTO_BYTES + 2) {
      errors.push({ field: at, message: 'PHOTO_TOO_LARGE' });
      continue;
    }
    const bytes = Buffer.from(upload.dataBase64, 'base64');
    if (bytes.length > MAX_PHOTO_BYTES) {
      errors.push({ field: at, message: 'PHOTO_TOO_LARGE' });
      continue;
    }
    const sniffed = sniffImage(bytes);
    if (typeof sniffed === 'string') {
      errors.push({ field: at, message: sniffed });
      continue;
    }
    const prepared = await reencode(bytes, sniffed.mime);
    if (typeof prepared === 'string') errors.push({ field: at, message: prepared });
    else out.push(prepared);
  }
  if (errors.length) {
    const tooLarge = errors.some((e) => e.message === 'PHOTO_TOO_LARGE');
    throw new AppError(tooLarge ? 'PHOTO_TOO_LARGE' : 'VALIDATION', { errors });
  }
  return out;
}

type PhotoErrorCode = 'PHOTO_TOO_LARGE' | SniffError;

/** Stores prepared photos for one owner; call inside the owner's transaction. Returns the new ids in order. */
export async function insertPhotos(
  tx: Executor,
  owner: { districtId: number; orgId: number; kind: PhotoOwnerKind; id: number; createdBy: number | null },
  photos: readonly PreparedPhoto[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const p of photos) {
    ids.push(
      await repo.insertPhoto(tx, {
        districtId: owner.districtId,
        orgId: owner.orgId,
        ownerKind: owner.kind,
        ownerId: owner.id,
        mime: p.mime,
        bytes: p.bytes,
        width: p.width,
        height: p.height,
        sha256: p.sha256,
        createdBy: owner.createdBy,
      }),
    );
  }
  return ids;
}

function toPhoto(row: repo.PhotoRow, publicUrl: boolean): Photo {
  return {
    id: row.id,
    url: publicUrl ? `/api/public/photos/${row.id}` : `/api/photos/${row.id}`,
    mime: row.mime,
    width: row.width,
    height: row.height,
    byteSize: row.byteSize,
    createdAt: row.createdAt,
  };
}

/** The photos of some owners (no bytes), with internal URLs, or public ones for a published page. */
export async function photosOf(
  ex: Executor,
  kind: PhotoOwnerKind,
  ownerIds: readonly number[],
  opts: { publicUrl?: boolean } = {},
): Promise<Map<number, Photo[]>> {
  const rows = await repo.listPhotos(ex, kind, ownerIds);
  return new Map([...rows].map(([id, list]) => [id, list.map((r) => toPhoto(r, opts.publicUrl ?? false))]));
}

// ── who may see a photo: decided by its owner ────────────────────────────────────────────────────

export type PhotoOwner = {
  /** The permission that reads owner records of this kind (a role with none of the owners' gets 403). */
  permission: Permission;
  /** Whether a logged-in actor may see the owner record (scope of the owning module). */
  mayRead(database: Database, actor: Actor, ownerId: number): Promise<boolean>;
  /** Whether the owner record is public (e.g. a published activity); absent = never public. */
  isPublic?(database: Database, ownerId: number): Promise<boolean>;
};

const owners = new Map<PhotoOwnerKind, PhotoOwner>();

/** Plugs an owner kind's visibility rules in (called by the owning module's route plugin). */
export function registerPhotoOwner(kind: PhotoOwnerKind, owner: PhotoOwner) {
  owners.set(kind, owner);
}

export type ServedPhoto = { mime: PhotoMime; bytes: Buffer; sha256: string };

async function bytesOf(database: Database, row: repo.PhotoRow): Promise<ServedPhoto> {
  const bytes = await repo.readPhotoBytes(database.db, row.id);
  if (!bytes) throw new AppError('PHOTO_NOT_FOUND');
  return { mime: row.mime, bytes, sha256: row.sha256 };
}

/**
 * A photo for a logged-in cadre: only when its owner record is visible to him; otherwise 404 exactly like
 * a missing one (and a `scope.denied` audit entry when it exists).
 */
export async function readPhoto(database: Database, actor: Actor, id: number): Promise<ServedPhoto> {
  if (![...owners.values()].some((o) => roleCan(actor.role, o.permission))) throw new AppError('FORBIDDEN');
  const row = await repo.findPhoto(database.db, id);
  if (!row) throw new AppError('PHOTO_NOT_FOUND');
  const owner = owners.get(row.ownerKind);
  const inDistrict = actor.districtId === null || actor.districtId === row.districtId;
  const readable = inDistrict && owner && roleCan(actor.role, owner.permission);
  if (readable && (await owner.mayRead(database, actor, row.ownerId))) return bytesOf(database, row);
  await recordAudit(database.db, actor, {
    action: 'scope.denied',
    entity: 'photo',
    entityId: id,
    districtId: row.districtId,
  });
  throw new AppError('PHOTO_NOT_FOUND');
}

/** A photo of a public page (a published activity's summary); every other photo is 404 without a session. */
export async function readPublicPhoto(database: Database, id: number): Promise<ServedPhoto> {
  const row = await repo.findPhoto(database.db, id);
  const owner = row ? owners.get(row.ownerKind) : undefined;
  if (!row || !owner?.isPublic || !(await owner.isPublic(database, row.ownerId))) {
    throw new AppError('PHOTO_NOT_FOUND');
  }
  return bytesOf(database, row);
}
