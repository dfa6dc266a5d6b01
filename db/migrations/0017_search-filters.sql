-- What a search's filters ask of an opportunity itself, as lexemes: 'b:' building block, 'f:' format,
-- 'l:' each language, 'a:' each accessibility feature, 'free', 'd:' district id, 'o:' provider id,
-- and 'g{k}:{row}:{column}' the cell of the place in square grids of 0.005 × 2^k degrees (k = 0…6).
-- The GIN index over the city, the words and these intersects them all in one scan; a radius asks
-- for the cells that cover its circle, and the exact distance is checked on what the index returns.
CREATE FUNCTION lc_search_filters(block text, format text, languages text[], accessibility text[], free boolean,
    district_id bigint, organization_id bigint, lat double precision, lon double precision) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_to_tsvector(array_remove(
      ARRAY['b:' || block, 'f:' || format, CASE WHEN free THEN 'free' END, 'd:' || district_id, 'o:' || organization_id]
      || ARRAY(SELECT 'l:' || l FROM unnest(languages) AS l)
      || ARRAY(SELECT 'a:' || a FROM unnest(accessibility) AS a)
      || ARRAY(SELECT 'g' || k || ':' || floor(lat / (0.005 * 2 ^ k))::bigint || ':' || floor(lon / (0.005 * 2 ^ k))::bigint
               FROM generate_series(0, 6) AS k WHERE lat IS NOT NULL AND lon IS NOT NULL),
      NULL)) $$;
--> statement-breakpoint
DROP INDEX "opportunities_search_idx";--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "search_filters" "tsvector" GENERATED ALWAYS AS (lc_search_filters(building_block, format, languages, accessibility, free, district_id, organization_id, lat, lon)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "opportunities_search_idx" ON "opportunities" USING gin ("city_id","search_document","search_filters") WHERE status = 'published' and search_document is not null;