import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Result, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { Inbox } from '../../../../domain/activity-more.ts';
import { ApiError, api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';

/**
 * 我的召集令 the youth's phone page, opened from the personal link in the call's SMS (no account):
 * the calls he receives that are taking sign-ups, each with its sign-up page.
 */
export function CallInboxPage() {
  const { token } = useParams();
  const { t } = useTranslation();
  const { data, error, isLoading } = useQuery({
    queryKey: ['call-inbox', token],
    queryFn: () => api<Inbox>('GET', `/api/public/call-inbox/${token}`),
    retry: false,
  });
  if (isLoading) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  if (error || !data) {
    const expired = error instanceof ApiError && error.status === 410;
    return (
      <Result
        status={expired ? 'warning' : '404'}
        title={t('activitiesMore.inbox.invalid')}
        subTitle={error instanceof ApiError ? error.message : undefined}
        data-testid="call-inbox-error"
      />
    );
  }
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', padding: 12 }} data-testid="call-inbox">
      <Typography.Title level={4}>{t('activitiesMore.inbox.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('activitiesMore.inbox.hello', { name: data.name })}
      </Typography.Paragraph>
      {data.items.length === 0 ? (
        <Empty description={t('activitiesMore.inbox.empty')} />
      ) : (
        <List
          dataSource={data.items}
          renderItem={(c) => (
            <List.Item style={{ padding: 0, border: 0, marginBottom: 12 }}>
              <Card size="small" style={{ width: '100%' }} title={c.title} data-testid="call-inbox-item">
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{c.message}</Typography.Paragraph>
                <Typography.Text strong>{c.activity.title}</Typography.Text>
                <div>{t('activitiesMore.inbox.from', { org: c.orgName })}</div>
                <div>
                  {t('activitiesMore.inbox.time', {
                    start: formatTime(c.activity.startsAt),
                    end: formatTime(c.activity.endsAt),
                  })}
                </div>
                <div>{t('activitiesMore.inbox.venue', { venue: c.activity.venue })}</div>
                <div>{t('activitiesMore.inbox.closes', { time: formatTime(c.activity.signupClosesAt) })}</div>
                <Space style={{ marginTop: 8 }} wrap>
                  {c.activity.placesLeft > 0 ? (
                    <Tag color="blue">{t('activitiesMore.inbox.placesLeft', { count: c.activity.placesLeft })}</Tag>
                  ) : (
                    <Tag color="orange">{t('activitiesMore.inbox.full')}</Tag>
                  )}
                  {c.signedUp ? (
                    <Tag color="green" data-testid="call-inbox-signed-up">
                      {t('activitiesMore.inbox.signedUp')}
                    </Tag>
                  ) : c.signupUrl ? (
                    <Button type="primary" href={c.signupUrl} data-testid="call-inbox-signup">
                      {t('activitiesMore.inbox.signup')}
                    </Button>
                  ) : (
                    <Tag>{t('activitiesMore.inbox.withdrawn')}</Tag>
                  )}
                </Space>
              </Card>
            </List.Item>
          )}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('activitiesMore.inbox.expires', { time: formatTime(data.expiresAt) })}
      </Typography.Paragraph>
    </div>
  );
}
