/**
 * Characters an XML document must not carry: control characters other than tab and line breaks
 * (C1 controls are only discouraged, but no feed needs them), lone surrogates, U+FFFE and U+FFFF.
 */
const FORBIDDEN = /(?![\t\n\r])[\p{Cc}\p{Cs}\uFFFE\uFFFF]/gu

/** Text escaped for XML content and attribute values; characters XML cannot carry are dropped. */
export function xmlEscape(value: string): string {
  return value
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}
