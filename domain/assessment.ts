import { z } from 'zod';
import keqiao from './reference/assessment-keqiao-2013.json' with { type: 'json' };

/** 7-point scale of the Keqiao evaluation (1 实施效果完全不符 … 7 实施效果完全达成). */
export const SCALE_MIN = 1;
export const SCALE_MAX = 7;
export const SCALE_LABELS: Record<number, string> = keqiao.scale.labels;

/** Result bands; the thresholds are district settings, these are the report's. */
export const DEFAULT_BANDS = { veryGood: 5.5, acceptable: 5 } as const;
export type BandThresholds = { veryGood: number; acceptable: number };
export type Band = 'very_good' | 'acceptable' | 'weak';

export const IndicatorItemSchema = z.object({
  /** Stable key of the item inside its set, e.g. "1.2" */
  key: z.string().min(1).max(20),
  text: z.string().trim().min(1).max(300),
});
export const IndicatorSchema = z.object({
  name: z.string().trim().min(1).max(100),
  items: z.array(IndicatorItemSchema).min(1).max(50),
});
/** 指标体系 an indicator set: indicators, each with items scored on the 7-point scale. */
export const IndicatorSetDefinitionSchema = z
  .object({ indicators: z.array(IndicatorSchema).min(1).max(50) })
  .superRefine((def, ctx) => {
    const seen = new Set<string>();
    for (const [i, indicator] of def.indicators.entries()) {
      for (const [j, item] of indicator.items.entries()) {
        if (seen.has(item.key)) {
          ctx.addIssue({ code: 'custom', path: ['indicators', i, 'items', j, 'key'], message: 'duplicate item key' });
        }
        seen.add(item.key);
      }
    }
  });
export type IndicatorSetDefinition = z.infer<typeof IndicatorSetDefinitionSchema>;

/** The Keqiao 2013 set (Table 1 of the report: 10 indicators, 30 items), built in as a template. */
export function keqiaoTemplate(): IndicatorSetDefinition {
  return {
    indicators: keqiao.indicators.map((indicator, i) => ({
      name: indicator.name,
      items: indicator.items.map((item, j) => ({ key: `${i + 1}.${j + 1}`, text: item.text })),
    })),
  };
}

/** The report's published item scores, keyed like keqiaoTemplate(). */
export function keqiaoPublishedScores(): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const [i, indicator] of keqiao.indicators.entries()) {
    for (const [j, item] of indicator.items.entries()) scores[`${i + 1}.${j + 1}`] = item.published_score;
  }
  return scores;
}

