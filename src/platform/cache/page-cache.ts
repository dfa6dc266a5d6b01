/**
 * A bounded in-memory cache of rendered HTML, for pages that are the same for every reader except
 * for a few per-request values (the CSP nonce, the CSRF token): those are cut out of the stored
 * page and put back into each copy served, so no reader ever gets another's.
 *
 * A cached page is served only while the last check of what changed (`changes`) started less than
 * `checkEveryMs` ago; otherwise the request waits for a check that starts after it arrived
 * (requests arriving together share it). So a change is on every page served `checkEveryMs` after
 * it was committed, whoever committed it; `refresh` (after a write of this process) makes it at once.
 */

/** Tags name what a page was built from (e.g. `opportunity:12`); a change drops every page carrying one. */
export type Tag = string

export interface PageCacheOptions {
  /** Most bytes of HTML kept; the least recently served pages go first. */
  maxBytes: number
  /** Longest a page is kept when nothing says it changed (a bound on memory, not on staleness). */
  maxAgeMs: number
  /** How old the last check may be for a page to be served without a new one: the staleness bound. */
  checkEveryMs: number
  /** What changed since the previous call: the tags to drop, or 'all' (e.g. on the first call). */
  changes: () => Promise<readonly Tag[] | 'all'>
}

interface Entry {
  /** The page in pieces, UTF-8: text at even positions, the index of a per-request value at odd ones. */
  pieces: (Buffer | number)[]
  tags: Tag[]
  expiresAt: number
  bytes: number
}

/** What `begin` hands a render, to be given back to `store`. */
export type Ticket = number

export interface PageCache {
  /**
   * The page stored under `key` with `perRequest` put back in, checked for changes as the options
   * say; undefined if there is none, or the check failed.
   */
  get(key: string, perRequest: readonly PerRequest[]): Promise<Buffer<ArrayBuffer> | undefined>
  /** Resolves after a check of changes that started after this call (e.g. after a write). */
  refresh(): Promise<void>
  /** Call before reading what a page is built from; pass the ticket to `store`. */
  begin(): Ticket
  /**
   * Keeps `html` under `key` until `expiresAt` or until a change of one of its `tags`, unless such a
   * change was seen since `ticket` (the page may have been built from data older than that change).
   * `perRequest` are the values of this request to cut out (the nonce, the CSRF token; '' for one
   * the page does not carry).
   */
  store(
    ticket: Ticket,
    key: string,
    html: string,
    page: { tags: Tag[]; expiresAt: number; perRequest: readonly string[] },
  ): boolean
  /** Drops the pages carrying any of these tags. */
  invalidate(tags: readonly Tag[]): void
  /** How many pages and bytes are held (for tests and diagnostics). */
  size(): { pages: number; bytes: number }
}

/**
 * A value of the request a cached copy carries, in the order `store` numbered them; a function is
 * called only when the stored page holds that value (e.g. a CSRF token, made on demand).
 */
export type PerRequest = string | (() => string)

/**
 * Cuts each occurrence of the values out of the page; an empty value is one the page does not carry
 * (none is cut: '' would split between every character).
 */
function cut(html: string, values: readonly string[]): (string | number)[] {
  let pieces: (string | number)[] = [html]
  for (const [index, value] of values.entries()) {
    if (!value) continue
    const next: (string | number)[] = []
    for (const piece of pieces) {
      if (typeof piece === 'number') next.push(piece)
      else
        for (const [i, part] of piece.split(value).entries()) {
          if (i > 0) next.push(index)
          next.push(part)
        }
    }
    pieces = next
  }
  return pieces
}

export function createPageCache(options: PageCacheOptions): PageCache {
  const entries = new Map<string, Entry>()
  let bytes = 0
  // Every change seen moves the generation on; a render may store only if none of its tags (and no
  // 'all') changed after the generation it began at.
  let generation = 0
  let allChangedAt = 0
  let tagChangedAt = new Map<Tag, number>()
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  // When the last check that succeeded started.
  let checkedAt = Number.NEGATIVE_INFINITY

  function drop(key: string, entry: Entry) {
    entries.delete(key)
    bytes -= entry.bytes
  }

  function invalidate(tags: readonly Tag[] | 'all') {
    generation++
    if (tags === 'all') {
      allChangedAt = generation
      tagChangedAt = new Map()
      entries.clear()
      bytes = 0
      return
    }
    if (tags.length === 0) return
    const set = new Set(tags)
    for (const tag of set) tagChangedAt.set(tag, generation)
    // A long run of distinct changes must not grow without end: forget them as one 'all' instead.
    if (tagChangedAt.size > 10_000) {
      tagChangedAt = new Map()
      allChangedAt = generation
    }
    for (const [key, entry] of entries) if (entry.tags.some((t) => set.has(t))) drop(key, entry)
  }

  async function check(): Promise<void> {
    const started = performance.now()
    invalidate(await options.changes())
    checkedAt = started
  }

  /** Resolves after a check that started after this call. */
  function checked(): Promise<void> {
    if (!running) {
      running = check().finally(() => {
        running = undefined
      })
      return running
    }
    // The running check may have read the changes before this request arrived: wait for the next.
    if (!queued) {
      queued = running
        .catch(() => {})
        .then(() => {
          queued = undefined
          return checked()
        })
    }
    return queued
  }

  return {
    async get(key, perRequest) {
      if (entries.size === 0 && !running) {
        // Nothing to serve: still keep the change feed moving so later pages start from now.
        checked().catch(() => {})
        return undefined
      }
      if (performance.now() - checkedAt >= options.checkEveryMs) {
        try {
          await checked()
        } catch {
          return undefined
        }
      }
      const entry = entries.get(key)
      if (!entry) return undefined
      if (entry.expiresAt <= Date.now()) {
        drop(key, entry)
        return undefined
      }
      // Most recently served last: eviction takes from the front.
      entries.delete(key)
      entries.set(key, entry)
      // The stored pieces are UTF-8 already: only this request's few values are encoded.
      const values: Buffer[] = []
      const value = (index: number) => {
        const v = perRequest[index]!
        values[index] ??= Buffer.from(typeof v === 'function' ? v() : v)
        return values[index]
      }
      return Buffer.concat(entry.pieces.map((piece) => (typeof piece === 'number' ? value(piece) : piece)))
    },
    refresh: () => checked(),
    begin: () => generation,
    store(ticket, key, html, page) {
      if (allChangedAt > ticket || page.tags.some((t) => (tagChangedAt.get(t) ?? 0) > ticket)) return false
      const expiresAt = Math.min(page.expiresAt, Date.now() + options.maxAgeMs)
      if (expiresAt <= Date.now()) return false
      const cutOut = cut(html, page.perRequest)
      const pieces = cutOut.map((p) => (typeof p === 'number' ? p : Buffer.from(p)))
      const size = pieces.reduce<number>((n, p) => n + (typeof p === 'number' ? 0 : p.length), 0)
      if (size > options.maxBytes) return false
      const old = entries.get(key)
      if (old) drop(key, old)
      entries.set(key, { pieces, tags: page.tags, expiresAt, bytes: size })
      bytes += size
      for (const [k, entry] of entries) {
        if (bytes <= options.maxBytes) break
        drop(k, entry)
      }
      return true
    },
    invalidate: (tags) => invalidate(tags),
    size: () => ({ pages: entries.size, bytes }),
  }
}
