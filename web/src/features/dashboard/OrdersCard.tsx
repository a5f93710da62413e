import { Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardSection } from '../../../../domain/dashboard.ts';
import { ORDER_STATUSES } from '../../../../domain/order.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

type LeaderRow = {
  rank: number;
  orgId: number;
  orgName: string;
  attractionPct: number | null;
  satisfactionPct: number | null;
  ratings: number;
  eligible: boolean;
};

/**
 * 点单 on the dashboard: orders by state (bars; the plotted numbers are also on data-series),
 * open / overdue and the year's rates, and the two-rate leaderboard of the subtree's orgs.
 */
export function OrdersCard({ section, dark }: { section: DashboardSection; dark?: boolean }) {
  const { t } = useTranslation();
  const v = section.values;
  const counts = ORDER_STATUSES.map((s) => v[s] ?? 0);
  const option = useMemo(
    () => ({
      animation: false,
      backgroundColor: 'transparent',
      color: ['#1677ff'],
      tooltip: { trigger: 'axis', confine: true },
      grid: { left: 40, right: 12, top: 16, bottom: 56 },
      xAxis: {
        type: 'category',
        data: ORDER_STATUSES.map((s) => t(`insights.orders.status.${s}`)),
        axisLabel: { rotate: 35, interval: 0, fontSize: 11, color: dark ? '#ccc' : '#333' },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: dark ? '#ccc' : '#333' } },
      series: [{ type: 'bar', data: counts, label: { show: true, position: 'top' } }],
    }),
    [counts, dark, t],
  );
  const board = (section.lists?.leaderboard ?? []) as unknown as LeaderRow[];
  const pct = (x: number | null) => (x === null ? '—' : `${x}%`);
  return (
    <Card title={t('insights.orders.title')} style={{ marginBottom: 16 }} data-testid="dashboard-orders">
      <Row gutter={[16, 16]}>
        {(['total', 'open', 'overdue', 'attractionPct', 'satisfactionPct', 'responsePct'] as const).map((k) => (
          <Col key={k} xs={12} sm={8} lg={4}>
            <Statistic title={t(`insights.orders.${k}`)} value={v[k] ?? '-'} data-testid={`dashboard-orders-${k}`} />
          </Col>
        ))}
        <Col xs={24} xl={12}>
          <div
            data-testid="dashboard-orders-by-state"
            data-series={JSON.stringify({ statuses: ORDER_STATUSES, counts })}
          >
            <ReactEChartsCore echarts={echarts} option={option} style={{ height: 280 }} notMerge />
          </div>
        </Col>
        <Col xs={24} xl={12}>
          <Table<LeaderRow>
            size="small"
            rowKey="orgId"
            title={() => t('insights.orders.leaderboard')}
            pagination={false}
            scroll={{ x: true }}
            dataSource={board}
            data-testid="dashboard-leaderboard"
            columns={[
              { title: t('insights.orders.rank'), dataIndex: 'rank', width: 56 },
              { title: t('insights.orders.org'), dataIndex: 'orgName' },
              { title: t('insights.orders.attractionPct'), dataIndex: 'attractionPct', render: pct },
              { title: t('insights.orders.satisfactionPct'), dataIndex: 'satisfactionPct', render: pct },
              { title: t('insights.orders.ratings'), dataIndex: 'ratings' },
              {
                title: t('insights.orders.eligible'),
                dataIndex: 'eligible',
                render: (e: boolean) => (e ? <Tag color="green">✓</Tag> : <Tag color="red">✗</Tag>),
              },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}
