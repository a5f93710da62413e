import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VISIT_TARGET_KINDS, type VisitTargetKind } from '../../../../domain/cadre.ts';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { useSession } from '../auth/session.ts';
import { PersonSelect } from './CadresPanel.tsx';
import { cadreKeys, useCadres, useVisitSettings, useVisits, type Visit } from './cadresApi.ts';
import { applyFieldErrors } from './fieldErrors.ts';

/** 走访: visit records of the subtree, the monthly visit day, and a form for a new visit. */
export function VisitsPanel({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const [orgId, setOrgId] = useState<number | undefined>();
  const [targetKind, setTargetKind] = useState<VisitTargetKind | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const visits = useVisits({ orgId, targetKind, ...paging });
  const settings = useVisitSettings();
  const [creating, setCreating] = useState(false);
  const [dayOpen, setDayOpen] = useState(false);
  const isDistrictAdmin = me.account.role === 'district_admin' || me.account.role === 'platform_admin';

  const columns: TableColumnsType<Visit> = [
    {
      title: t('people.cadres.visit.visitedOn'),
      width: 130,
      render: (_, v) => (
        <Space size={4}>
          {v.visitedOn}
          {v.onVisitDay && <Tag color="blue">{t('people.cadres.visit.onVisitDay')}</Tag>}
        </Space>
      ),
    },
    { title: t('people.cadres.visit.org'), render: (_, v) => v.org.name },
    {
      title: t('people.cadres.visit.target'),
      render: (_, v) => (
        <Space size={4}>
          <Tag>{t(`people.cadres.visit.kind.${v.targetKind}`)}</Tag>
          {v.person?.name ?? v.targetName}
        </Space>
      ),
    },
    { title: t('people.cadres.visit.visitor'), render: (_, v) => v.visitor?.name ?? v.createdBy ?? '—' },
    {
      title: t('people.cadres.visit.notes'),
      render: (_, v) => <Typography.Paragraph ellipsis={{ rows: 2 }}>{v.notes}</Typography.Paragraph>,
    },
    {
      title: t('people.cadres.visit.demands'),
      render: (_, v) =>
        v.demands.map((d) => (
          <div key={d.id}>
            <Tag color={d.status === 'open' ? 'orange' : d.status === 'ordered' ? 'green' : undefined}>
              {t(`people.cadres.visit.demandStatus.${d.status}`)}
            </Tag>
            {d.text}
          </div>
        )),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {settings.data && (
        <Alert
          type="info"
          showIcon
          data-testid="visit-day"
          message={t('people.cadres.visit.day', { day: settings.data.visitDay, next: settings.data.nextVisitDay })}
          action={
            isDistrictAdmin ? (
              <Button size="small" onClick={() => setDayOpen(true)}>
                {t('people.cadres.visit.setDay')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Space wrap>
        <OrgTreeSelect value={orgId} onChange={setOrgId} allowClear style={{ width: 220 }} />
        <Select
          value={targetKind}
          onChange={setTargetKind}
          allowClear
          placeholder={t('people.cadres.visit.targetKind')}
          style={{ width: 130 }}
          options={VISIT_TARGET_KINDS.map((k) => ({ value: k, label: t(`people.cadres.visit.kind.${k}`) }))}
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="visit-add">
            {t('people.cadres.visit.create')}
          </Button>
        )}
      </Space>
      <Table<Visit>
        rowKey="id"
        size="middle"
        loading={visits.isFetching}
        dataSource={visits.data?.items ?? []}
        columns={columns}
        data-testid="visit-table"
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: visits.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
      />
      {creating && <VisitModal onClose={() => setCreating(false)} />}
      {dayOpen && settings.data && <VisitDayModal day={settings.data.visitDay} onClose={() => setDayOpen(false)} />}
    </Space>
  );
}

type VisitValues = {
  orgId: number;
  visitedOn: Dayjs;
  targetKind: VisitTargetKind;
  personId?: number;
  targetName?: string;
  visitorPersonId?: number;
  notes: string;
  demands?: string;
};

function VisitModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const [form] = Form.useForm<VisitValues>();
  const kind = Form.useWatch('targetKind', form) ?? 'person';
  const cadres = useCadres({ page: 1, pageSize: 200 });
  const client = useQueryClient();
  const showError = useApiError();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const submit = async (v: VisitValues) => {
    setSaving(true);
    try {
      await api('POST', '/api/visits', {
        body: {
          orgId: v.orgId,
          visitedOn: v.visitedOn.format('YYYY-MM-DD'),
          targetKind: v.targetKind,
          personId: v.targetKind === 'person' ? (v.personId ?? null) : null,
          targetName: v.targetKind === 'person' ? null : (v.targetName?.trim() ?? null),
          visitorPersonId: v.visitorPersonId ?? null,
          notes: v.notes?.trim() ?? '',
          demands: (v.demands ?? '')
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        },
      });
      await client.invalidateQueries({ queryKey: ['visits'] });
      message.success(t('people.cadres.saved'));
      onClose();
    } catch (error) {
      if (!applyFieldErrors(form, error)) showError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      width={620}
      title={t('people.cadres.visit.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'visit-ok' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          targetKind: 'person',
          visitedOn: dayjs().tz('Asia/Shanghai'),
          orgId: me.account.orgId ?? undefined,
        }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="orgId" label={t('people.cadres.visit.org')} rules={[{ required: true }]}>
          <OrgTreeSelect style={{ width: '100%' }} />
        </Form.Item>
        <Space>
          <Form.Item name="visitedOn" label={t('people.cadres.visit.visitedOn')} rules={[{ required: true }]}>
            <DatePicker data-testid="visit-date" />
          </Form.Item>
          <Form.Item name="targetKind" label={t('people.cadres.visit.targetKind')}>
            <Radio.Group
              options={VISIT_TARGET_KINDS.map((k) => ({ value: k, label: t(`people.cadres.visit.kind.${k}`) }))}
            />
          </Form.Item>
        </Space>
        {kind === 'person' ? (
          <Form.Item name="personId" label={t('people.cadres.field.person')} rules={[{ required: true }]}>
            <PersonSelect placeholder={t('people.cadres.pickPerson')} data-testid="visit-person" />
          </Form.Item>
        ) : (
          <Form.Item name="targetName" label={t('people.cadres.visit.targetName')} rules={[{ required: true }]}>
            <Input maxLength={100} data-testid="visit-target-name" />
          </Form.Item>
        )}
        <Form.Item name="visitorPersonId" label={t('people.cadres.visit.visitor')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={(cadres.data?.items ?? []).map((c) => ({ value: c.personId, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="notes" label={t('people.cadres.visit.notes')} rules={[{ required: true }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="visit-notes" />
        </Form.Item>
        <Form.Item name="demands" label={t('people.cadres.visit.demands')} extra={t('people.cadres.visit.demandsHint')}>
          <Input.TextArea rows={3} data-testid="visit-demands" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function VisitDayModal({ day, onClose }: { day: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const [value, setValue] = useState<number | null>(day);
  const client = useQueryClient();
  const showError = useApiError();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      await api('PUT', '/api/visits/settings', { body: { visitDay: value }, query: { districtId } });
      await client.invalidateQueries({ queryKey: cadreKeys.visitSettings(districtId) });
      onClose();
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('people.cadres.visit.setDay')}
      onCancel={onClose}
      onOk={() => void save()}
      confirmLoading={saving}
    >
      <Space>
        {t('people.cadres.visit.dayLabel')}
        <InputNumber min={1} max={28} precision={0} value={value} onChange={setValue} />
      </Space>
    </Modal>
  );
}
