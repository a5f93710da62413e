import gcoord from 'gcoord';

/**
 * Coordinate systems of positions a phone reports. Browsers' navigator.geolocation gives WGS-84; WeChat's
 * wx.getLocation (type gcj02) and AMap give GCJ-02, the obfuscated system of mainland maps.
 */
export const COORD_SYSTEMS = ['wgs84', 'gcj02'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];
export type LngLat = [lng: number, lat: number];

/**
 * GCJ-02 → WGS-84 with gcoord (already our dependency for grid boundaries, so the conversion is the same
 * everywhere): the standard inverse of the eviltransform formula — start at the GCJ-02 point, apply the
 * forward transform, step back by the error, repeat until it is below 1e-6° (≈ 0.1 m); points outside
 * China's bounding box are returned unchanged (GCJ-02 is only applied inside it).
 */
export function gcj02ToWgs84(point: LngLat): LngLat {
  return gcoord.transform(point, gcoord.GCJ02, gcoord.WGS84) as LngLat;
}

/** WGS-84 → GCJ-02 (the forward formula; unchanged outside China). */
export function wgs84ToGcj02(point: LngLat): LngLat {
  return gcoord.transform(point, gcoord.WGS84, gcoord.GCJ02) as LngLat;
}

/** A reported position as WGS-84, the system every geometry of ours is stored in. */
export function toWgs84(point: LngLat, system: CoordSystem): LngLat {
  return system === 'gcj02' ? gcj02ToWgs84(point) : point;
}

/** Great-circle distance in metres (haversine, mean Earth radius), for tests and rough checks. */
export function distanceMeters(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}
