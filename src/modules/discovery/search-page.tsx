/**
 * The search page, /{lang}/{city}/opportunities?{filters}: one search box and every filter in one GET
 * form (so it works without JavaScript and each view has a shareable URL), live counts beside the
 * filters, and a page of results with next session, distance, cost and places left. The island
 * (static/discovery-search.js) refreshes the results as filters change, without a reload.
 */
import type { Context } from 'hono'
import type { Db } from '../../platform/db/index.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import {
  LANG_PARAM,
  LANGUAGE_NAMES,
  type Lang,
  type TranslatedText,
  translated,
} from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ErrorSummary, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity, findVenue, listDistrictNames, searchVenues } from '../cities/index.ts'
import { ACCESSIBILITY, BUILDING_BLOCKS, FORMATS } from '../opportunities/index.ts'
import { SECTORS } from '../organizations/index.ts'
import type { FacetCounts } from './facets.ts'
import {
  type FilterProblem,
  type Filters,
  filtersQuery,
  parseFilters,
  SORTS,
  TIMES_OF_DAY,
  WEEKDAYS,
  WHEN,
} from './filters.ts'
import { type Facet, PAGE_SIZE } from './matches.ts'
import { activeFeatured } from './next/repository.ts'
import { type Result, type SearchAnswer, search } from './search.ts'

type C = Context<AppEnv>

