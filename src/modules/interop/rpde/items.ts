/**
 * The `data` of our own RPDE feeds (opportunities, organizations, venues): plain JSON in the
 * catalogue's own words, every translation kept, documented in docs/open-data.md.
 */
import type { FeedContext } from '../openactive/model.ts'
import { opportunityUrl } from '../openactive/model.ts'
import type { OpportunitySource, OrganizationSource, VenueSource } from './sources.ts'

function providerUrl(ctx: FeedContext, slug: string | null): string {
  return `${ctx.origin}/${ctx.city.defaultLanguage}/${ctx.city.slug}/providers/${slug}`
}

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString()
}

export function opportunityData(ctx: FeedContext, o: OpportunitySource): Record<string, unknown> {
  return {
    id: o.id,
    url: opportunityUrl(ctx, o.id),
    status: o.status,
    title: o.title,
    description: o.description,
    outcomes: o.outcomes,
    buildingBlock: o.buildingBlock,
    topics: o.topics,
    ages: { min: o.ageMin, max: o.ageMax },
    groups: o.groups,
    languages: o.languages,
    format: o.format,
    place:
      o.format === 'online'
        ? null
        : {
            venueId: o.venueId,
            name: o.venueName,
            address: o.venueId !== null ? o.venueAddress : o.address,
            postalCode: o.venuePostalCode,
            lat: o.venueId !== null ? o.venueLat : o.lat,
            lon: o.venueId !== null ? o.venueLon : o.lon,
          },
    schedule: o.schedule,
    firstSession: iso(o.firstStart),
    lastSessionEnds: iso(o.lastEnd),
    sessions: o.sessionCount,
    cost: { free: o.free, price: o.price === null ? null : Number(o.price), currency: o.currency },
    accessibility: o.accessibility,
    accessibilityNote: o.accessibilityNote,
    capacity: o.capacity,
    image: o.imageUrl ? new URL(o.imageUrl, ctx.origin).toString() : null,
    organization: {
      id: o.organizationId,
      name: o.organizationName,
      url: providerUrl(ctx, o.organizationSlug),
    },
    publishedAt: iso(o.publishedAt),
    updatedAt: iso(o.updatedAt),
  }
}

export function organizationData(ctx: FeedContext, g: OrganizationSource): Record<string, unknown> {
  return {
    id: g.id,
    url: providerUrl(ctx, g.slug),
    name: g.name,
    description: g.description,
    sector: g.sector,
    website: g.website,
    logo: g.logoUrl ? new URL(g.logoUrl, ctx.origin).toString() : null,
    updatedAt: iso(g.updatedAt),
  }
}

export function venueData(_ctx: FeedContext, v: VenueSource): Record<string, unknown> {
  return {
    id: v.id,
    kind: v.kind,
    name: v.name,
    address: v.address,
    postalCode: v.postalCode,
    lat: v.lat,
    lon: v.lon,
    website: v.website,
    phone: v.phone,
    updatedAt: iso(v.updatedAt),
  }
}
