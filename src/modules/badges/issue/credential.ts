import { createHash, randomBytes } from 'node:crypto'
import type { Alignment } from '../schema.ts'

export const VC_V2 = 'https://www.w3.org/ns/credentials/v2'
export const OB_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'

/** What the credential says about the achievement, in one language. */
export interface AchievementClaim {
  id: string
  name: string
  description: string
  criteria: string
  /** Our type → Open Badges achievementType. */
  achievementType: 'Badge' | 'Competency' | 'LearningProgram' | 'Award'
  imageUrl: string | null
  tags: string[]
  alignments: Alignment[]
  inLanguage: string
}

export type Recipient = { email: string } | { did: string }

/** One piece of evidence the issuer reviewed (OB 3.0 Evidence): a statement, a link, or both. */
export interface EvidenceClaim {
  /** The URL of a page presenting the evidence. */
  id?: string
  narrative?: string
  name?: string
}

export interface CredentialInput {
  id: string
  issuer: { did: string; name: string; url: string }
  achievement: AchievementClaim
  recipient: Recipient
  issuedAt: Date
  validUntil: Date | null
  /** The issuer's status list URLs and this credential's position in them. */
  status: { revocation: string; suspension: string; index: number }
  /** What the learner showed, when the badge was awarded on reviewed evidence. */
  evidence?: EvidenceClaim[]
}

/** An XML Schema dateTime at second precision, as credentials carry them. */
export function dateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A salted SHA-256 identity for an email address (OB 3.0 IdentityObject), so the email is not in the badge. */
export function hashedEmail(email: string, salt = randomBytes(16).toString('hex')) {
  const hash = createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex')
  return {
    type: 'IdentityObject',
    identityHash: `sha256$${hash}`,
    identityType: 'emailAddress',
    hashed: true,
    salt,
  }
}

/** An unsigned OpenBadgeCredential (VC Data Model 2.0, Open Badges context 3.0.3). */
export function openBadgeCredential(input: CredentialInput): Record<string, unknown> {
  const a = input.achievement
  const achievement: Record<string, unknown> = {
    id: a.id,
    type: ['Achievement'],
    achievementType: a.achievementType,
    name: a.name,
    description: a.description,
    criteria: { narrative: a.criteria },
    inLanguage: a.inLanguage,
  }
  if (a.imageUrl) achievement.image = { id: a.imageUrl, type: 'Image', caption: a.name }
  if (a.tags.length) achievement.tag = a.tags
  if (a.alignments.length) {
    achievement.alignment = a.alignments.map((al) => ({
      type: ['Alignment'],
      targetName: al.targetName,
      targetUrl: al.targetUrl,
      ...(al.targetFramework ? { targetFramework: al.targetFramework } : {}),
    }))
  }
  const subject: Record<string, unknown> = { type: ['AchievementSubject'], achievement }
  if ('did' in input.recipient) subject.id = input.recipient.did
  else subject.identifier = [hashedEmail(input.recipient.email)]
  const entry = (purpose: 'revocation' | 'suspension', list: string) => ({
    id: `${list}#${input.status.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(input.status.index),
    statusListCredential: list,
  })
  return {
    '@context': [VC_V2, OB_V3],
    id: input.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: input.issuer.did, type: ['Profile'], name: input.issuer.name, url: input.issuer.url },
    validFrom: dateTime(input.issuedAt),
    ...(input.validUntil ? { validUntil: dateTime(input.validUntil) } : {}),
    name: a.name,
    credentialSubject: subject,
    ...(input.evidence?.length
      ? {
          evidence: input.evidence.map((e) => ({
            ...(e.id ? { id: e.id } : {}),
            type: ['Evidence'],
            ...(e.name ? { name: e.name } : {}),
            ...(e.narrative ? { narrative: e.narrative } : {}),
          })),
        }
      : {}),
    credentialStatus: [
      entry('revocation', input.status.revocation),
      entry('suspension', input.status.suspension),
    ],
  }
}
