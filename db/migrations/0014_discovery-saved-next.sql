CREATE TABLE "discovery_featured" (
	"city_id" bigint NOT NULL,
	"opportunity_id" bigint NOT NULL,
	"featured_by" bigint NOT NULL,
	"until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discovery_featured_city_id_opportunity_id_pk" PRIMARY KEY("city_id","opportunity_id")
);
--> statement-breakpoint
CREATE TABLE "discovery_learner_preferences" (
	"city_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"interests" text[] DEFAULT '{}'::text[] NOT NULL,
	"district_code" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discovery_learner_preferences_city_id_user_id_pk" PRIMARY KEY("city_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "discovery_saved_searches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "discovery_saved_searches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"language" text NOT NULL,
	"frequency" text DEFAULT 'weekly' NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_until" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sent_at" timestamp with time zone,
	CONSTRAINT "discovery_saved_searches_key_key" UNIQUE("key"),
	CONSTRAINT "discovery_saved_searches_user_query_key" UNIQUE("city_id","user_id","query")
);
--> statement-breakpoint
CREATE INDEX "discovery_saved_searches_due_idx" ON "discovery_saved_searches" USING btree ("frequency","checked_until");