import {
  DownloadOutlined,
  EnvironmentOutlined,
  PlusOutlined,
  PrinterOutlined,
  SafetyOutlined,
  UnorderedListOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { Button, Card, Input, Result, Select, Space, Table, type TableColumnsType, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { CAPACITY_STATUSES, GRID_KINDS, isCircleKind } from '../../../../domain/grid.ts';
import { useDistrict } from '../../app/district.tsx';
import { formatArea } from '../../components/map/leaflet.ts';
import { MapSettingsButton } from '../../components/map/MapView.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { toSearch } from '../../lib/api.ts';
import { useCan } from '../auth/session.ts';
import { type Grid, type GridFilters, useGridList } from './api.ts';
import { CoveragePanel } from './CoveragePanel.tsx';
import { GridDetailDrawer } from './GridDetailDrawer.tsx';
import { GridFormDrawer } from './GridFormDrawer.tsx';
import { GridMapPanel } from './GridMapPanel.tsx';
import { ImportModal } from './ImportModal.tsx';
import { isTownKind, isVillageKind } from './orgKinds.ts';
import { CapacityTag, FourOnesTag } from './state.tsx';

type View = 'list' | 'map' | 'coverage';

/** 网格: list, map and coverage of the grids, with create/edit, import, export and the printable map. */
export function GridsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { districtId, canChoose } = useDistrict();
  const canWrite = useCan('org.write');
  const [params, setParams] = useSearchParams();
  const view: View = (['list', 'map', 'coverage'] as const).find((v) => v === params.get('view')) ?? 'list';
  const [filters, setFilters] = useState<GridFilters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [qInput, setQInput] = useState('');
  const [detailId, setDetailId] = useState<number | null>(null);
  const [editing, setEditing] = useState<{ grid: Grid | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useGridList({ ...filters, ...paging });

  const setFilter = (patch: Partial<GridFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const setView = (v: string) =>
    setParams(
      (p) => {
        p.set('view', v);
        return p;
      },
      { replace: true },
    );
  const exportOrg = filters.villageId ?? filters.townId;
  const exportHref = `/api/grids/export${toSearch({ districtId, orgId: exportOrg })}`;

  const columns: TableColumnsType<Grid> = [
    {
      title: t('grids.field.code'),
      dataIndex: 'code',
      width: 140,
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('grids.field.name'),
      dataIndex: 'name',
      render: (v: string, g) => (
        <Space size={4}>
          <Typography.Link onClick={() => setDetailId(g.id)} data-testid={`grid-open-${g.code}`}>
            {v}
          </Typography.Link>
          {!g.active && <Tag>{t('common.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('grids.field.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: Grid['kind']) => <Tag color={isCircleKind(k) ? 'purple' : 'blue'}>{t(`grids.kind.${k}`)}</Tag>,
    },
    { title: t('grids.field.org'), dataIndex: 'orgName', ellipsis: true },
    { title: t('grids.field.leader'), width: 100, render: (_, g) => g.leader?.name ?? t('common.empty') },
    {
      title: t('grids.col.counts'),
      width: 110,
      align: 'right',
      render: (_, g) => `${g.youthCount ?? '—'} / ${g.memberCount ?? '—'}`,
    },
    { title: t('grids.field.capacity'), width: 100, render: (_, g) => <CapacityTag grid={g} /> },
    { title: t('grids.col.fourOnes'), width: 90, render: (_, g) => <FourOnesTag grid={g} /> },
    {
      title: t('grids.field.area'),
      width: 110,
      align: 'right',
      render: (_, g) =>
        g.boundary || g.areaM2 ? (
          formatArea(g.areaM2)
        ) : (
          <Typography.Text type="secondary">{t('grids.col.noBoundary')}</Typography.Text>
        ),
    },
  ];

  if (canChoose && districtId === undefined) {
    return <Result status="info" title={t('header.districtPlaceholder')} />;
  }

  return (
    <Card
      title={t('grids.title')}
      extra={
        <Space wrap>
          {canWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ grid: null })}
              data-testid="grid-create"
            >
              {t('grids.action.create')}
            </Button>
          )}
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="grid-import">
              {t('grids.action.import')}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} href={exportHref} download data-testid="grid-export">
            {t('grids.action.export')}
          </Button>
          <Button
            icon={<PrinterOutlined />}
            onClick={() => navigate(`/grids/print${toSearch({ villageId: filters.villageId })}`)}
            data-testid="grid-print"
          >
            {t('grids.action.print')}
          </Button>
          <MapSettingsButton />
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <OrgTreeSelect
          value={filters.townId}
          onChange={(v) => setFilter({ townId: v })}
          isDisabled={(n) => !isTownKind(n.kind)}
          placeholder={t('grids.filter.town')}
          allowClear
          style={{ width: 200 }}
          data-testid="grid-filter-town"
        />
        <OrgTreeSelect
          value={filters.villageId}
          onChange={(v) => setFilter({ villageId: v })}
          isDisabled={(n) => !isVillageKind(n.kind)}
          placeholder={t('grids.filter.village')}
          allowClear
          style={{ width: 200 }}
          data-testid="grid-filter-village"
        />
        <Select
          value={filters.kind}
          onChange={(v) => setFilter({ kind: v })}
          placeholder={t('grids.filter.kind')}
          allowClear
          style={{ width: 130 }}
          options={GRID_KINDS.map((k) => ({ value: k, label: t(`grids.kind.${k}`) }))}
          data-testid="grid-filter-kind"
        />
        <Select
          value={filters.state}
          onChange={(v) => setFilter({ state: v })}
          placeholder={t('grids.filter.state')}
          allowClear
          style={{ width: 130 }}
          options={CAPACITY_STATUSES.map((s) => ({ value: s, label: t(`grids.capacity.${s}`) }))}
          data-testid="grid-filter-state"
        />
        <Select
          value={filters.fourOnes}
          onChange={(v) => setFilter({ fourOnes: v })}
          placeholder={t('grids.filter.fourOnes')}
          allowClear
          style={{ width: 150 }}
          options={[
            { value: 'complete', label: t('grids.filter.fourOnesComplete') },
            { value: 'incomplete', label: t('grids.filter.fourOnesIncomplete') },
          ]}
          data-testid="grid-filter-fourones"
        />
        <Select
          value={filters.active ?? 'true'}
          onChange={(v) => setFilter({ active: v })}
          style={{ width: 110 }}
          options={[
            { value: 'true', label: t('common.active') },
            { value: 'false', label: t('common.inactive') },
            { value: 'all', label: t('common.all') },
          ]}
          data-testid="grid-filter-active"
        />
        <Input.Search
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(q) => setFilter({ q: q.trim() || undefined })}
          placeholder={t('grids.filter.q')}
          allowClear
          style={{ width: 220 }}
          data-testid="grid-search"
        />
      </Space>
      <Tabs
        activeKey={view}
        onChange={setView}
        destroyInactiveTabPane
        items={[
          {
            key: 'list',
            label: (
              <span data-testid="grid-tab-list">
                <UnorderedListOutlined /> {t('grids.tab.list')}
              </span>
            ),
            children: (
              <Table<Grid>
                rowKey="id"
                size="middle"
                loading={list.isFetching}
                dataSource={list.data?.items ?? []}
                columns={columns}
                scroll={{ x: 1000 }}
                onRow={(g) => ({ 'data-testid': `grid-row-${g.code}` }) as React.HTMLAttributes<HTMLElement>}
                pagination={{
                  current: paging.page,
                  pageSize: paging.pageSize,
                  total: list.data?.total ?? 0,
                  showSizeChanger: true,
                  pageSizeOptions: [20, 50, 100],
                  showTotal: (total) => t('common.total', { total }),
                  onChange: (page, pageSize) => setPaging({ page, pageSize }),
                }}
                data-testid="grid-table"
              />
            ),
          },
          {
            key: 'map',
            label: (
              <span data-testid="grid-tab-map">
                <EnvironmentOutlined /> {t('grids.tab.map')}
              </span>
            ),
            children: <GridMapPanel filters={filters} selectedId={detailId} onSelect={(g) => setDetailId(g.id)} />,
          },
          {
            key: 'coverage',
            label: (
              <span data-testid="grid-tab-coverage">
                <SafetyOutlined /> {t('grids.tab.coverage')}
              </span>
            ),
            children: <CoveragePanel onSelectGrid={(g) => setDetailId(g.id)} />,
          },
        ]}
      />
      {detailId !== null && (
        <GridDetailDrawer id={detailId} onClose={() => setDetailId(null)} onEdit={(grid) => setEditing({ grid })} />
      )}
      {editing && (
        <GridFormDrawer
          grid={editing.grid}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setDetailId(saved.id);
          }}
        />
      )}
      {importing && <ImportModal onClose={() => setImporting(false)} />}
    </Card>
  );
}
