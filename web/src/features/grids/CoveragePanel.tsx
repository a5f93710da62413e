import { Alert, Card, Col, Empty, Row, Space, Spin, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GeoJSON } from 'react-leaflet';
import { MapLegend } from '../../components/map/Legend.tsx';
import { boundsOf, formatArea, type L } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { type Coverage, type Grid, useCoverage, useGridMap } from './api.ts';
import { GridPolygons } from './GridPolygons.tsx';

const COLORS = { overlap: '#f5222d', gap: '#1677ff', outside: '#722ed1' };
type Geometry = Coverage['gaps'][number]['geometry'];

const asFeature = (geometry: Geometry) => ({ type: 'Feature' as const, properties: {}, geometry });

/** 覆盖检查 overlaps between grids, gaps in the territory and grids sticking out, on the map and listed. */
export function CoveragePanel({ onSelectGrid }: { onSelectGrid: (grid: Grid) => void }) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<number | undefined>();
  const coverage = useCoverage(orgId);
  const grids = useGridMap({ orgId }, orgId !== undefined);
  const drawn = useMemo(() => (grids.data?.items ?? []).filter((g) => g.boundary), [grids.data]);
  const [focus, setFocus] = useState<L.LatLngBounds | null>(null);
  const c = coverage.data;
  const fit = useMemo(() => focus ?? boundsOf(drawn.map((g) => g.boundary)), [focus, drawn]);
  const byId = useMemo(() => new Map(drawn.map((g) => [g.id, g])), [drawn]);
  const zoomTo = (geometry: Geometry) => setFocus(boundsOf([geometry]));

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap>
        <Typography.Text>{t('grids.coverage.org')}</Typography.Text>
        <OrgTreeSelect
          value={orgId}
          onChange={(v) => {
            setFocus(null);
            setOrgId(v);
          }}
          style={{ width: 320 }}
          data-testid="coverage-org"
        />
        {coverage.isFetching && <Spin size="small" />}
      </Space>
      {orgId === undefined ? (
        <Empty description={t('grids.coverage.pickOrg')} />
      ) : coverage.isError ? (
        <Alert type="error" showIcon message={coverage.error.message} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <MapView data-testid="coverage-map" style={{ height: 'calc(100vh - 350px)', minHeight: 420 }} fit={fit}>
              <GridPolygons grids={drawn} plain="#8c8c8c" fillOpacity={0.08} onSelect={onSelectGrid} labelZoom={15} />
              {c?.gaps.map((g, i) => (
                <GeoJSON
                  // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one answer, replaced together
                  key={`gap-${c.orgId}-${i}`}
                  data={asFeature(g.geometry)}
                  style={{ color: COLORS.gap, weight: 2, fillColor: COLORS.gap, fillOpacity: 0.45, dashArray: '4 3' }}
                />
              ))}
              {c?.overlaps.map((o) => (
                <GeoJSON
                  key={`ov-${c.orgId}-${o.a.id}-${o.b.id}`}
                  data={asFeature(o.geometry)}
                  style={{ color: COLORS.overlap, weight: 2, fillColor: COLORS.overlap, fillOpacity: 0.55 }}
                />
              ))}
              {c?.outside.map((o) => (
                <GeoJSON
                  key={`out-${c.orgId}-${o.grid.id}-${o.territoryOrgId}`}
                  data={asFeature(o.geometry)}
                  style={{ color: COLORS.outside, weight: 2, fillColor: COLORS.outside, fillOpacity: 0.5 }}
                />
              ))}
              <MapLegend
                items={[
                  { color: COLORS.overlap, label: t('grids.coverage.overlaps') },
                  { color: COLORS.gap, label: t('grids.coverage.gaps') },
                  { color: COLORS.outside, label: t('grids.coverage.outside') },
                ]}
              />
            </MapView>
          </Col>
          <Col xs={24} xl={10}>
            {!c ? (
              <Spin />
            ) : (
              <Space direction="vertical" style={{ width: '100%' }} size={12} data-testid="coverage-result">
                <Row gutter={12}>
                  <Col span={8}>
                    <Statistic title={t('grids.coverage.territory')} value={formatArea(c.territory.areaM2)} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`grids.coverage.source.${c.territory.source}`)}
                    </Typography.Text>
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('grids.coverage.covered')} value={formatArea(c.coveredAreaM2)} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('grids.coverage.grids')} value={c.grids} />
                  </Col>
                </Row>
                <Card size="small" title={`${t('grids.coverage.overlaps')} (${c.overlaps.length})`}>
                  <Table
                    size="small"
                    rowKey={(o) => `${o.a.id}-${o.b.id}`}
                    dataSource={c.overlaps}
                    pagination={{ pageSize: 8, hideOnSinglePage: true }}
                    onRow={(o) => ({ onClick: () => zoomTo(o.geometry), style: { cursor: 'pointer' } })}
                    columns={[
                      { title: t('grids.coverage.gridA'), render: (_, o) => `${o.a.code} ${o.a.name}` },
                      { title: t('grids.coverage.gridB'), render: (_, o) => `${o.b.code} ${o.b.name}` },
                      { title: t('grids.field.area'), align: 'right', render: (_, o) => formatArea(o.areaM2) },
                    ]}
                    locale={{ emptyText: t('grids.coverage.noOverlaps') }}
                    data-testid="coverage-overlaps"
                  />
                </Card>
                <Card size="small" title={`${t('grids.coverage.gaps')} (${c.gaps.length})`}>
                  <Table
                    size="small"
                    rowKey={(_, i) => String(i)}
                    dataSource={c.gaps}
                    pagination={{ pageSize: 8, hideOnSinglePage: true }}
                    onRow={(g) => ({ onClick: () => zoomTo(g.geometry), style: { cursor: 'pointer' } })}
                    columns={[
                      { title: '#', width: 48, render: (_, __, i) => i + 1 },
                      { title: t('grids.field.area'), align: 'right', render: (_, g) => formatArea(g.areaM2) },
                    ]}
                    locale={{ emptyText: t('grids.coverage.noGaps') }}
                    data-testid="coverage-gaps"
                  />
                </Card>
                <Card size="small" title={`${t('grids.coverage.outside')} (${c.outside.length})`}>
                  <Table
                    size="small"
                    rowKey={(o) => `${o.grid.id}-${o.territoryOrgId}`}
                    dataSource={c.outside}
                    pagination={{ pageSize: 8, hideOnSinglePage: true }}
                    onRow={(o) => ({
                      onClick: () => {
                        zoomTo(o.geometry);
                        const g = byId.get(o.grid.id);
                        if (g) onSelectGrid(g);
                      },
                      style: { cursor: 'pointer' },
                    })}
                    columns={[
                      { title: t('grids.coverage.grid'), render: (_, o) => `${o.grid.code} ${o.grid.name}` },
                      { title: t('grids.field.area'), align: 'right', render: (_, o) => formatArea(o.areaM2) },
                    ]}
                    locale={{ emptyText: t('grids.coverage.noOutside') }}
                    data-testid="coverage-outside"
                  />
                </Card>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('grids.coverage.elapsed', { ms: Math.round(c.elapsedMs) })}
                </Typography.Text>
              </Space>
            )}
          </Col>
        </Row>
      )}
    </Space>
  );
}
