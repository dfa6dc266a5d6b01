import { z } from 'zod'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { ProfileFields } from './repository.ts'
import { SECTORS } from './schema.ts'

/** A field problem: the form field it belongs to and the message key (under `organizations.`). */
export interface FieldIssue {
  field: string
  key: string
}

/** An optional text field: blank becomes null, anything else must pass the schema. */
const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), schema.nullable())

const httpUrl = (key: string) =>
  z
    .string()
    .max(500, key)
    .refine((v) => {
      if (!/^https?:\/\/[^\s<>"'\\]+$/i.test(v)) return false
      return URL.canParse(v)
    }, key)

/**
 * The provider profile form, one schema for registration and editing. Messages are keys under
 * `organizations.`; names and descriptions arrive as `name_<lang>` / `description_<lang>`.
 */
export const profileSchema = z.object({
  sector: z.enum(SECTORS, { message: 'errors.sector' }),
  website: optional(httpUrl('errors.website')),
  // An https:// image, or a path on this site (never protocol-relative, never javascript:).
  logoUrl: optional(
    z
      .string()
      .max(500, 'errors.logoUrl')
      .refine(
        (v) => (/^https:\/\/[^\s<>"'\\]+$/i.test(v) ? URL.canParse(v) : /^\/(?![/\\])[^\s<>"'\\]*$/.test(v)),
        'errors.logoUrl',
      ),
  ),
  contactEmail: optional(
    z.string().toLowerCase().max(254, 'errors.contactEmail').pipe(z.email('errors.contactEmail')),
  ),
  contactPhone: optional(z.string().regex(/^\+?[0-9 ().-]{3,40}$/, 'errors.contactPhone')),
})

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')

/** Reads the profile form for a city's languages; returns the fields or every problem found. */
export function parseProfile(
  body: Record<string, unknown>,
  languages: readonly string[],
): { ok: true; value: ProfileFields } | { ok: false; fields: FieldIssue[] } {
  const fields: FieldIssue[] = []
  const name: TranslatedText = {}
  const description: TranslatedText = {}
  // Checked in the order the form shows the fields, so the error summary reads top to bottom.
  for (const lang of languages) {
    const n = text(body[`name_${lang}`])
    if (n.length > 150) fields.push({ field: `name_${lang}`, key: 'errors.nameLong' })
    else if (n) name[lang] = n
  }
  for (const lang of languages) {
    const d = text(body[`description_${lang}`])
    if (d.length > 5000) fields.push({ field: `description_${lang}`, key: 'errors.descriptionLong' })
    else if (d) description[lang] = d
  }
  if (Object.keys(name).length === 0 && !fields.some((f) => f.field.startsWith('name_')))
    fields.unshift({ field: `name_${languages[0] ?? 'en'}`, key: 'errors.name' })
  const parsed = profileSchema.safeParse({
    sector: text(body.sector),
    website: text(body.website),
    logoUrl: text(body.logoUrl),
    contactEmail: text(body.contactEmail),
    contactPhone: text(body.contactPhone),
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0])
      if (!fields.some((f) => f.field === field)) fields.push({ field, key: issue.message })
    }
  }
  if (fields.length > 0 || !parsed.success) return { ok: false, fields }
  return { ok: true, value: { name, description, ...parsed.data } }
}

/** A URL-safe slug from a name: ASCII letters and digits joined by hyphens, or '' if none. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '')
}
