import type { Translated } from '../../platform/db/columns.ts'
import { arrayOf, type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { NewKey } from './issue/keys.ts'
import type { AchievementLevel, AchievementType, Alignment, AwardPath, AwardStatus } from './schema.ts'

export interface AchievementRow {
  id: number
  cityId: number
  organizationId: number | null
  type: AchievementType
  name: Translated
  description: Translated
  criteria: Translated
  tags: string[]
  alignments: Alignment[]
  level: AchievementLevel | null
  validDays: number | null
  opportunityIds: number[]
  acceptsEvidence: boolean
  hasImage: boolean
  /** Organizations that may award it besides the owner. */
  sharedWith: number[]
  archived: boolean
}

const achievementColumns = sql`a.id::int as id, a.city_id::int as "cityId", a.organization_id::int as "organizationId",
  a.type, a.name, a.description, a.criteria, a.tags, a.alignments, a.level, a.valid_days as "validDays",
  coalesce((select array_agg(x::int) from unnest(a.opportunity_ids) x), '{}') as "opportunityIds",
  a.accepts_evidence as "acceptsEvidence", a.image is not null as "hasImage", a.archived_at is not null as archived,
  coalesce((select array_agg(i.organization_id::int order by i.id) from badge_achievement_issuers i
            where i.achievement_id = a.id), '{}') as "sharedWith"`

export interface AchievementWrite {
  type: AchievementType
  name: Translated
  description: Translated
  criteria: Translated
  tags: string[]
  alignments: Alignment[]
  level: AchievementLevel | null
  validDays: number | null
  opportunityIds: number[]
  acceptsEvidence: boolean
}

export async function insertAchievement(
  db: Db,
  cityId: number,
  organizationId: number | null,
  input: AchievementWrite,
  image: Buffer | null,
  userId: number | null,
): Promise<number> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into badge_achievements (city_id, organization_id, type, name, description, criteria, tags, alignments,
          level, valid_days, opportunity_ids, accepts_evidence, image, created_by_user_id)
        values (${cityId}, ${organizationId}, ${input.type}, ${JSON.stringify(input.name)}::jsonb,
          ${JSON.stringify(input.description)}::jsonb, ${JSON.stringify(input.criteria)}::jsonb,
          ${arrayOf(input.tags, 'text')}, ${JSON.stringify(input.alignments)}::jsonb, ${input.level},
          ${input.validDays}, ${arrayOf(input.opportunityIds, 'int8')}, ${input.acceptsEvidence}, ${image}, ${userId})
        returning id::int as id`,
  )
  return row!.id
}

export async function updateAchievement(
  db: Db,
  cityId: number,
  id: number,
  input: AchievementWrite,
  image: Buffer | null,
): Promise<void> {
  await db.execute(
    sql`update badge_achievements set type = ${input.type}, name = ${JSON.stringify(input.name)}::jsonb,
          description = ${JSON.stringify(input.description)}::jsonb, criteria = ${JSON.stringify(input.criteria)}::jsonb,
          tags = ${arrayOf(input.tags, 'text')}, alignments = ${JSON.stringify(input.alignments)}::jsonb,
          level = ${input.level}, valid_days = ${input.validDays}, opportunity_ids = ${arrayOf(input.opportunityIds, 'int8')},
          accepts_evidence = ${input.acceptsEvidence}, image = coalesce(${image}, image), updated_at = now()
        where city_id = ${cityId} and id = ${id}`,
  )
}

export function findAchievement(db: Db, cityId: number, id: number) {
  return firstRow<AchievementRow>(
    db,
    sql`select ${achievementColumns} from badge_achievements a where a.city_id = ${cityId} and a.id = ${id}`,
  )
}

/** Achievements an organization owns or shares (or the city's own badges when organizationId is null). */
export function listAchievements(db: Db, cityId: number, organizationId: number | null) {
  const who =
    organizationId === null
      ? sql`a.organization_id is null`
      : sql`(a.organization_id = ${organizationId} or exists (select 1 from badge_achievement_issuers i
             where i.achievement_id = a.id and i.organization_id = ${organizationId}))`
  return rows<AchievementRow>(
    db,
    sql`select ${achievementColumns} from badge_achievements a
        where a.city_id = ${cityId} and ${who} and a.archived_at is null order by a.id`,
  )
}

/** Marks an achievement archived: it is no longer listed, awarded or claimed; issued badges stay valid. */
export async function archiveAchievement(db: Db, cityId: number, id: number) {
  await db.execute(
    sql`update badge_achievements set archived_at = coalesce(archived_at, now()), updated_at = now()
        where city_id = ${cityId} and id = ${id}`,
  )
}

/** Achievements that attendance at this opportunity awards. */
export function achievementsForOpportunity(db: Db, cityId: number, opportunityId: number) {
  return rows<AchievementRow>(
    db,
    sql`select ${achievementColumns} from badge_achievements a
        where a.city_id = ${cityId} and ${opportunityId}::bigint = any(a.opportunity_ids) and a.archived_at is null`,
  )
}

/**
 * A fingerprint of what an achievement's pictures are made from: the image's MD5 and when the
 * achievement last changed (its name, …), so a picture kept in memory is made again after a change.
 */
export async function achievementPictureVersion(db: Db, id: number): Promise<string> {
  const row = await firstRow<{ version: string }>(
    db,
    sql`select coalesce(md5(image), 'none') || ':' || extract(epoch from updated_at)::text as version
        from badge_achievements where id = ${id}`,
  )
  return row?.version ?? 'gone'
}

export async function achievementImage(db: Db, id: number): Promise<Buffer | undefined> {
  const row = await firstRow<{ image: Buffer | null }>(
    db,
    sql`select image from badge_achievements where id = ${id}`,
  )
  return row?.image ?? undefined
}

export async function shareAchievement(
  db: Db,
  cityId: number,
  achievementId: number,
  organizationId: number,
) {
  await db.execute(
    sql`insert into badge_achievement_issuers (city_id, achievement_id, organization_id)
        values (${cityId}, ${achievementId}, ${organizationId}) on conflict do nothing`,
  )
}

export interface IssuerRow {
  id: number
  cityId: number
  organizationId: number | null
  path: string
  did: string
  statusVersion: number
}

const issuerColumns = sql`id::int as id, city_id::int as "cityId", organization_id::int as "organizationId", path, did,
  status_version as "statusVersion"`

export function findIssuerByPath(db: Db, path: string) {
  return firstRow<IssuerRow>(db, sql`select ${issuerColumns} from badge_issuers where path = ${path}`)
}

export function findIssuerById(db: Db, id: number) {
  return firstRow<IssuerRow>(db, sql`select ${issuerColumns} from badge_issuers where id = ${id}`)
}

/** Creates the issuer if it does not exist yet (two first awards at once make one). */
export async function insertIssuer(
  db: Db,
  cityId: number,
  organizationId: number | null,
  path: string,
  did: string,
) {
  await db.execute(
    sql`insert into badge_issuers (city_id, organization_id, path, did)
        values (${cityId}, ${organizationId}, ${path}, ${did}) on conflict do nothing`,
  )
  return (await findIssuerByPath(db, path))!
}

export interface KeyRow {
  id: number
  kind: 'Ed25519' | 'RSA'
  fragment: string
  publicKeyMultibase: string | null
  publicKeyJwk: Record<string, string> | null
  secretKeyEncrypted: string
  retired: boolean
  createdAt: string
}

export function listKeys(db: Db, issuerId: number) {
  return rows<KeyRow>(
    db,
    sql`select id::int as id, kind, fragment, public_key_multibase as "publicKeyMultibase",
          public_key_jwk as "publicKeyJwk", secret_key_encrypted as "secretKeyEncrypted",
          retired_at is not null as retired, created_at as "createdAt"
        from badge_issuer_keys where issuer_id = ${issuerId} order by id`,
  )
}

export async function insertKey(db: Db, cityId: number, issuerId: number, key: NewKey) {
  await db.execute(
    sql`insert into badge_issuer_keys (city_id, issuer_id, kind, fragment, public_key_multibase, public_key_jwk,
          secret_key_encrypted)
        values (${cityId}, ${issuerId}, ${key.kind}, ${key.fragment}, ${key.publicKeyMultibase},
          ${key.publicKeyJwk ? JSON.stringify(key.publicKeyJwk) : null}::jsonb, ${key.secretKeyEncrypted})
        on conflict do nothing`,
  )
}

export async function retireKeys(db: Db, issuerId: number, kind: 'Ed25519' | 'RSA', keepId: number) {
  await db.execute(
    sql`update badge_issuer_keys set retired_at = now()
        where issuer_id = ${issuerId} and kind = ${kind} and id <> ${keepId} and retired_at is null`,
  )
}

/** Hands out the issuer's next status list position. */
export async function nextStatusIndex(db: Db, issuerId: number): Promise<number> {
  const row = await firstRow<{ index: number }>(
    db,
    sql`update badge_issuers set next_status_index = next_status_index + 1 where id = ${issuerId}
        returning next_status_index - 1 as index`,
  )
  return row!.index
}

export interface AwardRow {
  id: number
  cityId: number
  uuid: string
  achievementId: number
  issuerId: number
  organizationId: number | null
  recipientUserId: number
  credential: Record<string, unknown>
  jwt: string | null
  statusIndex: number
  status: AwardStatus
  statusReason: string | null
  visibility: 'private' | 'public'
  path: AwardPath
  issuedAt: string
  validUntil: string | null
}

const awardColumns = sql`id::int as id, city_id::int as "cityId", uuid, achievement_id::int as "achievementId",
  issuer_id::int as "issuerId", organization_id::int as "organizationId", recipient_user_id::int as "recipientUserId",
  credential, jwt, status_index as "statusIndex", status, status_reason as "statusReason", visibility, path,
  issued_at as "issuedAt", valid_until as "validUntil"`

export interface AwardWrite {
  cityId: number
  uuid: string
  achievementId: number
  issuerId: number
  organizationId: number | null
  recipientUserId: number
  credential: Record<string, unknown>
  jwt: string | null
  statusIndex: number
  path: AwardPath
  source: string | null
  awardedByUserId: number | null
  issuedAt: Date
  validUntil: Date | null
}

/** Stores an issued credential; undefined when the person already holds this achievement. */
export async function insertAward(db: Db, a: AwardWrite): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into badge_awards (city_id, uuid, achievement_id, issuer_id, organization_id, recipient_user_id,
          credential, jwt, status_index, path, source, awarded_by_user_id, issued_at, valid_until)
        values (${a.cityId}, ${a.uuid}, ${a.achievementId}, ${a.issuerId}, ${a.organizationId}, ${a.recipientUserId},
          ${JSON.stringify(a.credential)}::jsonb, ${a.jwt}, ${a.statusIndex}, ${a.path}, ${a.source},
          ${a.awardedByUserId}, ${a.issuedAt.toISOString()}, ${a.validUntil?.toISOString() ?? null})
        on conflict do nothing returning id::int as id`,
  )
  return row?.id
}

