import { DownloadOutlined, EnvironmentOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Result,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { z } from 'zod';
import {
  DONATION_SOURCES,
  type FundAccountDetailSchema,
  type FundAccountSchema,
  formatYuan,
  type WithdrawalSchema,
} from '../../../../domain/fund.ts';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api, type Page } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan } from '../auth/session.ts';
import { BudgetPanel } from './BudgetPanel.tsx';

type Account = z.infer<typeof FundAccountSchema>;
type AccountDetail = z.infer<typeof FundAccountDetailSchema>;
type Withdrawal = z.infer<typeof WithdrawalSchema>;

const KEYS = { all: ['funds'] as const };
const ACCOUNT_ORG_KINDS = ['village_branch', 'community_branch', 'two_new_committee'];
const thisYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const toFen = (yuan: number) => Math.round(yuan * 100);

type ModalKind = 'deposit' | 'donation' | 'withdraw' | null;

/** Deposit, donation and withdrawal forms of one account (amounts typed in yuan, sent in fen). */
function MoneyModal({
  kind,
  account,
  onClose,
}: {
  kind: Exclude<ModalKind, null>;
  account: AccountDetail;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [saving, setSaving] = useState(false);
  const submit = async (v: {
    amount: number;
    sourceType?: string;
    source?: string;
    memo?: string;
    purpose?: string;
    reference?: string;
    twinNet?: boolean;
  }) => {
    setSaving(true);
    try {
      const amountFen = toFen(v.amount);
      if (kind === 'deposit') {
        await api('POST', `/api/funds/accounts/${account.id}/deposits`, {
          body: { amountFen, memo: v.memo || undefined },
        });
      } else if (kind === 'donation') {
        await api('POST', `/api/funds/accounts/${account.id}/donations`, {
          body: { amountFen, sourceType: v.sourceType, source: v.source, memo: v.memo || undefined },
        });
      } else {
        await api('POST', `/api/funds/accounts/${account.id}/withdrawals`, {
          body: { amountFen, purpose: v.purpose, reference: v.reference, twinNet: v.twinNet ?? false },
        });
      }
      await client.invalidateQueries({ queryKey: KEYS.all });
      message.success(t(kind === 'withdraw' ? 'funds.msg.requested' : 'funds.msg.saved'));
      onClose();
    } catch (error) {
      showError(error, form, { amountFen: 'amount' });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`${t(`funds.action.${kind}`)} · ${account.orgName} ${account.year}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      destroyOnClose
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="amount" label={t('funds.field.amount')} rules={[{ required: true }]}>
          <InputNumber min={0.01} max={1_000_000_000} precision={2} style={{ width: 200 }} data-testid="fund-amount" />
        </Form.Item>
        {kind === 'donation' && (
          <>
            <Form.Item name="sourceType" label={t('funds.field.sourceType')} rules={[{ required: true }]}>
              <Select options={DONATION_SOURCES.map((s) => ({ value: s, label: t(`funds.sourceType.${s}`) }))} />
            </Form.Item>
            <Form.Item name="source" label={t('funds.field.source')} rules={[{ required: true, max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </>
        )}
        {kind === 'withdraw' ? (
          <>
            <Form.Item name="purpose" label={t('funds.field.purpose')} rules={[{ required: true, max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="reference" label={t('funds.field.reference')} rules={[{ required: true, max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="twinNet"
              label={t('budget.twinNetFlag')}
              valuePropName="checked"
              extra={t('budget.twinNetHint')}
            >
              <Switch data-testid="fund-twin-net" />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="memo" label={t('funds.field.memo')} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function AccountDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const canManage = useCan('fund.manage');
  const canRequest = useCan('fund.request');
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [modal, setModal] = useState<ModalKind>(null);
  const account = useQuery({
    queryKey: [...KEYS.all, 'account', id],
    queryFn: () => api<AccountDetail>('GET', `/api/funds/accounts/${id}`),
  });
  const a = account.data;
  const reverse = async (entryId: number) => {
    const memo = window.prompt(t('funds.hint.reverseMemo'));
    if (!memo?.trim()) return;
    try {
      await api('POST', `/api/funds/entries/${entryId}/reverse`, { body: { memo: memo.trim() } });
      await client.invalidateQueries({ queryKey: KEYS.all });
      message.success(t('funds.msg.saved'));
    } catch (error) {
      showError(error);
    }
  };
  return (
    <Drawer
      open
      width="min(900px, 100vw)"
      onClose={onClose}
      title={a ? `${a.orgName} · ${a.year}` : t('common.loading')}
    >
      {a && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Space wrap size="large">
            <Statistic title={t('funds.field.balance')} value={formatYuan(a.summary.balanceFen)} />
            <Statistic title={t('funds.field.deposits')} value={formatYuan(a.summary.depositsFen)} />
            <Statistic title={t('funds.field.donations')} value={formatYuan(a.summary.donationsFen)} />
            <Statistic title={t('funds.field.withdrawn')} value={formatYuan(a.summary.withdrawnFen)} />
            <Statistic
              title={`${t('funds.field.limit')}（${a.summary.multiplierPct / 100}×）`}
              value={formatYuan(a.summary.limitFen)}
            />
            <Statistic title={t('funds.field.remaining')} value={formatYuan(a.summary.remainingFen)} />
          </Space>
          <Space wrap>
            {canManage && <Button onClick={() => setModal('deposit')}>{t('funds.action.deposit')}</Button>}
            {canManage && <Button onClick={() => setModal('donation')}>{t('funds.action.donation')}</Button>}
            {canRequest && (
              <Button type="primary" onClick={() => setModal('withdraw')}>
                {t('funds.action.withdraw')}
              </Button>
            )}
            <Button icon={<DownloadOutlined />} href={`/api/funds/accounts/${a.id}/statement.xlsx`} download>
              {t('funds.action.statement')}
            </Button>
          </Space>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={a.entries}
            columns={[
              { title: '#', dataIndex: 'id', width: 60 },
              { title: t('funds.field.date'), width: 150, render: (_, e) => formatTime(e.createdAt) },
              { title: t('funds.field.kind'), width: 80, render: (_, e) => t(`funds.kind.${e.kind}`) },
              { title: t('funds.field.amount'), align: 'right', width: 130, render: (_, e) => formatYuan(e.amountFen) },
              {
                title: t('funds.field.source'),
                render: (_, e) => (e.sourceType ? `${t(`funds.sourceType.${e.sourceType}`)} · ${e.source}` : ''),
              },
              {
                title: t('funds.field.memo'),
                render: (_, e) => (
                  <Space size={4}>
                    {e.memo}
                    {e.reversesEntryId !== null && <Tag>{t('funds.hint.reversal', { id: e.reversesEntryId })}</Tag>}
                    {e.reversedBy !== null && <Tag color="default">{t('funds.hint.reversed')}</Tag>}
                  </Space>
                ),
              },
              { title: t('funds.field.by'), width: 90, render: (_, e) => e.createdBy.name },
              {
                title: t('common.actions'),
                width: 80,
                render: (_, e) =>
                  canManage && e.reversesEntryId === null && e.reversedBy === null ? (
                    <Button size="small" type="link" danger onClick={() => reverse(e.id)}>
                      {t('funds.action.reverse')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        </Space>
      )}
      {a && modal && <MoneyModal kind={modal} account={a} onClose={() => setModal(null)} />}
    </Drawer>
  );
}

function WithdrawalsTable() {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const canManage = useCan('fund.manage');
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [status, setStatus] = useState<string | undefined>('requested');
  const list = useQuery({
    queryKey: [...KEYS.all, 'withdrawals', districtId ?? null, status ?? null],
    queryFn: () =>
      api<Page<Withdrawal>>('GET', '/api/funds/withdrawals', { query: { districtId, status, pageSize: 200 } }),
    placeholderData: keepPreviousData,
  });
  const decide = async (id: number, action: 'approve' | 'reject') => {
    try {
      await api('POST', `/api/funds/withdrawals/${id}/${action}`, { body: {} });
      await client.invalidateQueries({ queryKey: KEYS.all });
      message.success(t(action === 'approve' ? 'funds.msg.approved' : 'funds.msg.rejected'));
    } catch (error) {
      showError(error);
    }
  };
  const columns: TableColumnsType<Withdrawal> = [
    { title: t('funds.field.org'), render: (_, w) => `${w.orgName} · ${w.year}` },
    { title: t('funds.field.amount'), align: 'right', width: 130, render: (_, w) => formatYuan(w.amountFen) },
    { title: t('funds.field.purpose'), dataIndex: 'purpose', ellipsis: true },
    { title: t('funds.field.reference'), dataIndex: 'reference', ellipsis: true },
    { title: t('funds.field.requestedBy'), width: 100, render: (_, w) => w.requestedBy.name },
    {
      title: t('funds.field.status'),
      width: 230,
      render: (_, w) => (
        <Space size={4}>
          <Tag color={w.status === 'approved' ? 'green' : w.status === 'requested' ? 'orange' : 'default'}>
            {t(`funds.status.${w.status}`)}
          </Tag>
          {canManage && w.status === 'requested' && (
            <>
              <Button size="small" type="link" onClick={() => decide(w.id, 'approve')}>
                {t('funds.action.approve')}
              </Button>
              <Popconfirm title={t('funds.action.reject')} onConfirm={() => decide(w.id, 'reject')}>
                <Button size="small" type="link" danger>
                  {t('funds.action.reject')}
                </Button>
              </Popconfirm>
            </>
          )}
        </Space>
      ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        value={status}
        onChange={setStatus}
        allowClear
        placeholder={t('funds.field.status')}
        style={{ width: 160 }}
        options={(['requested', 'approved', 'rejected'] as const).map((s) => ({
          value: s,
          label: t(`funds.status.${s}`),
        }))}
      />
      <Table
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
      />
    </Space>
  );
}

/** 党群公积金: accounts with balance, limit and remaining limit; ledgers; withdrawal requests and decisions. */
export function FundsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { districtId, canChoose } = useDistrict();
  const canManage = useCan('fund.manage');
  const canRead = useCan('fund.read');
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [year, setYear] = useState<number>(thisYear());
  const [openId, setOpenId] = useState<number | null>(null);
  const [opening, setOpening] = useState(false);
  const [policyOpen, setPolicyOpen] = useState(false);
  const [openForm] = Form.useForm();
  const [policyForm] = Form.useForm();
  const enabled = canRead && (!canChoose || districtId !== undefined);
  const policy = useQuery({
    queryKey: [...KEYS.all, 'policy', districtId ?? null],
    queryFn: () => api<{ multiplierPct: number }>('GET', '/api/funds/policy', { query: { districtId } }),
    enabled,
  });
  const accounts = useQuery({
    queryKey: [...KEYS.all, 'accounts', districtId ?? null, year],
    queryFn: () => api<Page<Account>>('GET', '/api/funds/accounts', { query: { districtId, year, pageSize: 500 } }),
    enabled,
    placeholderData: keepPreviousData,
  });

  if (!canRead) return <Result status="403" title={t('error.forbidden')} />;
  if (canChoose && districtId === undefined) return <Result status="info" title={t('header.districtPlaceholder')} />;

  const columns: TableColumnsType<Account> = [
    {
      title: t('funds.field.org'),
      render: (_, a) => (
        <Typography.Link onClick={() => setOpenId(a.id)} data-testid={`fund-open-${a.id}`}>
          {a.orgName}
        </Typography.Link>
      ),
    },
    { title: t('funds.field.deposits'), align: 'right', render: (_, a) => formatYuan(a.summary.depositsFen) },
    { title: t('funds.field.donations'), align: 'right', render: (_, a) => formatYuan(a.summary.donationsFen) },
    { title: t('funds.field.withdrawn'), align: 'right', render: (_, a) => formatYuan(a.summary.withdrawnFen) },
    { title: t('funds.field.balance'), align: 'right', render: (_, a) => formatYuan(a.summary.balanceFen) },
    { title: t('funds.field.limit'), align: 'right', render: (_, a) => formatYuan(a.summary.limitFen) },
    { title: t('funds.field.remaining'), align: 'right', render: (_, a) => formatYuan(a.summary.remainingFen) },
  ];

  const saveAccount = async (v: { orgId: number; year: number }) => {
    try {
      await api('POST', '/api/funds/accounts', { body: v });
      await client.invalidateQueries({ queryKey: KEYS.all });
      message.success(t('funds.msg.saved'));
      setOpening(false);
    } catch (error) {
      showError(error, openForm);
    }
  };
  const savePolicy = async (v: { multiplier: number }) => {
    try {
      await api('PUT', '/api/funds/policy', { body: { districtId, multiplierPct: Math.round(v.multiplier * 100) } });
      await client.invalidateQueries({ queryKey: KEYS.all });
      message.success(t('funds.msg.saved'));
      setPolicyOpen(false);
    } catch (error) {
      showError(error, policyForm, { multiplierPct: 'multiplier' });
    }
  };

  return (
    <Card
      title={t('funds.title')}
      extra={
        <Space wrap>
          <Button icon={<EnvironmentOutlined />} onClick={() => navigate('/resources')}>
            {t('funds.backToVenues')}
          </Button>
          {canManage && (
            <Button icon={<SettingOutlined />} onClick={() => setPolicyOpen(true)}>
              {t('funds.action.policy')}
            </Button>
          )}
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
              {t('funds.action.open')}
            </Button>
          )}
        </Space>
      }
    >
      <Descriptions size="small" style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('funds.field.multiplier')}>
          {policy.data ? `${policy.data.multiplierPct / 100}×` : '—'}
          <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
            {t('funds.hint.multiplier')}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          {
            key: 'accounts',
            label: t('funds.tab.accounts'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <InputNumber
                  value={year}
                  onChange={(v) => v && setYear(v)}
                  min={2000}
                  max={2100}
                  addonBefore={t('funds.field.year')}
                />
                <Table<Account>
                  rowKey="id"
                  size="middle"
                  loading={accounts.isFetching}
                  dataSource={accounts.data?.items ?? []}
                  columns={columns}
                  scroll={{ x: 900 }}
                  data-testid="fund-accounts"
                />
              </Space>
            ),
          },
          { key: 'withdrawals', label: t('funds.tab.withdrawals'), children: <WithdrawalsTable /> },
          {
            key: 'budgets',
            label: <span data-testid="fund-tab-budgets">{t('budget.tab')}</span>,
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <InputNumber
                  value={year}
                  onChange={(v) => v && setYear(v)}
                  min={2000}
                  max={2100}
                  addonBefore={t('funds.field.year')}
                />
                <BudgetPanel year={year} />
              </Space>
            ),
          },
        ]}
      />
      {openId !== null && <AccountDrawer id={openId} onClose={() => setOpenId(null)} />}
      <Modal
        open={opening}
        title={t('funds.action.open')}
        onCancel={() => setOpening(false)}
        onOk={() => openForm.submit()}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        destroyOnClose
      >
        <Form form={openForm} layout="vertical" onFinish={saveAccount} initialValues={{ year }}>
          <Form.Item
            name="orgId"
            label={t('funds.field.org')}
            extra={t('funds.hint.orgKinds')}
            rules={[{ required: true }]}
          >
            <OrgTreeSelect isDisabled={(n) => !ACCOUNT_ORG_KINDS.includes(n.kind)} />
          </Form.Item>
          <Form.Item name="year" label={t('funds.field.year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={policyOpen}
        title={t('funds.action.policy')}
        onCancel={() => setPolicyOpen(false)}
        onOk={() => policyForm.submit()}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        destroyOnClose
      >
        <Form
          form={policyForm}
          layout="vertical"
          onFinish={savePolicy}
          initialValues={{ multiplier: (policy.data?.multiplierPct ?? 120) / 100 }}
        >
          <Form.Item
            name="multiplier"
            label={t('funds.field.multiplier')}
            extra={t('funds.hint.multiplier')}
            rules={[{ required: true }]}
          >
            <InputNumber min={1.1} max={1.5} step={0.05} precision={2} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
