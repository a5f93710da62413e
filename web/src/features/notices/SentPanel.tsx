import { App, Button, Form, Input, Modal, Progress, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useApiError } from '../../components/useApiError.ts';
import { type NoticeListItem, useCorrectNotice, useSentNotices } from './api.ts';

/** 已发通知: what the caller's subtree sent, with reach so far, the report and corrections. */
export function SentPanel() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const list = useSentNotices(page, true);
  const correct = useCorrectNotice();
  const showError = useApiError();
  const [correcting, setCorrecting] = useState<NoticeListItem | null>(null);
  const [form] = Form.useForm<{ title: string; body: string }>();

  return (
    <>
      <Table<NoticeListItem>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          {
            title: t('notices.compose.title'),
            dataIndex: 'title',
            render: (title: string, n) => (
              <Space>
                <Tag color={n.priority === 'urgent' ? 'red' : 'blue'}>{t(`notices.priority.${n.priority}`)}</Tag>
                {title}
                {n.supersededBy && <Tag>{t('notices.inbox.superseded')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('notices.sent.sentAt'),
            dataIndex: 'sentAt',
            render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
          },
          { title: t('notices.sent.targets'), dataIndex: 'targetCount' },
          {
            title: t('notices.sent.acknowledged'),
            render: (_, n) => (
              <Progress
                percent={n.targetCount ? Math.round((100 * n.acknowledgedCount) / n.targetCount) : 0}
                size="small"
                format={() => `${n.acknowledgedCount}/${n.targetCount}`}
              />
            ),
          },
          {
            key: 'actions',
            render: (_, n) => (
              <Space>
                <Button size="small" onClick={() => navigate(`/notices/${n.id}`)} data-testid={`sent-report-${n.id}`}>
                  {t('notices.sent.report')}
                </Button>
                {!n.supersededBy && (
                  <Button
                    size="small"
                    onClick={() => {
                      setCorrecting(n);
                      form.setFieldsValue({ title: n.title, body: '' });
                    }}
                  >
                    {t('notices.sent.correct')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!correcting}
        title={t('notices.sent.correctTitle')}
        onCancel={() => setCorrecting(null)}
        confirmLoading={correct.isPending}
        onOk={async () => {
          const v = await form.validateFields();
          try {
            await correct.mutateAsync({ id: correcting!.id, ...v });
            message.success(t('common.saved'));
            setCorrecting(null);
          } catch (error) {
            showError(error, form);
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="title" label={t('notices.compose.title')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label={t('notices.compose.body')} rules={[{ required: true, max: 10000 }]}>
            <Input.TextArea rows={5} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
