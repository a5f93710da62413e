import { KeyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, canAssignRole, ROLES, type Role } from '../../../../domain/account.ts';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api, type Page } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan, useSession } from '../auth/session.ts';

type Filters = { q?: string; orgId?: number; role?: Role; page: number; pageSize: number };

const PASSWORD_RULES = (t: (k: string) => string) => [
  { required: true, message: t('accounts.required') },
  { min: 8, message: t('password.tooShort') },
  {
    validator: (_: unknown, value: string | undefined) =>
      !value || (/[A-Za-z]/.test(value) && /[0-9]/.test(value))
        ? Promise.resolve()
        : Promise.reject(new Error(t('password.needLettersDigits'))),
  },
];

/** 账号: accounts of the caller's scope, with create, edit, password reset and (de)activation. */
export function AccountsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const { districtId } = useDistrict();
  const canWrite = useCan('account.write');
  const [filters, setFilters] = useState<Filters>({ page: 1, pageSize: 20 });
  const [qInput, setQInput] = useState('');
  const [modal, setModal] = useState<{ kind: 'create' } | { kind: 'edit' | 'password'; account: Account } | null>(null);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();

  const list = useQuery({
    queryKey: ['accounts', districtId ?? null, filters],
    queryFn: () => api<Page<Account>>('GET', '/api/accounts', { query: { districtId, ...filters } }),
    placeholderData: keepPreviousData,
  });

  const roleOptions = useMemo(() => ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })), [t]);
  const assignable = useMemo(
    () => roleOptions.filter((o) => canAssignRole(me.account.role, o.value)),
    [roleOptions, me.account.role],
  );

  const toggle = async (account: Account) => {
    try {
      await api('PATCH', `/api/accounts/${account.id}`, { body: { active: !account.active } });
      await client.invalidateQueries({ queryKey: ['accounts'] });
      await client.invalidateQueries({ queryKey: ['orgs', 'tree'] });
      message.success(
        t(account.active ? 'accounts.deactivated' : 'accounts.activated', { username: account.username }),
      );
    } catch (error) {
      showError(error);
    }
  };

  const resetTotp = async (account: Account) => {
    try {
      await api('PATCH', `/api/accounts/${account.id}`, { body: { resetTotp: true } });
      message.success(t('security.resetDone', { username: account.username }));
    } catch (error) {
      showError(error);
    }
  };

  const columns: TableColumnsType<Account> = [
    {
      title: t('accounts.col.username'),
      dataIndex: 'username',
      render: (username: string, a) => (
        <Space size={4}>
          <Typography.Text code>{username}</Typography.Text>
          {a.id === me.account.id && <Tag color="blue">{t('accounts.self')}</Tag>}
        </Space>
      ),
    },
    { title: t('accounts.col.displayName'), dataIndex: 'displayName' },
    { title: t('accounts.col.role'), dataIndex: 'role', render: (role: Role) => t(`role.${role}`) },
    { title: t('accounts.col.org'), dataIndex: 'orgName', render: (name: string | null) => name ?? t('common.empty') },
    {
      title: t('accounts.col.status'),
      key: 'status',
      render: (_, a) => (
        <Space size={2} wrap>
          {a.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
          {a.lockedUntil && new Date(a.lockedUntil) > new Date() && (
            <Tag color="orange">{t('accounts.locked', { time: formatTime(a.lockedUntil) })}</Tag>
          )}
          {a.mustChangePassword && <Tag color="gold">{t('accounts.mustChange')}</Tag>}
        </Space>
      ),
    },
    { title: t('accounts.col.lastLoginAt'), dataIndex: 'lastLoginAt', render: (v: string | null) => formatTime(v) },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, a: Account) => (
              <Space size={0} wrap>
                <Button
                  type="link"
                  size="small"
                  onClick={() => setModal({ kind: 'edit', account: a })}
                  data-testid={`account-edit-${a.id}`}
                >
                  {t('accounts.action.edit')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  icon={<KeyOutlined />}
                  onClick={() => setModal({ kind: 'password', account: a })}
                  data-testid={`account-reset-${a.id}`}
                >
                  {t('accounts.action.resetPassword')}
                </Button>
                <Popconfirm title={t('security.resetConfirm', { name: a.displayName })} onConfirm={() => resetTotp(a)}>
                  <Button type="link" size="small" data-testid={`account-totp-reset-${a.id}`}>
                    {t('security.resetAction')}
                  </Button>
                </Popconfirm>
                <Button
                  type="link"
                  size="small"
                  danger={a.active}
                  disabled={a.id === me.account.id}
                  onClick={() => void toggle(a)}
                  data-testid={`account-toggle-${a.id}`}
                >
                  {a.active ? t('accounts.action.deactivate') : t('accounts.action.activate')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('accounts.title')}
      extra={
        canWrite && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setModal({ kind: 'create' })}
            data-testid="account-create"
          >
            {t('accounts.create')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('accounts.search')}
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined, page: 1 }))}
          style={{ width: 220 }}
          data-testid="account-search"
        />
        <OrgTreeSelect
          allowClear
          includeInactive
          placeholder={t('accounts.filterOrg')}
          value={filters.orgId}
          onChange={(orgId) => setFilters((f) => ({ ...f, orgId, page: 1 }))}
          style={{ width: 260 }}
        />
        <Select
          allowClear
          placeholder={t('accounts.filterRole')}
          options={roleOptions}
          value={filters.role}
          onChange={(role?: Role) => setFilters((f) => ({ ...f, role, page: 1 }))}
          style={{ width: 160 }}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>
          {t('common.refresh')}
        </Button>
      </Space>
      <Table<Account>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 900 }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
      />
      {modal?.kind === 'create' && (
        <AccountCreateModal roleOptions={assignable} defaultOrgId={me.account.orgId} onClose={() => setModal(null)} />
      )}
      {modal?.kind === 'edit' && (
        <AccountEditModal account={modal.account} roleOptions={assignable} onClose={() => setModal(null)} />
      )}
      {modal?.kind === 'password' && <PasswordResetModal account={modal.account} onClose={() => setModal(null)} />}
    </Card>
  );
}

