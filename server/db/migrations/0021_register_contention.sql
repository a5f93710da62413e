-- Issue 10 (registration throughput): two rows every QR registration of an event writes had become queues.
--
-- 1. The captcha's attempt counters (migration 0016) are UNLOGGED. Every scan bumps its code's per-minute counter
--    row; as a logged table each bump held that row's lock until its commit's WAL flush, so one code's scans ran
--    one flush at a time (≈ 4 ms each: a cap of ≈ 240 scans/s, measured). Unlogged rows write no WAL, so the commit
--    does not wait for the disk. What is lost: after a crash PostgreSQL empties an unlogged table, i.e. the rate
--    counters restart from zero — they are 1- and 10-minute windows, so that is at most one window's allowance.
--    (On PGlite the same.)
--
-- 2. The audit hash chain of a district is split into 16 shards, so 16 transactions of one district can link
-- audit rows at once. Until now every audited write of a district queued on
-- one advisory lock until its commit (migration 0012), which serialised a mass registration event: one
-- district's registrations ran one at a time whatever the number of connections (docs/PERFORMANCE.md).
--
-- A chain is now (district, shard): chain = shard * 16777216 + coalesce(district_id, 0), shard 0..15. Shard 0 is
-- the chain every existing row is on (chain = district id), so no row is rewritten and every link stays as it was.
-- Each shard is an independent hash chain with dense chain_seq from 1, verified, anchored and purged like any
-- chain (verify-audit, audit_purge and the restore already work per chain). The writer takes the first free shard
-- lock from shard 0 up and waits (on shard 0) only when all 16 are busy, so a district written one transaction at a
-- time keeps a single chain and only concurrent writers spill over; one transaction stays on the shard it took for
-- all its rows of that district.
ALTER TABLE "attempt_counters" SET UNLOGGED;--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE last audit_log; k text; head text; base integer; s integer; locked boolean := false;
BEGIN
  -- A restore (server/db/backup.ts) loads rows with the links they had.
  IF current_setting('jingwei.audit_restore', true) = 'on' THEN RETURN NEW; END IF;
  base := coalesce(NEW.district_id, 0);
  -- The head of the shard this transaction holds for the district (transaction-local setting: gone at commit or
  -- rollback, rolled back with a savepoint): txid:chain:seq:hash. While it is set, the transaction holds that
  -- shard's lock, so nobody else has appended since. Saves the lock and the index lookup on every row of a bulk insert.
  k := 'jingwei.audit_head_' || base;
  head := current_setting(k, true);
  IF head IS NOT NULL AND head <> '' AND split_part(head, ':', 1) = txid_current()::text THEN
    NEW.chain := split_part(head, ':', 2)::integer;
    NEW.chain_seq := split_part(head, ':', 3)::bigint + 1;
    NEW.prev_hash := decode(split_part(head, ':', 4), 'hex');
  ELSE
    FOR i IN 0..15 LOOP
      s := i;
      IF pg_try_advisory_xact_lock(7283011, s * 16777216 + base) THEN locked := true; EXIT; END IF;
    END LOOP;
    IF NOT locked THEN
      s := 0;
      PERFORM pg_advisory_xact_lock(7283011, base);
    END IF;
    NEW.chain := s * 16777216 + base;
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
  head := set_config(k, txid_current()::text || ':' || NEW.chain || ':' || NEW.chain_seq || ':' || encode(NEW.hash, 'hex'), true);
  RETURN NEW;
END
$$;
