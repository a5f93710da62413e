/**
 * Authorization rows of the photos module. Target: a photo of the summary of an activity of the scope org
 * (inserted directly). Seeing a photo follows its owner record — here the activity, so the activity's reads
 * (own subtree; district admins the district); youth read no photo-owning record (403); outside the scope the
 * photo answers 404 like a missing one. Public photos of published activities are in PUBLIC_ROUTES.
 */
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

/** A 1×1 PNG: the route serves stored bytes as they are (they were checked when uploaded). */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function summaryPhotoOf(t: Target): Promise<number> {
  const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  const [cat] = await t.database.query<{ id: number }>(
    `INSERT INTO activity_categories (district_id, name) VALUES ($1, $2) RETURNING id`,
    [t.districtId, `照片类别${t.unique}`],
  );
  const [plan] = await t.database.query<{ id: number }>(
    `INSERT INTO activity_plans (district_id, org_id, title, purpose, category_id, venue, starts_at, ends_at, capacity, status)
     VALUES ($1, $2, $3, '目的', $4, '青年之家', $5, $6, 20, 'approved') RETURNING id`,
    [t.districtId, t.orgId, `照片方案${t.unique}`, cat.id, at(-180), at(-60)],
  );
  const [activity] = await t.database.query<{ id: number }>(
    `INSERT INTO activities (district_id, plan_id, org_id, title, category_id, venue, starts_at, ends_at, capacity,
                             signup_opens_at, signup_closes_at, status)
     VALUES ($1, $2, $3, $4, $5, '青年之家', $6, $7, 20, $8, $9, 'summarised') RETURNING id`,
    [t.districtId, plan.id, t.orgId, `照片活动${t.unique}`, cat.id, at(-180), at(-60), at(-600), at(-200)],
  );
  await t.database.query(
    `INSERT INTO activity_summaries (activity_id, district_id, text, attendance) VALUES ($1, $2, '总结', 0)`,
    [activity.id, t.districtId],
  );
  const [photo] = await t.database.query<{ id: number }>(
    `INSERT INTO photos (district_id, org_id, owner_kind, owner_id, mime, bytes, byte_size, width, height, sha256)
     SELECT $1, $2, 'activity_summary', $3, 'image/png', b, octet_length(b), 1, 1, encode(sha256(b), 'hex')
     FROM (SELECT decode($4, 'base64') AS b) s RETURNING id`,
    [t.districtId, t.orgId, activity.id, PNG_1X1],
  );
  return photo.id;
}

export const photoRules: Record<string, RouteRule> = {
  'GET /api/photos/:id': {
    request: async (t) => ({ url: `/api/photos/${await t.shared('summary-photo', () => summaryPhotoOf(t))}` }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: SUBTREE,
      grid_leader: SUBTREE,
      team_leader: SUBTREE,
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
};

/** Public: photos of published activity summaries only (every other photo answers 404 there). */
export const PHOTO_PUBLIC_ROUTES = ['GET /api/public/photos/:id'] as const;
