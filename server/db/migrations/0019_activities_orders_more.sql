-- Activities: the level that approves plans is a district setting (district_settings, jsonb like grid_capacity).
ALTER TABLE "district_settings" ADD COLUMN "activity_settings" jsonb DEFAULT '{}'::jsonb NOT NULL;
--> statement-breakpoint
-- 我的召集令: a youth's personal inbox link (token = id + HMAC signature), revocable and expiring.
CREATE TABLE "youth_inbox_links" (
	"id" varchar(32) PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "youth_inbox_links" ADD CONSTRAINT "youth_inbox_links_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "youth_inbox_links" ADD CONSTRAINT "youth_inbox_links_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "youth_inbox_links_person_idx" ON "youth_inbox_links" USING btree ("person_id","expires_at");
--> statement-breakpoint
-- One SMS per call and recipient (unique: a retried job never texts twice).
CREATE TABLE "activity_call_notices" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"call_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"status" varchar(20) NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_call_notices_status_ck" CHECK ("activity_call_notices"."status" IN ('sent', 'recorded', 'failed', 'no_phone'))
);
--> statement-breakpoint
ALTER TABLE "activity_call_notices" ADD CONSTRAINT "activity_call_notices_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "activity_call_notices" ADD CONSTRAINT "activity_call_notices_call_id_activity_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."activity_calls"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "activity_call_notices" ADD CONSTRAINT "activity_call_notices_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "activity_call_notices_uq" ON "activity_call_notices" USING btree ("call_id","person_id");
--> statement-breakpoint
-- Orders: a reminder is delivered once (delivered_at set in the transaction that sends it).
ALTER TABLE "service_order_reminders" ADD COLUMN "delivered_at" timestamp with time zone;
--> statement-breakpoint
-- Reminders recorded before delivery existed are not sent now.
UPDATE "service_order_reminders" SET "delivered_at" = "created_at";
--> statement-breakpoint
CREATE INDEX "service_order_reminders_undelivered_idx" ON "service_order_reminders" USING btree ("id") WHERE "service_order_reminders"."delivered_at" IS NULL;
--> statement-breakpoint
CREATE TABLE "service_order_reminder_deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"reminder_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"channel" varchar(20) NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"status" varchar(20) NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_order_reminder_deliveries_channel_ck" CHECK ("service_order_reminder_deliveries"."channel" IN ('sms', 'wechat')),
	CONSTRAINT "service_order_reminder_deliveries_purpose_ck" CHECK ("service_order_reminder_deliveries"."purpose" IN ('assignee', 'escalation')),
	CONSTRAINT "service_order_reminder_deliveries_status_ck" CHECK ("service_order_reminder_deliveries"."status" IN ('sent', 'recorded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "service_order_reminder_deliveries" ADD CONSTRAINT "service_order_reminder_deliveries_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "service_order_reminder_deliveries" ADD CONSTRAINT "service_order_reminder_deliveries_reminder_id_service_order_reminders_id_fk" FOREIGN KEY ("reminder_id") REFERENCES "public"."service_order_reminders"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "service_order_reminder_deliveries" ADD CONSTRAINT "service_order_reminder_deliveries_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "service_order_reminder_deliveries" ADD CONSTRAINT "service_order_reminder_deliveries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_reminder_deliveries_uq" ON "service_order_reminder_deliveries" USING btree ("reminder_id","account_id","channel");
--> statement-breakpoint
CREATE INDEX "service_order_reminder_deliveries_order_idx" ON "service_order_reminder_deliveries" USING btree ("order_id");
