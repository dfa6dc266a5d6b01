-- One change trigger per statement kind on opportunities and on sessions, shared by the RPDE feeds
-- (migration 0018) and the page cache (0020), which had each read the same transition tables; and
-- feed rows only for items that can be in their feed. A row that is not public (draft, submitted,
-- archived) is in no feed, and one that never was public was never announced, so it needs no
-- tombstone: a statement writes feed rows for rows public before or after it (a published row going
-- back to draft still gets its tombstone). OpenActive feeds are marked only for rows that can be
-- their kind (interop_openactive_feeds: a superset of openActiveKind in interop/openactive/model.ts).
CREATE FUNCTION "interop_openactive_feeds"(status text, format text, topics text[], free boolean, price numeric, schedule jsonb)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN status NOT IN ('published', 'cancelled') OR format = 'online' OR cardinality(topics) = 0
      OR (NOT free AND price IS NULL) THEN '{}'::text[]
    WHEN schedule->>'kind' = 'once' THEN ARRAY['session-series']
    WHEN schedule->>'kind' <> 'series' THEN '{}'::text[]
    WHEN schedule->>'rrule' IS NULL OR schedule->>'rrule' ~* '(^|;)\s*(COUNT|UNTIL)=' THEN ARRAY['course-instance']
    ELSE ARRAY['session-series'] END
$$;
--> statement-breakpoint
-- The feeds an opportunity row can be in.
CREATE FUNCTION "interop_opportunity_feeds"(o opportunities) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN o.status IN ('published', 'cancelled') THEN ARRAY['opportunities'] ELSE '{}'::text[] END
    || interop_openactive_feeds(o.status, o.format, o.topics, o.free, o.price, o.schedule)