export const SEARCH_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/opportunities`

/** The values a parameter carries as typed (repeated or comma-separated), to refill the form. */
function given(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

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

interface Option {
  value: string
  label: string
  lang?: string
}

/** A list filter as checkboxes, each with how many results picking it would show. */
function CheckboxFilter(props: {
  name: Facet | 'time' | 'day'
  legend: string
  options: Option[]
  selected: string[]
  counts?: Map<string, number>
  open?: boolean
}) {
  const { name, selected, counts } = props
  if (props.options.length === 0) return null
  const isOpen = props.open || selected.length > 0
  return (
    <details class="filter" open={isOpen}>
      <summary>{props.legend}</summary>
      <fieldset id={`filter-${name}`}>
        <legend class="visually-hidden">{props.legend}</legend>
        {props.options.map((o) => {
          const id = `${name}-${o.value}`
          const n = counts?.get(o.value) ?? 0
          return (
            <div class="field checkbox">
              <input
                id={id}
                name={name}
                type="checkbox"
                value={o.value}
                checked={selected.includes(o.value)}
              />
              <label for={id}>
                <span lang={o.lang}>{o.label}</span>
                {counts && (
                  <span class="count" data-count={id}>
                    {' '}
                    ({n})
                  </span>
                )}
              </label>
            </div>
          )
        })}
      </fieldset>
    </details>
  )
}

/** The options of a list: its fixed values, or those with results (and the ones picked) for open lists. */
function optionsOf(values: readonly string[], label: (v: string) => string): Option[] {
  return values.map((value) => ({ value, label: label(value) }))
}

function FiltersForm(props: {
  c: C
  params: URLSearchParams
  facets: FacetCounts | null
  districts: { code: string; name: string; lat: number; lon: number }[]
  /** A place typed that could not be found, to show again. */
  place: string
}) {
  const { c, params, facets } = props
  const { t, lang } = c.var
  const city = currentCity(c)
  const pick = (name: string) => given(params, name)
  const one = (name: string) => pick(name)[0] ?? ''
  const dayName = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' })
  const languageName = new Intl.DisplayNames([lang], { type: 'language' })
  const topics = [...new Set([...(facets?.topic.keys() ?? []), ...pick('topic').map((v) => v.toLowerCase())])]
  const districtCodes = new Set([
    ...(facets?.district.keys() ?? []),
    ...pick('district').map((v) => v.toLowerCase()),
  ])
  const when = one('when')
  const lat = one('lat')
  const lon = one('lon')
  const nearDistrict = props.districts.find((d) => String(d.lat) === lat && String(d.lon) === lon)
  const nearHere = lat !== '' && lon !== '' && !nearDistrict
  const freeCount = facets?.free.get('yes')
  return (
    <search>
      <form method="get" action={`/${lang}/${city.slug}/opportunities`} id="search-form">
        <div class="field search-box">
          <label for="q">{t('discovery.search.label')}</label>
          <p class="hint" id="q-hint">
            {t('discovery.search.hint')}
          </p>
          <input
            id="q"
            name="q"
            type="search"
            value={one('q')}
            maxlength={200}
            aria-describedby="q-hint"
            dir="auto"
          />
          <button type="submit" class="button">{t('discovery.search.submit')}</button>
        </div>
        <h2 class="visually-hidden">{t('discovery.filters.title')}</h2>
        <div class="filters">
          <details class="filter" open={when !== '' || one('from') !== '' || one('to') !== ''}>
            <summary>{t('discovery.filter.when')}</summary>
            <fieldset id="filter-when">
              <legend class="visually-hidden">{t('discovery.filter.when')}</legend>
              {['', ...WHEN].map((w) => (
                <div class="field radio">
                  <input id={`when-${w || 'any'}`} name="when" type="radio" value={w} checked={when === w} />
                  <label for={`when-${w || 'any'}`}>
                    {w ? t(`discovery.when.${w}`) : t('discovery.filter.when.any')}
                  </label>
                </div>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('discovery.filter.dates')}</legend>
              <div class="field">
                <label for="from">{t('discovery.filter.from')}</label>
                <input id="from" name="from" type="date" value={one('from')} />
              </div>
              <div class="field">
                <label for="to">{t('discovery.filter.to')}</label>
                <input id="to" name="to" type="date" value={one('to')} />
              </div>
            </fieldset>
          </details>
          <CheckboxFilter
            name="time"
            legend={t('discovery.filter.time')}
            options={optionsOf(TIMES_OF_DAY, (v) => t(`discovery.time.${v}`))}
            selected={pick('time')}
          />
          <CheckboxFilter
            name="day"
            legend={t('discovery.filter.day')}
            // 2024-01-01 was a Monday: day i of the week is 2024-01-0(1+i).
            options={WEEKDAYS.map((value, i) => ({
              value,
              label: dayName.format(new Date(Date.UTC(2024, 0, 1 + i))),
            }))}
            selected={pick('day')}
          />
          <details class="filter" open={pick('free').length > 0 || one('max_price') !== ''}>
            <summary>{t('discovery.filter.cost')}</summary>
            <div class="field checkbox">
              <input id="free" name="free" type="checkbox" value="yes" checked={one('free') === 'yes'} />
              <label for="free">
                {t('discovery.filter.free')}
                {facets && (
                  <span class="count" data-count="free">
                    {' '}
                    ({freeCount ?? 0})
                  </span>
                )}
              </label>
            </div>
            <div class="field">
              <label for="max_price">{t('discovery.filter.maxPrice')}</label>
              <input
                id="max_price"
                name="max_price"
                type="number"
                min="0"
                step="any"
                inputmode="decimal"
                value={one('max_price')}
              />
            </div>
          </details>
          <details class="filter" open={one('age') !== ''}>
            <summary>{t('discovery.filter.age')}</summary>
            <div class="field">
              <label for="age">{t('discovery.filter.age')}</label>
              <p class="hint" id="age-hint">
                {t('discovery.filter.age.hint')}
              </p>
              <input
                id="age"
                name="age"
                type="number"
                min="0"
                max="120"
                inputmode="numeric"
                value={one('age')}
                aria-describedby="age-hint"
              />
            </div>
          </details>
          <details class="filter" open={lat !== ''}>
            <summary>{t('discovery.filter.near')}</summary>
            <p class="hint" id="near-hint">
              {t('discovery.filter.near.hint')}
            </p>
            <div class="field">
              <label for="near">{t('discovery.filter.near.place')}</label>
              <select id="near" name="near" aria-describedby="near-hint" data-near>
                <option value="">{t('discovery.filter.near.none')}</option>
                {nearHere && (
                  <option value={`${lat},${lon}`} selected>
                    {t('discovery.filter.near.point')}
                  </option>
                )}
                {props.districts.map((d) => (
                  <option value={`${d.lat},${d.lon}`} selected={d === nearDistrict}>
                    {d.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="place">{t('discovery.filter.near.text')}</label>
              <p class="hint" id="place-hint">
                {t('discovery.filter.near.text.hint', { city: c.var.brand.name })}
              </p>
              <input
                id="place"
                name="place"
                type="text"
                maxlength={100}
                value={props.place}
                aria-describedby="place-hint"
                dir="auto"
              />
            </div>
            <p>
              <button
                type="button"
                class="button secondary"
                data-near-me
                data-locating={t('discovery.filter.near.locating')}
                data-failed={t('discovery.filter.near.failed')}
                data-here={t('discovery.filter.near.here')}
                hidden
              >
                {t('discovery.filter.near.me')}
              </button>
              <span data-near-status role="status" />
            </p>
            <div class="field">
              <label for="radius">{t('discovery.filter.radius')}</label>
              <input
                id="radius"
                name="radius"
                type="number"
                min="0.1"
                max="100"
                step="any"
                inputmode="decimal"
                value={one('radius')}
              />
            </div>
          </details>
          <CheckboxFilter
            name="district"
            legend={t('discovery.filter.district')}
            options={props.districts
              .filter((d) => districtCodes.has(d.code.toLowerCase()))
              .map((d) => ({ value: d.code.toLowerCase(), label: d.name }))}
            selected={pick('district').map((v) => v.toLowerCase())}
            counts={facets?.district}
          />
          <CheckboxFilter
            name="topic"
            legend={t('discovery.filter.topic')}
            options={topics.map((value) => ({ value, label: value }))}
            selected={pick('topic').map((v) => v.toLowerCase())}
            counts={facets?.topic}
          />
          <CheckboxFilter
            name="block"
            legend={t('discovery.filter.block')}
            options={optionsOf(BUILDING_BLOCKS, (v) => t(`opportunities.block.${v}`))}
            selected={pick('block')}
            counts={facets?.block}
          />
          <CheckboxFilter
            name="lang"
            legend={t('discovery.filter.lang')}
            options={Object.keys(LANGUAGE_NAMES).map((value) => ({
              value,
              label: languageName.of(value) ?? value,
            }))}
            selected={pick('lang')}
            counts={facets?.lang}
          />
          <CheckboxFilter
            name="format"
            legend={t('discovery.filter.format')}
            options={optionsOf(FORMATS, (v) => t(`opportunities.provide.format.${v}`))}
            selected={pick('format')}
            counts={facets?.format}
          />
          <CheckboxFilter
            name="access"
            legend={t('discovery.filter.access')}
            options={optionsOf(ACCESSIBILITY, (v) => t(`opportunities.access.${v}`))}
            selected={pick('access')}
            counts={facets?.access}
          />
          <CheckboxFilter
            name="sector"
            legend={t('discovery.filter.sector')}
            options={optionsOf(SECTORS, (v) => t(`organizations.sector.${v}`))}
            selected={pick('sector')}
            counts={facets?.sector}
          />
          <div class="field">
            <label for="sort">{t('discovery.sort.label')}</label>
            <select id="sort" name="sort">
              {SORTS.map((s) => (
                <option value={s === 'relevance' ? '' : s} selected={(one('sort') || 'relevance') === s}>
                  {t(`discovery.sort.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p class="form-actions">
          <button type="submit" class="button">{t('discovery.filters.apply')}</button>{' '}
          <a href={`/${lang}/${city.slug}/opportunities`}>{t('discovery.filters.clear')}</a>
        </p>
      </form>
    </search>
  )
}

