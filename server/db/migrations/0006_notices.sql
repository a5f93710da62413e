CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" varchar(60) NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"notice_id" integer NOT NULL,
	"name" varchar(200) NOT NULL,
	"mime_type" varchar(100) NOT NULL,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"notice_id" integer NOT NULL,
	"target_id" bigint,
	"account_id" integer,
	"channel" varchar(20) NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notice_escalations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"notice_id" integer NOT NULL,
	"target_id" bigint NOT NULL,
	"level" smallint NOT NULL,
	"alerted_account_ids" integer[] NOT NULL,
	"resend_channel" varchar(20) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_settings" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"urgent_seconds" integer DEFAULT 180 NOT NULL,
	"general_seconds" integer DEFAULT 600 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_targets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"notice_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"grid_id" integer,
	"level" varchar(10) NOT NULL,
	"responsible_account_ids" integer[] NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" integer,
	"ack_channel" varchar(20),
	"reply" jsonb,
	"replied_at" timestamp with time zone,
	"escalation_level" smallint DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"sender_account_id" integer NOT NULL,
	"sender_org_id" integer NOT NULL,
	"title" varchar(200) NOT NULL,
	"body" text NOT NULL,
	"priority" varchar(10) NOT NULL,
	"deadline_seconds" integer NOT NULL,
	"reply_spec" jsonb,
	"target_spec" jsonb NOT NULL,
	"target_count" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"correction_of" integer,
	"superseded_by" integer
);
--> statement-breakpoint
CREATE TABLE "tower_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer,
	"grid_id" integer,
	"channel" varchar(20) NOT NULL,
	"name" varchar(100) NOT NULL,
	"ident" varchar(300),
	"admin_account_id" integer,
	"instructor_account_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tower_groups_one_owner" CHECK (("tower_groups"."org_id" IS NULL) <> ("tower_groups"."grid_id" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "notice_attachments" ADD CONSTRAINT "notice_attachments_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_attachments" ADD CONSTRAINT "notice_attachments_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_deliveries" ADD CONSTRAINT "notice_deliveries_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_escalations" ADD CONSTRAINT "notice_escalations_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_settings" ADD CONSTRAINT "notice_settings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_targets" ADD CONSTRAINT "notice_targets_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_sender_account_id_accounts_id_fk" FOREIGN KEY ("sender_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_sender_org_id_orgs_id_fk" FOREIGN KEY ("sender_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_correction_of_notices_id_fk" FOREIGN KEY ("correction_of") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_superseded_by_notices_id_fk" FOREIGN KEY ("superseded_by") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tower_groups" ADD CONSTRAINT "tower_groups_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tower_groups" ADD CONSTRAINT "tower_groups_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tower_groups" ADD CONSTRAINT "tower_groups_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tower_groups" ADD CONSTRAINT "tower_groups_admin_account_id_accounts_id_fk" FOREIGN KEY ("admin_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE "jobs"."done_at" IS NULL;--> statement-breakpoint
CREATE INDEX "notice_attachments_notice_idx" ON "notice_attachments" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "notice_deliveries_notice_idx" ON "notice_deliveries" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "notice_deliveries_pending_idx" ON "notice_deliveries" USING btree ("id") WHERE "notice_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "notice_escalations_target_level_uq" ON "notice_escalations" USING btree ("target_id","level");--> statement-breakpoint
CREATE INDEX "notice_escalations_notice_idx" ON "notice_escalations" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "notice_targets_notice_idx" ON "notice_targets" USING btree ("notice_id","org_id");--> statement-breakpoint
CREATE INDEX "notice_targets_responsible_gin" ON "notice_targets" USING gin ("responsible_account_ids");--> statement-breakpoint
CREATE INDEX "notices_district_sent_idx" ON "notices" USING btree ("district_id","sent_at");--> statement-breakpoint
CREATE INDEX "notices_sender_org_idx" ON "notices" USING btree ("sender_org_id");--> statement-breakpoint
CREATE INDEX "notices_correction_idx" ON "notices" USING btree ("correction_of");--> statement-breakpoint
CREATE UNIQUE INDEX "tower_groups_org_channel_uq" ON "tower_groups" USING btree ("org_id","channel") WHERE "tower_groups"."active" AND "tower_groups"."org_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "tower_groups_grid_channel_uq" ON "tower_groups" USING btree ("grid_id","channel") WHERE "tower_groups"."active" AND "tower_groups"."grid_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tower_groups_district_idx" ON "tower_groups" USING btree ("district_id");