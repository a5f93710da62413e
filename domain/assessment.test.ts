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

import {
  maxTotal,
  metricPoints,
  periodRange,
  RankingDefinitionSchema,
  rankingTemplate,
  rankOrgs,
} from './assessment.ts';

describe('rankings', () => {
  const def = RankingDefinitionSchema.parse({
    categories: [
      { name: 'A', items: [{ key: 'r', label: 'ratio', maxPoints: 50, source: 'metric', metric: 'm1' }] },
      {
        name: 'B',
        items: [
          { key: 'c', label: 'count', maxPoints: 30, source: 'metric', metric: 'm2', target: 4 },
          { key: 'x', label: 'manual', maxPoints: 20, source: 'manual' },
        ],
      },
    ],
    tiers: [
      { name: 'T1', topPercent: 25, subsidyFen: 300 },
      { name: 'T2', topPercent: 100, subsidyFen: 100, multiplierPct: 110 },
    ],
  });

  it('scores computed items as maxPoints × min(value ÷ target, 1), nothing for no value', () => {
    const item = def.categories[1].items[0];
    expect(metricPoints(item, 2)).toBe(15);
    expect(metricPoints(item, 9)).toBe(30);
    expect(metricPoints(item, null)).toBe(0);
    expect(metricPoints(def.categories[0].items[0], 0.333)).toBe(16.65);
  });

  it('ranks with shared ranks for ties and assigns tiers from the top', () => {
    const orgs = [1, 2, 3, 4].map((id) => ({ id, name: `O${id}`, parentName: null }));
    const m1 = new Map([
      [1, { value: 1 }],
      [2, { value: 0.5 }],
      [3, { value: 0.5 }],
      [4, { value: null }],
    ]);
    const m2 = new Map([[1, { value: 4 }]]);
    const manual = new Map([[4, new Map([['x', { points: 25, note: 'cap', evidence: null }]])]]);
    const rows = rankOrgs(
      def,
      orgs,
      new Map([
        ['m1', m1],
        ['m2', m2],
      ]),
      manual,
    );
    expect(rows.map((r) => [r.orgId, r.total, r.rank, r.tier?.name])).toEqual([
      [1, 80, 1, 'T1'],
      [2, 25, 2, 'T2'],
      [3, 25, 2, 'T2'],
      [4, 20, 4, 'T2'], // manual points capped at the item's maximum
    ]);
    expect(rows[0].categories).toEqual([
      { name: 'A', points: 50, maxPoints: 50 },
      { name: 'B', points: 30, maxPoints: 50 },
    ]);
  });

  it('templates: the 1000-point scheme adds up to 1,000; tiers go top down; periods in Asia/Shanghai', () => {
    expect(maxTotal(rankingTemplate('thousand'))).toBe(1000);
    expect(maxTotal(rankingTemplate('quarterly'))).toBe(100);
    const bad = RankingDefinitionSchema.safeParse({ ...def, tiers: [def.tiers[1], def.tiers[0]] });
    expect(bad.success).toBe(false);
    expect(periodRange('2026Q1')).toEqual({
      from: '2026-01-01T00:00:00+08:00',
      to: '2026-04-01T00:00:00+08:00',
      year: 2026,
    });
    expect(periodRange('2026Q4').to).toBe('2027-01-01T00:00:00+08:00');
    expect(periodRange('2026')).toEqual({
      from: '2026-01-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
      year: 2026,
    });
  });
});
