import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ActivityDetailSchema,
  ActivityListQuerySchema,
  ActivityListSchema,
  ActivityOpenSchema,
  ActivityUpdateSchema,
  ByCategorySchema,
  CallCreateSchema,
  CallListSchema,
  CallSchema,
  CategoryCreateSchema,
  CategoryListSchema,
  CategorySchema,
  CategoryUpdateSchema,
  CheckinByPhoneSchema,
  CheckinResultSchema,
  CommentReplySchema,
  DistrictQuerySchema,
  FiguresQuerySchema,
  FunnelSchema,
  GridsWithoutTeamSchema,
  IdeaCreateSchema,
  ParticipationSchema,
  PlanCreateSchema,
  PlanDetailSchema,
  PlanListQuerySchema,
  PlanListSchema,
  PlanSchema,
  PlanUpdateSchema,
  PublicActivitySchema,
  PublicCommentCreateSchema,
  PublicIdeaCreateSchema,
  PublicPlanSchema,
  PublicSignupResultSchema,
  PublicSignupSchema,
  PublicThemeSchema,
  QrTokenSchema,
  RatingCreateSchema,
  ReturnSchema,
  ReviewNoteSchema,
  ShortlistSchema,
  SignupListSchema,
  SummaryCreateSchema,
  TeamCreateSchema,
  TeamDetailSchema,
  TeamListSchema,
  TeamMemberSetSchema,
  TeamSchema,
  TeamUpdateSchema,
  ThemeCreateSchema,
  ThemeDetailSchema,
  ThemeListQuerySchema,
  ThemeListSchema,
  ThemeSchema,
  VolunteerHoursQuerySchema,
  VolunteerHoursSchema,
  WalkInSchema,
} from '../../../domain/activity.ts';
import { IdParamSchema } from '../../../domain/common.ts';
import { PHOTO_BODY_LIMIT } from '../../../domain/photo.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { registerActivitiesSection } from './activities.dashboard.ts';
import * as activities from './activities.service.ts';
import { registerActivityPhotos } from './activity-photos.ts';
import * as teams from './teams.service.ts';

const TokenParamSchema = z.object({ token: z.string().max(100) });
const MemberParamSchema = z.object({
  id: z.coerce.number().int().positive().max(2147483647),
  personId: z.coerce.number().int().positive().max(2147483647),
});
const SignupParamSchema = z.object({
  id: z.coerce.number().int().positive().max(2147483647),
  signupId: z.coerce.number().int().positive().max(2147483647),
});
const CancelResultSchema = z.object({ cancelled: z.literal(true), promotedSignupId: z.number().int().nullable() });
const StaffCheckinSchema = z.object({ signupId: z.number().int().positive().max(2147483647) }).strict();
const CancelSchema = z
  .object({ note: z.string().trim().max(1000).optional() })
  .strict()
  .optional();

/**
 * 活动 themes → plans → activities → sign-up / attendance → summary / publicity, and the youth's
 * phone pages (plan comments, theme ideas, the activity QR page: sign-up, check-in, rating).
 * Env: JINGWEI_PUBLIC_BASE_URL (the address QR codes point at; default: the request's own host).
 */
