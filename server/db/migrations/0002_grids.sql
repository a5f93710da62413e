CREATE TABLE "district_settings" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"grid_capacity" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_linked_orgs" (
	"grid_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	CONSTRAINT "grid_linked_orgs_grid_id_org_id_pk" PRIMARY KEY("grid_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"code" varchar(40) NOT NULL,
	"name" varchar(100) NOT NULL,
	"kind" varchar(30) NOT NULL,
	"org_id" integer NOT NULL,
	"leader_account_id" integer,
	"contact_account_id" integer,
	"venue" varchar(200),
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"service_project" varchar(500),
	"youth_count" integer,
	"member_count" integer,
	"boundary" geometry(MultiPolygon,4326),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_territories" (
	"org_id" integer PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"boundary" geometry(MultiPolygon,4326) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "district_settings" ADD CONSTRAINT "district_settings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_linked_orgs" ADD CONSTRAINT "grid_linked_orgs_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_linked_orgs" ADD CONSTRAINT "grid_linked_orgs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_linked_orgs" ADD CONSTRAINT "grid_linked_orgs_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_leader_account_id_accounts_id_fk" FOREIGN KEY ("leader_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_contact_account_id_accounts_id_fk" FOREIGN KEY ("contact_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_territories" ADD CONSTRAINT "org_territories_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_territories" ADD CONSTRAINT "org_territories_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grid_linked_orgs_org_idx" ON "grid_linked_orgs" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grids_district_code_uq" ON "grids" USING btree ("district_id","code");--> statement-breakpoint
CREATE INDEX "grids_org_idx" ON "grids" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "grids_boundary_gix" ON "grids" USING gist ("boundary");--> statement-breakpoint
CREATE INDEX "org_territories_boundary_gix" ON "org_territories" USING gist ("boundary");