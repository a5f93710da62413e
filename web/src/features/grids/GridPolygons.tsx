import { useEffect, useMemo, useRef } from 'react';
import { useMap } from 'react-leaflet';
import { type MapLabel, MapLabels } from '../../components/map/Labels.tsx';
import { L, toLatLngs } from '../../components/map/leaflet.ts';
import type { Grid } from './api.ts';
import { type ColorBy, gridColor } from './state.tsx';

type Props = {
  grids: Grid[];
  colorBy?: ColorBy;
  /** Draws every grid in this colour (reference grids behind an editor). */
  plain?: string;
  selectedId?: number | null;
  onSelect?: (grid: Grid) => void;
  labelZoom?: number;
  /** Label under the name (e.g. the leader) */
  subLabel?: (grid: Grid) => string | null;
  fillOpacity?: number;
};

/**
 * Grid polygons on one canvas renderer (the map's preferCanvas): the full district's 1,217 polygons
 * pan smoothly. Styles change in place when the colouring or the selection changes.
 */
export function GridPolygons({
  grids,
  colorBy = 'capacity',
  plain,
  selectedId,
  onSelect,
  labelZoom = 15,
  subLabel,
  fillOpacity = 0.35,
}: Props) {
  const map = useMap();
  const layers = useRef(new Map<number, { layer: L.Polygon; grid: Grid }>());
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const interactive = !!onSelect;

  useEffect(() => {
    const group = L.featureGroup();
    const byId = new Map<number, { layer: L.Polygon; grid: Grid }>();
    for (const grid of grids) {
      if (!grid.boundary) continue;
      const layer = L.polygon(toLatLngs(grid.boundary), { interactive, pmIgnore: true, bubblingMouseEvents: false });
      if (interactive) {
        layer.bindTooltip(`${grid.code} ${grid.name}`, { sticky: true, direction: 'top' });
        layer.on('click', () => onSelectRef.current?.(grid));
      }
      byId.set(grid.id, { layer, grid });
      group.addLayer(layer);
    }
    group.addTo(map);
    layers.current = byId;
    return () => {
      group.remove();
    };
  }, [grids, map, interactive]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: restyle the layers made for new grids too
  useEffect(() => {
    for (const { layer, grid } of layers.current.values()) {
      const color = plain ?? gridColor(grid, colorBy);
      const selected = grid.id === selectedId;
      layer.setStyle({
        color: selected ? '#1677ff' : color,
        weight: selected ? 3 : 1,
        fillColor: color,
        fillOpacity: selected ? fillOpacity + 0.2 : fillOpacity,
      });
      if (selected) layer.bringToFront();
    }
  }, [grids, colorBy, plain, selectedId, fillOpacity]);

  const labels = useMemo<MapLabel[]>(
    () =>
      grids
        .filter((g) => g.labelPoint)
        .map((g) => ({ id: g.id, at: g.labelPoint!, text: g.name, sub: subLabel?.(g) ?? null })),
    [grids, subLabel],
  );
  return <MapLabels labels={labels} minZoom={labelZoom} />;
}