export function bandOf(score: number, thresholds: BandThresholds = DEFAULT_BANDS): Band {
  if (score >= thresholds.veryGood) return 'very_good';
  if (score >= thresholds.acceptable) return 'acceptable';
  return 'weak';
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const round2 = (v: number) => Math.round(v * 100) / 100;

export type ItemResult = { key: string; text: string; mean: number | null; count: number; band: Band | null };
export type IndicatorResult = { name: string; mean: number | null; band: Band | null; items: ItemResult[] };
export type AssessmentResult = {
  overall: number | null;
  band: Band | null;
  indicators: IndicatorResult[];
  /** The weakest scored items, lowest first: the action points. */
  actionPoints: ItemResult[];
};

/**
 * Aggregates scores: an item's score is the mean of its assessors' scores, an indicator's the mean
 * of its scored items, the overall score the mean of the scored indicators. Items nobody scored are
 * left out of the means (and reported with count 0), never counted as zero.
 */
export function aggregateScores(
  definition: IndicatorSetDefinition,
  scores: Record<string, number[]>,
  thresholds: BandThresholds = DEFAULT_BANDS,
  actionPointCount = 5,
): AssessmentResult {
  const indicators = definition.indicators.map((indicator) => {
    const items = indicator.items.map((item) => {
      const values = scores[item.key] ?? [];
      const m = values.length ? round2(mean(values)) : null;
      return {
        key: item.key,
        text: item.text,
        mean: m,
        count: values.length,
        band: m === null ? null : bandOf(m, thresholds),
      };
    });
    const scored = items.filter((i) => i.mean !== null).map((i) => i.mean as number);
    const m = scored.length ? round2(mean(scored)) : null;
    return { name: indicator.name, mean: m, band: m === null ? null : bandOf(m, thresholds), items };
  });
  const scoredIndicators = indicators.filter((i) => i.mean !== null).map((i) => i.mean as number);
  const overall = scoredIndicators.length ? round2(mean(scoredIndicators)) : null;
  const actionPoints = indicators
    .flatMap((i) => i.items)
    .filter((i) => i.mean !== null)
    .sort((a, b) => (a.mean as number) - (b.mean as number) || a.key.localeCompare(b.key))
    .slice(0, actionPointCount);
  return { overall, band: overall === null ? null : bandOf(overall, thresholds), indicators, actionPoints };
}

// ---- API contract ----

export const BandThresholdsSchema = z
  .object({ veryGood: z.number().min(1).max(7), acceptable: z.number().min(1).max(7) })
  .refine((t) => t.veryGood >= t.acceptable, { path: ['veryGood'], message: 'veryGood must be ≥ acceptable' });

export const IndicatorSetCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Copy the built-in Keqiao template or another set of the district, or give a definition. */
    copyFrom: z.union([z.literal('keqiao'), z.number().int().positive()]).optional(),
    definition: IndicatorSetDefinitionSchema.optional(),
  })
  .strict()
  .refine((v) => (v.copyFrom === undefined) !== (v.definition === undefined), {
    path: ['definition'],
    message: 'give either copyFrom or definition',
  });

export const IndicatorSetUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    definition: IndicatorSetDefinitionSchema.optional(),
  })
  .strict();

export const IndicatorSetSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  name: z.string(),
  definition: IndicatorSetDefinitionSchema,
  createdAt: z.string(),
});
export const IndicatorSetListSchema = z.object({ items: z.array(IndicatorSetSchema) });

export const RoundCreateSchema = z
  .object({
    setId: z.number().int().positive(),
    name: z.string().trim().min(1).max(100),
    /** e.g. "2026年第四季度" */
    period: z.string().trim().min(1).max(50),
    deadline: z.iso.datetime({ offset: true }),
    /** Orgs assessed (e.g. all towns). */
    orgIds: z.array(z.number().int().positive()).min(1).max(500),
    /** Accounts that score (district cadres); in a self_review round, the district reviewers. */
    assessorIds: z.array(z.number().int().positive()).min(1).max(100),
    thresholds: BandThresholdsSchema.optional(),
    /** district: the assessors score every org; self_review: each org scores itself, the assessors review */
    mode: z.enum(['district', 'self_review']).optional(),
  })
  .strict();

export const RoundSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  setId: z.number().int(),
  setName: z.string(),
  name: z.string(),
  period: z.string(),
  deadline: z.string(),
  status: z.enum(['open', 'closed']),
  thresholds: z.object({ veryGood: z.number(), acceptable: z.number() }),
  mode: z.enum(['district', 'self_review']),
  /** state: of the org's self-assessment in a self_review round (always pending in a district round) */
  orgs: z.array(
    z.object({ id: z.number().int(), name: z.string(), state: z.enum(['pending', 'self_submitted', 'reviewed']) }),
  ),
  assessors: z.array(z.object({ id: z.number().int(), displayName: z.string() })),
  /** Scores entered ÷ scores expected (orgs × assessors × items). */
  progress: z.object({ entered: z.number().int(), expected: z.number().int() }),
  createdAt: z.string(),
});
export const RoundListSchema = z.object({ items: z.array(RoundSchema) });
/**
 * One round with the indicator set it is scored against: its assessors need the items to score
 * even without `assessment.read` (which the set list requires). Visible exactly when the round is.
 */
