import { readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join, resolve, sep } from 'node:path'

/**
 * Serves an exported archive by the rules of the nginx and Caddy examples it contains (tests host it
 * over node:https with this): exact files first, then {path}/index.json, then {path}/index.html;
 * files without an extension get their type from where they are; dot files are never served.
 */
export function archiveHandler(root: string) {
  const base = resolve(root)
  const typeOf = (path: string) => {
    if (/^\/issuers\/.+\/did\.json$/.test(path)) return 'application/did+json'
    if (/^\/issuers\/.+\/status\/[a-z]+$/.test(path)) return 'application/vc+ld+json'
    if (/^\/issuers\/.+\/jwks\.json$/.test(path)) return 'application/jwk-set+json'
    if (/^\/issuers\/.+\/jwks\/[a-z0-9-]+$/.test(path)) return 'application/jwk+json'
    if (/^\/credentials\/[0-9a-f-]+$/.test(path)) return 'application/vc+ld+json'
    if (path.endsWith('.png')) return 'image/png'
    if (path.endsWith('.html') || path.endsWith('/')) return 'text/html; charset=utf-8'
    return 'application/json'
  }
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'https://archive.invalid').pathname)
    const segments = path.split('/').filter(Boolean)
    if (segments.some((s) => s.startsWith('.'))) return res.writeHead(404).end()
    for (const candidate of [
      join(...[base, ...segments]),
      join(base, ...segments, 'index.json'),
      join(base, ...segments, 'index.html'),
    ]) {
      if (candidate !== base && !candidate.startsWith(base + sep)) break
      const found = await stat(candidate).catch(() => undefined)
      if (!found?.isFile()) continue
      const type = candidate.endsWith('index.html') ? 'text/html; charset=utf-8' : typeOf(path)
      return res
        .writeHead(200, {
          'content-type': type,
          'access-control-allow-origin': '*',
          'x-content-type-options': 'nosniff',
        })
        .end(await readFile(candidate))
    }
    res.writeHead(404).end()
  }
}
