ALTER TABLE "venues" ADD COLUMN "address_1" text;--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "address_2" text;--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "locality" text;--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_country_iso" CHECK ("venues"."country" ~ '^[A-Z]{2}$');--> statement-breakpoint
-- Venues seeded before the parts existed wrote "{street}, Chicago, IL" (the demo city's seed): the
-- street, city and state are read back from that line; other one-line addresses stay as they are.
UPDATE "venues" SET "address_1" = substring("address" from '^(.*), Chicago, IL$'),
  "locality" = 'Chicago', "region" = 'IL', "country" = 'US'
WHERE "address_1" IS NULL AND "address" ~ '^.+, Chicago, IL$';