export const RoundDetailSchema = RoundSchema.extend({ definition: IndicatorSetDefinitionSchema });

export const ScoreEntrySchema = z
  .object({
    orgId: z.number().int().positive(),
    scores: z
      .array(
        z
          .object({
            itemKey: z.string().min(1).max(20),
            /** A whole point normally; up to two decimals to enter a published mean. */
            score: z
              .number()
              .min(SCALE_MIN)
              .max(SCALE_MAX)
              .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { message: 'at most two decimals' }),
            note: z.string().trim().max(500).nullish(),
            /** a link to the evidence (attachment) of this item */
            evidence: z
              .string()
              .trim()
              .max(500)
              .regex(/^(https?:\/\/|\/)/, { message: 'a http(s) link or a path' })
              .nullish(),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();

export const ScoreListSchema = z.object({
  items: z.array(
    z.object({ itemKey: z.string(), score: z.number(), note: z.string().nullable(), evidence: z.string().nullable() }),
  ),
});

const BandSchema = z.enum(['very_good', 'acceptable', 'weak']);
const ItemResultSchema = z.object({
  key: z.string(),
  text: z.string(),
  mean: z.number().nullable(),
  count: z.number().int(),
  band: BandSchema.nullable(),
});
export const AssessmentResultSchema = z.object({
  overall: z.number().nullable(),
  band: BandSchema.nullable(),
  indicators: z.array(
    z.object({
      name: z.string(),
      mean: z.number().nullable(),
      band: BandSchema.nullable(),
      items: z.array(ItemResultSchema),
    }),
  ),
  actionPoints: z.array(ItemResultSchema),
});
export const SELF_REVIEW_STATES = ['pending', 'self_submitted', 'reviewed'] as const;
export type SelfReviewState = (typeof SELF_REVIEW_STATES)[number];

/** Self score, reviewed score and their difference (reviewed − self), per item and overall. */
export const SelfReviewSummarySchema = z.object({
  state: z.enum(SELF_REVIEW_STATES),
  /** false: the viewer may not see this org's self-assessment (only the org itself and the reviewers do) */
  visible: z.boolean(),
  selfOverall: z.number().nullable(),
  reviewedOverall: z.number().nullable(),
  difference: z.number().nullable(),
  items: z.array(
    z.object({
      key: z.string(),
      self: z.number().nullable(),
      reviewed: z.number().nullable(),
      difference: z.number().nullable(),
    }),
  ),
});
export const RoundResultsSchema = z.object({
  /** All orgs in the viewer's scope together (the district view for a district cadre). */
  combined: AssessmentResultSchema,
  orgs: z.array(
    z.object({
      orgId: z.number().int(),
      orgName: z.string(),
      /** the reviewed scores in a self_review round (what counts) */
      result: AssessmentResultSchema,
      /** null in a district round */
      selfReview: SelfReviewSummarySchema.nullable(),
    }),
  ),
});

/** Difference reviewed − self, to two decimals (null when either is missing). */
export function scoreDifference(self: number | null, reviewed: number | null): number | null {
  if (self === null || reviewed === null) return null;
  return Math.round((reviewed - self) * 100) / 100;
}

// ---- Self-assessment and district review (自评 + 区级审核) ----

const ScoreValue = z
  .number()
  .min(SCALE_MIN)
  .max(SCALE_MAX)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { message: 'at most two decimals' });

/** An org's own scores (a draft until submitted); re-saving replaces the item's score. */
export const SelfScoreEntrySchema = ScoreEntrySchema;

export const SelfSubmitSchema = z.object({ orgId: z.number().int().positive() }).strict();

/** The district's review of one org's self-assessment: every item accepted or adjusted (with a note). */
export const SelfReviewEntrySchema = z
  .object({
    orgId: z.number().int().positive(),
    items: z
      .array(
        z
          .object({
            itemKey: z.string().min(1).max(20),
            decision: z.enum(['accepted', 'adjusted']),
            /** the reviewed score of an adjusted item */
            score: ScoreValue.optional(),
            note: z.string().trim().max(500).nullish(),
          })
          .strict()
          .superRefine((v, ctx) => {
            if (v.decision === 'adjusted' && v.score === undefined)
              ctx.addIssue({ code: 'custom', path: ['score'], message: 'an adjusted item needs its score' });
            if (v.decision === 'adjusted' && !v.note)
              ctx.addIssue({ code: 'custom', path: ['note'], message: 'an adjusted item needs a note' });
            if (v.decision === 'accepted' && v.score !== undefined)
              ctx.addIssue({ code: 'custom', path: ['score'], message: 'an accepted item keeps the self score' });
          }),
      )
      .min(1)
      .max(200),
  })
  .strict();

export const SelfReviewQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    orgId: z.coerce.number().int().positive().max(2147483647),
  })
  .strict();

/** One org's self-assessment with its review, item by item. */
export const SelfReviewSchema = z.object({
  roundId: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  state: z.enum(SELF_REVIEW_STATES),
  selfSubmittedAt: z.string().nullable(),
  selfSubmittedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  /** what the caller may do now */
  canSelfScore: z.boolean(),
  canReview: z.boolean(),
  items: z.array(
    z.object({
      itemKey: z.string(),
      score: z.number().nullable(),
      note: z.string().nullable(),
      evidence: z.string().nullable(),
      decision: z.enum(['accepted', 'adjusted']).nullable(),
      reviewedScore: z.number().nullable(),
      reviewNote: z.string().nullable(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Rankings (季度排行榜) and the 1000-point scheme (千分制)
// ---------------------------------------------------------------------------------------------

export const RANKING_KINDS = ['quarterly', 'thousand'] as const;
export type RankingKind = (typeof RANKING_KINDS)[number];
/** Who a scheme ranks: villages and communities quarterly (Ouhai), towns on 1,000 points (Rencheng). */
export const RANKING_SUBJECT_KINDS: Record<RankingKind, readonly string[]> = {
  quarterly: ['village_branch', 'community_branch'],
  thousand: ['town_committee', 'devzone_committee'],
};
export const THOUSAND_TOTAL = 1000;

const ItemKey = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_.-]+$/);

export const RankingItemSchema = z
  .object({
    key: ItemKey,
    label: z.string().trim().min(1).max(100),
    maxPoints: z.number().positive().max(THOUSAND_TOTAL),
    /** metric: computed from platform data (a registered metric); manual: scored with evidence */
    source: z.enum(['metric', 'manual']),
    metric: z.string().min(1).max(40).optional(),
    /** the metric value that earns full points (ratios: 1 = 100%; counts: e.g. 4 activities) */
    target: z.number().positive().max(1_000_000).optional(),
  })
  .strict()
  .refine((i) => (i.source === 'metric') === (i.metric !== undefined), {
    path: ['metric'],
    message: 'a metric item names its metric, a manual item none',
  });
export type RankingItem = z.infer<typeof RankingItemSchema>;

export const RankingTierSchema = z
  .object({
    name: z.string().trim().min(1).max(50),
    /** the tier holds the orgs ranked within the top `topPercent`% (after the tiers above it) */
    topPercent: z.number().int().min(1).max(100),
    /** 补助 subsidy per org of the tier, in fen */
    subsidyFen: z.number().int().min(0).max(100_000_000_000),
    /** provident-fund multiplier of the tier's orgs (110–150), when the tier sets one */
    multiplierPct: z.number().int().min(110).max(150).optional(),
  })
  .strict();
export type RankingTier = z.infer<typeof RankingTierSchema>;

export const RankingDefinitionSchema = z
  .object({
    categories: z
      .array(
        z
          .object({ name: z.string().trim().min(1).max(100), items: z.array(RankingItemSchema).min(1).max(50) })
          .strict(),
      )
      .min(1)
      .max(20),
    tiers: z.array(RankingTierSchema).max(10),
  })
  .strict()
  .superRefine((def, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of def.categories.entries()) {
      for (const [j, item] of c.items.entries()) {
        if (seen.has(item.key)) {
          ctx.addIssue({ code: 'custom', path: ['categories', i, 'items', j, 'key'], message: 'duplicate item key' });
        }
        seen.add(item.key);
      }
    }
    for (let i = 1; i < def.tiers.length; i++) {
      if (def.tiers[i].topPercent <= def.tiers[i - 1].topPercent) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'topPercent'], message: 'tiers go from the top down' });
      }
    }
  });
