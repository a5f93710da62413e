import { describe, expect, it } from 'vitest';
import {
  aggregateScores,
  bandOf,
  IndicatorSetDefinitionSchema,
  keqiaoPublishedScores,
  keqiaoTemplate,
} from './assessment.ts';

describe('Keqiao assessment template', () => {
  it('has the report’s 10 indicators and 30 items', () => {
    const template = keqiaoTemplate();
    expect(template.indicators).toHaveLength(10);
    expect(template.indicators.flatMap((i) => i.items)).toHaveLength(30);
    expect(IndicatorSetDefinitionSchema.safeParse(template).success).toBe(true);
  });

  it('reproduces the report’s findings from the published item scores', () => {
    const published = keqiaoPublishedScores();
    const scores = Object.fromEntries(Object.entries(published).map(([k, v]) => [k, [v]]));
    const result = aggregateScores(keqiaoTemplate(), scores);
    const band = Object.fromEntries(result.indicators.map((i) => [i.name, i.band]));
    expect(band.科学划分网格).toBe('very_good');
    expect(band.网格技术支撑).toBe('very_good');
    expect(band.网格信息搜集).toBe('weak');
    expect(band.服务项目设计).toBe('weak');
    const rest = result.indicators.filter(
      (i) => !['科学划分网格', '网格技术支撑', '网格信息搜集', '服务项目设计'].includes(i.name),
    );
    expect(rest).toHaveLength(6);
    for (const indicator of rest) expect(indicator.band, indicator.name).toBe('acceptable');
    expect(result.indicators.find((i) => i.name === '科学划分网格')!.mean).toBe(5.77);
    // The weakest items are the report's action points: brand activities (4.63) first.
    expect(result.actionPoints[0]).toMatchObject({ text: '有品牌活动，项目影响力大', mean: 4.63 });
  });
});

describe('aggregation', () => {
  const definition = {
    indicators: [
      {
        name: 'A',
        items: [
          { key: 'a1', text: 'a1' },
          { key: 'a2', text: 'a2' },
        ],
      },
      { name: 'B', items: [{ key: 'b1', text: 'b1' }] },
    ],
  };
  it('averages assessors per item, items per indicator, indicators overall', () => {
    const r = aggregateScores(definition, { a1: [7, 5], a2: [4], b1: [3] });
    expect(r.indicators[0].items[0].mean).toBe(6);
    expect(r.indicators[0].mean).toBe(5);
    expect(r.overall).toBe(4);
    expect(r.band).toBe('weak');
  });
  it('leaves unscored items out instead of counting them as zero', () => {
    const r = aggregateScores(definition, { a1: [6] });
    expect(r.indicators[0].mean).toBe(6);
    expect(r.indicators[0].items[1]).toMatchObject({ mean: null, count: 0, band: null });
    expect(r.indicators[1].mean).toBeNull();
    expect(r.overall).toBe(6);
  });
  it('bands at the thresholds', () => {
    expect(bandOf(5.5)).toBe('very_good');
    expect(bandOf(5.49)).toBe('acceptable');
    expect(bandOf(5)).toBe('acceptable');
    expect(bandOf(4.99)).toBe('weak');
    expect(bandOf(6, { veryGood: 6.5, acceptable: 6 })).toBe('acceptable');
  });
  it('refuses duplicate item keys', () => {
    const dup = {
      indicators: [
        {
          name: 'A',
          items: [
            { key: 'x', text: '1' },
            { key: 'x', text: '2' },
          ],
        },
      ],
    };
    expect(IndicatorSetDefinitionSchema.safeParse(dup).success).toBe(false);
  });
});
