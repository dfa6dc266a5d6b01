/** The server-rendered map: districts and markers in one SVG that works without JavaScript. */
import type { T } from '../../../platform/i18n/index.ts'
import type { Marker } from './markers.ts'
import { FRAME_WIDTH, type Frame, type View } from './projection.ts'

export interface DistrictShape {
  code: string
  name: string
  nameLang: string
  d: string
}

/**
 * Marker sizes in map units for a view, assuming the view's longer side shows at about 540 px
 * (the map is at most 75 % of the window high; the island recomputes them for the real size):
 * 24 px across for one opportunity, more for a number.
 */
export function markerRadius(view: View, n: number, pixels = 540): number {
  const unitsPerPixel = Math.max(view.box.width, view.box.height) / pixels
  const px = n === 1 ? 12 : Math.min(22, 14 + String(n).length * 2)
  return Math.round(px * unitsPerPixel * 10) / 10
}

/** One marker: a link around a circle (and its count), named for what following it does. */
function MarkerLink(props: { marker: Marker; view: View }) {
  const { marker, view } = props
  const r = markerRadius(view, marker.n)
  return (
    <a
      href={marker.href}
      class={`dmap-marker dmap-${marker.kind}`}
      aria-label={marker.label}
      lang={marker.labelLang}
      data-id={marker.id ?? undefined}
      data-n={marker.n}
      data-bbox={marker.bbox.join(',')}
    >
      <circle cx={marker.x} cy={marker.y} r={r} />
      {marker.n > 1 && (
        <text x={marker.x} y={marker.y} dy=".35em" font-size={r}>
          {marker.n}
        </text>
      )}
    </a>
  )
}

/** The districts and markers of a view; the island takes it over (viewBox, markers, tiles). */
export function MapSvg(props: {
  t: T
  frame: Frame
  view: View
  districts: DistrictShape[]
  markers: Marker[]
}) {
  const { t, frame, view, districts, markers } = props
  const { x, y, width, height } = view.box
  return (
    /* biome-ignore lint/a11y/useSemanticElements: an SVG cannot be a fieldset; "group" lets it hold the marker links */
    <svg
      class="dmap-svg"
      viewBox={`${x.toFixed(1)} ${y.toFixed(1)} ${width.toFixed(1)} ${height.toFixed(1)}`}
      role="group"
      aria-labelledby="dmap-title"
      data-frame-width={FRAME_WIDTH}
      data-frame-height={frame.height}
    >
      <title id="dmap-title">{t('discovery-map.mapLabel')}</title>
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> of background tile images is not focusable */}
      <g class="dmap-tiles" aria-hidden="true" />
      <g class="dmap-districts">
        {districts.map((d) => (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <path> is not interactive; role img names it
          <path d={d.d} role="img" aria-label={d.name} lang={d.nameLang} data-code={d.code}>
            <title>{d.name}</title>
          </path>
        ))}
      </g>
      <g class="dmap-markers">
        {markers.map((m) => (
          <MarkerLink marker={m} view={view} />
        ))}
      </g>
    </svg>
  )
}
