import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AwardKindCreateSchema,
  AwardKindListSchema,
  AwardKindSchema,
  AwardPublishSchema,
  DrilldownQuerySchema,
  DrilldownSchema,
  IndicatorSetCreateSchema,
  IndicatorSetDefinitionSchema,
  IndicatorSetListSchema,
  IndicatorSetSchema,
  IndicatorSetUpdateSchema,
  ManualScoresSchema,
  NominationCreateSchema,
  NominationDetailSchema,
  NominationListQuerySchema,
  NominationListSchema,
  NominationReviewSchema,
  NominationSchema,
  RankingHistoryQuerySchema,
  RankingHistorySchema,
  RankingMetricListSchema,
  RankingPeriodCreateSchema,
  RankingPeriodListSchema,
  RankingPeriodSchema,
  RankingResultsSchema,
  RankingSchemeCreateSchema,
  RankingSchemeListSchema,
  RankingSchemeSchema,
  RankingSchemeUpdateSchema,
  RoundCreateSchema,
  RoundDetailSchema,
  RoundListSchema,
  RoundResultsSchema,
  RoundSchema,
  ScoreEntrySchema,
  ScoreListSchema,
  SelfReviewEntrySchema,
  SelfReviewQuerySchema,
  SelfReviewSchema,
  SelfScoreEntrySchema,
  SelfSubmitSchema,
} from '../../../domain/assessment.ts';
import { IdParamSchema } from '../../../domain/common.ts';
import * as assessments from './assessments.service.ts';
import * as awards from './awards.service.ts';
import { registerBuiltinRankingMetrics } from './ranking-metrics.ts';
import * as rankings from './rankings.service.ts';
import * as selfReview from './self-review.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (fileName: string) =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

const DistrictQuery = z.object({ districtId: z.coerce.number().int().positive().optional() }).strict();

