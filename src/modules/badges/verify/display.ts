import { idOf, isObject, type Json, strings, validityDates, values } from './credential.ts'
import type { BadgeView } from './report.ts'

const MAX_TEXT = 2000

/** A plain-text value in the reader's language when the credential has a language map. */
function text(value: unknown, lang?: string): string | undefined {
  if (typeof value === 'string') return value.slice(0, MAX_TEXT)
  if (isObject(value)) {
    if (typeof value['@value'] === 'string') return value['@value'].slice(0, MAX_TEXT)
    const picked = (lang && value[lang]) ?? value.en ?? Object.values(value)[0]
    if (typeof picked === 'string') return picked.slice(0, MAX_TEXT)
  }
  if (Array.isArray(value)) return text(value[0], lang)
  return undefined
}

/** Only https links and http(s) ids are shown as links; anything else is left out. */
function httpsUrl(value: unknown): string | undefined {
  const url = typeof value === 'string' ? value : idOf(value)
  if (!url || url.length > 2000) return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/**
 * Images are shown only when the credential embeds them (a data: URL of a raster or SVG image,
 * drawn by <img>, where SVG scripts never run): fetching a remote image would tell its host who
 * looked at whose badge.
 */
function embeddedImage(value: unknown): string | undefined {
  const url = typeof value === 'string' ? value : idOf(value)
  if (!url || url.length > 2_000_000) return undefined
  return /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/.test(url) ? url : undefined
}

/** How the recipient is named: a hashed identifier is shown as such, never guessed at. */
function recipient(subject: Json): { recipient?: string; recipientHashed?: boolean } {
  const identifier = values(subject.identifier).find(isObject)
  if (identifier) {
    const hashed =
      identifier.hashed === true ||
      (typeof identifier.identityHash === 'string' && /^(sha256|md5)\$/.test(identifier.identityHash))
    if (hashed) return { recipientHashed: true }
    if (typeof identifier.identityHash === 'string')
      return { recipient: identifier.identityHash.slice(0, 300) }
  }
  const name = text(subject.name)
  if (name) return { recipient: name }
  return typeof subject.id === 'string' ? { recipient: subject.id.slice(0, 300) } : {}
}

/** What a person needs to see of the badge, read from the credential (verified or not). */
export function badgeView(credential: Json, lang?: string): BadgeView {
  const subject = values(credential.credentialSubject).find(isObject) ?? {}
  const achievement = isObject(subject.achievement) ? subject.achievement : {}
  const issuer = values(credential.issuer)[0]
  const issuerObject = isObject(issuer) ? issuer : {}
  const criteria = isObject(achievement.criteria) ? achievement.criteria : {}
  const image = achievement.image ?? credential.image
  const dates = validityDates(credential)
  const types = strings(credential.type).filter((t) => t !== 'VerifiableCredential')
  const view: BadgeView = {
    name: text(achievement.name, lang) ?? text(credential.name, lang),
    description: text(achievement.description, lang) ?? text(credential.description, lang),
    image: embeddedImage(image),
    imageCaption: isObject(image) ? text(image.caption, lang) : undefined,
    criteria: text(criteria.narrative, lang),
    criteriaUrl: httpsUrl(criteria.id),
    issuerName: text(issuerObject.name, lang),
    issuerId: idOf(issuer)?.slice(0, 500),
    issuerUrl: httpsUrl(issuerObject.url),
    ...recipient(subject),
    validFrom: typeof dates.from === 'string' ? dates.from.slice(0, 40) : undefined,
    validUntil: typeof dates.until === 'string' ? dates.until.slice(0, 40) : undefined,
    credentialType: types[0]?.slice(0, 100),
  }
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined)) as BadgeView
}
