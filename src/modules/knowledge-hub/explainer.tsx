import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { App, Platform } from '../../platform/module.ts'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import { BUILDING_BLOCKS } from '../opportunities/index.ts'
import { HUB_ROUTE } from './hub-route.ts'
import { ACTION_AREAS } from './model.ts'
import { hubPath } from './paths.ts'

type C = Context<AppEnv>

const BENEFITS = ['empowerment-cohesion', 'economy-culture', 'sustainable-development'] as const

/** "What is a learning city?": UNESCO's definition, its wider benefits and the six action areas, in our words. */
function explainerPage(c: C) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const hub = hubPath(lang, city.slug)
  const k = (key: string) => `knowledge-hub.explainer.${key}`
  return page(
    c,
    { title: t(k('title')) },
    <>
      <h1>{t(k('title'))}</h1>
      <p class="lead">{t(k('intro'))}</p>
      <h2>{t(k('functionsTitle'))}</h2>
      <p>{t(k('functionsLead'))}</p>
      <ol>
        {BUILDING_BLOCKS.map((block) => (
          <li>
            <a href={`${hub}?topic=${block}`}>{t(k(`function.${block}`))}</a>
          </li>
        ))}
      </ol>
      <h2>{t(k('benefitsTitle'))}</h2>
      <p>{t(k('benefitsLead'))}</p>
      <ul>
        {BENEFITS.map((b) => (
          <li>{t(k(`benefit.${b}`))}</li>
        ))}
      </ul>
      <h2>{t(k('areasTitle'))}</h2>
      <p>{t(k('areasLead'))}</p>
      <dl class="facts">
        {ACTION_AREAS.map((area) => (
          <>
            <dt>
              <a href={`${hub}?topic=${area}`}>{t(`knowledge-hub.topic.${area}`)}</a>
            </dt>
            <dd>{t(k(`area.${area}`))}</dd>
          </>
        ))}
      </dl>
      <h2>{t(k('nextTitle'))}</h2>
      <ul>
        <li>
          <a href={hub}>{t(k('linkHub'))}</a>
        </li>
        <li>
          <a href={`/${lang}/${city.slug}/opportunities`}>{t(k('linkCatalogue'), { city: brand.name })}</a>
        </li>
        <li>
          <a href={`/${lang}/${city.slug}/providers`}>{t(k('linkProviders'), { city: brand.name })}</a>
        </li>
        <li>
          {/* The city's districts page (map and table) is its dashboard until monitoring brings one. */}
          <a href={`/${lang}/${city.slug}/districts`}>{t(k('linkDashboard'), { city: brand.name })}</a>
        </li>
      </ul>
      <p class="hint">{t(k('source'))}</p>
    </>,
  )
}

export function explainerPages(app: App, _platform: Platform): void {
  app.get(`${HUB_ROUTE}/what-is-a-learning-city`, (c) => explainerPage(c))
}
