import {
  isLang,
  type Lang,
  type T,
  type TranslatedText,
  translated,
  translator,
  type Values,
} from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { listCurators } from '../accounts/index.ts'

/** How a newsletter or a curator email names its scope: "the {city} knowledge hub" or the network's. */
export function scopeName(t: T, scope: 'city' | 'network', cityName: string) {
  return scope === 'network'
    ? t('knowledge-hub.newsletter.scopeName.network')
    : t('knowledge-hub.newsletter.scopeName.city', { city: cityName })
}

/** The city whose hub a curator's email links to (network admins review from any city's hub). */
export interface CuratorMailCity {
  id: number
  slug: string
  name: TranslatedText
  defaultLanguage: string
}

/**
 * Tells the curators of a scope — a city's coordinators, or the network admins for `null` — that
 * something waits for them: one email each, through the job queue, in the language of their account,
 * saying why they get it. `values` fills the message `knowledge-hub.curators.{message}` per language.
 * Returns how many curators were told.
 */
export async function mailCurators(
  platform: Platform,
  scope: number | null,
  city: CuratorMailCity,
  message: 'submitted' | 'broken',
  values: (t: T, lang: Lang) => Values,
): Promise<number> {
  const curators = await listCurators(platform.db, scope)
  for (const curator of curators) {
    const lang: Lang = isLang(curator.language) ? curator.language : 'en'
    const t = translator(lang)
    const cityName = translated(city.name, lang, [city.defaultLanguage]).text
    const scopeText = scopeName(t, scope === null ? 'network' : 'city', cityName)
    const all = {
      ...values(t, lang),
      name: curator.displayName,
      scope: scopeText,
      why: t('knowledge-hub.curators.why', { scope: scopeText }),
    }
    await platform.mail.send({
      to: curator.email,
      cityId: city.id,
      subject: t(`knowledge-hub.curators.${message}.subject`, all),
      text: t(`knowledge-hub.curators.${message}.body`, all),
    })
  }
  return curators.length
}
