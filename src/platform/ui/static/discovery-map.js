// The discovery map island: progressive enhancement of the server-rendered map of search results.
// Without it the page already works (markers are links, the list is beside the map). With it the
// map pans (drag, arrow keys), zooms (wheel, + and − buttons and keys), asks the server for the
// markers of each view (…/map.json, clustered there), keeps the list in step with what is in view
// and says so in a live region, and draws tiles under the districts when the site has a tile server.
;(() => {
  const root = document.querySelector('.dmap[data-json]')
  const svg = root?.querySelector('.dmap-svg')
  if (!root || !svg) return
  const SVG = 'http://www.w3.org/2000/svg'
  const MAX_ZOOM = 5
  const data = root.dataset
  const frame = {
    minLon: Number(data.minLon),
    maxLat: Number(data.maxLat),
    kx: Number(data.kx),
    scale: Number(data.scale),
    width: Number(svg.dataset.frameWidth),
    height: Number(svg.dataset.frameHeight),
  }
  const markersLayer = svg.querySelector('.dmap-markers')
  const tilesLayer = svg.querySelector('.dmap-tiles')
  const status = root.querySelector('.dmap-status')
  const items = [...document.querySelectorAll('.dmap-item')]

  const project = (lat, lon) => ({
    x: (lon - frame.minLon) * frame.kx * frame.scale,
    y: (frame.maxLat - lat) * frame.scale,
  })
  const unproject = (x, y) => ({
    lon: frame.minLon + x / (frame.kx * frame.scale),
    lat: frame.maxLat - y / frame.scale,
  })

  /** The view at a zoom around a centre, kept inside the frame (as projection.ts's viewAt). */
  function viewAt(zoom, cx, cy) {
    const z = Math.min(Math.max(Math.round(zoom), 0), MAX_ZOOM)
    const width = frame.width / 2 ** z
    const height = frame.height / 2 ** z
    const x = Math.min(Math.max(cx - width / 2, 0), frame.width - width)
    const y = Math.min(Math.max(cy - height / 2, 0), frame.height - height)
    return { zoom: z, x, y, width, height, cx: x + width / 2, cy: y + height / 2 }
  }
  const bboxOf = (v) => {
    const a = unproject(v.x, v.y)
    const b = unproject(v.x + v.width, v.y + v.height)
    return [a.lon, b.lat, b.lon, a.lat]
  }
  /** The deepest view that shows all of a rectangle in degrees. */
  function viewOf([west, south, east, north]) {
    const a = project(north, west)
    const b = project(south, east)
    const w = Math.max(b.x - a.x, 1e-9)
    const h = Math.max(b.y - a.y, 1e-9)
    const zoom = Math.floor(Math.min(Math.log2(frame.width / w), Math.log2(frame.height / h)) + 1e-6)
    return viewAt(zoom, (a.x + b.x) / 2, (a.y + b.y) / 2)
  }

  const box = svg.viewBox.baseVal
  let view = viewAt(Number(data.zoom) || 0, box.x + box.width / 2, box.y + box.height / 2)

  // Controls: real buttons with visible text and names from the page's messages.
  const controls = document.createElement('div')
  controls.className = 'dmap-controls'
  controls.setAttribute('role', 'group')
  controls.setAttribute('aria-label', data.labelControls || '')
  const button = (text, label, onClick) => {
    const b = document.createElement('button')
    b.type = 'button'
    b.textContent = text
    if (label) b.setAttribute('aria-label', label)
    b.addEventListener('click', onClick)
    controls.append(b)
    return b
  }
  const zoomInButton = button('+', data.labelZoomIn, () => show(viewAt(view.zoom + 1, view.cx, view.cy)))
  const zoomOutButton = button('−', data.labelZoomOut, () => show(viewAt(view.zoom - 1, view.cx, view.cy)))
  button(data.labelWhole || '', '', () => show(viewAt(0, frame.width / 2, frame.height / 2)))
  const help = document.createElement('p')
  help.className = 'hint'
  help.id = 'dmap-help'
  help.textContent = data.labelHelp || ''
  controls.append(help)
  svg.before(controls)
  svg.setAttribute('tabindex', '0')
  svg.setAttribute('aria-describedby', 'dmap-help')

  /** Map units per pixel on screen: the view keeps its shape, so the tighter side decides. */
  const unitsPerPixel = () => {
    const width = svg.clientWidth || 540
    return Math.max(view.width / width, view.height / (svg.clientHeight || width))
  }
  const radius = (n) => (n === 1 ? 12 : Math.min(22, 14 + String(n).length * 2)) * unitsPerPixel()

  function sizeMarkers() {
    for (const a of markersLayer.querySelectorAll('.dmap-marker')) {
      const r = radius(Number(a.dataset.n))
      a.querySelector('circle')?.setAttribute('r', r.toFixed(2))
      a.querySelector('text')?.setAttribute('font-size', r.toFixed(2))
    }
  }

  function drawMarkers(markers) {
    const links = markers.map((m) => {
      const a = document.createElementNS(SVG, 'a')
      a.setAttribute('href', m.href)
      a.setAttribute('class', `dmap-marker dmap-${m.kind}`)
      a.setAttribute('aria-label', m.label)
      a.setAttribute('lang', m.labelLang)
      a.dataset.n = String(m.n)
      a.dataset.bbox = m.bbox.join(',')
      if (m.id !== null) a.dataset.id = String(m.id)
      const circle = document.createElementNS(SVG, 'circle')
      circle.setAttribute('cx', m.x)
      circle.setAttribute('cy', m.y)
      a.append(circle)
      if (m.n > 1) {
        const text = document.createElementNS(SVG, 'text')
        text.setAttribute('x', m.x)
        text.setAttribute('y', m.y)
        text.setAttribute('dy', '.35em')
        text.textContent = String(m.n)
        a.append(text)
      }
      return a
    })
    markersLayer.replaceChildren(...links)
    sizeMarkers()
  }

  /** The list's items inside the view; at the whole city every item counts (online ones too). */
  const place = (item) =>
    item.dataset.lat === undefined ? null : project(Number(item.dataset.lat), Number(item.dataset.lon))
  const inView = (p, v) =>
    p !== null && p.x >= v.x && p.x <= v.x + v.width && p.y >= v.y && p.y <= v.y + v.height
  function filterList(v) {
    let listed = 0
    for (const item of items) {
      const p = place(item)
      const shown = v.zoom === 0 || inView(p, v)
      item.hidden = !shown
      if (shown && p !== null && inView(p, v)) listed++
    }
    return listed
  }

  // Tiles: only when the site names a tile server; otherwise nothing external is ever requested.
  const tileTemplate = data.tiles
  const tiles = new Map()
  function drawTiles(v) {
    if (!tileTemplate) return
    root.querySelector('.dmap-attribution')?.removeAttribute('hidden')
    const [west, south, east, north] = bboxOf(v)
    const px = view.width / unitsPerPixel()
    const z = Math.min(19, Math.max(0, Math.round(Math.log2((px * 360) / (256 * (east - west))))))
    const n = 2 ** z
    const tx = (lon) => Math.floor(((lon + 180) / 360) * n)
    const ty = (lat) => {
      const r = (lat * Math.PI) / 180
      return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
    }
    const lonOf = (x) => (x / n) * 360 - 180
    const latOf = (y) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI
    const wanted = new Set()
    for (let x = tx(west); x <= tx(east); x++)
      for (let y = ty(north); y <= ty(south); y++) {
        if (wanted.size >= 64) break
        const key = `${z}/${x}/${y}`
        wanted.add(key)
        if (tiles.has(key)) continue
        const a = project(latOf(y), lonOf(x))
        const b = project(latOf(y + 1), lonOf(x + 1))
        const image = document.createElementNS(SVG, 'image')
        image.setAttribute('x', a.x)
        image.setAttribute('y', a.y)
        image.setAttribute('width', b.x - a.x)
        image.setAttribute('height', b.y - a.y)
        image.setAttribute('preserveAspectRatio', 'none')
        image.setAttribute('href', tileTemplate.replace('{z}', z).replace('{x}', x).replace('{y}', y))
        tiles.set(key, image)
        tilesLayer.append(image)
      }
    for (const [key, image] of tiles)
      if (!wanted.has(key)) {
        image.remove()
        tiles.delete(key)
      }
  }

  let pending
  let timer
  /** Asks the server for the markers of the view, and says what is in view. */
  function refresh() {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      pending?.abort()
      pending = new AbortController()
      const listed = filterList(view)
      const url = `${data.json}${data.json.includes('?') ? '&' : '?'}bbox=${bboxOf(view)
        .map((c) => c.toFixed(5))
        .join(',')}&listed=${listed}`
      try {
        const response = await fetch(url, { signal: pending.signal, headers: { accept: 'application/json' } })
        if (!response.ok) return
        const body = await response.json()
        drawMarkers(body.markers)
        status.textContent = body.summary
      } catch (error) {
        if (error.name !== 'AbortError') status.textContent = ''
      }
    }, 200)
  }

  /** Shows a view: the viewBox, the tiles, the list, the address bar, then the markers. */
  function show(next, options = {}) {
    const changedZoom = next.zoom !== view.zoom
    view = next
    svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.width} ${view.height}`)
    zoomInButton.disabled = view.zoom >= MAX_ZOOM
    zoomOutButton.disabled = view.zoom <= 0
    if (changedZoom) sizeMarkers()
    drawTiles(view)
    filterList(view)
    if (options.live === false) return
    const address = new URL(location.href)
    if (view.zoom === 0) address.searchParams.delete('bbox')
    else
      address.searchParams.set(
        'bbox',
        bboxOf(view)
          .map((c) => c.toFixed(5))
          .join(','),
      )
    history.replaceState(null, '', address)
    refresh()
  }

  // Keyboard: arrows move a quarter of the view; + and − zoom; 0 or Home shows the whole city.
  svg.addEventListener('keydown', (event) => {
    if (event.target !== svg) return
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key]
    if (step)
      show(viewAt(view.zoom, view.cx + (step[0] * view.width) / 4, view.cy + (step[1] * view.height) / 4))
    else if (event.key === '+' || event.key === '=') show(viewAt(view.zoom + 1, view.cx, view.cy))
    else if (event.key === '-' || event.key === '_') show(viewAt(view.zoom - 1, view.cx, view.cy))
    else if (event.key === '0' || event.key === 'Home') show(viewAt(0, frame.width / 2, frame.height / 2))
    else return
    event.preventDefault()
  })

  /** A pointer's place in map units (through the SVG's own transform, letterboxing included). */
  const pointAt = (event) => {
    const matrix = svg.getScreenCTM()?.inverse()
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix)
    return { x: p.x, y: p.y }
  }

  svg.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault()
      const zoom = view.zoom + (event.deltaY < 0 ? 1 : -1)
      if (zoom < 0 || zoom > MAX_ZOOM) return
      // Keep the place under the pointer where it is.
      const p = pointAt(event)
      const k = event.deltaY < 0 ? 0.5 : 2
      show(viewAt(zoom, p.x + (view.cx - p.x) * k, p.y + (view.cy - p.y) * k))
    },
    { passive: false },
  )

  // Dragging pans; a drag that ends on a marker does not follow its link.
  let drag = null
  let dragged = false
  svg.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return
    drag = { x: event.clientX, y: event.clientY, view }
    dragged = false
  })
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return
    const dx = event.clientX - drag.x
    const dy = event.clientY - drag.y
    if (!dragged && Math.hypot(dx, dy) < 5) return
    if (!dragged) svg.setPointerCapture(event.pointerId)
    dragged = true
    const k = unitsPerPixel()
    show(viewAt(drag.view.zoom, drag.view.cx - dx * k, drag.view.cy - dy * k), { live: false })
  })
  const endDrag = () => {
    if (drag && dragged) show(view)
    drag = null
  }
  svg.addEventListener('pointerup', endDrag)
  svg.addEventListener('pointercancel', endDrag)

  // Following a "show more closely" marker zooms here instead of loading the page again.
  markersLayer.addEventListener('click', (event) => {
    const marker = event.target.closest('.dmap-marker')
    if (!marker) return
    if (dragged) {
      event.preventDefault()
      dragged = false
      return
    }
    if (!marker.classList.contains('dmap-zoom')) return
    event.preventDefault()
    const bbox = marker.dataset.bbox.split(',').map(Number)
    const next = viewOf(bbox)
    show(next.zoom > view.zoom ? next : viewAt(view.zoom + 1, next.cx, next.cy))
    svg.focus()
  })

  // The list and the markers point at each other: hovering or focusing one marks the other.
  const contains = (marker, item) => {
    if (marker.dataset.id) return marker.dataset.id === item.dataset.id
    if (item.dataset.lat === undefined) return false
    const [west, south, east, north] = marker.dataset.bbox.split(',').map(Number)
    const lat = Number(item.dataset.lat)
    const lon = Number(item.dataset.lon)
    return lon >= west && lon <= east && lat >= south && lat <= north
  }
  const clear = () => {
    for (const el of document.querySelectorAll('.dmap .is-active, .dmap-item.is-active'))
      el.classList.remove('is-active')
  }
  const fromMarker = (event) => {
    const marker = event.target.closest?.('.dmap-marker')
    if (!marker) return
    clear()
    marker.classList.add('is-active')
    for (const item of items) if (contains(marker, item)) item.classList.add('is-active')
  }
  const fromItem = (event) => {
    const item = event.target.closest?.('.dmap-item')
    if (!item) return
    clear()
    item.classList.add('is-active')
    for (const marker of markersLayer.querySelectorAll('.dmap-marker'))
      if (contains(marker, item)) marker.classList.add('is-active')
  }
  markersLayer.addEventListener('mouseover', fromMarker)
  markersLayer.addEventListener('focusin', fromMarker)
  markersLayer.addEventListener('mouseleave', clear)
  markersLayer.addEventListener('focusout', clear)
  const list = document.querySelector('.dmap-list')
  list?.addEventListener('mouseover', fromItem)
  list?.addEventListener('focusin', fromItem)
  list?.addEventListener('mouseleave', clear)
  list?.addEventListener('focusout', clear)

  window.addEventListener('resize', () => {
    sizeMarkers()
    drawTiles(view)
  })
  show(view, { live: false })
  sizeMarkers()
})()
