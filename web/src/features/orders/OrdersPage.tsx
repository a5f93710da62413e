import { LinkOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Result,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ORDER_CATEGORIES, ORDER_CLASSIFICATIONS, ORDER_SOURCES, ORDER_STATUSES } from '../../../../domain/order.ts';
import { useDistrict } from '../../app/district.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan, useSession } from '../auth/session.ts';
import {
  type Open311ClientCreated,
  type Order,
  type OrderFilters,
  type Review,
  useLeaderboard,
  useOpen311Clients,
  useOrderAction,
  useOrderList,
  useOrderSettings,
  useRates,
  useReviews,
} from './api.ts';
import { OrderDrawer, RateCell, STATUS_COLORS } from './OrderDrawer.tsx';

type Tab = 'list' | 'rates' | 'reviews' | 'settings';

function OrderList({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<OrderFilters>({ view: 'all' });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [q, setQ] = useState('');
  const list = useOrderList({ ...filters, ...paging });
  const setFilter = (patch: Partial<OrderFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const columns: TableColumnsType<Order> = [
    {
      title: t('orders.field.trackingNo'),
      dataIndex: 'trackingNo',
      width: 170,
      render: (v: string, o) => (
        <Typography.Link onClick={() => onOpen(o.id)} data-testid={`order-open-${v}`}>
          {v}
        </Typography.Link>
      ),
    },
    { title: t('orders.field.title'), dataIndex: 'title', ellipsis: true },
    {
      title: t('orders.filter.category'),
      dataIndex: 'category',
      width: 110,
      render: (c: string) => t(`orders.category.${c}`),
    },
    {
      title: t('orders.filter.status'),
      width: 160,
      render: (_, o) => (
        <Space size={2} wrap>
          <Tag color={STATUS_COLORS[o.status]}>{t(`orders.status.${o.status}`)}</Tag>
          {o.overdue && (
            <Tag color="red" data-testid={`order-overdue-${o.trackingNo}`}>
              {t('orders.overdue')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('orders.filter.classification'),
      width: 100,
      render: (_, o) => (o.classification ? t(`orders.classification.${o.classification}`) : '—'),
    },
    { title: t('orders.field.assignee'), width: 160, ellipsis: true, render: (_, o) => o.assignee?.name ?? '—' },
    { title: t('orders.field.completeDueAt'), width: 150, render: (_, o) => formatTime(o.completeDueAt) },
    { title: t('orders.field.createdAt'), width: 150, render: (_, o) => formatTime(o.createdAt) },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={filters.view}
          onChange={(v) => setFilter({ view: v as OrderFilters['view'] })}
          options={(['all', 'to_dispatch', 'assigned'] as const).map((v) => ({
            value: v,
            label: <span data-testid={`orders-view-${v}`}>{t(`orders.view.${v}`)}</span>,
          }))}
        />
        <Select
          allowClear
          placeholder={t('orders.filter.status')}
          style={{ width: 120 }}
          value={filters.status}
          onChange={(v) => setFilter({ status: v })}
          options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`orders.status.${s}`) }))}
        />
        <Select
          allowClear
          placeholder={t('orders.filter.classification')}
          style={{ width: 110 }}
          value={filters.classification}
          onChange={(v) => setFilter({ classification: v })}
          options={ORDER_CLASSIFICATIONS.map((c) => ({ value: c, label: t(`orders.classification.${c}`) }))}
        />
        <Select
          allowClear
          placeholder={t('orders.filter.category')}
          style={{ width: 130 }}
          value={filters.category}
          onChange={(v) => setFilter({ category: v })}
          options={ORDER_CATEGORIES.map((c) => ({ value: c, label: t(`orders.category.${c}`) }))}
        />
        <Select
          allowClear
          placeholder={t('orders.filter.source')}
          style={{ width: 140 }}
          value={filters.source}
          onChange={(v) => setFilter({ source: v })}
          options={ORDER_SOURCES.map((s) => ({ value: s, label: t(`orders.source.${s}`) }))}
        />
        <Space size={4}>
          <Switch
            checked={filters.overdue === 'true'}
            onChange={(on) => setFilter({ overdue: on ? 'true' : undefined })}
            data-testid="orders-overdue"
          />
          {t('orders.filter.overdue')}
        </Space>
        <Input.Search
          allowClear
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
          placeholder={t('orders.filter.q')}
          style={{ width: 220 }}
          data-testid="orders-search"
        />
      </Space>
      <Table<Order>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        scroll={{ x: 1100 }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        data-testid="orders-table"
      />
    </>
  );
}

function RatesPanel() {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<'org' | 'town' | 'service'>('org');
  const rates = useRates(groupBy);
  const board = useLeaderboard();
  const pct = Math.round((rates.data?.threshold ?? 0.8) * 100);
  type Row = NonNullable<typeof rates.data>['items'][number];
  type BoardRow = NonNullable<typeof board.data>['items'][number];
  const columns: TableColumnsType<Row> = [
    {
      title: groupBy === 'service' ? t('orders.field.menuItem') : t('orders.field.org'),
      render: (_, r) => (r.service ? `${r.service.title}（${r.org.name}）` : r.org.name),
    },
    { title: t('orders.rates.attraction'), render: (_, r) => <RateCell rate={r.attraction} /> },
    { title: t('orders.rates.satisfaction'), render: (_, r) => <RateCell rate={r.satisfaction} /> },
    { title: t('orders.rates.response'), render: (_, r) => <RateCell rate={r.response} /> },
    {
      title: t('orders.rates.eligible'),
      render: (_, r) =>
        r.eligible ? (
          <Tag color="green">{t('orders.rates.yes')}</Tag>
        ) : (
          <Tag color="red">{t('orders.rates.no', { pct })}</Tag>
        ),
    },
  ];
  const boardColumns: TableColumnsType<BoardRow> = [
    { title: t('orders.rates.rank'), dataIndex: 'rank', width: 70 },
    { title: t('orders.field.org'), dataIndex: 'orgName' },
    {
      title: t('orders.rates.attraction'),
      render: (_, r) => <RateCell rate={r.attraction} testId={`board-attraction-${r.orgName}`} />,
    },
    {
      title: t('orders.rates.satisfaction'),
      render: (_, r) => <RateCell rate={r.satisfaction} testId={`board-satisfaction-${r.orgName}`} />,
    },
    {
      title: t('orders.rates.eligible'),
      render: (_, r) =>
        r.eligible ? (
          <Tag color="green">{t('orders.rates.yes')}</Tag>
        ) : (
          <Tag color="red">{t('orders.rates.no', { pct })}</Tag>
        ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <div>
        <Space style={{ marginBottom: 8 }} wrap>
          <Segmented
            value={groupBy}
            onChange={(v) => setGroupBy(v as typeof groupBy)}
            options={(['org', 'town', 'service'] as const).map((g) => ({
              value: g,
              label: t(`orders.rates.groupBy.${g}`),
            }))}
          />
          <Tag>{t('orders.rates.threshold', { pct })}</Tag>
          {rates.data && (
            <Typography.Text type="secondary">
              {formatTime(rates.data.from)} – {formatTime(rates.data.to)}
            </Typography.Text>
          )}
        </Space>
        <Table<Row>
          rowKey={(r) => `${r.service?.id ?? ''}-${r.org.id}`}
          size="small"
          loading={rates.isFetching}
          dataSource={rates.data?.items ?? []}
          columns={columns}
          pagination={false}
          data-testid="orders-rates"
        />
      </div>
      <div>
        <Typography.Title level={5}>{t('orders.rates.board')}</Typography.Title>
        <Table<BoardRow>
          rowKey="orgName"
          size="small"
          loading={board.isFetching}
          dataSource={board.data?.items ?? []}
          columns={boardColumns}
          pagination={false}
          data-testid="orders-board"
        />
      </div>
    </Space>
  );
}

function ReviewsPanel({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const reviews = useReviews(status);
  const session = useSession();
  const districtWide = session.account.role === 'district_admin' || session.account.role === 'platform_admin';
  const [closing, setClosing] = useState<Review | null>(null);
  const [form] = Form.useForm();
  const action = useOrderAction();
  const showError = useApiError();
  const columns: TableColumnsType<Review> = [
    {
      title: t('orders.field.trackingNo'),
      render: (_, r) => <Typography.Link onClick={() => onOpen(r.order.id)}>{r.order.trackingNo}</Typography.Link>,
    },
    { title: t('orders.field.title'), render: (_, r) => r.order.title, ellipsis: true },
    { title: t('orders.field.assignee'), render: (_, r) => r.org.name },
    { title: t('orders.reviews.score'), render: (_, r) => `${r.score}★ ${t(`orders.reviews.by.${r.byKind}`)}` },
    { title: t('orders.field.note'), render: (_, r) => r.comment ?? '—', ellipsis: true },
    { title: t('orders.field.createdAt'), render: (_, r) => formatTime(r.createdAt) },
    {
      title: t('orders.reviews.resolution'),
      render: (_, r) =>
        r.status === 'closed' ? (
          `${r.resolution ?? ''}（${r.resolvedBy ?? ''}）`
        ) : districtWide ? (
          <Button size="small" onClick={() => setClosing(r)} data-testid={`review-close-${r.id}`}>
            {t('orders.action.close')}
          </Button>
        ) : (
          <Tag color="orange">{t('orders.reviews.open')}</Tag>
        ),
    },
  ];
  return (
    <>
      <Segmented
        style={{ marginBottom: 8 }}
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={[
          { value: 'open', label: t('orders.reviews.open') },
          { value: 'closed', label: t('orders.reviews.closed') },
          { value: 'all', label: t('orders.view.all') },
        ]}
      />
      <Table<Review>
        rowKey="id"
        size="small"
        loading={reviews.isFetching}
        dataSource={reviews.data?.items ?? []}
        columns={columns}
        pagination={false}
        data-testid="orders-reviews"
      />
      <Modal
        open={closing !== null}
        title={t('orders.form.closeTitle')}
        onCancel={() => setClosing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: action.isPending }}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) =>
            action.mutate(
              { path: `/api/orders/reviews/${closing?.id}/close`, body: { resolution: v.resolution } },
              { onSuccess: () => setClosing(null), onError: (e) => showError(e, form) },
            )
          }
        >
          <Form.Item
            name="resolution"
            label={t('orders.reviews.resolution')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function SettingsPanel() {
  const { t } = useTranslation();
  const session = useSession();
  const districtWide = session.account.role === 'district_admin' || session.account.role === 'platform_admin';
  const settings = useOrderSettings();
  const clients = useOpen311Clients(districtWide);
  const action = useOrderAction();
  const showError = useApiError();
  const { message } = App.useApp();
  const { districtId } = useDistrict();
  const [form] = Form.useForm();
  const [keyName, setKeyName] = useState('');
  const [created, setCreated] = useState<Open311ClientCreated | null>(null);
  if (!settings.data) return null;
  const s = settings.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Form
        form={form}
        layout="inline"
        disabled={!districtWide}
        initialValues={{ ...s.deadlines, incubationThreshold: Math.round(s.incubationThreshold * 100) }}
        onFinish={(v) =>
          action.mutate(
            {
              method: 'PUT',
              path: '/api/orders/settings',
              body: {
                districtId,
                deadlines: Object.fromEntries(ORDER_CLASSIFICATIONS.map((c) => [c, v[c]])),
                incubationThreshold: v.incubationThreshold / 100,
              },
            },
            { onSuccess: () => message.success(t('orders.settings.saved')), onError: (e) => showError(e, form) },
          )
        }
      >
        <Typography.Title level={5} style={{ width: '100%' }}>
          {t('orders.settings.deadlines')}
        </Typography.Title>
        {ORDER_CLASSIFICATIONS.map((c) => (
          <Space key={c} style={{ marginBottom: 8, width: '100%' }}>
            <span style={{ width: 80, display: 'inline-block' }}>{t(`orders.classification.${c}`)}</span>
            <Form.Item name={[c, 'respond']} label={t('orders.settings.respond')}>
              <InputNumber min={0.25} step={1} addonAfter="h" />
            </Form.Item>
            <Form.Item name={[c, 'complete']} label={t('orders.settings.complete')}>
              <InputNumber min={0.25} step={1} addonAfter="h" />
            </Form.Item>
          </Space>
        ))}
        <Form.Item name="incubationThreshold" label={t('orders.settings.threshold')}>
          <InputNumber min={1} max={100} addonAfter="%" />
        </Form.Item>
        {districtWide && (
          <Button type="primary" htmlType="submit" loading={action.isPending}>
            {t('orders.action.save')}
          </Button>
        )}
      </Form>
      {districtWide && (
        <div>
          <Typography.Title level={5}>{t('orders.settings.open311')}</Typography.Title>
          {created && (
            <Alert
              type="success"
              style={{ marginBottom: 8 }}
              message={t('orders.settings.keyOnce')}
              description={
                <Typography.Text copyable code>
                  {created.apiKey}
                </Typography.Text>
              }
            />
          )}
          <Space style={{ marginBottom: 8 }}>
            <Input
              placeholder={t('orders.settings.keyName')}
              value={keyName}
              onChange={(e) => setKeyName(e.target.value)}
              maxLength={100}
            />
            <Button
              icon={<PlusOutlined />}
              disabled={!keyName.trim()}
              onClick={() =>
                action.mutate(
                  { path: '/api/orders/open311-clients', body: { districtId, name: keyName.trim() } },
                  {
                    onSuccess: (c) => {
                      setCreated(c as Open311ClientCreated);
                      setKeyName('');
                    },
                    onError: (e) => showError(e),
                  },
                )
              }
            >
              {t('orders.action.newKey')}
            </Button>
          </Space>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={clients.data?.items ?? []}
            columns={[
              { title: t('orders.settings.keyName'), dataIndex: 'name' },
              { title: t('orders.filter.source'), render: (_, c) => t(`orders.source.${c.source}`) },
              { title: t('orders.settings.lastUsed'), render: (_, c) => formatTime(c.lastUsedAt) },
              {
                title: '',
                render: (_, c) =>
                  c.active ? (
                    <Button
                      size="small"
                      onClick={() =>
                        action.mutate(
                          { path: `/api/orders/open311-clients/${c.id}/deactivate` },
                          { onError: (e) => showError(e) },
                        )
                      }
                    >
                      {t('orders.action.deactivate')}
                    </Button>
                  ) : (
                    <Tag>{t('common.inactive')}</Tag>
                  ),
              },
            ]}
          />
        </div>
      )}
    </Space>
  );
}

/** 点单·派单·评单: orders with filters and overdue, the detail drawer, the two rates, review tasks, settings. */
export function OrdersPage() {
  const { t } = useTranslation();
  const { districtId, canChoose } = useDistrict();
  const canDispatch = useCan('order.dispatch');
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (['list', 'rates', 'reviews', 'settings'] as const).find((v) => v === params.get('tab')) ?? 'list';
  const [openId, setOpenId] = useState<number | null>(null);
  const publicDistrict = districtId ?? session.account.districtId;
  if (canChoose && districtId === undefined) {
    return <Result status="info" title={t('header.districtPlaceholder')} />;
  }
  const setTab = (v: string) =>
    setParams(
      (p) => {
        p.set('tab', v);
        return p;
      },
      { replace: true },
    );
  return (
    <Card
      title={t('orders.title')}
      extra={
        publicDistrict ? (
          <Button
            icon={<LinkOutlined />}
            href={`/o/${publicDistrict}`}
            target="_blank"
            data-testid="orders-public-link"
          >
            {t('orders.action.publicPage')}
          </Button>
        ) : undefined
      }
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'list',
            label: <span data-testid="orders-tab-list">{t('orders.tab.list')}</span>,
            children: <OrderList onOpen={setOpenId} />,
          },
          {
            key: 'rates',
            label: <span data-testid="orders-tab-rates">{t('orders.tab.rates')}</span>,
            children: <RatesPanel />,
          },
          ...(canDispatch
            ? [
                {
                  key: 'reviews',
                  label: <span data-testid="orders-tab-reviews">{t('orders.tab.reviews')}</span>,
                  children: <ReviewsPanel onOpen={setOpenId} />,
                },
              ]
            : []),
          { key: 'settings', label: t('orders.tab.settings'), children: <SettingsPanel /> },
        ]}
      />
      <OrderDrawer id={openId} onClose={() => setOpenId(null)} />
    </Card>
  );
}
