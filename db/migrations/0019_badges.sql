CREATE TABLE "badge_achievement_issuers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_achievement_issuers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"achievement_id" bigint NOT NULL,
	"organization_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_achievements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_achievements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"organization_id" bigint,
	"type" text NOT NULL,
	"name" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"criteria" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"alignments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"level" text,
	"valid_days" integer,
	"opportunity_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"image" "bytea",
	"created_by_user_id" bigint,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_awards" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_awards_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"uuid" text NOT NULL,
	"achievement_id" bigint NOT NULL,
	"issuer_id" bigint NOT NULL,
	"organization_id" bigint,
	"recipient_user_id" bigint NOT NULL,
	"credential" jsonb NOT NULL,
	"jwt" text,
	"status_index" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"visibility" text DEFAULT 'private' NOT NULL,
	"path" text NOT NULL,
	"source" text,
	"awarded_by_user_id" bigint,
	"issued_at" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_claim_codes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_claim_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"achievement_id" bigint NOT NULL,
	"organization_id" bigint,
	"code" text NOT NULL,
	"max_uses" integer NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by_user_id" bigint,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_issuer_keys" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_issuer_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"issuer_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"fragment" text NOT NULL,
	"public_key_multibase" text,
	"public_key_jwk" jsonb,
	"secret_key_encrypted" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_issuers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_issuers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"organization_id" bigint,
	"path" text NOT NULL,
	"did" text NOT NULL,
	"next_status_index" integer DEFAULT 0 NOT NULL,
	"status_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_status_lists" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_status_lists_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"issuer_id" bigint NOT NULL,
	"purpose" text NOT NULL,
	"version" integer NOT NULL,
	"credential" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "badge_achievement_issuers_key" ON "badge_achievement_issuers" USING btree ("achievement_id","organization_id");--> statement-breakpoint
CREATE INDEX "badge_achievements_city_idx" ON "badge_achievements" USING btree ("city_id","organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_awards_uuid_key" ON "badge_awards" USING btree ("uuid");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_awards_status_index_key" ON "badge_awards" USING btree ("issuer_id","status_index");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_awards_once_key" ON "badge_awards" USING btree ("achievement_id","recipient_user_id") WHERE status <> 'revoked';--> statement-breakpoint
CREATE INDEX "badge_awards_recipient_idx" ON "badge_awards" USING btree ("recipient_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_claim_codes_code_key" ON "badge_claim_codes" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_issuer_keys_fragment_key" ON "badge_issuer_keys" USING btree ("issuer_id","fragment");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_issuers_path_key" ON "badge_issuers" USING btree ("path");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_issuers_did_key" ON "badge_issuers" USING btree ("did");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_status_lists_key" ON "badge_status_lists" USING btree ("issuer_id","purpose");