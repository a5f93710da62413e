-- btree_gist lets one GiST index combine venue_id (=) with the booking period (&&): the exclusion
-- constraint below is what makes double booking impossible. It is a trusted extension (PostgreSQL 13+).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE TABLE "venue_bookings" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"venue_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"booked_by" integer NOT NULL,
	"purpose" varchar(200) NOT NULL,
	"attendees" integer,
	"period" "tstzrange" NOT NULL,
	"status" varchar(20) NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"decision_note" varchar(200),
	"cancelled_by" integer,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venue_bookings_status_ck" CHECK ("venue_bookings"."status" IN ('requested', 'approved', 'rejected', 'cancelled')),
	CONSTRAINT "venue_bookings_period_ck" CHECK (NOT isempty("venue_bookings"."period") AND NOT lower_inf("venue_bookings"."period") AND NOT upper_inf("venue_bookings"."period"))
);
--> statement-breakpoint
CREATE TABLE "venues" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"grid_id" integer,
	"type" varchar(30) NOT NULL,
	"name" varchar(100) NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"address" varchar(200),
	"capacity" integer,
	"facilities" text[] DEFAULT '{}'::text[] NOT NULL,
	"opening_hours" jsonb NOT NULL,
	"bookable_by" varchar(20) DEFAULT 'district' NOT NULL,
	"advance_days" integer DEFAULT 30 NOT NULL,
	"max_minutes" integer DEFAULT 240 NOT NULL,
	"needs_approval" boolean DEFAULT false NOT NULL,
	"contact_name" varchar(50),
	"contact_phone" varchar(30),
	"description" varchar(1000),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venues_bookable_by_ck" CHECK ("venues"."bookable_by" IN ('district', 'owner_subtree')),
	CONSTRAINT "venues_rules_ck" CHECK ("venues"."advance_days" >= 0 AND "venues"."max_minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "venue_bookings" ADD CONSTRAINT "venue_bookings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_bookings" ADD CONSTRAINT "venue_bookings_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_bookings" ADD CONSTRAINT "venue_bookings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_bookings" ADD CONSTRAINT "venue_bookings_booked_by_accounts_id_fk" FOREIGN KEY ("booked_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_bookings" ADD CONSTRAINT "venue_bookings_decided_by_accounts_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_bookings" ADD CONSTRAINT "venue_bookings_cancelled_by_accounts_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "venue_bookings_venue_idx" ON "venue_bookings" USING btree ("venue_id");--> statement-breakpoint
CREATE INDEX "venue_bookings_org_idx" ON "venue_bookings" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "venues_district_idx" ON "venues" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "venues_org_idx" ON "venues" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "venues_location_gix" ON "venues" USING gist ("location");--> statement-breakpoint
-- No two live bookings of one venue overlap ([) ranges: 10:00-11:00 and 11:00-12:00 do not).
ALTER TABLE "venue_bookings" ADD CONSTRAINT "venue_bookings_no_overlap" EXCLUDE USING gist ("venue_id" WITH =, "period" WITH &&) WHERE ("status" IN ('requested', 'approved'));