$$;
--> statement-breakpoint
-- A row already waiting for the stamper (modified null) is left as it is: a second update of it
-- would only write another version of the row.
CREATE OR REPLACE FUNCTION "interop_mark"(p_city bigint[], p_feed text[], p_source bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO interop_feed_items (city_id, feed, source_id)
  SELECT DISTINCT ON (f, s) c, f, s FROM unnest(p_city, p_feed, p_source) AS x(c, f, s)
  ON CONFLICT (feed, source_id) DO UPDATE SET modified = NULL, changed_at = now()
    WHERE interop_feed_items.modified IS NOT NULL
$$;
--> statement-breakpoint
DROP TRIGGER "interop_opportunities_insert" ON "opportunities";--> statement-breakpoint
DROP TRIGGER "interop_opportunities_update" ON "opportunities";--> statement-breakpoint
DROP TRIGGER "interop_opportunities_delete" ON "opportunities";--> statement-breakpoint
DROP TRIGGER "opportunity_pages_opportunities_update" ON "opportunities";--> statement-breakpoint
DROP TRIGGER "opportunity_pages_opportunities_delete" ON "opportunities";--> statement-breakpoint
DROP FUNCTION "interop_opportunities_changed"();--> statement-breakpoint
DROP FUNCTION "opportunity_pages_opportunities_changed"();--> statement-breakpoint
-- Opportunities: their own feed item and their OpenActive items, and (when the opportunity itself
-- changed or went) their sessions' ScheduledSession items; their page (not for new rows: no page of
-- theirs can be cached before they exist). Re-indexing search words changes neither; a change of
-- updated_at alone changes no feed item. One pass over the transition tables serves both.
CREATE FUNCTION "opportunities_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO interop_feed_items (city_id, feed, source_id)
      SELECT n.city_id, f.feed, n.id FROM new_rows n CROSS JOIN LATERAL unnest(interop_opportunity_feeds(n)) AS f(feed)
      ON CONFLICT (feed, source_id) DO UPDATE SET modified = NULL, changed_at = now()
        WHERE interop_feed_items.modified IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    WITH changed AS MATERIALIZED (
      SELECT n.id, n.city_id,
        CASE WHEN (to_jsonb(o) - 'search_document' - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'search_document' - 'updated_at')
          THEN interop_opportunity_feeds(o) || interop_opportunity_feeds(n) ELSE '{}'::text[] END AS feeds,
        (to_jsonb(o) - 'search_document') IS DISTINCT FROM (to_jsonb(n) - 'search_document') AS page
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
CREATE TRIGGER "opportunities_changed_insert" AFTER INSERT ON "opportunities"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunities_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunities_changed_update" AFTER UPDATE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunities_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunities_changed_delete" AFTER DELETE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunities_changed();
--> statement-breakpoint
DROP TRIGGER "interop_sessions_insert" ON "opportunity_sessions";--> statement-breakpoint
DROP TRIGGER "interop_sessions_update" ON "opportunity_sessions";--> statement-breakpoint
DROP TRIGGER "interop_sessions_delete" ON "opportunity_sessions";--> statement-breakpoint
DROP TRIGGER "opportunity_pages_sessions_insert" ON "opportunity_sessions";--> statement-breakpoint
DROP TRIGGER "opportunity_pages_sessions_update" ON "opportunity_sessions";--> statement-breakpoint
DROP TRIGGER "opportunity_pages_sessions_delete" ON "opportunity_sessions";--> statement-breakpoint
DROP FUNCTION "interop_sessions_changed"();--> statement-breakpoint
-- Sessions: their ScheduledSession item and their course's CourseInstance item (its dates), only
-- when their opportunity can be in that feed now (a session deleted is marked whatever its
-- opportunity, which may be going too); their opportunity's page, except an opportunity written by
-- this very transaction: a new one has no page yet, and an update of it has noted its page itself.
CREATE FUNCTION "sessions_note"(p_id bigint[], p_city bigint[], p_opportunity bigint[], p_changed boolean[])
RETURNS void LANGUAGE sql AS $$
  WITH rows AS MATERIALIZED (
    SELECT * FROM unnest(p_id, p_city, p_opportunity, p_changed) AS r(id, city_id, opportunity_id, changed)),
  owners AS MATERIALIZED (
    SELECT p.id, interop_openactive_feeds(p.status, p.format, p.topics, p.free, p.price, p.schedule) AS feeds,
      p.xmin = pg_current_xact_id()::xid AS fresh
    FROM opportunities p WHERE p.id IN (SELECT opportunity_id FROM rows)),
  pages AS (
    INSERT INTO opportunity_page_changes (city_id, opportunity_id)
      SELECT DISTINCT r.city_id, r.opportunity_id FROM rows r LEFT JOIN owners p ON p.id = r.opportunity_id
      WHERE NOT coalesce(p.fresh, false)),
  items AS (
    SELECT r.city_id AS c, 'scheduled-sessions' AS f, r.id AS i FROM rows r JOIN owners p ON p.id = r.opportunity_id
      WHERE r.changed AND 'session-series' = ANY(p.feeds)
    UNION ALL
    SELECT DISTINCT r.city_id, 'course-instance', r.opportunity_id FROM rows r JOIN owners p ON p.id = r.opportunity_id
      WHERE r.changed AND 'course-instance' = ANY(p.feeds))
  INSERT INTO interop_feed_items (city_id, feed, source_id)
    SELECT c, f, i FROM items
    ON CONFLICT (feed, source_id) DO UPDATE SET modified = NULL, changed_at = now()
      WHERE interop_feed_items.modified IS NOT NULL
$$;
--> statement-breakpoint
CREATE FUNCTION "sessions_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM sessions_note(array_agg(id), array_agg(city_id), array_agg(opportunity_id), array_agg(true)) FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM sessions_note(array_agg(n.id), array_agg(n.city_id), array_agg(n.opportunity_id),
        array_agg(to_jsonb(o) IS DISTINCT FROM to_jsonb(n)))
      FROM new_rows n JOIN old_rows o ON o.id = n.id;
  ELSE
    INSERT INTO opportunity_page_changes (city_id, opportunity_id)
      SELECT DISTINCT city_id, opportunity_id FROM old_rows;
    PERFORM interop_mark(array_agg(city_id), array_agg('scheduled-sessions'::text), array_agg(id)) FROM old_rows;
    PERFORM interop_mark(array_agg(city_id), array_agg('course-instance'::text), array_agg(opportunity_id)) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "sessions_changed_insert" AFTER INSERT ON "opportunity_sessions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_changed();
--> statement-breakpoint
CREATE TRIGGER "sessions_changed_update" AFTER UPDATE ON "opportunity_sessions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_changed();
--> statement-breakpoint
CREATE TRIGGER "sessions_changed_delete" AFTER DELETE ON "opportunity_sessions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_changed();
