CREATE TABLE "badge_wallet_imports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_wallet_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"format" text NOT NULL,
	"baked" text,
	"source" text NOT NULL,
	"source_url" text,
	"credential" text NOT NULL,
	"image" "bytea",
	"fingerprint" text NOT NULL,
	"name" text,
	"issuer_name" text,
	"verdict" text NOT NULL,
	"report" jsonb NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "badge_wallet_imports_key" ON "badge_wallet_imports" USING btree ("user_id","fingerprint");--> statement-breakpoint
CREATE INDEX "badge_wallet_imports_user_idx" ON "badge_wallet_imports" USING btree ("user_id","created_at");