/** 考核 assessment rounds on the 7-point scale (Keqiao template built in). */
export const assessmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['assessments'];
  registerBuiltinRankingMetrics();
  rankings.registerTierMultiplier();

  app.get(
    '/api/assessments/template',
    {
      schema: {
        tags,
        description: 'The built-in Keqiao 2013 set (10 indicators, 30 items)',
        response: { 200: IndicatorSetDefinitionSchema },
      },
    },
    async () => assessments.getTemplate(),
  );
  app.get(
    '/api/assessments/sets',
    { schema: { tags, querystring: DistrictQuery, response: { 200: IndicatorSetListSchema } } },
    async (req) => assessments.getSets(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/assessments/sets',
    {
      schema: {
        tags,
        querystring: DistrictQuery,
        body: IndicatorSetCreateSchema,
        response: { 201: IndicatorSetSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return assessments.createSet(db, req.actor(), req.body, req.query.districtId);
    },
  );
  app.put(
    '/api/assessments/sets/:id',
    {
      schema: {
        tags,
        description: 'Edits a set (name, indicators, items); refused once a round uses it — copy it instead',
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: IndicatorSetUpdateSchema,
        response: { 200: IndicatorSetSchema },
      },
    },
    async (req) => assessments.editSet(db, req.actor(), req.params.id, req.body, req.query.districtId),
  );
  app.get(
    '/api/assessments/rounds',
    { schema: { tags, querystring: DistrictQuery, response: { 200: RoundListSchema } } },
    async (req) => assessments.getRounds(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/assessments/rounds',
    { schema: { tags, querystring: DistrictQuery, body: RoundCreateSchema, response: { 201: RoundSchema } } },
    async (req, reply) => {
      reply.code(201);
      return assessments.createRound(db, req.actor(), req.body, req.query.districtId);
    },
  );
  app.get(
    '/api/assessments/rounds/:id',
    {
      schema: {
        tags,
        description: 'One round with the indicator set it is scored against (for its assessors too)',
        params: IdParamSchema,
        querystring: DistrictQuery,
        response: { 200: RoundDetailSchema },
      },
    },
    async (req) => assessments.getRound(db, req.actor(), req.params.id, req.query.districtId),
  );
  app.get(
    '/api/assessments/rounds/:id/scores',
    {
      schema: {
        tags,
        description: "The caller's own scores of one assessed org",
        params: IdParamSchema,
        querystring: DistrictQuery.extend({ orgId: z.coerce.number().int().positive() }).strict(),
        response: { 200: ScoreListSchema },
      },
    },
    async (req) => assessments.getMyScores(db, req.actor(), req.params.id, req.query.orgId, req.query.districtId),
  );
  app.put(
    '/api/assessments/rounds/:id/scores',
    {
      schema: {
        tags,
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: ScoreEntrySchema,
        response: { 200: ScoreListSchema },
      },
    },
    async (req) => assessments.enterScores(db, req.actor(), req.params.id, req.body, req.query.districtId),
  );
  app.get(
    '/api/assessments/rounds/:id/results',
    { schema: { tags, params: IdParamSchema, querystring: DistrictQuery, response: { 200: RoundResultsSchema } } },
    async (req) => assessments.getResults(db, req.actor(), req.params.id, req.query.districtId),
  );

  // ---- Self-assessment and district review (自评 + 区级审核, rounds of mode self_review) ----
  app.get(
    '/api/assessments/rounds/:id/self',
    {
      schema: {
        tags,
        description:
          "One org's self-assessment and its review, item by item: for that org's own cadres and the district's reviewers",
        params: IdParamSchema,
        querystring: SelfReviewQuerySchema,
        response: { 200: SelfReviewSchema },
      },
    },
    async (req) => selfReview.getSelfReview(db, req.actor(), req.params.id, req.query.orgId, req.query.districtId),
  );
  app.put(
    '/api/assessments/rounds/:id/self',
    {
      schema: {
        tags,
        description: 'The assessed org scores itself (a draft until submitted; re-saving replaces an item)',
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: SelfScoreEntrySchema,
        response: { 200: SelfReviewSchema },
      },
    },
    async (req) => selfReview.enterSelfScores(db, req.actor(), req.params.id, req.body, req.query.districtId),
  );
  app.post(
    '/api/assessments/rounds/:id/self/submit',
    {
      schema: {
        tags,
        description: 'Submits the self-assessment (every item scored): pending → self_submitted',
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: SelfSubmitSchema,
        response: { 200: SelfReviewSchema },
      },
    },
    async (req) => selfReview.submitSelf(db, req.actor(), req.params.id, req.body.orgId, req.query.districtId),
  );
  app.post(
    '/api/assessments/rounds/:id/review',
    {
      schema: {
        tags,
        description:
          'A reviewer accepts or adjusts (score + note) every item of a submitted self-assessment; the reviewed scores count',
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: SelfReviewEntrySchema,
        response: { 200: SelfReviewSchema },
      },
    },
    async (req) => selfReview.reviewSelf(db, req.actor(), req.params.id, req.body, req.query.districtId),
  );

  app.get(
    '/api/assessments/rounds/:id/results.xlsx',
    {
      schema: {
        tags,
        description: 'The round results as .xlsx (indicator means and bands per org, item means)',
        params: IdParamSchema,
        querystring: DistrictQuery,
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await assessments.resultsWorkbook(
        db,
        req.actor(),
        req.params.id,
        req.query.districtId,
      );
      return reply
        .type(XLSX)
        .header('cache-control', 'no-store')
        .header('content-disposition', disposition(fileName))
        .send(buffer);
    },
  );

  // ---- Rankings (季度排行榜) and the 1000-point scheme (千分制) ----
  const rtags = ['rankings'];
  app.get(
    '/api/assessments/rankings/metrics',
    {
      schema: {
        tags: rtags,
        description: 'The computed metrics a scheme may use (registered by the modules)',
        response: { 200: RankingMetricListSchema },
      },
    },
    async (req) => rankings.getMetrics(req.actor()),
  );
  app.get(
    '/api/assessments/rankings/schemes',
    { schema: { tags: rtags, querystring: DistrictQuery, response: { 200: RankingSchemeListSchema } } },
    async (req) => rankings.getSchemes(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/assessments/rankings/schemes',
    {
      schema: {
        tags: rtags,
        querystring: DistrictQuery,
        body: RankingSchemeCreateSchema,
        response: { 201: RankingSchemeSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return rankings.createScheme(db, req.actor(), req.body, req.query.districtId);
    },
  );
  app.get(
    '/api/assessments/rankings/schemes/:id',
    {
      schema: {
        tags: rtags,
        params: IdParamSchema,
        querystring: DistrictQuery,
        response: { 200: RankingSchemeSchema },
      },
    },
    async (req) => rankings.getScheme(db, req.actor(), req.params.id, req.query.districtId),
  );
  app.put(
    '/api/assessments/rankings/schemes/:id',
    {
      schema: {
        tags: rtags,
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: RankingSchemeUpdateSchema,
        response: { 200: RankingSchemeSchema },
      },
    },
    async (req) => rankings.editScheme(db, req.actor(), req.params.id, req.body, req.query.districtId),
  );
  app.get(
    '/api/assessments/rankings/schemes/:id/history',
    {
      schema: {
        tags: rtags,
        description: "An org's total, rank and breakdown across the scheme's published periods",
        params: IdParamSchema,
        querystring: RankingHistoryQuerySchema.extend(DistrictQuery.shape).strict(),
        response: { 200: RankingHistorySchema },
      },
    },
    async (req) => rankings.history(db, req.actor(), req.params.id, req.query.orgId, req.query.districtId),
  );
  app.get(
    '/api/assessments/rankings/periods',
    {
      schema: {
        tags: rtags,
        querystring: DistrictQuery.extend({
          schemeId: z.coerce.number().int().positive().max(2147483647).optional(),
        }).strict(),
        response: { 200: RankingPeriodListSchema },
      },
    },
    async (req) => rankings.getPeriods(db, req.actor(), req.query),
  );
  app.post(
    '/api/assessments/rankings/periods',
    {
      schema: {
        tags: rtags,
        querystring: DistrictQuery,
        body: RankingPeriodCreateSchema,
        response: { 201: RankingPeriodSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return rankings.createPeriod(db, req.actor(), req.body, req.query.districtId);
    },
  );
  app.get(
    '/api/assessments/rankings/periods/:id/results',
    {
      schema: {
        tags: rtags,
        description: 'Live for district admins while open; the published snapshot (your subtree) otherwise',
        params: IdParamSchema,
        querystring: DistrictQuery,
        response: { 200: RankingResultsSchema },
      },
    },
    async (req) => rankings.getResults(db, req.actor(), req.params.id, req.query.districtId),
  );
  app.get(
    '/api/assessments/rankings/periods/:id/results.xlsx',
    { schema: { tags: rtags, params: IdParamSchema, querystring: DistrictQuery } },
    async (req, reply) => {
      const { buffer, fileName } = await rankings.resultsWorkbook(db, req.actor(), req.params.id, req.query.districtId);
      return reply
        .type(XLSX)
        .header('cache-control', 'no-store')
        .header('content-disposition', disposition(fileName))
        .send(buffer);
    },
  );
  app.get(
    '/api/assessments/rankings/periods/:id/drilldown',
    {
      schema: {
        tags: rtags,
        description: 'The records behind one item of one org (the grids, receipts, budget … it was computed from)',
        params: IdParamSchema,
        querystring: DrilldownQuerySchema.extend(DistrictQuery.shape).strict(),
        response: { 200: DrilldownSchema },
      },
    },
    async (req) => rankings.drilldown(db, req.actor(), req.params.id, req.query, req.query.districtId),
  );
  app.put(
    '/api/assessments/rankings/periods/:id/manual',
    {
      schema: {
        tags: rtags,
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: ManualScoresSchema,
        response: { 200: RankingResultsSchema },
      },
    },
    async (req) => rankings.enterManualScores(db, req.actor(), req.params.id, req.body, req.query.districtId),
  );
  app.post(
    '/api/assessments/rankings/periods/:id/publish',
    {
      schema: {
        tags: rtags,
        params: IdParamSchema,
        querystring: DistrictQuery,
        body: z.object({}).strict().optional(),
        response: { 200: RankingResultsSchema },
      },
    },
    async (req) => rankings.publish(db, req.actor(), req.params.id, req.query.districtId),
  );

  // ---- Awards 评优 ----
  const atags = ['awards'];
  app.get(
    '/api/assessments/awards/kinds',
    { schema: { tags: atags, querystring: DistrictQuery, response: { 200: AwardKindListSchema } } },
    async (req) => awards.getKinds(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/assessments/awards/kinds',
    { schema: { tags: atags, body: AwardKindCreateSchema, response: { 201: AwardKindSchema } } },
    async (req, reply) => {
      reply.code(201);
      return awards.createKind(db, req.actor(), req.body);
    },
  );
  app.get(
    '/api/assessments/awards/nominations',
    {
      schema: {
        tags: atags,
        description: 'Nominations of orgs in your subtree; status=published: the published results of the district',
        querystring: NominationListQuerySchema,
        response: { 200: NominationListSchema },
      },
    },
    async (req) => awards.getNominations(db, req.actor(), req.query),
  );
  app.post(
    '/api/assessments/awards/nominations',
    { schema: { tags: atags, body: NominationCreateSchema, response: { 201: NominationSchema } } },
    async (req, reply) => {
      reply.code(201);
      return awards.nominate(db, req.actor(), req.body);
    },
  );
  app.get(
    '/api/assessments/awards/nominations/:id',
    {
      schema: {
        tags: atags,
        description: "A nomination with the nominee org's platform records (rankings, assessments …)",
        params: IdParamSchema,
        response: { 200: NominationDetailSchema },
      },
    },
    async (req) => awards.getNomination(db, req.actor(), req.params.id),
  );
  app.post(
    '/api/assessments/awards/nominations/:id/review',
    {
      schema: { tags: atags, params: IdParamSchema, body: NominationReviewSchema, response: { 200: NominationSchema } },
    },
    async (req) => awards.review(db, req.actor(), req.params.id, req.body),
  );
  app.post(
    '/api/assessments/awards/publish',
    { schema: { tags: atags, body: AwardPublishSchema, response: { 200: NominationListSchema } } },
    async (req) => awards.publishAwards(db, req.actor(), req.body),
  );
};
