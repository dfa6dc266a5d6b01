import type { Platform } from '../../platform/module.ts'
import { expandSchedule, validateSchedule } from '../../platform/time/index.ts'
import { districtLocator, findVenue } from '../cities/index.ts'
import { type OpportunityInput, opportunityInput, type Status } from './model.ts'
import * as repo from './repository.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; fields?: { field: string; detail: string }[] }

/** Who acts: a signed-in person or an organization's API key, with their rights in one city. */
export interface Actor {
  userId: number | null
  label: string
  cityId: number
  timeZone: string
  coordinator: boolean
  /** Organizations this actor works for, with the staff role held there. */
  organizations: { id: number; role: 'editor' | 'issuer' | 'admin'; trusted: boolean }[]
}

/** Sessions are materialised this far ahead; a daily job extends the horizon (later: see README). */
export const HORIZON_DAYS = 550
const SESSION_LIMIT = 500

function canEdit(actor: Actor, organizationId: number): boolean {
  return actor.coordinator || actor.organizations.some((o) => o.id === organizationId && o.role !== 'issuer')
}

function publishesWithoutReview(actor: Actor, organizationId: number): boolean {
  return (
    actor.coordinator ||
    actor.organizations.some((o) => o.id === organizationId && o.trusted && o.role !== 'issuer')
  )
}

/** Validates raw input with the one opportunity schema; field paths become JSON pointers. */
export function parseOpportunity(raw: unknown): Result<OpportunityInput, 'invalid'> {
  const parsed = opportunityInput.safeParse(raw)
  if (parsed.success) return { ok: true, value: parsed.data }
  return {
    ok: false,
    error: 'invalid',
    fields: parsed.error.issues.map((i) => ({ field: `/${i.path.join('/')}`, detail: i.message })),
  }
}

async function toFields(
  platform: Platform,
  actor: Actor,
  input: OpportunityInput,
): Promise<Result<repo.OpportunityFields, 'invalid'>> {
  let { lat, lon, address } = input
  let districtId: number | null = null
  if (input.venueId !== null) {
    const venue = await findVenue(platform.db, actor.cityId, input.venueId)
    if (!venue)
      return {
        ok: false,
        error: 'invalid',
        fields: [{ field: '/venueId', detail: 'No such venue in this city' }],
      }
    lat = venue.lat
    lon = venue.lon
    address = venue.address
    districtId = venue.districtId
  } else if (lat !== null && lon !== null) {
    districtId = (await districtLocator(platform, actor.cityId))(lat, lon)?.id ?? null
  }
  const expansion = sessionsFor(input.schedule, actor.timeZone)
  if (!expansion.ok) return expansion
  return {
    ok: true,
    value: {
      externalId: input.externalId ?? null,
      title: input.title,
      description: input.description,
      outcomes: input.outcomes,
      buildingBlock: input.buildingBlock,
      topics: [...new Set(input.topics.map((t) => t.toLowerCase()))],
      ageMin: input.ageMin,
      ageMax: input.ageMax,
      groups: input.groups,
      languages: input.languages,
      format: input.format,
      venueId: input.venueId,
      address,
      lat,
      lon,
      districtId,
      joinUrl: input.joinUrl,
      schedule: input.schedule,
      free: input.cost.free,
      price: input.cost.free || input.cost.price === null ? null : input.cost.price.toFixed(2),
      currency: input.cost.currency,
      concessions: input.cost.concessions,
      financialHelp: input.cost.financialHelp,
      accessibility: input.accessibility,
      accessibilityNote: input.accessibilityNote,
      capacity: input.capacity,
      imageUrl: input.image.url,
      imageAlt: input.image.alt,
      contactEmail: input.contactEmail,
      contactPhone: input.contactPhone,
    },
  }
}

