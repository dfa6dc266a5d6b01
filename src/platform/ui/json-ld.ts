/**
 * JSON text safe inside a <script type="application/ld+json"> element: `<`, `>` and `&` are
 * escaped so no '</script>' or '<!--' can break out, and U+2028/U+2029 so the text stays valid
 * JavaScript everywhere it might be pasted.
 */
export function jsonLdScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
