/** The search form: the search box and every filter, one GET form that works without JavaScript. */
import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANGUAGE_NAMES } from '../../platform/i18n/index.ts'
import { currentCity } from '../cities/index.ts'
import { ACCESSIBILITY, BUILDING_BLOCKS, FORMATS } from '../opportunities/index.ts'
import { SECTORS } from '../organizations/index.ts'
import type { FacetCounts } from './facets.ts'
import { SORTS, TIMES_OF_DAY, WEEKDAYS, WHEN } from './filters.ts'
import { CheckboxFilter, given, optionsOf } from './search-controls.tsx'

type C = Context<AppEnv>

export function FiltersForm(props: {
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
          <button type="submit" class="button">
            {t('discovery.search.submit')}
          </button>
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
          <button type="submit" class="button">
            {t('discovery.filters.apply')}
          </button>{' '}
          <a href={`/${lang}/${city.slug}/opportunities`}>{t('discovery.filters.clear')}</a>
        </p>
      </form>
    </search>
  )
}
