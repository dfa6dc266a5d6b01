import { type Db, executeTogether, type SQL } from '../../platform/db/index.ts'
import type { DomainEvents } from '../../platform/events.ts'
import type { Platform } from '../../platform/module.ts'
import { districtLocator, findVenues } from '../cities/index.ts'
import type { Status } from './model.ts'
import { type Checked, type Prepared, prepareWith, type Result, sessionsFor } from './prepare.ts'
import * as repo from './repository.ts'

export type { Checked, Prepared, Result } from './prepare.ts'
export { HORIZON_DAYS, parseOpportunity, sessionsFor } from './prepare.ts'

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

function canEdit(actor: Actor, organizationId: number): boolean {
  return actor.coordinator || actor.organizations.some((o) => o.id === organizationId && o.role !== 'issuer')
}

function publishesWithoutReview(actor: Actor, organizationId: number): boolean {
  return (
    actor.coordinator ||
    actor.organizations.some((o) => o.id === organizationId && o.trusted && o.role !== 'issuer')
  )
}

/**
 * Validates many raw inputs with the one schema, then resolves venues and districts and expands
 * schedules; venues are read in one query however many inputs there are. Writes nothing, so a bulk
 * import prepares its next batch while the last one is being written.
 */
export async function prepareOpportunities(
  platform: Platform,
  actor: Actor,
  raws: unknown[],
  options: { locate?: Awaited<ReturnType<typeof districtLocator>> } = {},
): Promise<Checked[]> {
  const venueIds = new Set<number>()
  for (const raw of raws) {
    const id = (raw as { venueId?: unknown } | null)?.venueId
    if (typeof id === 'number' && Number.isSafeInteger(id)) venueIds.add(id)
  }
  const venues = new Map((await findVenues(platform.db, actor.cityId, [...venueIds])).map((v) => [v.id, v]))
  // The locator is cached per database handle; a caller writing in many transactions (the harvest,
  // one a page) passes the one it loaded outside them.
  const locate = options.locate ?? (await districtLocator(platform, actor.cityId))
  return prepareWith({ venue: (id) => venues.get(id), locate }, actor.timeZone, raws)
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

/** Changes of a published opportunity that people booked on it are told about. */
const NOTIFIED_FIELDS = new Set([
  'title',
  'format',
  'venueId',
  'address',
  'lat',
  'lon',
  'joinUrl',
  'schedule',
  'free',
  'price',
  'currency',
  'languages',
  'accessibility',
  'ageMin',
  'ageMax',
])

/** What a write leaves to do once it has committed: the domain events to announce. */
export type Announcement = DomainEvents['opportunity.changed']

/** Announces committed changes (after commit, so a rolled-back write tells nobody). */
export async function announce(platform: Platform, announcements: Announcement[]) {
  for (const a of announcements) await platform.events.emit('opportunity.changed', a)
}

export interface CreateItem {
  input: Checked
  /** Trusted providers (and coordinators) publish at once, others submit for review; without, a draft. */
  publish?: boolean
}

export type Created = Result<{ id: number; status: Status }, 'invalid' | 'forbidden' | 'duplicate'>

export interface CreateOptions extends repo.SearchWrite {
  isDemo?: boolean
  /** The caller has looked the external ids up in this transaction (the import does, per batch). */
  externalIdsChecked?: boolean
  /** Ids taken beforehand (takeOpportunityIds), by item; otherwise they are taken here. */
  ids?: readonly (number | undefined)[]
}

/**
 * Creates many opportunities of one provider with a handful of statements, whatever their number:
 * one insert of the rows, one of their audit entries, one of their sessions. Runs in the caller's
 * transaction (`platform.db` may be one); each item gets its own result.
 */
export async function writeCreates(
  platform: Platform,
  actor: Actor,
  organizationId: number,
  items: CreateItem[],
  options: CreateOptions = {},
): Promise<Created[]> {
  const planned = await planCreates(platform, actor, organizationId, items, options)
  // The rows, their audit entries and their sessions in one statement: one round trip per batch.
  await executeTogether(platform.db, planned.statements)
  return planned.results
}

/**
 * What writeCreates does, short of writing: each item's result and the statements that write the
 * created ones, for a caller that sends them together with its own (the import, with its progress).
 * With `externalIdsChecked` and `ids` it reads nothing from the database.
 */
export async function planCreates(
  platform: Platform,
  actor: Actor,
  organizationId: number,
  items: CreateItem[],
  options: CreateOptions = {},
): Promise<{ results: Created[]; statements: (SQL | undefined)[] }> {
  if (!canEdit(actor, organizationId))
    return { results: items.map(() => ({ ok: false, error: 'forbidden' })), statements: [] }
  const prepared = items.map((i) => i.input)
  const externalIds = prepared.flatMap((p) =>
    p.ok && p.value.fields.externalId ? [p.value.fields.externalId] : [],
  )
  // The import has just looked these ids up in the same transaction; everyone else is checked here.
  const taken = new Map(
    options.externalIdsChecked
      ? []
      : (await repo.findByExternalIds(platform.db, actor.cityId, organizationId, externalIds)).map((o) => [
          o.externalId,
          o.id,
        ]),
  )
  const writes: { index: number; status: Status; prepared: Prepared }[] = []
  const seen = new Set<string>()
  const results = prepared.map((p, index): Created => {
    if (!p.ok) return p
    const externalId = p.value.fields.externalId
    if (externalId && (taken.has(externalId) || seen.has(externalId))) {
      const by = taken.get(externalId)
      return {
        ok: false,
        error: 'duplicate',
        fields: [
          {
            field: '/externalId',
            detail: by ? `Already used by opportunity ${by}` : 'Used twice in the same request',
          },
        ],
      }
    }
    if (externalId) seen.add(externalId)
    const status: Status = items[index]!.publish
      ? publishesWithoutReview(actor, organizationId)
        ? 'published'
        : 'submitted'
      : 'draft'
    writes.push({ index, status, prepared: p.value })
    return { ok: true, value: { id: 0, status } }
  })
  const ids = options.ids
    ? writes.map((w) => options.ids![w.index]!)
    : await repo.takeOpportunityIds(platform.db, writes.length)
  writes.forEach((w, i) => {
    results[w.index] = { ok: true, value: { id: ids[i]!, status: w.status } }
  })
  const statements = [
    repo.insertOpportunitiesStatement(
      actor.cityId,
      organizationId,
      writes.map((w, i) => ({ id: ids[i]!, status: w.status, fields: w.prepared.fields })),
      { isDemo: options.isDemo, deferSearchIndex: options.deferSearchIndex },
    ),
    repo.insertChangesStatement(
      writes.map((w, i) => ({
        ...by(actor),
        opportunityId: ids[i]!,
        action: w.status === 'draft' ? 'created' : `created-${w.status}`,
      })),
    ),
    repo.insertSessionsStatement(
      actor.cityId,
      writes.flatMap((w, i) =>
        w.status === 'published' ? [{ opportunityId: ids[i]!, occurrences: w.prepared.sessions }] : [],
      ),
    ),
  ]
  return { results, statements }
}

/** Who wrote an audit entry. */
const by = (actor: Actor) => ({ cityId: actor.cityId, actorUserId: actor.userId, actorLabel: actor.label })

/** Creates an opportunity for a provider (one item of writeCreates, in its own transaction). */
export async function createOpportunity(
  platform: Platform,
  actor: Actor,
  organizationId: number,
  raw: unknown,
  options: { publish?: boolean; isDemo?: boolean } = {},
): Promise<Created> {
  const [input] = await prepareOpportunities(platform, actor, [raw])
  const [result] = await inTransaction(platform, (tx) =>
    writeCreates(tx, actor, organizationId, [{ input: input!, publish: options.publish }], options),
  )
  return result!
}

export type Updated = Result<{ id: number; changed: string[] }, 'invalid' | 'forbidden' | 'not-found'>

/**
 * Replaces the content of many opportunities, recording which fields changed (published ones stay
 * published and their sessions follow the schedule). Unchanged items write nothing. Runs in the
 * caller's transaction and returns, beside the results, what to announce once it commits.
 */
export async function writeUpdates(
  platform: Platform,
  actor: Actor,
  items: { id: number; input: Checked }[],
  options: repo.SearchWrite = {},
): Promise<{ results: Updated[]; announcements: Announcement[] }> {
  if (items.length === 0) return { results: [], announcements: [] }
  const current = new Map(
    (
      await repo.findOpportunities(
        platform.db,
        actor.cityId,
        items.map((i) => i.id),
      )
    ).map((o) => [o.id, o]),
  )
  const writes: { id: number; prepared: Prepared; changes: ReturnType<typeof diff>; published: boolean }[] =
    []
  const results = items.map((item): Updated => {
    const row = current.get(item.id)
    if (!row) return { ok: false, error: 'not-found' }
    if (!canEdit(actor, row.organizationId)) return { ok: false, error: 'forbidden' }
    if (row.status === 'archived')
      return {
        ok: false,
        error: 'invalid',
        fields: [{ field: '/status', detail: 'Archived opportunities cannot be changed' }],
      }
    const p = item.input
    if (!p.ok) return p
    const changes = diff(
      row as unknown as Record<string, unknown>,
      p.value.fields as unknown as Record<string, unknown>,
    )
    if (Object.keys(changes).length > 0)
      writes.push({ id: item.id, prepared: p.value, changes, published: row.status === 'published' })
    return { ok: true, value: { id: item.id, changed: Object.keys(changes) } }
  })
  await repo.updateOpportunitiesFields(
    platform.db,
    actor.cityId,
    writes.map((w) => ({ id: w.id, fields: w.prepared.fields })),
    options,
  )
  await repo.insertChanges(
    platform.db,
    writes.map((w) => ({ ...by(actor), opportunityId: w.id, action: 'changed', diff: w.changes })),
  )
  const published = writes.filter((w) => w.published)
  await repo.syncSessionsMany(
    platform.db,
    actor.cityId,
    published.map((w) => ({ opportunityId: w.id, occurrences: w.prepared.sessions })),
    new Date(),
  )
  const announcements = published.flatMap((w) => {
    const fields = Object.keys(w.changes).filter((f) => NOTIFIED_FIELDS.has(f))
    return fields.length > 0 ? [{ cityId: actor.cityId, opportunityId: w.id, fields }] : []
  })
  return { results, announcements }
}

/** Replaces an opportunity's content; people booked on it are told when what they rely on changed. */
export async function updateOpportunity(
  platform: Platform,
  actor: Actor,
  id: number,
  raw: unknown,
): Promise<Updated> {
  const [input] = await prepareOpportunities(platform, actor, [raw])
  const { results, announcements } = await inTransaction(platform, (tx) =>
    writeUpdates(tx, actor, [{ id, input: input! }]),
  )
  await announce(platform, announcements)
  return results[0]!
}

/** Runs `work` with a platform whose database is one transaction (a savepoint inside another). */
export function inTransaction<T>(platform: Platform, work: (tx: Platform) => Promise<T>): Promise<T> {
  return platform.db.transaction((tx) => work({ ...platform, db: tx as unknown as Db }))
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
    ...by(actor),
    opportunityId: id,
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
    ...by(actor),
    opportunityId: id,
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