export type RankingDefinition = z.infer<typeof RankingDefinitionSchema>;

export function maxTotal(def: RankingDefinition): number {
  return Math.round(def.categories.reduce((s, c) => s + c.items.reduce((t, i) => t + i.maxPoints, 0), 0) * 100) / 100;
}

/** Built-in templates: Ouhai's quarterly ranking of villages, Rencheng's 1000-point scheme of towns. */
export function rankingTemplate(kind: RankingKind): RankingDefinition {
  if (kind === 'quarterly') {
    return {
      categories: [
        {
          name: '阵地与网格',
          items: [
            { key: 'four_ones', label: '"四个一"完备率', maxPoints: 20, source: 'metric', metric: 'four_ones' },
            { key: 'capacity', label: '网格容量达标率', maxPoints: 15, source: 'metric', metric: 'capacity_ok' },
          ],
        },
        {
          name: '工作响应',
          items: [
            { key: 'notices', label: '通知及时确认率', maxPoints: 25, source: 'metric', metric: 'notice_on_time' },
          ],
        },
        {
          name: '特色工作',
          items: [{ key: 'highlights', label: '特色亮点（附佐证）', maxPoints: 40, source: 'manual' }],
        },
      ],
      tiers: [
        { name: '一档', topPercent: 20, subsidyFen: 500_000, multiplierPct: 150 },
        { name: '二档', topPercent: 50, subsidyFen: 300_000, multiplierPct: 130 },
        { name: '三档', topPercent: 100, subsidyFen: 100_000, multiplierPct: 110 },
      ],
    };
  }
  return {
    categories: [
      {
        name: '日常工作',
        items: [
          { key: 'notices', label: '通知及时确认率', maxPoints: 150, source: 'metric', metric: 'notice_on_time' },
          { key: 'four_ones', label: '网格"四个一"完备率', maxPoints: 150, source: 'metric', metric: 'four_ones' },
          { key: 'daily', label: '日常工作考评', maxPoints: 100, source: 'manual' },
        ],
      },
      {
        name: '重点工作',
        items: [
          { key: 'budget', label: '团建经费预算规则', maxPoints: 200, source: 'metric', metric: 'budget_compliance' },
          { key: 'key_work', label: '重点工作完成情况', maxPoints: 200, source: 'manual' },
        ],
      },
      {
        name: '问题解决',
        items: [{ key: 'problems', label: '问题解决（附佐证）', maxPoints: 200, source: 'manual' }],
      },
    ],
    tiers: [],
  };
}

