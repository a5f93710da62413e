import { sql } from 'drizzle-orm';
import type { PhotoMime, PhotoOwnerKind } from '../../../domain/photo.ts';
import { type Executor, iso, many, one } from '../../db/sql.ts';

/** A photo without its bytes (lists, scope checks). */
export type PhotoRow = {
  id: number;
  districtId: number;
  orgId: number;
  ownerKind: PhotoOwnerKind;
  ownerId: number;
  mime: PhotoMime;
  byteSize: number;
  width: number;
  height: number;
  sha256: string;
  createdBy: number | null;
  createdAt: string;
};

type Raw = {
  id: number;
  district_id: number;
  org_id: number;
  owner_kind: PhotoOwnerKind;
  owner_id: number;
  mime: PhotoMime;
  byte_size: number;
  width: number;
  height: number;
  sha256: string;
  created_by: number | null;
  created_at: unknown;
};

const COLUMNS = sql`id, district_id, org_id, owner_kind, owner_id, mime, byte_size, width, height, sha256, created_by,
  created_at`;

function toRow(r: Raw): PhotoRow {
  return {
    id: r.id,
    districtId: r.district_id,
    orgId: r.org_id,
    ownerKind: r.owner_kind,
    ownerId: r.owner_id,
    mime: r.mime,
    byteSize: r.byte_size,
    width: r.width,
    height: r.height,
    sha256: r.sha256,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
  };
}

export async function insertPhoto(
  ex: Executor,
  p: {
    districtId: number;
    orgId: number;
    ownerKind: PhotoOwnerKind;
    ownerId: number;
    mime: PhotoMime;
    bytes: Buffer;
    width: number;
    height: number;
    sha256: string;
    createdBy: number | null;
  },
): Promise<number> {
  // Bytes travel as base64 text and are decoded by the database: the same statement on PGlite and node-postgres.
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO photos (district_id, org_id, owner_kind, owner_id, mime, bytes, byte_size, width, height, sha256,
                            created_by)
        VALUES (${p.districtId}, ${p.orgId}, ${p.ownerKind}, ${p.ownerId}, ${p.mime},
                decode(${p.bytes.toString('base64')}, 'base64'), ${p.bytes.length}, ${p.width}, ${p.height},
                ${p.sha256}, ${p.createdBy})
        RETURNING id`,
  );
  return r!.id;
}

/** Photos of some owners of one kind, oldest first, grouped by owner. */
export async function listPhotos(
  ex: Executor,
  ownerKind: PhotoOwnerKind,
  ownerIds: readonly number[],
): Promise<Map<number, PhotoRow[]>> {
  const out = new Map<number, PhotoRow[]>();
  if (!ownerIds.length) return out;
  const rows = await many<Raw>(
    ex,
    sql`SELECT ${COLUMNS} FROM photos
        WHERE owner_kind = ${ownerKind} AND owner_id = ANY(${`{${ownerIds.join(',')}}`}::int[])
        ORDER BY owner_id, id`,
  );
  for (const r of rows) {
    const row = toRow(r);
    out.set(row.ownerId, [...(out.get(row.ownerId) ?? []), row]);
  }
  return out;
}

export async function findPhoto(ex: Executor, id: number): Promise<PhotoRow | undefined> {
  const r = await one<Raw>(ex, sql`SELECT ${COLUMNS} FROM photos WHERE id = ${id}`);
  return r ? toRow(r) : undefined;
}

export async function readPhotoBytes(ex: Executor, id: number): Promise<Buffer | undefined> {
  const r = await one<{ b64: string }>(ex, sql`SELECT encode(bytes, 'base64') AS b64 FROM photos WHERE id = ${id}`);
  // PostgreSQL's base64 breaks lines every 76 characters.
  return r ? Buffer.from(r.b64.replace(/\s+/g, ''), 'base64') : undefined;
}
