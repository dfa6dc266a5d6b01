import { describe, expect, it } from 'vitest'
import { createPageCache } from './page-cache.ts'

// The cache alone, with a change feed that reports nothing changed.
function cache() {
  return createPageCache({
    maxBytes: 1 << 20,
    maxAgeMs: 60_000,
    checkEveryMs: 60_000,
    changes: async () => [],
  })
}

describe('page cache: per-request values', () => {
  it('puts each reader’s own nonce and token into a copy, and makes a token only for a page that has one', async () => {
    const pages = cache()
    await pages.refresh()
    const stored = pages.store(
      pages.begin(),
      'with-form',
      '<style nonce="N1">x</style><input name="_csrf" value="T1"><p>N1 T1</p>',
      { tags: ['a'], expiresAt: Date.now() + 60_000, perRequest: ['N1', 'T1'] },
    )
    expect(stored).toBe(true)
    // A page rendered without a token ('' for it) is stored with only the nonce cut out.
    pages.store(pages.begin(), 'no-form', '<style nonce="N2">x</style><p>Read only</p>', {
      tags: ['b'],
      expiresAt: Date.now() + 60_000,
      perRequest: ['N2', ''],
    })

    let made = 0
    const token = () => {
      made++
      return 'T9'
    }
    const withForm = (await pages.get('with-form', ['N9', token]))!.toString()
    expect(withForm).toBe('<style nonce="N9">x</style><input name="_csrf" value="T9"><p>N9 T9</p>')
    // Two occurrences, one token made.
    expect(made).toBe(1)
    const noForm = (await pages.get('no-form', ['N8', token]))!.toString()
    expect(noForm).toBe('<style nonce="N8">x</style><p>Read only</p>')
    expect(made).toBe(1)
  })
})
