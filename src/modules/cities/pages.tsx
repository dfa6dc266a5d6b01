import type { Context } from 'hono'
import { svgPaths } from '../../platform/geo/index.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import {
  isLang,
  LANG_PARAM,
  LANGUAGE_NAMES,
  type TranslatedText,
  translated,
} from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ErrorSummary, Field, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { requireCityRole } from '../accounts/index.ts'
import { saveTheme } from './cities.ts'
import * as repo from './repository.ts'
import type { Theme } from './schema.ts'
import { cityScope, currentCity } from './scope.ts'

type C = Context<AppEnv>

async function networkPage(c: C, platform: Platform) {
  const { t, lang } = c.var
  const cities = await repo.listCities(platform.db)
  return page(
    c,
    { title: t('cities.network.title') },
    <>
      <h1>{t('cities.network.title')}</h1>
      <p class="lead">{t('cities.network.intro')}</p>
      <h2>{t('cities.network.cities')}</h2>
      <ul>
        {cities.map((city) => {
          const name = translated(city.name, lang, [city.defaultLanguage])
          return (
            <li>
              <a href={`/${lang}/${city.slug}`} lang={name.lang}>
                {name.text}
              </a>
            </li>
          )
        })}
      </ul>
    </>,
  )
}

async function cityHome(c: C, platform: Platform) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const totals = await repo.cityTotals(platform.db, city.id)
  const n = new Intl.NumberFormat(lang)
  return page(
    c,
    { title: brand.name },
    <>
      <h1 lang={brand.nameLang}>{brand.name}</h1>
      <p class="lead">{t('cities.home.lead')}</p>
      {city.slug === 'chicago' && <p class="notice">{t('cities.home.demoNotice')}</p>}
      <h2>{t('cities.home.facts')}</h2>
      <ul class="cards">
        <li class="card">
          <span class="stat">{n.format(totals?.districts ?? 0)}</span> {t('cities.home.districts')}
        </li>
        <li class="card">
          <span class="stat">{n.format(totals?.population ?? 0)}</span> {t('cities.home.population')}
        </li>
        <li class="card">
          <span class="stat">{n.format(totals?.venues ?? 0)}</span> {t('cities.home.venues')}
        </li>
      </ul>
      <p>
        <a href={`/${lang}/${city.slug}/districts`}>{t('cities.home.seeDistricts')}</a>
      </p>
    </>,
  )
}

