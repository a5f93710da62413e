ALTER TABLE "fund_withdrawals" ADD COLUMN "twin_net" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE TABLE "town_budgets" (
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"year" integer NOT NULL,
	"budget_fen" bigint NOT NULL,
	"updated_by" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "town_budgets_pk" PRIMARY KEY("org_id","year"),
	CONSTRAINT "town_budgets_amount_ck" CHECK ("town_budgets"."budget_fen" >= 0)
);
--> statement-breakpoint
ALTER TABLE "town_budgets" ADD CONSTRAINT "town_budgets_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "town_budgets" ADD CONSTRAINT "town_budgets_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "town_budgets" ADD CONSTRAINT "town_budgets_updated_by_accounts_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "town_budgets_district_idx" ON "town_budgets" USING btree ("district_id","year");
--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD COLUMN "evidence" varchar(500);
--> statement-breakpoint
CREATE TABLE "ranking_schemes" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"kind" varchar(20) NOT NULL,
	"name" varchar(100) NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_schemes_kind_ck" CHECK ("ranking_schemes"."kind" IN ('quarterly', 'thousand'))
);
--> statement-breakpoint
ALTER TABLE "ranking_schemes" ADD CONSTRAINT "ranking_schemes_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "ranking_schemes_district_idx" ON "ranking_schemes" USING btree ("district_id");
--> statement-breakpoint
CREATE TABLE "ranking_periods" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"scheme_id" integer NOT NULL,
	"period" varchar(10) NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"results" jsonb,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_periods_status_ck" CHECK ("ranking_periods"."status" IN ('open', 'published'))
);
--> statement-breakpoint
ALTER TABLE "ranking_periods" ADD CONSTRAINT "ranking_periods_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ranking_periods" ADD CONSTRAINT "ranking_periods_scheme_id_ranking_schemes_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "public"."ranking_schemes"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "ranking_periods_scheme_period_uq" ON "ranking_periods" USING btree ("scheme_id","period");
--> statement-breakpoint
CREATE TABLE "ranking_manual_scores" (
	"period_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"item_key" varchar(40) NOT NULL,
	"district_id" integer NOT NULL,
	"points" numeric(7, 2) NOT NULL,
	"note" varchar(500),
	"evidence" varchar(500),
	"scored_by" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ranking_manual_scores_pk" PRIMARY KEY("period_id","org_id","item_key"),
	CONSTRAINT "ranking_manual_scores_points_ck" CHECK ("ranking_manual_scores"."points" >= 0)
);
--> statement-breakpoint
ALTER TABLE "ranking_manual_scores" ADD CONSTRAINT "ranking_manual_scores_period_id_ranking_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."ranking_periods"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ranking_manual_scores" ADD CONSTRAINT "ranking_manual_scores_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ranking_manual_scores" ADD CONSTRAINT "ranking_manual_scores_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "ranking_manual_scores" ADD CONSTRAINT "ranking_manual_scores_scored_by_accounts_id_fk" FOREIGN KEY ("scored_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "award_kinds" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" varchar(500),
	"nominee_type" varchar(20) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "award_kinds_nominee_type_ck" CHECK ("award_kinds"."nominee_type" IN ('org', 'grid', 'person', 'project', 'team'))
);
--> statement-breakpoint
ALTER TABLE "award_kinds" ADD CONSTRAINT "award_kinds_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "award_kinds_district_name_uq" ON "award_kinds" USING btree ("district_id","name");
--> statement-breakpoint
CREATE TABLE "award_nominations" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"kind_id" integer NOT NULL,
	"year" integer NOT NULL,
	"org_id" integer NOT NULL,
	"nominee_name" varchar(100) NOT NULL,
	"reasons" text NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" varchar(12) DEFAULT 'nominated' NOT NULL,
	"nominated_by" integer NOT NULL,
	"review_note" varchar(500),
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "award_nominations_status_ck" CHECK ("award_nominations"."status" IN ('nominated', 'approved', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_kind_id_award_kinds_id_fk" FOREIGN KEY ("kind_id") REFERENCES "public"."award_kinds"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_nominated_by_accounts_id_fk" FOREIGN KEY ("nominated_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "award_nominations" ADD CONSTRAINT "award_nominations_reviewed_by_accounts_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "award_nominations_district_idx" ON "award_nominations" USING btree ("district_id","year","kind_id");
--> statement-breakpoint
CREATE TABLE "award_publications" (
	"kind_id" integer NOT NULL,
	"year" integer NOT NULL,
	"district_id" integer NOT NULL,
	"published_by" integer NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "award_publications_pk" PRIMARY KEY("kind_id","year")
);
--> statement-breakpoint
ALTER TABLE "award_publications" ADD CONSTRAINT "award_publications_kind_id_award_kinds_id_fk" FOREIGN KEY ("kind_id") REFERENCES "public"."award_kinds"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "award_publications" ADD CONSTRAINT "award_publications_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "award_publications" ADD CONSTRAINT "award_publications_published_by_accounts_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
