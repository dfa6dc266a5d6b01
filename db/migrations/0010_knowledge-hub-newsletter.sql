CREATE TABLE "hub_newsletter_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hub_newsletter_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"issue_id" bigint NOT NULL,
	"subscription_id" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"outbox_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queued_at" timestamp with time zone,
	CONSTRAINT "hub_newsletter_deliveries_issue_subscription_key" UNIQUE("issue_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "hub_newsletter_issues" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hub_newsletter_issues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint,
	"language" text NOT NULL,
	"subject" text NOT NULL,
	"intro" text DEFAULT '' NOT NULL,
	"resource_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_by" bigint,
	"sent_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "hub_subscriptions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "hub_subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint,
	"site_city_id" bigint NOT NULL,
	"email" text NOT NULL,
	"language" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	CONSTRAINT "hub_subscriptions_scope_email_language_key" UNIQUE NULLS NOT DISTINCT("city_id","email","language"),
	CONSTRAINT "hub_subscriptions_key_key" UNIQUE("key")
);
--> statement-breakpoint
CREATE INDEX "hub_newsletter_deliveries_issue_status_idx" ON "hub_newsletter_deliveries" USING btree ("issue_id","status");--> statement-breakpoint
CREATE INDEX "hub_newsletter_issues_scope_idx" ON "hub_newsletter_issues" USING btree ("city_id","language","sent_at");--> statement-breakpoint
CREATE INDEX "hub_subscriptions_audience_idx" ON "hub_subscriptions" USING btree ("city_id","language","status");