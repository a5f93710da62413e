import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CADRE_POSTS, type CadrePost, CONTACT_CHANNELS, RECRUITED_FROM } from '../../../../domain/cadre.ts';
import type { Person } from '../../../../domain/person.ts';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api, type Page } from '../../lib/api.ts';
import { type Cadre, cadreKeys, useCadre, useCadres, useContactLogs, useCoverage } from './cadresApi.ts';
import { applyFieldErrors } from './fieldErrors.ts';

/** Picks people of the caller's scope by name (the registry list, so withdrawn and key youth never show). */
export function PersonSelect(props: {
  value?: number | number[];
  onChange?: (v: any) => void;
  multiple?: boolean;
  placeholder?: string;
  'data-testid'?: string;
}) {
  const { districtId } = useDistrict();
  const [q, setQ] = useState('');
  const search = useQuery({
    queryKey: ['people', 'pick', districtId ?? null, q],
    queryFn: () => api<Page<Person>>('GET', '/api/people', { query: { districtId, q: q || undefined, pageSize: 30 } }),
  });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      onSearch={setQ}
      mode={props.multiple ? 'multiple' : undefined}
      value={props.value}
      onChange={props.onChange}
      placeholder={props.placeholder}
      loading={search.isFetching}
      options={(search.data?.items ?? []).map((p) => ({
        value: p.id,
        label: `${p.name}${p.homeGrid ? `（${p.homeGrid.name}）` : p.branchOrg ? `（${p.branchOrg.name}）` : ''}`,
      }))}
      style={{ width: '100%' }}
      data-testid={props['data-testid']}
    />
  );
}

const pct = (r: number) => Math.round(r * 100);

/** 团干部 1+100: the cadres of the subtree, this quarter's coverage and who has not been contacted. */
export function CadresPanel({ canWrite, onOpenPerson }: { canWrite: boolean; onOpenPerson: (id: number) => void }) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [post, setPost] = useState<CadrePost | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const list = useCadres({ orgId, post, q, ...paging });
  const coverage = useCoverage(orgId);
  const [open, setOpen] = useState<number | null>(null);
  const [making, setMaking] = useState(false);

  const columns: TableColumnsType<Cadre> = [
    {
      title: t('people.cadres.field.name'),
      render: (_, c) => (
        <Typography.Link onClick={() => setOpen(c.personId)} data-testid={`cadre-open-${c.personId}`}>
          {c.name}
        </Typography.Link>
      ),
    },
    { title: t('people.cadres.field.org'), render: (_, c) => c.homeGrid?.name ?? c.org.name },
    {
      title: t('people.cadres.field.posts'),
      render: (_, c) => c.posts.map((p) => <Tag key={p}>{t(`people.cadres.post.${p}`)}</Tag>),
    },
    {
      title: t('people.cadres.field.recruitedFrom'),
      render: (_, c) => (c.recruitedFrom ? t(`people.cadres.recruitedFrom.${c.recruitedFrom}`) : '—'),
    },
    { title: t('people.cadres.field.contacts'), dataIndex: 'contacts', width: 100 },
    {
      title: t('people.cadres.field.contactedThisQuarter'),
      width: 200,
      render: (_, c) => (
        <Progress
          size="small"
          percent={c.contacts ? pct(c.contactedThisQuarter / c.contacts) : 0}
          format={() => `${c.contactedThisQuarter}/${c.contacts}`}
        />
      ),
    },
    { title: t('people.cadres.field.trainings'), dataIndex: 'trainings', width: 80 },
  ];

  const cov = coverage.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {cov && (
        <Card
          size="small"
          title={t('people.cadres.coverage.title', cov.quarter)}
          data-testid="cadre-coverage"
          extra={<OrgTreeSelect value={orgId} onChange={setOrgId} allowClear style={{ width: 220 }} />}
        >
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title={t('people.cadres.coverage.cadres')} value={cov.cadres} />
            </Col>
            <Col span={6}>
              <Statistic title={t('people.cadres.coverage.contacts')} value={cov.contacts} />
            </Col>
            <Col span={6}>
              <Statistic title={t('people.cadres.coverage.contacted')} value={cov.contacted} />
            </Col>
            <Col span={6}>
              <Statistic
                title={t('people.cadres.coverage.rate')}
                value={pct(cov.rate)}
                suffix="%"
                data-testid="cadre-coverage-rate"
              />
            </Col>
          </Row>
          {cov.notContactedTotal > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 12 }}>
                {t('people.cadres.coverage.notContacted', { total: cov.notContactedTotal })}
              </Typography.Title>
              <Table
                size="small"
                rowKey={(r) => `${r.cadrePersonId}-${r.personId}`}
                dataSource={cov.notContacted}
                pagination={{ pageSize: 10 }}
                data-testid="cadre-not-contacted"
                columns={[
                  { title: t('people.cadres.post.secretary'), dataIndex: 'cadreName' },
                  {
                    title: t('people.cadres.field.person'),
                    render: (_, r) => (
                      <Typography.Link onClick={() => onOpenPerson(r.personId)}>{r.personName}</Typography.Link>
                    ),
                  },
                  {
                    title: t('people.cadres.field.lastContactOn'),
                    render: (_, r) => r.lastContactOn ?? t('people.cadres.coverage.never'),
                  },
                ]}
              />
            </>
          )}
        </Card>
      )}
      <Space wrap>
        <Select
          value={post}
          onChange={setPost}
          allowClear
          placeholder={t('people.cadres.filter.post')}
          style={{ width: 140 }}
          options={CADRE_POSTS.map((p) => ({ value: p, label: t(`people.cadres.post.${p}`) }))}
        />
        <Input.Search
          allowClear
          placeholder={t('people.cadres.filter.q')}
          onSearch={(v) => setQ(v.trim() || undefined)}
          style={{ width: 200 }}
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setMaking(true)} data-testid="cadre-add">
            {t('people.cadres.action.add')}
          </Button>
        )}
      </Space>
      <Table<Cadre>
        rowKey="personId"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        data-testid="cadre-table"
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
      />
      {making && <CadreModal onClose={() => setMaking(false)} onSaved={(id) => setOpen(id)} />}
      {open !== null && (
        <CadreDrawer id={open} canWrite={canWrite} onClose={() => setOpen(null)} onOpenPerson={onOpenPerson} />
      )}
    </Space>
  );
}

