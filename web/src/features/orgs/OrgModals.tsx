import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  canPlaceUnder,
  HIERARCHICAL_ORG_KINDS,
  NON_HIERARCHICAL_ORG_KINDS,
  type Org,
  type OrgKind,
  type OrgTreeNode,
} from '../../../../domain/org.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { ApiError, api } from '../../lib/api.ts';
import { type AllianceMembers, isInSubtree, type OrgIndex, orgKeys, useOrgSearch } from './api.ts';

/** Blank optional text goes to the API as null (clears it) or is left out (create). */
function cleanText(value: string | null | undefined, blank: null | undefined): string | null | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : blank;
}

type TextFields = { name: string; secretaryName?: string | null; contact?: string | null; description?: string | null };

function OrgTextFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="name"
        label={t('orgs.field.name')}
        rules={[{ required: true, whitespace: true, message: t('orgs.nameRequired') }]}
      >
        <Input maxLength={100} showCount />
      </Form.Item>
      <Form.Item name="secretaryName" label={t('orgs.field.secretaryName')}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="contact" label={t('orgs.field.contact')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="description" label={t('orgs.field.description')}>
        <Input.TextArea maxLength={1000} rows={3} showCount />
      </Form.Item>
    </>
  );
}

function useInvalidateOrgs() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: orgKeys.all });
}

export function OrgEditModal({ org, onClose }: { org: Org; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TextFields>();
  const { message } = App.useApp();
  const showError = useApiError();
  const invalidate = useInvalidateOrgs();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await api<Org>('PATCH', `/api/orgs/${org.id}`, {
        body: {
          name: values.name.trim(),
          secretaryName: cleanText(values.secretaryName, null),
          contact: cleanText(values.contact, null),
          description: cleanText(values.description, null),
        },
      });
      await invalidate();
      message.success(t('orgs.updated'));
      onClose();
    } catch (error) {
      showError(error, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('orgs.modal.edit')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: org.name,
          secretaryName: org.secretaryName,
          contact: org.contact,
          description: org.description,
        }}
        onFinish={() => void submit()}
      >
        <OrgTextFields />
      </Form>
    </Modal>
  );
}

type CreateFields = TextFields & { parentId: number; kind: OrgKind };

export function OrgCreateModal({
  parent,
  onClose,
  onCreated,
}: {
  parent: Org;
  onClose: () => void;
  onCreated: (org: Org) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateFields>();
  const { message } = App.useApp();
  const showError = useApiError();
  const invalidate = useInvalidateOrgs();
  const [busy, setBusy] = useState(false);

  const kindOptions = useMemo(() => {
    const option = (kind: OrgKind) => ({ value: kind, label: t(`orgKind.${kind}`) });
    const hierarchical = HIERARCHICAL_ORG_KINDS.filter((k) => canPlaceUnder(k, parent.kind)).map(option);
    const other = NON_HIERARCHICAL_ORG_KINDS.filter((k) => canPlaceUnder(k, parent.kind)).map(option);
    return [
      ...(hierarchical.length ? [{ label: t('orgs.kindGroupHierarchical'), options: hierarchical }] : []),
      ...(other.length ? [{ label: t('orgs.kindGroupNonHierarchical'), options: other }] : []),
    ];
  }, [parent.kind, t]);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const created = await api<Org>('POST', '/api/orgs', {
        body: {
          parentId: parent.id,
          kind: values.kind,
          name: values.name.trim(),
          secretaryName: cleanText(values.secretaryName, undefined),
          contact: cleanText(values.contact, undefined),
          description: cleanText(values.description, undefined),
        },
      });
      await invalidate();
      message.success(t('orgs.created', { name: created.name }));
      onCreated(created);
      onClose();
    } catch (error) {
      showError(error, form);
    } finally {
      setBusy(false);
    }
  };

  const firstKind = kindOptions[0]?.options[0]?.value;
  return (
    <Modal
      open
      title={t('orgs.modal.createChild', { parent: parent.name })}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ parentId: parent.id, kind: firstKind }}
        onFinish={() => void submit()}
      >
        <Form.Item name="parentId" hidden>
          <Input />
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('orgs.field.kind')}
          rules={[{ required: true, message: t('orgs.kindRequired') }]}
        >
          <Select options={kindOptions} data-testid="org-kind-select" />
        </Form.Item>
        <OrgTextFields />
      </Form>
    </Modal>
  );
}

