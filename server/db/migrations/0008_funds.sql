CREATE TABLE "fund_accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"year" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"kind" varchar(20) NOT NULL,
	"amount_fen" bigint NOT NULL,
	"source_type" varchar(20),
	"source" varchar(200),
	"memo" varchar(200),
	"withdrawal_id" integer,
	"reverses_entry_id" integer,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_entries_kind_ck" CHECK ("fund_entries"."kind" IN ('deposit', 'donation', 'withdrawal')),
	CONSTRAINT "fund_entries_sign_ck" CHECK ("fund_entries"."reverses_entry_id" IS NOT NULL OR ("fund_entries"."kind" = 'withdrawal' AND "fund_entries"."amount_fen" < 0) OR ("fund_entries"."kind" <> 'withdrawal' AND "fund_entries"."amount_fen" > 0))
);
--> statement-breakpoint
CREATE TABLE "fund_policies" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"multiplier_pct" integer DEFAULT 120 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_policies_multiplier_ck" CHECK ("fund_policies"."multiplier_pct" BETWEEN 110 AND 150)
);
--> statement-breakpoint
CREATE TABLE "fund_withdrawals" (
	"id" serial PRIMARY KEY NOT NULL,
	"district_id" integer NOT NULL,
	"account_id" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"purpose" varchar(200) NOT NULL,
	"reference" varchar(200) NOT NULL,
	"status" varchar(20) DEFAULT 'requested' NOT NULL,
	"requested_by" integer NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"decision_note" varchar(200),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_withdrawals_amount_ck" CHECK ("fund_withdrawals"."amount_fen" > 0),
	CONSTRAINT "fund_withdrawals_status_ck" CHECK ("fund_withdrawals"."status" IN ('requested', 'approved', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "fund_accounts" ADD CONSTRAINT "fund_accounts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_accounts" ADD CONSTRAINT "fund_accounts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_account_id_fund_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."fund_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_withdrawal_id_fund_withdrawals_id_fk" FOREIGN KEY ("withdrawal_id") REFERENCES "public"."fund_withdrawals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_reverses_entry_id_fund_entries_id_fk" FOREIGN KEY ("reverses_entry_id") REFERENCES "public"."fund_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_policies" ADD CONSTRAINT "fund_policies_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_withdrawals" ADD CONSTRAINT "fund_withdrawals_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_withdrawals" ADD CONSTRAINT "fund_withdrawals_account_id_fund_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."fund_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_withdrawals" ADD CONSTRAINT "fund_withdrawals_requested_by_accounts_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_withdrawals" ADD CONSTRAINT "fund_withdrawals_decided_by_accounts_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fund_accounts_org_year_uq" ON "fund_accounts" USING btree ("org_id","year");--> statement-breakpoint
CREATE INDEX "fund_accounts_district_idx" ON "fund_accounts" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "fund_entries_account_idx" ON "fund_entries" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_entries_withdrawal_uq" ON "fund_entries" USING btree ("withdrawal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_entries_reverses_uq" ON "fund_entries" USING btree ("reverses_entry_id");--> statement-breakpoint
CREATE INDEX "fund_withdrawals_account_idx" ON "fund_withdrawals" USING btree ("account_id");--> statement-breakpoint
-- The ledger is append-only: a correction is a reversing entry, never an edit. (A restore with --force
-- still empties the table with TRUNCATE, which row triggers do not see.)
CREATE FUNCTION fund_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'fund_entries is append-only' USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER fund_entries_append_only BEFORE UPDATE OR DELETE ON fund_entries
  FOR EACH ROW EXECUTE FUNCTION fund_entries_append_only();