/** A period: "2026Q4" (a quarter) or "2026" (a year), as [start, end) instants in Asia/Shanghai. */
export const PeriodSchema = z.string().regex(/^20\d{2}(Q[1-4])?$/);
export function periodRange(period: string): { from: string; to: string; year: number } {
  const year = Number(period.slice(0, 4));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (period.length === 4)
    return { from: `${year}-01-01T00:00:00+08:00`, to: `${year + 1}-01-01T00:00:00+08:00`, year };
  const q = Number(period[5]);
  const startMonth = (q - 1) * 3 + 1;
  const to = q === 4 ? `${year + 1}-01-01T00:00:00+08:00` : `${year}-${pad(startMonth + 3)}-01T00:00:00+08:00`;
  return { from: `${year}-${pad(startMonth)}-01T00:00:00+08:00`, to, year };
}

export type MetricValue = { value: number | null; numerator?: number | null; denominator?: number | null };

const round2r = (v: number) => Math.round(v * 100) / 100;

/** Points of a computed item: maxPoints × min(value ÷ target, 1); no value earns nothing. */
export function metricPoints(item: RankingItem, value: number | null): number {
  if (value === null || !Number.isFinite(value) || value <= 0) return 0;
  return round2r(item.maxPoints * Math.min(1, value / (item.target ?? 1)));
}

