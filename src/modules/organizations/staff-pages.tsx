import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { ErrorSummary, Field, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import { cityContext, currentOrganization } from './access.ts'
import * as repo from './repository.ts'
import { STAFF_ROLES } from './schema.ts'
import { acceptInvitation, changeStaffRole, findInvitation, inviteStaff, removeStaffMember } from './staff.ts'
import * as staffRepo from './staff-repository.ts'
import { formErrors, formValues, manageNav, Select } from './views.tsx'

type C = Context<AppEnv>

/** Staff list with role changes and removal, open invitations and the invitation form. */
export async function staffPage(
  c: C,
  platform: Platform,
  values: Record<string, string> = {},
  errors: FormError[] = [],
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const org = currentOrganization(c)
  const base = `/${lang}/${city.slug}/providers/${org.slug}/staff`
  const staff = await staffRepo.listStaff(platform.db, city.id, org.id)
  const invitations = await staffRepo.listOpenInvitations(platform.db, city.id, org.id)
  const name = translated(org.name, lang, [city.defaultLanguage]).text
  const roleOptions = STAFF_ROLES.map((r) => ({ value: r, label: t(`organizations.role.${r}`) }))
  const done = c.req.query('done')
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: city.timeZone })
  return page(
    c,
    {
      title: t('organizations.staff.title', { provider: name }),
      nav: manageNav(c, org.slug),
      status: errors.length ? 400 : 200,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      {done && ['invited', 'changed', 'removed'].includes(done) && (
        <p class="notice" role="status">
          {t(`organizations.staff.done.${done}`)}
        </p>
      )}
      <h1 dir="auto">{t('organizations.staff.title', { provider: name })}</h1>
      <div class="table-wrap">
        <table>
          <caption>{t('organizations.staff.members')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organizations.staff.person')}</th>
              <th scope="col">{t('organizations.staff.role')}</th>
              <th scope="col">{t('organizations.review.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => {
              const error = errors.find((e) => e.field === `role-${s.userId}`)
              return (
                <tr>
                  <td>
                    <span dir="auto">{s.displayName}</span> <span dir="ltr">({s.email})</span>
                  </td>
                  <td>{t(`organizations.role.${s.role}`)}</td>
                  <td>
                    <form method="post" action={`${base}/${s.userId}/role`} class="inline-form">
                      <input type="hidden" name="_csrf" value={csrfToken} />
                      <label for={`role-${s.userId}`}>
                        {t('organizations.staff.newRole', { person: s.displayName })}
                      </label>{' '}
                      {error && (
                        <span class="error-message" id={`role-${s.userId}-error`}>
                          {error.message}
                        </span>
                      )}{' '}
                      <select
                        id={`role-${s.userId}`}
                        name="role"
                        aria-describedby={error ? `role-${s.userId}-error` : undefined}
                        aria-invalid={error ? 'true' : undefined}
                      >
                        {roleOptions.map((o) => (
                          <option value={o.value} selected={o.value === s.role}>
                            {o.label}
                          </option>
                        ))}
                      </select>{' '}
                      <button type="submit" class="link-button">
                        {t('organizations.staff.changeRole')}
                      </button>
                    </form>{' '}
                    <form method="post" action={`${base}/${s.userId}/remove`} class="inline-form">
                      <input type="hidden" name="_csrf" value={csrfToken} />
                      <button type="submit" class="link-button">
                        {t('organizations.staff.remove', { person: s.displayName })}
                      </button>
                    </form>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {invitations.length > 0 && (
        <>
          <h2>{t('organizations.staff.invitations')}</h2>
          <ul>
            {invitations.map((i) => (
              <li dir="ltr">
                {t('organizations.staff.invitation', {
                  email: i.email,
                  role: t(`organizations.role.${i.role}`),
                  date: date.format(new Date(i.expiresAt)),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('organizations.staff.invite')}</h2>
      <p>{t('organizations.staff.inviteIntro')}</p>
      <Form action={`${base}/invite`} csrf={csrfToken} novalidate>
        <Field
          name="email"
          type="email"
          label={t('organizations.staff.email')}
          value={values.email ?? ''}
          errors={errors}
          dir="ltr"
        />
        <Select
          name="role"
          label={t('organizations.staff.role')}
          value={values.role ?? 'editor'}
          options={roleOptions}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('organizations.staff.sendInvitation')}
        </button>
      </Form>
    </>,
  )
}

const staffBase = (c: C) =>
  `/${c.var.lang}/${c.var.tenant!.slug}/providers/${currentOrganization(c).slug}/staff`

/** Errors about one staff row point at that row's role control. */
const rowErrors = (c: C, userId: number, fields: { field: string; key: string }[]) =>
  formErrors(c.var.t, fields).map((e) => ({ ...e, field: `role-${userId}` }))

/** Sends an invitation or shows the form again with its problems. */
export async function inviteSubmit(c: C, platform: Platform) {
  const body = await c.req.parseBody()
  const org = currentOrganization(c)
  const viewer = c.var.viewer!
  const result = await inviteStaff(platform, cityContext(c), org, viewer, body, c.var.lang)
  if (!result.ok) return staffPage(c, platform, formValues(body), formErrors(c.var.t, result.fields))
  return c.redirect(`${staffBase(c)}?done=invited`, 303)
}

/** Changes one person's role. */
export async function roleSubmit(c: C, platform: Platform) {
  const body = await c.req.parseBody()
  const org = currentOrganization(c)
  const userId = Number(c.req.param('user'))
  const result = await changeStaffRole(platform, c.var.tenant!.id, org.id, c.var.viewer!.id, userId, body)
  if (!result.ok) {
    if (result.error === 'invalid' && result.fields.length === 0) return c.var.renderError(404)
    return staffPage(c, platform, {}, rowErrors(c, userId, result.fields))
  }
  return c.redirect(`${staffBase(c)}?done=changed`, 303)
}

/** Removes one person from the staff. */
export async function removeSubmit(c: C, platform: Platform) {
  const org = currentOrganization(c)
  const userId = Number(c.req.param('user'))
  const result = await removeStaffMember(platform, c.var.tenant!.id, org.id, c.var.viewer!.id, userId)
  if (!result.ok) {
    if (result.error === 'invalid') return c.var.renderError(404)
    return staffPage(c, platform, {}, rowErrors(c, userId, result.fields))
  }
  return c.redirect(`${staffBase(c)}?done=removed`, 303)
}

/** The page an invitation link opens: sign in first, then accept. */
export async function invitationPage(c: C, platform: Platform, problem?: 'wrong-person') {
  const { t, lang, formToken, viewer } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const token = c.req.param('token') ?? ''
  const invitation = await findInvitation(platform, city.id, token)
  if (!invitation?.live) {
    return page(
      c,
      { title: t('organizations.invitation.invalidTitle'), status: 404, alternates: false },
      <>
        <h1>{t('organizations.invitation.invalidTitle')}</h1>
        <p>{t('organizations.invitation.invalidBody')}</p>
      </>,
    )
  }
  const org = await repo.findOrganizationById(platform.db, city.id, invitation.organizationId)
  const name = translated(org?.name, lang, [city.defaultLanguage])
  const here = c.req.path
  const wrong = problem === 'wrong-person' || (viewer && viewer.email !== invitation.email)
  const title = t('organizations.invitation.title', { provider: name.text })
  return page(
    c,
    { title, status: wrong ? 403 : 200, alternates: false },
    <>
      <h1 dir="auto">{title}</h1>
      <p>{t('organizations.invitation.role', { role: t(`organizations.role.${invitation.role}`) })}</p>
      {!viewer ? (
        <>
          <p>{t('organizations.invitation.signInFirst', { email: invitation.email })}</p>
          <p>
            <a class="button" href={`/${lang}/account/sign-in?next=${encodeURIComponent(here)}`}>
              {t('organizations.invitation.signIn')}
            </a>
          </p>
          <p>
            <a href={`/${lang}/account/sign-up`}>{t('organizations.invitation.signUp')}</a>
          </p>
        </>
      ) : wrong ? (
        <p class="notice">{t('organizations.invitation.wrongPerson', { email: viewer.email })}</p>
      ) : (
        <Form action={here} csrf={csrfToken}>
          <button type="submit" class="button">
            {t('organizations.invitation.accept')}
          </button>
        </Form>
      )}
    </>,
  )
}

/** Accepts the invitation for the signed-in person and opens the provider's page. */
export async function acceptSubmit(c: C, platform: Platform) {
  const city = currentCity(c)
  const viewer = c.var.viewer!
  const result = await acceptInvitation(platform, city.id, c.req.param('token') ?? '', viewer)
  if (!result.ok)
    return invitationPage(c, platform, result.error === 'wrong-person' ? 'wrong-person' : undefined)
  const org = await repo.findOrganizationById(platform.db, city.id, result.value.organizationId)
  return c.redirect(`/${c.var.lang}/${city.slug}/providers/${org!.slug}?joined=1`, 303)
}
