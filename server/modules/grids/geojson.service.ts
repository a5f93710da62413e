import type { z } from 'zod';
import {
  canBeResponsibleOrg,
  GridCreateSchema,
  type GridImportSchema,
  ImportFeatureSchema,
  isCircleKind,
} from '../../../domain/grid.ts';
import { errorMessage, type FieldIssue, fieldIssueMessage } from '../../../domain/messages.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findOrgInScope, type OrgRow } from '../orgs/orgs.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { readBoundary } from './boundary.ts';
import {
  findGridIdByCode,
  findGridInScope,
  type GridWrite,
  getCapacitySettings,
  insertGrid,
  listGridsUnder,
  updateGridFields,
} from './grids.repository.ts';
import { resolveSubjectOrg, toGrid } from './grids.service.ts';

type ImportInput = z.infer<typeof GridImportSchema>;

/** Errors reported per import: enough to fix a file, not a wall of text. */
const MAX_REPORTED_ERRORS = 100;

/** Reads a property under its API name or its export (snake_case) name. */
function prop(props: Record<string, unknown>, camel: string, snake: string): unknown {
  return props[camel] ?? props[snake] ?? undefined;
}

/**
 * 导入 GeoJSON Imports a FeatureCollection of grids: each feature is a grid (properties code, name,
 * kind, orgId/org_id, venue, service_project, youth_count, member_count). A code that exists in the
 * district updates (and reactivates) that grid, keeping its leader, contact and channels. Every
 * feature is checked first; one broken feature and nothing is written (the answer names each broken
 * feature by index and why). The writes share one transaction.
 */
export async function importGrids(database: Database, actor: Actor, input: ImportInput) {
  requirePermission(actor, 'org.write');
  const districtId = resolveDistrict(actor, input.districtId);
  // The org the import is for: outside the actor's subtree it is answered like a missing one (404,
  // audited) before any feature is read, as every route answers an out-of-scope org.
  if (input.orgId !== undefined) {
    const org = await loadOrgInScope(database, actor, input.orgId);
    if (org.districtId !== districtId) throw new AppError('ORG_NOT_FOUND');
  }
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ field, message });
  };
  const orgs = new Map<number, OrgRow | null>();
  const codes = new Map<string, number>();
  const planned: { index: number; existingId: number | null; write: GridWrite; geometry: unknown }[] = [];
  const repaired: { index: number; code: string; reason: string }[] = [];

  for (const [index, raw] of input.collection.features.entries()) {
    const at = `features.${index}`;
    const feature = ImportFeatureSchema.safeParse(raw);
    if (!feature.success) {
      fail(at, actor.lang === 'en' ? 'Not a GeoJSON Feature' : '不是 GeoJSON 要素（Feature）');
      continue;
    }
    const props = feature.data.properties ?? {};
    const candidate = {
      code: prop(props, 'code', 'code'),
      name: prop(props, 'name', 'name'),
      kind: prop(props, 'kind', 'kind'),
      orgId: prop(props, 'orgId', 'org_id') ?? input.orgId,
      venue: prop(props, 'venue', 'venue') ?? null,
      serviceProject: prop(props, 'serviceProject', 'service_project') ?? null,
      youthCount: prop(props, 'youthCount', 'youth_count') ?? null,
      memberCount: prop(props, 'memberCount', 'member_count') ?? null,
      boundary: feature.data.geometry ?? null,
    };
    const parsed = GridCreateSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        const field = path.startsWith('boundary') ? `${at}.geometry` : `${at}.properties.${path || 'code'}`;
        fail(field, fieldIssueMessage(issue as unknown as FieldIssue, actor.lang));
      }
      continue;
    }
    const g = parsed.data;
    if (codes.has(g.code)) {
      fail(
        `${at}.properties.code`,
        `${errorMessage('DUPLICATE_GRID_CODE', actor.lang)} (features.${codes.get(g.code)})`,
      );
      continue;
    }
    codes.set(g.code, index);
    if (isCircleKind(g.kind) && g.boundary) {
      fail(`${at}.geometry`, 'POLYGON_ON_CIRCLE');
      continue;
    }
    if (!orgs.has(g.orgId)) orgs.set(g.orgId, (await findOrgInScope(database.db, actor, g.orgId)) ?? null);
    const org = orgs.get(g.orgId);
    if (!org || org.districtId !== districtId) {
      fail(`${at}.properties.orgId`, 'ORG_NOT_FOUND');
      continue;
    }
    if (!canBeResponsibleOrg(org.kind) || !org.active) {
      fail(`${at}.properties.orgId`, org.active ? 'GRID_ORG_KIND' : 'ORG_INACTIVE');
      continue;
    }
    const existingId = (await findGridIdByCode(database.db, districtId, g.code)) ?? null;
    if (existingId !== null && !(await findGridInScope(database.db, actor, existingId, false))) {
      // The code belongs to a grid outside the actor's subtree: refuse without revealing it.
      fail(`${at}.properties.code`, 'DUPLICATE_GRID_CODE');
      continue;
    }
    let boundaryHex: string | null = null;
    if (g.boundary) {
      const b = await readBoundary(database.db, districtId, g.boundary, {
        crs: input.crs,
        repair: input.repair,
        field: `${at}.geometry`,
        lang: actor.lang,
      });
      if (!b.ok) {
        fail(b.error.field, b.error.message);
        continue;
      }
      boundaryHex = b.hex;
      if (b.notice.repaired) repaired.push({ index, code: g.code, reason: b.notice.repaired });
    }
    planned.push({
      index,
      existingId,
      geometry: g.boundary ?? null,
      write: {
        code: g.code,
        name: g.name,
        kind: g.kind,
        orgId: org.id,
        leaderAccountId: null,
        contactAccountId: null,
        venue: g.venue ?? null,
        channels: [],
        serviceProject: g.serviceProject ?? null,
        youthCount: g.youthCount ?? null,
        memberCount: g.memberCount ?? null,
        boundaryHex,
      },
    });
  }
  if (errors.length) throw new AppError('IMPORT_INVALID', { errors });
  const created = planned.filter((p) => p.existingId === null).length;
  const result = { created, updated: planned.length - created, repaired, dryRun: !!input.dryRun };
  if (input.dryRun) return result;

  await database.db.transaction(async (tx) => {
    for (const p of planned) {
      const { boundaryHex: _hex, ...fields } = p.write;
      if (p.existingId === null) {
        const id = await insertGrid(tx, districtId, p.write);
        await recordAudit(tx, actor, {
          action: 'grid.create',
          entity: 'grid',
          entityId: id,
          districtId,
          after: { ...fields, boundary: p.geometry, via: 'import' },
        });
      } else {
        // Leader, contact and channels are not in the file: an update keeps them.
        const { leaderAccountId: _l, contactAccountId: _c, channels: _ch, ...update } = p.write;
        const before = await findGridInScope(tx, actor, p.existingId, true);
        await updateGridFields(tx, p.existingId, { ...update, active: true });
        await recordAudit(tx, actor, {
          action: 'grid.update',
          entity: 'grid',
          entityId: p.existingId,
          districtId,
          before,
          after: { ...fields, boundary: p.geometry, via: 'import' },
        });
      }
    }
    await recordAudit(tx, actor, {
      action: 'grid.import',
      entity: 'grid',
      districtId,
      after: { created: result.created, updated: result.updated, repaired: repaired.length },
    });
  });
  return result;
}

