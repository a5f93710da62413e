import { RadarChart as EchartsRadar } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { SCALE_MAX } from '../../../../domain/assessment.ts';
import { formatMean } from './api.ts';

// only what the radar needs, so the chart stays a small part of the bundle
echarts.use([EchartsRadar, LegendComponent, TooltipComponent, SVGRenderer]);

export type RadarSeries = { name: string; values: (number | null)[]; color: string; dashed?: boolean };

/** Radar of indicator means on the 7-point scale; missing means are left as gaps. */
export function RadarChart({
  indicators,
  series,
  height = 380,
  compact = false,
}: {
  indicators: string[];
  series: RadarSeries[];
  height?: number;
  compact?: boolean;
}) {
  const option = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'item', confine: true },
      legend: { bottom: 0, data: series.map((s) => s.name) },
      radar: {
        center: ['50%', '48%'],
        radius: compact ? '50%' : '58%',
        splitNumber: SCALE_MAX,
        axisName: { color: '#333', fontSize: compact ? 10 : 12, overflow: 'break', width: compact ? 56 : 76 },
        indicator: indicators.map((name) => ({ name, min: 0, max: SCALE_MAX })),
      },
      series: [
        {
          type: 'radar',
          data: series.map((s) => ({
            name: s.name,
            value: s.values.map((v) => (v === null ? '-' : v)),
            symbolSize: 5,
            itemStyle: { color: s.color },
            lineStyle: { color: s.color, width: 2, type: s.dashed ? 'dashed' : 'solid' },
            areaStyle: s.dashed ? undefined : { color: s.color, opacity: 0.15 },
            label: {
              show: !s.dashed && !compact,
              formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? formatMean(p.value) : ''),
              fontSize: 10,
            },
          })),
        },
      ],
    }),
    [indicators, series, compact],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      opts={{ renderer: 'svg' }}
      style={{ height, width: '100%' }}
    />
  );
}
