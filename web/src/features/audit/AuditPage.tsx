import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Input, Row, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { AuditEntrySchema } from '../../../../domain/common.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';

type AuditEntry = z.infer<typeof AuditEntrySchema>;
type FilterForm = {
  action?: string;
  entity?: string;
  entityId?: string;
  username?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
};
type Filters = { action?: string; entity?: string; entityId?: string; username?: string; from?: string; to?: string };

/** 审计日志: every write (and sensitive read), filterable, with before/after of each entry. */
export function AuditPage() {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const [form] = Form.useForm<FilterForm>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });

  const list = useQuery({
    queryKey: ['audit', districtId ?? null, filters, page],
    queryFn: () => api<Page<AuditEntry>>('GET', '/api/audit', { query: { districtId, ...filters, ...page } }),
    placeholderData: keepPreviousData,
  });

  const apply = (values: FilterForm) => {
    const trim = (s?: string) => s?.trim() || undefined;
    setFilters({
      action: trim(values.action),
      entity: trim(values.entity),
      entityId: trim(values.entityId),
      username: trim(values.username),
      from: values.range?.[0]?.startOf('minute').toISOString(),
      to: values.range?.[1]?.endOf('minute').toISOString(),
    });
    setPage((p) => ({ ...p, page: 1 }));
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.col.at'), dataIndex: 'at', width: 170, render: (at: string) => formatTime(at, true) },
    {
      title: t('audit.col.username'),
      dataIndex: 'username',
      render: (u: string | null) => (u ? <Typography.Text code>{u}</Typography.Text> : <Tag>{t('audit.system')}</Tag>),
    },
    { title: t('audit.col.action'), dataIndex: 'action', render: (a: string) => <Tag color="blue">{a}</Tag> },
    { title: t('audit.col.entity'), dataIndex: 'entity' },
    { title: t('audit.col.entityId'), dataIndex: 'entityId', render: (v: string | null) => v ?? t('common.empty') },
    { title: t('audit.col.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? t('common.empty') },
  ];

  return (
    <Card
      title={t('audit.title')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="action">
          <Input allowClear placeholder={t('audit.action')} style={{ width: 150 }} data-testid="audit-action" />
        </Form.Item>
        <Form.Item name="entity">
          <Input allowClear placeholder={t('audit.entity')} style={{ width: 130 }} data-testid="audit-entity" />
        </Form.Item>
        <Form.Item name="entityId">
          <Input allowClear placeholder={t('audit.entityId')} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="username">
          <Input allowClear placeholder={t('audit.username')} style={{ width: 130 }} data-testid="audit-username" />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
            {t('common.search')}
          </Button>
        </Form.Item>
        <Form.Item>
          <Button
            onClick={() => {
              form.resetFields();
              apply({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Form.Item>
      </Form>
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 800 }}
        expandable={{
          expandedRowRender: (entry) => <AuditDiff before={entry.before} after={entry.after} />,
          rowExpandable: (entry) => entry.before !== null || entry.after !== null,
        }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, pageSize) => setPage({ page: p, pageSize }),
        }}
      />
    </Card>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Before and after side by side as JSON; keys whose value changed are marked on the "after" side. */
function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const changed =
    isRecord(before) && isRecord(after)
      ? Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      : [];
  const block = (value: unknown) =>
    value === null || value === undefined ? (
      <Typography.Text type="secondary">{t('audit.nothing')}</Typography.Text>
    ) : (
      <pre style={{ margin: 0, maxHeight: 320, overflow: 'auto', fontSize: 12, background: '#fafafa', padding: 8 }}>
        {JSON.stringify(value, null, 2)}
      </pre>
    );
  return (
    <Row gutter={16} data-testid="audit-diff">
      <Col xs={24} md={12}>
        <Typography.Text strong>{t('audit.before')}</Typography.Text>
        {block(before)}
      </Col>
      <Col xs={24} md={12}>
        <Typography.Text strong>{t('audit.after')}</Typography.Text>{' '}
        {changed.map((k) => (
          <Tag key={k} color="orange" style={{ marginBottom: 4 }}>
            {k}
          </Tag>
        ))}
        {block(after)}
      </Col>
    </Row>
  );
}
