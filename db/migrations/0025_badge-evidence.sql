CREATE TABLE "badge_evidence_submissions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_evidence_submissions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"achievement_id" bigint NOT NULL,
	"organization_id" bigint,
	"learner_user_id" bigint NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"narrative" text NOT NULL,
	"links" text[] DEFAULT '{}'::text[] NOT NULL,
	"file" "bytea",
	"file_type" text,
	"file_size" integer,
	"feedback" text,
	"round" integer DEFAULT 1 NOT NULL,
	"reviewed_by_user_id" bigint,
	"reviewed_at" timestamp with time zone,
	"award_id" bigint,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "badge_evidence_open_key" ON "badge_evidence_submissions" USING btree ("achievement_id","learner_user_id") WHERE status in ('submitted', 'returned');--> statement-breakpoint
CREATE INDEX "badge_evidence_queue_idx" ON "badge_evidence_submissions" USING btree ("city_id","organization_id","status");--> statement-breakpoint
CREATE INDEX "badge_evidence_learner_idx" ON "badge_evidence_submissions" USING btree ("learner_user_id");