type RoleOption = { value: Role; label: string };
type CreateFields = { username: string; displayName: string; role: Role; orgId: number; password: string };

function useSaver<T>(onClose: () => void) {
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const run = async (form: ReturnType<typeof Form.useForm<T>>[0], action: (values: T) => Promise<string>) => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const text = await action(values);
      await client.invalidateQueries({ queryKey: ['accounts'] });
      await client.invalidateQueries({ queryKey: ['orgs', 'tree'] });
      message.success(text);
      onClose();
    } catch (error) {
      showError(error, form);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

function AccountCreateModal({
  roleOptions,
  defaultOrgId,
  onClose,
}: {
  roleOptions: RoleOption[];
  defaultOrgId: number | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateFields>();
  const { busy, run } = useSaver<CreateFields>(onClose);
  const submit = () =>
    run(form, async (values) => {
      const created = await api<Account>('POST', '/api/accounts', {
        body: { ...values, username: values.username.trim(), displayName: values.displayName.trim() },
      });
      return t('accounts.created', { username: created.username });
    });
  const defaultRole = roleOptions.find((o) => o.value === 'org_admin')?.value ?? roleOptions[0]?.value;
  return (
    <Modal
      open
      title={t('accounts.modal.create')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ role: defaultRole, orgId: defaultOrgId ?? undefined }}>
        <Form.Item
          name="username"
          label={t('accounts.field.username')}
          extra={t('accounts.usernameRule')}
          rules={[
            { required: true, message: t('accounts.required') },
            { pattern: /^[A-Za-z0-9_.-]{3,40}$/, message: t('accounts.usernameRule') },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('accounts.field.displayName')}
          rules={[{ required: true, whitespace: true, message: t('accounts.required') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('accounts.field.role')}
          rules={[{ required: true, message: t('accounts.required') }]}
        >
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item
          name="orgId"
          label={t('accounts.field.orgId')}
          rules={[{ required: true, message: t('accounts.required') }]}
        >
          <OrgTreeSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('accounts.field.password')}
          extra={t('accounts.passwordHint')}
          rules={PASSWORD_RULES(t)}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type EditFields = { displayName: string; role: Role; orgId: number };

function AccountEditModal({
  account,
  roleOptions,
  onClose,
}: {
  account: Account;
  roleOptions: RoleOption[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditFields>();
  const { busy, run } = useSaver<EditFields>(onClose);
  // keep the account's current role selectable even if the editor could not assign it afresh
  const options = roleOptions.some((o) => o.value === account.role)
    ? roleOptions
    : [...roleOptions, { value: account.role, label: t(`role.${account.role}`) }];
  const submit = () =>
    run(form, async (values) => {
      await api<Account>('PATCH', `/api/accounts/${account.id}`, {
        body: { displayName: values.displayName.trim(), role: values.role, orgId: values.orgId },
      });
      return t('accounts.updated');
    });
  return (
    <Modal
      open
      title={t('accounts.modal.edit', { name: account.displayName })}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ displayName: account.displayName, role: account.role, orgId: account.orgId ?? undefined }}
      >
        <Form.Item label={t('accounts.field.username')}>
          <Typography.Text code>{account.username}</Typography.Text>
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('accounts.field.displayName')}
          rules={[{ required: true, whitespace: true, message: t('accounts.required') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('accounts.field.role')}
          rules={[{ required: true, message: t('accounts.required') }]}
        >
          <Select options={options} />
        </Form.Item>
        <Form.Item
          name="orgId"
          label={t('accounts.field.orgId')}
          rules={[{ required: true, message: t('accounts.required') }]}
        >
          <OrgTreeSelect style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PasswordResetModal({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const { busy, run } = useSaver<{ password: string }>(onClose);
  const submit = () =>
    run(form, async ({ password }) => {
      await api<Account>('PATCH', `/api/accounts/${account.id}`, { body: { password } });
      return t('accounts.passwordReset');
    });
  return (
    <Modal
      open
      title={t('accounts.modal.resetPassword', { name: account.displayName })}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('accounts.resetHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="password" label={t('accounts.field.newPassword')} rules={PASSWORD_RULES(t)}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
