import { CheckOutlined, CloseOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  AutoComplete,
  Button,
  Descriptions,
  Drawer,
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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import {
  AWARD_KIND_PRESETS,
  AWARD_NOMINEE_TYPES,
  type AwardKindSchema,
  type NominationDetailSchema,
  type NominationSchema,
} from '../../../../domain/assessment.ts';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan } from '../auth/session.ts';

type Kind = z.infer<typeof AwardKindSchema>;
type Nomination = z.infer<typeof NominationSchema>;
type Detail = z.infer<typeof NominationDetailSchema>;
const KEY = ['awards'] as const;
const thisYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

const STATUS_COLOR: Record<string, string> = { nominated: 'blue', approved: 'green', rejected: 'red' };

function NominationDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const canManage = useCan('assessment.manage');
  const client = useQueryClient();
  const showError = useApiError();
  const [note, setNote] = useState('');
  const detail = useQuery({
    queryKey: [...KEY, 'nomination', id],
    queryFn: () => api<Detail>('GET', `/api/assessments/awards/nominations/${id}`),
  });
  const decide = async (decision: 'approved' | 'rejected') => {
    try {
      await api('POST', `/api/assessments/awards/nominations/${id}/review`, {
        body: { decision, note: note || undefined },
      });
      await client.invalidateQueries({ queryKey: KEY });
    } catch (error) {
      showError(error);
    }
  };
  const d = detail.data;
  return (
    <Drawer
      open
      width={640}
      onClose={onClose}
      title={d ? `${d.kindName} · ${d.nomineeName}` : ''}
      data-testid="nomination-drawer"
    >
      {d && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('awards.org')}>{d.orgName}</Descriptions.Item>
            <Descriptions.Item label={t('awards.year')}>{d.year}</Descriptions.Item>
            <Descriptions.Item label={t('awards.status')}>
              <Tag color={STATUS_COLOR[d.status]}>{t(`awards.statusKind.${d.status}`)}</Tag>
              {d.publishedAt && <Tag color="gold">{t('awards.publishedAt', { at: formatTime(d.publishedAt) })}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('awards.reasons')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{d.reasons}</Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('awards.evidence')}>
              {d.evidence.length === 0
                ? '—'
                : d.evidence.map((e) => (
                    <div key={`${e.title}${e.url ?? ''}`}>
                      {e.url ? (
                        <a href={e.url} target="_blank" rel="noreferrer noopener">
                          {e.title}
                        </a>
                      ) : (
                        e.title
                      )}
                    </div>
                  ))}
            </Descriptions.Item>
            <Descriptions.Item
              label={t('awards.nominatedBy')}
            >{`${d.nominatedBy.name} · ${formatTime(d.createdAt)}`}</Descriptions.Item>
            {d.reviewedBy && (
              <Descriptions.Item label={t('awards.reviewedBy')}>
                {`${d.reviewedBy.name} · ${formatTime(d.reviewedAt!)}${d.reviewNote ? ` · ${d.reviewNote}` : ''}`}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>{t('awards.records')}</Typography.Title>
          <Table
            size="small"
            rowKey={(r) => `${r.schemeName}${r.period}`}
            pagination={false}
            dataSource={d.records.rankings}
            data-testid="nomination-rankings"
            locale={{ emptyText: t('awards.noRankings') }}
            columns={[
              { title: t('rankings.scheme'), dataIndex: 'schemeName' },
              { title: t('rankings.period'), dataIndex: 'period' },
              { title: t('rankings.rank'), render: (_, r) => `${r.rank} / ${r.of}` },
              { title: t('rankings.points'), render: (_, r) => `${r.total} / ${r.maxTotal}` },
              { title: t('rankings.tier'), dataIndex: 'tier', render: (v) => v ?? '—' },
            ]}
          />
          <Table
            size="small"
            rowKey={(r) => `${r.roundName}${r.period}`}
            pagination={false}
            dataSource={d.records.assessments}
            locale={{ emptyText: t('awards.noAssessments') }}
            columns={[
              { title: t('assessments.col.name'), dataIndex: 'roundName' },
              { title: t('assessments.col.period'), dataIndex: 'period' },
              { title: t('awards.overall'), dataIndex: 'overall', render: (v) => (v === null ? '—' : v.toFixed(2)) },
            ]}
          />
          {d.records.other.length > 0 && (
            <Descriptions column={2} size="small">
              {d.records.other.map((o) => (
                <Descriptions.Item key={o.key} label={o.label}>
                  {o.value}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
          {canManage && d.status === 'nominated' && (
            <Space wrap>
              <Input
                placeholder={t('awards.reviewNote')}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                maxLength={500}
                style={{ width: 280 }}
              />
              <Button
                type="primary"
                icon={<CheckOutlined />}
                onClick={() => decide('approved')}
                data-testid="nomination-approve"
              >
                {t('awards.approve')}
              </Button>
              <Button danger icon={<CloseOutlined />} onClick={() => decide('rejected')}>
                {t('awards.reject')}
              </Button>
            </Space>
          )}
        </Space>
      )}
    </Drawer>
  );
}

/** 评优: award kinds, nominations with reasons and evidence, district review and publication. */
export function AwardsPanel() {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const canManage = useCan('assessment.manage');
  const canNominate = useCan('assessment.read');
  const client = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [year, setYear] = useState(thisYear());
  const [kindId, setKindId] = useState<number>();
  const [openId, setOpenId] = useState<number | null>(null);
  const [modal, setModal] = useState<'kind' | 'nominate' | null>(null);
  const [form] = Form.useForm();
  const kinds = useQuery({
    queryKey: [...KEY, 'kinds', districtId ?? null],
    queryFn: () => api<{ items: Kind[] }>('GET', '/api/assessments/awards/kinds', { query: { districtId } }),
  });
  const nominations = useQuery({
    queryKey: [...KEY, 'nominations', districtId ?? null, year, kindId ?? null],
    queryFn: () =>
      api<{ items: Nomination[] }>('GET', '/api/assessments/awards/nominations', {
        query: { districtId, year, kindId, ...(canNominate ? {} : { status: 'published' }) },
      }),
  });

  const submit = async (v: any) => {
    try {
      if (modal === 'kind') {
        await api('POST', '/api/assessments/awards/kinds', {
          body: { districtId, name: v.name, nomineeType: v.nomineeType, description: v.description || undefined },
        });
      } else {
        await api('POST', '/api/assessments/awards/nominations', {
          body: {
            kindId: v.kindId,
            year: v.year,
            orgId: v.orgId,
            nomineeName: v.nomineeName,
            reasons: v.reasons,
            evidence: v.evidenceTitle ? [{ title: v.evidenceTitle, url: v.evidenceUrl || undefined }] : [],
          },
        });
      }
      await client.invalidateQueries({ queryKey: KEY });
      setModal(null);
    } catch (error) {
      showError(error, form, { 'evidence.0.url': 'evidenceUrl', evidence: 'evidenceUrl' });
    }
  };

  const publish = async () => {
    try {
      await api('POST', '/api/assessments/awards/publish', { body: { districtId, kindId, year } });
      await client.invalidateQueries({ queryKey: KEY });
      message.success(t('awards.publishedMsg'));
    } catch (error) {
      showError(error);
    }
  };

  const columns: TableColumnsType<Nomination> = [
    { title: t('awards.kind'), dataIndex: 'kindName' },
    {
      title: t('awards.nominee'),
      dataIndex: 'nomineeName',
      render: (v: string, n) => (
        <a onClick={() => setOpenId(n.id)} data-testid={`nomination-${n.id}`}>
          {v}
        </a>
      ),
    },
    { title: t('awards.org'), dataIndex: 'orgName' },
    { title: t('awards.year'), dataIndex: 'year' },
    {
      title: t('awards.status'),
      key: 'status',
      render: (_, n) => (
        <Space size={4}>
          <Tag color={STATUS_COLOR[n.status]}>{t(`awards.statusKind.${n.status}`)}</Tag>
          {n.publishedAt && <Tag color="gold">{t('awards.published')}</Tag>}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="awards-panel">
      <Space wrap>
        <InputNumber
          value={year}
          min={2000}
          max={2100}
          onChange={(v) => v && setYear(v)}
          addonBefore={t('awards.year')}
        />
        <Select
          allowClear
          style={{ minWidth: 200 }}
          placeholder={t('awards.allKinds')}
          value={kindId}
          onChange={setKindId}
          options={(kinds.data?.items ?? []).map((k) => ({ value: k.id, label: k.name }))}
        />
        {canManage && (
          <Button icon={<PlusOutlined />} onClick={() => setModal('kind')}>
            {t('awards.newKind')}
          </Button>
        )}
        {canNominate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('nominate')} data-testid="nominate">
            {t('awards.nominate')}
          </Button>
        )}
        {canManage && kindId !== undefined && (
          <Popconfirm title={t('awards.publishConfirm')} onConfirm={publish}>
            <Button icon={<SendOutlined />}>{t('awards.publish')}</Button>
          </Popconfirm>
        )}
      </Space>
      <Table<Nomination>
        rowKey="id"
        size="middle"
        loading={nominations.isFetching}
        dataSource={nominations.data?.items ?? []}
        columns={columns}
        pagination={{ pageSize: 50 }}
        data-testid="nominations-table"
      />
      {openId !== null && <NominationDrawer id={openId} onClose={() => setOpenId(null)} />}
      <Modal
        open={modal !== null}
        title={modal === 'kind' ? t('awards.newKind') : t('awards.nominate')}
        onCancel={() => setModal(null)}
        onOk={() => form.submit()}
        destroyOnClose
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={{ year, nomineeType: 'org' }}
        >
          {modal === 'kind' ? (
            <>
              <Form.Item name="name" label={t('awards.kindName')} rules={[{ required: true, max: 100 }]}>
                <AutoComplete
                  options={AWARD_KIND_PRESETS.map((p) => ({ value: p.name }))}
                  onSelect={(v: string) => {
                    const preset = AWARD_KIND_PRESETS.find((p) => p.name === v);
                    if (preset) form.setFieldValue('nomineeType', preset.nomineeType);
                  }}
                />
              </Form.Item>
              <Form.Item name="nomineeType" label={t('awards.nomineeType')}>
                <Select options={AWARD_NOMINEE_TYPES.map((k) => ({ value: k, label: t(`awards.nomineeKind.${k}`) }))} />
              </Form.Item>
              <Form.Item name="description" label={t('awards.description')} rules={[{ max: 500 }]}>
                <Input.TextArea maxLength={500} />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="kindId" label={t('awards.kind')} rules={[{ required: true }]}>
                <Select
                  options={(kinds.data?.items ?? [])
                    .filter((k) => k.active)
                    .map((k) => ({ value: k.id, label: k.name }))}
                />
              </Form.Item>
              <Form.Item name="year" label={t('awards.year')} rules={[{ required: true }]}>
                <InputNumber min={2000} max={2100} />
              </Form.Item>
              <Form.Item name="orgId" label={t('awards.org')} rules={[{ required: true }]} extra={t('awards.orgHint')}>
                <OrgTreeSelect />
              </Form.Item>
              <Form.Item name="nomineeName" label={t('awards.nominee')} rules={[{ required: true, max: 100 }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="reasons" label={t('awards.reasons')} rules={[{ required: true, max: 5000 }]}>
                <Input.TextArea rows={4} maxLength={5000} />
              </Form.Item>
              <Form.Item name="evidenceTitle" label={t('awards.evidenceTitle')} rules={[{ max: 200 }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item
                name="evidenceUrl"
                label={t('awards.evidenceUrl')}
                rules={[{ max: 500, pattern: /^(https?:\/\/|\/)/ }]}
              >
                <Input maxLength={500} placeholder="https://" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
