CREATE TABLE "service_menu_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"category" varchar(30) NOT NULL,
	"title" varchar(100) NOT NULL,
	"description" varchar(1000),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_order_dispatches" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"dispatched_by" integer NOT NULL,
	"dispatched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"respond_due_at" timestamp with time zone NOT NULL,
	"outcome" varchar(20) DEFAULT 'pending' NOT NULL,
	"responded_at" timestamp with time zone,
	"reason" varchar(500),
	CONSTRAINT "service_order_dispatches_outcome_ck" CHECK ("service_order_dispatches"."outcome" IN ('pending', 'accepted', 'declined', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "service_order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"account_id" integer,
	"actor_kind" varchar(20) NOT NULL,
	"action" varchar(30) NOT NULL,
	"from_status" varchar(20),
	"to_status" varchar(20),
	"org_id" integer,
	"note" varchar(2000),
	"internal" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_order_ratings" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"score" smallint NOT NULL,
	"comment" varchar(500),
	"by_kind" varchar(20) NOT NULL,
	"account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_order_ratings_score_ck" CHECK ("service_order_ratings"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "service_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"tracking_no" varchar(24) NOT NULL,
	"source" varchar(20) NOT NULL,
	"category" varchar(30) NOT NULL,
	"title" varchar(100) NOT NULL,
	"description" varchar(2000),
	"location" geometry(Point,4326),
	"address" varchar(200),
	"grid_id" integer,
	"org_id" integer NOT NULL,
	"menu_item_id" integer,
	"requester_name" varchar(50),
	"requester_phone_enc" text,
	"requester_phone_idx" varchar(64),
	"classification" varchar(20),
	"status" varchar(20) DEFAULT 'submitted' NOT NULL,
	"status_reason" varchar(500),
	"assignee_org_id" integer,
	"respond_due_at" timestamp with time zone,
	"complete_due_at" timestamp with time zone,
	"classified_at" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"rated_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"dispatch_count" integer DEFAULT 0 NOT NULL,
	"completion_note" varchar(2000),
	"created_by" integer,
	"client_id" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_orders_status_ck" CHECK ("service_orders"."status" IN ('submitted', 'classified', 'dispatched', 'accepted', 'in_progress', 'done', 'rated', 'rejected', 'cancelled', 'returned')),
	CONSTRAINT "service_orders_source_ck" CHECK ("service_orders"."source" IN ('party_gov', 'resident', 'menu', 'youth_voice', 'visit')),
	CONSTRAINT "service_orders_class_ck" CHECK ("service_orders"."classification" IS NULL OR "service_orders"."classification" IN ('immediate', 'non_immediate', 'hard'))
);
--> statement-breakpoint
CREATE TABLE "sms_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"phone_idx" varchar(64) NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"consumed_at" timestamp with time zone,
	"ip" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "service_menu_items" ADD CONSTRAINT "service_menu_items_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_menu_items" ADD CONSTRAINT "service_menu_items_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_dispatches" ADD CONSTRAINT "service_order_dispatches_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_dispatches" ADD CONSTRAINT "service_order_dispatches_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_dispatches" ADD CONSTRAINT "service_order_dispatches_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_dispatches" ADD CONSTRAINT "service_order_dispatches_dispatched_by_accounts_id_fk" FOREIGN KEY ("dispatched_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_events" ADD CONSTRAINT "service_order_events_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_ratings" ADD CONSTRAINT "service_order_ratings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_ratings" ADD CONSTRAINT "service_order_ratings_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_ratings" ADD CONSTRAINT "service_order_ratings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order_ratings" ADD CONSTRAINT "service_order_ratings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_menu_item_id_service_menu_items_id_fk" FOREIGN KEY ("menu_item_id") REFERENCES "public"."service_menu_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_assignee_org_id_orgs_id_fk" FOREIGN KEY ("assignee_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_orders" ADD CONSTRAINT "service_orders_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_codes" ADD CONSTRAINT "sms_codes_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_menu_items_district_idx" ON "service_menu_items" USING btree ("district_id","category");--> statement-breakpoint
CREATE INDEX "service_menu_items_org_idx" ON "service_menu_items" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "service_order_dispatches_order_idx" ON "service_order_dispatches" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "service_order_dispatches_org_idx" ON "service_order_dispatches" USING btree ("org_id","dispatched_at");--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_dispatches_pending_uq" ON "service_order_dispatches" USING btree ("order_id") WHERE "service_order_dispatches"."outcome" = 'pending';--> statement-breakpoint
CREATE INDEX "service_order_events_order_idx" ON "service_order_events" USING btree ("order_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_ratings_order_uq" ON "service_order_ratings" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "service_order_ratings_org_idx" ON "service_order_ratings" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "service_orders_tracking_uq" ON "service_orders" USING btree ("tracking_no");--> statement-breakpoint
CREATE UNIQUE INDEX "service_orders_client_uq" ON "service_orders" USING btree ("district_id","client_id") WHERE "service_orders"."client_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "service_orders_district_status_idx" ON "service_orders" USING btree ("district_id","status");--> statement-breakpoint
CREATE INDEX "service_orders_org_idx" ON "service_orders" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "service_orders_assignee_idx" ON "service_orders" USING btree ("assignee_org_id");--> statement-breakpoint
CREATE INDEX "service_orders_phone_idx" ON "service_orders" USING btree ("requester_phone_idx");--> statement-breakpoint
CREATE INDEX "service_orders_location_gix" ON "service_orders" USING gist ("location");--> statement-breakpoint
CREATE INDEX "sms_codes_phone_idx" ON "sms_codes" USING btree ("phone_idx","purpose","created_at");--> statement-breakpoint
-- The order history is append-only: a step is a new event, never an edit.
CREATE FUNCTION service_order_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'service_order_events is append-only' USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER service_order_events_append_only BEFORE UPDATE OR DELETE ON service_order_events
  FOR EACH ROW EXECUTE FUNCTION service_order_events_append_only();
