CREATE TABLE "activity_categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"code" varchar(20),
	"name" varchar(30) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_themes" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"title" varchar(100) NOT NULL,
	"description" text,
	"deadline" timestamp with time zone NOT NULL,
	"status" varchar(12) DEFAULT 'soliciting' NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_themes_status_ck" CHECK ("activity_themes"."status" IN ('soliciting', 'published', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "activity_theme_ideas" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"theme_id" integer NOT NULL,
	"text" text NOT NULL,
	"author_name" varchar(50) NOT NULL,
	"source" varchar(10) NOT NULL,
	"account_id" integer,
	"phone_enc" text,
	"phone_idx" varchar(64),
	"person_id" integer,
	"shortlisted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"theme_id" integer,
	"org_id" integer NOT NULL,
	"title" varchar(100) NOT NULL,
	"purpose" text NOT NULL,
	"category_id" integer NOT NULL,
	"grid_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"venue" varchar(200) NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"budget_fen" bigint DEFAULT 0 NOT NULL,
	"resources" text,
	"team" varchar(500),
	"brand_project" boolean DEFAULT false NOT NULL,
	"grid_project" boolean DEFAULT false NOT NULL,
	"status" varchar(12) DEFAULT 'draft' NOT NULL,
	"review_note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_plans_status_ck" CHECK ("activity_plans"."status" IN ('draft', 'submitted', 'approved', 'returned', 'cancelled')),
	CONSTRAINT "activity_plans_range_ck" CHECK ("activity_plans"."ends_at" > "activity_plans"."starts_at"),
	CONSTRAINT "activity_plans_numbers_ck" CHECK ("activity_plans"."capacity" > 0 AND "activity_plans"."budget_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "activity_plan_comments" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"plan_id" integer NOT NULL,
	"author_name" varchar(50) NOT NULL,
	"phone_enc" text,
	"phone_idx" varchar(64),
	"person_id" integer,
	"text" text NOT NULL,
	"reply" text,
	"adopted" boolean,
	"reason" text,
	"replied_by" integer,
	"replied_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"plan_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"title" varchar(100) NOT NULL,
	"category_id" integer NOT NULL,
	"grid_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"venue" varchar(200) NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"admitted_count" integer DEFAULT 0 NOT NULL,
	"signup_opens_at" timestamp with time zone NOT NULL,
	"signup_closes_at" timestamp with time zone NOT NULL,
	"checkin_before_minutes" integer DEFAULT 30 NOT NULL,
	"status" varchar(12) DEFAULT 'open' NOT NULL,
	"brand_project" boolean DEFAULT false NOT NULL,
	"grid_project" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_status_ck" CHECK ("activities"."status" IN ('open', 'running', 'finished', 'summarised', 'published', 'cancelled')),
	CONSTRAINT "activities_range_ck" CHECK ("activities"."ends_at" > "activities"."starts_at" AND "activities"."signup_closes_at" > "activities"."signup_opens_at"),
	CONSTRAINT "activities_seats_ck" CHECK ("activities"."admitted_count" >= 0 AND "activities"."admitted_count" <= "activities"."capacity")
);
--> statement-breakpoint
CREATE TABLE "activity_calls" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"activity_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"title" varchar(100) NOT NULL,
	"message" text NOT NULL,
	"category_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"grid_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_signups" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"activity_id" integer NOT NULL,
	"name" varchar(50) NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" varchar(64) NOT NULL,
	"person_id" integer,
	"grid_id" integer,
	"call_id" integer,
	"status" varchar(12) NOT NULL,
	"source" varchar(10) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "activity_signups_status_ck" CHECK ("activity_signups"."status" IN ('admitted', 'waitlisted', 'cancelled')),
	CONSTRAINT "activity_signups_source_ck" CHECK ("activity_signups"."source" IN ('online', 'qr', 'call', 'walk_in'))
);
--> statement-breakpoint
CREATE TABLE "activity_checkins" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"activity_id" integer NOT NULL,
	"signup_id" integer NOT NULL,
	"method" varchar(10) NOT NULL,
	"by_account" integer,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_checkins_method_ck" CHECK ("activity_checkins"."method" IN ('qr', 'staff', 'walk_in'))
);
--> statement-breakpoint
CREATE TABLE "activity_summaries" (
	"activity_id" integer PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"text" text NOT NULL,
	"attendance" integer NOT NULL,
	"outcome" text,
	"spend_fen" bigint DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_ratings" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"activity_id" integer NOT NULL,
	"signup_id" integer NOT NULL,
	"stars" integer NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_ratings_stars_ck" CHECK ("activity_ratings"."stars" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "activity_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"plan_id" integer NOT NULL,
	"activity_id" integer,
	"action" varchar(20) NOT NULL,
	"from_status" varchar(12),
	"to_status" varchar(12) NOT NULL,
	"actor_account_id" integer,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"name" varchar(100) NOT NULL,
	"kind" varchar(20) NOT NULL,
	"category_id" integer NOT NULL,
	"lead_org_id" integer,
	"lead_unit" varchar(100),
	"grid_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_teams_kind_ck" CHECK ("service_teams"."kind" IN ('grid_volunteer', 'caring_mentoring', 'professional', 'other'))
);
--> statement-breakpoint
CREATE TABLE "service_team_members" (
	"team_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	"role" varchar(10) DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_team_members_team_id_person_id_pk" PRIMARY KEY("team_id","person_id"),
	CONSTRAINT "service_team_members_role_ck" CHECK ("service_team_members"."role" IN ('member', 'backbone', 'reserve'))
);
--> statement-breakpoint
ALTER TABLE "registration_tokens" ADD COLUMN "activity_id" integer;--> statement-breakpoint
ALTER TABLE "activity_categories" ADD CONSTRAINT "activity_categories_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_themes" ADD CONSTRAINT "activity_themes_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_themes" ADD CONSTRAINT "activity_themes_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_themes" ADD CONSTRAINT "activity_themes_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_theme_ideas" ADD CONSTRAINT "activity_theme_ideas_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_theme_ideas" ADD CONSTRAINT "activity_theme_ideas_theme_id_activity_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."activity_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_theme_ideas" ADD CONSTRAINT "activity_theme_ideas_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_theme_ideas" ADD CONSTRAINT "activity_theme_ideas_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plans" ADD CONSTRAINT "activity_plans_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plans" ADD CONSTRAINT "activity_plans_theme_id_activity_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."activity_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plans" ADD CONSTRAINT "activity_plans_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plans" ADD CONSTRAINT "activity_plans_category_id_activity_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."activity_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plans" ADD CONSTRAINT "activity_plans_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plan_comments" ADD CONSTRAINT "activity_plan_comments_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plan_comments" ADD CONSTRAINT "activity_plan_comments_plan_id_activity_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."activity_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plan_comments" ADD CONSTRAINT "activity_plan_comments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_plan_comments" ADD CONSTRAINT "activity_plan_comments_replied_by_accounts_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_plan_id_activity_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."activity_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_category_id_activity_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."activity_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_calls" ADD CONSTRAINT "activity_calls_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_calls" ADD CONSTRAINT "activity_calls_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_calls" ADD CONSTRAINT "activity_calls_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_calls" ADD CONSTRAINT "activity_calls_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_call_id_activity_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."activity_calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_checkins" ADD CONSTRAINT "activity_checkins_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_checkins" ADD CONSTRAINT "activity_checkins_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_checkins" ADD CONSTRAINT "activity_checkins_signup_id_activity_signups_id_fk" FOREIGN KEY ("signup_id") REFERENCES "public"."activity_signups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_checkins" ADD CONSTRAINT "activity_checkins_by_account_accounts_id_fk" FOREIGN KEY ("by_account") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_summaries" ADD CONSTRAINT "activity_summaries_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_summaries" ADD CONSTRAINT "activity_summaries_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_summaries" ADD CONSTRAINT "activity_summaries_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_ratings" ADD CONSTRAINT "activity_ratings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_ratings" ADD CONSTRAINT "activity_ratings_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_ratings" ADD CONSTRAINT "activity_ratings_signup_id_activity_signups_id_fk" FOREIGN KEY ("signup_id") REFERENCES "public"."activity_signups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_plan_id_activity_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."activity_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_events" ADD CONSTRAINT "activity_events_actor_account_id_accounts_id_fk" FOREIGN KEY ("actor_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_teams" ADD CONSTRAINT "service_teams_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_teams" ADD CONSTRAINT "service_teams_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_teams" ADD CONSTRAINT "service_teams_category_id_activity_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."activity_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_teams" ADD CONSTRAINT "service_teams_lead_org_id_orgs_id_fk" FOREIGN KEY ("lead_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_teams" ADD CONSTRAINT "service_teams_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_team_members" ADD CONSTRAINT "service_team_members_team_id_service_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."service_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_team_members" ADD CONSTRAINT "service_team_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_team_members" ADD CONSTRAINT "service_team_members_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_categories_district_name_uq" ON "activity_categories" USING btree ("district_id","name");--> statement-breakpoint
CREATE INDEX "activity_themes_org_idx" ON "activity_themes" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "activity_theme_ideas_theme_idx" ON "activity_theme_ideas" USING btree ("theme_id");--> statement-breakpoint
CREATE INDEX "activity_plans_org_idx" ON "activity_plans" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "activity_plans_theme_idx" ON "activity_plans" USING btree ("theme_id");--> statement-breakpoint
CREATE INDEX "activity_plan_comments_plan_idx" ON "activity_plan_comments" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "activities_org_idx" ON "activities" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "activities_plan_idx" ON "activities" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "activities_district_starts_idx" ON "activities" USING btree ("district_id","starts_at");--> statement-breakpoint
CREATE INDEX "activity_calls_activity_idx" ON "activity_calls" USING btree ("activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_signups_activity_phone_uq" ON "activity_signups" USING btree ("activity_id","phone_idx");--> statement-breakpoint
CREATE INDEX "activity_signups_person_idx" ON "activity_signups" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "activity_signups_activity_status_idx" ON "activity_signups" USING btree ("activity_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_checkins_signup_uq" ON "activity_checkins" USING btree ("signup_id");--> statement-breakpoint
CREATE INDEX "activity_checkins_activity_idx" ON "activity_checkins" USING btree ("activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_ratings_signup_uq" ON "activity_ratings" USING btree ("signup_id");--> statement-breakpoint
CREATE INDEX "activity_ratings_activity_idx" ON "activity_ratings" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "activity_events_plan_idx" ON "activity_events" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "activity_events_activity_idx" ON "activity_events" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "activity_events_district_action_idx" ON "activity_events" USING btree ("district_id","action","at");--> statement-breakpoint
CREATE INDEX "service_teams_org_idx" ON "service_teams" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "service_team_members_person_idx" ON "service_team_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "registration_tokens_activity_idx" ON "registration_tokens" USING btree ("activity_id");