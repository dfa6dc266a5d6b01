CREATE TABLE "opportunity_page_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"city_id" bigint NOT NULL,
	"opportunity_id" bigint,
	"organization_id" bigint,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "opportunity_page_changes_xid_idx" ON "opportunity_page_changes" USING btree ("xid");--> statement-breakpoint
-- Statement-level triggers note which opportunity pages a write made out of date: one INSERT per
-- statement however many rows it touched (bulk imports pay one extra statement, not one per row).
-- New opportunities need no row: no page of theirs can be cached before they exist.
CREATE FUNCTION "opportunity_pages_opportunities_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- Re-indexing the search words changes nothing a page shows.
    INSERT INTO opportunity_page_changes (city_id, opportunity_id)
      SELECT DISTINCT n.city_id, n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (to_jsonb(o) - 'search_document') IS DISTINCT FROM (to_jsonb(n) - 'search_document');
  ELSE
    INSERT INTO opportunity_page_changes (city_id, opportunity_id) SELECT DISTINCT city_id, id FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_opportunities_update" AFTER UPDATE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_opportunities_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_opportunities_delete" AFTER DELETE ON "opportunities"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_opportunities_changed();
--> statement-breakpoint
-- Sessions (dates, cancellations, seats) and bookings (seats left) are on their opportunity's page.
CREATE FUNCTION "opportunity_pages_rows_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO opportunity_page_changes (city_id, opportunity_id)
      SELECT DISTINCT city_id, opportunity_id FROM old_rows;
  ELSE
    INSERT INTO opportunity_page_changes (city_id, opportunity_id)
      SELECT DISTINCT city_id, opportunity_id FROM new_rows;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_sessions_insert" AFTER INSERT ON "opportunity_sessions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_rows_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_sessions_update" AFTER UPDATE ON "opportunity_sessions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_rows_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_sessions_delete" AFTER DELETE ON "opportunity_sessions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_rows_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_registrations_insert" AFTER INSERT ON "registrations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_rows_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_registrations_update" AFTER UPDATE ON "registrations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_rows_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_registrations_delete" AFTER DELETE ON "registrations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_rows_changed();
--> statement-breakpoint
-- An organization's name is on each of its opportunities' pages.
CREATE FUNCTION "opportunity_pages_organizations_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO opportunity_page_changes (city_id, organization_id) SELECT DISTINCT city_id, id FROM old_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_organizations_update" AFTER UPDATE ON "organizations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_organizations_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_organizations_delete" AFTER DELETE ON "organizations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_organizations_changed();
--> statement-breakpoint
-- A city's name, theme, languages and clock are on every page of the city.
CREATE FUNCTION "opportunity_pages_cities_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO opportunity_page_changes (city_id) SELECT DISTINCT id FROM old_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_cities_update" AFTER UPDATE ON "cities"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_cities_changed();
--> statement-breakpoint
CREATE TRIGGER "opportunity_pages_cities_delete" AFTER DELETE ON "cities"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opportunity_pages_cities_changed();