function ResultCard(props: { c: C; result: Result; timeZone: string; fallback: string }) {
  const { c, result: r } = props
  const { t, lang } = c.var
  const city = currentCity(c)
  const title = translated(r.facts.title, lang, [props.fallback])
  const provider = translated(r.facts.organizationName, lang, [props.fallback])
  const when = new Intl.DateTimeFormat(lang, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: props.timeZone,
  })
  const price =
    r.facts.free || r.facts.price === null
      ? t('discovery.results.free')
      : new Intl.NumberFormat(lang, { style: 'currency', currency: r.facts.currency }).format(
          Number(r.facts.price),
        )
  const km = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 })
  return (
    <li class="card result">
      <h3>
        <a href={`/${lang}/${city.slug}/opportunities/${r.id}`} lang={title.lang} dir="auto">
          {title.text}
        </a>
      </h3>
      {title.lang !== lang && (
        <p class="language-label">
          {t('discovery.results.otherLanguage', {
            language: new Intl.DisplayNames([lang], { type: 'language' }).of(title.lang) ?? title.lang,
          })}
        </p>
      )}
      <p class="result-provider">
        <span lang={provider.lang}>{t('discovery.results.provider', { name: provider.text })}</span>
        {' · '}
        {t(`opportunities.block.${r.facts.buildingBlock}`)}
      </p>
      <dl class="result-facts">
        <div>
          <dt>{t('discovery.results.when')}</dt>
          <dd>
            {r.nextStart ? (
              <time datetime={r.nextStart.toISOString()}>{when.format(r.nextStart)}</time>
            ) : (
              t('discovery.results.noSession')
            )}
          </dd>
        </div>
        {r.distanceKm !== null && (
          <div>
            <dt>{t('discovery.results.distance')}</dt>
            <dd>{t('discovery.results.km', { km: km.format(r.distanceKm) })}</dd>
          </div>
        )}
        <div>
          <dt>{t('discovery.results.cost')}</dt>
          <dd>{price}</dd>
        </div>
        {r.seatsLeft !== null && (
          <div>
            <dt>{t('discovery.results.places')}</dt>
            <dd>{t('discovery.results.seatsLeft', { count: Math.max(0, r.seatsLeft) })}</dd>
          </div>
        )}
      </dl>
    </li>
  )
}

