import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMap } from 'react-leaflet';
import type { GridMap } from '../../../../domain/dashboard.ts';
import { useDistrict } from '../../app/district.tsx';
import { boundsOf, L, toLatLngs } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import { api } from '../../lib/api.ts';
import { type Grid, useGridMap } from '../grids/api.ts';

const METRIC_KEY = 'jingwei.dashboard.mapMetric';

function useGridMetric(orgId: number | undefined, metric: string) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: ['dashboard', 'grid-map', districtId ?? null, orgId ?? null, metric],
    queryFn: () => api<GridMap>('GET', '/api/dashboard/grid-map', { query: { districtId, orgId, metric } }),
    enabled: !canChoose || districtId !== undefined,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/**
 * 网格地图 on the dashboard: the grids of the viewer's subtree coloured by a chosen metric
 * (capacity status, registered youth, members, participation, activities, open orders …) with
 * its legend. The polygons come from the grid list (one canvas renderer), the values and classes
 * from GET /api/dashboard/grid-map; what was painted is mirrored on the container
 * (data-painted: colour → grids) so browser tests read what the map shows.
 */
export function GridMetricMap({ orgId, height = 460 }: { orgId?: number; height?: number }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState(() => localStorage.getItem(METRIC_KEY) ?? 'capacity');
  const values = useGridMetric(orgId, metric);
  const grids = useGridMap(orgId ? { orgId } : {});
  const drawn = useMemo(() => (grids.data?.items ?? []).filter((g) => g.boundary), [grids.data]);
  const fit = useMemo(() => boundsOf(drawn.map((g) => g.boundary)), [drawn]);
  const data = values.data;
  // a stored metric the server no longer offers (or this account may not use) falls back to the first
  const settled = !values.isPlaceholderData;
  useEffect(() => {
    if (data && settled && data.metric.key !== metric) setMetric(data.metric.key);
  }, [data, settled, metric]);
  useEffect(() => {
    if (values.error && metric !== 'capacity') setMetric('capacity');
  }, [values.error, metric]);

  const colours = useMemo(() => {
    const map = new Map<number, string>();
    if (!data) return map;
    for (const item of data.items) map.set(item.gridId, data.legend[item.class]?.color ?? '#d9d9d9');
    return map;
  }, [data]);
  const painted = useMemo(() => {
    const counts: Record<string, number> = {};
    for (const g of drawn) {
      const c = colours.get(g.id);
      if (c) counts[c] = (counts[c] ?? 0) + 1;
    }
    return counts;
  }, [drawn, colours]);

  return (
    <Card
      title={t('insights.map.title')}
      style={{ marginBottom: 16 }}
      extra={
        <Space wrap>
          <Typography.Text>{t('insights.map.metric')}</Typography.Text>
          <Select
            value={data?.metric.key ?? metric}
            style={{ minWidth: 160 }}
            onChange={(v) => {
              localStorage.setItem(METRIC_KEY, v);
              setMetric(v);
            }}
            options={(data?.metrics ?? [{ key: metric, label: metric }]).map((m) => ({ value: m.key, label: m.label }))}
            data-testid="dashboard-map-metric"
          />
          {(values.isFetching || grids.isFetching) && <Spin size="small" />}
        </Space>
      }
    >
      {data && data.items.length === 0 ? (
        <Empty />
      ) : (
        <div
          data-testid="dashboard-map"
          data-metric={data?.metric.key ?? ''}
          data-painted={JSON.stringify(painted)}
          data-drawn={drawn.length}
        >
          <div style={{ position: 'relative' }}>
            <MapView style={{ height }} fit={fit}>
              <MetricPolygons grids={drawn} colours={colours} />
            </MapView>
            {data && (
              <div className="jw-map-legend" data-testid="dashboard-map-legend" style={{ zIndex: 500 }}>
                <div style={{ fontWeight: 600, marginBottom: 4 }}>{data.metric.label}</div>
                {data.legend.map((l) => (
                  <div key={l.key} data-testid="dashboard-map-legend-item" data-color={l.color} data-count={l.count}>
                    <i style={{ background: l.color }} />
                    <span className="jw-legend-label">{l.label}</span>{' '}
                    <span className="jw-legend-count">({l.count})</span>
                  </div>
                ))}
              </div>
            )}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('insights.map.grids', { count: data?.items.length ?? 0 })}
            {data && data.items.length > drawn.length
              ? t('insights.map.noBoundary', { count: data.items.length - drawn.length })
              : ''}
          </Typography.Text>
        </div>
      )}
    </Card>
  );
}

/** The polygons on the map's canvas renderer; re-coloured in place when the metric changes. */
function MetricPolygons({ grids, colours }: { grids: Grid[]; colours: Map<number, string> }) {
  const map = useMap();
  const layers = useRef(new Map<number, L.Polygon>());
  useEffect(() => {
    const group = L.featureGroup();
    const byId = new Map<number, L.Polygon>();
    for (const grid of grids) {
      if (!grid.boundary) continue;
      const layer = L.polygon(toLatLngs(grid.boundary), { pmIgnore: true, weight: 1 } as L.PolylineOptions);
      layer.bindTooltip(`${grid.code} ${grid.name}`, { sticky: true, direction: 'top' });
      byId.set(grid.id, layer);
      group.addLayer(layer);
    }
    group.addTo(map);
    layers.current = byId;
    return () => {
      group.remove();
    };
  }, [grids, map]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: restyle the layers made for new grids too
  useEffect(() => {
    for (const [id, layer] of layers.current) {
      const color = colours.get(id) ?? '#d9d9d9';
      layer.setStyle({ color: '#595959', weight: 0.6, fillColor: color, fillOpacity: 0.75 });
    }
  }, [grids, colours]);
  return null;
}
