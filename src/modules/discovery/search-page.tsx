/**
 * The search page, /{lang}/{city}/opportunities?{filters}: one search box and every filter in one GET
 * form (so it works without JavaScript and each view has a shareable URL), live counts beside the
 * filters, and a page of results with next session, distance, cost and places left. The island
 * (static/discovery-search.js) refreshes the results as filters change, without a reload.
 */
import type { Context } from 'hono'
import type { Db } from '../../platform/db/index.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANG_PARAM, type Lang, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ErrorSummary, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity, findVenue, listDistrictNames, searchVenues } from '../cities/index.ts'
import { type FilterProblem, filtersQuery, parseFilters } from './filters.ts'
import { activeFeatured } from './next/repository.ts'
import { search } from './search.ts'
import { FiltersForm } from './search-form.tsx'
import { Results } from './search-results.tsx'

type C = Context<AppEnv>

export const SEARCH_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/opportunities`

/** Where each parameter's control is, for the error summary's links. */
const CONTROL_OF: Record<string, string> = {
  q: 'q',
  age: 'age',
  max_price: 'max_price',
  lat: 'near',
  lon: 'near',
  radius: 'radius',
  from: 'from',
  to: 'to',
  sort: 'sort',
  when: 'when-any',
  free: 'free',
}

/** The form's labels of each parameter, to name it in the error summary. */
function labelOf(c: C, param: string): string {
  const { t } = c.var
  const keys: Record<string, string> = {
    q: 'discovery.search.label',
    block: 'discovery.filter.block',
    topic: 'discovery.filter.topic',
    age: 'discovery.filter.age',
    free: 'discovery.filter.free',
    max_price: 'discovery.filter.maxPrice',
    lang: 'discovery.filter.lang',
    format: 'discovery.filter.format',
    access: 'discovery.filter.access',
    district: 'discovery.filter.district',
    lat: 'discovery.filter.near',
    lon: 'discovery.filter.near',
    near: 'discovery.filter.near',
    radius: 'discovery.filter.radius',
    when: 'discovery.filter.when',
    from: 'discovery.filter.from',
    to: 'discovery.filter.to',
    time: 'discovery.filter.time',
    day: 'discovery.filter.day',
    sector: 'discovery.filter.sector',
    sort: 'discovery.sort.label',
    page: 'discovery.pages.label',
  }
  return t(keys[param] ?? 'discovery.filters.title')
}

function errorsOf(c: C, problems: FilterProblem[]): FormError[] {
  const seen = new Set<string>()
  return problems.flatMap((p) => {
    const field = CONTROL_OF[p.param] ?? `filter-${p.param}`
    if (seen.has(field)) return []
    seen.add(field)
    return [{ field, message: c.var.t('discovery.errors.value', { field: labelOf(c, p.param) }) }]
  })
}

/**
 * The form's own `near` select carries "lat,lon" (a district's middle or where the reader is); the
 * filters take lat and lon. Turned into them here so the canonical URL has one spelling.
 */
function withNear(params: URLSearchParams): URLSearchParams {
  const near = params.get('near')
  if (near === null) return params
  const out = new URLSearchParams(params)
  out.delete('near')
  const parts = near.split(',')
  if (near.trim() === '') {
    // "Anywhere" needs no radius, unless a place is typed instead.
    if (!params.get('place')?.trim()) out.delete('radius')
  } else if (parts.length === 2) {
    out.set('lat', parts[0]!)
    out.set('lon', parts[1]!)
  } else out.set('lat', near)
  return out
}

/**
 * The place a resident typed, found among the city's venues (libraries, schools, community places)
 * by name, address or district, every word matching: there is no outside geocoder to ask.
 */
async function placeNamed(db: Db, cityId: number, text: string) {
  const words = text
    .split(/[\s,]+/)
    .filter((w) => w.length > 0)
    .slice(0, 8)
  if (words.length === 0) return undefined
  const first = (await searchVenues(db, cityId, { words })).find((v) => v.matched)
  return first ? findVenue(db, cityId, first.id) : undefined
}

async function searchPage(c: C, platform: Platform) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const url = new URL(c.req.url)
  let params = withNear(url.searchParams)
  const typed = url.searchParams.get('place')?.trim().slice(0, 100) ?? ''
  const place = typed ? await placeNamed(platform.db, city.id, typed) : undefined
  if (place) {
    params = new URLSearchParams(params)
    params.set('lat', String(place.lat))
    params.set('lon', String(place.lon))
  }
  if (url.searchParams.has('near') || place) {
    // One URL per view: the form's spelling of a place becomes the canonical lat and lon.
    const parsed = parseFilters(params)
    if (parsed.ok) {
      const query = filtersQuery(parsed.filters)
      return c.redirect(`${url.pathname}${query ? `?${query}` : ''}`, 303)
    }
  }
  const parsed = parseFilters(params)
  const places = (await listDistrictNames(platform.db, city.id)).map((d) => {
    const [west = 0, south = 0, east = 0, north = 0] = d.bbox
    const round = (n: number) => Math.round(n * 10_000) / 10_000
    return {
      code: d.code,
      name: translated(d.name, lang, [city.defaultLanguage]).text,
      lat: round((south + north) / 2),
      lon: round((west + east) / 2),
    }
  })
  places.sort((a, b) => a.name.localeCompare(b.name, lang))
  const answer = parsed.ok
    ? await search(platform.db, city, parsed.filters, new Date(), { lang: lang as Lang })
    : null
  // The city's featured opportunities head the plain view (no words, no filters), not a search.
  const featured =
    parsed.ok && filtersQuery(parsed.filters) === ''
      ? await activeFeatured(platform.db, city.id, new Date(), 6)
      : []
  const errors = [
    ...(parsed.ok ? [] : errorsOf(c, parsed.problems)),
    ...(typed && !place ? [{ field: 'place', message: t('discovery.errors.place', { place: typed }) }] : []),
  ]
  const base = `/${lang}/${city.slug}/opportunities`
  const feedQuery = parsed.ok ? filtersQuery(parsed.filters, { page: false }) : ''
  const feed = (name: string) => `${base}/${name}${feedQuery ? `?${feedQuery}` : ''}`
  return page(
    c,
    {
      title: t('discovery.title'),
      status: errors.length === 0 ? 200 : 400,
      head: (
        <>
          <link
            rel="alternate"
            type="application/atom+xml"
            href={feed('feed.atom')}
            title={t('discovery.follow.atom')}
          />
          <link
            rel="alternate"
            type="application/rss+xml"
            href={feed('feed.rss')}
            title={t('discovery.follow.rss')}
          />
          <script src="/static/discovery-search.js" defer />
        </>
      ),
    },
    <>
      <h1>{t('discovery.title')}</h1>
      <p>{t('discovery.intro', { city: brand.name })}</p>
      <div id="search-errors">{errors.length > 0 && <ErrorSummary errors={errors} t={t} />}</div>
      <div class="search-layout">
        <FiltersForm
          c={c}
          params={params}
          facets={answer?.facets ?? null}
          districts={places}
          place={place ? '' : typed}
        />
        <section
          id="results"
          aria-labelledby="results-heading"
          data-updating={t('discovery.results.updating')}
        >
          {answer && parsed.ok && (
            <Results c={c} filters={parsed.filters} answer={answer} featured={featured} />
          )}
        </section>
      </div>
      <p id="results-status" class="visually-hidden" role="status" aria-live="polite" />
    </>,
  )
}

export function searchPages(app: App, platform: Platform): void {
  // The city scope comes from the opportunities module, which serves this path's subpages.
  app.get(SEARCH_ROUTE, (c) => searchPage(c, platform))
}