export type RankingInputOrg = { id: number; name: string; parentName: string | null };
export type RankedItem = {
  key: string;
  label: string;
  category: string;
  source: 'metric' | 'manual';
  metric: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  points: number;
  maxPoints: number;
  note: string | null;
  evidence: string | null;
};
export type RankedOrg = {
  orgId: number;
  orgName: string;
  parentName: string | null;
  rank: number;
  total: number;
  tier: { name: string; subsidyFen: number; multiplierPct: number | null } | null;
  categories: { name: string; points: number; maxPoints: number }[];
  items: RankedItem[];
};

/**
 * 排名 Scores every org (computed items from the metric values, manual items as entered, capped at
 * their maximum), ranks by total (ties share a rank: 1, 2, 2, 4; equal totals listed by name) and
 * assigns tiers: walking the tier table from the top, a tier takes the orgs whose rank is within
 * ⌈n × topPercent ÷ 100⌉ and not yet in a tier above.
 */
export function rankOrgs(
  def: RankingDefinition,
  orgs: readonly RankingInputOrg[],
  metrics: ReadonlyMap<string, ReadonlyMap<number, MetricValue>>,
  manual: ReadonlyMap<number, ReadonlyMap<string, { points: number; note: string | null; evidence: string | null }>>,
): RankedOrg[] {
  const scored = orgs.map((org) => {
    const items: RankedItem[] = [];
    const categories = def.categories.map((c) => {
      let points = 0;
      let max = 0;
      for (const item of c.items) {
        let p = 0;
        let mv: MetricValue = { value: null };
        let m: { note: string | null; evidence: string | null } = { note: null, evidence: null };
        if (item.source === 'metric') {
          mv = metrics.get(item.metric!)?.get(org.id) ?? { value: null };
          p = metricPoints(item, mv.value);
        } else {
          const entry = manual.get(org.id)?.get(item.key);
          if (entry) {
            p = round2r(Math.min(item.maxPoints, Math.max(0, entry.points)));
            m = entry;
          }
        }
        points += p;
        max += item.maxPoints;
        items.push({
          key: item.key,
          label: item.label,
          category: c.name,
          source: item.source,
          metric: item.metric ?? null,
          value: mv.value,
          numerator: mv.numerator ?? null,
          denominator: mv.denominator ?? null,
          points: p,
          maxPoints: item.maxPoints,
          note: m.note,
          evidence: m.evidence,
        });
      }
      return { name: c.name, points: round2r(points), maxPoints: round2r(max) };
    });
    const total = round2r(categories.reduce((s, c) => s + c.points, 0));
    return { orgId: org.id, orgName: org.name, parentName: org.parentName, total, categories, items };
  });
  scored.sort((a, b) => b.total - a.total || a.orgName.localeCompare(b.orgName, 'zh-CN') || a.orgId - b.orgId);
  const n = scored.length;
  let rank = 0;
  return scored.map((s, i) => {
    if (i === 0 || s.total !== scored[i - 1].total) rank = i + 1;
    const tier = def.tiers.find((t) => rank <= Math.ceil((n * t.topPercent) / 100));
    return {
      ...s,
      rank,
      tier: tier ? { name: tier.name, subsidyFen: tier.subsidyFen, multiplierPct: tier.multiplierPct ?? null } : null,
    };
  });
}

