-- Roll-up counters of the org tree, maintained on write by statement-level triggers (issue 10).
-- One row per (org, source, slot): `direct` counts what is attached to the org itself, `subtree` what is attached
-- anywhere in its subtree (the org included). A reader sums the slots. The slot is the writing backend's
-- pg_backend_pid() % 16, so concurrent transactions (registrations of one event, an import) update different rows
-- of the hot ancestors (the district root) instead of queueing on one row lock.
-- Sources: orgs (active orgs), accounts (active accounts bound to an org), grids (active grids, at their
-- responsible org), people (registered people at their home grid's org, else their League branch), members
-- (the same, League members only). A fresh recount is jw_rollup_rebuild(); a test compares both after random writes.
CREATE TABLE "org_rollups" (
	"org_id" integer NOT NULL,
	"district_id" integer NOT NULL,
	"source" varchar(20) NOT NULL,
	"slot" smallint DEFAULT 0 NOT NULL,
	"direct" integer DEFAULT 0 NOT NULL,
	"subtree" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "org_rollups_org_id_source_slot_pk" PRIMARY KEY("org_id","source","slot")
);
--> statement-breakpoint
CREATE INDEX "org_rollups_district_idx" ON "org_rollups" USING btree ("district_id");
--> statement-breakpoint
-- Adds deltas attached to orgs: each delta counts as `direct` at its org and as `subtree` at every org on its path.
-- Rows are written in (org, source) order, so two statements never lock the same counters in opposite order.
CREATE FUNCTION jw_rollup_apply(p_org integer[], p_district integer[], p_path text[], p_source text[], p_delta integer[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO org_rollups AS r (org_id, district_id, source, slot, direct, subtree)
  SELECT a.id, d.district_id, d.source, (pg_backend_pid() % 16)::smallint,
         sum(CASE WHEN a.id = d.org_id THEN d.delta ELSE 0 END)::int, sum(d.delta)::int
  FROM unnest(p_org, p_district, p_path, p_source, p_delta) AS d(org_id, district_id, path, source, delta)
  CROSS JOIN LATERAL unnest(string_to_array(btrim(d.path, '/'), '/')::int[]) AS a(id)
  WHERE d.delta <> 0
  GROUP BY a.id, d.district_id, d.source
  ORDER BY a.id, d.source
  ON CONFLICT (org_id, source, slot) DO UPDATE
    SET direct = r.direct + excluded.direct, subtree = r.subtree + excluded.subtree
$$;
--> statement-breakpoint
-- The delta functions take the statement's new and old rows (arrays of the table's row type; NULL for none).
-- People: +1 for each new row that counts, -1 for each old row that counted, at the org of the home grid
-- (as the grids table is now: a grid's move is handled by the grids trigger), else the League branch.
CREATE FUNCTION jw_rollup_people_delta(p_new people[], p_old people[]) RETURNS void LANGUAGE sql AS $$
  SELECT jw_rollup_apply(array_agg(x.org_id), array_agg(x.district_id), array_agg(x.path), array_agg(x.source), array_agg(x.delta))
  FROM (
    SELECT o.id AS org_id, o.district_id, o.path, s.source, sum(c.sign)::int AS delta
    FROM (
      SELECT coalesce(g.org_id, p.branch_org_id) AS org_id, p.political_status, 1 AS sign
      FROM unnest(p_new) p LEFT JOIN grids g ON g.id = p.home_grid_id
      WHERE p.status = 'registered'
      UNION ALL
      SELECT coalesce(g.org_id, p.branch_org_id), p.political_status, -1
      FROM unnest(p_old) p LEFT JOIN grids g ON g.id = p.home_grid_id
      WHERE p.status = 'registered'
    ) c
    CROSS JOIN LATERAL (VALUES ('people'), (CASE WHEN c.political_status = 'league_member' THEN 'members' END)) AS s(source)
    JOIN orgs o ON o.id = c.org_id
    WHERE s.source IS NOT NULL
    GROUP BY o.id, o.district_id, o.path, s.source
  ) x
$$;
--> statement-breakpoint
CREATE FUNCTION jw_rollup_accounts_delta(p_new accounts[], p_old accounts[]) RETURNS void LANGUAGE sql AS $$
  SELECT jw_rollup_apply(array_agg(x.org_id), array_agg(x.district_id), array_agg(x.path), array_agg('accounts'::text), array_agg(x.delta))
  FROM (
    SELECT o.id AS org_id, o.district_id, o.path, sum(c.sign)::int AS delta
    FROM (
      SELECT a.org_id, 1 AS sign FROM unnest(p_new) a WHERE a.active AND a.org_id IS NOT NULL
      UNION ALL
      SELECT a.org_id, -1 FROM unnest(p_old) a WHERE a.active AND a.org_id IS NOT NULL
    ) c JOIN orgs o ON o.id = c.org_id
    GROUP BY o.id, o.district_id, o.path
  ) x
$$;
--> statement-breakpoint
-- Grids count at their org; a grid handed to another org takes its people (and members) along.
CREATE FUNCTION jw_rollup_grids_delta(p_new grids[], p_old grids[]) RETURNS void LANGUAGE sql AS $$
  SELECT jw_rollup_apply(array_agg(x.org_id), array_agg(x.district_id), array_agg(x.path), array_agg(x.source), array_agg(x.delta))
  FROM (
    SELECT o.id AS org_id, o.district_id, o.path, c.source, sum(c.n)::int AS delta
    FROM (
      SELECT g.org_id, 'grids'::text AS source, 1 AS n FROM unnest(p_new) g WHERE g.active
      UNION ALL
      SELECT g.org_id, 'grids', -1 FROM unnest(p_old) g WHERE g.active
      UNION ALL
      SELECT m.org_id, s.source, (m.sign * count(*))::int
      FROM unnest(p_old) og JOIN unnest(p_new) n ON n.id = og.id AND n.org_id IS DISTINCT FROM og.org_id
      CROSS JOIN LATERAL (VALUES (og.org_id, -1), (n.org_id, 1)) AS m(org_id, sign)
      JOIN people p ON p.home_grid_id = og.id AND p.status = 'registered'
      CROSS JOIN LATERAL (VALUES ('people'), (CASE WHEN p.political_status = 'league_member' THEN 'members' END)) AS s(source)
      WHERE s.source IS NOT NULL
      GROUP BY m.org_id, m.sign, s.source
    ) c JOIN orgs o ON o.id = c.org_id
    GROUP BY o.id, o.district_id, o.path, c.source
  ) x
$$;
--> statement-breakpoint
-- Orgs: an active org counts 1 in `orgs`. A move (path changed) takes every direct counter of each moved org off
-- its old ancestors and onto its new ones (inside the moved subtree both cancel out); then the change of its own
-- `orgs` count is applied at its new path. A deleted org takes its counters off its old ancestors.
CREATE FUNCTION jw_rollup_orgs_delta(p_new orgs[], p_old orgs[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM jw_rollup_apply(array_agg(x.org_id), array_agg(x.district_id), array_agg(x.path), array_agg(x.source), array_agg(x.delta))
  FROM (
    SELECT og.id AS org_id, og.district_id, m.path, r.source, (m.sign * sum(r.direct))::int AS delta
    FROM unnest(p_old) og
    LEFT JOIN unnest(p_new) n ON n.id = og.id
    JOIN org_rollups r ON r.org_id = og.id AND (n.id IS NOT NULL OR r.source <> 'orgs')
    CROSS JOIN LATERAL (VALUES (og.path, -1), (n.path, 1)) AS m(path, sign)
    WHERE (n.id IS NULL OR n.path <> og.path) AND m.path IS NOT NULL
    GROUP BY og.id, og.district_id, m.path, m.sign, r.source
  ) x;
  PERFORM jw_rollup_apply(array_agg(x.org_id), array_agg(x.district_id), array_agg(x.path), array_agg('orgs'::text), array_agg(x.delta))
  FROM (
    SELECT c.org_id, c.district_id, c.path, sum(c.sign)::int AS delta
    FROM (
      SELECT n.id AS org_id, n.district_id, n.path, 1 AS sign FROM unnest(p_new) n WHERE n.active
      UNION ALL
      SELECT og.id, og.district_id, coalesce(n.path, og.path), -1
      FROM unnest(p_old) og LEFT JOIN unnest(p_new) n ON n.id = og.id
      WHERE og.active
    ) c GROUP BY c.org_id, c.district_id, c.path
  ) x;
  DELETE FROM org_rollups r USING unnest(p_old) og
  WHERE r.org_id = og.id AND NOT EXISTS (SELECT 1 FROM unnest(p_new) n WHERE n.id = og.id);
END $$;
--> statement-breakpoint
-- One trigger function for every table and operation; each branch passes only the transition tables it has.
CREATE FUNCTION jw_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A restore (server/db/backup.ts) loads the counters as they were backed up: do not count its rows twice.
  IF current_setting('jingwei.rollups_restore', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_TABLE_NAME = 'people' THEN
    IF TG_OP = 'INSERT' THEN PERFORM jw_rollup_people_delta(ARRAY(SELECT ROW(t.*)::people FROM jw_new t), NULL);
    ELSIF TG_OP = 'UPDATE' THEN PERFORM jw_rollup_people_delta(ARRAY(SELECT ROW(t.*)::people FROM jw_new t), ARRAY(SELECT ROW(t.*)::people FROM jw_old t));
    ELSE PERFORM jw_rollup_people_delta(NULL, ARRAY(SELECT ROW(t.*)::people FROM jw_old t)); END IF;
  ELSIF TG_TABLE_NAME = 'accounts' THEN
    IF TG_OP = 'INSERT' THEN PERFORM jw_rollup_accounts_delta(ARRAY(SELECT ROW(t.*)::accounts FROM jw_new t), NULL);
    ELSIF TG_OP = 'UPDATE' THEN PERFORM jw_rollup_accounts_delta(ARRAY(SELECT ROW(t.*)::accounts FROM jw_new t), ARRAY(SELECT ROW(t.*)::accounts FROM jw_old t));
    ELSE PERFORM jw_rollup_accounts_delta(NULL, ARRAY(SELECT ROW(t.*)::accounts FROM jw_old t)); END IF;
  ELSIF TG_TABLE_NAME = 'grids' THEN
    IF TG_OP = 'INSERT' THEN PERFORM jw_rollup_grids_delta(ARRAY(SELECT ROW(t.*)::grids FROM jw_new t), NULL);
    ELSIF TG_OP = 'UPDATE' THEN PERFORM jw_rollup_grids_delta(ARRAY(SELECT ROW(t.*)::grids FROM jw_new t), ARRAY(SELECT ROW(t.*)::grids FROM jw_old t));
    ELSE PERFORM jw_rollup_grids_delta(NULL, ARRAY(SELECT ROW(t.*)::grids FROM jw_old t)); END IF;
  ELSIF TG_TABLE_NAME = 'orgs' THEN
    IF TG_OP = 'INSERT' THEN PERFORM jw_rollup_orgs_delta(ARRAY(SELECT ROW(t.*)::orgs FROM jw_new t), NULL);
    ELSIF TG_OP = 'UPDATE' THEN PERFORM jw_rollup_orgs_delta(ARRAY(SELECT ROW(t.*)::orgs FROM jw_new t), ARRAY(SELECT ROW(t.*)::orgs FROM jw_old t));
    ELSE PERFORM jw_rollup_orgs_delta(NULL, ARRAY(SELECT ROW(t.*)::orgs FROM jw_old t)); END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER jw_rollup_orgs_ins AFTER INSERT ON orgs REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_orgs_upd AFTER UPDATE ON orgs REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_orgs_del AFTER DELETE ON orgs REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_accounts_ins AFTER INSERT ON accounts REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_accounts_upd AFTER UPDATE ON accounts REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_accounts_del AFTER DELETE ON accounts REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_grids_ins AFTER INSERT ON grids REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_grids_upd AFTER UPDATE ON grids REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_grids_del AFTER DELETE ON grids REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_people_ins AFTER INSERT ON people REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_people_upd AFTER UPDATE ON people REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_rollup_people_del AFTER DELETE ON people REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_rollup_trigger();
--> statement-breakpoint
-- A fresh recount from the base tables (after a bulk load with triggers off, after a restore, or to check).
CREATE FUNCTION jw_rollup_rebuild(p_district integer DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM org_rollups WHERE p_district IS NULL OR district_id = p_district;
  PERFORM jw_rollup_apply(array_agg(x.org_id), array_agg(x.district_id), array_agg(x.path), array_agg(x.source), array_agg(x.n))
  FROM (
    SELECT o.id AS org_id, o.district_id, o.path, c.source, c.n
    FROM (
      SELECT id AS org_id, 'orgs'::text AS source, 1 AS n FROM orgs WHERE active AND (p_district IS NULL OR district_id = p_district)
      UNION ALL
      SELECT org_id, 'accounts', count(*)::int FROM accounts WHERE active AND org_id IS NOT NULL GROUP BY org_id
      UNION ALL
      SELECT org_id, 'grids', count(*)::int FROM grids WHERE active AND (p_district IS NULL OR district_id = p_district) GROUP BY org_id
      UNION ALL
      SELECT coalesce(g.org_id, p.branch_org_id), s.source, count(*)::int
      FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
      CROSS JOIN LATERAL (VALUES ('people'), (CASE WHEN p.political_status = 'league_member' THEN 'members' END)) AS s(source)
      WHERE p.status = 'registered' AND s.source IS NOT NULL AND (p_district IS NULL OR p.district_id = p_district)
      GROUP BY 1, 2
    ) c JOIN orgs o ON o.id = c.org_id
    WHERE p_district IS NULL OR o.district_id = p_district
  ) x;
END $$;
--> statement-breakpoint
SELECT jw_rollup_rebuild();