async function districtsPage(c: C, platform: Platform) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const districts = await repo.listDistricts(platform.db, city.id)
  const counts = await repo.venueCountsByDistrict(platform.db, city.id)
  const count = (id: number, kind: string) =>
    counts.find((r) => r.districtId === id && r.kind === kind)?.n ?? 0
  const n = new Intl.NumberFormat(lang)
  const population = districts.reduce((sum, d) => sum + (d.population ?? 0), 0)
  const map = svgPaths(
    districts.map((d) => ({ key: d, geometry: d.geometry, bbox: d.bbox })),
    600,
  )
  return page(
    c,
    { title: t('cities.districts.title') },
    <>
      <h1>{t('cities.districts.title')}</h1>
      <p>{t('cities.districts.intro', { count: districts.length, population: n.format(population) })}</p>
      {/* A city that has not loaded its boundaries yet gets the (empty) table but no map. */}
      {districts.length > 0 && (
        /* biome-ignore lint/a11y/useSemanticElements: an SVG cannot be a fieldset; "group" lets it hold the district links */
        <svg
          class="district-map"
          viewBox={`0 0 600 ${map.height}`}
          role="group"
          aria-labelledby="district-map-title"
        >
          <title id="district-map-title">{t('cities.districts.map')}</title>
          {map.paths.map(({ key, d }) => {
            const name = translated(key.name, lang, [city.defaultLanguage]).text
            return (
              <a href={`#district-${key.code}`} aria-label={name}>
                <path d={d}>
                  <title>{name}</title>
                </path>
              </a>
            )
          })}
        </svg>
      )}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{t('cities.districts.title')}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                {t('cities.districts.code')}
              </th>
              <th scope="col">{t('cities.districts.name')}</th>
              <th scope="col" class="num">
                {t('cities.districts.population')}
              </th>
              <th scope="col" class="num">
                {t('cities.districts.libraries')}
              </th>
              <th scope="col" class="num">
                {t('cities.districts.schools')}
              </th>
            </tr>
          </thead>
          <tbody>
            {districts.map((d) => {
              const name = translated(d.name, lang, [city.defaultLanguage])
              return (
                <tr id={`district-${d.code}`}>
                  <td class="num">{d.code}</td>
                  <th scope="row" lang={name.lang}>
                    {name.text}
                  </th>
                  <td class="num">{d.population === null ? '—' : n.format(d.population)}</td>
                  <td class="num">{n.format(count(d.id, 'library'))}</td>
                  <td class="num">{n.format(count(d.id, 'school'))}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </>,
  )
}

async function aboutPage(c: C, platform: Platform) {
  const { t, lang } = c.var
  const cities = await repo.listCities(platform.db)
  return page(
    c,
    { title: t('cities.about.title') },
    <>
      <h1>{t('cities.about.title')}</h1>
      <p>{t('cities.about.intro')}</p>
      <h2>{t('cities.about.dataCredits')}</h2>
      {cities.some((city) => city.slug === 'chicago') && <p>{t('cities.about.chicagoSources')}</p>}
      {cities.map((city) => {
        const credits = translated(city.credits, lang, [city.defaultLanguage])
        return credits.text ? (
          <blockquote lang={credits.lang}>
            <p>{credits.text}</p>
          </blockquote>
        ) : null
      })}
    </>,
  )
}

function themePage(c: C, theme: Theme, name: TranslatedText, errors: FormError[], saved = false) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const slug = c.var.tenant!.slug
  return page(
    c,
    { title: t('cities.theme.title'), status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      {saved && (
        <p class="notice" role="status">
          {t('cities.theme.saved')}
        </p>
      )}
      <h1>{t('cities.theme.title')}</h1>
      <p>{t('cities.theme.intro')}</p>
      <Form action={`/${lang}/${slug}/admin/theme`} csrf={csrfToken} novalidate>
        {c.var.tenant!.languages.filter(isLang).map((l) => (
          <Field
            name={`name_${l}`}
            label={t('cities.theme.name', { language: LANGUAGE_NAMES[l] })}
            value={name[l] ?? ''}
            errors={errors}
            dir="auto"
          />
        ))}
        {(['primary', 'primaryText', 'background', 'text'] as const).map((key) => (
          <Field
            name={key}
            type="text"
            label={t(`cities.theme.${key}`)}
            value={theme[key]}
            errors={errors}
            dir="ltr"
          />
        ))}
        <Field
          name="logoUrl"
          type="text"
          label={t('cities.theme.logoUrl')}
          hint={t('cities.theme.logoHint')}
          value={theme.logoUrl ?? ''}
          errors={errors}
          dir="ltr"
        />
        <button type="submit" class="button">
          {t('cities.theme.save')}
        </button>
      </Form>
    </>,
  )
}

export function cityPages(app: App, platform: Platform): void {
  app.get('/', async (c) => {
    const cities = await repo.listCities(platform.db)
    const only = cities.length === 1 ? cities[0] : undefined
    return c.redirect(only ? `/${c.var.lang}/${only.slug}` : `/${c.var.lang}`, 302)
  })
  app.get(`/${LANG_PARAM}`, (c) => networkPage(c, platform))
  app.get(`/${LANG_PARAM}/about`, (c) => aboutPage(c, platform))

  const city = `/${LANG_PARAM}/:city{[a-z0-9-]+}`
  app.use(city, cityScope(platform))
  app.use(`${city}/*`, cityScope(platform))
  app.get(city, (c) => cityHome(c, platform))
  app.get(`${city}/districts`, (c) => districtsPage(c, platform))

  const coordinator = requireCityRole(platform, 'coordinator')
  app.get(`${city}/admin/theme`, coordinator, (c) =>
    themePage(c, currentCity(c).theme, currentCity(c).name, [], c.req.query('saved') === '1'),
  )
  app.post(`${city}/admin/theme`, coordinator, async (c) => {
    const body = await c.req.parseBody()
    const value = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '')
    const theme: Theme = {
      primary: value('primary'),
      primaryText: value('primaryText'),
      background: value('background'),
      text: value('text'),
      ...(value('logoUrl') ? { logoUrl: value('logoUrl') } : {}),
    }
    const name = Object.fromEntries(c.var.tenant!.languages.map((l) => [l, value(`name_${l}`)]))
    const result = await saveTheme(platform, c.var.tenant!.id, theme, name)
    if (!result.ok) {
      const errors = result.fields.map((f) => ({
        field: f.field,
        message: c.var.t(`cities.${f.key}`, f.values),
      }))
      return themePage(c, theme, name, errors)
    }
    return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/admin/theme?saved=1`, 303)
  })
}
