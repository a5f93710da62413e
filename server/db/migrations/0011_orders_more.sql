CREATE TABLE "order_settings" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"deadlines" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"incubation_threshold_pct" integer DEFAULT 80 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_settings_threshold_ck" CHECK ("order_settings"."incubation_threshold_pct" BETWEEN 1 AND 100)
);
--> statement-breakpoint
CREATE TABLE "open311_clients" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"name" varchar(100) NOT NULL,
	"key_hash" varchar(64) NOT NULL,
	"source" varchar(20) DEFAULT 'youth_voice' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "open311_clients_source_ck" CHECK ("open311_clients"."source" IN ('resident', 'youth_voice'))
);
--> statement-breakpoint
CREATE TABLE "service_order_participant_ratings" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"phone_idx" varchar(64) NOT NULL,
	"score" smallint NOT NULL,
	"comment" varchar(500),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_order_participant_ratings_score_ck" CHECK ("service_order_participant_ratings"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "service_order_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"score" smallint NOT NULL,
	"comment" varchar(500),
	"by_kind" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'open' NOT NULL,
	"resolution" varchar(500),
	"resolved_by" integer,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_order_reviews_status_ck" CHECK ("service_order_reviews"."status" IN ('open', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "service_order_reminders" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"org_id" integer,
	"kind" varchar(20) NOT NULL,
	"dispatch_no" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_order_reminders_kind_ck" CHECK ("service_order_reminders"."kind" IN ('respond', 'complete'))
);
--> statement-breakpoint
ALTER TABLE "service_orders" ADD COLUMN "planned_participants" integer;--> statement-breakpoint
ALTER TABLE "service_orders" ADD COLUMN "participants" integer;--> statement-breakpoint
ALTER TABLE "service_orders" ADD COLUMN "open311_client_id" integer;--> statement-breakpoint
ALTER TABLE "order_settings" ADD CONSTRAINT "order_settings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_clients" ADD CONSTRAINT "open311_clients_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_clients" ADD CONSTRAINT "open311_clients_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_participant_ratings" ADD CONSTRAINT "service_order_participant_ratings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_participant_ratings" ADD CONSTRAINT "service_order_participant_ratings_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_participant_ratings" ADD CONSTRAINT "service_order_participant_ratings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_reviews" ADD CONSTRAINT "service_order_reviews_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_reviews" ADD CONSTRAINT "service_order_reviews_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_reviews" ADD CONSTRAINT "service_order_reviews_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_reviews" ADD CONSTRAINT "service_order_reviews_resolved_by_accounts_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_reminders" ADD CONSTRAINT "service_order_reminders_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_reminders" ADD CONSTRAINT "service_order_reminders_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_reminders" ADD CONSTRAINT "service_order_reminders_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_open311_client_id_open311_clients_id_fk" FOREIGN KEY ("open311_client_id") REFERENCES "public"."open311_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "open311_clients_key_uq" ON "open311_clients" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "open311_clients_district_idx" ON "open311_clients" USING btree ("district_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_participant_ratings_uq" ON "service_order_participant_ratings" USING btree ("order_id","phone_idx");--> statement-breakpoint
CREATE INDEX "service_order_participant_ratings_org_idx" ON "service_order_participant_ratings" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "service_order_reviews_district_idx" ON "service_order_reviews" USING btree ("district_id","status");--> statement-breakpoint
CREATE INDEX "service_order_reviews_order_idx" ON "service_order_reviews" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_reminders_uq" ON "service_order_reminders" USING btree ("order_id","kind","dispatch_no");--> statement-breakpoint
CREATE INDEX "service_order_reminders_district_idx" ON "service_order_reminders" USING btree ("district_id","created_at");
