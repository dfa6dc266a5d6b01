/**
 * The map view of a search: the city's districts with a marker per cluster of ALL its matches, the
 * same page of results as the list view beside it (so the page is whole without the map and without
 * JavaScript), and the island (static/discovery-map.js) that adds panning, zooming and a list in sync.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { translated } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { page } from '../../../platform/ui/layout.tsx'
import { type CityRow, currentCity, listDistricts } from '../../cities/index.ts'
import type { FilterProblem } from '../filters.ts'
import { listMatches, type Match, PAGE_SIZE } from '../matches.ts'
import { cityFrame, mapMatches, type PlacedFacts, placedFacts } from './clusters.ts'
import { listUrl, mapJsonUrl, mapUrl, parseMapRequest } from './links.ts'
import { type DistrictShape, MapSvg } from './map-svg.tsx'
import { markersOf } from './markers.ts'
import { districtPath, type Frame, viewOf, wholeView } from './projection.ts'

type C = Context<AppEnv>

const CACHE_MS = 5 * 60_000
const shapes = new Map<string, { at: number; shapes: DistrictShape[] }>()

/** The district outlines of a city in a language, simplified once and kept a few minutes. */
async function districtShapes(platform: Platform, city: CityRow, frame: Frame, lang: string) {
  const key = `${city.id}:${lang}`
  const cached = shapes.get(key)
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.shapes
  const districts = await listDistricts(platform.db, city.id)
  const made = districts.map((d) => {
    const name = translated(d.name, lang, [city.defaultLanguage])
    return { code: d.code, name: name.text, nameLang: name.lang, d: districtPath(frame, d.geometry, 0.4) }
  })
  shapes.set(key, { at: Date.now(), shapes: made })
  return made
}

/** The path of the search under a city: /{lang}/{city}/opportunities. */
export const searchBase = (c: C) => `/${c.var.lang}/${currentCity(c).slug}/opportunities`

/** The error page of a map whose parameters cannot be used: every problem at once, then a way on. */
export function problemsPage(c: C, problems: FilterProblem[]) {
  const { t, lang } = c.var
  return page(
    c,
    { title: t('discovery-map.error.title'), status: 400 },
    <>
      <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
        <h2 id="error-summary-title">{t('discovery-map.error.title')}</h2>
        <ul>
          {problems.map((p) => (
            <li>
              {lang !== 'en' && <>{t('discovery-map.error.param', { param: p.param })} </>}
              <span lang="en">{p.detail}</span>
            </li>
          ))}
        </ul>
      </div>
      <h1>{t('discovery-map.title')}</h1>
      <p>
        <a href={searchBase(c)}>{t('discovery-map.error.newSearch')}</a>
      </p>
    </>,
  )
}

/** One result of the list, with its place for the island (data-lat, data-lon). */
function ResultItem(props: {
  c: C
  match: Match
  facts: PlacedFacts | undefined
  when: Intl.DateTimeFormat
}) {
  const { c, match, facts, when } = props
  const { t, lang } = c.var
  const title = translated(facts?.title, lang, [currentCity(c).defaultLanguage])
  const details = [
    match.nextStart
      ? t('discovery-map.next', { date: when.format(match.nextStart) })
      : t('discovery-map.selfPaced'),
    facts?.format === 'online' ? t('discovery-map.online') : null,
  ].filter(Boolean)
  return (
    <li
      class="dmap-item"
      id={`dmap-item-${match.id}`}
      data-id={match.id}
      data-lat={facts?.lat ?? undefined}
      data-lon={facts?.lon ?? undefined}
    >
      <a href={`${searchBase(c)}/${match.id}`} lang={title.lang}>
        {title.text}
      </a>
      <p class="hint">{details.join(' · ')}</p>
    </li>
  )
}

