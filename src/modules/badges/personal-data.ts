import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'
import { deleteImportsOf } from './wallet/repository.ts'

/** Bytes as base64, so files travel in the JSON export. */
function base64(bytes: unknown): string | null {
  if (bytes instanceof Uint8Array) return Buffer.from(bytes).toString('base64')
  return null
}

/**
 * A person's badges: credentials issued to them, badges imported into their wallet, evidence they
 * submitted (text, links, file). The wallet and the evidence are theirs and are erased. Issued
 * credentials stay: whoever holds one can still verify it (it names only a salted hash of the email,
 * and the issuer's status lists are built from these rows), but it is made private, so its public
 * page is no longer shown, and its link to the account is cut: `recipient_user_id` becomes minus the
 * award's own id, a value no account has (the column is NOT NULL and one live badge per recipient and
 * achievement is enforced on it, so each unlinked award needs its own value). What the person did as
 * staff (achievements defined, awards given, claim codes made or withdrawn, evidence reviewed) keeps no link to them.
 */
export const badgesPersonalData = registerPersonalData({
  module: 'badges',
  async export(db, person) {
    const awardsReceived = await rows(
      db,
      sql`select w.id::int as id, w.uuid, w.city_id::int as "cityId", w.achievement_id::int as "achievementId",
            a.name as "achievementName", w.status, w.visibility, w.path, w.issued_at as "issuedAt",
            w.valid_until as "validUntil", w.credential
          from badge_awards w left join badge_achievements a on a.id = w.achievement_id
          where w.recipient_user_id = ${person.id} order by w.id`,
    )
    const imported = await rows<Record<string, unknown> & { image: unknown }>(
      db,
      sql`select id::int as id, format, baked, source, source_url as "sourceUrl", name, issuer_name as "issuerName",
            verdict, verified_at as "verifiedAt", created_at as "createdAt", credential, image
          from badge_wallet_imports where user_id = ${person.id} order by id`,
    )
    const evidence = await rows<Record<string, unknown> & { file: unknown }>(
      db,
      sql`select id::int as id, city_id::int as "cityId", achievement_id::int as "achievementId", status,
            narrative, links, file_type as "fileType", file_size as "fileSize", file, feedback, round,
            submitted_at as "submittedAt", reviewed_at as "reviewedAt", award_id::int as "awardId"
          from badge_evidence_submissions where learner_user_id = ${person.id} order by id`,
    )
    return {
      awardsReceived,
      walletImports: imported.map(({ image, ...rest }) => ({ ...rest, imageBase64: base64(image) })),
      evidenceSubmissions: evidence.map(({ file, ...rest }) => ({ ...rest, fileBase64: base64(file) })),
    }
  },
  async erase(db, person) {
    const id = person.id
    await deleteImportsOf(db, id)
    await db.execute(sql`delete from badge_evidence_submissions where learner_user_id = ${id}`)
    await db.execute(
      sql`update badge_evidence_submissions set reviewed_by_user_id = null where reviewed_by_user_id = ${id}`,
    )
    await db.execute(
      sql`update badge_awards set recipient_user_id = -id, visibility = 'private', updated_at = now()
          where recipient_user_id = ${id}`,
    )
    await db.execute(sql`update badge_awards set awarded_by_user_id = null where awarded_by_user_id = ${id}`)
    await db.execute(
      sql`update badge_achievements set created_by_user_id = null where created_by_user_id = ${id}`,
    )
    await db.execute(
      sql`update badge_claim_codes set created_by_user_id = null where created_by_user_id = ${id}`,
    )
    await db.execute(
      sql`update badge_claim_codes set revoked_by_user_id = null where revoked_by_user_id = ${id}`,
    )
    return undefined
  },
})
