ALTER TABLE "opportunity_imports" ADD COLUMN "actor" jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunity_imports" ADD COLUMN "error_detail" text;