/** GET /{lang}/{city}/opportunities/map */
export async function mapPage(c: C, platform: Platform) {
  const { t, lang } = c.var
  const parsed = parseMapRequest(new URL(c.req.url).searchParams)
  if (!parsed.ok) return problemsPage(c, parsed.problems)
  const { filters, bbox } = parsed
  const city = currentCity(c)
  const base = searchBase(c)
  const now = new Date()
  const [found, frame] = await Promise.all([
    listMatches(platform.db, city, filters, now, { lang }),
    cityFrame(platform.db, city.id),
  ])
  const facts = await placedFacts(
    platform.db,
    city.id,
    found.matches.map((m) => m.id),
  )
  const view = frame ? (bbox ? viewOf(frame, bbox) : wholeView(frame)) : null
  const map =
    frame && view
      ? await mapMatches(platform.db, city, filters, now, frame, view, found.corrected ?? filters.q)
      : null
  const markers =
    frame && view && map
      ? await markersOf(
          platform.db,
          { cityId: city.id, base, lang, fallbacks: [city.defaultLanguage], t },
          filters,
          frame,
          view,
          map.clusters,
        )
      : []
  const districts = frame ? await districtShapes(platform, city, frame, lang) : []
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  const n = new Intl.NumberFormat(lang)
  const first = (filters.page - 1) * PAGE_SIZE + 1
  const pageLink = (p: number) => mapUrl(base, { ...filters, page: p }, bbox ? view?.bbox : undefined)
  const unplaced = map?.counts.unplaced ?? 0
  return page(
    c,
    {
      title: t('discovery-map.title'),
      head: (
        <>
          <link rel="stylesheet" href="/static/discovery-map.css" />
          <script src="/static/discovery-map.js" defer nonce={c.var.secureHeadersNonce} />
        </>
      ),
    },
    <>
      <h1>{t('discovery-map.title')}</h1>
      {found.corrected && <p class="notice">{t('discovery-map.corrected', { words: found.corrected })}</p>}
      <p class="lead">
        {t('discovery-map.counts', { total: found.total })}{' '}
        {unplaced > 0 && t('discovery-map.unplaced', { n: unplaced })}
      </p>
      <p>
        <a href={listUrl(base, filters)}>{t('discovery-map.showList')}</a>
      </p>
      {frame && view && map ? (
        <div
          class="dmap"
          data-json={mapJsonUrl(base, filters)}
          data-min-lon={frame.minLon}
          data-max-lat={frame.maxLat}
          data-kx={frame.kx}
          data-scale={frame.scale}
          data-zoom={view.zoom}
          data-tiles={platform.config.mapTileUrl}
          data-label-zoom-in={t('discovery-map.zoomIn')}
          data-label-zoom-out={t('discovery-map.zoomOut')}
          data-label-whole={t('discovery-map.wholeCity')}
          data-label-controls={t('discovery-map.controls')}
          data-label-help={t('discovery-map.help')}
        >
          <a class="dmap-skip" href="#dmap-results">
            {t('discovery-map.skipMap')}
          </a>
          <MapSvg t={t} frame={frame} view={view} districts={districts} markers={markers} />
          <p class="dmap-status" aria-live="polite">
            {bbox && (
              <>
                {t('discovery-map.inView', { n: map.counts.inView })} {t('discovery-map.zoomed')}{' '}
                <a href={mapUrl(base, filters)}>{t('discovery-map.wholeCity')}</a>
              </>
            )}
          </p>
          {platform.config.mapTileAttribution && (
            <p class="hint dmap-attribution" hidden>
              {t('discovery-map.tiles', { attribution: platform.config.mapTileAttribution })}
            </p>
          )}
        </div>
      ) : (
        <p class="notice">{t('discovery-map.noMap')}</p>
      )}
      <h2 id="dmap-results" tabindex={-1}>
        {t('discovery-map.results')}
      </h2>
      {found.matches.length === 0 ? (
        <p>{t('discovery-map.noResults')}</p>
      ) : (
        <>
          <p class="hint">
            {t('discovery-map.resultsRange', {
              from: n.format(first),
              to: n.format(first + found.matches.length - 1),
              total: n.format(found.total),
            })}
          </p>
          <ol class="dmap-list" start={first}>
            {found.matches.map((m) => (
              <ResultItem c={c} match={m} facts={facts.get(m.id)} when={when} />
            ))}
          </ol>
        </>
      )}
      {found.total > PAGE_SIZE && (
        <nav aria-label={t('discovery-map.pages')}>
          <ul class="dmap-pages">
            {filters.page > 1 && (
              <li>
                <a href={pageLink(filters.page - 1)} rel="prev">
                  {t('discovery-map.previousPage')}
                </a>
              </li>
            )}
            {filters.page * PAGE_SIZE < found.total && (
              <li>
                <a href={pageLink(filters.page + 1)} rel="next">
                  {t('discovery-map.nextPage')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>,
  )
}
