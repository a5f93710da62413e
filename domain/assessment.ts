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
    /** Accounts that score (district cadres). */
    assessorIds: z.array(z.number().int().positive()).min(1).max(100),
    thresholds: BandThresholdsSchema.optional(),
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
  orgs: z.array(z.object({ id: z.number().int(), name: z.string() })),
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
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();

export const ScoreListSchema = z.object({
  items: z.array(z.object({ itemKey: z.string(), score: z.number(), note: z.string().nullable() })),
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
export const RoundResultsSchema = z.object({
  /** All orgs in the viewer's scope together (the district view for a district cadre). */
  combined: AssessmentResultSchema,
  orgs: z.array(z.object({ orgId: z.number().int(), orgName: z.string(), result: AssessmentResultSchema })),
});
