-- An immutable array_to_string for text[] (the built-in one is only stable), so tags can be part
-- of a stored generated tsvector.
CREATE FUNCTION lc_words(words text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
  AS $$ SELECT array_to_string(words, ' ') $$;
--> statement-breakpoint
CREATE TABLE "discovery_words" (
	"city_id" bigint NOT NULL,
	"word" text NOT NULL,
	"uses" integer NOT NULL,
	CONSTRAINT "discovery_words_city_id_word_pk" PRIMARY KEY("city_id","word")
);
--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "search_document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce("title"->>'en', '')), 'A') || setweight(to_tsvector('french'::regconfig, coalesce("title"->>'fr', '')), 'A') || setweight(to_tsvector('spanish'::regconfig, coalesce("title"->>'es', '')), 'A') || setweight(to_tsvector('russian'::regconfig, coalesce("title"->>'ru', '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce("title"->>'ar', '')), 'A') || setweight(to_tsvector('simple'::regconfig, regexp_replace(coalesce("title"->>'zh', ''), '([㐀-䶿一-鿿])', '\1 ', 'g')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(lc_words("topics"), '')), 'B') || setweight(to_tsvector('french'::regconfig, coalesce(lc_words("topics"), '')), 'B') || setweight(to_tsvector('spanish'::regconfig, coalesce(lc_words("topics"), '')), 'B') || setweight(to_tsvector('russian'::regconfig, coalesce(lc_words("topics"), '')), 'B') || setweight(to_tsvector('simple'::regconfig, coalesce(lc_words("topics"), '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce("description"->>'en', '')), 'C') || setweight(to_tsvector('french'::regconfig, coalesce("description"->>'fr', '')), 'C') || setweight(to_tsvector('spanish'::regconfig, coalesce("description"->>'es', '')), 'C') || setweight(to_tsvector('russian'::regconfig, coalesce("description"->>'ru', '')), 'C') || setweight(to_tsvector('simple'::regconfig, coalesce("description"->>'ar', '')), 'C') || setweight(to_tsvector('simple'::regconfig, regexp_replace(coalesce("description"->>'zh', ''), '([㐀-䶿一-鿿])', '\1 ', 'g')), 'C')) STORED;--> statement-breakpoint
CREATE INDEX "discovery_words_trgm_idx" ON "discovery_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "opportunities_search_idx" ON "opportunities" USING gin ("city_id","search_document") WHERE status = 'published';