import { type SQL, sql } from 'drizzle-orm'
import { arrayOf, type Db, firstRow, rows } from '../../platform/db/index.ts'
import {
  type SearchMode,
  type SearchQuery,
  searchWithFallback,
  textSearch,
} from '../../platform/search/index.ts'
import type { LinkStatus, ResourceContent, ResourceStatus, ResourceType, Topic } from './model.ts'

export interface ResourceRow extends ResourceContent {
  id: number
  cityId: number | null
  parentId: number | null
  position: number | null
  status: ResourceStatus
  creditConsent: boolean
  creditName: string | null
  publishedAt: Date | null
  updatedAt: Date
  lastCheckedAt: Date | null
  linkStatus: LinkStatus
  linkError: string | null
}

const columns = sql`id::int as id, city_id::int as "cityId", title, summary, links, type, publisher, year,
  languages, topics, parent_id::int as "parentId", position, status, credit_consent as "creditConsent",
  credit_name as "creditName", published_at as "publishedAt", updated_at as "updatedAt",
  last_checked_at as "lastCheckedAt", link_status as "linkStatus", link_error as "linkError"`

/** Resources a city's hub shows: the network's and the city's own. */
const inScope = (cityId: number) => sql`(city_id is null or city_id = ${cityId})`

/** A resource as the seed (or an import) writes it. */
export interface NewResource extends ResourceContent {
  seedKey?: string
  cityId: number | null
  parentId?: number | null
  position?: number | null
  status: ResourceStatus
  /** When it was published (default now, when status is published). */
  publishedAt?: Date
}

