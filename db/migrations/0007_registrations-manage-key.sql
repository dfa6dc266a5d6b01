ALTER TABLE "registrations" ADD COLUMN "manage_key" text;--> statement-breakpoint
CREATE INDEX "registrations_manage_key_idx" ON "registrations" USING btree ("city_id","manage_key");