CREATE TABLE "assessment_assessors" (
	"round_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	CONSTRAINT "assessment_assessors_round_id_account_id_pk" PRIMARY KEY("round_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"set_id" integer NOT NULL,
	"name" varchar(100) NOT NULL,
	"period" varchar(50) NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"thresholds" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_scores" (
	"round_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"assessor_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	"item_key" varchar(20) NOT NULL,
	"score" numeric(4, 2) NOT NULL,
	"note" varchar(500),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_scores_round_id_org_id_assessor_id_item_key_pk" PRIMARY KEY("round_id","org_id","assessor_id","item_key"),
	CONSTRAINT "assessment_scores_scale" CHECK ("assessment_scores"."score" BETWEEN 1 AND 7)
);
--> statement-breakpoint
CREATE TABLE "assessment_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"name" varchar(100) NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_targets" (
	"round_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	CONSTRAINT "assessment_targets_round_id_org_id_pk" PRIMARY KEY("round_id","org_id")
);
--> statement-breakpoint
ALTER TABLE "assessment_assessors" ADD CONSTRAINT "assessment_assessors_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_assessors" ADD CONSTRAINT "assessment_assessors_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_assessors" ADD CONSTRAINT "assessment_assessors_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_rounds" ADD CONSTRAINT "assessment_rounds_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_rounds" ADD CONSTRAINT "assessment_rounds_set_id_assessment_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."assessment_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_assessor_id_accounts_id_fk" FOREIGN KEY ("assessor_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_sets" ADD CONSTRAINT "assessment_sets_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD CONSTRAINT "assessment_targets_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD CONSTRAINT "assessment_targets_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD CONSTRAINT "assessment_targets_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_rounds_district_idx" ON "assessment_rounds" USING btree ("district_id");