/** Inserts a published or draft resource; with a seed key, does nothing when that key exists. */
export async function insertResource(db: Db, r: NewResource): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into hub_resources (seed_key, city_id, title, summary, links, type, publisher, year, languages,
                                   topics, parent_id, position, status, published_at)
        values (${r.seedKey ?? null}, ${r.cityId}, ${JSON.stringify(r.title)}::jsonb,
                ${JSON.stringify(r.summary)}::jsonb, ${JSON.stringify(r.links)}::jsonb, ${r.type}, ${r.publisher},
                ${r.year}, ${arrayOf(r.languages, 'text')}, ${arrayOf(r.topics, 'text')}, ${r.parentId ?? null},
                ${r.position ?? null}, ${r.status}, ${r.status === 'published' ? (r.publishedAt ?? sql`now()`) : null})
        on conflict (seed_key) do nothing returning id::int as id`,
  )
  return row?.id
}

/** Ids of seeded resources by their seed key. */
export async function seededIds(db: Db): Promise<Map<string, number>> {
  const found = await rows<{ key: string; id: number }>(
    db,
    sql`select seed_key as key, id::int as id from hub_resources where seed_key is not null`,
  )
  return new Map(found.map((r) => [r.key, r.id]))
}

/** What the browse page filters by; every filter is optional. */
export interface BrowseFilters {
  topic?: Topic
  type?: ResourceType
  /** A language code, or 'unknown' for resources whose languages are not known. */
  language?: string
  query?: SearchQuery
}

/**
 * How many resources each option of a filter would show, given the other active filters and the
 * search: `type.get('webinar')` is the total if someone picked that type. Languages are keyed by code,
 * plus 'unknown'; options with no resource are absent.
 */
export interface FacetCounts {
  topic: Map<string, number>
  type: Map<string, number>
  language: Map<string, number>
}

export interface BrowsePage {
  items: ResourceRow[]
  total: number
  /** How the query matched (full text or typo fallback); null without a query. */
  mode: SearchMode | null
  facets: FacetCounts
}

/** The condition of each browse filter on its own (true when that filter is not set). */
function filterParts(f: BrowseFilters) {
  const topic = f.topic ? sql`topics @> ${arrayOf([f.topic], 'text')}` : sql`true`
  const type = f.type ? sql`type = ${f.type}` : sql`true`
  const language =
    f.language === 'unknown'
      ? sql`cardinality(languages) = 0`
      : f.language
        ? sql`languages @> ${arrayOf([f.language], 'text')}`
        : sql`true`
  // Parts of a series are listed on their series' page, unless someone searches or picks a type.
  const parts = (typePicked: boolean) => (!f.query && !typePicked ? sql`parent_id is null` : sql`true`)
  return { topic, type, language, parts }
}

/**
 * The total of the current view and the facet counts of every filter, in one statement: the matching
 * resources of the scope once (a CTE), then one GROUP BY per filter, each applying the other filters
 * only. Picking a type brings parts of series into the list, so type counts include parts.
 */
async function countWithFacets(
  db: Db,
  cityId: number,
  f: BrowseFilters,
  match: SQL | null,
): Promise<{ total: number; facets: FacetCounts }> {
  const p = filterParts(f)
  const found = await rows<{ facet: string; value: string; n: number }>(
    db,
    sql`with base as (
          select type, topics, languages, parent_id from hub_resources
          where ${inScope(cityId)} and status = 'published' ${match ? sql`and ${match}` : sql``}
        )
        select 'total' as facet, '' as value, count(*)::int as n from base
          where ${p.topic} and ${p.type} and ${p.language} and ${p.parts(Boolean(f.type))}
        union all
        select 'type', type, count(*)::int from base
          where ${p.topic} and ${p.language} and ${p.parts(true)}
          group by type
        union all
        select 'topic', u.v, count(*)::int from base cross join unnest(topics) as u(v)
          where ${p.type} and ${p.language} and ${p.parts(Boolean(f.type))}
          group by u.v
        union all
        select 'language', u.v, count(*)::int
          from base cross join unnest(case when cardinality(languages) = 0 then array['unknown']::text[]
                                           else languages end) as u(v)
          where ${p.topic} and ${p.type} and ${p.parts(Boolean(f.type))}
          group by u.v`,
  )
  const facets: FacetCounts = { topic: new Map(), type: new Map(), language: new Map() }
  let total = 0
  for (const r of found) {
    if (r.facet === 'total') total = r.n
    else facets[r.facet as keyof FacetCounts].set(r.value, r.n)
  }
  return { total, facets }
}

/** One page of a city's published hub resources, filtered and (with a query) ranked by relevance. */
export async function browseResources(
  db: Db,
  cityId: number,
  filters: BrowseFilters,
  page: { limit: number; offset: number },
): Promise<BrowsePage> {
  const p = filterParts(filters)
  const where = [inScope(cityId), sql`status = 'published'`, p.topic, p.type, p.language]
  where.push(p.parts(Boolean(filters.type)))
  const run = async (match: SQL | null, rank: SQL | null) => {
    const all = sql.join(match ? [...where, match] : where, sql` and `)
    const { total, facets } = await countWithFacets(db, cityId, filters, match)
    const items =
      total === 0
        ? []
        : await rows<ResourceRow>(
            db,
            sql`select ${columns} from hub_resources where ${all}
                order by ${rank ? sql`${rank} desc,` : sql``} published_at desc, coalesce(parent_id, id),
                         position nulls first, id
                limit ${page.limit} offset ${page.offset}`,
          )
    return { items, total, facets }
  }
  if (!filters.query) return { ...(await run(null, null)), mode: null }
  const search = textSearch(sql.raw('search_document'), sql.raw('search_text'), filters.query)
  return searchWithFallback(search, (clause) => run(clause.where, clause.rank))
}

/** A resource a city's hub may show, or undefined; unpublished ones only when `anyStatus`. */
export function findResource(db: Db, cityId: number, id: number, options: { anyStatus?: boolean } = {}) {
  return firstRow<ResourceRow>(
    db,
    sql`select ${columns} from hub_resources where id = ${id} and ${inScope(cityId)}
        ${options.anyStatus ? sql`` : sql`and status = 'published'`}`,
  )
}

/** The published parts of a series or set, in order. */
export function listParts(db: Db, cityId: number, parentId: number) {
  return rows<ResourceRow>(
    db,
    sql`select ${columns} from hub_resources
        where parent_id = ${parentId} and status = 'published' and ${inScope(cityId)}
        order by position nulls last, id`,
  )
}

/** The most recently published resources of a city's hub, newest first (for feeds). */
export function listRecent(db: Db, cityId: number, limit: number) {
  return rows<ResourceRow>(
    db,
    sql`select ${columns} from hub_resources where ${inScope(cityId)} and status = 'published'
        order by published_at desc, id desc limit ${limit}`,
  )
}

type LinkCheckRow = Pick<ResourceRow, 'id' | 'links' | 'cityId' | 'title' | 'linkStatus'>
const linkCheckColumns = sql`id::int as id, links, city_id::int as "cityId", title, link_status as "linkStatus"`

/** Published resources whose links were checked longest ago (or never), for the link check. */
export function listDueForLinkCheck(db: Db, limit: number) {
  return rows<LinkCheckRow>(
    db,
    sql`select ${linkCheckColumns} from hub_resources where status = 'published'
        order by last_checked_at nulls first, id limit ${limit}`,
  )
}

/** These resources, if still published, for the link check's second look. */
export function listForLinkCheck(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return rows<LinkCheckRow>(
    db,
    sql`select ${linkCheckColumns} from hub_resources
        where status = 'published' and id = any(${arrayOf(ids, 'int8')}) order by id`,
  )
}

/** Records the outcome of checking a resource's links. */
export async function recordLinkCheck(db: Db, id: number, status: LinkStatus, error: string | null) {
  await db.execute(
    sql`update hub_resources set link_status = ${status}, link_error = ${error}, last_checked_at = now()
        where id = ${id}`,
  )
}

/** Published resources with broken links in one scope: a city's own, or the network's (null). */
export function listBroken(db: Db, cityId: number | null) {
  return rows<ResourceRow>(
    db,
    sql`select ${columns} from hub_resources
        where ${cityId === null ? sql`city_id is null` : sql`city_id = ${cityId}`}
          and status = 'published' and link_status = 'broken'
        order by last_checked_at desc, id`,
  )
}

/** How many published parts each of these resources has (only those with parts are in the map). */
export async function countParts(db: Db, cityId: number, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map()
  const found = await rows<{ id: number; n: number }>(
    db,
    sql`select parent_id::int as id, count(*)::int as n from hub_resources
        where parent_id = any(${arrayOf(ids, 'int8')}) and status = 'published' and ${inScope(cityId)}
        group by parent_id`,
  )
  return new Map(found.map((r) => [r.id, r.n]))
}