function CadreModal({
  cadre,
  onClose,
  onSaved,
}: {
  cadre?: Cadre;
  onClose: () => void;
  onSaved: (id: number) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const client = useQueryClient();
  const showError = useApiError();
  const [saving, setSaving] = useState(false);
  const submit = async (v: { personId: number; posts: CadrePost[]; recruitedFrom?: string }) => {
    setSaving(true);
    try {
      const id = cadre?.personId ?? v.personId;
      await api('PUT', `/api/cadres/${id}`, { body: { posts: v.posts, recruitedFrom: v.recruitedFrom ?? null } });
      await client.invalidateQueries({ queryKey: cadreKeys.all });
      onClose();
      onSaved(id);
    } catch (error) {
      if (!applyFieldErrors(form, error)) showError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={cadre ? t('people.cadres.action.edit') : t('people.cadres.action.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'cadre-modal-ok' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={cadre ? { posts: cadre.posts, recruitedFrom: cadre.recruitedFrom ?? undefined } : {}}
        onFinish={(v) => void submit(v)}
      >
        {!cadre && (
          <Form.Item name="personId" label={t('people.cadres.field.person')} rules={[{ required: true }]}>
            <PersonSelect placeholder={t('people.cadres.pickPerson')} data-testid="cadre-person" />
          </Form.Item>
        )}
        <Form.Item name="posts" label={t('people.cadres.field.posts')} rules={[{ required: true }]}>
          <Select
            mode="multiple"
            data-testid="cadre-posts"
            options={CADRE_POSTS.map((p) => ({ value: p, label: t(`people.cadres.post.${p}`) }))}
          />
        </Form.Item>
        <Form.Item name="recruitedFrom" label={t('people.cadres.field.recruitedFrom')}>
          <Select
            allowClear
            options={RECRUITED_FROM.map((p) => ({ value: p, label: t(`people.cadres.recruitedFrom.${p}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CadreDrawer({
  id,
  canWrite,
  onClose,
  onOpenPerson,
}: {
  id: number;
  canWrite: boolean;
  onClose: () => void;
  onOpenPerson: (id: number) => void;
}) {
  const { t } = useTranslation();
  const cadre = useCadre(id);
  const logs = useContactLogs(id);
  const client = useQueryClient();
  const showError = useApiError();
  const { message } = App.useApp();
  const [modal, setModal] = useState<'edit' | 'contacts' | 'log' | 'training' | null>(null);
  const [logFor, setLogFor] = useState<number | undefined>();
  const refresh = () => client.invalidateQueries({ queryKey: cadreKeys.all });
  const c = cadre.data;

  const remove = async (personId: number) => {
    try {
      await api('DELETE', `/api/cadres/${id}/contacts/${personId}`);
      await refresh();
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Drawer open width={760} title={c?.name} onClose={onClose} data-testid="cadre-drawer">
      {c && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap>
            {c.posts.map((p) => (
              <Tag key={p} color="blue">
                {t(`people.cadres.post.${p}`)}
              </Tag>
            ))}
            {c.recruitedFrom && <Tag>{t(`people.cadres.recruitedFrom.${c.recruitedFrom}`)}</Tag>}
            <Typography.Text type="secondary">{c.homeGrid?.name ?? c.org.name}</Typography.Text>
          </Space>
          <Space wrap>
            {canWrite && (
              <>
                <Button onClick={() => setModal('edit')}>{t('people.cadres.action.edit')}</Button>
                <Button
                  type="primary"
                  onClick={() => setModal('contacts')}
                  disabled={c.contacts >= 100}
                  data-testid="cadre-add-contacts"
                >
                  {t('people.cadres.action.addContacts')}
                </Button>
                <Button onClick={() => setModal('training')}>{t('people.cadres.action.addTraining')}</Button>
              </>
            )}
            <Button
              icon={<DownloadOutlined />}
              href={`/api/cadres/${id}/work-ledger.xlsx`}
              download
              data-testid="cadre-ledger"
            >
              {t('people.cadres.action.ledger')}
            </Button>
          </Space>
          <Typography.Title level={5}>
            {t('people.cadres.detail.contactList', { n: c.contacts })}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.quarter.from} – {c.quarter.to}: {c.contactedThisQuarter}/{c.contacts}
            </Typography.Text>
          </Typography.Title>
          <Table
            size="small"
            rowKey="personId"
            dataSource={c.contactList}
            pagination={{ pageSize: 10 }}
            data-testid="cadre-contacts"
            columns={[
              {
                title: t('people.cadres.field.person'),
                render: (_, r) => <Typography.Link onClick={() => onOpenPerson(r.personId)}>{r.name}</Typography.Link>,
              },
              { title: t('people.cadres.field.org'), render: (_, r) => r.homeGrid?.name ?? r.org.name },
              {
                title: t('people.cadres.field.lastContactOn'),
                render: (_, r) =>
                  r.lastContactOn && r.lastContactOn >= c.quarter.from ? (
                    <Tag color="green">{r.lastContactOn}</Tag>
                  ) : (
                    <Tag color="orange">{r.lastContactOn ?? t('people.cadres.coverage.never')}</Tag>
                  ),
              },
              ...(canWrite
                ? [
                    {
                      title: '',
                      width: 170,
                      render: (_: unknown, r: { personId: number }) => (
                        <Space>
                          <Button
                            size="small"
                            onClick={() => {
                              setLogFor(r.personId);
                              setModal('log');
                            }}
                            data-testid={`cadre-log-${r.personId}`}
                          >
                            {t('people.cadres.action.logContact')}
                          </Button>
                          <Popconfirm
                            title={t('people.cadres.action.remove')}
                            onConfirm={() => void remove(r.personId)}
                          >
                            <Button size="small" danger>
                              {t('people.cadres.action.remove')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Typography.Title level={5}>{t('people.cadres.detail.log')}</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            dataSource={logs.data?.items ?? []}
            pagination={{ pageSize: 10 }}
            data-testid="cadre-logs"
            columns={[
              { title: t('people.cadres.field.contactedOn'), dataIndex: 'contactedOn', width: 110 },
              { title: t('people.cadres.field.person'), render: (_, r) => r.person.name },
              { title: t('people.cadres.field.channel'), render: (_, r) => t(`people.cadres.channel.${r.channel}`) },
              { title: t('people.cadres.field.note'), dataIndex: 'note' },
            ]}
          />
          <Typography.Title level={5}>{t('people.cadres.detail.trainingList')}</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            dataSource={c.trainingList}
            pagination={false}
            columns={[
              { title: t('people.cadres.field.heldOn'), dataIndex: 'heldOn', width: 110 },
              { title: t('people.cadres.field.title'), dataIndex: 'title' },
              { title: t('people.cadres.field.hours'), dataIndex: 'hours', width: 80 },
              { title: t('people.cadres.field.note'), dataIndex: 'note' },
            ]}
          />
        </Space>
      )}
      {modal === 'edit' && c && <CadreModal cadre={c} onClose={() => setModal(null)} onSaved={() => undefined} />}
      {modal && modal !== 'edit' && (
        <CadreActionModal
          kind={modal}
          cadreId={id}
          personId={logFor}
          onClose={() => setModal(null)}
          onDone={async () => {
            setModal(null);
            message.success(t('people.cadres.saved'));
            await refresh();
          }}
        />
      )}
    </Drawer>
  );
}

type ActionValues = {
  personIds?: number[];
  personId?: number;
  contactedOn?: Dayjs;
  channel?: string;
  note?: string;
  title?: string;
  heldOn?: Dayjs;
  hours?: number;
};

function CadreActionModal({
  kind,
  cadreId,
  personId,
  onClose,
  onDone,
}: {
  kind: 'contacts' | 'log' | 'training';
  cadreId: number;
  personId?: number;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ActionValues>();
  const showError = useApiError();
  const [saving, setSaving] = useState(false);
  const submit = async (v: ActionValues) => {
    setSaving(true);
    try {
      if (kind === 'contacts')
        await api('POST', `/api/cadres/${cadreId}/contacts`, { body: { personIds: v.personIds } });
      else if (kind === 'log')
        await api('POST', `/api/cadres/${cadreId}/contact-logs`, {
          body: {
            personId,
            contactedOn: v.contactedOn?.format('YYYY-MM-DD'),
            channel: v.channel,
            note: v.note?.trim() || null,
          },
        });
      else
        await api('POST', `/api/cadres/${cadreId}/trainings`, {
          body: {
            title: v.title,
            heldOn: v.heldOn?.format('YYYY-MM-DD'),
            hours: v.hours ?? null,
            note: v.note?.trim() || null,
          },
        });
      await onDone();
    } catch (error) {
      if (!applyFieldErrors(form, error)) showError(error);
    } finally {
      setSaving(false);
    }
  };
  const title =
    kind === 'contacts'
      ? t('people.cadres.action.addContacts')
      : kind === 'log'
        ? t('people.cadres.action.logContact')
        : t('people.cadres.action.addTraining');
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'cadre-action-ok' }}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ channel: 'phone' }}>
        {kind === 'contacts' && (
          <Form.Item
            name="personIds"
            label={t('people.cadres.pickPeople')}
            extra={t('people.cadres.detail.limit')}
            rules={[{ required: true }]}
          >
            <PersonSelect multiple data-testid="cadre-contacts-pick" />
          </Form.Item>
        )}
        {kind === 'log' && (
          <>
            <Form.Item name="contactedOn" label={t('people.cadres.field.contactedOn')} rules={[{ required: true }]}>
              <DatePicker data-testid="cadre-log-date" />
            </Form.Item>
            <Form.Item name="channel" label={t('people.cadres.field.channel')} rules={[{ required: true }]}>
              <Select options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`people.cadres.channel.${c}`) }))} />
            </Form.Item>
          </>
        )}
        {kind === 'training' && (
          <>
            <Form.Item name="title" label={t('people.cadres.field.title')} rules={[{ required: true }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="heldOn" label={t('people.cadres.field.heldOn')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="hours" label={t('people.cadres.field.hours')}>
              <InputNumber min={0.5} max={500} step={0.5} />
            </Form.Item>
          </>
        )}
        {kind !== 'contacts' && (
          <Form.Item name="note" label={t('people.cadres.field.note')}>
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
