ALTER TABLE "assessment_rounds" ADD COLUMN "mode" varchar(20) DEFAULT 'district' NOT NULL;
--> statement-breakpoint
ALTER TABLE "assessment_rounds" ADD CONSTRAINT "assessment_rounds_mode_ck" CHECK ("assessment_rounds"."mode" IN ('district', 'self_review'));
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD COLUMN "state" varchar(20) DEFAULT 'pending' NOT NULL;
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD COLUMN "self_submitted_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD COLUMN "self_submitted_by" integer;
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD COLUMN "reviewed_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD COLUMN "reviewed_by" integer;
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD CONSTRAINT "assessment_targets_state_ck" CHECK ("assessment_targets"."state" IN ('pending', 'self_submitted', 'reviewed'));
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD CONSTRAINT "assessment_targets_self_submitted_by_accounts_id_fk" FOREIGN KEY ("self_submitted_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_targets" ADD CONSTRAINT "assessment_targets_reviewed_by_accounts_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "assessment_self_scores" (
	"round_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	"item_key" varchar(20) NOT NULL,
	"score" numeric(4, 2) NOT NULL,
	"note" varchar(500),
	"evidence" varchar(500),
	"entered_by" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decision" varchar(10),
	"reviewed_score" numeric(4, 2),
	"review_note" varchar(500),
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	CONSTRAINT "assessment_self_scores_pk" PRIMARY KEY("round_id","org_id","item_key"),
	CONSTRAINT "assessment_self_scores_scale" CHECK ("assessment_self_scores"."score" BETWEEN 1 AND 7),
	CONSTRAINT "assessment_self_scores_reviewed_scale" CHECK ("assessment_self_scores"."reviewed_score" IS NULL OR "assessment_self_scores"."reviewed_score" BETWEEN 1 AND 7),
	CONSTRAINT "assessment_self_scores_decision_ck" CHECK ("assessment_self_scores"."decision" IS NULL OR "assessment_self_scores"."decision" IN ('accepted', 'adjusted'))
);
--> statement-breakpoint
ALTER TABLE "assessment_self_scores" ADD CONSTRAINT "assessment_self_scores_target_fk" FOREIGN KEY ("round_id","org_id") REFERENCES "public"."assessment_targets"("round_id","org_id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_self_scores" ADD CONSTRAINT "assessment_self_scores_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_self_scores" ADD CONSTRAINT "assessment_self_scores_entered_by_accounts_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_self_scores" ADD CONSTRAINT "assessment_self_scores_reviewed_by_accounts_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
