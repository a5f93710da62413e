import { DownloadOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type {
  DrilldownSchema,
  RankedOrgSchema,
  RankingPeriodSchema,
  RankingResults,
  RankingSchemeSchema,
} from '../../../../domain/assessment.ts';
import { formatYuan } from '../../../../domain/fund.ts';
import { useDistrict } from '../../app/district.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan } from '../auth/session.ts';

type Scheme = z.infer<typeof RankingSchemeSchema>;
type Period = z.infer<typeof RankingPeriodSchema>;
type Row = z.infer<typeof RankedOrgSchema>;
type Item = Row['items'][number];
type Drilldown = z.infer<typeof DrilldownSchema>;

const KEY = ['rankings'] as const;

function useRankingData(schemeId: number | undefined, periodId: number | undefined) {
  const { districtId } = useDistrict();
  const schemes = useQuery({
    queryKey: [...KEY, 'schemes', districtId ?? null],
    queryFn: () => api<{ items: Scheme[] }>('GET', '/api/assessments/rankings/schemes', { query: { districtId } }),
  });
  const periods = useQuery({
    queryKey: [...KEY, 'periods', districtId ?? null, schemeId ?? null],
    queryFn: () =>
      api<{ items: Period[] }>('GET', '/api/assessments/rankings/periods', { query: { districtId, schemeId } }),
    enabled: schemeId !== undefined,
  });
  const results = useQuery({
    queryKey: [...KEY, 'results', periodId ?? null],
    queryFn: () =>
      api<RankingResults>('GET', `/api/assessments/rankings/periods/${periodId}/results`, { query: { districtId } }),
    enabled: periodId !== undefined,
  });
  return { schemes, periods, results, districtId };
}

/** The records behind one number (drill-down). */
function DrilldownModal({
  periodId,
  row,
  item,
  onClose,
}: {
  periodId: number;
  row: Row;
  item: Item;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const data = useQuery({
    queryKey: [...KEY, 'drill', periodId, row.orgId, item.key],
    queryFn: () =>
      api<Drilldown>('GET', `/api/assessments/rankings/periods/${periodId}/drilldown`, {
        query: { districtId, orgId: row.orgId, itemKey: item.key },
      }),
  });
  const show = (v: unknown) => (v === true ? '✔' : v === false ? '✘' : v === null || v === undefined ? '—' : String(v));
  return (
    <Modal open width={960} title={`${row.orgName} · ${item.label}`} onCancel={onClose} footer={null} destroyOnClose>
      {data.data && (
        <Typography.Paragraph data-testid="drill-summary">
          {t('rankings.drillSummary', {
            points: item.points,
            max: item.maxPoints,
            value: item.value === null ? '—' : Math.round(item.value * 1000) / 1000,
            num: data.data.numerator ?? '—',
            den: data.data.denominator ?? '—',
          })}
        </Typography.Paragraph>
      )}
      {data.data?.truncated && <Alert type="info" message={t('rankings.truncated')} style={{ marginBottom: 8 }} />}
      <Table
        size="small"
        rowKey={(_, i) => String(i)}
        loading={data.isFetching}
        dataSource={data.data?.rows ?? []}
        columns={(data.data?.columns ?? []).map((c) => ({
          title: c.label,
          dataIndex: c.key,
          render: (v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? formatTime(v) : show(v)),
        }))}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 800 }}
        data-testid="drill-table"
      />
    </Modal>
  );
}

