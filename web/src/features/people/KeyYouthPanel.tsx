import { Alert, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KEY_YOUTH_KINDS, type KeyYouthKind } from '../../../../domain/person.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { formatTime } from '../../lib/i18n.ts';
import { type KeyYouth, useKeyYouth } from './api.ts';

/** 重点青少年 the restricted archive (person.key_youth only; the server audits every read). */
export function KeyYouthPanel({ onOpenPerson }: { onOpenPerson: (id: number) => void }) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [kind, setKind] = useState<KeyYouthKind | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const list = useKeyYouth({ orgId, kind, ...paging });

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
    </Space>
  );
}
