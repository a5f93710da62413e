import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Popconfirm, Segmented, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonReviewResolve } from '../../../../domain/person.ts';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { type PersonReview, peopleKeys, useReviews } from './api.ts';

/** 疑似重复待核: entries that collide with known people, resolved by apply / create / reject. */
export function ReviewsPanel({ onOpenPerson }: { onOpenPerson: (id: number) => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const reviews = useReviews(status);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);

  const resolve = async (review: PersonReview, body: PersonReviewResolve) => {
    const key = `${review.id}-${body.action}-${'personId' in body ? body.personId : ''}`;
    setBusy(key);
    try {
      const result = await api<{ person: { id: number; name: string } | null }>(
        'POST',
        `/api/people/reviews/${review.id}/resolve`,
        { body },
      );
      await client.invalidateQueries({ queryKey: peopleKeys.all });
      message.success(t(`people.review.done.${body.action}`, { name: result.person?.name ?? review.incoming.name }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<PersonReview> = [
    {
      title: t('people.review.incoming'),
      width: 260,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{r.incoming.name}</Typography.Text>
          <Typography.Text type="secondary">
            {[r.incoming.phone, r.incoming.idNumber, r.incoming.birthDate].filter(Boolean).join(' · ') ||
              t('common.empty')}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('people.review.reason'),
      width: 200,
      render: (_, r) => (
        <Space direction="vertical" size={2}>
          <Tag color="orange">{t(`people.review.reasons.${r.reason}`)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`people.source.${r.source}`)} · {formatTime(r.createdAt)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('people.review.candidates'),
      render: (_, r) => (
        <Space direction="vertical" size={4}>
          {r.candidates.map((c) => (
            <Space key={c.id} wrap size={4}>
              <Typography.Link onClick={() => onOpenPerson(c.id)}>{c.name}</Typography.Link>
              <Typography.Text type="secondary">{[c.phone, c.idNumber].filter(Boolean).join(' · ')}</Typography.Text>
              <Tag>{t(`people.review.match.${c.match}`)}</Tag>
              {r.status === 'open' && (
                <Popconfirm
                  title={t('people.review.applyConfirm', { name: c.name })}
                  onConfirm={() => resolve(r, { action: 'apply', personId: c.id })}
                >
                  <Button
                    size="small"
                    loading={busy === `${r.id}-apply-${c.id}`}
                    data-testid={`review-apply-${r.id}-${c.id}`}
                  >
                    {t('people.review.apply')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ))}
        </Space>
      ),
    },
    status === 'open'
      ? {
          title: t('common.actions'),
          width: 200,
          render: (_, r) => (
            <Space wrap>
              <Popconfirm title={t('people.review.createConfirm')} onConfirm={() => resolve(r, { action: 'create' })}>
                <Button size="small" loading={busy === `${r.id}-create-`} data-testid={`review-create-${r.id}`}>
                  {t('people.review.create')}
                </Button>
              </Popconfirm>
              <Popconfirm title={t('people.review.rejectConfirm')} onConfirm={() => resolve(r, { action: 'reject' })}>
                <Button size="small" danger loading={busy === `${r.id}-reject-`} data-testid={`review-reject-${r.id}`}>
                  {t('people.review.reject')}
                </Button>
              </Popconfirm>
            </Space>
          ),
        }
      : {
          title: t('people.review.resolution'),
          width: 200,
          render: (_, r) => (
            <Space direction="vertical" size={0}>
              <span>{r.resolution ? t(`people.review.resolutions.${r.resolution}`) : t('common.empty')}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(r.resolvedAt)}
              </Typography.Text>
              {r.resolvedPersonId && (
                <Typography.Link onClick={() => onOpenPerson(r.resolvedPersonId!)}>
                  {t('people.review.openPerson')}
                </Typography.Link>
              )}
            </Space>
          ),
        },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('people.review.intro')}
      </Typography.Paragraph>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as 'open' | 'resolved')}
        options={[
          { value: 'open', label: t('people.review.open') },
          { value: 'resolved', label: t('people.review.resolved') },
        ]}
        data-testid="review-status"
      />
      <Table<PersonReview>
        rowKey="id"
        size="middle"
        loading={reviews.isFetching}
        dataSource={reviews.data?.items ?? []}
        columns={columns}
        scroll={{ x: 900 }}
        onRow={(r) => ({ 'data-testid': `review-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
        data-testid="review-table"
      />
    </Space>
  );
}
