CREATE TABLE "hub_resources" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hub_resources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint,
	"seed_key" text,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"type" text NOT NULL,
	"publisher" text DEFAULT '' NOT NULL,
	"year" integer,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"parent_id" bigint,
	"position" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"submitted_by" bigint,
	"credit_consent" boolean DEFAULT false NOT NULL,
	"credit_name" text,
	"review_note" text,
	"decline_reason" text,
	"reviewed_by" bigint,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_checked_at" timestamp with time zone,
	"link_status" text DEFAULT 'unknown' NOT NULL,
	"link_error" text,
	"search_document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce("title"->>'en', '')), 'A') || setweight(to_tsvector('french'::regconfig, coalesce("title"->>'fr', '')), 'A') || setweight(to_tsvector('spanish'::regconfig, coalesce("title"->>'es', '')), 'A') || setweight(to_tsvector('russian'::regconfig, coalesce("title"->>'ru', '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce("title"->>'ar', '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce("title"->>'zh', '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce("summary"->>'en', '')), 'B') || setweight(to_tsvector('french'::regconfig, coalesce("summary"->>'fr', '')), 'B') || setweight(to_tsvector('spanish'::regconfig, coalesce("summary"->>'es', '')), 'B') || setweight(to_tsvector('russian'::regconfig, coalesce("summary"->>'ru', '')), 'B') || setweight(to_tsvector('simple'::regconfig, coalesce("summary"->>'ar', '')), 'B') || setweight(to_tsvector('simple'::regconfig, coalesce("summary"->>'zh', '')), 'B')) STORED,
	"search_text" text GENERATED ALWAYS AS (lower(coalesce("title"->>'en', '') || ' ' || coalesce("title"->>'fr', '') || ' ' || coalesce("title"->>'es', '') || ' ' || coalesce("title"->>'ru', '') || ' ' || coalesce("title"->>'ar', '') || ' ' || coalesce("title"->>'zh', '') || ' ' || coalesce("summary"->>'en', '') || ' ' || coalesce("summary"->>'fr', '') || ' ' || coalesce("summary"->>'es', '') || ' ' || coalesce("summary"->>'ru', '') || ' ' || coalesce("summary"->>'ar', '') || ' ' || coalesce("summary"->>'zh', ''))) STORED
);
--> statement-breakpoint
CREATE UNIQUE INDEX "hub_resources_seed_key" ON "hub_resources" USING btree ("seed_key");--> statement-breakpoint
CREATE INDEX "hub_resources_scope_status_idx" ON "hub_resources" USING btree ("city_id","status","published_at");--> statement-breakpoint
CREATE INDEX "hub_resources_parent_idx" ON "hub_resources" USING btree ("parent_id","position");--> statement-breakpoint
CREATE INDEX "hub_resources_status_published_idx" ON "hub_resources" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "hub_resources_topics_idx" ON "hub_resources" USING gin ("topics");--> statement-breakpoint
CREATE INDEX "hub_resources_languages_idx" ON "hub_resources" USING gin ("languages");--> statement-breakpoint
CREATE INDEX "hub_resources_search_idx" ON "hub_resources" USING gin ("search_document");--> statement-breakpoint
CREATE INDEX "hub_resources_search_text_idx" ON "hub_resources" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "hub_resources_submitted_by_idx" ON "hub_resources" USING btree ("submitted_by");