CREATE TABLE "interop_feed_clock" (
	"id" text PRIMARY KEY NOT NULL,
	"last" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "interop_feed_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "interop_feed_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"feed" text NOT NULL,
	"source_id" bigint NOT NULL,
	"modified" bigint,
	"state" text DEFAULT 'updated' NOT NULL,
	"announced" boolean DEFAULT false NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "interop_feed_items_feed_source_key" ON "interop_feed_items" USING btree ("feed","source_id");--> statement-breakpoint
CREATE INDEX "interop_feed_items_page_idx" ON "interop_feed_items" USING btree ("city_id","feed","modified","source_id");--> statement-breakpoint
CREATE INDEX "interop_feed_items_pending_idx" ON "interop_feed_items" USING btree ("id") WHERE modified is null;--> statement-breakpoint
-- The feed clock: one row, the largest `modified` ever given (see src/modules/interop/stamp.ts).
INSERT INTO "interop_feed_clock" ("id", "last") VALUES ('rpde', 0);
--> statement-breakpoint
-- Marks feed items as changed (modified = null) from statement-level triggers: one INSERT per
-- statement however many rows it touched, so bulk imports pay one extra statement, not one per row.
CREATE FUNCTION "interop_mark"(p_city bigint[], p_feed text[], p_source bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO interop_feed_items (city_id, feed, source_id)
  SELECT DISTINCT ON (f, s) c, f, s FROM unnest(p_city, p_feed, p_source) AS x(c, f, s)
  ON CONFLICT (feed, source_id) DO UPDATE SET modified = NULL, changed_at = now()
$$;
--> statement-breakpoint
-- Opportunities feed their own item, the OpenActive series and course items, and (when the
-- opportunity itself changed or went) every one of their sessions' ScheduledSession items.
-- An update that only re-indexes search words or touches updated_at changes nothing published.
CREATE FUNCTION "interop_opportunities_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  cities bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(id), array_agg(city_id) INTO ids, cities FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(n.id), array_agg(n.city_id) INTO ids, cities
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (to_jsonb(o) - 'search_document' - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'search_document' - 'updated_at');
  ELSE
    SELECT array_agg(id), array_agg(city_id) INTO ids, cities FROM old_rows;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM interop_mark(array_agg(x.c), array_agg(f.feed), array_agg(x.i))
    FROM unnest(cities, ids) AS x(c, i)
    CROSS JOIN (VALUES ('opportunities'), ('session-series'), ('course-instance')) f(feed);
  IF TG_OP <> 'INSERT' THEN
    PERFORM interop_mark(array_agg(s.city_id), array_agg('scheduled-sessions'::text), array_agg(s.id))
      FROM opportunity_sessions s WHERE s.opportunity_id = ANY(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "interop_opportunities_insert" AFTER INSERT ON "opportunities"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_opportunities_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_opportunities_update" AFTER UPDATE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_opportunities_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_opportunities_delete" AFTER DELETE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_opportunities_changed();
--> statement-breakpoint
-- Sessions feed their ScheduledSession item and their course's CourseInstance item (its dates).
CREATE FUNCTION "interop_sessions_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM interop_mark(array_agg(city_id), array_agg('scheduled-sessions'::text), array_agg(id)) FROM new_rows;
    PERFORM interop_mark(array_agg(city_id), array_agg('course-instance'::text), array_agg(opportunity_id)) FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM interop_mark(array_agg(n.city_id), array_agg('scheduled-sessions'::text), array_agg(n.id))
      FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE to_jsonb(o) IS DISTINCT FROM to_jsonb(n);
    PERFORM interop_mark(array_agg(n.city_id), array_agg('course-instance'::text), array_agg(n.opportunity_id))
      FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE to_jsonb(o) IS DISTINCT FROM to_jsonb(n);
  ELSE
    PERFORM interop_mark(array_agg(city_id), array_agg('scheduled-sessions'::text), array_agg(id)) FROM old_rows;
    PERFORM interop_mark(array_agg(city_id), array_agg('course-instance'::text), array_agg(opportunity_id)) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "interop_sessions_insert" AFTER INSERT ON "opportunity_sessions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_sessions_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_sessions_update" AFTER UPDATE ON "opportunity_sessions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_sessions_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_sessions_delete" AFTER DELETE ON "opportunity_sessions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_sessions_changed();
--> statement-breakpoint
-- Organizations feed their own item and, as every opportunity names its organizer, their
-- opportunities' items (own feed and OpenActive).
CREATE FUNCTION "interop_organizations_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM interop_mark(array_agg(city_id), array_agg('organizations'::text), array_agg(id)) FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM interop_mark(array_agg(n.city_id), array_agg('organizations'::text), array_agg(n.id))
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (to_jsonb(o) - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'updated_at');
    PERFORM interop_mark(array_agg(p.city_id), array_agg(f.feed), array_agg(p.id))
      FROM opportunities p CROSS JOIN (VALUES ('opportunities'), ('session-series'), ('course-instance')) f(feed)
      WHERE p.organization_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (to_jsonb(o) - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'updated_at'));
  ELSE
    PERFORM interop_mark(array_agg(city_id), array_agg('organizations'::text), array_agg(id)) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "interop_organizations_insert" AFTER INSERT ON "organizations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_organizations_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_organizations_update" AFTER UPDATE ON "organizations"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_organizations_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_organizations_delete" AFTER DELETE ON "organizations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_organizations_changed();
--> statement-breakpoint
-- Venues feed their own item and the items of opportunities held there (their location).
CREATE FUNCTION "interop_venues_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM interop_mark(array_agg(city_id), array_agg('venues'::text), array_agg(id)) FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM interop_mark(array_agg(n.city_id), array_agg('venues'::text), array_agg(n.id))
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (to_jsonb(o) - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'updated_at');
    PERFORM interop_mark(array_agg(p.city_id), array_agg(f.feed), array_agg(p.id))
      FROM opportunities p CROSS JOIN (VALUES ('opportunities'), ('session-series'), ('course-instance')) f(feed)
      WHERE p.venue_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (to_jsonb(o) - 'updated_at') IS DISTINCT FROM (to_jsonb(n) - 'updated_at'));
  ELSE
    PERFORM interop_mark(array_agg(city_id), array_agg('venues'::text), array_agg(id)) FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "interop_venues_insert" AFTER INSERT ON "venues"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_venues_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_venues_update" AFTER UPDATE ON "venues"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_venues_changed();
--> statement-breakpoint
CREATE TRIGGER "interop_venues_delete" AFTER DELETE ON "venues"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interop_venues_changed();
--> statement-breakpoint
-- Rows that exist already join their feeds as changes; the stamper publishes or drops each.
SELECT interop_mark(array_agg(city_id), array_agg('organizations'::text), array_agg(id)) FROM organizations;
--> statement-breakpoint
SELECT interop_mark(array_agg(city_id), array_agg('venues'::text), array_agg(id)) FROM venues;
--> statement-breakpoint
SELECT interop_mark(array_agg(o.city_id), array_agg(f.feed), array_agg(o.id))
  FROM opportunities o CROSS JOIN (VALUES ('opportunities'), ('session-series'), ('course-instance')) f(feed);
--> statement-breakpoint
SELECT interop_mark(array_agg(city_id), array_agg('scheduled-sessions'::text), array_agg(id)) FROM opportunity_sessions;
