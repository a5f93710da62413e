CREATE TABLE "key_youth" (
	"person_id" integer PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"kind" varchar(30) NOT NULL,
	"note_enc" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"name" varchar(50) NOT NULL,
	"gender" varchar(10),
	"birth_date" date,
	"phone_enc" text,
	"phone_idx" varchar(64),
	"id_enc" text,
	"id_idx" varchar(64),
	"political_status" varchar(20) NOT NULL,
	"category" varchar(30) NOT NULL,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"home_grid_id" integer,
	"branch_org_id" integer,
	"backbone" boolean DEFAULT false NOT NULL,
	"reserve_backbone" boolean DEFAULT false NOT NULL,
	"source" varchar(10) NOT NULL,
	"status" varchar(12) NOT NULL,
	"consent_version" varchar(20),
	"consent_at" timestamp with time zone,
	"consent_channel" varchar(10),
	"guardian_consent" jsonb,
	"registration_token_id" varchar(32),
	"withdrawn_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_place_ck" CHECK ("people"."home_grid_id" IS NOT NULL OR "people"."branch_org_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "person_circles" (
	"person_id" integer NOT NULL,
	"grid_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	CONSTRAINT "person_circles_person_id_grid_id_pk" PRIMARY KEY("person_id","grid_id")
);
--> statement-breakpoint
CREATE TABLE "person_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"reason" varchar(20) NOT NULL,
	"source" varchar(10) NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"incoming" jsonb NOT NULL,
	"phone_enc" text,
	"phone_idx" varchar(64),
	"id_enc" text,
	"id_idx" varchar(64),
	"candidates" jsonb NOT NULL,
	"registration_token_id" varchar(32),
	"resolution" varchar(10),
	"resolved_person_id" integer,
	"resolved_by" integer,
	"resolved_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registration_settings" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"auto_register" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registration_submissions" (
	"token_id" varchar(32) NOT NULL,
	"submission_id" varchar(64) NOT NULL,
	"person_id" integer,
	"review_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registration_submissions_token_id_submission_id_pk" PRIMARY KEY("token_id","submission_id")
);
--> statement-breakpoint
CREATE TABLE "registration_tokens" (
	"id" varchar(32) PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"grid_id" integer,
	"org_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "key_youth" ADD CONSTRAINT "key_youth_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_youth" ADD CONSTRAINT "key_youth_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_youth" ADD CONSTRAINT "key_youth_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_home_grid_id_grids_id_fk" FOREIGN KEY ("home_grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_branch_org_id_orgs_id_fk" FOREIGN KEY ("branch_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_circles" ADD CONSTRAINT "person_circles_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_circles" ADD CONSTRAINT "person_circles_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_circles" ADD CONSTRAINT "person_circles_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_reviews" ADD CONSTRAINT "person_reviews_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_reviews" ADD CONSTRAINT "person_reviews_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_reviews" ADD CONSTRAINT "person_reviews_resolved_person_id_people_id_fk" FOREIGN KEY ("resolved_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_reviews" ADD CONSTRAINT "person_reviews_resolved_by_accounts_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_reviews" ADD CONSTRAINT "person_reviews_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_settings" ADD CONSTRAINT "registration_settings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_submissions" ADD CONSTRAINT "registration_submissions_token_id_registration_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."registration_tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_submissions" ADD CONSTRAINT "registration_submissions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_submissions" ADD CONSTRAINT "registration_submissions_review_id_person_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."person_reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_tokens" ADD CONSTRAINT "registration_tokens_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_tokens" ADD CONSTRAINT "registration_tokens_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_tokens" ADD CONSTRAINT "registration_tokens_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_tokens" ADD CONSTRAINT "registration_tokens_revoked_by_accounts_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_tokens" ADD CONSTRAINT "registration_tokens_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "key_youth_district_idx" ON "key_youth" USING btree ("district_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_district_id_idx_uq" ON "people" USING btree ("district_id","id_idx") WHERE "people"."id_idx" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "people_district_phone_idx_uq" ON "people" USING btree ("district_id","phone_idx") WHERE "people"."phone_idx" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "people_home_grid_idx" ON "people" USING btree ("home_grid_id");--> statement-breakpoint
CREATE INDEX "people_branch_org_idx" ON "people" USING btree ("branch_org_id");--> statement-breakpoint
CREATE INDEX "people_district_status_idx" ON "people" USING btree ("district_id","status");--> statement-breakpoint
CREATE INDEX "person_circles_grid_idx" ON "person_circles" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "person_reviews_district_status_idx" ON "person_reviews" USING btree ("district_id","status");--> statement-breakpoint
CREATE INDEX "registration_tokens_org_idx" ON "registration_tokens" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "registration_tokens_grid_idx" ON "registration_tokens" USING btree ("grid_id");