// ---- API contract of the rankings ----

export const RankingSchemeCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(RANKING_KINDS),
    /** start from the built-in template of the kind, or give a definition */
    fromTemplate: z.literal(true).optional(),
    definition: RankingDefinitionSchema.optional(),
  })
  .strict()
  .refine((v) => (v.fromTemplate === undefined) !== (v.definition === undefined), {
    path: ['definition'],
    message: 'give either fromTemplate or definition',
  });

export const RankingSchemeUpdateSchema = z
  .object({ name: z.string().trim().min(1).max(100).optional(), definition: RankingDefinitionSchema.optional() })
  .strict();

export const RankingSchemeSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  kind: z.enum(RANKING_KINDS),
  name: z.string(),
  definition: RankingDefinitionSchema,
  maxTotal: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const RankingSchemeListSchema = z.object({ items: z.array(RankingSchemeSchema) });

export const RankingMetricInfoSchema = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.enum(['ratio', 'count']),
  description: z.string(),
});
export const RankingMetricListSchema = z.object({ items: z.array(RankingMetricInfoSchema) });

export const RankingPeriodCreateSchema = z
  .object({ schemeId: z.number().int().positive(), period: PeriodSchema })
  .strict();

export const RankingPeriodSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  schemeId: z.number().int(),
  schemeName: z.string(),
  kind: z.enum(RANKING_KINDS),
  period: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(['open', 'published']),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const RankingPeriodListSchema = z.object({ items: z.array(RankingPeriodSchema) });

