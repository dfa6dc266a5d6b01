CREATE TABLE "harvest_feeds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "harvest_feeds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"organization_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"language" text NOT NULL,
	"building_block" text NOT NULL,
	"price" numeric(10, 2),
	"currency" text DEFAULT 'USD' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"interval_minutes" integer DEFAULT 60 NOT NULL,
	"cursor" text,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_error" text,
	"created_by_user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "harvest_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "harvest_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"feed_id" bigint NOT NULL,
	"run_id" bigint NOT NULL,
	"item_id" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"outcome" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "harvest_records" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "harvest_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"organization_id" bigint NOT NULL,
	"feed_id" bigint NOT NULL,
	"item_id" text NOT NULL,
	"ref" text NOT NULL,
	"role" text NOT NULL,
	"parent_ref" text,
	"modified" text,
	"opportunity_id" bigint,
	"payload" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "harvest_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "harvest_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"feed_id" bigint NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"items" integer DEFAULT 0 NOT NULL,
	"imported" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"warnings" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "harvest_feeds_city_org_idx" ON "harvest_feeds" USING btree ("city_id","organization_id");--> statement-breakpoint
CREATE INDEX "harvest_feeds_due_idx" ON "harvest_feeds" USING btree ("next_run_at") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "harvest_log_feed_idx" ON "harvest_log" USING btree ("feed_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "harvest_records_feed_item_key" ON "harvest_records" USING btree ("feed_id","item_id");--> statement-breakpoint
CREATE INDEX "harvest_records_org_ref_idx" ON "harvest_records" USING btree ("organization_id","ref");--> statement-breakpoint
CREATE INDEX "harvest_records_org_parent_idx" ON "harvest_records" USING btree ("organization_id","parent_ref");--> statement-breakpoint
CREATE INDEX "harvest_runs_feed_idx" ON "harvest_runs" USING btree ("feed_id","created_at");