import { arrayOf, type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { Contribution } from './contribution-input.ts'
import type { ResourceContent, ResourceLink, ResourceStatus } from './model.ts'

/** A resource as the contribution and review pages need it. */
export interface ContributionRow extends ResourceContent {
  id: number
  cityId: number | null
  status: ResourceStatus
  submittedBy: number | null
  creditConsent: boolean
  creditName: string | null
  declineReason: string | null
  reviewNote: string | null
  createdAt: string
}

const COLUMNS = sql`r.id, r.city_id as "cityId", r.title, r.summary, r.links, r.type, r.publisher, r.year,
  r.languages, r.topics, r.status, r.submitted_by as "submittedBy", r.credit_consent as "creditConsent",
  r.credit_name as "creditName", r.decline_reason as "declineReason", r.review_note as "reviewNote",
  r.created_at as "createdAt"`

type Raw = Omit<ContributionRow, 'id' | 'cityId' | 'submittedBy'> & {
  id: number | string
  cityId: number | string | null
  submittedBy: number | string | null
}

function toRow(r: Raw): ContributionRow {
  return {
    ...r,
    id: Number(r.id),
    cityId: r.cityId === null ? null : Number(r.cityId),
    submittedBy: r.submittedBy === null ? null : Number(r.submittedBy),
    createdAt: new Date(r.createdAt).toISOString(),
  }
}

/** Stores a contribution waiting for review; returns its id. */
export async function insertSubmission(
  db: Db,
  cityId: number | null,
  userId: number,
  input: Contribution,
): Promise<number> {
  const links: ResourceLink[] = input.links.map((url) => ({ url, rel: 'self' }))
  const row = await firstRow<{ id: number | string }>(
    db,
    sql`insert into hub_resources (city_id, title, summary, links, type, publisher, year, languages, topics,
          status, submitted_by, credit_consent, credit_name)
        values (${cityId}, ${JSON.stringify({ [input.textLanguage]: input.title })}::jsonb,
          ${JSON.stringify({ [input.textLanguage]: input.summary })}::jsonb, ${JSON.stringify(links)}::jsonb,
          ${input.type}, ${input.publisher}, ${input.year}, ${arrayOf(input.languages, 'text')},
          ${arrayOf(input.topics, 'text')}, 'submitted', ${userId}, ${input.creditConsent}, ${input.creditName})
        returning id`,
  )
  return Number(row!.id)
}

/**
 * Published or waiting resources a city's readers can see (the city's and the network's) that might
 * be the same as a new one: a link on one of `hosts` (the caller compares normalised addresses), or a
 * title similar to `title` in any language (pg_trgm).
 */
export async function duplicateCandidates(
  db: Db,
  cityId: number,
  hosts: string[],
  title: string,
): Promise<(ContributionRow & { titleScore: number })[]> {
  const patterns = hosts.map((h) => `%${h.replace(/[\\%_]/g, '\\$&')}%`)
  const list = await rows<Raw & { titleScore: number }>(
    db,
    sql`select ${COLUMNS}, coalesce((select max(similarity(lower(t.value), lower(${title})))
          from jsonb_each_text(r.title) t), 0)::float8 as "titleScore"
        from hub_resources r
        where (r.city_id is null or r.city_id = ${cityId}) and r.status in ('published', 'submitted')
          and (exists (select 1 from jsonb_array_elements(r.links) l
                       where lower(l->>'url') like any(${arrayOf(patterns, 'text')}))
               or exists (select 1 from jsonb_each_text(r.title) t where similarity(lower(t.value), lower(${title})) >= 0.4))
        order by r.id limit 50`,
  )
  return list.map((r) => ({ ...toRow(r), titleScore: Number(r.titleScore) }))
}

/** One resource by id, whatever its status. */
export async function findContribution(db: Db, id: number): Promise<ContributionRow | undefined> {
  const row = await firstRow<Raw>(db, sql`select ${COLUMNS} from hub_resources r where r.id = ${id}`)
  return row ? toRow(row) : undefined
}

/** Contributions waiting for review: a city's, and the network's when `network` is true. */
export async function listSubmitted(db: Db, cityId: number, scopes: { city: boolean; network: boolean }) {
  const list = await rows<Raw>(
    db,
    sql`select ${COLUMNS} from hub_resources r
        where r.status = 'submitted'
          and ((${scopes.city} and r.city_id = ${cityId}) or (${scopes.network} and r.city_id is null))
        order by r.created_at, r.id`,
  )
  return list.map(toRow)
}

/** Fields a curator may change before publishing. */
export type ReviewEdits = ResourceContent

/** Publishes a waiting contribution (with a curator's edits); false when it is no longer waiting. */
export async function publishSubmission(
  db: Db,
  id: number,
  reviewerId: number,
  note: string | null,
  edits?: ReviewEdits,
): Promise<boolean> {
  const changes = edits
    ? sql`, title = ${JSON.stringify(edits.title)}::jsonb, summary = ${JSON.stringify(edits.summary)}::jsonb,
          links = ${JSON.stringify(edits.links)}::jsonb, type = ${edits.type}, publisher = ${edits.publisher},
          year = ${edits.year}, languages = ${arrayOf(edits.languages, 'text')},
          topics = ${arrayOf(edits.topics, 'text')}`
    : sql``
  const row = await firstRow<{ id: number | string }>(
    db,
    sql`update hub_resources set status = 'published', published_at = now(), reviewed_by = ${reviewerId},
          reviewed_at = now(), review_note = ${note}, updated_at = now() ${changes}
        where id = ${id} and status = 'submitted' returning id`,
  )
  return row !== undefined
}

/** Declines a waiting contribution with the reason the submitter is told; false when not waiting. */
export async function declineSubmission(db: Db, id: number, reviewerId: number, reason: string) {
  const row = await firstRow<{ id: number | string }>(
    db,
    sql`update hub_resources set status = 'declined', decline_reason = ${reason}, reviewed_by = ${reviewerId},
          reviewed_at = now(), updated_at = now()
        where id = ${id} and status = 'submitted' returning id`,
  )
  return row !== undefined
}

/** Who submitted a resource: the address and language their outcome email goes to. */
export function submitterOf(db: Db, userId: number) {
  return firstRow<{ email: string; language: string; displayName: string }>(
    db,
    sql`select email, language, display_name as "displayName" from users where id = ${userId}`,
  )
}
