import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List, Rate, Result, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import type { PublicActivitySchema, PublicPlanSchema } from '../../../../domain/activity.ts';
import { PhotoGallery } from '../../components/photos/Photos.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';

type PublicPlan = z.infer<typeof PublicPlanSchema>;
type PublicActivity = z.infer<typeof PublicActivitySchema>;

const PHONE_KEY = 'jingwei.youth';

/** Name and phone remembered on this phone (so check-in and rating need no retyping). */
function remembered(): { name?: string; phone?: string } {
  try {
    return JSON.parse(localStorage.getItem(PHONE_KEY) ?? '{}');
  } catch {
    return {};
  }
}
function remember(v: { name?: string; phone?: string }) {
  try {
    localStorage.setItem(PHONE_KEY, JSON.stringify({ ...remembered(), ...v }));
  } catch {
    // private mode
  }
}

function Shell({ children }: { children: React.ReactNode }) {
  return <div style={{ maxWidth: 480, margin: '0 auto', padding: 12 }}>{children}</div>;
}

function errorText(err: unknown) {
  return err instanceof ApiError ? (err.fieldErrors[0]?.message ?? err.message) : String(err);
}

/** 网上提议 the public page of a plan: read it, comment, see the organiser's replies. */
export function PublicPlanPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [notice, setNotice] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const { data, error, isLoading } = useQuery({
    queryKey: ['public-plan', id],
    queryFn: () => api<PublicPlan>('GET', `/api/public/activity-plans/${id}`),
  });
  if (isLoading) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  if (error || !data) return <Result status="404" title={t('activities.phone.notFound')} />;
  return (
    <Shell>
      <Space direction="vertical" style={{ width: '100%' }} data-testid="public-plan">
        <Card size="small">
          <Typography.Text type="secondary">
            {t('activities.phone.plan')} · {data.orgName}
          </Typography.Text>
          <Typography.Title level={4} style={{ marginTop: 4 }} data-testid="public-plan-title">
            {data.title}
          </Typography.Title>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{data.purpose}</Typography.Paragraph>
          <Typography.Text>
            {formatTime(data.startsAt)} · {data.venue}
          </Typography.Text>
        </Card>
        <Card size="small" title={t('activities.phone.comment')}>
          {notice && <Alert type={notice.type} message={notice.text} style={{ marginBottom: 8 }} showIcon />}
          <Form
            form={form}
            layout="vertical"
            initialValues={remembered()}
            onFinish={async (v) => {
              try {
                await api('POST', `/api/public/activity-plans/${id}/comments`, { body: v });
                remember({ name: v.name, phone: v.phone });
                form.setFieldValue('text', '');
                setNotice({ type: 'success', text: t('activities.phone.sent') });
                await qc.invalidateQueries({ queryKey: ['public-plan', id] });
              } catch (err) {
                setNotice({ type: 'error', text: errorText(err) });
              }
            }}
          >
            <Form.Item name="text" rules={[{ required: true }]}>
              <Input.TextArea rows={3} placeholder={t('activities.phone.commentHint')} data-testid="comment-text" />
            </Form.Item>
            <Form.Item name="name" label={t('activities.phone.name')} rules={[{ required: true }]}>
              <Input data-testid="comment-name" />
            </Form.Item>
            <Form.Item name="phone" label={t('activities.phone.phone')} rules={[{ required: true }]}>
              <Input inputMode="tel" data-testid="comment-phone" />
            </Form.Item>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('activities.phone.privacy')}
            </Typography.Paragraph>
            <Button type="primary" htmlType="submit" block data-testid="comment-submit">
              {t('activities.phone.send')}
            </Button>
          </Form>
        </Card>
        <List
          header={t('activities.field.comments')}
          dataSource={data.comments}
          locale={{ emptyText: t('activities.phone.noComments') }}
          renderItem={(c) => (
            <List.Item data-testid={`public-comment-${c.id}`}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text strong>{c.author}</Typography.Text>
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Typography.Text>
                {c.reply !== null && (
                  <Card size="small" style={{ background: '#f6ffed' }}>
                    <Tag color={c.adopted ? 'green' : 'orange'} data-testid={`public-comment-state-${c.id}`}>
                      {c.adopted ? t('activities.reply.adopted') : t('activities.reply.notAdopted')}
                    </Tag>
                    <Typography.Text>
                      {t('activities.phone.reply')}：{c.reply}
                    </Typography.Text>
                    {c.reason && <div>{c.reason}</div>}
                  </Card>
                )}
              </Space>
            </List.Item>
          )}
        />
      </Space>
    </Shell>
  );
}

