import { Alert, Card, Space, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { SelfReviewSummarySchema } from '../../../../domain/assessment.ts';
import { formatMean } from './api.ts';

type Summary = z.infer<typeof SelfReviewSummarySchema>;

const diffTag = (d: number | null) =>
  d === null ? '—' : <Tag color={d < 0 ? 'red' : d > 0 ? 'green' : 'default'}>{d > 0 ? `+${d}` : d}</Tag>;

/** 自评与审核对比: one org's self score, reviewed score (what counts) and the difference, overall and per item. */
export function SelfReviewCompare({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('insights.self.compare')} className="jw-avoid-break" data-testid="self-review-compare">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Tag data-testid="compare-state">{t(`insights.state.${summary.state}`)}</Tag>
        {!summary.visible ? (
          <Alert type="info" showIcon message={t('insights.self.hidden')} />
        ) : (
          <>
            <Space size={32} wrap>
              <Statistic title={t('insights.self.selfOverall')} value={formatMean(summary.selfOverall)} />
              <Statistic
                title={t('insights.self.reviewedOverall')}
                value={formatMean(summary.reviewedOverall)}
                valueRender={(n) => <span data-testid="compare-reviewed">{n}</span>}
              />
              <Statistic title={t('insights.self.difference')} valueRender={() => diffTag(summary.difference)} />
            </Space>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              scroll={{ x: true }}
              dataSource={summary.items}
              columns={[
                { title: '#', dataIndex: 'key', width: 64 },
                { title: t('insights.self.selfScore'), dataIndex: 'self', render: (v) => formatMean(v) },
                { title: t('insights.self.reviewed'), dataIndex: 'reviewed', render: (v) => formatMean(v) },
                { title: t('insights.self.difference'), dataIndex: 'difference', render: diffTag },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