/** Manual items of one org (points, note, evidence). */
function ManualModal({ periodId, row, onClose }: { periodId: number; row: Row; onClose: () => void }) {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const [form] = Form.useForm();
  const client = useQueryClient();
  const showError = useApiError();
  const manual = row.items.filter((i) => i.source === 'manual');
  const submit = async (v: Record<string, { points?: number; note?: string; evidence?: string }>) => {
    try {
      await api('PUT', `/api/assessments/rankings/periods/${periodId}/manual`, {
        query: { districtId },
        body: {
          orgId: row.orgId,
          items: manual
            .filter((i) => v[i.key]?.points !== undefined && v[i.key]?.points !== null)
            .map((i) => ({
              itemKey: i.key,
              points: v[i.key].points,
              note: v[i.key].note || null,
              evidence: v[i.key].evidence || null,
            })),
        },
      });
      await client.invalidateQueries({ queryKey: KEY });
      onClose();
    } catch (error) {
      showError(error, form);
    }
  };
  return (
    <Modal
      open
      title={`${t('rankings.manual')} · ${row.orgName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnClose
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={Object.fromEntries(
          manual.map((i) => [i.key, { points: i.points || undefined, note: i.note ?? '', evidence: i.evidence ?? '' }]),
        )}
      >
        {manual.map((i) => (
          <div key={i.key}>
            <Typography.Text
              strong
            >{`${i.category} · ${i.label}（${t('rankings.max', { max: i.maxPoints })}）`}</Typography.Text>
            <Space wrap style={{ display: 'flex', marginTop: 4 }}>
              <Form.Item name={[i.key, 'points']} rules={[{ type: 'number', min: 0, max: i.maxPoints }]}>
                <InputNumber
                  min={0}
                  max={i.maxPoints}
                  precision={2}
                  placeholder={t('rankings.points')}
                  data-testid={`manual-${i.key}`}
                />
              </Form.Item>
              <Form.Item name={[i.key, 'note']} rules={[{ max: 500 }]}>
                <Input placeholder={t('rankings.note')} style={{ width: 200 }} />
              </Form.Item>
              <Form.Item name={[i.key, 'evidence']} rules={[{ max: 500 }]}>
                <Input placeholder={t('rankings.evidence')} style={{ width: 220 }} />
              </Form.Item>
            </Space>
          </div>
        ))}
      </Form>
    </Modal>
  );
}

/** 季度排行榜 and 千分制: schemes, periods, the ranking with tiers, drill-down, manual items, publication. */
export function RankingsPanel() {
  const { t } = useTranslation();
  const canManage = useCan('assessment.manage');
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [schemeId, setSchemeId] = useState<number>();
  const [periodId, setPeriodId] = useState<number>();
  const { schemes, periods, results, districtId } = useRankingData(schemeId, periodId);
  const [drill, setDrill] = useState<{ row: Row; item: Item } | null>(null);
  const [manualRow, setManualRow] = useState<Row | null>(null);
  const [creating, setCreating] = useState<'scheme' | 'period' | null>(null);
  const [form] = Form.useForm();

  useEffect(() => {
    if (schemeId === undefined && schemes.data?.items.length) setSchemeId(schemes.data.items[0].id);
  }, [schemes.data, schemeId]);
  useEffect(() => {
    if (periods.data && !periods.data.items.some((p) => p.id === periodId)) setPeriodId(periods.data.items[0]?.id);
  }, [periods.data, periodId]);

  const scheme = schemes.data?.items.find((s) => s.id === schemeId);
  const period = periods.data?.items.find((p) => p.id === periodId);
  const data = results.data;

  const create = async (v: { name?: string; kind?: string; period?: string }) => {
    try {
      if (creating === 'scheme') {
        const s = await api<Scheme>('POST', '/api/assessments/rankings/schemes', {
          query: { districtId },
          body: { name: v.name, kind: v.kind, fromTemplate: true },
        });
        setSchemeId(s.id);
      } else {
        const p = await api<Period>('POST', '/api/assessments/rankings/periods', {
          query: { districtId },
          body: { schemeId, period: v.period },
        });
        setPeriodId(p.id);
      }
      await client.invalidateQueries({ queryKey: KEY });
      setCreating(null);
    } catch (error) {
      showError(error, form);
    }
  };

  const publish = async () => {
    try {
      await api('POST', `/api/assessments/rankings/periods/${periodId}/publish`, { query: { districtId }, body: {} });
      await client.invalidateQueries({ queryKey: KEY });
      message.success(t('rankings.published'));
    } catch (error) {
      showError(error);
    }
  };

  const categories = scheme?.definition.categories ?? [];
  const columns: TableColumnsType<Row> = [
    {
      title: t('rankings.rank'),
      dataIndex: 'rank',
      width: 70,
      render: (r: number, row) => <b data-testid={`rank-${row.orgId}`}>{r}</b>,
    },
    {
      title: t('rankings.org'),
      dataIndex: 'orgName',
      render: (n: string, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{n}</Typography.Text>
          {r.parentName && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.parentName}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    ...categories.map((c, ci) => ({
      title: c.name,
      key: `c${ci}`,
      align: 'right' as const,
      render: (_: unknown, r: Row) => `${r.categories[ci]?.points ?? 0} / ${r.categories[ci]?.maxPoints ?? 0}`,
    })),
    {
      title: t('rankings.total', { max: data?.maxTotal ?? '' }),
      dataIndex: 'total',
      align: 'right',
      render: (v: number, r) => <b data-testid={`total-${r.orgId}`}>{v}</b>,
    },
    {
      title: t('rankings.tier'),
      key: 'tier',
      render: (_, r) =>
        r.tier ? (
          <Space size={4} wrap>
            <Tag color="blue" data-testid={`tier-${r.orgId}`}>
              {r.tier.name}
            </Tag>
            <Typography.Text type="secondary">{formatYuan(r.tier.subsidyFen)}</Typography.Text>
            {r.tier.multiplierPct !== null && <Tag>{`${r.tier.multiplierPct / 100}×`}</Tag>}
          </Space>
        ) : (
          '—'
        ),
    },
    ...(canManage && period?.status === 'open'
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: Row) =>
              r.items.some((i) => i.source === 'manual') ? (
                <Button size="small" type="link" onClick={() => setManualRow(r)} data-testid={`manual-open-${r.orgId}`}>
                  {t('rankings.manual')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const itemColumns: TableColumnsType<Item> = [
    { title: t('rankings.category'), dataIndex: 'category' },
    { title: t('rankings.item'), dataIndex: 'label' },
    {
      title: t('rankings.source'),
      dataIndex: 'source',
      render: (s: string) => <Tag color={s === 'metric' ? 'geekblue' : 'default'}>{t(`rankings.sourceKind.${s}`)}</Tag>,
    },
    {
      title: t('rankings.value'),
      key: 'value',
      render: (_, i) =>
        i.source === 'metric'
          ? i.value === null
            ? '—'
            : i.denominator !== null
              ? `${i.numerator} / ${i.denominator}`
              : String(i.value)
          : (i.note ?? '—'),
    },
    { title: t('rankings.points'), key: 'points', align: 'right', render: (_, i) => `${i.points} / ${i.maxPoints}` },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="rankings-panel">
      <Space wrap>
        <Select
          style={{ minWidth: 240 }}
          placeholder={t('rankings.scheme')}
          value={schemeId}
          onChange={(v) => {
            setSchemeId(v);
            setPeriodId(undefined);
          }}
          options={(schemes.data?.items ?? []).map((s) => ({
            value: s.id,
            label: `${s.name}（${t(`rankings.kind.${s.kind}`)}）`,
          }))}
          data-testid="ranking-scheme"
        />
        <Select
          style={{ minWidth: 160 }}
          placeholder={t('rankings.period')}
          value={periodId}
          onChange={setPeriodId}
          options={(periods.data?.items ?? []).map((p) => ({
            value: p.id,
            label: `${p.period} · ${t(`rankings.status.${p.status}`)}`,
          }))}
          data-testid="ranking-period"
        />
        {canManage && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating('scheme')} data-testid="ranking-scheme-create">
            {t('rankings.newScheme')}
          </Button>
        )}
        {canManage && schemeId !== undefined && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating('period')} data-testid="ranking-period-create">
            {t('rankings.newPeriod')}
          </Button>
        )}
        {periodId !== undefined && (
          <Button
            icon={<DownloadOutlined />}
            href={`/api/assessments/rankings/periods/${periodId}/results.xlsx${districtId ? `?districtId=${districtId}` : ''}`}
            download
          >
            {t('rankings.export')}
          </Button>
        )}
        {canManage && period?.status === 'open' && (
          <Popconfirm title={t('rankings.publishConfirm')} onConfirm={publish}>
            <Button type="primary" icon={<SendOutlined />} data-testid="ranking-publish">
              {t('rankings.publish')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      {data && (
        <Typography.Text type="secondary" data-testid="ranking-state">
          {data.live
            ? t('rankings.live', { at: formatTime(data.computedAt) })
            : t('rankings.frozen', { at: formatTime(period?.publishedAt ?? data.computedAt) })}
        </Typography.Text>
      )}
      <Table<Row>
        rowKey="orgId"
        size="middle"
        loading={results.isFetching}
        dataSource={data?.rows ?? []}
        columns={columns}
        pagination={{ pageSize: 50 }}
        scroll={{ x: 900 }}
        data-testid="ranking-table"
        locale={{ emptyText: <Empty description={t('rankings.empty')} /> }}
        expandable={{
          expandedRowRender: (row) => (
            <Table<Item>
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={row.items}
              columns={[
                ...itemColumns,
                {
                  title: t('rankings.records'),
                  key: 'drill',
                  render: (_, i) => (
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setDrill({ row, item: i })}
                      data-testid={`drill-${row.orgId}-${i.key}`}
                    >
                      {t('rankings.why')}
                    </Button>
                  ),
                },
              ]}
            />
          ),
        }}
      />
      {drill && periodId !== undefined && (
        <DrilldownModal periodId={periodId} row={drill.row} item={drill.item} onClose={() => setDrill(null)} />
      )}
      {manualRow && periodId !== undefined && (
        <ManualModal periodId={periodId} row={manualRow} onClose={() => setManualRow(null)} />
      )}
      <Modal
        open={creating !== null}
        title={creating === 'scheme' ? t('rankings.newScheme') : t('rankings.newPeriod')}
        onCancel={() => setCreating(null)}
        onOk={() => form.submit()}
        destroyOnClose
      >
        <Form form={form} layout="vertical" onFinish={create} preserve={false} initialValues={{ kind: 'quarterly' }}>
          {creating === 'scheme' ? (
            <>
              <Form.Item name="name" label={t('rankings.schemeName')} rules={[{ required: true, max: 100 }]}>
                <Input maxLength={100} data-testid="ranking-scheme-name" />
              </Form.Item>
              <Form.Item name="kind" label={t('rankings.schemeKind')} extra={t('rankings.templateHint')}>
                <Select
                  options={['quarterly', 'thousand'].map((k) => ({ value: k, label: t(`rankings.kind.${k}`) }))}
                />
              </Form.Item>
            </>
          ) : (
            <Form.Item
              name="period"
              label={t('rankings.period')}
              extra={t('rankings.periodHint')}
              rules={[{ required: true, pattern: /^20\d{2}(Q[1-4])?$/, message: t('rankings.periodHint') }]}
            >
              <Input placeholder="2026Q4" data-testid="ranking-period-input" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
