import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'

/** What the facts list shows, from a saved opportunity or from a form's input before saving. */
export interface Facts {
  selfPaced: boolean
  nextStart: Date | undefined
  format: string
  address: string | null
  joinUrl: string | null
  free: boolean
  price: number | null
  currency: string
  concessions: string
  financialHelp: boolean
  ageMin: number | null
  ageMax: number | null
  languages: string[]
  accessibility: string[]
  accessibilityNote: string
  capacity: number | null
  organizationName: { text: string; lang: string }
  contactEmail: string | null
  contactPhone: string | null
}

function ageText(c: Context<AppEnv>, min: number | null, max: number | null) {
  const { t } = c.var
  if (min !== null && max !== null) return t('opportunities.detail.agesRange', { min, max })
  if (min !== null) return t('opportunities.detail.agesFrom', { min })
  if (max !== null) return t('opportunities.detail.agesUpTo', { max })
  return t('opportunities.detail.allAges')
}

/**
 * The facts people decide on (when, where, cost, ages, languages, accessibility, places, provider,
 * contact), the same on the public page and in the provider's preview.
 */
export function FactsList(props: { c: Context<AppEnv>; facts: Facts; timeZone: string }) {
  const { c, facts: f } = props
  const { t, lang } = c.var
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: props.timeZone,
  })
  const languageName = (code: string) => new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code
  const price =
    f.free || f.price === null
      ? ''
      : new Intl.NumberFormat(lang, { style: 'currency', currency: f.currency }).format(f.price)
  return (
    <dl class="facts">
      <dt>{t('opportunities.detail.when')}</dt>
      <dd>
        {f.selfPaced
          ? t('opportunities.detail.selfPaced')
          : f.nextStart
            ? t('opportunities.detail.nextSession', { when: when.format(f.nextStart) })
            : t('opportunities.detail.noUpcoming')}
      </dd>
      <dt>{t('opportunities.detail.where')}</dt>
      <dd>
        {f.format !== 'online' && <span dir="auto">{f.address}</span>}
        {f.format !== 'in-person' && f.joinUrl && (
          <>
            {f.format === 'hybrid' && ' · '}
            {t('opportunities.detail.online')}
          </>
        )}
      </dd>
      <dt>{t('opportunities.detail.cost')}</dt>
      <dd>
        {f.free ? t('opportunities.detail.free') : price}
        {f.concessions && <span dir="auto"> · {f.concessions}</span>}
        {f.financialHelp && <> · {t('opportunities.detail.financialHelp')}</>}
      </dd>
      <dt>{t('opportunities.detail.ages')}</dt>
      <dd>{ageText(c, f.ageMin, f.ageMax)}</dd>
      <dt>{t('opportunities.detail.languages')}</dt>
      <dd>{f.languages.map(languageName).join(', ')}</dd>
      {(f.accessibility.length > 0 || f.accessibilityNote) && (
        <>
          <dt>{t('opportunities.detail.accessibility')}</dt>
          <dd>
            {f.accessibility.map((a) => t(`opportunities.access.${a}`)).join(', ')}
            {f.accessibilityNote && <span dir="auto"> {f.accessibilityNote}</span>}
          </dd>
        </>
      )}
      {f.capacity !== null && (
        <>
          <dt>{t('opportunities.detail.sessions')}</dt>
          <dd>{t('opportunities.detail.capacity', { count: f.capacity })}</dd>
        </>
      )}
      <dt>{t('opportunities.detail.provider')}</dt>
      <dd lang={f.organizationName.lang}>{f.organizationName.text}</dd>
      {(f.contactEmail || f.contactPhone) && (
        <>
          <dt>{t('opportunities.detail.contact')}</dt>
          <dd dir="ltr">
            {f.contactEmail && <a href={`mailto:${f.contactEmail}`}>{f.contactEmail}</a>}
            {f.contactEmail && f.contactPhone && ' · '}
            {f.contactPhone}
          </dd>
        </>
      )}
    </dl>
  )
}

/** The opportunity's picture and its description split into paragraphs, each marked with its language. */
export function ImageAndDescription(props: {
  imageUrl: string
  alt: { text: string; lang: string }
  description: { text: string; lang: string }
}) {
  return (
    <>
      <img
        class="opportunity-image"
        src={props.imageUrl}
        alt={props.alt.text}
        lang={props.alt.lang}
        width="640"
        height="360"
      />
      <div lang={props.description.lang} class="prose">
        {props.description.text.split(/\n{2,}/).map((para) => (
          <p>{para}</p>
        ))}
      </div>
    </>
  )
}
