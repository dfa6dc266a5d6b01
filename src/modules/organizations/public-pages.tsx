import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { jsonLdScript } from '../../platform/ui/json-ld.ts'
import { page } from '../../platform/ui/layout.tsx'
import { type AddressParts, currentCity, findVenue, postalAddress } from '../cities/index.ts'
import { accessOf } from './access.ts'
import type { OrganizationRow } from './repository.ts'
import * as repo from './repository.ts'
import { manageNav } from './views.tsx'

type C = Context<AppEnv>

const PUBLIC = ['approved', 'trusted'] as const

/** Approved and trusted providers of the city, with a way to register a new one. */
export async function providersListPage(c: C, platform: Platform) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const list = await repo.listOrganizationsByStatus(platform.db, city.id, PUBLIC)
  const named = list
    .map((o) => ({ org: o, name: translated(o.name, lang, [city.defaultLanguage]) }))
    .sort((a, b) => a.name.text.localeCompare(b.name.text, lang))
  return page(
    c,
    { title: t('organizations.list.title') },
    <>
      <h1>{t('organizations.list.title')}</h1>
      <p>{t('organizations.list.intro', { city: brand.name })}</p>
      <p>
        <a href={`/${lang}/${city.slug}/providers/new`}>{t('organizations.list.register')}</a>
      </p>
      {named.length === 0 ? (
        <p>{t('organizations.list.empty')}</p>
      ) : (
        <ul class="cards">
          {named.map(({ org, name }) => (
            <li class="card">
              <a href={`/${lang}/${city.slug}/providers/${org.slug}`} lang={name.lang} dir="auto">
                {name.text}
              </a>
              <p>{t(`organizations.sector.${org.sector}`)}</p>
            </li>
          ))}
        </ul>
      )}
    </>,
  )
}

/** schema.org Organization for a provider page. */
export function organizationJsonLd(
  org: OrganizationRow,
  text: { name: string; description: string },
  url: string,
  venues: ({ name: string; address: string } & Partial<AddressParts>)[],
): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    name: text.name,
    ...(text.description ? { description: text.description } : {}),
    url,
    ...(org.website ? { sameAs: org.website } : {}),
    ...(org.logoUrl ? { logo: new URL(org.logoUrl, new URL(url).origin).href } : {}),
    ...(org.contactEmail ? { email: org.contactEmail } : {}),
    ...(org.contactPhone ? { telephone: org.contactPhone } : {}),
    ...(venues.length > 0
      ? {
          location: venues.map((v) => ({
            '@type': 'Place',
            name: v.name,
            address: postalAddress(v),
          })),
        }
      : {}),
  }
}

/** A provider's public profile; pending and suspended ones only for their staff and coordinators. */
export async function providerPage(c: C, platform: Platform) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const org = await repo.findOrganization(platform.db, city.id, c.req.param('slug') ?? '')
  if (!org) return c.var.renderError(404)
  const access = await accessOf(c, platform, org.id)
  const isPublic = (PUBLIC as readonly string[]).includes(org.status)
  if (!isPublic && !access.coordinator && !access.role) return c.var.renderError(404)
  const fallbacks = [city.defaultLanguage]
  const name = translated(org.name, lang, fallbacks)
  const description = translated(org.description, lang, fallbacks)
  const venues = []
  for (const id of await repo.venueIdsOf(platform.db, city.id, org.id)) {
    const venue = await findVenue(platform.db, city.id, id)
    if (venue) venues.push({ ...venue, label: translated(venue.name, lang, fallbacks) })
  }
  const url = `${platform.config.publicUrl}/${lang}/${city.slug}/providers/${org.slug}`
  const jsonLd = organizationJsonLd(
    org,
    { name: name.text, description: description.text },
    url,
    venues.map((v) => ({ ...v, name: v.label.text })),
  )
  return page(
    c,
    { title: name.text, nav: access.manage ? manageNav(c, org.slug) : undefined },
    <>
      {isPublic && <script type="application/ld+json">{raw(jsonLdScript(jsonLd))}</script>}
      {access.role && (c.req.query('registered') === '1' || c.req.query('joined') === '1') && (
        <p class="notice" role="status">
          {t(
            c.req.query('registered') === '1'
              ? 'organizations.profile.registered'
              : 'organizations.profile.joined',
          )}
        </p>
      )}
      {!isPublic && (
        <p class="notice" role="status">
          {t(`organizations.profile.status.${org.status}`)}
        </p>
      )}
      {org.isDemo && <p class="notice">{t('organizations.profile.demo')}</p>}
      {org.logoUrl && (
        <img
          class="provider-logo"
          src={org.logoUrl}
          alt={name.text}
          lang={name.lang}
          width="120"
          height="120"
        />
      )}
      <h1 lang={name.lang} dir="auto">
        {name.text}
      </h1>
      {description.text && (
        <div lang={description.lang} dir="auto" class="prose">
          {description.text.split(/\n{2,}/).map((para) => (
            <p>{para}</p>
          ))}
        </div>
      )}
      <dl class="facts">
        <dt>{t('organizations.profile.sector')}</dt>
        <dd>{t(`organizations.sector.${org.sector}`)}</dd>
        {org.website && (
          <>
            <dt>{t('organizations.profile.website')}</dt>
            <dd dir="ltr">
              <a href={org.website} rel="noopener noreferrer">
                {org.website}
              </a>
            </dd>
          </>
        )}
        {(org.contactEmail || org.contactPhone) && (
          <>
            <dt>{t('organizations.profile.contact')}</dt>
            <dd dir="ltr">
              {org.contactEmail && <a href={`mailto:${org.contactEmail}`}>{org.contactEmail}</a>}
              {org.contactEmail && org.contactPhone && ' · '}
              {org.contactPhone && (
                <a href={`tel:${org.contactPhone.replace(/[^+0-9]/g, '')}`}>{org.contactPhone}</a>
              )}
            </dd>
          </>
        )}
      </dl>
      {venues.length > 0 && (
        <>
          <h2>{t('organizations.profile.venues')}</h2>
          <ul>
            {venues.map((v) => (
              <li>
                <span lang={v.label.lang}>{v.label.text}</span>, <span dir="auto">{v.address}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>,
  )
}
