import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Statistic, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { type ReachReport, useNoticeDetail, useNoticeStream, useReport } from './api.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

function TimelineChart({ report }: { report: ReachReport }) {
  const { t } = useTranslation();
  const option = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('notices.report.inBucket'), t('notices.report.cumulative')] },
      grid: { left: 48, right: 48, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: report.timeline.map((b) => `${b.fromSeconds}s`) },
      yAxis: [{ type: 'value' }, { type: 'value' }],
      series: [
        { name: t('notices.report.inBucket'), type: 'bar', data: report.timeline.map((b) => b.acknowledged) },
        {
          name: t('notices.report.cumulative'),
          type: 'line',
          yAxisIndex: 1,
          data: report.timeline.map((b) => b.cumulative),
          markLine: undefined,
        },
      ],
    }),
    [report, t],
  );
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 280 }} notMerge />;
}

/** 到达报告: live reach of one notice — share in time, median and p95, per level, timeline, late list. */
export function ReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const report = useReport(id);
  const detail = useNoticeDetail(id);
  useNoticeStream(() => {});
  const r = report.data;
  const secs = (v: number | null) =>
    v === null ? t('notices.report.none') : t('notices.report.seconds', { value: Math.round(v) });
  return (
    <Card>
      <Space style={{ marginBottom: 16 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/notices?tab=sent')}>
          {t('notices.report.back')}
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('notices.report.title')}：{detail.data?.title}
        </Typography.Title>
        {r && <Tag color={r.priority === 'urgent' ? 'red' : 'blue'}>{t(`notices.priority.${r.priority}`)}</Tag>}
      </Space>
      {r && (
        <>
          <Row gutter={16}>
            <Col span={4}>
              <Statistic
                title={t('notices.report.onTimeRate')}
                value={Math.round(r.total.onTimeRate * 1000) / 10}
                suffix="%"
              />
            </Col>
            <Col span={4}>
              <Statistic
                title={t('notices.report.acknowledged')}
                value={r.total.acknowledged}
                suffix={`/ ${r.total.targets}`}
                valueRender={(node) => <span data-testid="report-acknowledged">{node}</span>}
              />
            </Col>
            <Col span={4}>
              <Statistic title={t('notices.report.late')} value={r.total.late} />
            </Col>
            <Col span={4}>
              <Statistic title={t('notices.report.escalated')} value={r.total.escalated} />
            </Col>
            <Col span={4}>
              <Statistic title={t('notices.report.median')} value={secs(r.total.medianSeconds)} />
            </Col>
            <Col span={4}>
              <Statistic title={t('notices.report.p95')} value={secs(r.total.p95Seconds)} />
            </Col>
          </Row>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('notices.report.timeline')}
          </Typography.Title>
          <TimelineChart report={r} />
          <Typography.Title level={5}>{t('notices.report.perLevel')}</Typography.Title>
          <Table
            rowKey="level"
            size="small"
            pagination={false}
            dataSource={r.levels}
            columns={[
              { title: t('notices.report.level'), dataIndex: 'level', render: (l: string) => t(`notices.level.${l}`) },
              { title: t('notices.report.targets'), dataIndex: 'targets' },
              { title: t('notices.report.acknowledged'), dataIndex: 'acknowledged' },
              { title: t('notices.report.onTime'), dataIndex: 'onTime' },
              {
                title: t('notices.report.onTimeRate'),
                dataIndex: 'onTimeRate',
                render: (v: number) => `${Math.round(v * 1000) / 10}%`,
              },
              { title: t('notices.report.median'), dataIndex: 'medianSeconds', render: secs },
              { title: t('notices.report.p95'), dataIndex: 'p95Seconds', render: secs },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('notices.report.lateList')}
          </Typography.Title>
          <Table
            rowKey="targetId"
            size="small"
            dataSource={r.lateList}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('notices.report.org'), render: (_, l) => l.org.name },
              { title: t('notices.report.grid'), render: (_, l) => l.grid?.name ?? '' },
              { title: t('notices.report.level'), dataIndex: 'level', render: (v: string) => t(`notices.level.${v}`) },
              {
                title: t('notices.report.ackAt'),
                dataIndex: 'acknowledgedAt',
                render: (v: string | null) => (v ? dayjs(v).format('HH:mm:ss') : t('notices.report.pending')),
              },
              { title: t('notices.report.escalationLevel'), dataIndex: 'escalationLevel' },
            ]}
          />
          {detail.data && detail.data.history.length > 1 && (
            <>
              <Typography.Title level={5}>{t('notices.report.history')}</Typography.Title>
              <Timeline
                items={detail.data.history.map((h) => ({
                  color: h.current ? 'blue' : 'gray',
                  children: `${dayjs(h.sentAt).format('MM-DD HH:mm')} ${h.title}`,
                }))}
              />
            </>
          )}
        </>
      )}
    </Card>
  );
}
