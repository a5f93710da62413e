import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TOWER_CHANNELS } from '../../../../domain/notice.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { useCan } from '../auth/session.ts';
import { AccountSelect } from '../grids/AccountSelect.tsx';
import { useAccountSearch } from '../grids/api.ts';
import { type TowerGroup, useDeactivateTowerGroup, useSaveTowerGroup, useTowerGaps, useTowerGroups } from './api.ts';

type Values = {
  orgId?: number;
  gridId?: number;
  channel: string;
  name: string;
  ident?: string;
  adminAccountId?: number | null;
  instructorAccountIds?: number[];
};

function InstructorSelect({ value, onChange }: { value?: number[]; onChange?: (v: number[]) => void }) {
  const [q, setQ] = useState('');
  const search = useAccountSearch(q, true);
  return (
    <Select<number[]>
      mode="multiple"
      value={value}
      onChange={onChange}
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={search.isFetching}
      options={(search.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.displayName}（${a.username}）` }))}
    />
  );
}

/** 塔群登记: the groups of every level with their admins and instructors, and what is still missing. */
export function TowersPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan('notice.manage');
  const groups = useTowerGroups(true);
  const gaps = useTowerGaps(true);
  const save = useSaveTowerGroup();
  const deactivate = useDeactivateTowerGroup();
  const showError = useApiError();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();

  const submit = async () => {
    const v = await form.validateFields();
    try {
      await save.mutateAsync({ ...v, ident: v.ident || null, adminAccountId: v.adminAccountId ?? null });
      message.success(t('common.saved'));
      setOpen(false);
      form.resetFields();
    } catch (error) {
      showError(error, form);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        size="small"
        title={t('notices.towers.list')}
        extra={
          canManage && (
            <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="tower-create">
              {t('notices.towers.create')}
            </Button>
          )
        }
      >
        <Table<TowerGroup>
          rowKey="id"
          size="small"
          loading={groups.isLoading}
          dataSource={groups.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('notices.towers.owner'),
              render: (_, g) => (g.grid ? `${g.grid.name}（${g.grid.code}）` : g.org?.name),
            },
            { title: t('notices.towers.level'), dataIndex: 'level', render: (l: string) => t(`notices.level.${l}`) },
            {
              title: t('notices.towers.channel'),
              dataIndex: 'channel',
              render: (c: string) => t(`notices.channel.${c}`),
            },
            { title: t('notices.towers.name'), dataIndex: 'name' },
            { title: t('notices.towers.ident'), dataIndex: 'ident' },
            {
              title: t('notices.towers.admin'),
              render: (_, g) => g.admin?.name ?? <Tag color="orange">{t('notices.towers.noAdmin')}</Tag>,
            },
            {
              title: t('notices.towers.instructors'),
              render: (_, g) => g.instructors.map((i) => i.name).join('、'),
            },
            {
              key: 'actions',
              render: (_, g) =>
                canManage && (
                  <Button size="small" danger onClick={() => deactivate.mutate(g.id)}>
                    {t('notices.towers.deactivate')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('notices.towers.gaps')}>
        {gaps.data && (
          <Typography.Paragraph>
            {t('notices.towers.summary', { noGroup: gaps.data.noGroup, noAdmin: gaps.data.noAdmin })}
          </Typography.Paragraph>
        )}
        <Table
          rowKey={(g) => `${g.kind}-${g.id}`}
          size="small"
          loading={gaps.isLoading}
          dataSource={gaps.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('notices.towers.owner'), dataIndex: 'name' },
            { title: t('notices.towers.level'), dataIndex: 'level', render: (l: string) => t(`notices.level.${l}`) },
            { title: t('orgs.field.parent'), dataIndex: 'parentName' },
            {
              title: t('notices.towers.problem'),
              dataIndex: 'problem',
              render: (p: string) => (
                <Tag color={p === 'no_group' ? 'red' : 'orange'}>
                  {t(p === 'no_group' ? 'notices.towers.noGroup' : 'notices.towers.noAdmin')}
                </Tag>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={open}
        title={t('notices.towers.create')}
        onCancel={() => setOpen(false)}
        onOk={submit}
        confirmLoading={save.isPending}
      >
        <Form form={form} layout="vertical" initialValues={{ channel: 'wechat' }}>
          <Form.Item name="orgId" label={t('notices.towers.org')}>
            <OrgTreeSelect allowClear />
          </Form.Item>
          <Form.Item name="gridId" label={t('notices.towers.grid')}>
            <Input type="number" onChange={(e) => form.setFieldValue('gridId', Number(e.target.value) || undefined)} />
          </Form.Item>
          <Form.Item name="channel" label={t('notices.towers.channel')} rules={[{ required: true }]}>
            <Select options={TOWER_CHANNELS.map((c) => ({ value: c, label: t(`notices.channel.${c}`) }))} />
          </Form.Item>
          <Form.Item name="name" label={t('notices.towers.name')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="ident" label={t('notices.towers.ident')}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="adminAccountId" label={t('notices.towers.admin')}>
            <AccountSelect />
          </Form.Item>
          <Form.Item name="instructorAccountIds" label={t('notices.towers.instructors')}>
            <InstructorSelect />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