export const activityRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['activities'];
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  const configuredBase = process.env.JINGWEI_PUBLIC_BASE_URL?.trim() || null;
  const baseUrl = (req: FastifyRequest) => configuredBase ?? `${req.protocol}://${req.host}`;
  const publicConfig = (max: number) => ({ public: true, rateLimit: { max, timeWindow: 60_000 } });
  registerActivitiesSection();
  registerActivityPhotos();

  // ── categories ──
  app.get(
    '/api/activity-categories',
    { schema: { tags, querystring: DistrictQuerySchema, response: { 200: CategoryListSchema } } },
    async (req) => activities.searchCategories(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/activity-categories',
    {
      schema: { tags, querystring: DistrictQuerySchema, body: CategoryCreateSchema, response: { 201: CategorySchema } },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.createCategory(db, req.actor(), req.body, req.query.districtId);
    },
  );
  app.patch(
    '/api/activity-categories/:id',
    { schema: { tags, params: IdParamSchema, body: CategoryUpdateSchema, response: { 200: CategorySchema } } },
    async (req) => activities.updateCategory(db, req.actor(), req.params.id, req.body),
  );

  // ── themes ──
  app.get(
    '/api/activity-themes',
    { schema: { tags, querystring: ThemeListQuerySchema, response: { 200: ThemeListSchema } } },
    async (req) => activities.searchThemes(db, req.actor(), req.query),
  );
  app.post(
    '/api/activity-themes',
    {
      schema: {
        tags,
        description: '征集主题 opens a theme solicitation of an org of your subtree, with a deadline.',
        body: ThemeCreateSchema,
        response: { 201: ThemeSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.createTheme(db, req.actor(), req.body);
    },
  );
  app.get(
    '/api/activity-themes/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: ThemeDetailSchema } } },
    async (req) => activities.getTheme(db, req.actor(), req.params.id),
  );
  app.post(
    '/api/activity-themes/:id/ideas',
    { schema: { tags, params: IdParamSchema, body: IdeaCreateSchema, response: { 201: ThemeDetailSchema } } },
    async (req, reply) => {
      reply.code(201);
      return activities.addIdea(db, req.actor(), req.params.id, req.body);
    },
  );
  app.post(
    '/api/activity-themes/:id/publish',
    {
      schema: {
        tags,
        description: 'Publishes the theme with its shortlisted ideas.',
        params: IdParamSchema,
        response: { 200: ThemeDetailSchema },
      },
    },
    async (req) => activities.publishTheme(db, req.actor(), req.params.id),
  );
  app.post(
    '/api/activity-theme-ideas/:id/shortlist',
    { schema: { tags, params: IdParamSchema, body: ShortlistSchema, response: { 200: ThemeDetailSchema } } },
    async (req) => activities.shortlistIdea(db, req.actor(), req.params.id, req.body.shortlisted),
  );

  // ── plans ──
  app.get(
    '/api/activity-plans',
    {
      schema: {
        tags,
        description: 'Plans of your subtree; view=to_approve: submitted plans you may decide (the level above).',
        querystring: PlanListQuerySchema,
        response: { 200: PlanListSchema },
      },
    },
    async (req) => activities.searchPlans(db, req.actor(), req.query),
  );
  app.post(
    '/api/activity-plans',
    { schema: { tags, body: PlanCreateSchema, response: { 201: PlanSchema } } },
    async (req, reply) => {
      reply.code(201);
      return activities.createPlan(db, req.actor(), req.body);
    },
  );
  app.get(
    '/api/activity-plans/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: PlanDetailSchema } } },
    async (req) => activities.getPlan(db, req.actor(), req.params.id),
  );
  app.patch(
    '/api/activity-plans/:id',
    {
      schema: {
        tags,
        description: 'Edits a draft or returned plan.',
        params: IdParamSchema,
        body: PlanUpdateSchema,
        response: { 200: PlanSchema },
      },
    },
    async (req) => activities.updatePlan(db, req.actor(), req.params.id, req.body),
  );
  app.post(
    '/api/activity-plans/:id/submit',
    { schema: { tags, params: IdParamSchema, response: { 200: PlanDetailSchema } } },
    async (req) => activities.transitionPlanAs(db, req.actor(), req.params.id, 'submit'),
  );
  app.post(
    '/api/activity-plans/:id/approve',
    {
      schema: {
        tags,
        description: 'By an org admin of an org above the plan’s, or the district.',
        params: IdParamSchema,
        body: ReviewNoteSchema,
        response: { 200: PlanDetailSchema },
      },
    },
    async (req) => activities.transitionPlanAs(db, req.actor(), req.params.id, 'approve', req.body?.note),
  );
  app.post(
    '/api/activity-plans/:id/return',
    {
      schema: {
        tags,
        description: 'Sends the plan back with comments (same approvers as approve).',
        params: IdParamSchema,
        body: ReturnSchema,
        response: { 200: PlanDetailSchema },
      },
    },
    async (req) => activities.transitionPlanAs(db, req.actor(), req.params.id, 'return', req.body.note),
  );
  app.post(
    '/api/activity-plans/:id/cancel',
    { schema: { tags, params: IdParamSchema, body: CancelSchema, response: { 200: PlanDetailSchema } } },
    async (req) => activities.transitionPlanAs(db, req.actor(), req.params.id, 'cancel', req.body?.note),
  );
  app.post(
    '/api/activity-plan-comments/:id/reply',
    {
      schema: {
        tags,
        description: 'The organiser answers a youth’s comment: adopted or not (a reason is required when not).',
        params: IdParamSchema,
        body: CommentReplySchema,
        response: { 200: PlanDetailSchema },
      },
    },
    async (req) => activities.replyToComment(db, req.actor(), req.params.id, req.body),
  );
  app.post(
    '/api/activity-plans/:id/activities',
    {
      schema: {
        tags,
        description:
          'An approved plan becomes an activity (again for each occurrence of a series) with its sign-up window and QR code.',
        params: IdParamSchema,
        body: ActivityOpenSchema,
        response: { 201: ActivityDetailSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.openActivity(db, pii(), req.actor(), req.params.id, req.body, baseUrl(req));
    },
  );

  // ── activities ──
  app.get(
    '/api/activities',
    { schema: { tags, querystring: ActivityListQuerySchema, response: { 200: ActivityListSchema } } },
    async (req) => activities.searchActivities(db, pii(), req.actor(), req.query, baseUrl(req)),
  );
  app.get(
    '/api/activities/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: ActivityDetailSchema } } },
    async (req) => activities.getActivity(db, pii(), req.actor(), req.params.id, baseUrl(req)),
  );
  app.patch(
    '/api/activities/:id',
    {
      schema: {
        tags,
        description: 'Edits an activity while sign-up is open (409 ACTIVITY_STATE once running or later).',
        params: IdParamSchema,
        body: ActivityUpdateSchema,
        response: { 200: ActivityDetailSchema },
      },
    },
    async (req) => activities.updateActivity(db, pii(), req.actor(), req.params.id, req.body, baseUrl(req)),
  );
  for (const action of ['start', 'finish', 'cancel', 'publish'] as const) {
    app.post(
      `/api/activities/:id/${action}`,
      { schema: { tags, params: IdParamSchema, body: CancelSchema, response: { 200: ActivityDetailSchema } } },
      async (req) =>
        activities.transitionActivityAs(db, pii(), req.actor(), req.params.id, action, baseUrl(req), req.body?.note),
    );
  }
  app.post(
    '/api/activities/:id/summary',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      schema: {
        tags,
        description:
          'The summary of a finished activity (attendance defaults to the number checked in), with up to 9 photos (JPEG/PNG/WebP by content, 5 MB each, 20 MB in all); a refused photo leaves nothing written.',
        params: IdParamSchema,
        body: SummaryCreateSchema,
        response: { 201: ActivityDetailSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.summariseActivity(db, pii(), req.actor(), req.params.id, req.body, baseUrl(req));
    },
  );
  app.post(
    '/api/activities/:id/qr',
    {
      schema: {
        tags,
        description: 'A new sign-up / check-in code; the previous codes stop working.',
        params: IdParamSchema,
        response: { 200: QrTokenSchema },
      },
    },
    async (req) => activities.reissueQr(db, pii(), req.actor(), req.params.id, baseUrl(req)),
  );
  app.get(
    '/api/activities/:id/signups',
    {
      schema: {
        tags,
        description: 'Sign-ups (phones masked), check-ins and no-shows.',
        params: IdParamSchema,
        response: { 200: SignupListSchema },
      },
    },
    async (req) => activities.listSignupsOf(db, pii(), req.actor(), req.params.id),
  );
  app.post(
    '/api/activities/:id/check-ins',
    {
      schema: {
        tags,
        description: 'The organiser checks a sign-up in (within the window; once).',
        params: IdParamSchema,
        body: StaffCheckinSchema,
        response: { 201: CheckinResultSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.checkInSignup(db, req.actor(), req.params.id, req.body.signupId);
    },
  );
  app.post(
    '/api/activities/:id/signups/:signupId/cancel',
    {
      schema: {
        tags,
        description: 'Cancels a sign-up while sign-up is open; the first of the waiting list takes the seat.',
        params: SignupParamSchema,
        response: { 200: CancelResultSchema },
      },
    },
    async (req) => activities.cancelSignupAs(db, req.actor(), req.params.id, req.params.signupId),
  );
  app.post(
    '/api/activities/:id/walk-ins',
    { schema: { tags, params: IdParamSchema, body: WalkInSchema, response: { 201: CheckinResultSchema } } },
    async (req, reply) => {
      reply.code(201);
      return activities.addWalkIn(db, pii(), req.actor(), req.params.id, req.body);
    },
  );

  // ── service teams 服务团队 ──
  app.get(
    '/api/service-teams',
    {
      schema: {
        tags,
        description: 'Teams of your subtree, with a warning when a team has fewer than 2 backbones or 2 reserves.',
        querystring: DistrictQuerySchema,
        response: { 200: TeamListSchema },
      },
    },
    async (req) => teams.searchTeams(db, req.actor(), req.query.districtId),
  );
  app.post(
    '/api/service-teams',
    { schema: { tags, body: TeamCreateSchema, response: { 201: TeamSchema } } },
    async (req, reply) => {
      reply.code(201);
      return teams.createTeam(db, req.actor(), req.body);
    },
  );
  app.get(
    '/api/service-teams/grid-gaps',
    {
      schema: {
        tags,
        description: 'Active grids of your subtree without an active grid volunteer team (网格志愿服务队).',
        querystring: DistrictQuerySchema,
        response: { 200: GridsWithoutTeamSchema },
      },
    },
    async (req) => teams.gridGaps(db, req.actor(), req.query.districtId),
  );
  app.get(
    '/api/service-teams/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: TeamDetailSchema } } },
    async (req) => teams.getTeam(db, req.actor(), req.params.id),
  );
  app.patch(
    '/api/service-teams/:id',
    { schema: { tags, params: IdParamSchema, body: TeamUpdateSchema, response: { 200: TeamDetailSchema } } },
    async (req) => teams.updateTeam(db, req.actor(), req.params.id, req.body),
  );
  app.put(
    '/api/service-teams/:id/members',
    {
      schema: {
        tags,
        description: 'Adds a person of your subtree to the team, or changes the role (member, backbone, reserve).',
        params: IdParamSchema,
        body: TeamMemberSetSchema,
        response: { 200: TeamDetailSchema },
      },
    },
    async (req) => teams.setTeamMember(db, req.actor(), req.params.id, req.body),
  );
  app.delete(
    '/api/service-teams/:id/members/:personId',
    { schema: { tags, params: MemberParamSchema, response: { 200: TeamDetailSchema } } },
    async (req) => teams.removeTeamMember(db, req.actor(), req.params.id, req.params.personId),
  );

  // ── calls 二维召集令 ──
  app.get(
    '/api/activity-calls',
    {
      schema: {
        tags,
        description: 'Calls of your subtree with their sign-ups and how many came from outside the organising grids.',
        querystring: DistrictQuerySchema,
        response: { 200: CallListSchema },
      },
    },
    async (req) => teams.searchCalls(db, pii(), req.actor(), req.query.districtId, baseUrl(req)),
  );
  app.post(
    '/api/activity-calls',
    {
      schema: {
        tags,
        description: 'Publishes a call for an open activity to youth across grids (grid set, skills, categories).',
        body: CallCreateSchema,
        response: { 201: CallSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return teams.createCall(db, pii(), req.actor(), req.body, baseUrl(req));
    },
  );

  // ── figures 统计 ──
  app.get(
    '/api/activity-figures/funnel',
    {
      schema: {
        tags,
        description:
          'Funnel themes → plans → activities → summaries → published in [from, to) under an org (default: yours).',
        querystring: FiguresQuerySchema,
        response: { 200: FunnelSchema },
      },
    },
    async (req) => teams.getFunnel(db, req.actor(), req.query),
  );
  app.get(
    '/api/activity-figures/participation',
    {
      schema: {
        tags,
        description:
          'Participation rate: registered youth who attended ≥1 activity in [from, to); per town, grid, month.',
        querystring: FiguresQuerySchema,
        response: { 200: ParticipationSchema },
      },
    },
    async (req) => teams.getParticipation(db, req.actor(), req.query),
  );
  app.get(
    '/api/activity-figures/by-category',
    {
      schema: {
        tags,
        description: 'Activities (starting in the period) and active service teams per category.',
        querystring: FiguresQuerySchema,
        response: { 200: ByCategorySchema },
      },
    },
    async (req) => teams.getByCategory(db, req.actor(), req.query),
  );
  app.get(
    '/api/activity-figures/volunteer-hours',
    {
      schema: {
        tags,
        description: 'Volunteer hours per person from attendance (activities of your subtree, finished or later).',
        querystring: VolunteerHoursQuerySchema,
        response: { 200: VolunteerHoursSchema },
      },
    },
    async (req) => teams.hours(db, req.actor(), req.query),
  );

  // ── public calendar ──
  for (const kind of ['orgs', 'grids'] as const) {
    app.get(
      `/api/public/${kind}/:id/activities.ics`,
      {
        config: publicConfig(60),
        schema: {
          tags,
          security: [],
          description: `Public: iCalendar feed (text/calendar) of the activities of ${kind === 'orgs' ? "an org's subtree" : 'a grid'} (not cancelled; no personal data).`,
          params: IdParamSchema,
        },
      },
      async (req, reply) => {
        const body = await teams.calendarFeed(db, kind === 'orgs' ? 'org' : 'grid', req.params.id, req.host);
        return reply.type('text/calendar; charset=utf-8').send(body);
      },
    );
  }

  // ── public phone pages ──
  app.get(
    '/api/public/activity-themes/:id',
    {
      config: publicConfig(120),
      schema: { tags, security: [], params: IdParamSchema, response: { 200: PublicThemeSchema } },
    },
    async (req) => activities.getPublicTheme(db, req.params.id),
  );
  app.post(
    '/api/public/activity-themes/:id/ideas',
    {
      config: publicConfig(20),
      schema: {
        tags,
        security: [],
        description: 'Public: a youth submits a theme idea before the deadline.',
        params: IdParamSchema,
        body: PublicIdeaCreateSchema,
        response: { 201: PublicThemeSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.addPublicIdea(db, pii(), req.params.id, req.body);
    },
  );
  app.get(
    '/api/public/activity-plans/:id',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Public: a submitted or approved plan with its comments and replies (names masked).',
        params: IdParamSchema,
        response: { 200: PublicPlanSchema },
      },
    },
    async (req) => activities.getPublicPlan(db, req.params.id),
  );
  app.post(
    '/api/public/activity-plans/:id/comments',
    {
      config: publicConfig(20),
      schema: {
        tags,
        security: [],
        description: 'Public: 网上提议 a youth comments on a plan.',
        params: IdParamSchema,
        body: PublicCommentCreateSchema,
        response: { 201: PublicPlanSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.addPublicComment(db, pii(), req.params.id, req.body);
    },
  );
  app.get(
    '/api/public/activities/:id',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Public: the page of a published activity (summary, attendance, ratings; no personal data).',
        params: IdParamSchema,
        response: { 200: PublicActivitySchema },
      },
    },
    async (req) => activities.getPublishedActivity(db, req.params.id),
  );
  app.get(
    '/api/public/activity-qr/:token',
    {
      config: publicConfig(120),
      schema: {
        tags,
        security: [],
        description: 'Public: what the activity QR page shows.',
        params: TokenParamSchema,
        response: { 200: PublicActivitySchema },
      },
    },
    async (req) => activities.getPublicActivityByToken(db, pii(), req.params.token),
  );
  app.post(
    '/api/public/activity-qr/:token/signups',
    {
      config: publicConfig(Number(process.env.JINGWEI_SIGNUP_RATE_LIMIT ?? 30)),
      schema: {
        tags,
        security: [],
        description: 'Public: sign-up; admitted while places last, then wait-listed. Never over-admits.',
        params: TokenParamSchema,
        body: PublicSignupSchema,
        response: { 201: PublicSignupResultSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.signUpByToken(db, pii(), req.params.token, req.body);
    },
  );
  app.post(
    '/api/public/activity-qr/:token/check-in',
    {
      config: publicConfig(60),
      schema: {
        tags,
        security: [],
        description: 'Public: check-in by scanning the activity code, within the window, once per sign-up.',
        params: TokenParamSchema,
        body: CheckinByPhoneSchema,
        response: { 201: CheckinResultSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.checkInByToken(db, pii(), req.params.token, req.body.phone);
    },
  );
  app.post(
    '/api/public/activity-qr/:token/cancel',
    {
      config: publicConfig(30),
      schema: {
        tags,
        security: [],
        description: 'Public: a youth cancels his sign-up (while sign-up is open); the waiting list moves up.',
        params: TokenParamSchema,
        body: CheckinByPhoneSchema,
        response: { 200: CancelResultSchema },
      },
    },
    async (req) => activities.cancelByToken(db, pii(), req.params.token, req.body.phone),
  );
  app.post(
    '/api/public/activity-qr/:token/ratings',
    {
      config: publicConfig(30),
      schema: {
        tags,
        security: [],
        description: 'Public: 在线打分 a participant who checked in rates the activity (1–5) once.',
        params: TokenParamSchema,
        body: RatingCreateSchema,
        response: { 201: z.object({ count: z.number().int(), average: z.number().nullable() }) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return activities.rateByToken(db, pii(), req.params.token, req.body);
    },
  );
};
