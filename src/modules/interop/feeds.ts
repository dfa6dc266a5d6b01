/**
 * Every open-data feed a city publishes, as the open data page lists them. Modules add theirs with
 * `addOpenDataFeed` (from interop's index.ts) in their own module file, before the app is built.
 */

/** The licence of everything the open data page lists, unless a feed says otherwise. */
export const OPEN_DATA_LICENSE = 'https://creativecommons.org/licenses/by/4.0/'

export interface OpenDataFeed {
  /** Unique, kebab-case, e.g. `rpde-opportunities`. */
  id: string
  /** The feed's address on this site for a city, starting with `/`, e.g. `/api/v1/cities/porto/feeds/venues`. */
  path: (citySlug: string) => string
  /** What a reader needs to know to use it, e.g. `RPDE 1.0`, `OpenActive RPDE`, `CSV`, `HSDS 3.0`. */
  format: string
  /** The media type it answers with. */
  mediaType: string
  /** Message keys (any module's catalogue) of its name and a one-sentence description. */
  titleKey: string
  descriptionKey: string
  /** Licence URL; OPEN_DATA_LICENSE when left out. */
  license?: string
  /** For OpenActive feeds: the kind of item, listed as a DataDownload on the dataset site. */
  openActiveKind?: string
  /** Where the format is specified, for people new to it. */
  specification?: string
}

const RPDE_SPEC = 'https://openactive.io/realtime-paged-data-exchange/'
const OPENACTIVE_SPEC = 'https://openactive.io/modelling-opportunity-data/'

/** The feeds, in the order the open data page lists them. */
export const openDataFeeds: OpenDataFeed[] = [
  ...(['opportunities', 'organizations', 'venues'] as const).map((feed) => ({
    id: `rpde-${feed}`,
    path: (city: string) => `/api/v1/cities/${city}/feeds/${feed}`,
    format: 'RPDE 1.0',
    mediaType: 'application/json',
    titleKey: `interop.feeds.${feed}.title`,
    descriptionKey: `interop.feeds.${feed}.description`,
    specification: RPDE_SPEC,
  })),
  ...(
    [
      ['session-series', 'SessionSeries'],
      ['scheduled-sessions', 'ScheduledSession'],
      ['course-instance', 'CourseInstance'],
    ] as const
  ).map(([feed, kind]) => ({
    id: `openactive-${feed}`,
    path: (city: string) => `/api/v1/cities/${city}/openactive/${feed}`,
    format: 'OpenActive RPDE',
    mediaType: 'application/json',
    titleKey: `interop.feeds.${feed}.title`,
    descriptionKey: `interop.feeds.${feed}.description`,
    openActiveKind: kind,
    specification: OPENACTIVE_SPEC,
  })),
  {
    id: 'export-csv',
    path: (city: string) => `/api/v1/cities/${city}/export/opportunities.csv`,
    format: 'CSV',
    mediaType: 'text/csv',
    titleKey: 'interop.feeds.export-csv.title',
    descriptionKey: 'interop.feeds.export-csv.description',
  },
  {
    id: 'export-json',
    path: (city: string) => `/api/v1/cities/${city}/export/opportunities.json`,
    format: 'JSON',
    mediaType: 'application/json',
    titleKey: 'interop.feeds.export-json.title',
    descriptionKey: 'interop.feeds.export-json.description',
  },
]

/** Adds a feed to every city's open data page (ids are unique: adding one twice replaces it). */
export function addOpenDataFeed(feed: OpenDataFeed): void {
  const at = openDataFeeds.findIndex((f) => f.id === feed.id)
  if (at >= 0) openDataFeeds[at] = feed
  else openDataFeeds.push(feed)
}
