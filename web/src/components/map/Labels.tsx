import { useEffect, useRef } from 'react';
import { useMap } from 'react-leaflet';
import { L } from './leaflet.ts';

export type MapLabel = { id: number | string; at: [number, number] | number[]; text: string; sub?: string | null };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * Text labels at [lon, lat] points, shown from `minZoom` on and only for the points in view (at most
 * `max`), so a whole district's labels never flood the page.
 */
export function MapLabels({ labels, minZoom = 15, max = 400 }: { labels: MapLabel[]; minZoom?: number; max?: number }) {
  const map = useMap();
  const group = useRef<L.LayerGroup | null>(null);
  useEffect(() => {
    const layer = L.layerGroup().addTo(map);
    group.current = layer;
    const draw = () => {
      layer.clearLayers();
      if (map.getZoom() < minZoom) return;
      const view = map.getBounds().pad(0.1);
      let shown = 0;
      for (const label of labels) {
        const at = L.latLng(label.at[1], label.at[0]);
        if (!view.contains(at)) continue;
        if (++shown > max) break;
        const html = `<span>${escapeHtml(label.text)}${label.sub ? `<small>${escapeHtml(label.sub)}</small>` : ''}</span>`;
        L.marker(at, {
          icon: L.divIcon({ className: 'jw-map-label', html, iconSize: [0, 0] }),
          interactive: false,
          keyboard: false,
          pmIgnore: true,
        }).addTo(layer);
      }
    };
    draw();
    map.on('moveend zoomend', draw);
    return () => {
      map.off('moveend zoomend', draw);
      layer.remove();
    };
  }, [map, labels, minZoom, max]);
  return null;
}
