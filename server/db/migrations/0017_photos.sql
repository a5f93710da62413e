CREATE TABLE "photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"owner_kind" varchar(30) NOT NULL,
	"owner_id" integer NOT NULL,
	"mime" varchar(20) NOT NULL,
	"bytes" "bytea" NOT NULL,
	"byte_size" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "photos_owner_kind_ck" CHECK ("photos"."owner_kind" IN ('activity_summary', 'order_request', 'order')),
	CONSTRAINT "photos_mime_ck" CHECK ("photos"."mime" IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "photos_size_ck" CHECK ("photos"."byte_size" = octet_length("photos"."bytes") AND "photos"."width" > 0 AND "photos"."height" > 0)
);
--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "photos_owner_idx" ON "photos" USING btree ("owner_kind","owner_id","id");
--> statement-breakpoint
CREATE INDEX "photos_district_idx" ON "photos" USING btree ("district_id");