/** The activity QR page: sign up, check in (inside the window), rate; the summary once published. */
export function ActivityQrPage() {
  const { token } = useParams();
  const [search] = useSearchParams();
  const callId = Number(search.get('call')) || undefined;
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [notice, setNotice] = useState<{ type: 'success' | 'error' | 'info'; text: string } | null>(null);
  const [stars, setStars] = useState(5);
  const { data, error, isLoading } = useQuery({
    queryKey: ['public-activity', token],
    queryFn: () => api<PublicActivity>('GET', `/api/public/activity-qr/${token}`),
  });
  if (isLoading) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  if (error || !data) return <Result status="404" title={t('activities.phone.notFound')} subTitle={errorText(error)} />;
  const run = async (fn: () => Promise<string>) => {
    try {
      const values = await form.validateFields();
      remember(values);
      setNotice({ type: 'success', text: await fn() });
      await qc.invalidateQueries({ queryKey: ['public-activity', token] });
    } catch (err) {
      if (err instanceof ApiError || err instanceof Error) setNotice({ type: 'error', text: errorText(err) });
    }
  };
  const phone = () => form.getFieldValue('phone') as string;
  return (
    <Shell>
      <Space direction="vertical" style={{ width: '100%' }} data-testid="activity-page">
        <Card size="small">
          <Typography.Text type="secondary">
            {data.orgName} · {data.category}
          </Typography.Text>
          <Typography.Title level={4} style={{ marginTop: 4 }} data-testid="activity-title">
            {data.title}
          </Typography.Title>
          <div>
            {formatTime(data.startsAt)} – {formatTime(data.endsAt)}
          </div>
          <div>{data.venue}</div>
          <Space style={{ marginTop: 8 }}>
            <Tag data-testid="activity-status">{t(`activities.status.${data.status}`)}</Tag>
            {data.status === 'open' && (
              <Tag color="blue">{t('activities.phone.placesLeft', { count: data.placesLeft })}</Tag>
            )}
          </Space>
        </Card>
        {notice && <Alert type={notice.type} message={notice.text} showIcon data-testid="activity-notice" />}
        {data.summary && (
          <Card size="small" title={t('activities.phone.summary')} data-testid="activity-summary">
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{data.summary.text}</Typography.Paragraph>
            {data.summary.outcome && <Typography.Paragraph>{data.summary.outcome}</Typography.Paragraph>}
            <PhotoGallery photos={data.summary.photos} testId="activity-summary-photos" />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('activities.phone.attendance', { count: data.summary.attendance })}
            </Typography.Paragraph>
          </Card>
        )}
        <Card size="small">
          <Form form={form} layout="vertical" initialValues={remembered()}>
            <Form.Item name="name" label={t('activities.phone.name')} rules={[{ required: true }]}>
              <Input data-testid="youth-name" />
            </Form.Item>
            <Form.Item name="phone" label={t('activities.phone.phone')} rules={[{ required: true }]}>
              <Input inputMode="tel" data-testid="youth-phone" />
            </Form.Item>
          </Form>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('activities.phone.privacy')}
          </Typography.Paragraph>
          <Space direction="vertical" style={{ width: '100%' }}>
            {data.status === 'open' && (
              <Button
                type="primary"
                block
                data-testid="youth-signup"
                onClick={() =>
                  run(async () => {
                    const r = await api<{ status: string; position: number | null }>(
                      'POST',
                      `/api/public/activity-qr/${token}/signups`,
                      { body: { name: form.getFieldValue('name'), phone: phone(), callId } },
                    );
                    return r.status === 'admitted'
                      ? t('activities.phone.signedUp')
                      : t('activities.phone.waitlisted', { position: r.position });
                  })
                }
              >
                {t('activities.phone.signup')}
              </Button>
            )}
            {data.status === 'open' && (
              <Button
                block
                danger
                data-testid="youth-cancel"
                onClick={() =>
                  run(async () => {
                    await api('POST', `/api/public/activity-qr/${token}/cancel`, { body: { phone: phone() } });
                    return t('activities.phone.cancelled');
                  })
                }
              >
                {t('activities.phone.cancel')}
              </Button>
            )}
            {(data.status === 'open' || data.status === 'running') && (
              <Button
                block
                data-testid="youth-checkin"
                onClick={() =>
                  run(async () => {
                    await api('POST', `/api/public/activity-qr/${token}/check-in`, { body: { phone: phone() } });
                    return t('activities.phone.checkedIn');
                  })
                }
              >
                {t('activities.phone.checkin')}
              </Button>
            )}
            {['running', 'finished', 'summarised', 'published'].includes(data.status) && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Rate value={stars} onChange={setStars} />
                <Button
                  block
                  data-testid="youth-rate"
                  onClick={() =>
                    run(async () => {
                      await api('POST', `/api/public/activity-qr/${token}/ratings`, {
                        body: { phone: phone(), stars },
                      });
                      return t('activities.phone.rated');
                    })
                  }
                >
                  {t('activities.phone.rate')}
                </Button>
              </Space>
            )}
          </Space>
        </Card>
      </Space>
    </Shell>
  );
}
