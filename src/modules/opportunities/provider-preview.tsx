import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Occurrence } from '../../platform/time/index.ts'
import { FactsList, ImageAndDescription } from './facts.tsx'
import type { OpportunityInput } from './model.ts'

interface PreviewProps {
  c: Context<AppEnv>
  input: OpportunityInput
  sessions: Occurrence[]
  organizationName: { text: string; lang: string }
  /** The venue's address when a venue was chosen (the input then has none). */
  venueAddress: string | null
  timeZone: string
  defaultLanguage: string
}

/**
 * The opportunity as residents will see it, built from the form's input before anything is saved:
 * the same facts and sessions (in the city's time zone) as the public page.
 */
export function OpportunityPreview(props: PreviewProps) {
  const { c, input } = props
  const { t, lang } = c.var
  const fallbacks = [props.defaultLanguage]
  const title = translated(input.title, lang, fallbacks)
  const description = translated(input.description, lang, fallbacks)
  const outcomes = translated(input.outcomes, lang, fallbacks)
  const alt = translated(input.image.alt, lang, fallbacks)
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: props.timeZone,
  })
  const now = Date.now()
  const upcoming = props.sessions.filter((s) => s.end.getTime() >= now)
  return (
    <section class="preview card" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t('opportunities.provide.preview.heading')}</h2>
      <p class="notice" role="status">
        {t('opportunities.provide.preview.notSaved')}
      </p>
      <p>{t(`opportunities.block.${input.buildingBlock}`)}</p>
      <h3 lang={title.lang}>{title.text}</h3>
      <ImageAndDescription imageUrl={input.image.url} alt={alt} description={description} />
      <FactsList
        c={c}
        timeZone={props.timeZone}
        facts={{
          selfPaced: input.schedule.kind === 'self-paced',
          nextStart: upcoming[0]?.start,
          format: input.format,
          address: props.venueAddress ?? input.address,
          joinUrl: input.joinUrl,
          free: input.cost.free,
          price: input.cost.price,
          currency: input.cost.currency,
          concessions: input.cost.concessions,
          financialHelp: input.cost.financialHelp,
          ageMin: input.ageMin,
          ageMax: input.ageMax,
          languages: input.languages,
          accessibility: input.accessibility,
          accessibilityNote: input.accessibilityNote,
          capacity: input.capacity,
          organizationName: props.organizationName,
          contactEmail: input.contactEmail,
          contactPhone: input.contactPhone,
        }}
      />
      {outcomes.text && (
        <>
          <h4>{t('opportunities.detail.outcomes')}</h4>
          <p lang={outcomes.lang}>{outcomes.text}</p>
        </>
      )}
      {upcoming.length > 0 && (
        <>
          <h4>{t('opportunities.provide.preview.sessions', { count: upcoming.length })}</h4>
          <ul>
            {upcoming.slice(0, 50).map((s) => (
              <li>{when.format(s.start)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
