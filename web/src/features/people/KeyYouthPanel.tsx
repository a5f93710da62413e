import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KEY_YOUTH_KINDS, type KeyYouthKind } from '../../../../domain/person.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { ApiError, api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { type KeyYouth, peopleKeys, useKeyYouth } from './api.ts';
import { applyFieldErrors } from './fieldErrors.ts';

/** 重点青少年 the restricted archive (person.key_youth only; the server audits every read). */
export function KeyYouthPanel({ onOpenPerson }: { onOpenPerson: (id: number) => void }) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [kind, setKind] = useState<KeyYouthKind | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const list = useKeyYouth({ orgId, kind, ...paging });
  const [editing, setEditing] = useState<KeyYouth | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  const client = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();

  const remove = async (k: KeyYouth) => {
    setRemoving(k.personId);
    try {
      await api('DELETE', `/api/people/${k.personId}/key-youth`);
      await client.invalidateQueries({ queryKey: peopleKeys.all });
      message.success(t('people.keyYouth.removed', { name: k.personName }));
    } catch (error) {
      showError(error);
    } finally {
      setRemoving(null);
    }
  };

  const columns: TableColumnsType<KeyYouth> = [
    {
      title: t('people.field.name'),
      width: 140,
      render: (_, k) => <Typography.Link onClick={() => onOpenPerson(k.personId)}>{k.personName}</Typography.Link>,
    },
    {
      title: t('people.keyYouth.kind'),
      width: 140,
      render: (_, k) => <Tag color="magenta">{t(`people.keyYouth.kinds.${k.kind}`)}</Tag>,
    },
    { title: t('people.field.org'), width: 200, ellipsis: true, render: (_, k) => k.org.name },
    {
      title: t('people.keyYouth.note'),
      dataIndex: 'note',
      render: (v: string) => (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{v || '—'}</Typography.Paragraph>
      ),
    },
    { title: t('people.field.updatedAt'), width: 150, render: (_, k) => formatTime(k.updatedAt) },
    {
      title: t('common.actions'),
      width: 150,
      render: (_, k) => (
        <Space size={4}>
          <Button size="small" onClick={() => setEditing(k)} data-testid={`key-youth-edit-${k.personId}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('people.keyYouth.removeConfirm', { name: k.personName })} onConfirm={() => remove(k)}>
            <Button size="small" danger loading={removing === k.personId}>
              {t('people.keyYouth.remove')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert type="warning" showIcon message={t('people.keyYouth.restricted')} />
      <Space wrap>
        <OrgTreeSelect
          value={orgId}
          onChange={(v) => {
            setOrgId(v);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          placeholder={t('people.filter.org')}
          allowClear
          style={{ width: 220 }}
        />
        <Select
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          allowClear
          placeholder={t('people.keyYouth.kind')}
          style={{ width: 160 }}
          options={KEY_YOUTH_KINDS.map((k) => ({ value: k, label: t(`people.keyYouth.kinds.${k}`) }))}
        />
      </Space>
      <Table<KeyYouth>
        rowKey="personId"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        scroll={{ x: 800 }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        data-testid="key-youth-table"
      />
      {editing && (
        <KeyYouthModal
          personId={editing.personId}
          personName={editing.personName}
          current={editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Space>
  );
}

/**
 * 标记/编辑重点青少年: kind and support notes of one person. Without `current` it reads the person's
 * record first (an audited read), so it is only opened on purpose.
 */
export function KeyYouthModal({
  personId,
  personName,
  current,
  onClose,
}: {
  personId: number;
  personName: string;
  current?: KeyYouth;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ kind: KeyYouthKind; note: string }>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [saving, setSaving] = useState(false);
  const existing = useQuery({
    queryKey: ['key-youth-one', personId],
    queryFn: async () => {
      try {
        return await api<KeyYouth>('GET', `/api/people/${personId}/key-youth`);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'KEY_YOUTH_NOT_FOUND') return null;
        throw error;
      }
    },
    enabled: !current,
    gcTime: 0,
  });
  const record = current ?? existing.data ?? null;

  const save = async (v: { kind: KeyYouthKind; note?: string }) => {
    setSaving(true);
    try {
      await api('PUT', `/api/people/${personId}/key-youth`, { body: { kind: v.kind, note: v.note?.trim() ?? '' } });
      await client.invalidateQueries({ queryKey: peopleKeys.all });
      message.success(t('people.keyYouth.saved', { name: personName }));
      onClose();
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
      title={t('people.keyYouth.modalTitle', { name: personName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ disabled: !current && existing.isPending, 'data-testid': 'key-youth-save' }}
      data-testid="key-youth-modal"
      destroyOnClose
    >
      <Alert type="warning" showIcon message={t('people.keyYouth.restricted')} style={{ marginBottom: 12 }} />
      {!current && existing.isPending ? (
        <Spin style={{ display: 'block', margin: '24px auto' }} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: record?.kind, note: record?.note ?? '' }}
          onFinish={(v) => void save(v)}
        >
          <Form.Item
            name="kind"
            label={t('people.keyYouth.kind')}
            rules={[{ required: true, message: t('people.form.required') }]}
          >
            <Select options={KEY_YOUTH_KINDS.map((k) => ({ value: k, label: t(`people.keyYouth.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('people.keyYouth.note')} rules={[{ max: 2000 }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