/**
 * 导出 GeoJSON A FeatureCollection (RFC 7946, WGS-84) of the grids under an org, with flat
 * properties only (strings, numbers, booleans) so QGIS and other GIS tools read every column.
 */
export async function exportGrids(database: Database, actor: Actor, query: { districtId?: number; orgId?: number }) {
  requirePermission(actor, 'org.read');
  const org = await resolveSubjectOrg(database, actor, query.districtId, query.orgId);
  const settings = await getCapacitySettings(database.db, org.districtId);
  const rows = await listGridsUnder(database.db, actor, org.districtId, org.path, {
    withBoundary: true,
    activeOnly: true,
  });
  const features = rows.map((row) => {
    const g = toGrid(row, settings);
    return {
      type: 'Feature' as const,
      id: g.id,
      geometry: g.boundary,
      properties: {
        id: g.id,
        code: g.code,
        name: g.name,
        kind: g.kind,
        org_id: g.orgId,
        org_name: g.orgName,
        leader: g.leader?.name ?? null,
        contact: g.contact?.name ?? null,
        venue: g.venue,
        service_project: g.serviceProject,
        channels: g.channels.map((c) => `${c.type}:${c.name}${c.ident ? `(${c.ident})` : ''}`).join('; ') || null,
        linked_orgs: g.linkedOrgs.map((o) => o.name).join('; ') || null,
        youth_count: g.youthCount,
        member_count: g.memberCount,
        capacity: g.capacity.status,
        four_ones: g.fourOnes.count,
        four_ones_complete: g.fourOnes.complete,
        three_ones_complete: g.threeOnes.complete,
        area_m2: g.areaM2 === null ? null : Math.round(g.areaM2),
      },
    };
  });
  return { org, collection: { type: 'FeatureCollection' as const, name: 'jingwei_grids', features } };
}
