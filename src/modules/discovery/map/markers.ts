/** The markers of a view as the page draws them and the island receives them: place, count, link, name. */
import type { Db } from '../../../platform/db/index.ts'
import { type T, translated } from '../../../platform/i18n/index.ts'
import type { Filters } from '../filters.ts'
import { type Cluster, placedFacts } from './clusters.ts'
import { markerAction } from './links.ts'
import { type Frame, project, type View } from './projection.ts'

export interface Marker {
  /** Place in map units (one decimal). */
  x: number
  y: number
  n: number
  /** The opportunity of a single marker. */
  id: number | null
  kind: 'open' | 'zoom' | 'list'
  href: string
  /** The link's accessible name: the title of a single one, the count and what following does. */
  label: string
  /** The language of the label (a title may be in another language than the page). */
  labelLang: string
  /** The markers' opportunities' extent, in degrees (west, south, east, north). */
  bbox: [number, number, number, number]
}

const oneDecimal = (v: number) => Math.round(v * 10) / 10

/** The markers of these clusters in this view, each with where it leads and its name. */
export async function markersOf(
  db: Db,
  context: { cityId: number; base: string; lang: string; fallbacks: string[]; t: T },
  filters: Filters,
  frame: Frame,
  view: View,
  clusters: Cluster[],
): Promise<Marker[]> {
  const { t, lang } = context
  const singles = clusters.flatMap((c) => (c.id === null ? [] : [c.id]))
  const facts = await placedFacts(db, context.cityId, singles)
  return clusters.map((cluster) => {
    const { x, y } = project(frame, cluster.lat, cluster.lon)
    const action = markerAction(context.base, filters, cluster, view)
    const title =
      cluster.id === null ? null : translated(facts.get(cluster.id)?.title, lang, context.fallbacks)
    return {
      x: oneDecimal(x),
      y: oneDecimal(y),
      n: cluster.n,
      id: cluster.id,
      kind: action.kind,
      href: action.href,
      label: title ? title.text : t(`discovery-map.marker.${action.kind}`, { n: cluster.n }),
      labelLang: title ? title.lang : lang,
      bbox: cluster.bbox,
    }
  })
}
