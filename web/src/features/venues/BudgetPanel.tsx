import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Form,
  InputNumber,
  Modal,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { type BudgetReportSchema, formatYuan, type TownBudget } from '../../../../domain/fund.ts';
import { useDistrict } from '../../app/district.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { useCan } from '../auth/session.ts';

type BudgetReport = z.infer<typeof BudgetReportSchema>;

const okTag = (ok: boolean, t: (k: string) => string, testId: string) => (
  <Tag color={ok ? 'green' : 'red'} data-testid={testId}>
    {ok ? t('budget.ok') : t('budget.notOk')}
  </Tag>
);

/**
 * 预算规则 per town and year: declared League budget (≥ ¥20,000) and the twin-net share of League
 * spending (≥ 50%), from posted fund withdrawals and activity spend; district admins declare budgets.
 */
export function BudgetPanel({ year }: { year: number }) {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const canManage = useCan('fund.manage');
  const client = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [editing, setEditing] = useState<TownBudget | null>(null);
  const [form] = Form.useForm();
  const report = useQuery({
    queryKey: ['funds', 'budgets', districtId ?? null, year],
    queryFn: () => api<BudgetReport>('GET', '/api/funds/budgets', { query: { districtId, year } }),
  });

  const save = async (v: { budget: number }) => {
    if (!editing) return;
    try {
      await api('PUT', '/api/funds/budgets', {
        body: { districtId, orgId: editing.orgId, year, budgetFen: Math.round(v.budget * 100) },
      });
      await client.invalidateQueries({ queryKey: ['funds', 'budgets'] });
      message.success(t('budget.saved'));
      setEditing(null);
    } catch (error) {
      showError(error, form, { budgetFen: 'budget' });
    }
  };

  const columns: TableColumnsType<TownBudget> = [
    { title: t('budget.town'), dataIndex: 'orgName' },
    {
      title: t('budget.budget'),
      align: 'right',
      render: (_, b) => (
        <span data-testid={`budget-amount-${b.orgId}`}>
          {b.budgetFen === null ? t('budget.none') : formatYuan(b.budgetFen)}
        </span>
      ),
    },
    { title: t('budget.withdrawals'), align: 'right', render: (_, b) => formatYuan(b.withdrawalsFen) },
    { title: t('budget.activitySpend'), align: 'right', render: (_, b) => formatYuan(b.activitySpendFen) },
    { title: t('budget.twinNet'), align: 'right', render: (_, b) => formatYuan(b.twinNetFen) },
    {
      title: t('budget.share'),
      align: 'right',
      render: (_, b) => (b.twinNetSharePct === null ? '—' : `${b.twinNetSharePct}%`),
    },
    { title: t('budget.budgetRule'), render: (_, b) => okTag(b.budgetOk, t, `budget-ok-${b.orgId}`) },
    { title: t('budget.shareRule'), render: (_, b) => okTag(b.shareOk, t, `share-ok-${b.orgId}`) },
    {
      title: t('budget.compliance'),
      render: (_, b) => (
        <Tag color={b.compliant ? 'green' : 'red'} data-testid={`budget-compliant-${b.orgId}`}>
          {b.compliant ? t('budget.compliant') : t('budget.notCompliant')}
        </Tag>
      ),
    },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, b: TownBudget) => (
              <Button
                size="small"
                type="link"
                data-testid={`budget-edit-${b.orgId}`}
                onClick={() => {
                  setEditing(b);
                  form.setFieldsValue({ budget: b.budgetFen === null ? undefined : b.budgetFen / 100 });
                }}
              >
                {t('budget.declare')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        message={t('budget.rules', {
          min: report.data ? formatYuan(report.data.minBudgetFen) : '¥20,000.00',
          pct: report.data?.minTwinNetPct ?? 50,
        })}
        description={
          report.data ? (
            <Typography.Text type="secondary">
              {t('budget.sources', {
                sources: report.data.sources.map((s) => t(`budget.source.${s}`, { defaultValue: s })).join('、'),
              })}
            </Typography.Text>
          ) : undefined
        }
      />
      <Table<TownBudget>
        rowKey="orgId"
        size="middle"
        loading={report.isFetching}
        dataSource={report.data?.items ?? []}
        columns={columns}
        scroll={{ x: 1100 }}
        pagination={false}
        data-testid="budget-table"
      />
      <Modal
        open={editing !== null}
        title={`${t('budget.declare')} · ${editing?.orgName ?? ''} ${year}`}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        destroyOnClose
      >
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item name="budget" label={t('budget.budgetYuan')} rules={[{ required: true }]}>
            <InputNumber min={0} max={1_000_000_000} precision={2} style={{ width: 220 }} data-testid="budget-input" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
