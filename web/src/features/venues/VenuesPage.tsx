import {
  AccountBookOutlined,
  AuditOutlined,
  CalendarOutlined,
  EnvironmentOutlined,
  PlusOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import {
  Button,
  Card,
  Input,
  InputNumber,
  Result,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { COMMON_FACILITIES, VENUE_TYPES } from '../../../../domain/venue.ts';
import { useDistrict } from '../../app/district.tsx';
import { MapSettingsButton } from '../../components/map/MapView.tsx';
import { useCan } from '../auth/session.ts';
import { type Booking, useBookingList, useVenueList, type Venue, type VenueFilters } from './api.ts';
import { dateOfDay, formatShanghai, shanghaiInstant, todayIndex } from './time.ts';
import { BookingActions, STATUS_COLORS, VenueDetailDrawer } from './VenueDetailDrawer.tsx';
import { VenueFormDrawer } from './VenueFormDrawer.tsx';
import { TYPE_COLORS, VenueMapPanel } from './VenueMapPanel.tsx';

type View = 'list' | 'map' | 'bookings' | 'decide';

/** A free-time filter: a Shanghai date and a time span. */
type FreeFilter = { date: string; from: string; to: string };

function BookingsTable({ view }: { view: 'mine' | 'to_decide' }) {
  const { t } = useTranslation();
  const list = useBookingList(view, view === 'to_decide' ? 'requested' : undefined);
  const columns: TableColumnsType<Booking> = [
    { title: t('venues.field.name'), dataIndex: 'venueName' },
    {
      title: t('venues.field.time'),
      width: 220,
      render: (_, b) => `${formatShanghai(b.start)} – ${formatShanghai(b.end).slice(11)}`,
    },
    { title: t('venues.field.bookingOrg'), dataIndex: 'orgName', ellipsis: true },
    { title: t('venues.field.purpose'), dataIndex: 'purpose', ellipsis: true },
    { title: t('venues.field.bookedBy'), width: 110, render: (_, b) => b.bookedBy.name },
    {
      title: t('common.actions'),
      width: 220,
      render: (_, b) => (
        <Space size={4}>
          <Tag color={STATUS_COLORS[b.status]}>{t(`venues.status.${b.status}`)}</Tag>
          <BookingActions booking={b} />
        </Space>
      ),
    },
  ];
  return (
    <Table<Booking>
      rowKey="id"
      size="middle"
      loading={list.isFetching}
      dataSource={list.data?.items ?? []}
      columns={columns}
      scroll={{ x: 900 }}
      pagination={false}
      data-testid={`venue-bookings-${view}`}
    />
  );
}

/** 阵地: list and map of the district's venues, with create/edit, the week calendar and booking. */
export function VenuesPage() {
  const { t } = useTranslation();
  const { districtId, canChoose } = useDistrict();
  const canManage = useCan('venue.manage');
  const canBook = useCan('venue.book');
  const canReadFunds = useCan('fund.read');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view: View = (['list', 'map', 'bookings', 'decide'] as const).find((v) => v === params.get('view')) ?? 'list';
  const [filters, setFilters] = useState<VenueFilters>({});
  const [free, setFree] = useState<FreeFilter>({ date: '', from: '', to: '' });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [qInput, setQInput] = useState('');
  const [detailId, setDetailId] = useState<number | null>(null);
  const [editing, setEditing] = useState<{ venue: Venue | null } | null>(null);
  const list = useVenueList({ ...filters, ...paging });
  const map = useVenueList({ ...filters, page: 1, pageSize: 1000 });

  const setFilter = (patch: Partial<VenueFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const applyFree = (next: FreeFilter) => {
    setFree(next);
    const complete = next.date && next.from && next.to && next.from < next.to;
    setFilter(
      complete
        ? { freeFrom: shanghaiInstant(next.date, next.from), freeTo: shanghaiInstant(next.date, next.to) }
        : { freeFrom: undefined, freeTo: undefined },
    );
  };
  const setView = (v: string) =>
    setParams(
      (p) => {
        p.set('view', v);
        return p;
      },
      { replace: true },
    );

  const columns: TableColumnsType<Venue> = [
    {
      title: t('venues.field.name'),
      dataIndex: 'name',
      render: (v: string, venue) => (
        <Space size={4}>
          <Typography.Link onClick={() => setDetailId(venue.id)} data-testid={`venue-open-${venue.id}`}>
            {v}
          </Typography.Link>
          {!venue.active && <Tag>{t('common.inactive')}</Tag>}
          {venue.needsApproval && <Tag color="orange">{t('venues.field.needsApproval')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('venues.field.type'),
      dataIndex: 'type',
      width: 140,
      render: (type: Venue['type']) => <Tag color={TYPE_COLORS[type]}>{t(`venues.type.${type}`)}</Tag>,
    },
    { title: t('venues.field.org'), dataIndex: 'orgName', ellipsis: true },
    { title: t('venues.field.capacity'), dataIndex: 'capacity', width: 90, align: 'right' },
    {
      title: t('venues.field.facilities'),
      render: (_, v) =>
        v.facilities.map((f) => (
          <Tag key={f} style={{ marginBottom: 2 }}>
            {t(`venues.facility.${f}`, { defaultValue: f })}
          </Tag>
        )),
    },
    { title: t('venues.field.address'), dataIndex: 'address', ellipsis: true },
  ];

  if (canChoose && districtId === undefined) {
    return <Result status="info" title={t('header.districtPlaceholder')} />;
  }

  return (
    <Card
      title={t('venues.title')}
      extra={
        <Space wrap>
          {canManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ venue: null })}
              data-testid="venue-create"
            >
              {t('venues.action.create')}
            </Button>
          )}
          {canReadFunds && (
            <Button
              icon={<AccountBookOutlined />}
              onClick={() => navigate('/resources/funds')}
              data-testid="funds-link"
            >
              {t('funds.link')}
            </Button>
          )}
          <MapSettingsButton />
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          value={filters.type}
          onChange={(v) => setFilter({ type: v })}
          placeholder={t('venues.filter.type')}
          allowClear
          style={{ width: 150 }}
          options={VENUE_TYPES.map((v) => ({ value: v, label: t(`venues.type.${v}`) }))}
          data-testid="venue-filter-type"
        />
        <InputNumber
          value={filters.minCapacity}
          onChange={(v) => setFilter({ minCapacity: v ?? undefined })}
          min={0}
          placeholder={t('venues.filter.minCapacity')}
          style={{ width: 120 }}
          data-testid="venue-filter-capacity"
        />
        <Select
          mode="multiple"
          value={filters.facilities ? filters.facilities.split(',') : []}
          onChange={(v: string[]) => setFilter({ facilities: v.length ? v.join(',') : undefined })}
          placeholder={t('venues.filter.facilities')}
          allowClear
          style={{ minWidth: 180 }}
          options={COMMON_FACILITIES.map((f) => ({ value: f, label: t(`venues.facility.${f}`) }))}
          data-testid="venue-filter-facilities"
        />
        <Space.Compact>
          <Input
            type="date"
            value={free.date}
            min={dateOfDay(todayIndex())}
            onChange={(e) => applyFree({ ...free, date: e.target.value })}
            title={t('venues.filter.free')}
            style={{ width: 150 }}
            data-testid="venue-filter-free-date"
          />
          <Input
            type="time"
            step={900}
            value={free.from}
            onChange={(e) => applyFree({ ...free, from: e.target.value })}
            style={{ width: 110 }}
            data-testid="venue-filter-free-from"
          />
          <Input
            type="time"
            step={900}
            value={free.to}
            onChange={(e) => applyFree({ ...free, to: e.target.value })}
            style={{ width: 110 }}
            data-testid="venue-filter-free-to"
          />
        </Space.Compact>
        <Select
          value={filters.active ?? 'true'}
          onChange={(v) => setFilter({ active: v })}
          style={{ width: 110 }}
          options={[
            { value: 'true', label: t('common.active') },
            { value: 'false', label: t('common.inactive') },
            { value: 'all', label: t('common.all') },
          ]}
        />
        <Input.Search
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(q) => setFilter({ q: q.trim() || undefined })}
          placeholder={t('venues.filter.q')}
          allowClear
          style={{ width: 220 }}
          data-testid="venue-search"
        />
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
        {t('venues.filter.free')} · {t('venues.hint.timesShanghai')}
      </Typography.Paragraph>
      <Tabs
        activeKey={view}
        onChange={setView}
        destroyInactiveTabPane
        items={[
          {
            key: 'list',
            label: (
              <span data-testid="venue-tab-list">
                <UnorderedListOutlined /> {t('venues.tab.list')}
              </span>
            ),
            children: (
              <Table<Venue>
                rowKey="id"
                size="middle"
                loading={list.isFetching}
                dataSource={list.data?.items ?? []}
                columns={columns}
                scroll={{ x: 1000 }}
                onRow={(v) => ({ 'data-testid': `venue-row-${v.id}` }) as React.HTMLAttributes<HTMLElement>}
                pagination={{
                  current: paging.page,
                  pageSize: paging.pageSize,
                  total: list.data?.total ?? 0,
                  showSizeChanger: true,
                  pageSizeOptions: [20, 50, 100],
                  showTotal: (total) => t('common.total', { total }),
                  onChange: (page, pageSize) => setPaging({ page, pageSize }),
                }}
                data-testid="venue-table"
              />
            ),
          },
          {
            key: 'map',
            label: (
              <span data-testid="venue-tab-map">
                <EnvironmentOutlined /> {t('venues.tab.map')}
              </span>
            ),
            children: (
              <VenueMapPanel
                venues={map.data?.items ?? []}
                loading={map.isFetching}
                selectedId={detailId}
                onSelect={(v) => setDetailId(v.id)}
              />
            ),
          },
          ...(canBook
            ? [
                {
                  key: 'bookings',
                  label: (
                    <span data-testid="venue-tab-bookings">
                      <CalendarOutlined /> {t('venues.tab.bookings')}
                    </span>
                  ),
                  children: <BookingsTable view="mine" />,
                },
              ]
            : []),
          ...(canManage
            ? [
                {
                  key: 'decide',
                  label: (
                    <span data-testid="venue-tab-decide">
                      <AuditOutlined /> {t('venues.tab.decide')}
                    </span>
                  ),
                  children: <BookingsTable view="to_decide" />,
                },
              ]
            : []),
        ]}
      />
      {detailId !== null && (
        <VenueDetailDrawer id={detailId} onClose={() => setDetailId(null)} onEdit={(venue) => setEditing({ venue })} />
      )}
      {editing && (
        <VenueFormDrawer
          venue={editing.venue}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setDetailId(saved.id);
          }}
        />
      )}
    </Card>
  );
}
