CREATE TABLE "registrations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "registrations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"opportunity_id" bigint NOT NULL,
	"session_id" bigint NOT NULL,
	"user_id" bigint,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"language" text NOT NULL,
	"status" text NOT NULL,
	"manage_token_hash" text,
	"offer_token_hash" text,
	"offer_expires_at" timestamp with time zone,
	"attended" boolean,
	"reminder_sent_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unmet_demand" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "unmet_demand_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"city_id" bigint NOT NULL,
	"opportunity_id" bigint NOT NULL,
	"session_id" bigint,
	"reason" text NOT NULL,
	"district_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_session_email_active_key" ON "registrations" USING btree ("session_id","email") WHERE status in ('confirmed', 'waitlisted', 'offered');--> statement-breakpoint
CREATE INDEX "registrations_city_session_idx" ON "registrations" USING btree ("city_id","session_id","status");--> statement-breakpoint
CREATE INDEX "registrations_city_opportunity_idx" ON "registrations" USING btree ("city_id","opportunity_id");--> statement-breakpoint
CREATE INDEX "registrations_city_user_idx" ON "registrations" USING btree ("city_id","user_id");--> statement-breakpoint
CREATE INDEX "registrations_manage_token_idx" ON "registrations" USING btree ("manage_token_hash");--> statement-breakpoint
CREATE INDEX "registrations_offer_token_idx" ON "registrations" USING btree ("offer_token_hash");--> statement-breakpoint
CREATE INDEX "unmet_demand_city_district_idx" ON "unmet_demand" USING btree ("city_id","district_id","reason");