import gcoord from 'gcoord';
import {
  type Boundary,
  type BoundaryReason,
  type Crs,
  checkBoundaryCoordinates,
  mapBoundary,
} from '../../../domain/grid.ts';
import { type ErrorCode, errorMessage, type Lang } from '../../../domain/messages.ts';
import type { Executor } from '../../db/sql.ts';
import { AppError, type FieldError } from '../../lib/errors.ts';
import { prepareBoundary } from './grids.repository.ts';

/** What the API tells the user about a submitted boundary. */
export type BoundaryNotice = { repaired: string | null; convertedFrom: Crs | null };

export type BoundaryResult =
  | { ok: true; hex: string; notice: BoundaryNotice }
  | { ok: false; code: ErrorCode; error: FieldError; detail?: string };

const REASON_CODES: Record<BoundaryReason, ErrorCode> = {
  coord_not_finite: 'COORD_NOT_FINITE',
  coord_out_of_range: 'COORD_OUT_OF_RANGE',
  coord_order_swapped: 'COORD_ORDER_SWAPPED',
  outside_area: 'OUTSIDE_AREA',
  ring_not_closed: 'RING_NOT_CLOSED',
  ring_too_short: 'RING_TOO_SHORT',
  too_many_points: 'TOO_MANY_POINTS',
};

/**
 * Turns a submitted GeoJSON boundary into a valid WGS-84 MultiPolygon (hex EWKB) or a field error:
 * coordinate checks in TypeScript first (order, range, closed rings), GCJ-02 → WGS-84 with gcoord,
 * then validity in PostGIS, repaired with ST_MakeValid unless `repair` is false.
 */
export async function readBoundary(
  ex: Executor,
  districtId: number,
  boundary: Boundary,
  opts: { crs?: Crs; repair?: boolean; field?: string; lang?: Lang },
): Promise<BoundaryResult> {
  const field = opts.field ?? 'boundary';
  const problem = checkBoundaryCoordinates(boundary);
  if (problem) {
    const code = REASON_CODES[problem.reason];
    return { ok: false, code, error: { field: `${field}.${problem.path}`, message: code } };
  }
  let wgs = boundary;
  if (opts.crs === 'gcj02') {
    wgs = mapBoundary(boundary, (lon, lat) => {
      const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
      return [x, y];
    });
  }
  const prepared = await prepareBoundary(ex, districtId, wgs, opts.repair !== false);
  if (!prepared.ok) {
    const code: ErrorCode =
      prepared.reason === 'outside_area'
        ? 'OUTSIDE_AREA'
        : prepared.reason === 'empty'
          ? 'GEOMETRY_EMPTY'
          : 'GEOMETRY_INVALID';
    // PostGIS says why (e.g. "Self-intersection[120.1 30.1]"): the user needs the place to fix it.
    const message = prepared.detail ? `${errorMessage(code, opts.lang ?? 'zh-CN')} (${prepared.detail})` : code;
    return { ok: false, code, error: { field, message }, detail: prepared.detail ?? undefined };
  }
  return {
    ok: true,
    hex: prepared.hex,
    notice: { repaired: prepared.repairedReason, convertedFrom: opts.crs === 'gcj02' ? 'gcj02' : null },
  };
}

/** `readBoundary` for single writes: a problem becomes an AppError. */
export async function readBoundaryOrThrow(
  ex: Executor,
  districtId: number,
  boundary: Boundary,
  opts: { crs?: Crs; repair?: boolean; lang?: Lang },
): Promise<{ hex: string; notice: BoundaryNotice }> {
  const r = await readBoundary(ex, districtId, boundary, opts);
  if (!r.ok) throw new AppError(r.code, { errors: [r.error], ...(r.detail ? { detail: r.detail } : {}) });
  return r;
}
