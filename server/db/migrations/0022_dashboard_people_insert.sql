-- Issue 10 (QR registration on PGlite): the dashboard counters' statement trigger on people inserts (0020) cost
-- ≈ 4.3 ms of the ≈ 5.5 ms a registration's person insert took on PGlite (EXPLAIN ANALYZE, demo district): it
-- copied every inserted row into a people[] array, unnested it, joined activity_participation and went through
-- three PL/pgSQL functions — even for a pending registration, which counts nowhere.
--
-- A person being inserted has no participation yet (activity_participation gains rows only from check-ins of an
-- existing person's sign-ups; ids are never reused; a restore loads the counters as backed up), so an insert only
-- adds youth and League members at the row's place. This function adds them straight from the transition table, in
-- the same key order as jw_dash_apply (district, source, period, grid, org), so writers still lock counters in one
-- order. Updates and deletes keep jw_dash_trigger (0020). Same numbers: the counter test recounts after random
-- writes, inserts among them.
CREATE FUNCTION jw_dash_people_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('jingwei.rollups_restore', true) = 'on' THEN RETURN NULL; END IF;
  INSERT INTO dashboard_counts AS c (district_id, source, period, grid_id, org_id, slot, n)
  SELECT p.district_id, s.source, 0, coalesce(p.home_grid_id, 0),
         CASE WHEN p.home_grid_id IS NULL THEN p.branch_org_id ELSE 0 END, (pg_backend_pid() % 16)::smallint,
         count(*)::int
  FROM jw_new p
  CROSS JOIN LATERAL (VALUES ('youth'), (CASE WHEN p.political_status = 'league_member' THEN 'members' END)) AS s(source)
  WHERE p.status = 'registered' AND p.withdrawn_at IS NULL AND s.source IS NOT NULL
  GROUP BY 1, 2, 4, 5
  ORDER BY 1, 2, 4, 5
  ON CONFLICT (district_id, source, period, grid_id, org_id, slot) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER jw_dash_people_ins ON people;
--> statement-breakpoint
CREATE TRIGGER jw_dash_people_ins AFTER INSERT ON people REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_people_insert();
