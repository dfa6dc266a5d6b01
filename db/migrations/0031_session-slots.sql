DROP INDEX "opportunities_search_idx";--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "search_sessions" "tsvector";--> statement-breakpoint
-- When an opportunity's sessions are, as lexemes of the search index (lc_session_slots): for each
-- session its local date ('date:2027-01-09'), weekday (ISO, 'dow:6'), time of day as the search's
-- filters divide the day ('tod:afternoon': morning before 12, afternoon 12-17, evening from 17) and
-- their pairs ('date:2027-01-09:afternoon', 'dow:6:afternoon'). local_start is the session's
-- wall-clock start in the city ('YYYY-MM-DDTHH:mm').
CREATE FUNCTION lc_session_slots(local_start text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY['date:' || d, 'date:' || d || ':' || t, 'dow:' || w, 'dow:' || w || ':' || t, 'tod:' || t]
    FROM (SELECT left(local_start, 10) AS d, extract(isodow FROM local_start::timestamp)::int AS w,
      CASE WHEN substring(local_start FROM 12 FOR 2)::int < 12 THEN 'morning'
        WHEN substring(local_start FROM 12 FOR 2)::int < 17 THEN 'afternoon' ELSE 'evening' END AS t) AS s $$;
--> statement-breakpoint
-- The slots of an opportunity's sessions not cancelled that started at most a week ago, as far back
-- as the opportunities module writes sessions (empty for none). The search asks only for sessions to
-- come; slots of the past week are a few false leads it checks away, and the daily horizon job
-- takes older ones out (lc_search_sessions_refresh for the opportunities whose sessions aged past it).
CREATE FUNCTION lc_search_sessions(p_opportunity bigint) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT array_to_tsvector(ARRAY(SELECT DISTINCT x FROM opportunity_sessions s
      CROSS JOIN LATERAL unnest(lc_session_slots(s.local_start)) AS x
      WHERE s.opportunity_id = p_opportunity AND NOT s.cancelled AND s.starts_at >= now() - interval '7 days')) $$;
--> statement-breakpoint
-- Writes the slots of these opportunities where they changed (a row already right is not rewritten).
-- Rows not in the search index yet (search_document null: imports, until the indexing job's turn)
-- are left to the indexing job, which writes their words and slots in one update. Should the job
-- index such a row while a transaction it cannot see yet adds sessions to it, the daily horizon job
-- writes the slots again (opportunities whose sessions were written in the last two days). Locking
-- those rows here instead closed that gap but cost the harvest more than half its speed.
CREATE FUNCTION lc_search_sessions_refresh(p_opportunities bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE opportunities o SET search_sessions = v.slots
  FROM (SELECT p.id, lc_search_sessions(p.id) AS slots FROM opportunities p
        WHERE p.id = ANY(p_opportunities) AND p.search_document IS NOT NULL) AS v
  WHERE o.id = v.id AND o.search_sessions IS DISTINCT FROM v.slots;
END $$;
--> statement-breakpoint
-- Every write of sessions keeps its opportunities' slots: one UPDATE per statement, for the
-- opportunities whose sessions were added, removed, moved, cancelled or restored (seats and other
-- columns leave them be). Named to fire after sessions_changed_*, which must see whether the
-- opportunity was written by this transaction before this trigger writes it.
CREATE FUNCTION "sessions_search_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM lc_search_sessions_refresh(array_agg(opportunity_id)) FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM lc_search_sessions_refresh(array_agg(n.opportunity_id) || array_agg(o.opportunity_id))
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.opportunity_id, n.starts_at, n.local_start, n.cancelled)
        IS DISTINCT FROM (o.opportunity_id, o.starts_at, o.local_start, o.cancelled);
  ELSE
    PERFORM lc_search_sessions_refresh(array_agg(opportunity_id)) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "sessions_search_insert" AFTER INSERT ON "opportunity_sessions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_search_changed();
--> statement-breakpoint
CREATE TRIGGER "sessions_search_update" AFTER UPDATE ON "opportunity_sessions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_search_changed();
--> statement-breakpoint
CREATE TRIGGER "sessions_search_delete" AFTER DELETE ON "opportunity_sessions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_search_changed();
--> statement-breakpoint
-- Writing the slots changes nothing a page or a feed shows: as for re-indexing the words.
CREATE OR REPLACE FUNCTION "opportunities_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO interop_feed_items (city_id, feed, source_id)
      SELECT n.city_id, f.feed, n.id FROM new_rows n CROSS JOIN LATERAL unnest(interop_opportunity_feeds(n)) AS f(feed)
      ON CONFLICT (feed, source_id) DO UPDATE SET modified = NULL, changed_at = now()
        WHERE interop_feed_items.modified IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    WITH changed AS MATERIALIZED (
      SELECT n.id, n.city_id,
        CASE WHEN (to_jsonb(o) - 'search_document' - 'search_sessions' - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'search_document' - 'search_sessions' - 'updated_at')
          THEN interop_opportunity_feeds(o) || interop_opportunity_feeds(n) ELSE '{}'::text[] END AS feeds,
        (to_jsonb(o) - 'search_document' - 'search_sessions') IS DISTINCT FROM (to_jsonb(n) - 'search_document' - 'search_sessions') AS page
      FROM new_rows n JOIN old_rows o ON o.id = n.id),
    pages AS (
      INSERT INTO opportunity_page_changes (city_id, opportunity_id) SELECT DISTINCT city_id, id FROM changed WHERE page),
    items AS (
      SELECT r.city_id AS c, f.feed AS f, r.id AS i FROM changed r CROSS JOIN LATERAL unnest(r.feeds) AS f(feed)
      UNION ALL
      SELECT s.city_id, 'scheduled-sessions', s.id FROM opportunity_sessions s
        WHERE s.opportunity_id IN (SELECT id FROM changed WHERE 'session-series' = ANY(feeds)))
    INSERT INTO interop_feed_items (city_id, feed, source_id)
      SELECT DISTINCT ON (f, i) c, f, i FROM items
      ON CONFLICT (feed, source_id) DO UPDATE SET modified = NULL, changed_at = now()
        WHERE interop_feed_items.modified IS NOT NULL;
  ELSE
    WITH gone AS MATERIALIZED (SELECT o.id, o.city_id, interop_opportunity_feeds(o) AS feeds FROM old_rows o),
    pages AS (
      INSERT INTO opportunity_page_changes (city_id, opportunity_id) SELECT DISTINCT city_id, id FROM gone),
    items AS (
      SELECT r.city_id AS c, f.feed AS f, r.id AS i FROM gone r CROSS JOIN LATERAL unnest(r.feeds) AS f(feed)
      UNION ALL
      SELECT s.city_id, 'scheduled-sessions', s.id FROM opportunity_sessions s
        WHERE s.opportunity_id IN (SELECT id FROM gone WHERE 'session-series' = ANY(feeds)))
    INSERT INTO interop_feed_items (city_id, feed, source_id)
      SELECT DISTINCT ON (f, i) c, f, i FROM items
      ON CONFLICT (feed, source_id) DO UPDATE SET modified = NULL, changed_at = now()
        WHERE interop_feed_items.modified IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The slots of every opportunity with sessions, before the index is built over them.
SELECT lc_search_sessions_refresh(ARRAY(SELECT DISTINCT opportunity_id FROM opportunity_sessions));--> statement-breakpoint
CREATE INDEX "opportunities_search_idx" ON "opportunities" USING gin ("city_id","search_document","search_filters","search_sessions") WHERE status = 'published' and search_document is not null;
