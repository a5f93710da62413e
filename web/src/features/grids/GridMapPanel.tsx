import { Segmented, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MapLegend } from '../../components/map/Legend.tsx';
import type { L } from '../../components/map/leaflet.ts';
import { boundsOf } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import { type Grid, type GridFilters, useGridMap } from './api.ts';
import { GridPolygons } from './GridPolygons.tsx';
import { type ColorBy, legendOf } from './state.tsx';

const COLOR_KEY = 'jingwei.grids.colorBy';

/** 网格地图 the filtered grids coloured by capacity or four ones; click one for its details. */
export function GridMapPanel({
  filters,
  selectedId,
  onSelect,
}: {
  filters: GridFilters;
  selectedId: number | null;
  onSelect: (grid: Grid) => void;
}) {
  const { t } = useTranslation();
  const [colorBy, setColorBy] = useState<ColorBy>(() =>
    localStorage.getItem(COLOR_KEY) === 'fourOnes' ? 'fourOnes' : 'capacity',
  );
  const data = useGridMap(filters);
  const grids = data.data?.items ?? [];
  const drawn = useMemo(() => grids.filter((g) => g.boundary), [grids]);
  const [fit, setFit] = useState<L.LatLngBounds | null>(null);
  // fit once per filter change, when its grids arrive
  const filterKey = JSON.stringify(filters);
  const [fittedFor, setFittedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!data.data || data.isPlaceholderData || fittedFor === filterKey) return;
    setFittedFor(filterKey);
    const b = boundsOf(drawn.map((g) => g.boundary));
    if (b) setFit(b);
  }, [data.data, data.isPlaceholderData, drawn, filterKey, fittedFor]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('grids.map.colorBy')}</Typography.Text>
        <Segmented<ColorBy>
          value={colorBy}
          onChange={(v) => {
            localStorage.setItem(COLOR_KEY, v);
            setColorBy(v);
          }}
          options={[
            { value: 'capacity', label: t('grids.map.byCapacity') },
            { value: 'fourOnes', label: t('grids.map.byFourOnes') },
          ]}
          data-testid="grid-color-by"
        />
        <Typography.Text type="secondary" data-testid="grid-map-count">
          {t('grids.map.count', { drawn: drawn.length, total: grids.length })}
        </Typography.Text>
        {data.isFetching && <Spin size="small" />}
      </Space>
      <MapView
        data-testid="grid-map"
        style={{ height: 'calc(100vh - 350px)', minHeight: 420 }}
        fit={fit}
        data-grid-count={drawn.length}
      >
        <GridPolygons grids={drawn} colorBy={colorBy} selectedId={selectedId} onSelect={onSelect} />
        <MapLegend
          title={colorBy === 'capacity' ? t('grids.map.byCapacity') : t('grids.map.byFourOnes')}
          items={legendOf(colorBy, t)}
        />
      </MapView>
    </Space>
  );
}
