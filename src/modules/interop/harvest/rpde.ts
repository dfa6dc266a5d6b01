import { z } from 'zod'
import { FetchError, type FetchOptions, fetchExternal } from '../../../platform/fetch/index.ts'

/** One RPDE item as the harvester reads it (ids and modified normalised to strings). */
export interface RpdeItem {
  state: 'updated' | 'deleted'
  kind: string
  id: string
  modified: string
  data?: unknown
}

export type PageResult =
  | {
      ok: true
      /** Absolute URL of the next page (resolved against the page's own address). */
      next: string
      items: RpdeItem[]
      /** Items the page held that are not RPDE items, with why (the rest are kept). */
      bad: { index: number; id: string; reason: string }[]
      /** The page is the last one: no items and `next` names the page itself. */
      last: boolean
    }
  | { ok: false; error: string }

const id = z.union([z.string().min(1).max(2000), z.number().finite()])
const item = z.object({
  state: z.enum(['updated', 'deleted']),
  kind: z.string().max(200).default(''),
  id,
  modified: z.union([z.number().finite(), z.string().min(1).max(100)]),
  data: z.unknown().optional(),
})
const page = z.object({ next: z.string().min(1).max(4000), items: z.array(z.unknown()).max(50_000) })

/** Largest RPDE page accepted: 500 items of a few kB each fit many times over. */
export const PAGE_BYTES = 20_000_000

/**
 * Fetches and checks one RPDE page (Realtime Paged Data Exchange 1.0): JSON with `next` and
 * `items`; items that are not well-formed are listed in `bad` with why, the others kept. A
 * relative `next` (a spec violation some publishers commit) is resolved against the page URL.
 */
export async function readPage(url: string, options: FetchOptions): Promise<PageResult> {
  let text: string
  let finalUrl: string
  try {
    const res = await fetchExternal(url, {
      maxBytes: PAGE_BYTES,
      ...options,
      headers: { accept: 'application/json, application/vnd.openactive.rpde+json', ...options.headers },
    })
    if (!res.ok) return { ok: false, error: `the feed answered HTTP ${res.status} for ${res.url}` }
    text = res.text()
    finalUrl = res.url
  } catch (e) {
    if (e instanceof FetchError) return { ok: false, error: `${e.code}: ${e.message}` }
    throw e
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { ok: false, error: `the page at ${url} is not JSON` }
  }
  const parsed = page.safeParse(body)
  if (!parsed.success)
    return {
      ok: false,
      error: `the page at ${url} is not an RPDE page: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'page'} ${i.message}`).join('; ')}`,
    }
  let next: string
  try {
    next = new URL(parsed.data.next, finalUrl).href
  } catch {
    return { ok: false, error: `the page's next (${parsed.data.next.slice(0, 200)}) is not an address` }
  }
  const items: RpdeItem[] = []
  const bad: { index: number; id: string; reason: string }[] = []
  parsed.data.items.forEach((raw, index) => {
    const checked = item.safeParse(raw)
    if (!checked.success) {
      const rawId = (raw as { id?: unknown } | null)?.id
      bad.push({
        index,
        id:
          typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId).slice(0, 200) : `#${index}`,
        reason: checked.error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; '),
      })
      return
    }
    const v = checked.data
    items.push({ state: v.state, kind: v.kind, id: String(v.id), modified: String(v.modified), data: v.data })
  })
  const last = parsed.data.items.length === 0 && (next === url || next === finalUrl)
  return { ok: true, next, items, bad, last }
}
