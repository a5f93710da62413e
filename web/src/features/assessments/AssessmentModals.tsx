import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  type ButtonProps,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_BANDS, type IndicatorSetDefinition } from '../../../../domain/assessment.ts';
import { useDistrict } from '../../app/district.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { useSession } from '../auth/session.ts';
import { useOrgTree } from '../orgs/api.ts';
import { assessmentKeys, type IndicatorSet, type Round, useAssessorAccounts, useSets, useTemplate } from './api.ts';
import { OrgMultiSelect, orgIdsOfKinds, TOWN_KINDS } from './OrgMultiSelect.tsx';

const TZ = 'Asia/Shanghai';

function countItems(definition: IndicatorSetDefinition | undefined): { indicators: number; items: number } {
  if (!definition) return { indicators: 0, items: 0 };
  return {
    indicators: definition.indicators.length,
    items: definition.indicators.reduce((n, i) => n + i.items.length, 0),
  };
}

type SetFields = { name: string; source: 'keqiao' | 'set'; copySetId?: number };

/** 新建指标体系: a copy of the built-in Keqiao template or of one of the district's sets. */
export function SetCreateModal({ onClose }: { onClose: (created?: IndicatorSet) => void }) {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const [form] = Form.useForm<SetFields>();
  const source = Form.useWatch('source', form) ?? 'keqiao';
  const copySetId = Form.useWatch('copySetId', form);
  const template = useTemplate();
  const sets = useSets();
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);

  const preview = countItems(
    source === 'keqiao' ? template.data : sets.data?.items.find((s) => s.id === copySetId)?.definition,
  );

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    setBusy(true);
    try {
      const created = await api<IndicatorSet>('POST', '/api/assessments/sets', {
        query: { districtId },
        body: {
          name: values.name.trim(),
          copyFrom: values.source === 'keqiao' ? 'keqiao' : values.copySetId,
        },
      });
      await client.invalidateQueries({ queryKey: assessmentKeys.sets(districtId) });
      message.success(t('assessments.set.created', { name: created.name }));
      onClose(created);
    } catch (error) {
      showError(error, form, { copyFrom: 'copySetId' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('assessments.set.create')}
      onOk={() => void submit()}
      onCancel={() => onClose()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'set-create-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ source: 'keqiao', name: t('assessments.set.defaultName') }}
        data-testid="set-create-form"
      >
        <Form.Item
          name="name"
          label={t('assessments.set.name')}
          rules={[{ required: true, whitespace: true, message: t('assessments.required') }]}
        >
          <Input maxLength={100} data-testid="set-name" />
        </Form.Item>
        <Form.Item name="source" label={t('assessments.set.source')}>
          <Radio.Group data-testid="set-source">
            <Space direction="vertical">
              <Radio value="keqiao" data-testid="set-source-keqiao">
                {t('assessments.set.sourceKeqiao')}
              </Radio>
              <Radio value="set" disabled={(sets.data?.items.length ?? 0) === 0} data-testid="set-source-set">
                {t('assessments.set.sourceSet')}
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {source === 'set' && (
          <Form.Item
            name="copySetId"
            label={t('assessments.set.copyFrom')}
            rules={[{ required: true, message: t('assessments.required') }]}
          >
            <Select
              data-testid="set-copy-from"
              options={(sets.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
        )}
        <Typography.Text type="secondary" data-testid="set-preview">
          {t('assessments.set.preview', preview)}
        </Typography.Text>
      </Form>
    </Modal>
  );
}

type RoundFields = {
  setId: number;
  name: string;
  period: string;
  deadline: Dayjs;
  orgIds: number[];
  assessorIds: number[];
  veryGood: number;
  acceptable: number;
  mode: 'district' | 'self_review';
};

function defaultPeriod(lang: string): { period: string; deadline: Dayjs } {
  const now = dayjs().tz(TZ);
  const quarter = Math.floor(now.month() / 3) + 1;
  const period = lang === 'en' ? `${now.year()} Q${quarter}` : `${now.year()}年第${'一二三四'[quarter - 1]}季度`;
  const end = dayjs(`${now.year()}-${String(quarter * 3).padStart(2, '0')}-01`)
    .endOf('month')
    .hour(23)
    .minute(59)
    .second(0)
    .millisecond(0);
  // less than a week left in the quarter: give the assessors two weeks instead
  const deadline =
    end.diff(dayjs(now.format('YYYY-MM-DD')), 'day') < 7 ? dayjs().add(14, 'day').hour(23).minute(59).second(0) : end;
  return { period, deadline };
}

/** The picked wall-clock time, read as Beijing time, as ISO 8601 with its +08:00 offset. */
export function toShanghaiIso(value: Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), TZ).format();
}

/** 新建测评: set, name, period, deadline, assessed orgs and assessors (and the band thresholds). */
export function RoundCreateModal({
  onClose,
  onCreateSet,
  presetSetId,
}: {
  onClose: (created?: Round) => void;
  onCreateSet: () => void;
  presetSetId?: number;
}) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const { districtId } = useDistrict();
  const [form] = Form.useForm<RoundFields>();
  const sets = useSets();
  const accounts = useAssessorAccounts(true);
  const tree = useOrgTree();
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);

  const initial = useMemo(() => {
    const { period, deadline } = defaultPeriod(i18n.language);
    return {
      period,
      deadline,
      name: t('assessments.round.defaultName', { period }),
      assessorIds: [me.account.id],
      orgIds: [] as number[],
      veryGood: DEFAULT_BANDS.veryGood,
      acceptable: DEFAULT_BANDS.acceptable,
      setId: presetSetId,
    };
  }, [i18n.language, t, me.account.id, presetSetId]);

  // default to the newest set once the sets are known
  const newestSetId = sets.data?.items.reduce<number | undefined>(
    (max, s) => (max === undefined || s.id > max ? s.id : max),
    undefined,
  );
  useEffect(() => {
    if (newestSetId !== undefined && form.getFieldValue('setId') === undefined)
      form.setFieldValue('setId', newestSetId);
  }, [newestSetId, form]);

  const setOptions = (sets.data?.items ?? []).map((s) => {
    const c = countItems(s.definition);
    return { value: s.id, label: `${s.name}（${t('assessments.set.preview', c)}）` };
  });
  const accountOptions = (accounts.data?.items ?? [])
    .filter((a) => a.active || initial.assessorIds.includes(a.id))
    .map((a) => ({
      value: a.id,
      label: `${a.displayName}（${a.username}${a.orgName ? ` · ${a.orgName}` : ''}）`,
    }));

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    setBusy(true);
    try {
      const created = await api<Round>('POST', '/api/assessments/rounds', {
        query: { districtId },
        body: {
          setId: values.setId,
          name: values.name.trim(),
          period: values.period.trim(),
          deadline: toShanghaiIso(values.deadline),
          orgIds: values.orgIds,
          assessorIds: values.assessorIds,
          thresholds: { veryGood: values.veryGood, acceptable: values.acceptable },
          mode: values.mode ?? 'district',
        },
      });
      await client.invalidateQueries({ queryKey: assessmentKeys.rounds(districtId) });
      message.success(t('assessments.round.created', { name: created.name }));
      onClose(created);
    } catch (error) {
      showError(error, form, { thresholds: 'veryGood' });
    } finally {
      setBusy(false);
    }
  };

  const addTowns = () => {
    const current: number[] = form.getFieldValue('orgIds') ?? [];
    const towns = orgIdsOfKinds(tree.data?.roots ?? [], TOWN_KINDS);
    form.setFieldValue('orgIds', [...new Set([...current, ...towns])]);
    void form.validateFields(['orgIds']).catch(() => undefined);
  };

  return (
    <Modal
      open
      title={t('assessments.round.create')}
      onOk={() => void submit()}
      onCancel={() => onClose()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'round-create-ok' } as ButtonProps}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} data-testid="round-create-form">
        <Form.Item
          name="setId"
          label={t('assessments.round.set')}
          rules={[{ required: true, message: t('assessments.required') }]}
          extra={
            setOptions.length === 0 && !sets.isLoading ? (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={onCreateSet}>
                {t('assessments.round.noSet')}
              </Button>
            ) : undefined
          }
        >
          <Select data-testid="round-set" options={setOptions} loading={sets.isLoading} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('assessments.round.name')}
          rules={[{ required: true, whitespace: true, message: t('assessments.required') }]}
        >
          <Input maxLength={100} data-testid="round-name" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item
            name="period"
            label={t('assessments.round.period')}
            rules={[{ required: true, whitespace: true, message: t('assessments.required') }]}
            style={{ flex: '1 1 200px' }}
          >
            <Input maxLength={50} data-testid="round-period" />
          </Form.Item>
          <Form.Item
            name="deadline"
            label={t('assessments.round.deadline')}
            extra={t('assessments.round.deadlineHint')}
            rules={[{ required: true, message: t('assessments.required') }]}
            style={{ flex: '1 1 200px' }}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
              data-testid="round-deadline"
            />
          </Form.Item>
        </div>
        <Form.Item
          label={
            <Space>
              {t('assessments.round.orgs')}
              <Button size="small" type="link" onClick={addTowns} data-testid="round-orgs-towns">
                {t('assessments.round.addTowns')}
              </Button>
            </Space>
          }
          required
        >
          <Form.Item
            name="orgIds"
            noStyle
            rules={[{ required: true, type: 'array', min: 1, message: t('assessments.round.orgsRequired') }]}
          >
            <OrgMultiSelect data-testid="round-orgs" placeholder={t('assessments.round.orgsPlaceholder')} />
          </Form.Item>
        </Form.Item>
        <Form.Item
          name="mode"
          label={t('insights.mode.label')}
          initialValue="district"
          extra={t('insights.mode.reviewersHint')}
        >
          <Radio.Group data-testid="round-mode">
            <Space direction="vertical">
              <Radio value="district">{t('insights.mode.district')}</Radio>
              <Radio value="self_review">{t('insights.mode.self_review')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="assessorIds"
          label={t('assessments.round.assessors')}
          rules={[{ required: true, type: 'array', min: 1, message: t('assessments.round.assessorsRequired') }]}
        >
          <Select
            mode="multiple"
            data-testid="round-assessors"
            options={accountOptions}
            loading={accounts.isLoading}
            optionFilterProp="label"
            maxTagCount="responsive"
            placeholder={t('assessments.round.assessorsPlaceholder')}
          />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="veryGood" label={t('assessments.round.veryGood')} rules={[{ required: true }]}>
            <InputNumber min={1} max={7} step={0.1} precision={2} data-testid="round-very-good" />
          </Form.Item>
          <Form.Item
            name="acceptable"
            label={t('assessments.round.acceptable')}
            dependencies={['veryGood']}
            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: (_, value: number | null) =>
                  value === null || value === undefined || value <= getFieldValue('veryGood')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('assessments.round.thresholdOrder'))),
              }),
            ]}
          >
            <InputNumber min={1} max={7} step={0.1} precision={2} data-testid="round-acceptable" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
