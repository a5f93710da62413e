import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Col,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Tooltip,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Boundary,
  CHANNEL_TYPES,
  canBeResponsibleOrg,
  GRID_KINDS,
  type GridChannel,
  type GridKind,
  isCircleKind,
} from '../../../../domain/grid.ts';
import type { OrgTreeNode } from '../../../../domain/org.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { useOrgTree } from '../orgs/api.ts';
import { AccountSelect } from './AccountSelect.tsx';
import { type Grid, type GridWriteResult, gridKeys } from './api.ts';
import { BoundaryEditor } from './BoundaryEditor.tsx';

type Values = {
  code: string;
  name: string;
  kind: GridKind;
  orgId?: number;
  leaderAccountId?: number | null;
  contactAccountId?: number | null;
  venue?: string;
  channels?: GridChannel[];
  serviceProject?: string;
  youthCount?: number | null;
  memberCount?: number | null;
  linkedOrgIds?: number[];
  boundary?: Boundary | null;
  repair: boolean;
};

const orgKindDisabled = (node: OrgTreeNode) => !canBeResponsibleOrg(node.kind);
const blank = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

/** 新建/编辑网格 The grid's fields on the left, its polygon on the map on the right. */
export function GridFormDrawer({
  grid,
  onClose,
  onSaved,
}: {
  grid: Grid | null;
  onClose: () => void;
  onSaved: (grid: GridWriteResult) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [saving, setSaving] = useState(false);
  const kind = Form.useWatch('kind', form) ?? grid?.kind ?? 'community';
  const circle = isCircleKind(kind);
  const tree = useOrgTree();

  const initialBoundary = useMemo<Boundary | null>(
    () => (grid?.boundary ? { type: 'MultiPolygon', coordinates: grid.boundary.coordinates } : null),
    [grid],
  );
  const initialValues = useMemo<Partial<Values>>(
    () =>
      grid
        ? {
            code: grid.code,
            name: grid.name,
            kind: grid.kind,
            orgId: grid.orgId,
            leaderAccountId: grid.leader?.id ?? null,
            contactAccountId: grid.contact?.id ?? null,
            venue: grid.venue ?? '',
            channels: grid.channels,
            serviceProject: grid.serviceProject ?? '',
            youthCount: grid.youthCount,
            memberCount: grid.memberCount,
            linkedOrgIds: grid.linkedOrgs.map((o) => o.id),
            boundary: initialBoundary,
            repair: true,
          }
        : { kind: 'community', channels: [], linkedOrgIds: [], boundary: null, repair: true },
    [grid, initialBoundary],
  );

  // 下沉组织: the non-hierarchical orgs of the caller's tree (plus any already linked)
  const linkOptions = useMemo(() => {
    const options: { value: number; label: string }[] = [];
    const walk = (nodes: OrgTreeNode[]) => {
      for (const n of nodes) {
        if (!n.hierarchical && n.active) options.push({ value: n.id, label: `${n.name}（${t(`orgKind.${n.kind}`)}）` });
        walk(n.children);
      }
    };
    walk(tree.data?.roots ?? []);
    for (const o of grid?.linkedOrgs ?? []) {
      if (!options.some((x) => x.value === o.id)) options.push({ value: o.id, label: o.name });
    }
    return options;
  }, [tree.data, grid, t]);

  const submit = async (values: Values) => {
    setSaving(true);
    const body = {
      code: values.code.trim(),
      name: values.name.trim(),
      kind: values.kind,
      orgId: values.orgId,
      leaderAccountId: values.leaderAccountId ?? null,
      contactAccountId: values.contactAccountId ?? null,
      venue: blank(values.venue),
      channels: (values.channels ?? [])
        .filter((c) => c?.name?.trim())
        .map((c) => ({ type: c.type, name: c.name.trim(), ident: blank(c.ident), admin: blank(c.admin) })),
      serviceProject: blank(values.serviceProject),
      youthCount: values.youthCount ?? null,
      memberCount: values.memberCount ?? null,
      linkedOrgIds: values.linkedOrgIds ?? [],
      repair: values.repair,
    };
    const boundary = isCircleKind(values.kind) ? null : (values.boundary ?? null);
    const boundaryChanged = !grid || boundary !== initialBoundary;
    try {
      const saved = grid
        ? await api<GridWriteResult>('PATCH', `/api/grids/${grid.id}`, {
            body: boundaryChanged ? { ...body, boundary } : body,
          })
        : await api<GridWriteResult>('POST', '/api/grids', { body: { ...body, boundary } });
      await client.invalidateQueries({ queryKey: gridKeys.all });
      message.success(t(grid ? 'grids.form.updated' : 'grids.form.created', { name: saved.name }));
      if (saved.boundaryNotice?.repaired) {
        modal.warning({
          title: t('grids.form.repairedTitle'),
          content: t('grids.form.repaired', { reason: saved.boundaryNotice.repaired }),
        });
      }
      onSaved(saved);
    } catch (error) {
      showError(error, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width="min(1280px, 100vw)"
      title={grid ? t('grids.form.editTitle', { name: grid.name }) : t('grids.form.createTitle')}
      onClose={onClose}
      destroyOnClose
      data-testid="grid-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="grid-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(v) => void submit(v)}
        requiredMark="optional"
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} lg={10}>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item
                  name="code"
                  label={t('grids.field.code')}
                  rules={[
                    { required: true, message: t('grids.form.required') },
                    { pattern: /^[A-Za-z0-9_.\-/]+$/, message: t('grids.form.codePattern') },
                    { max: 40 },
                  ]}
                >
                  <Input data-testid="grid-code" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="name"
                  label={t('grids.field.name')}
                  rules={[{ required: true, whitespace: true, message: t('grids.form.required') }, { max: 100 }]}
                >
                  <Input data-testid="grid-name" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="kind" label={t('grids.field.kind')} rules={[{ required: true }]}>
                  <Select
                    data-testid="grid-kind"
                    options={GRID_KINDS.map((k) => ({
                      value: k,
                      label: `${t(`grids.kind.${k}`)}${isCircleKind(k) ? ` · ${t('grids.circle')}` : ''}`,
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="orgId"
                  label={t('grids.field.org')}
                  tooltip={t('grids.form.orgHint')}
                  rules={[{ required: true, message: t('grids.form.required') }]}
                >
                  <OrgTreeSelect isDisabled={orgKindDisabled} data-testid="grid-org" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="leaderAccountId" label={t('grids.field.leader')}>
                  <AccountSelect initial={grid?.leader} data-testid="grid-leader" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="contactAccountId" label={t('grids.field.contact')}>
                  <AccountSelect initial={grid?.contact} data-testid="grid-contact" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="youthCount" label={t('grids.field.youthCount')}>
                  <InputNumber min={0} max={1000000} precision={0} style={{ width: '100%' }} data-testid="grid-youth" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="memberCount" label={t('grids.field.memberCount')}>
                  <InputNumber
                    min={0}
                    max={1000000}
                    precision={0}
                    style={{ width: '100%' }}
                    data-testid="grid-members"
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="venue" label={t('grids.field.venue')} rules={[{ max: 200 }]}>
              <Input data-testid="grid-venue" />
            </Form.Item>
            <Form.Item name="serviceProject" label={t('grids.field.serviceProject')} rules={[{ max: 500 }]}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="grid-service" />
            </Form.Item>
            <Form.Item name="linkedOrgIds" label={t('grids.field.linkedOrgs')} tooltip={t('grids.form.linkedHint')}>
              <Select mode="multiple" showSearch optionFilterProp="label" options={linkOptions} allowClear />
            </Form.Item>
            <Divider orientation="left" plain style={{ margin: '4px 0 12px' }}>
              {t('grids.field.channels')}
            </Divider>
            <Form.List name="channels">
              {(fields, { add, remove }, { errors }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap size={4} style={{ display: 'flex' }}>
                      <Form.Item name={[field.name, 'type']} rules={[{ required: true }]} style={{ width: 110 }}>
                        <Select options={CHANNEL_TYPES.map((c) => ({ value: c, label: t(`grids.channel.${c}`) }))} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'name']}
                        rules={[{ required: true, whitespace: true, message: t('grids.form.required') }, { max: 100 }]}
                        style={{ width: 140 }}
                      >
                        <Input placeholder={t('grids.channelField.name')} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'ident']} rules={[{ max: 300 }]} style={{ width: 130 }}>
                        <Input placeholder={t('grids.channelField.ident')} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'admin']} rules={[{ max: 50 }]} style={{ width: 90 }}>
                        <Input placeholder={t('grids.channelField.admin')} />
                      </Form.Item>
                      <Tooltip title={t('grids.form.removeChannel')}>
                        <MinusCircleOutlined onClick={() => remove(field.name)} />
                      </Tooltip>
                    </Space>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ type: 'wechat_group', name: '' })}
                    disabled={fields.length >= 20}
                    data-testid="grid-add-channel"
                  >
                    {t('grids.form.addChannel')}
                  </Button>
                </>
              )}
            </Form.List>
          </Col>
          <Col xs={24} lg={14}>
            <Form.Item
              name="boundary"
              label={t('grids.field.boundary')}
              tooltip={t('grids.form.boundaryHint')}
              style={{ marginBottom: 8 }}
            >
              <BoundaryEditorField gridId={grid?.id} disabled={circle} />
            </Form.Item>
            <Form.Item name="repair" valuePropName="checked" style={{ marginBottom: 0 }}>
              <Checkbox disabled={circle}>{t('grids.form.repair')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}

/** Form control adapter: Form.Item passes value/onChange. */
function BoundaryEditorField({
  value,
  onChange,
  gridId,
  disabled,
}: {
  value?: Boundary | null;
  onChange?: (v: Boundary | null) => void;
  gridId?: number;
  disabled: boolean;
}) {
  return (
    <div style={{ height: 'min(620px, 70vh)' }}>
      <BoundaryEditor value={value ?? null} onChange={(v) => onChange?.(v)} gridId={gridId} disabled={disabled} />
    </div>
  );
}
