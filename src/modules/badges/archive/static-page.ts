import { direction, type Lang, type T } from '../../../platform/i18n/index.ts'
import type { ArchivedAward } from './queries.ts'

const html = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  )

const text = (v: unknown) => (typeof v === 'string' ? v : '')

/**
 * A self-contained badge page for the archive (no script, no outside resources, styles inline): what
 * the signed credential says, its status when the copy was made, and a link to the credential.
 */
export function badgePageHtml(t: T, lang: Lang, award: ArchivedAward): string {
  // biome-ignore lint/suspicious/noExplicitAny: reading fields of a stored credential
  const c = award.credential as Record<string, any>
  const achievement = c.credentialSubject?.achievement ?? {}
  const name = text(achievement.name) || text(c.name)
  const image = typeof achievement.image?.id === 'string' ? achievement.image.id : ''
  const imagePath = image.startsWith('https://') || image.startsWith('http://') ? new URL(image).pathname : ''
  const rows: [string, string][] = [
    [t('badge-evidence.archive.issuer'), text(c.issuer?.name)],
    [t('badge-evidence.archive.issued'), text(c.validFrom).slice(0, 10)],
    [t('badge-evidence.archive.validUntil'), text(c.validUntil).slice(0, 10)],
    [t('badge-evidence.archive.status'), t(`badge-evidence.archive.status.${award.status}`)],
  ]
  const title = t('badge-evidence.archive.title', { badge: name })
  return `<!doctype html>
<html lang="${lang}" dir="${direction(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
<title>${html(title)}</title>
<meta property="og:title" content="${html(name)}">
<style>body{font-family:system-ui,sans-serif;max-inline-size:40rem;margin-inline:auto;padding:1rem;line-height:1.5;color:#1f2328}dt{font-weight:bold}dd{margin-inline-start:0;margin-block-end:.5rem}a{color:#1d4ed8}</style>
</head>
<body>
<main>
<h1 dir="auto">${html(title)}</h1>
${imagePath ? `<img src="${html(imagePath)}" alt="${html(name)}" width="160" height="160">` : ''}
<p dir="auto">${html(text(achievement.description))}</p>
<dl>
${rows
  .filter(([, v]) => v)
  .map(([k, v]) => `<dt>${html(k)}</dt><dd dir="auto">${html(v)}</dd>`)
  .join('\n')}
</dl>
<p><a href="/credentials/${html(award.uuid)}">${html(t('badge-evidence.archive.json'))}</a></p>
<p>${html(t('badge-evidence.archive.note'))}</p>
</main>
</body>
</html>
`
}
