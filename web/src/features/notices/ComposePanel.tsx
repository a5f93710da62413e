import { App, Button, Checkbox, Form, Input, Radio, Switch, TreeSelect, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_TARGET_ORG_KINDS } from '../../../../domain/notice.ts';
import type { OrgTreeNode } from '../../../../domain/org.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { useOrgTree } from '../orgs/api.ts';
import { useNoticeSettings, useSendNotice } from './api.ts';

type Values = {
  title: string;
  body: string;
  priority: 'urgent' | 'general';
  mode: 'subtree' | 'chosen';
  rootOrgId?: number;
  orgKinds: string[];
  includeGrids: boolean;
  orgIds?: number[];
  replyPrompt?: string;
};

type Option = { value: number; title: string; children: Option[] };

/** 发送通知: title, text, priority and who it reaches (a subtree by level, or chosen orgs). */
export function ComposePanel({ onSent }: { onSent: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const send = useSendNotice();
  const settings = useNoticeSettings();
  const showError = useApiError();
  const tree = useOrgTree();
  const mode = Form.useWatch('mode', form);
  const treeData = useMemo(() => {
    const convert = (n: OrgTreeNode): Option => ({
      value: n.id,
      title: `${n.name}（${t(`orgKind.${n.kind}`)}）`,
      children: n.children.filter((c) => c.active).map(convert),
    });
    return (tree.data?.roots ?? []).map(convert);
  }, [tree.data, t]);

  const submit = async (v: Values) => {
    try {
      const notice = await send.mutateAsync({
        title: v.title,
        body: v.body,
        priority: v.priority,
        replySpec: v.replyPrompt?.trim() ? { kind: 'text', prompt: v.replyPrompt.trim() } : null,
        target:
          v.mode === 'subtree'
            ? { mode: 'subtree', rootOrgId: v.rootOrgId, orgKinds: v.orgKinds as never, includeGrids: v.includeGrids }
            : { mode: 'chosen', orgIds: v.orgIds ?? [], gridIds: [] },
      });
      message.success(t('notices.compose.sent', { count: notice.targetCount }));
      form.resetFields();
      onSent();
    } catch (error) {
      showError(error, form);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      style={{ maxWidth: 720 }}
      initialValues={{
        priority: 'general',
        mode: 'subtree',
        orgKinds: [...DEFAULT_TARGET_ORG_KINDS],
        includeGrids: true,
      }}
      onFinish={submit}
    >
      <Form.Item name="title" label={t('notices.compose.title')} rules={[{ required: true, max: 200 }]}>
        <Input data-testid="compose-title" />
      </Form.Item>
      <Form.Item name="body" label={t('notices.compose.body')} rules={[{ required: true, max: 10000 }]}>
        <Input.TextArea rows={5} data-testid="compose-body" />
      </Form.Item>
      <Form.Item
        name="priority"
        label={t('notices.compose.priority')}
        extra={
          settings.data &&
          t('notices.compose.deadlineHint', {
            urgent: settings.data.urgentSeconds,
            general: settings.data.generalSeconds,
          })
        }
      >
        <Radio.Group>
          <Radio.Button value="urgent">
            <span data-testid="compose-urgent">{t('notices.priority.urgent')}</span>
          </Radio.Button>
          <Radio.Button value="general">{t('notices.priority.general')}</Radio.Button>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="mode" label={t('notices.compose.mode')}>
        <Radio.Group>
          <Radio value="subtree">{t('notices.compose.modeSubtree')}</Radio>
          <Radio value="chosen">{t('notices.compose.modeChosen')}</Radio>
        </Radio.Group>
      </Form.Item>
      {mode !== 'chosen' ? (
        <>
          <Form.Item name="rootOrgId" label={t('notices.compose.root')}>
            <OrgTreeSelect allowClear placeholder={t('notices.compose.rootPlaceholder')} />
          </Form.Item>
          <Form.Item name="orgKinds" label={t('notices.compose.kinds')}>
            <Checkbox.Group options={DEFAULT_TARGET_ORG_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="includeGrids" label={t('notices.compose.includeGrids')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </>
      ) : (
        <Form.Item name="orgIds" label={t('notices.compose.chosen')} rules={[{ required: true }]}>
          <TreeSelect<number[]>
            multiple
            treeCheckable
            treeCheckStrictly={false}
            showCheckedStrategy={TreeSelect.SHOW_ALL}
            treeData={treeData}
            showSearch
            treeNodeFilterProp="title"
            loading={tree.isLoading}
          />
        </Form.Item>
      )}
      <Form.Item name="replyPrompt" label={t('notices.compose.replyPrompt')}>
        <Input placeholder={t('notices.compose.replyPromptPlaceholder')} maxLength={200} />
      </Form.Item>
      <Typography.Paragraph type="secondary" />
      <Button type="primary" htmlType="submit" loading={send.isPending} data-testid="compose-submit">
        {t('notices.compose.submit')}
      </Button>
    </Form>
  );
}
