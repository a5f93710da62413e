CREATE TABLE "cadres" (
	"person_id" integer PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"posts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recruited_from" varchar(30),
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cadres_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id"),
	CONSTRAINT "cadres_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id"),
	CONSTRAINT "cadres_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id")
);
--> statement-breakpoint
CREATE INDEX "cadres_district_idx" ON "cadres" USING btree ("district_id");
--> statement-breakpoint
CREATE TABLE "cadre_trainings" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"cadre_person_id" integer NOT NULL,
	"title" varchar(100) NOT NULL,
	"held_on" date NOT NULL,
	"hours" numeric(5, 1),
	"note" varchar(500),
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cadre_trainings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id"),
	CONSTRAINT "cadre_trainings_cadre_person_id_cadres_person_id_fk" FOREIGN KEY ("cadre_person_id") REFERENCES "public"."cadres"("person_id"),
	CONSTRAINT "cadre_trainings_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id")
);
--> statement-breakpoint
CREATE INDEX "cadre_trainings_cadre_idx" ON "cadre_trainings" USING btree ("cadre_person_id");
--> statement-breakpoint
CREATE TABLE "cadre_contacts" (
	"cadre_person_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cadre_contacts_cadre_person_id_person_id_pk" PRIMARY KEY("cadre_person_id","person_id"),
	CONSTRAINT "cadre_contacts_cadre_person_id_cadres_person_id_fk" FOREIGN KEY ("cadre_person_id") REFERENCES "public"."cadres"("person_id"),
	CONSTRAINT "cadre_contacts_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id"),
	CONSTRAINT "cadre_contacts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id"),
	CONSTRAINT "cadre_contacts_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id")
);
--> statement-breakpoint
CREATE INDEX "cadre_contacts_person_idx" ON "cadre_contacts" USING btree ("person_id");
--> statement-breakpoint
CREATE TABLE "contact_logs" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"cadre_person_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"contacted_on" date NOT NULL,
	"channel" varchar(15) NOT NULL,
	"note" varchar(500),
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_logs_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id"),
	CONSTRAINT "contact_logs_cadre_person_id_cadres_person_id_fk" FOREIGN KEY ("cadre_person_id") REFERENCES "public"."cadres"("person_id"),
	CONSTRAINT "contact_logs_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id"),
	CONSTRAINT "contact_logs_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id"),
	CONSTRAINT "contact_logs_channel_ck" CHECK ("contact_logs"."channel" IN ('phone', 'wechat', 'qq', 'face_to_face', 'activity', 'other'))
);
--> statement-breakpoint
CREATE INDEX "contact_logs_cadre_person_on_idx" ON "contact_logs" USING btree ("cadre_person_id","person_id","contacted_on");
--> statement-breakpoint
CREATE TABLE "visit_settings" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"visit_day" smallint DEFAULT 9 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_settings_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id"),
	CONSTRAINT "visit_settings_day_ck" CHECK ("visit_settings"."visit_day" BETWEEN 1 AND 28)
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"visited_on" date NOT NULL,
	"target_kind" varchar(12) NOT NULL,
	"person_id" integer,
	"target_name" varchar(100),
	"visitor_person_id" integer,
	"notes" varchar(2000) NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visits_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id"),
	CONSTRAINT "visits_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id"),
	CONSTRAINT "visits_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id"),
	CONSTRAINT "visits_visitor_person_id_people_id_fk" FOREIGN KEY ("visitor_person_id") REFERENCES "public"."people"("id"),
	CONSTRAINT "visits_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id"),
	CONSTRAINT "visits_target_kind_ck" CHECK ("visits"."target_kind" IN ('person', 'enterprise', 'organisation')),
	CONSTRAINT "visits_target_ck" CHECK (("visits"."target_kind" = 'person' AND "visits"."person_id" IS NOT NULL) OR ("visits"."target_kind" <> 'person' AND "visits"."person_id" IS NULL AND "visits"."target_name" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "visits_district_on_idx" ON "visits" USING btree ("district_id","visited_on");
--> statement-breakpoint
CREATE INDEX "visits_org_idx" ON "visits" USING btree ("org_id");
--> statement-breakpoint
CREATE TABLE "visit_demands" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"visit_id" integer NOT NULL,
	"text" varchar(500) NOT NULL,
	"status" varchar(10) DEFAULT 'open' NOT NULL,
	"order_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_demands_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id"),
	CONSTRAINT "visit_demands_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id"),
	CONSTRAINT "visit_demands_order_id_service_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_orders"("id"),
	CONSTRAINT "visit_demands_status_ck" CHECK ("visit_demands"."status" IN ('open', 'ordered', 'closed'))
);
--> statement-breakpoint
CREATE INDEX "visit_demands_visit_idx" ON "visit_demands" USING btree ("visit_id");
--> statement-breakpoint
CREATE INDEX "visit_demands_district_status_idx" ON "visit_demands" USING btree ("district_id","status");
