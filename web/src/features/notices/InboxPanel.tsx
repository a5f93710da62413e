import { CheckOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Empty, Input, List, Modal, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiError } from '../../components/useApiError.ts';
import { type InboxItem, type NoticeStreamEvent, playAlarm, useAcknowledge, useInbox, useNoticeStream } from './api.ts';

/** 我的通知: the receipts the cadre answers for, live over the event stream, with the one-tap acknowledgement. */
export function InboxPanel() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const inbox = useInbox();
  const ack = useAcknowledge();
  const showError = useApiError();
  const [urgent, setUrgent] = useState<number | null>(null);
  const [replies, setReplies] = useState<Record<number, string>>({});

  const live = useNoticeStream((event: NoticeStreamEvent) => {
    if (event.type === 'notice' && event.priority === 'urgent') {
      setUrgent(event.targetId);
      playAlarm();
    }
    if (event.type === 'escalation') {
      notification.warning({
        message: t('notices.inbox.escalated'),
        description: t('notices.escalation', { org: event.orgName, title: event.title }),
      });
    }
  });

  const acknowledge = async (item: InboxItem, withReply = false) => {
    const text = replies[item.targetId]?.trim();
    try {
      await ack.mutateAsync({ targetId: item.targetId, reply: withReply && text ? { text } : undefined });
      if (urgent === item.targetId) setUrgent(null);
    } catch (error) {
      showError(error);
    }
  };

  const items = inbox.data?.items ?? [];
  const urgentItem = items.find((i) => i.targetId === urgent);
  const fmt = (iso: string) => dayjs(iso).format('MM-DD HH:mm:ss');

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Badge
          status={live === 'open' ? 'success' : 'processing'}
          text={t(`notices.live.${live === 'open' ? 'connected' : 'connecting'}`)}
          data-testid="notice-live"
        />
        {inbox.data && (
          <Tag color={inbox.data.pending ? 'red' : 'default'}>
            {t('notices.inbox.pending', { count: inbox.data.pending })}
          </Tag>
        )}
      </Space>
      <List
        loading={inbox.isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('notices.inbox.empty')} /> }}
        renderItem={(item) => {
          const overdue = !item.acknowledgedAt && dayjs(item.deadlineAt).isBefore(dayjs());
          return (
            <Card
              size="small"
              style={{
                marginBottom: 12,
                borderColor: item.priority === 'urgent' && !item.acknowledgedAt ? '#ff4d4f' : undefined,
              }}
              data-testid={`notice-item-${item.targetId}`}
              title={
                <Space wrap>
                  <Tag color={item.priority === 'urgent' ? 'red' : 'blue'}>
                    {t(`notices.priority.${item.priority}`)}
                  </Tag>
                  {item.correctionOf && <Tag color="orange">{t('notices.inbox.correction')}</Tag>}
                  <Typography.Text strong>{item.title}</Typography.Text>
                </Space>
              }
              extra={
                item.acknowledgedAt ? (
                  <Tag icon={<CheckOutlined />} color="success" data-testid={`notice-acked-${item.targetId}`}>
                    {t('notices.inbox.ackedAt', { time: fmt(item.acknowledgedAt) })}
                  </Tag>
                ) : item.supersededBy ? (
                  <Tag>{t('notices.inbox.superseded')}</Tag>
                ) : (
                  <Button
                    type="primary"
                    danger={item.priority === 'urgent'}
                    loading={ack.isPending}
                    onClick={() => acknowledge(item)}
                    data-testid={`notice-ack-${item.targetId}`}
                  >
                    {t('notices.inbox.ack')}
                  </Button>
                )
              }
            >
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{item.body}</Typography.Paragraph>
              <Space wrap size="small">
                <Typography.Text type="secondary">
                  {t('notices.inbox.from', { org: item.senderOrg.name, name: item.sender.name })} · {fmt(item.sentAt)}
                </Typography.Text>
                <Tag>{item.grid ? `${item.org.name} / ${item.grid.name}` : item.org.name}</Tag>
                {!item.acknowledgedAt && (
                  <Tag color={overdue ? 'red' : 'default'}>
                    {overdue ? t('notices.inbox.overdue') : t('notices.inbox.deadline', { time: fmt(item.deadlineAt) })}
                  </Tag>
                )}
                {item.escalationLevel > 0 && <Tag color="volcano">{t('notices.inbox.escalated')}</Tag>}
                {item.attachments.map((a) => (
                  <a key={a.id} href={`/api/notices/${item.noticeId}/attachments/${a.id}`}>
                    <PaperClipOutlined /> {a.name}
                  </a>
                ))}
              </Space>
              {item.replySpec && (
                <Space.Compact style={{ width: '100%', marginTop: 8 }}>
                  <Input
                    addonBefore={item.replySpec.prompt}
                    placeholder={t('notices.inbox.replyPlaceholder')}
                    defaultValue={item.reply?.text ?? ''}
                    onChange={(e) => setReplies((r) => ({ ...r, [item.targetId]: e.target.value }))}
                  />
                  <Button onClick={() => acknowledge(item, true)}>{t('notices.inbox.sendReply')}</Button>
                </Space.Compact>
              )}
            </Card>
          );
        }}
      />
      <Modal
        open={!!urgentItem && !urgentItem.acknowledgedAt}
        title={<Typography.Text type="danger">{t('notices.urgent.title')}</Typography.Text>}
        onCancel={() => setUrgent(null)}
        footer={[
          <Button key="later" onClick={() => setUrgent(null)}>
            {t('notices.urgent.later')}
          </Button>,
          <Button
            key="ack"
            type="primary"
            danger
            loading={ack.isPending}
            onClick={() => urgentItem && acknowledge(urgentItem)}
            data-testid="urgent-ack"
          >
            {t('notices.urgent.ack')}
          </Button>,
        ]}
        data-testid="urgent-modal"
      >
        {urgentItem && (
          <>
            <Alert type="error" showIcon message={urgentItem.title} style={{ marginBottom: 12 }} />
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="urgent-body">
              {urgentItem.body}
            </Typography.Paragraph>
            <Typography.Text type="secondary">
              {t('notices.inbox.deadline', { time: fmt(urgentItem.deadlineAt) })}
            </Typography.Text>
          </>
        )}
      </Modal>
    </Space>
  );
}
