import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { percent } from '../../../../domain/dashboard.ts';
import type { DashboardOverview } from './api.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Props = { overview: DashboardOverview; dark?: boolean; height?: number };

/** The towns (hierarchical children) the charts compare; alliances and industry committees are not places. */
function places(overview: DashboardOverview) {
  return overview.children.filter((c) => c.hierarchical);
}

const COLORS = ['#c8161d', '#1677ff', '#52c41a', '#faad14'];

/**
 * 各镇街网格、团员、青年数 (the report's Figure 1): one group of bars per child org. The plotted
 * numbers are also on the container (data-series) so tests read what the chart shows.
 */
export function ChildBars({ overview, dark, height = 360 }: Props) {
  const { t } = useTranslation();
  const children = places(overview);
  const series = useMemo(
    () => [
      { key: 'grids', name: t('dashboard.series.grids'), values: children.map((c) => c.grids.grids) },
      {
        key: 'members',
        name: t('dashboard.series.members'),
        values: children.map((c) => c.counts.members ?? 0),
      },
      { key: 'people', name: t('dashboard.series.people'), values: children.map((c) => c.counts.people ?? 0) },
    ],
    [children, t],
  );
  const option = useMemo(
    () => ({
      animation: false,
      backgroundColor: 'transparent',
      color: COLORS,
      tooltip: { trigger: 'axis', confine: true },
      legend: { top: 0, textStyle: { color: dark ? '#ddd' : '#333' } },
      grid: { left: 48, right: 16, top: 36, bottom: 72 },
      xAxis: {
        type: 'category',
        data: children.map((c) => c.name),
        axisLabel: { rotate: 35, interval: 0, color: dark ? '#ccc' : '#333', fontSize: 11 },
      },
      yAxis: { type: 'value', axisLabel: { color: dark ? '#ccc' : '#333' } },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
    }),
    [children, series, dark],
  );
  return (
    <div
      data-testid="dashboard-child-bars"
      data-series={JSON.stringify({
        names: children.map((c) => c.name),
        ...Object.fromEntries(series.map((s) => [s.key, s.values])),
      })}
    >
      <ReactEChartsCore echarts={echarts} option={option} style={{ height }} notMerge />
    </div>
  );
}

/** 四个一 completeness and capacity compliance per child org, in percent of its grids. */
export function FourOnesBars({ overview, dark, height = 320 }: Props) {
  const { t } = useTranslation();
  const children = places(overview);
  const complete = children.map((c) => percent(c.grids.fourOnes.complete, c.grids.grids));
  const withinRule = children.map((c) => percent(c.grids.grids - (c.grids.capacity.over ?? 0), c.grids.grids));
  const option = useMemo(
    () => ({
      animation: false,
      backgroundColor: 'transparent',
      color: ['#52c41a', '#1677ff'],
      tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: number) => `${v ?? '-'}%` },
      legend: { top: 0, textStyle: { color: dark ? '#ddd' : '#333' } },
      grid: { left: 48, right: 16, top: 36, bottom: 72 },
      xAxis: {
        type: 'category',
        data: children.map((c) => c.name),
        axisLabel: { rotate: 35, interval: 0, color: dark ? '#ccc' : '#333', fontSize: 11 },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', color: dark ? '#ccc' : '#333' } },
      series: [
        { type: 'bar', name: t('dashboard.series.fourOnes'), data: complete },
        { type: 'bar', name: t('dashboard.series.withinRule'), data: withinRule },
      ],
    }),
    [children, complete, withinRule, dark, t],
  );
  return (
    <div data-testid="dashboard-four-ones" data-series={JSON.stringify({ complete, withinRule })}>
      <ReactEChartsCore echarts={echarts} option={option} style={{ height }} notMerge />
    </div>
  );
}