export function findAwardByUuid(db: Db, uuid: string) {
  return firstRow<AwardRow>(db, sql`select ${awardColumns} from badge_awards where uuid = ${uuid}`)
}

export function findAward(db: Db, cityId: number, id: number) {
  return firstRow<AwardRow>(
    db,
    sql`select ${awardColumns} from badge_awards where city_id = ${cityId} and id = ${id}`,
  )
}

export function holdsAchievement(db: Db, achievementId: number, userId: number) {
  return firstRow<{ id: number }>(
    db,
    sql`select id::int as id from badge_awards
        where achievement_id = ${achievementId} and recipient_user_id = ${userId} and status <> 'revoked'`,
  )
}

export function listAwardsOfAchievement(db: Db, cityId: number, achievementId: number) {
  return rows<AwardRow & { recipientName: string }>(
    db,
    sql`select ${awardColumns} from badge_awards where city_id = ${cityId} and achievement_id = ${achievementId}
        order by id desc limit 500`,
  )
}

/**
 * An achievement's awards with who holds each (for the issuer's staff), newest first. An award whose
 * learner deleted their account stays listed (name and email null) so its issuer can still revoke it.
 */
export function listAwardsWithRecipients(db: Db, cityId: number, achievementId: number) {
  return rows<AwardRow & { recipientName: string | null; recipientEmail: string | null }>(
    db,
    sql`select w.*, u.display_name as "recipientName", u.email as "recipientEmail"
        from (select ${awardColumns} from badge_awards where city_id = ${cityId} and achievement_id = ${achievementId}
              order by id desc limit 500) w
        left join users u on u.id = w."recipientUserId" order by w.id desc`,
  )
}

