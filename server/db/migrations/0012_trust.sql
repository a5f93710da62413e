-- Issue 11 (trust): tamper-evident, append-only audit log with a retention purge; account lockout per
-- account + IP; absolute session lifetime; password age; TOTP second factor.
--
-- Audit hash chain: one chain per district (platform-level entries, district_id NULL, form chain 0).
-- Every row stores its place in the chain (chain_seq), the previous row's hash (prev_hash) and its own
-- hash = sha256(prev_hash || canonical text of the row). The BEFORE INSERT trigger computes them under
-- a transaction-level advisory lock on the chain, so concurrent writers of one district queue for the
-- link (rows of other districts do not wait); a unique index on (chain, chain_seq) makes a fork
-- impossible even if the lock were bypassed. `verify-audit` (server/main.ts) recomputes the chain.
ALTER TABLE "audit_log" ADD COLUMN "chain" integer;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" bytea;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" bytea;--> statement-breakpoint
-- The canonical content of a row: a jsonb array (unambiguous, same text on PGlite and PostgreSQL),
-- the time as microseconds since the epoch (independent of the session's TimeZone).
CREATE FUNCTION audit_row_hash(prev bytea, r audit_log) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(prev || convert_to(jsonb_build_array(r.id, r.chain, r.chain_seq, r.district_id, r.account_id,
    r.username, r.action, r.entity, r.entity_id, r.before, r.after, r.ip,
    (extract(epoch FROM r.at) * 1000000)::bigint)::text, 'UTF8'))
$$;--> statement-breakpoint
-- Purges done by audit_purge: where each chain now starts (the hash the first kept row must link to).
CREATE TABLE "audit_purges" (
	"id" serial PRIMARY KEY NOT NULL,
	"chain" integer NOT NULL,
	"through_seq" bigint NOT NULL,
	"through_hash" bytea NOT NULL,
	"rows" integer NOT NULL,
	"keep_days" integer NOT NULL,
	"purged_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "audit_purges_chain_idx" ON "audit_purges" USING btree ("chain","through_seq");--> statement-breakpoint
-- Chain the rows that exist already, in id order.
DO $$
DECLARE r audit_log; prev bytea; seqs jsonb := '{}'; hashes jsonb := '{}'; k text; s bigint;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    k := coalesce(r.district_id, 0)::text;
    s := coalesce((seqs ->> k)::bigint, 0) + 1;
    prev := coalesce(decode(hashes ->> k, 'hex'), '\x'::bytea);
    r.chain := coalesce(r.district_id, 0);
    r.chain_seq := s;
    UPDATE audit_log SET chain = r.chain, chain_seq = s, prev_hash = prev, hash = audit_row_hash(prev, r)
      WHERE id = r.id;
    seqs := seqs || jsonb_build_object(k, s);
    hashes := hashes || jsonb_build_object(k, encode(audit_row_hash(prev, r), 'hex'));
  END LOOP;
END
$$;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain_seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_chain_seq_idx" ON "audit_log" USING btree ("chain","chain_seq");--> statement-breakpoint
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last audit_log; k text; head text;
BEGIN
  -- A restore (server/db/backup.ts) loads rows with the links they had.
  IF current_setting('jingwei.audit_restore', true) = 'on' THEN RETURN NEW; END IF;
  NEW.chain := coalesce(NEW.district_id, 0);
  -- The chain's head as this transaction left it (transaction-local setting, so it is gone at commit or
  -- rollback, and rolled back with a savepoint): while it is set this transaction holds the chain's lock,
  -- so nobody else has appended since. Saves the lock call and the index lookup on every row of a bulk insert.
  k := 'jingwei.audit_head_' || NEW.chain;
  head := current_setting(k, true);
  IF head IS NOT NULL AND head <> '' AND split_part(head, ':', 1) = txid_current()::text THEN
    NEW.chain_seq := split_part(head, ':', 2)::bigint + 1;
    NEW.prev_hash := decode(split_part(head, ':', 3), 'hex');
  ELSE
    PERFORM pg_advisory_xact_lock(7283011, NEW.chain);
    -- A fresh snapshot per statement (READ COMMITTED): sees the rows committed by the previous lock holder.
    SELECT * INTO last FROM audit_log WHERE chain = NEW.chain ORDER BY chain_seq DESC LIMIT 1;
    IF FOUND THEN
      NEW.chain_seq := last.chain_seq + 1;
      NEW.prev_hash := last.hash;
    ELSE
      SELECT through_seq + 1, through_hash INTO NEW.chain_seq, NEW.prev_hash
        FROM audit_purges WHERE chain = NEW.chain ORDER BY through_seq DESC LIMIT 1;
      IF NOT FOUND THEN
        NEW.chain_seq := 1;
        NEW.prev_hash := '\x'::bytea;
      END IF;
    END IF;
  END IF;
  NEW.hash := audit_row_hash(NEW.prev_hash, NEW);
  head := set_config(k, txid_current()::text || ':' || NEW.chain_seq || ':' || encode(NEW.hash, 'hex'), true);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();--> statement-breakpoint
-- Append-only: no UPDATE ever; a DELETE only inside audit_purge (which sets jingwei.audit_purge for its
-- own transaction) and, even then, only of rows older than 180 days — the floor is here, in the trigger,
-- so no caller can purge younger rows whatever it sets. TRUNCATE only inside a restore.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('jingwei.audit_purge', true) = 'on'
     AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();--> statement-breakpoint
CREATE FUNCTION audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('jingwei.audit_restore', true) = 'on' THEN RETURN NULL; END IF;
  RAISE EXCEPTION '% is append-only (TRUNCATE refused)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();--> statement-breakpoint
CREATE TRIGGER audit_purges_no_truncate BEFORE TRUNCATE ON audit_purges
  FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();--> statement-breakpoint
CREATE FUNCTION audit_purges_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_purges is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_purges_append_only BEFORE UPDATE OR DELETE ON audit_purges
  FOR EACH ROW EXECUTE FUNCTION audit_purges_append_only();--> statement-breakpoint
-- The retention purge: per chain, deletes the oldest rows up to (not including) the first row younger
-- than keep_days (≥ 180), so a chain loses only a prefix and stays verifiable from the recorded anchor.
CREATE FUNCTION audit_purge(keep_days integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE c integer; cutoff bigint; anchor bytea; n integer; total integer := 0;
BEGIN
  IF keep_days IS NULL OR keep_days < 180 THEN
    RAISE EXCEPTION 'audit retention must be at least 180 days (got %)', keep_days USING ERRCODE = 'check_violation';
  END IF;
  PERFORM set_config('jingwei.audit_purge', 'on', true);
  FOR c IN SELECT DISTINCT chain FROM audit_log ORDER BY chain LOOP
    -- Never wait for a chain's lock (a writer holding one chain's lock may want another's): a busy chain
    -- is purged on the next run.
    IF NOT pg_try_advisory_xact_lock(7283011, c) THEN CONTINUE; END IF;
    SELECT min(chain_seq) - 1 INTO cutoff
      FROM audit_log WHERE chain = c AND at >= now() - make_interval(days => keep_days);
    IF cutoff IS NULL THEN
      SELECT max(chain_seq) INTO cutoff FROM audit_log WHERE chain = c;
    END IF;
    SELECT hash INTO anchor FROM audit_log WHERE chain = c AND chain_seq = cutoff;
    IF anchor IS NULL THEN CONTINUE; END IF;
    DELETE FROM audit_log WHERE chain = c AND chain_seq <= cutoff;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
      INSERT INTO audit_purges (chain, through_seq, through_hash, rows, keep_days) VALUES (c, cutoff, anchor, n, keep_days);
      total := total + n;
    END IF;
  END LOOP;
  PERFORM set_config('jingwei.audit_purge', 'off', true);
  RETURN total;
END
$$;--> statement-breakpoint
-- Accounts: failed logins per (username, IP) — also for usernames that do not exist, so the answer
-- cannot tell them apart; absolute session lifetime; password age; TOTP.
CREATE TABLE "login_failures" (
	"username" varchar(100) NOT NULL,
	"ip" varchar(64) NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "login_failures_username_ip_pk" PRIMARY KEY("username","ip")
);--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "password_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "totp_secret" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "totp_enabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "second_factor" boolean DEFAULT true NOT NULL;
