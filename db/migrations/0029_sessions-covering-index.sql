-- The search checks, for each opportunity its words and filters leave, whether it has a session
-- that fits (in the span, on the days, at the times asked for) and which is its next: with these
-- columns in the index those checks read the index only, never the sessions' rows. Same name as
-- 0016's index, so the schema's declaration (opportunity_id, starts_at) still names it.
DROP INDEX IF EXISTS "opportunity_sessions_opp_starts_idx";--> statement-breakpoint
CREATE INDEX "opportunity_sessions_opp_starts_idx" ON "opportunity_sessions" USING btree ("opportunity_id","starts_at") INCLUDE ("city_id","cancelled","local_start");