export function listAwardsOfRecipient(db: Db, userId: number) {
  return rows<AwardRow>(
    db,
    sql`select ${awardColumns} from badge_awards where recipient_user_id = ${userId} order by issued_at desc, id desc`,
  )
}

/** Sets an award's status and moves the issuer's status version on, in one statement. */
export async function setAwardStatus(db: Db, id: number, status: AwardStatus, reason: string | null) {
  await db.execute(
    sql`with changed as (
          update badge_awards set status = ${status}, status_reason = ${reason}, updated_at = now()
          where id = ${id} returning issuer_id)
        update badge_issuers set status_version = status_version + 1 where id in (select issuer_id from changed)`,
  )
}

export async function setAwardVisibility(db: Db, id: number, visibility: 'private' | 'public') {
  await db.execute(
    sql`update badge_awards set visibility = ${visibility}, updated_at = now() where id = ${id}`,
  )
}

/** Status list positions of an issuer's awards in one status. */
export async function statusIndexes(db: Db, issuerId: number, status: AwardStatus): Promise<number[]> {
  const found = await rows<{ index: number }>(
    db,
    sql`select status_index as index from badge_awards where issuer_id = ${issuerId} and status = ${status}`,
  )
  return found.map((r) => r.index)
}

export function findStatusList(db: Db, issuerId: number, purpose: 'revocation' | 'suspension') {
  return firstRow<{ version: number; credential: Record<string, unknown> }>(
    db,
    sql`select version, credential from badge_status_lists where issuer_id = ${issuerId} and purpose = ${purpose}`,
  )
}

