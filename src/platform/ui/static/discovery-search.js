// The search page's island: with JavaScript, results follow the filters without a reload. The page
// works without it (the form is a plain GET form); this only fetches the same URL the form would
// open, swaps in its results and counts, keeps focus where the reader is, and announces the count.
;(() => {
  const form = document.getElementById('search-form')
  const results = document.getElementById('results')
  const status = document.getElementById('results-status')
  if (!form || !results || !status || !window.fetch || !window.DOMParser) return

  let latest = 0
  let typing = 0

  /** The form's query string without empty fields, as the server would canonicalise it. */
  const queryOf = () => {
    const params = new URLSearchParams()
    for (const [name, value] of new FormData(form)) {
      if (typeof value === 'string' && value.trim() !== '') params.append(name, value)
    }
    return params.toString()
  }

  /**
   * Copies the live counts beside the filters from a freshly rendered page. A page without counts
   * (a search too broad to count) clears them rather than showing zeros.
   */
  const updateCounts = (fresh) => {
    const counted = fresh.querySelector('[data-count]') !== null
    for (const count of form.querySelectorAll('[data-count]')) {
      const next = fresh.querySelector(`[data-count="${CSS.escape(count.dataset.count)}"]`)
      count.textContent = next ? next.textContent : counted ? ' (0)' : ''
    }
  }

  const load = async (url, options = {}) => {
    const mine = ++latest
    results.setAttribute('aria-busy', 'true')
    status.textContent = results.dataset.updating || ''
    try {
      const response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      const text = await response.text()
      if (mine !== latest) return
      const fresh = new DOMParser().parseFromString(text, 'text/html')
      const freshResults = fresh.getElementById('results')
      const freshErrors = fresh.getElementById('search-errors')
      if (!freshResults) throw new Error('no results in the page')
      results.innerHTML = freshResults.innerHTML
      const errors = document.getElementById('search-errors')
      if (errors && freshErrors) errors.innerHTML = freshErrors.innerHTML
      updateCounts(fresh)
      // The server may have rewritten the URL (a place becomes lat and lon): show the canonical one.
      const shown = response.redirected ? response.url : url
      if (options.push) history.pushState({ search: true }, '', shown)
      else history.replaceState({ search: true }, '', shown)
      const count = document.getElementById('results-count')
      status.textContent = count ? count.textContent : ''
      const summary = document.getElementById('error-summary')
      if (summary) summary.focus()
      else if (options.focusResults) document.getElementById('results-heading')?.focus()
    } catch {
      // Anything unexpected: let the browser do what it would without the island.
      window.location.assign(url)
    } finally {
      if (mine === latest) results.removeAttribute('aria-busy')
    }
  }

  const refresh = () => {
    const query = queryOf()
    load(`${form.action}${query ? `?${query}` : ''}`)
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    clearTimeout(typing)
    const query = queryOf()
    load(`${form.action}${query ? `?${query}` : ''}`, { push: true, focusResults: true })
  })
  form.addEventListener('change', (event) => {
    if (event.target.name === 'q') return
    clearTimeout(typing)
    refresh()
  })
  form.addEventListener('input', (event) => {
    if (event.target.name !== 'q') return
    clearTimeout(typing)
    typing = setTimeout(refresh, 450)
  })
  // Pages of results: fetched in place, focus moves to the results' heading.
  results.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-page]')
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return
    event.preventDefault()
    load(link.href, { push: true, focusResults: true })
  })
  window.addEventListener('popstate', () => window.location.reload())

  // "Use my location": only with JavaScript (the browser asks the reader first).
  const nearMe = form.querySelector('[data-near-me]')
  const near = form.querySelector('[data-near]')
  const nearStatus = form.querySelector('[data-near-status]')
  if (nearMe && near && navigator.geolocation) {
    nearMe.hidden = false
    nearMe.addEventListener('click', () => {
      nearStatus.textContent = nearMe.dataset.locating || ''
      navigator.geolocation.getCurrentPosition(
        (position) => {
          const round = (n) => Math.round(n * 1000) / 1000
          const value = `${round(position.coords.latitude)},${round(position.coords.longitude)}`
          let option = near.querySelector('option[data-here]')
          if (!option) {
            option = document.createElement('option')
            option.dataset.here = ''
            option.textContent = nearMe.dataset.here || nearMe.textContent
            near.insertBefore(option, near.options[1] || null)
          }
          option.value = value
          near.value = value
          nearStatus.textContent = ''
          refresh()
        },
        () => {
          nearStatus.textContent = nearMe.dataset.failed || ''
        },
        { maximumAge: 600000, timeout: 15000 },
      )
    })
  }
})()
