import { describe, expect, it } from 'vitest'
import '../../../app.ts'
import { translator } from '../../../platform/i18n/index.ts'
import { renderDigest } from './digest-mail.tsx'

const XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>'

describe('the digest email', () => {
  const input = {
    t: translator('ar'),
    lang: 'ar' as const,
    cityName: 'Chicago',
    name: XSS,
    frequency: 'daily' as const,
    since: '1 ديسمبر 2026',
    total: 3,
    items: [
      { title: { text: XSS, lang: 'en' }, when: null, url: 'https://x.example/ar/chicago/opportunities/1' },
    ],
    searchUrl: 'https://x.example/ar/chicago/opportunities?free=yes',
    manageUrl: 'https://x.example/ar/chicago/saved-searches',
    unsubscribeUrl: 'https://x.example/ar/chicago/saved-searches/unsubscribe/abc',
  }

  it('is right-to-left in Arabic, escapes what people wrote, and offers one-click unsubscribe', () => {
    const mail = renderDigest(input)
    expect(mail.html).toContain('<html lang="ar" dir="rtl">')
    expect(mail.html).not.toContain('<script>alert')
    expect(mail.html).not.toContain('<img src=x')
    expect(mail.subject).toContain('لبحث')
    expect(mail.text).toContain('لم تُحدَّد المواعيد بعد')
    // Three new, one listed: "and two more".
    expect(mail.text).toContain('واثنتان أخريان')
    expect(mail.headers).toEqual({
      'List-Unsubscribe': '<https://x.example/ar/chicago/saved-searches/unsubscribe/abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
  })
})