export async function saveStatusList(
  db: Db,
  cityId: number,
  issuerId: number,
  purpose: 'revocation' | 'suspension',
  version: number,
  credential: Record<string, unknown>,
) {
  await db.execute(
    sql`insert into badge_status_lists (city_id, issuer_id, purpose, version, credential)
        values (${cityId}, ${issuerId}, ${purpose}, ${version}, ${JSON.stringify(credential)}::jsonb)
        on conflict (issuer_id, purpose) do update set version = excluded.version, credential = excluded.credential,
          updated_at = now()
        where badge_status_lists.version < excluded.version`,
  )
}

export interface ClaimCodeRow {
  id: number
  achievementId: number
  organizationId: number | null
  code: string
  maxUses: number
  uses: number
  expiresAt: string | null
  /** Withdrawn: it can no longer be claimed. */
  revoked: boolean
  revokedAt: string | null
  revokedByUserId: number | null
  createdByUserId: number | null
}

/** A code as its issuers list it, with the name of who withdrew it. */
export type ListedClaimCode = ClaimCodeRow & { revokedByName: string | null }

const codeColumns = sql`id::int as id, achievement_id::int as "achievementId", organization_id::int as "organizationId",
  code, max_uses as "maxUses", uses, expires_at as "expiresAt", revoked_at is not null as revoked,
  revoked_at as "revokedAt", revoked_by_user_id::int as "revokedByUserId",
  created_by_user_id::int as "createdByUserId"`

export async function insertClaimCode(
  db: Db,
  c: {
    cityId: number
    achievementId: number
    organizationId: number | null
    code: string
    maxUses: number
    expiresAt: Date | null
    userId: number | null
  },
) {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into badge_claim_codes (city_id, achievement_id, organization_id, code, max_uses, expires_at,
          created_by_user_id)
        values (${c.cityId}, ${c.achievementId}, ${c.organizationId}, ${c.code}, ${c.maxUses},
          ${c.expiresAt?.toISOString() ?? null}, ${c.userId})
        returning id::int as id`,
  )
  return row!.id
}

export function findClaimCode(db: Db, cityId: number, code: string) {
  return firstRow<ClaimCodeRow>(
    db,
    sql`select ${codeColumns} from badge_claim_codes where city_id = ${cityId} and code = ${code}`,
  )
}

export function findClaimCodeById(db: Db, cityId: number, id: number) {
  return firstRow<ClaimCodeRow>(
    db,
    sql`select ${codeColumns} from badge_claim_codes where city_id = ${cityId} and id = ${id}`,
  )
}

export function listClaimCodes(db: Db, cityId: number, achievementId: number) {
  return rows<ListedClaimCode>(
    db,
    sql`select ${codeColumns},
          (select u.display_name from users u where u.id = badge_claim_codes.revoked_by_user_id) as "revokedByName"
        from badge_claim_codes where city_id = ${cityId} and achievement_id = ${achievementId}
        order by id desc`,
  )
}

/** Withdraws a live code, once: false when it was withdrawn already. */
export async function withdrawClaimCode(db: Db, id: number, userId: number): Promise<boolean> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`update badge_claim_codes set revoked_at = now(), revoked_by_user_id = ${userId}
        where id = ${id} and revoked_at is null returning id::int as id`,
  )
  return row !== undefined
}

/** Takes one use of a live code; false when it is used up, expired or withdrawn. */
export async function takeClaimUse(db: Db, id: number): Promise<boolean> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`update badge_claim_codes set uses = uses + 1
        where id = ${id} and uses < max_uses and revoked_at is null and (expires_at is null or expires_at > now())
        returning id::int as id`,
  )
  return row !== undefined
}

/** Gives a use back (the award it paid for did not happen). */
export async function returnClaimUse(db: Db, id: number) {
  await db.execute(sql`update badge_claim_codes set uses = greatest(uses - 1, 0) where id = ${id}`)
}

export async function saveAwardJwt(db: Db, id: number, jwt: string) {
  await db.execute(sql`update badge_awards set jwt = ${jwt} where id = ${id} and jwt is null`)
}

/** An achievement by its global id (its public URL carries no city). */
export function findAchievementAnyCity(db: Db, id: number) {
  return firstRow<AchievementRow>(
    db,
    sql`select ${achievementColumns} from badge_achievements a where a.id = ${id}`,
  )
}
