import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import './map.css';
import iconUrl from 'leaflet/dist/images/marker-icon.png';
import iconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png';
import shadowUrl from 'leaflet/dist/images/marker-shadow.png';

// Leaflet guesses its marker images from the CSS path, which a bundle breaks: point at the bundled files.
L.Icon.Default.mergeOptions({ iconRetinaUrl, iconUrl, shadowUrl });
L.Icon.Default.imagePath = '';

/** 柯桥 Keqiao: where the map opens when there is nothing to fit. */
export const DEFAULT_CENTER: L.LatLngTuple = [30.083, 120.49];
export const DEFAULT_ZOOM = 12;

/** [lon, lat] rings of a GeoJSON (Multi)Polygon as Leaflet [lat, lon] rings. */
export function toLatLngs(geometry: { type: string; coordinates: unknown[] }): L.LatLngTuple[][][] {
  const ring = (r: number[][]) => r.map(([lon, lat]) => [lat, lon] as L.LatLngTuple);
  if (geometry.type === 'Polygon') return [(geometry.coordinates as number[][][]).map(ring)];
  if (geometry.type === 'MultiPolygon') {
    return (geometry.coordinates as number[][][][]).map((poly) => poly.map(ring));
  }
  if (geometry.type === 'GeometryCollection') return [];
  return [];
}

/** Bounds of many geometries, or null when there are none. */
export function boundsOf(geometries: ({ type: string; coordinates: unknown[] } | null)[]): L.LatLngBounds | null {
  let bounds: L.LatLngBounds | null = null;
  for (const g of geometries) {
    if (!g) continue;
    for (const poly of toLatLngs(g)) {
      for (const ring of poly) {
        for (const p of ring) {
          if (bounds) bounds.extend(p);
          else bounds = L.latLngBounds(p, p);
        }
      }
    }
  }
  return bounds;
}

/** Formats an area in m² the way a cadre reads it: m² below a hectare, then hectares, then km². */
export function formatArea(m2: number | null | undefined): string {
  if (m2 === null || m2 === undefined) return '—';
  if (m2 < 10_000) return `${Math.round(m2).toLocaleString()} m²`;
  if (m2 < 1_000_000) return `${(m2 / 10_000).toFixed(2)} ha`;
  return `${(m2 / 1_000_000).toFixed(3)} km²`;
}

export { L };
