import type { T } from '../../platform/i18n/index.ts'
import { Form, type FormError } from '../../platform/ui/forms.tsx'
import type { SessionSeats } from './repository.ts'

/** The id of the places section: errors that are not about the field (e.g. "closed") link here. */
export const PLACES_SECTION = 'places'

/**
 * "Places on this session": the seats taken, a warning when more people hold a place than the
 * capacity now allows (their bookings are kept), and, while the session is still ahead, a form to
 * set its own number of places or clear it. A plain form: it works without JavaScript.
 */
export function PlacesSection(props: {
  t: T
  action: string
  csrf: string
  session: SessionSeats
  /** The opportunity's capacity, used when the session has none of its own (null: no limit). */
  opportunityCapacity: number | null
  /** What the provider typed, when the form comes back with an error. */
  value?: string
  errors: FormError[]
}) {
  const { t, session } = props
  const open = !session.cancelled && new Date(session.startsAt).getTime() > Date.now()
  const error = props.errors.find((e) => e.field === 'capacity')
  const { capacity, held } = session
  const hintDefault =
    props.opportunityCapacity === null
      ? t('registrations.capacity.hintUnlimited')
      : t('registrations.capacity.hintDefault', { count: props.opportunityCapacity })
  return (
    <section aria-labelledby={`${PLACES_SECTION}-title`} id={PLACES_SECTION}>
      <h2 id={`${PLACES_SECTION}-title`}>{t('registrations.capacity.title')}</h2>
      <p>
        {capacity === null
          ? t('registrations.capacity.takenUnlimited', { held })
          : t('registrations.capacity.taken', { held, capacity })}
      </p>
      {capacity !== null && held > capacity && (
        <p class="notice">{t('registrations.capacity.over', { held, capacity })}</p>
      )}
      {open && (
        <Form action={props.action} csrf={props.csrf} novalidate>
          <div class={error ? 'field field-error' : 'field'}>
            <label for="capacity">{t('registrations.capacity.label')}</label>
            <p class="hint" id="capacity-hint">
              {hintDefault} {t('registrations.capacity.hintKept')}
            </p>
            {error && (
              <p class="error-message" id="capacity-error">
                {error.message}
              </p>
            )}
            <input
              id="capacity"
              name="capacity"
              type="text"
              inputmode="numeric"
              autocomplete="off"
              dir="ltr"
              value={props.value ?? session.ownCapacity?.toString() ?? ''}
              aria-describedby={error ? 'capacity-hint capacity-error' : 'capacity-hint'}
              aria-invalid={error ? 'true' : undefined}
            />
          </div>
          <button type="submit" class="button secondary">
            {t('registrations.capacity.submit')}
          </button>
        </Form>
      )}
    </section>
  )
}