export function OrgMoveModal({
  org,
  index,
  onClose,
  onMoved,
}: {
  org: Org;
  index: OrgIndex;
  onClose: () => void;
  onMoved: (org: Org) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ parentId?: number }>();
  const { message } = App.useApp();
  const showError = useApiError();
  const invalidate = useInvalidateOrgs();
  const [busy, setBusy] = useState(false);
  const parentId = Form.useWatch('parentId', form);

  // the server decides; these hints only say in advance what it will refuse
  const warning = useMemo(() => {
    if (!parentId) return null;
    if (parentId === org.id) return t('orgs.moveSelf');
    if (isInSubtree(index, parentId, org.id)) return t('orgs.moveDescendant');
    const parent = index.byId.get(parentId);
    if (!parent) return null;
    if (!parent.active) return t('orgs.moveInactive');
    if (!canPlaceUnder(org.kind, parent.kind)) {
      return t('orgs.moveKind', { kind: t(`orgKind.${org.kind}`), parentKind: t(`orgKind.${parent.kind}`) });
    }
    return null;
  }, [parentId, org, index, t]);

  const isDisabled = useMemo(() => (node: OrgTreeNode) => node.id === org.id, [org.id]);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const moved = await api<Org>('PATCH', `/api/orgs/${org.id}`, { body: { parentId: values.parentId } });
      await invalidate();
      message.success(t('orgs.moved', { parent: index.byId.get(values.parentId!)?.name ?? '' }));
      onMoved(moved);
      onClose();
    } catch (error) {
      showError(error, form);
      if (error instanceof ApiError && error.fieldErrors.length === 0) {
        form.setFields([{ name: 'parentId', errors: [error.problem.title] }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('orgs.modal.move', { name: org.name })}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('orgs.moveHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ parentId: org.parentId ?? undefined }}>
        <Form.Item
          name="parentId"
          label={t('orgs.field.parentId')}
          rules={[{ required: true, message: t('orgs.parentRequired') }]}
        >
          <OrgTreeSelect isDisabled={isDisabled} style={{ width: '100%' }} data-testid="org-move-parent" />
        </Form.Item>
      </Form>
      {warning && <Alert type="warning" showIcon message={warning} />}
    </Modal>
  );
}

export function AllianceMembersModal({
  org,
  members,
  onClose,
}: {
  org: Org;
  members: AllianceMembers['items'];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ orgIds: number[] }>();
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [q, setQ] = useState('');
  const search = useOrgSearch({ q: q.trim(), active: 'true', pageSize: 50 }, q.trim().length > 0);
  const [known, setKnown] = useState(() => new Map(members.map((m) => [m.id, m.name])));

  // every known org is an option (so chosen tags keep their names); while searching only the matches show
  const matched = useMemo(
    () => new Set((search.data?.items ?? []).filter((item) => item.id !== org.id).map((item) => item.id)),
    [search.data, org.id],
  );
  const options = useMemo(() => {
    const map = new Map(known);
    for (const item of search.data?.items ?? []) if (item.id !== org.id) map.set(item.id, item.name);
    return [...map].map(([value, label]) => ({ value, label }));
  }, [known, search.data, org.id]);

  const submit = async () => {
    const { orgIds } = await form.validateFields();
    setBusy(true);
    try {
      await api('PUT', `/api/orgs/${org.id}/members`, { body: { orgIds: orgIds ?? [] } });
      await client.invalidateQueries({ queryKey: orgKeys.members(org.id) });
      await client.invalidateQueries({ queryKey: orgKeys.tree(undefined).slice(0, 2) });
      message.success(t('orgs.alliance.saved'));
      onClose();
    } catch (error) {
      showError(error, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('orgs.alliance.modal', { name: org.name })}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ orgIds: members.map((m) => m.id) }}>
        <Form.Item name="orgIds" label={t('orgs.alliance.orgIds')}>
          <Select
            mode="multiple"
            showSearch
            filterOption={(input, option) => !input.trim() || matched.has(Number(option?.value))}
            searchValue={q}
            onSearch={setQ}
            autoClearSearchValue={false}
            loading={search.isFetching}
            placeholder={t('orgs.alliance.placeholder')}
            options={options}
            onChange={(ids: number[]) => {
              const next = new Map(known);
              for (const id of ids) {
                const label = options.find((o) => o.value === id)?.label;
                if (label) next.set(id, label);
              }
              setKnown(next);
            }}
            data-testid="alliance-members-select"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
