import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, timestamp, varchar } from 'drizzle-orm/pg-core';
import { accounts, bytea, districts, orgs } from './core.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/**
 * 照片 images uploaded with an activity summary or a service order (migration 0017_photos). The bytes are
 * the server's own re-encoding of a checked JPEG/PNG/WebP (no EXIF, no GPS), kept in the database so that
 * backups and several app servers need nothing else. `owner_kind` + `owner_id` name the record the photo
 * belongs to (the owning module decides who may see it); `created_by` is null for a resident's public request.
 */
export const photos = pgTable(
  'photos',
  {
    id: serial('id').primaryKey(),
    districtId: integer('district_id')
      .notNull()
      .references(() => districts.id),
    orgId: integer('org_id')
      .notNull()
      .references(() => orgs.id),
    ownerKind: varchar('owner_kind', { length: 30 }).notNull(),
    ownerId: integer('owner_id').notNull(),
    mime: varchar('mime', { length: 20 }).notNull(),
    bytes: bytea('bytes').notNull(),
    byteSize: integer('byte_size').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('photos_owner_kind_ck', sql`${t.ownerKind} IN ('activity_summary', 'order_request', 'order')`),
    check('photos_mime_ck', sql`${t.mime} IN ('image/jpeg', 'image/png', 'image/webp')`),
    check('photos_size_ck', sql`${t.byteSize} = octet_length(${t.bytes}) AND ${t.width} > 0 AND ${t.height} > 0`),
    index('photos_owner_idx').on(t.ownerKind, t.ownerId, t.id),
    index('photos_district_idx').on(t.districtId),
  ],
);