/** The sessions of a schedule from a week ago to the horizon, or a field error when it cannot be read. */
export function sessionsFor(schedule: OpportunityInput['schedule'], timeZone: string, now = new Date()) {
  const problems = validateSchedule({ ...schedule, timeZone })
  if (problems.length > 0) {
    return {
      ok: false as const,
      error: 'invalid' as const,
      fields: problems.map((p) => ({ field: `/schedule/${p.field}`, detail: p.message })),
    }
  }
  try {
    const occurrences = expandSchedule(
      { ...schedule, timeZone },
      {
        from: new Date(now.getTime() - 7 * 86400_000),
        to: new Date(now.getTime() + HORIZON_DAYS * 86400_000),
      },
      SESSION_LIMIT,
    )
    return { ok: true as const, value: occurrences }
  } catch (error) {
    return {
      ok: false as const,
      error: 'invalid' as const,
      fields: [
        {
          field: '/schedule',
          detail: error instanceof Error ? error.message : 'The schedule cannot be read',
        },
      ],
    }
  }
}

export async function materialise(
  platform: Platform,
  cityId: number,
  id: number,
  fields: repo.OpportunityFields,
  timeZone: string,
) {
  const expansion = sessionsFor(fields.schedule, timeZone)
  if (expansion.ok) await repo.syncSessions(platform.db, cityId, id, expansion.value, new Date())
}

/** JSON with object keys sorted: jsonb does not keep key order, so plain JSON text would differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  )
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const key of Object.keys(after)) {
    if (canonical(before[key]) !== canonical(after[key])) changes[key] = { from: before[key], to: after[key] }
  }
  return changes
}

/**
 * Creates an opportunity for a provider. With `publish`, trusted providers (and coordinators) publish
 * at once and others submit it for review; without, it stays a draft.
 */
export async function createOpportunity(
  platform: Platform,
  actor: Actor,
  organizationId: number,
  raw: unknown,
  options: { publish?: boolean; isDemo?: boolean } = {},
): Promise<Result<{ id: number; status: Status }, 'invalid' | 'forbidden' | 'duplicate'>> {
  if (!canEdit(actor, organizationId)) return { ok: false, error: 'forbidden' }
  const parsed = parseOpportunity(raw)
  if (!parsed.ok) return parsed
  const fields = await toFields(platform, actor, parsed.value)
  if (!fields.ok) return fields
  if (fields.value.externalId) {
    const existing = await repo.findByExternalId(
      platform.db,
      actor.cityId,
      organizationId,
      fields.value.externalId,
    )
    if (existing) {
      return {
        ok: false,
        error: 'duplicate',
        fields: [{ field: '/externalId', detail: `Already used by opportunity ${existing.id}` }],
      }
    }
  }
  const status: Status = options.publish
    ? publishesWithoutReview(actor, organizationId)
      ? 'published'
      : 'submitted'
    : 'draft'
  const id = await repo.insertOpportunity(
    platform.db,
    actor.cityId,
    organizationId,
    status,
    fields.value,
    options.isDemo,
  )
  await repo.insertChange(platform.db, {
    cityId: actor.cityId,
    opportunityId: id,
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: status === 'draft' ? 'created' : `created-${status}`,
  })
  if (status === 'published') await materialise(platform, actor.cityId, id, fields.value, actor.timeZone)
  return { ok: true, value: { id, status } }
}

/** Replaces an opportunity's content, recording which fields changed; published ones stay published. */
export async function updateOpportunity(
  platform: Platform,
  actor: Actor,
  id: number,
  raw: unknown,
): Promise<Result<{ id: number; changed: string[] }, 'invalid' | 'forbidden' | 'not-found'>> {
  const current = await repo.findOpportunity(platform.db, actor.cityId, id)
  if (!current) return { ok: false, error: 'not-found' }
  if (!canEdit(actor, current.organizationId)) return { ok: false, error: 'forbidden' }
  if (current.status === 'archived')
    return {
      ok: false,
      error: 'invalid',
      fields: [{ field: '/status', detail: 'Archived opportunities cannot be changed' }],
    }
  const parsed = parseOpportunity(raw)
  if (!parsed.ok) return parsed
  const fields = await toFields(platform, actor, parsed.value)
  if (!fields.ok) return fields
  const changes = diff(
    current as unknown as Record<string, unknown>,
    fields.value as unknown as Record<string, unknown>,
  )
  if (Object.keys(changes).length === 0) return { ok: true, value: { id, changed: [] } }
  await repo.updateOpportunityFields(platform.db, actor.cityId, id, fields.value)
  await repo.insertChange(platform.db, {
    cityId: actor.cityId,
    opportunityId: id,
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: 'changed',
    diff: changes,
  })
  if (current.status === 'published')
    await materialise(platform, actor.cityId, id, fields.value, actor.timeZone)
  return { ok: true, value: { id, changed: Object.keys(changes) } }
}

