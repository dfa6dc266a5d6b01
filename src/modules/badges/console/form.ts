/**
 * The achievement form as posted (multipart, so an image can come along) turned into the use case's
 * input, and the use case's field errors (JSON pointers) turned back into form fields with messages.
 */
import type { FieldError } from '../../../platform/http/problem.ts'
import type { T } from '../../../platform/i18n/index.ts'
import type { FormError } from '../../../platform/ui/forms.tsx'
import type * as repo from '../repository.ts'

/** Blank alignment rows offered after the filled ones (no script is needed to add rows). */
export const SPARE_ALIGNMENTS = 2
/** Rows read back from a post (filled and spare), more is ignored. */
const MAX_ROWS = 25

type Body = Record<string, string | File | (string | File)[]>

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? str(v[0]) : '')
const all = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')

/** What the form holds, as typed (kept to show again on errors). */
export interface FormValues {
  type: string
  name: Record<string, string>
  description: Record<string, string>
  criteria: Record<string, string>
  tags: string
  level: string
  validDays: string
  opportunityIds: string[]
  alignments: { targetName: string; targetUrl: string; targetFramework: string }[]
  acceptsEvidence: boolean
}

/** The form's values for an existing achievement (or an empty form). */
export function valuesOf(a: repo.AchievementRow | undefined, defaultType: string): FormValues {
  return {
    type: a?.type ?? defaultType,
    name: { ...(a?.name ?? {}) } as Record<string, string>,
    description: { ...(a?.description ?? {}) } as Record<string, string>,
    criteria: { ...(a?.criteria ?? {}) } as Record<string, string>,
    tags: (a?.tags ?? []).join(', '),
    level: a?.level ?? '',
    validDays: a?.validDays ? String(a.validDays) : '',
    opportunityIds: (a?.opportunityIds ?? []).map(String),
    alignments: (a?.alignments ?? []).map((x) => ({
      targetName: x.targetName,
      targetUrl: x.targetUrl,
      targetFramework: x.targetFramework ?? '',
    })),
    acceptsEvidence: a?.acceptsEvidence ?? false,
  }
}

/** Reads the posted form in the city's languages. */
export function readForm(body: Body, languages: readonly string[]): FormValues {
  const per = (field: string) =>
    Object.fromEntries(languages.map((l) => [l, str(body[`${field}-${l}`]).slice(0, 5000)]))
  const alignments = []
  for (let i = 0; i < MAX_ROWS; i++) {
    const row = {
      targetName: str(body[`alignment-${i}-name`]).slice(0, 1000),
      targetUrl: str(body[`alignment-${i}-url`]).slice(0, 1000),
      targetFramework: str(body[`alignment-${i}-framework`]).slice(0, 1000),
    }
    if (row.targetName.trim() || row.targetUrl.trim() || row.targetFramework.trim()) alignments.push(row)
  }
  return {
    type: str(body.type),
    name: per('name'),
    description: per('description'),
    criteria: per('criteria'),
    tags: str(body.tags).slice(0, 5000),
    level: str(body.level),
    validDays: str(body.validDays).trim(),
    opportunityIds: all(body.opportunityIds).slice(0, 100),
    alignments,
    acceptsEvidence: str(body.acceptsEvidence) === 'on',
  }
}

/** The use case's input from the form's values (the use case validates it). */
export function inputOf(v: FormValues): Record<string, unknown> {
  return {
    type: v.type,
    name: v.name,
    description: v.description,
    criteria: v.criteria,
    tags: v.tags
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    alignments: v.alignments.map((a) => ({
      targetName: a.targetName,
      targetUrl: a.targetUrl,
      ...(a.targetFramework.trim() ? { targetFramework: a.targetFramework } : {}),
    })),
    level: v.level || null,
    // Whole numbers go through as numbers; anything else stays text, which the schema refuses.
    validDays: v.validDays === '' ? null : /^\d{1,6}$/.test(v.validDays) ? Number(v.validDays) : v.validDays,
    opportunityIds: v.opportunityIds.map((id) => (/^\d{1,12}$/.test(id) ? Number(id) : id)),
    acceptsEvidence: v.acceptsEvidence,
  }
}

/**
 * Each field error as a form field and a message in the reader's language; one error per field,
 * in the order of the form.
 */
export function formErrors(t: T, fields: FieldError[], languages: readonly string[]): FormError[] {
  const out: FormError[] = []
  const add = (field: string, key: string, values?: Record<string, string | number>) => {
    if (!out.some((e) => e.field === field))
      out.push({ field, message: t(`badge-console.error.${key}`, values) })
  }
  for (const { field, detail } of fields) {
    const [top, second, third] = field.split('/').slice(1)
    switch (top) {
      case 'name':
      case 'description':
      case 'criteria': {
        const lang = second && languages.includes(second) ? second : languages[0]
        add(`${top}-${lang}`, second ? `${top}.long` : `${top}.required`)
        break
      }
      case 'alignments': {
        if (second === undefined || !/^\d+$/.test(second)) add('alignment-0-name', 'alignments.many')
        else if (third === 'targetUrl')
          add(`alignment-${second}-url`, 'alignments.url', { n: Number(second) + 1 })
        else if (third === 'targetFramework')
          add(`alignment-${second}-framework`, 'alignments.framework', { n: Number(second) + 1 })
        else add(`alignment-${second}-name`, 'alignments.name', { n: Number(second) + 1 })
        break
      }
      case 'tags':
      case 'type':
      case 'level':
      case 'validDays':
      case 'opportunityIds':
      case 'acceptsEvidence':
        add(top, top)
        break
      case 'image':
        add('image', /KB/.test(detail) ? 'image.large' : /PNG/.test(detail) ? 'image.png' : 'image.size')
        break
      default:
        add('type', 'other')
    }
  }
  return out
}
