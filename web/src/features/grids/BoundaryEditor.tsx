import { CheckOutlined, DeleteOutlined, EditOutlined, FormOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMap } from 'react-leaflet';
import type { Boundary } from '../../../../domain/grid.ts';
import { loadGeoman } from '../../components/map/geoman.ts';
import { boundsOf, formatArea, L, toLatLngs } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import { useGridMap } from './api.ts';
import { GridPolygons } from './GridPolygons.tsx';

type Props = {
  value: Boundary | null;
  onChange: (value: Boundary | null) => void;
  /** The grid being edited: left out of the reference grids drawn in grey. */
  gridId?: number;
  disabled?: boolean;
};

const EDIT_STYLE: L.PathOptions = { color: '#1677ff', weight: 2, fillColor: '#1677ff', fillOpacity: 0.25 };

/** Polygons of the drawn layers as one GeoJSON boundary (a Polygon, or a MultiPolygon of several parts). */
function collect(group: L.FeatureGroup): Boundary | null {
  const polygons: number[][][][] = [];
  group.eachLayer((layer) => {
    if (!(layer instanceof L.Polygon)) return;
    const geometry = layer.toGeoJSON(7).geometry;
    if (geometry.type === 'Polygon') polygons.push(geometry.coordinates as number[][][]);
    else if (geometry.type === 'MultiPolygon') polygons.push(...(geometry.coordinates as number[][][][]));
  });
  const valid = polygons.filter((p) => p[0] && p[0].length >= 4);
  if (valid.length === 0) return null;
  if (valid.length === 1) return { type: 'Polygon', coordinates: valid[0] };
  return { type: 'MultiPolygon', coordinates: valid };
}

/** Rough planar area (m²) of a boundary near its latitude: for feedback while drawing only. */
function roughArea(boundary: Boundary | null): number | null {
  if (!boundary) return null;
  const polys = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  let total = 0;
  for (const poly of polys) {
    poly.forEach((ring, i) => {
      const lat0 = (ring[0][1] * Math.PI) / 180;
      const kx = 111_320 * Math.cos(lat0);
      const ky = 110_540;
      let a = 0;
      for (let j = 0; j < ring.length - 1; j++) {
        a += ring[j][0] * kx * (ring[j + 1][1] * ky) - ring[j + 1][0] * kx * (ring[j][1] * ky);
      }
      total += (i === 0 ? 1 : -1) * Math.abs(a / 2);
    });
  }
  return total;
}

/**
 * 边界编辑 Draw or edit a grid's polygon with leaflet-geoman: "draw" starts a polygon (click the
 * vertices, then the first one again or "finish"), "edit" moves vertices, "clear" removes it.
 */
export function BoundaryEditor({ value, onChange, gridId, disabled }: Props) {
  const reference = useGridMap({});
  const others = (reference.data?.items ?? []).filter((g) => g.id !== gridId);
  const [fit] = useState(() => boundsOf([value]) ?? boundsOf(others.map((g) => g.boundary)));
  const [refFit, setRefFit] = useState<L.LatLngBounds | null>(null);
  useEffect(() => {
    if (!fit && !refFit && reference.data) setRefFit(boundsOf(reference.data.items.map((g) => g.boundary)));
  }, [fit, refFit, reference.data]);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 420 }}>
      <MapView data-testid="grid-edit-map" style={{ flex: 1, minHeight: 400 }} fit={fit ?? refFit}>
        <GridPolygons grids={others} plain="#8c8c8c" fillOpacity={0.12} labelZoom={16} />
        <Editor value={value} onChange={onChange} disabled={disabled} />
      </MapView>
    </div>
  );
}