export const ManualScoresSchema = z
  .object({
    orgId: z.number().int().positive(),
    items: z
      .array(
        z
          .object({
            itemKey: ItemKey,
            points: z
              .number()
              .min(0)
              .max(THOUSAND_TOTAL)
              .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { message: 'at most two decimals' }),
            note: z.string().trim().max(500).nullish(),
            /** a link to the evidence (document, photo) */
            evidence: z.string().trim().max(500).nullish(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

const RankedItemSchema = z.object({
  key: z.string(),
  label: z.string(),
  category: z.string(),
  source: z.enum(['metric', 'manual']),
  metric: z.string().nullable(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  points: z.number(),
  maxPoints: z.number(),
  note: z.string().nullable(),
  evidence: z.string().nullable(),
});
export const RankedOrgSchema = z.object({
  orgId: z.number().int(),
  orgName: z.string(),
  parentName: z.string().nullable(),
  rank: z.number().int(),
  total: z.number(),
  tier: z
    .object({ name: z.string(), subsidyFen: z.number().int(), multiplierPct: z.number().int().nullable() })
    .nullable(),
  categories: z.array(z.object({ name: z.string(), points: z.number(), maxPoints: z.number() })),
  items: z.array(RankedItemSchema),
});
export const RankingResultsSchema = z.object({
  period: RankingPeriodSchema,
  maxTotal: z.number(),
  /** true while the period is open (computed now); false: the snapshot frozen at publication */
  live: z.boolean(),
  computedAt: z.string(),
  rows: z.array(RankedOrgSchema),
});
export type RankingResults = z.infer<typeof RankingResultsSchema>;

export const DrilldownQuerySchema = z.object({ orgId: z.coerce.number().int().positive(), itemKey: ItemKey }).strict();
export const DrilldownSchema = z.object({
  orgId: z.number().int(),
  itemKey: z.string(),
  metric: z.string().nullable(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  columns: z.array(z.object({ key: z.string(), label: z.string() })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  /** more records exist than listed */
  truncated: z.boolean(),
});

export const RankingHistoryQuerySchema = z.object({ orgId: z.coerce.number().int().positive() }).strict();
export const RankingHistorySchema = z.object({
  orgId: z.number().int(),
  items: z.array(
    z.object({
      periodId: z.number().int(),
      period: z.string(),
      rank: z.number().int(),
      of: z.number().int(),
      total: z.number(),
      maxTotal: z.number(),
      tier: z.string().nullable(),
      categories: z.array(z.object({ name: z.string(), points: z.number(), maxPoints: z.number() })),
    }),
  ),
});

// ---- Awards 评优 ----

export const AWARD_NOMINEE_TYPES = ['org', 'grid', 'person', 'project', 'team'] as const;
/** The award kinds the seeds name, offered as presets. */
export const AWARD_KIND_PRESETS: { name: string; nomineeType: (typeof AWARD_NOMINEE_TYPES)[number] }[] = [
  { name: '示范网格团组织', nomineeType: 'org' },
  { name: '最美网格团干部', nomineeType: 'person' },
  { name: '魅力网格', nomineeType: 'grid' },
  { name: '优秀项目', nomineeType: 'project' },
  { name: '活力团队', nomineeType: 'team' },
  { name: '先进个人', nomineeType: 'person' },
  { name: '五四红旗团委', nomineeType: 'org' },
];

export const AwardKindCreateSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).optional(),
    nomineeType: z.enum(AWARD_NOMINEE_TYPES),
  })
  .strict();
export const AwardKindSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  nomineeType: z.enum(AWARD_NOMINEE_TYPES),
  active: z.boolean(),
  createdAt: z.string(),
});
export const AwardKindListSchema = z.object({ items: z.array(AwardKindSchema) });

export const EvidenceSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    url: z
      .string()
      .trim()
      .max(500)
      .regex(/^(https?:\/\/|\/)/, { message: 'a http(s) link or a path' })
      .optional(),
  })
  .strict();

export const NominationCreateSchema = z
  .object({
    kindId: z.number().int().positive(),
    year: z.number().int().min(2000).max(2100),
    /** the nominated org, or the org the nominated person / grid / project / team belongs to */
    orgId: z.number().int().positive(),
    nomineeName: z.string().trim().min(1).max(100),
    reasons: z.string().trim().min(1).max(5000),
    evidence: z.array(EvidenceSchema).max(20).default([]),
  })
  .strict();

export const NominationReviewSchema = z
  .object({ decision: z.enum(['approved', 'rejected']), note: z.string().trim().max(500).optional() })
  .strict();

export const AwardPublishSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    kindId: z.number().int().positive(),
    year: z.number().int().min(2000).max(2100),
  })
  .strict();

export const NominationSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  kindId: z.number().int(),
  kindName: z.string(),
  year: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  nomineeName: z.string(),
  reasons: z.string(),
  evidence: z.array(z.object({ title: z.string(), url: z.string().optional() })),
  status: z.enum(['nominated', 'approved', 'rejected']),
  nominatedBy: z.object({ id: z.number().int(), name: z.string() }),
  reviewNote: z.string().nullable(),
  reviewedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  reviewedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const NominationListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    kindId: z.coerce.number().int().positive().optional(),
    status: z.enum(['nominated', 'approved', 'rejected', 'published']).optional(),
  })
  .strict();
export const NominationListSchema = z.object({ items: z.array(NominationSchema) });

/** A nomination with the nominee org's platform records beside it (rankings, assessments, registered sources). */
export const NominationDetailSchema = NominationSchema.extend({
  records: z.object({
    rankings: z.array(
      z.object({
        schemeName: z.string(),
        period: z.string(),
        rank: z.number().int(),
        of: z.number().int(),
        total: z.number(),
        maxTotal: z.number(),
        tier: z.string().nullable(),
      }),
    ),
    assessments: z.array(
      z.object({
        roundName: z.string(),
        period: z.string(),
        overall: z.number().nullable(),
        band: z.string().nullable(),
      }),
    ),
    /** figures of modules that register a nominee-record source (activities, ratings …) */
    other: z.array(z.object({ key: z.string(), label: z.string(), value: z.union([z.number(), z.string()]) })),
  }),
});
