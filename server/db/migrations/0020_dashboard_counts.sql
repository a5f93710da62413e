-- Counters of the district overview (issue 9), maintained on write by statement-level triggers like org_rollups
-- (0013), so the overview reads a few thousand counter rows instead of every person and check-in.
--
-- dashboard_counts: per place, source, period and slot a count `n`. A place is a grid (grid_id, org_id = 0) or an
-- org (grid_id = 0, org_id): the overview sums the places under each org by the grid's org as the grids table is
-- at read time, so a grid handed to another org or an org moved elsewhere needs no counter change.
--   youth         (period 0)  registered, not withdrawn people (status 'registered' AND withdrawn_at IS NULL) at
--                             their home grid, else at their League branch: the registry counts of the grids list
--                             and the denominator of the participation rate (not the tree's `people` counter, which
--                             does not look at withdrawn_at);
--   members       (period 0)  the same, League members only;
--   participants  (period Y)  the same youth who checked in to >= 1 activity of their district starting in the
--                             Shanghai year Y (the participation rate's numerator);
--   activities, activities_summarised, activities_published (period Y)
--                             activities not cancelled starting in year Y, at their organising org; of them those
--                             summarised or published, and those published.
-- activity_participation: per person and Shanghai year, the check-ins (through the person's sign-ups) to activities
-- of the person's district starting that year; `participants` counts the rows with check-ins > 0.
-- The slot is the writing backend's pid % 16, as in org_rollups. jw_dash_rebuild() recounts everything from the
-- base tables (after a bulk load with triggers off); a test compares both after random writes. A restore loads the
-- counters as backed up (`jingwei.rollups_restore`). Every function is PL/pgSQL, whose statements are planned once
-- per connection (an SQL-language function is planned again at every call: ≈ 0.4 ms more per registration).
CREATE TABLE "dashboard_counts" (
	"district_id" integer NOT NULL,
	"source" varchar(24) NOT NULL,
	"period" smallint DEFAULT 0 NOT NULL,
	"grid_id" integer DEFAULT 0 NOT NULL,
	"org_id" integer DEFAULT 0 NOT NULL,
	"slot" smallint DEFAULT 0 NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "dashboard_counts_pk" PRIMARY KEY("district_id","source","period","grid_id","org_id","slot")
);
--> statement-breakpoint
CREATE TABLE "activity_participation" (
	"person_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"district_id" integer NOT NULL,
	"checkins" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "activity_participation_pk" PRIMARY KEY("person_id","year")
);
--> statement-breakpoint
CREATE INDEX "activity_participation_district_idx" ON "activity_participation" USING btree ("district_id");
--> statement-breakpoint
-- The Shanghai year (UTC+8, no daylight saving) of an instant: the overview's year is [Y-01-01T00:00+08:00, Y+1-…).
CREATE FUNCTION jw_shanghai_year(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT extract(year FROM (t AT TIME ZONE 'UTC') + interval '8 hours')::integer
$$;
--> statement-breakpoint
-- Adds deltas per (district, source, period, grid, org), summed per key first, written in key order (two writers never
-- lock counters in opposite order).
CREATE FUNCTION jw_dash_apply(p_district integer[], p_grid integer[], p_org integer[], p_source text[], p_period integer[], p_n integer[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_counts AS c (district_id, source, period, grid_id, org_id, slot, n)
  SELECT d.district_id, d.source, d.period::smallint, d.grid_id, d.org_id, (pg_backend_pid() % 16)::smallint, sum(d.n)::int
  FROM unnest(p_district, p_grid, p_org, p_source, p_period, p_n) AS d(district_id, grid_id, org_id, source, period, n)
  GROUP BY d.district_id, d.source, d.period, d.grid_id, d.org_id
  HAVING sum(d.n) <> 0
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (district_id, source, period, grid_id, org_id, slot) DO UPDATE SET n = c.n + excluded.n;
END $$;
--> statement-breakpoint
-- Adds check-in deltas per (person, year) to activity_participation and, where a person's count crosses zero,
-- ±1 `participants` at the person's place when he counts as youth. The people rows are first locked FOR SHARE (in id
-- order), so a concurrent change of such a person's place or status waits for this transaction, and its trigger then
-- sees the new participation (and the other way round).
CREATE FUNCTION jw_dash_participation_apply(p_person integer[], p_year integer[], p_delta integer[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_district integer[]; v_grid integer[]; v_org integer[]; v_source text[]; v_period integer[]; v_n integer[];
BEGIN
  IF p_person IS NULL OR cardinality(p_person) = 0 THEN RETURN; END IF;
  PERFORM 1 FROM people p WHERE p.id IN (SELECT unnest(p_person)) ORDER BY p.id FOR SHARE;
  WITH d AS (
    SELECT u.person_id, u.year, sum(u.delta)::int AS delta
    FROM unnest(p_person, p_year, p_delta) AS u(person_id, year, delta)
    WHERE u.person_id IS NOT NULL
    GROUP BY 1, 2 HAVING sum(u.delta) <> 0
  ), up AS (
    INSERT INTO activity_participation AS ap (person_id, year, district_id, checkins)
    SELECT d.person_id, d.year::smallint, p.district_id, d.delta FROM d JOIN people p ON p.id = d.person_id
    ORDER BY 1, 2
    ON CONFLICT (person_id, year) DO UPDATE SET checkins = ap.checkins + excluded.checkins
    RETURNING ap.person_id, ap.year, ap.checkins
  )
  SELECT array_agg(p.district_id), array_agg(coalesce(p.home_grid_id, 0)),
         array_agg(CASE WHEN p.home_grid_id IS NULL THEN p.branch_org_id ELSE 0 END), array_agg('participants'::text),
         array_agg(up.year::int),
         array_agg((CASE WHEN up.checkins > 0 THEN 1 ELSE 0 END) - (CASE WHEN up.checkins - d.delta > 0 THEN 1 ELSE 0 END))
    INTO v_district, v_grid, v_org, v_source, v_period, v_n
  FROM up JOIN d ON d.person_id = up.person_id AND d.year = up.year
  JOIN people p ON p.id = up.person_id
  WHERE p.status = 'registered' AND p.withdrawn_at IS NULL;
  PERFORM jw_dash_apply(v_district, v_grid, v_org, v_source, v_period, v_n);
END $$;
--> statement-breakpoint
-- People: ±1 youth (and members) at the old and the new place of every changed row that counts, and the row's
-- participation years (check-ins > 0) carried from the old place to the new one. Unchanged rows cancel out.
CREATE FUNCTION jw_dash_people_delta(p_new people[], p_old people[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM jw_dash_apply(array_agg(x.district_id), array_agg(x.grid_id), array_agg(x.org_id), array_agg(x.source),
                       array_agg(x.period), array_agg(x.n))
  FROM (
    WITH c AS (
      SELECT p.id, p.district_id, coalesce(p.home_grid_id, 0) AS grid_id,
             CASE WHEN p.home_grid_id IS NULL THEN p.branch_org_id ELSE 0 END AS org_id, p.political_status, 1 AS sign
      FROM unnest(p_new) p WHERE p.status = 'registered' AND p.withdrawn_at IS NULL
      UNION ALL
      SELECT p.id, p.district_id, coalesce(p.home_grid_id, 0),
             CASE WHEN p.home_grid_id IS NULL THEN p.branch_org_id ELSE 0 END, p.political_status, -1
      FROM unnest(p_old) p WHERE p.status = 'registered' AND p.withdrawn_at IS NULL
    )
    SELECT c.district_id, c.grid_id, c.org_id, s.source, 0 AS period, sum(c.sign)::int AS n
    FROM c CROSS JOIN LATERAL (VALUES ('youth'), (CASE WHEN c.political_status = 'league_member' THEN 'members' END)) AS s(source)
    WHERE s.source IS NOT NULL
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT c.district_id, c.grid_id, c.org_id, 'participants', ap.year::int, sum(c.sign)::int
    FROM c JOIN activity_participation ap ON ap.person_id = c.id AND ap.checkins > 0
    GROUP BY 1, 2, 3, 5
  ) x;
END $$;
--> statement-breakpoint
-- Activities: ±1 at the organising org and the Shanghai year of the start for every changed row not cancelled (and
-- summarised / published); a changed start year or district carries the check-ins made through its sign-ups.
CREATE FUNCTION jw_dash_activities_delta(p_new activities[], p_old activities[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM jw_dash_apply(array_agg(x.district_id), array_agg(0), array_agg(x.org_id), array_agg(x.source),
                        array_agg(x.period), array_agg(x.n))
  FROM (
    SELECT a.district_id, a.org_id, s.source, jw_shanghai_year(a.starts_at) AS period, sum(a.sign)::int AS n
    FROM (
      SELECT n.district_id, n.org_id, n.starts_at, n.status, 1 AS sign FROM unnest(p_new) n
      UNION ALL
      SELECT o.district_id, o.org_id, o.starts_at, o.status, -1 FROM unnest(p_old) o
    ) a
    CROSS JOIN LATERAL (VALUES ('activities'),
                               (CASE WHEN a.status IN ('summarised', 'published') THEN 'activities_summarised' END),
                               (CASE WHEN a.status = 'published' THEN 'activities_published' END)) AS s(source)
    WHERE a.status <> 'cancelled' AND s.source IS NOT NULL
    GROUP BY 1, 2, 3, 4
  ) x;
  -- Check-ins move only when the start year or the district of an activity that has sign-ups changes.
  PERFORM jw_dash_participation_apply(array_agg(y.person_id), array_agg(y.year), array_agg(y.delta))
  FROM (
    SELECT s.person_id, jw_shanghai_year(a.starts_at) AS year, a.sign AS delta
    FROM (
      SELECT n.id, n.district_id, n.starts_at, 1 AS sign FROM unnest(p_new) n
      JOIN unnest(p_old) o ON o.id = n.id
      WHERE jw_shanghai_year(n.starts_at) <> jw_shanghai_year(o.starts_at) OR n.district_id <> o.district_id
      UNION ALL
      SELECT o.id, o.district_id, o.starts_at, -1 FROM unnest(p_old) o
      LEFT JOIN unnest(p_new) n ON n.id = o.id
      WHERE n.id IS NULL OR jw_shanghai_year(n.starts_at) <> jw_shanghai_year(o.starts_at) OR n.district_id <> o.district_id
    ) a
    JOIN activity_signups s ON s.activity_id = a.id AND s.person_id IS NOT NULL
    JOIN activity_checkins k ON k.signup_id = s.id
    JOIN people p ON p.id = s.person_id AND p.district_id = a.district_id
  ) y;
END $$;
--> statement-breakpoint
-- Sign-ups: a sign-up with a check-in that changes person or activity (or goes) carries its check-in along.
CREATE FUNCTION jw_dash_signups_delta(p_new activity_signups[], p_old activity_signups[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM jw_dash_participation_apply(array_agg(y.person_id), array_agg(y.year), array_agg(y.delta))
  FROM (
    SELECT s.person_id, jw_shanghai_year(a.starts_at) AS year, s.sign AS delta
    FROM (
      SELECT n.id, n.person_id, n.activity_id, 1 AS sign FROM unnest(p_new) n
      LEFT JOIN unnest(p_old) o ON o.id = n.id
      WHERE o.id IS NULL OR n.person_id IS DISTINCT FROM o.person_id OR n.activity_id <> o.activity_id
      UNION ALL
      SELECT o.id, o.person_id, o.activity_id, -1 FROM unnest(p_old) o
      LEFT JOIN unnest(p_new) n ON n.id = o.id
      WHERE n.id IS NULL OR n.person_id IS DISTINCT FROM o.person_id OR n.activity_id <> o.activity_id
    ) s
    JOIN activity_checkins k ON k.signup_id = s.id
    JOIN activities a ON a.id = s.activity_id
    JOIN people p ON p.id = s.person_id AND p.district_id = a.district_id
  ) y;
END $$;
--> statement-breakpoint
-- Check-ins: +1 / -1 at (person of the sign-up, start year of the sign-up's activity).
CREATE FUNCTION jw_dash_checkins_delta(p_new activity_checkins[], p_old activity_checkins[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM jw_dash_participation_apply(array_agg(y.person_id), array_agg(y.year), array_agg(y.delta))
  FROM (
    SELECT s.person_id, jw_shanghai_year(a.starts_at) AS year, k.sign AS delta
    FROM (
      SELECT n.signup_id, 1 AS sign FROM unnest(p_new) n
      UNION ALL
      SELECT o.signup_id, -1 FROM unnest(p_old) o
    ) k
    JOIN activity_signups s ON s.id = k.signup_id AND s.person_id IS NOT NULL
    JOIN activities a ON a.id = s.activity_id
    JOIN people p ON p.id = s.person_id AND p.district_id = a.district_id
  ) y;
END $$;
--> statement-breakpoint
CREATE FUNCTION jw_dash_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('jingwei.rollups_restore', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_TABLE_NAME = 'people' THEN
    IF TG_OP = 'INSERT' THEN PERFORM jw_dash_people_delta(ARRAY(SELECT ROW(t.*)::people FROM jw_new t), NULL);
    ELSIF TG_OP = 'UPDATE' THEN PERFORM jw_dash_people_delta(ARRAY(SELECT ROW(t.*)::people FROM jw_new t), ARRAY(SELECT ROW(t.*)::people FROM jw_old t));
    ELSE PERFORM jw_dash_people_delta(NULL, ARRAY(SELECT ROW(t.*)::people FROM jw_old t)); END IF;
  ELSIF TG_TABLE_NAME = 'activities' THEN
    IF TG_OP = 'INSERT' THEN PERFORM jw_dash_activities_delta(ARRAY(SELECT ROW(t.*)::activities FROM jw_new t), NULL);
    ELSIF TG_OP = 'UPDATE' THEN
      -- Most updates (a seat taken on every sign-up) touch nothing counted: skip them cheaply.
      IF EXISTS (SELECT 1 FROM jw_new n JOIN jw_old o ON o.id = n.id
                 WHERE (n.status, n.org_id, n.starts_at, n.district_id) IS DISTINCT FROM (o.status, o.org_id, o.starts_at, o.district_id))
         OR (SELECT count(*) FROM jw_new) <> (SELECT count(*) FROM jw_new n JOIN jw_old o ON o.id = n.id) THEN
        PERFORM jw_dash_activities_delta(ARRAY(SELECT ROW(t.*)::activities FROM jw_new t), ARRAY(SELECT ROW(t.*)::activities FROM jw_old t));
      END IF;
    ELSE PERFORM jw_dash_activities_delta(NULL, ARRAY(SELECT ROW(t.*)::activities FROM jw_old t)); END IF;
  ELSIF TG_TABLE_NAME = 'activity_signups' THEN
    -- A new sign-up has no check-in yet; a cancellation or admission changes neither person nor activity.
    IF TG_OP = 'UPDATE' THEN
      IF EXISTS (SELECT 1 FROM jw_new n JOIN jw_old o ON o.id = n.id
                 WHERE n.person_id IS DISTINCT FROM o.person_id OR n.activity_id <> o.activity_id)
         OR (SELECT count(*) FROM jw_new) <> (SELECT count(*) FROM jw_new n JOIN jw_old o ON o.id = n.id) THEN
        PERFORM jw_dash_signups_delta(ARRAY(SELECT ROW(t.*)::activity_signups FROM jw_new t), ARRAY(SELECT ROW(t.*)::activity_signups FROM jw_old t));
      END IF;
    ELSIF TG_OP = 'DELETE' THEN PERFORM jw_dash_signups_delta(NULL, ARRAY(SELECT ROW(t.*)::activity_signups FROM jw_old t)); END IF;
  ELSIF TG_TABLE_NAME = 'activity_checkins' THEN
    IF TG_OP = 'INSERT' THEN PERFORM jw_dash_checkins_delta(ARRAY(SELECT ROW(t.*)::activity_checkins FROM jw_new t), NULL);
    ELSIF TG_OP = 'UPDATE' THEN
      IF EXISTS (SELECT 1 FROM jw_new n JOIN jw_old o ON o.id = n.id WHERE n.signup_id <> o.signup_id)
         OR (SELECT count(*) FROM jw_new) <> (SELECT count(*) FROM jw_new n JOIN jw_old o ON o.id = n.id) THEN
        PERFORM jw_dash_checkins_delta(ARRAY(SELECT ROW(t.*)::activity_checkins FROM jw_new t), ARRAY(SELECT ROW(t.*)::activity_checkins FROM jw_old t));
      END IF;
    ELSE PERFORM jw_dash_checkins_delta(NULL, ARRAY(SELECT ROW(t.*)::activity_checkins FROM jw_old t)); END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER jw_dash_people_ins AFTER INSERT ON people REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_people_upd AFTER UPDATE ON people REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_people_del AFTER DELETE ON people REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_activities_ins AFTER INSERT ON activities REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_activities_upd AFTER UPDATE ON activities REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_activities_del AFTER DELETE ON activities REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_signups_upd AFTER UPDATE ON activity_signups REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_signups_del AFTER DELETE ON activity_signups REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_checkins_ins AFTER INSERT ON activity_checkins REFERENCING NEW TABLE AS jw_new
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_checkins_upd AFTER UPDATE ON activity_checkins REFERENCING NEW TABLE AS jw_new OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
CREATE TRIGGER jw_dash_checkins_del AFTER DELETE ON activity_checkins REFERENCING OLD TABLE AS jw_old
  FOR EACH STATEMENT EXECUTE FUNCTION jw_dash_trigger();
--> statement-breakpoint
-- A fresh recount from the base tables (after a bulk load with triggers off, or to check the counters).
CREATE FUNCTION jw_dash_rebuild(p_district integer DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dashboard_counts WHERE p_district IS NULL OR district_id = p_district;
  DELETE FROM activity_participation WHERE p_district IS NULL OR district_id = p_district;
  INSERT INTO activity_participation (person_id, year, district_id, checkins)
  SELECT s.person_id, jw_shanghai_year(a.starts_at), p.district_id, count(*)::int
  FROM activity_checkins k
  JOIN activity_signups s ON s.id = k.signup_id
  JOIN activities a ON a.id = s.activity_id
  JOIN people p ON p.id = s.person_id AND p.district_id = a.district_id
  WHERE p_district IS NULL OR p.district_id = p_district
  GROUP BY 1, 2, 3;
  PERFORM jw_dash_apply(array_agg(x.district_id), array_agg(x.grid_id), array_agg(x.org_id), array_agg(x.source),
                        array_agg(x.period), array_agg(x.n))
  FROM (
    SELECT p.district_id, coalesce(p.home_grid_id, 0) AS grid_id,
           CASE WHEN p.home_grid_id IS NULL THEN p.branch_org_id ELSE 0 END AS org_id, s.source, 0 AS period,
           count(*)::int AS n
    FROM people p
    CROSS JOIN LATERAL (VALUES ('youth'), (CASE WHEN p.political_status = 'league_member' THEN 'members' END)) AS s(source)
    WHERE p.status = 'registered' AND p.withdrawn_at IS NULL AND s.source IS NOT NULL
      AND (p_district IS NULL OR p.district_id = p_district)
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT p.district_id, coalesce(p.home_grid_id, 0), CASE WHEN p.home_grid_id IS NULL THEN p.branch_org_id ELSE 0 END,
           'participants', ap.year::int, count(*)::int
    FROM people p JOIN activity_participation ap ON ap.person_id = p.id AND ap.checkins > 0
    WHERE p.status = 'registered' AND p.withdrawn_at IS NULL AND (p_district IS NULL OR p.district_id = p_district)
    GROUP BY 1, 2, 3, 5
    UNION ALL
    SELECT a.district_id, 0, a.org_id, s.source, jw_shanghai_year(a.starts_at), count(*)::int
    FROM activities a
    CROSS JOIN LATERAL (VALUES ('activities'),
                               (CASE WHEN a.status IN ('summarised', 'published') THEN 'activities_summarised' END),
                               (CASE WHEN a.status = 'published' THEN 'activities_published' END)) AS s(source)
    WHERE a.status <> 'cancelled' AND s.source IS NOT NULL AND (p_district IS NULL OR a.district_id = p_district)
    GROUP BY 1, 2, 3, 4, 5
  ) x;
END $$;
--> statement-breakpoint
SELECT jw_dash_rebuild();
