-- Guest bookings made before manage keys get one, so every later email can carry a manage link.
-- The key only has to be unique per booking and is not secret (a link also needs the HMAC under
-- SESSION_SECRET), so it is taken from the stored hash of the token already sent: the places booked
-- together share that hash, and so share the key. The old links keep working through the hash.
UPDATE "registrations" SET "manage_key" = left("manage_token_hash", 22)
WHERE "manage_key" IS NULL AND "manage_token_hash" IS NOT NULL;
