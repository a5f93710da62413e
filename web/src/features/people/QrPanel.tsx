import { DownloadOutlined, PlusOutlined, PrinterOutlined, QrcodeOutlined, StopOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api, toSearch } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useSession } from '../auth/session.ts';
import { peopleKeys, type RegistrationToken, useRegistrationSettings, useRegistrationTokens } from './api.ts';
import { applyFieldErrors } from './fieldErrors.ts';
import { GridSelect } from './GridSelect.tsx';
import { QrPrintSheet } from './QrPrintSheet.tsx';

const qrHref = (id: string, format: 'png' | 'svg') => `/api/registration-tokens/${id}/qr${toSearch({ format })}`;

function tokenState(token: RegistrationToken): 'revoked' | 'expired' | 'valid' {
  if (token.revokedAt) return 'revoked';
  if (new Date(token.expiresAt).getTime() < Date.now()) return 'expired';
  return 'valid';
}

/** 二维报到: registration codes of grids and orgs (make, show, download, revoke) and the district setting. */
export function QrPanel() {
  const { t } = useTranslation();
  const me = useSession();
  const [filter, setFilter] = useState<{ gridId?: number; orgId?: number }>({});
  const tokens = useRegistrationTokens(filter);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<RegistrationToken | null>(null);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [revoking, setRevoking] = useState<string | null>(null);
  const isDistrictAdmin = me.account.role === 'district_admin' || me.account.role === 'platform_admin';

  const revoke = async (token: RegistrationToken) => {
    setRevoking(token.id);
    try {
      await api('DELETE', `/api/registration-tokens/${token.id}`);
      await client.invalidateQueries({ queryKey: ['registration-tokens'] });
      message.success(t('people.qr.revoked'));
    } catch (error) {
      showError(error);
    } finally {
      setRevoking(null);
    }
  };

  const columns: TableColumnsType<RegistrationToken> = [
    {
      title: t('people.qr.place'),
      render: (_, k) => (
        <Space size={4} wrap>
          <Tag color={k.kind === 'grid' ? 'blue' : 'purple'}>{t(`people.qr.kind.${k.kind}`)}</Tag>
          <span>{k.grid?.name ?? k.org.name}</span>
          {k.grid && <Typography.Text type="secondary">（{k.org.name}）</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('people.qr.state'),
      width: 100,
      render: (_, k) => {
        const s = tokenState(k);
        return (
          <Tag color={s === 'valid' ? 'green' : 'default'} data-testid={`qr-state-${k.id}`}>
            {t(`people.qr.states.${s}`)}
          </Tag>
        );
      },
    },
    { title: t('people.qr.registrations'), dataIndex: 'registrations', width: 90, align: 'right' },
    { title: t('people.qr.expiresAt'), width: 150, render: (_, k) => formatTime(k.expiresAt) },
    { title: t('people.qr.createdAt'), width: 150, render: (_, k) => formatTime(k.createdAt) },
    {
      title: t('common.actions'),
      width: 330,
      render: (_, k) => (
        <Space wrap size={4}>
          <Button size="small" icon={<QrcodeOutlined />} onClick={() => setShown(k)} data-testid={`qr-show-${k.id}`}>
            {t('people.qr.show')}
          </Button>
          <Button size="small" icon={<DownloadOutlined />} href={qrHref(k.id, 'png')} download={`qr-${k.id}.png`}>
            PNG
          </Button>
          <Button size="small" icon={<DownloadOutlined />} href={qrHref(k.id, 'svg')} download={`qr-${k.id}.svg`}>
            SVG
          </Button>
          {!k.revokedAt && (
            <Popconfirm title={t('people.qr.revokeConfirm')} onConfirm={() => revoke(k)}>
              <Button
                size="small"
                danger
                icon={<StopOutlined />}
                loading={revoking === k.id}
                data-testid={`qr-revoke-${k.id}`}
              >
                {t('people.qr.revoke')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <RegistrationSettingsCard editable={isDistrictAdmin} />
      <Space wrap>
        <GridSelect
          kind="any"
          value={filter.gridId}
          onChange={(v) => setFilter({ gridId: v })}
          placeholder={t('people.filter.grid')}
          style={{ width: 220 }}
          data-testid="qr-filter-grid"
        />
        <OrgTreeSelect
          value={filter.orgId}
          onChange={(v) => setFilter({ orgId: v })}
          placeholder={t('people.qr.filterOrg')}
          allowClear
          style={{ width: 220 }}
          data-testid="qr-filter-org"
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="qr-create">
          {t('people.qr.create')}
        </Button>
      </Space>
      <Table<RegistrationToken>
        rowKey="id"
        size="middle"
        loading={tokens.isFetching}
        dataSource={tokens.data?.items ?? []}
        columns={columns}
        scroll={{ x: 900 }}
        onRow={(k) => ({ 'data-testid': `qr-row-${k.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="qr-table"
      />
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setShown(token);
          }}
        />
      )}
      {shown && <QrModal token={shown} onClose={() => setShown(null)} />}
    </Space>
  );
}

function RegistrationSettingsCard({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const settings = useRegistrationSettings();
  const { districtId } = useDistrict();
  const client = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [saving, setSaving] = useState(false);
  const auto = settings.data?.autoRegister ?? false;

  const save = async (autoRegister: boolean) => {
    setSaving(true);
    try {
      const saved = await api<{ autoRegister: boolean }>('PUT', '/api/registrations/settings', {
        body: { autoRegister },
        query: { districtId },
      });
      client.setQueryData(peopleKeys.settings(districtId), saved);
      message.success(t('common.saved'));
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" data-testid="qr-settings">
      <Space wrap>
        <Typography.Text strong>{t('people.qr.settingsTitle')}</Typography.Text>
        {editable ? (
          <Radio.Group
            value={auto}
            disabled={settings.isPending || saving}
            onChange={(e) => void save(e.target.value as boolean)}
            data-testid="qr-settings-mode"
            options={[
              { value: false, label: t('people.qr.modePending') },
              { value: true, label: t('people.qr.modeRegistered') },
            ]}
          />
        ) : (
          <Space>
            <Switch size="small" checked={auto} disabled />
            <span>{auto ? t('people.qr.modeRegistered') : t('people.qr.modePending')}</span>
          </Space>
        )}
        {!editable && <Typography.Text type="secondary">{t('people.qr.settingsHint')}</Typography.Text>}
      </Space>
    </Card>
  );
}

function CreateTokenModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (token: RegistrationToken) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ kind: 'grid' | 'org'; gridId?: number; orgId?: number; expiresInDays: number }>();
  const kind = Form.useWatch('kind', form) ?? 'grid';
  const client = useQueryClient();
  const showError = useApiError();
  const [saving, setSaving] = useState(false);

  const submit = async (v: { kind: 'grid' | 'org'; gridId?: number; orgId?: number; expiresInDays: number }) => {
    setSaving(true);
    try {
      const token = await api<RegistrationToken>('POST', '/api/registration-tokens', {
        body: {
          ...(v.kind === 'grid' ? { gridId: v.gridId } : { orgId: v.orgId }),
          expiresInDays: v.expiresInDays,
        },
      });
      await client.invalidateQueries({ queryKey: ['registration-tokens'] });
      onCreated(token);
    } catch (error) {
      showError(error);
      applyFieldErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('people.qr.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'qr-create-ok' }}
      data-testid="qr-create-modal"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'grid', expiresInDays: 180 }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="kind" label={t('people.qr.for')}>
          <Radio.Group
            options={[
              { value: 'grid', label: t('people.qr.kind.grid') },
              { value: 'org', label: t('people.qr.kind.org') },
            ]}
          />
        </Form.Item>
        {kind === 'grid' ? (
          <Form.Item
            name="gridId"
            label={t('people.qr.kind.grid')}
            rules={[{ required: true, message: t('people.form.required') }]}
          >
            <GridSelect kind="any" data-testid="qr-create-grid" style={{ width: '100%' }} />
          </Form.Item>
        ) : (
          <Form.Item
            name="orgId"
            label={t('people.qr.kind.org')}
            rules={[{ required: true, message: t('people.form.required') }]}
          >
            <OrgTreeSelect data-testid="qr-create-org" style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="expiresInDays" label={t('people.qr.expiresInDays')}>
          <InputNumber min={1} max={730} precision={0} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function QrModal({ token, onClose }: { token: RegistrationToken; onClose: () => void }) {
  const { t } = useTranslation();
  const state = tokenState(token);
  const [printing, setPrinting] = useState(false);
  if (printing) return <QrPrintSheet token={token} onClose={() => setPrinting(false)} />;
  return (
    <Modal
      open
      title={token.grid?.name ?? token.org.name}
      onCancel={onClose}
      footer={
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={qrHref(token.id, 'png')} download={`qr-${token.id}.png`}>
            {t('people.qr.downloadPng')}
          </Button>
          <Button icon={<DownloadOutlined />} href={qrHref(token.id, 'svg')} download={`qr-${token.id}.svg`}>
            {t('people.qr.downloadSvg')}
          </Button>
          <Button
            icon={<PrinterOutlined />}
            onClick={() => setPrinting(true)}
            disabled={state !== 'valid'}
            data-testid="qr-print-open"
          >
            {t('people.qr.print')}
          </Button>
          <Button type="primary" onClick={onClose}>
            {t('common.ok')}
          </Button>
        </Space>
      }
      data-testid="qr-modal"
    >
      <Space direction="vertical" align="center" style={{ width: '100%' }}>
        {state !== 'valid' && <Alert type="warning" showIcon message={t(`people.qr.states.${state}`)} />}
        <img
          src={qrHref(token.id, 'png')}
          alt={t('people.qr.imageAlt')}
          width={240}
          height={240}
          data-testid="qr-image"
        />
        <Typography.Paragraph copyable={{ text: token.url }} style={{ wordBreak: 'break-all', textAlign: 'center' }}>
          <Typography.Link href={token.url} target="_blank" rel="noreferrer" data-testid="qr-url">
            {token.url}
          </Typography.Link>
        </Typography.Paragraph>
        <Typography.Text type="secondary">
          {t('people.qr.expiresAt')}：{formatTime(token.expiresAt)}
        </Typography.Text>
      </Space>
    </Modal>
  );
}