function Editor({ value, onChange, disabled }: Omit<Props, 'gridId'>) {
  const { t } = useTranslation();
  const map = useMap();
  const [ready, setReady] = useState(false);
  const [drawing, setDrawing] = useState(false);
  const [editing, setEditing] = useState(false);
  const group = useRef<L.FeatureGroup | null>(null);
  // clicks on the buttons must not reach the map (they would add a vertex)
  const panel = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (!panel.current) return;
    L.DomEvent.disableClickPropagation(panel.current);
    L.DomEvent.disableScrollPropagation(panel.current);
  }, []);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  /** The boundary this editor last reported: a value equal to it needs no redraw. */
  const reported = useRef<Boundary | null | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    const g = L.featureGroup().addTo(map);
    group.current = g;
    const emit = () => {
      const b = collect(g);
      reported.current = b;
      onChangeRef.current(b);
    };
    const watch = (layer: L.Layer) => {
      layer.on('pm:edit pm:dragend pm:cut', emit);
    };
    void loadGeoman().then(() => {
      if (cancelled) return;
      // a map made before geoman was loaded missed its init hook
      if (!map.pm) {
        const PM = (L as unknown as { PM: { Map: new (m: L.Map) => L.Map['pm'] } }).PM;
        map.pm = new PM.Map(map);
      }
      map.pm.setGlobalOptions({ allowSelfIntersection: true, snappable: true, pathOptions: EDIT_STYLE });
      map.pm.setLang(document.documentElement.lang === 'en' ? 'en' : 'zh');
      map.pm.addControls({
        position: 'topleft',
        drawMarker: false,
        drawCircleMarker: false,
        drawPolyline: false,
        drawCircle: false,
        drawText: false,
        drawRectangle: true,
        drawPolygon: true,
        editMode: true,
        dragMode: true,
        cutPolygon: true,
        removalMode: true,
        rotateMode: false,
      });
      map.on('pm:create', (e) => {
        const layer = e.layer as L.Polygon;
        layer.setStyle(EDIT_STYLE);
        g.addLayer(layer);
        watch(layer);
        emit();
      });
      map.on('pm:remove', (e) => {
        g.removeLayer(e.layer);
        emit();
      });
      map.on('pm:drawstart', () => setDrawing(true));
      map.on('pm:drawend', () => setDrawing(false));
      map.on('pm:globaleditmodetoggled', (e) => setEditing(e.enabled));
      (g as unknown as { _watch: typeof watch })._watch = watch;
      setReady(true);
    });
    return () => {
      cancelled = true;
      if (map.pm) {
        map.pm.removeControls();
        map.pm.disableDraw();
        map.pm.disableGlobalEditMode();
        map.off('pm:create pm:remove pm:drawstart pm:drawend pm:globaleditmodetoggled');
      }
      g.remove();
    };
  }, [map]);

  // a value from outside (the grid being edited, or cleared) replaces the drawn layers
  useEffect(() => {
    const g = group.current;
    if (!g || !ready || value === reported.current) return;
    g.clearLayers();
    if (value) {
      const watch = (g as unknown as { _watch: (l: L.Layer) => void })._watch;
      for (const poly of toLatLngs(value)) {
        const layer = L.polygon(poly, EDIT_STYLE).addTo(g);
        watch(layer);
      }
    }
    reported.current = value;
  }, [value, ready]);

  useEffect(() => {
    if (disabled && map.pm) {
      map.pm.disableDraw();
      map.pm.disableGlobalEditMode();
      group.current?.clearLayers();
    }
  }, [disabled, map]);

  const area = roughArea(value);
  return (
    <div
      ref={panel}
      className="leaflet-top leaflet-right"
      style={{ pointerEvents: 'auto', padding: 10, maxWidth: 320 }}
    >
      {disabled ? (
        <Alert type="info" showIcon message={t('grids.editor.circleNoBoundary')} />
      ) : (
        <Space
          direction="vertical"
          size={6}
          style={{ background: 'rgba(255,255,255,0.92)', padding: 8, borderRadius: 6 }}
        >
          <Space wrap size={6}>
            {drawing ? (
              <Button
                type="primary"
                size="small"
                icon={<CheckOutlined />}
                data-testid="grid-draw-finish"
                onClick={() => {
                  const draw = map.pm.Draw as unknown as { Polygon?: { _finishShape?: () => void } };
                  draw.Polygon?._finishShape?.();
                }}
              >
                {t('grids.editor.finish')}
              </Button>
            ) : (
              <Button
                type="primary"
                size="small"
                icon={<FormOutlined />}
                disabled={!ready}
                data-testid="grid-draw"
                onClick={() => map.pm.enableDraw('Polygon', { allowSelfIntersection: true })}
              >
                {value ? t('grids.editor.addPart') : t('grids.editor.draw')}
              </Button>
            )}
            <Tooltip title={t('grids.editor.editHint')}>
              <Button
                size="small"
                icon={<EditOutlined />}
                disabled={!ready || !value}
                type={editing ? 'primary' : 'default'}
                data-testid="grid-edit-vertices"
                onClick={() => map.pm.toggleGlobalEditMode()}
              >
                {editing ? t('grids.editor.doneEditing') : t('grids.editor.edit')}
              </Button>
            </Tooltip>
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              disabled={!ready || !value}
              data-testid="grid-clear-boundary"
              onClick={() => {
                map.pm.disableGlobalEditMode();
                group.current?.clearLayers();
                reported.current = null;
                onChange(null);
              }}
            >
              {t('grids.editor.clear')}
            </Button>
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="grid-boundary-status">
            {drawing
              ? t('grids.editor.drawingHint')
              : value
                ? t('grids.editor.drawn', { area: formatArea(area) })
                : t('grids.editor.none')}
          </Typography.Text>
        </Space>
      )}
    </div>
  );
}