function Pagination(props: { c: C; filters: Filters; total: number; base: string }) {
  const { t } = props.c.var
  const pages = Math.max(1, Math.ceil(props.total / PAGE_SIZE))
  const current = props.filters.page
  if (pages <= 1 && current === 1) return null
  const href = (p: number) => {
    const query = filtersQuery({ ...props.filters, page: p })
    return query ? `${props.base}?${query}` : props.base
  }
  return (
    <nav aria-label={t('discovery.pages.label')} class="pagination">
      {current > 1 && (
        <a href={href(Math.min(current - 1, pages))} rel="prev" data-page>
          {t('discovery.pages.previous')}
        </a>
      )}
      <span>{t('discovery.pages.of', { page: current, pages })}</span>
      {current < pages && (
        <a href={href(current + 1)} rel="next" data-page>
          {t('discovery.pages.next')}
        </a>
      )}
    </nav>
  )
}

/** The results region: what the island swaps in when filters change. */
function Results(props: {
  c: C
  filters: Filters
  answer: SearchAnswer
  featured: { opportunityId: number; title: TranslatedText }[]
}) {
  const { c, filters, answer } = props
  const { t, lang } = c.var
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}/opportunities`
  const query = filtersQuery(filters, { page: false })
  const withQuery = (path: string) => (query ? `${path}?${query}` : path)
  return (
    <>
      {props.featured.length > 0 && (
        <section aria-labelledby="featured-heading" class="featured">
          <h2 id="featured-heading">{t('discovery.featured.title', { city: c.var.brand.name })}</h2>
          <ul>
            {props.featured.map((f) => {
              const title = translated(f.title, lang, [city.defaultLanguage])
              return (
                <li>
                  <a href={`${base}/${f.opportunityId}`} lang={title.lang} dir="auto">
                    {title.text}
                  </a>
                </li>
              )
            })}
          </ul>
        </section>
      )}
      <h2 id="results-heading" tabindex={-1}>
        <span id="results-count">{t('discovery.results.count', { count: answer.total })}</span>
      </h2>
      {answer.corrected && filters.q && (
        <p class="notice" id="corrected">
          {t('discovery.results.corrected', { original: filters.q, words: answer.corrected })}
        </p>
      )}
      {answer.results.length === 0 ? (
        <p>{t('discovery.results.empty')}</p>
      ) : (
        <ul class="cards results">
          {answer.results.map((r) => (
            <ResultCard c={c} result={r} timeZone={city.timeZone} fallback={city.defaultLanguage} />
          ))}
        </ul>
      )}
      <Pagination c={c} filters={filters} total={answer.total} base={base} />
      <p>
        <a href={withQuery(`${base}/map`)}>{t('discovery.views.map')}</a>
      </p>
      <section aria-labelledby="follow-heading" class="follow">
        <h2 id="follow-heading">{t('discovery.follow.title')}</h2>
        <ul>
          <li>
            <a href={withQuery(`${base}/calendar.ics`)}>{t('discovery.follow.calendar')}</a>
          </li>
          <li>
            <a href={withQuery(`${base}/feed.rss`)} type="application/rss+xml">
              {t('discovery.follow.rss')}
            </a>
          </li>
          <li>
            <a href={withQuery(`${base}/feed.atom`)} type="application/atom+xml">
              {t('discovery.follow.atom')}
            </a>
          </li>
        </ul>
        <h3>{t('discovery.save.title')}</h3>
        <p class="hint">{t('discovery.save.hint')}</p>
        <Form action={`/${lang}/${city.slug}/saved-searches`} csrf={c.var.csrfToken}>
          <input type="hidden" name="query" value={query} />
          <div class="field">
            <label for="save-name">{t('discovery.save.name')}</label>
            <input id="save-name" name="name" type="text" maxlength={100} dir="auto" />
          </div>
          <div class="field">
            <label for="save-frequency">{t('discovery.save.frequency')}</label>
            <select id="save-frequency" name="frequency">
              <option value="daily">{t('discovery.save.daily')}</option>
              <option value="weekly" selected>
                {t('discovery.save.weekly')}
              </option>
            </select>
          </div>
          <button type="submit" class="button secondary">
            {t('discovery.save.submit')}
          </button>
        </Form>
      </section>
    </>
  )
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