export type Transition = 'submit' | 'publish' | 'return' | 'cancel' | 'archive'

/** Allowed moves: from → action → to. */
const MOVES: Record<Transition, { from: Status[]; to: Status }> = {
  submit: { from: ['draft'], to: 'submitted' },
  publish: { from: ['draft', 'submitted', 'cancelled'], to: 'published' },
  return: { from: ['submitted'], to: 'draft' },
  cancel: { from: ['published'], to: 'cancelled' },
  archive: { from: ['draft', 'submitted', 'published', 'cancelled'], to: 'archived' },
}

/**
 * Moves an opportunity through its lifecycle: draft → submitted → published → cancelled → archived.
 * Only coordinators review (publish a submission, return it with a note); trusted providers publish their own.
 */
export async function transition(
  platform: Platform,
  actor: Actor,
  id: number,
  action: Transition,
  note?: string,
): Promise<Result<Status, 'forbidden' | 'not-found' | 'not-allowed'>> {
  const current = await repo.findOpportunity(platform.db, actor.cityId, id)
  if (!current) return { ok: false, error: 'not-found' }
  if (!canEdit(actor, current.organizationId)) return { ok: false, error: 'forbidden' }
  const move = MOVES[action]
  if (!move.from.includes(current.status)) return { ok: false, error: 'not-allowed' }
  if (
    (action === 'publish' && !publishesWithoutReview(actor, current.organizationId)) ||
    (action === 'return' && !actor.coordinator)
  ) {
    return { ok: false, error: 'forbidden' }
  }
  await repo.setStatus(platform.db, actor.cityId, id, move.to)
  const cancelled = action === 'cancel' ? await repo.cancelSessions(platform.db, actor.cityId, id) : []
  if (action === 'publish') {
    await materialise(
      platform,
      actor.cityId,
      id,
      current as unknown as repo.OpportunityFields,
      actor.timeZone,
    )
  }
  await repo.insertChange(platform.db, {
    cityId: actor.cityId,
    opportunityId: id,
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action,
    diff: { status: { from: current.status, to: move.to } },
    note: note?.slice(0, 2000) ?? null,
  })
  if (cancelled.length > 0) {
    await platform.events.emit('opportunity.sessions-cancelled', {
      cityId: actor.cityId,
      opportunityId: id,
      sessionIds: cancelled,
      note: note ?? null,
    })
  }
  return { ok: true, value: move.to }
}

/** Cancels one session of a published opportunity (the rest stay on). */
export async function cancelSession(
  platform: Platform,
  actor: Actor,
  id: number,
  sessionId: number,
  note?: string,
): Promise<Result<void, 'forbidden' | 'not-found'>> {
  const current = await repo.findOpportunity(platform.db, actor.cityId, id)
  if (!current) return { ok: false, error: 'not-found' }
  if (!canEdit(actor, current.organizationId)) return { ok: false, error: 'forbidden' }
  const changed = await repo.cancelSessions(platform.db, actor.cityId, id, sessionId)
  if (changed.length === 0) return { ok: false, error: 'not-found' }
  await repo.insertChange(platform.db, {
    cityId: actor.cityId,
    opportunityId: id,
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: 'session-cancelled',
    diff: { session: { from: sessionId, to: 'cancelled' } },
    note: note ?? null,
  })
  await platform.events.emit('opportunity.sessions-cancelled', {
    cityId: actor.cityId,
    opportunityId: id,
    sessionIds: changed,
    note: note ?? null,
  })
  return { ok: true, value: undefined }
}
