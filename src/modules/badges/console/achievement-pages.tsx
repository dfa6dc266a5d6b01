/**
 * The owner's badges: the list (own and shared), the define/edit form with an image upload, and
 * archiving with a confirm step. Plain HTML forms: everything works without JavaScript.
 */
import { LANGUAGE_NAMES, LANGUAGES, type Lang, translated } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { Choices, Select, TextArea, TextInput, Toggle } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { listForOrganization } from '../../opportunities/index.ts'
import { archiveAchievement, changeAchievement, defineAchievement } from '../achievements.ts'
import * as repo from '../repository.ts'
import { ACHIEVEMENT_LEVELS } from '../schema.ts'
import { type FormValues, formErrors, inputOf, readForm, SPARE_ALIGNMENTS, valuesOf } from './form.ts'
import { achievementOf, actorOf, type C, currentOwner, DoneNotice, nameOf } from './shared.tsx'

/** The city's languages in the platform's order (the six only). */
export function cityLanguages(c: C): Lang[] {
  const langs = c.var.tenant!.languages
  const chosen = LANGUAGES.filter((l) => langs.includes(l))
  return chosen.length ? chosen : [c.var.tenant!.defaultLanguage as Lang]
}

/** GET …/badges: the owner's live achievements, with links to each. */
export async function listPage(c: C, platform: Platform) {
  const { t } = c.var
  const owner = currentOwner(c)
  const list = await repo.listAchievements(platform.db, c.var.tenant!.id, owner.organizationId)
  const title = t('badge-console.list.title')
  return page(
    c,
    { title },
    <>
      <DoneNotice c={c} />
      <h1>{title}</h1>
      <p lang={owner.name.lang}>{owner.name.text}</p>
      <p>
        <a class="button" href={`${owner.base}/new`}>
          {t('badge-console.list.new')}
        </a>{' '}
        <a href={`${owner.base}/evidence`}>{t('badge-console.list.evidence')}</a>
      </p>
      {list.length === 0 ? (
        <p>{t('badge-console.list.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('badge-console.list.colName')}</th>
                <th scope="col">{t('badge-console.list.colType')}</th>
                <th scope="col">{t('badge-console.list.colOwner')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => {
                const name = nameOf(c, a)
                return (
                  <tr>
                    <th scope="row">
                      <a href={`${owner.base}/${a.id}`} lang={name.lang} dir="auto">
                        {name.text}
                      </a>
                    </th>
                    <td>{t(`badge-console.type.${a.type}`)}</td>
                    <td>
                      {a.organizationId === owner.organizationId
                        ? t('badge-console.list.own')
                        : t('badge-console.list.shared')}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}

function LanguageFields(props: { c: C; lang: Lang; values: FormValues; errors: FormError[] }) {
  const { c, lang, values, errors } = props
  const { t } = c.var
  const name = LANGUAGE_NAMES[lang]
  return (
    <fieldset class="field-group">
      <legend>{t('badge-console.form.inLanguage', { language: name })}</legend>
      <TextInput
        id={`name-${lang}`}
        label={t('badge-console.form.name', { language: name })}
        value={values.name[lang] ?? ''}
        lang={lang}
        dir="auto"
        errors={errors}
      />
      <TextArea
        id={`description-${lang}`}
        label={t('badge-console.form.description', { language: name })}
        value={values.description[lang] ?? ''}
        lang={lang}
        rows={3}
        errors={errors}
      />
      <TextArea
        id={`criteria-${lang}`}
        label={t('badge-console.form.criteria', { language: name })}
        hint={t('badge-console.form.criteriaHint')}
        value={values.criteria[lang] ?? ''}
        lang={lang}
        rows={3}
        errors={errors}
      />
    </fieldset>
  )
}

function AlignmentRow(props: {
  c: C
  i: number
  row: FormValues['alignments'][number]
  errors: FormError[]
}) {
  const { c, i, row, errors } = props
  const { t } = c.var
  return (
    <fieldset class="field-group">
      <legend>{t('badge-console.form.alignment', { n: i + 1 })}</legend>
      <TextInput
        id={`alignment-${i}-name`}
        label={t('badge-console.form.alignmentName')}
        value={row.targetName}
        dir="auto"
        errors={errors}
      />
      <TextInput
        id={`alignment-${i}-url`}
        label={t('badge-console.form.alignmentUrl')}
        hint={t('badge-console.form.alignmentUrlHint')}
        type="url"
        value={row.targetUrl}
        dir="ltr"
        errors={errors}
      />
      <TextInput
        id={`alignment-${i}-framework`}
        label={t('badge-console.form.alignmentFramework')}
        value={row.targetFramework}
        dir="auto"
        errors={errors}
      />
    </fieldset>
  )
}

/** The define/edit form, shown empty, with an achievement's values, or again after errors. */
async function formPage(
  c: C,
  platform: Platform,
  options: { achievement?: repo.AchievementRow; values?: FormValues; errors?: FormError[]; status?: number },
) {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const owner = currentOwner(c)
  const a = options.achievement
  const values = options.values ?? valuesOf(a, owner.organizationId === null ? 'city' : 'participation')
  const errors = options.errors ?? []
  const title = a
    ? t('badge-console.form.editTitle', { name: nameOf(c, a).text })
    : t('badge-console.form.newTitle')
  const types = owner.organizationId === null ? ['city'] : ['participation', 'skill', 'pathway']
  const opportunities =
    owner.organizationId === null
      ? []
      : await listForOrganization(platform.db, c.var.tenant!.id, owner.organizationId)
  const rows = [
    ...values.alignments,
    ...Array.from({ length: SPARE_ALIGNMENTS }, () => ({
      targetName: '',
      targetUrl: '',
      targetFramework: '',
    })),
  ]
  const action = a ? `${owner.base}/${a.id}/edit` : `${owner.base}/new`
  return page(
    c,
    { title: errors.length ? t('badge-console.errorTitle', { title }) : title, status: options.status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1 dir="auto">{title}</h1>
      <form method="post" action={action} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <Select
          id="type"
          label={t('badge-console.form.type')}
          value={values.type}
          options={types.map((v) => ({ value: v, label: t(`badge-console.type.${v}`) }))}
          errors={errors}
        />
        {cityLanguages(c).map((lang) => (
          <LanguageFields c={c} lang={lang} values={values} errors={errors} />
        ))}
        <Select
          id="level"
          label={t('badge-console.form.level')}
          value={values.level}
          options={[
            { value: '', label: t('badge-console.level.none') },
            ...ACHIEVEMENT_LEVELS.map((v) => ({ value: v, label: t(`badge-console.level.${v}`) })),
          ]}
          errors={errors}
        />
        <TextInput
          id="tags"
          label={t('badge-console.form.tags')}
          hint={t('badge-console.form.tagsHint')}
          value={values.tags}
          dir="auto"
          errors={errors}
        />
        <h2>{t('badge-console.form.alignments')}</h2>
        <p class="hint">{t('badge-console.form.alignmentsHint')}</p>
        {rows.map((row, i) => (
          <AlignmentRow c={c} i={i} row={row} errors={errors} />
        ))}
        <TextInput
          id="validDays"
          label={t('badge-console.form.validDays')}
          hint={t('badge-console.form.validDaysHint')}
          value={values.validDays}
          inputmode="numeric"
          errors={errors}
        />
        {opportunities.length > 0 && (
          <Choices
            id="opportunityIds"
            type="checkbox"
            label={t('badge-console.form.opportunities')}
            hint={t('badge-console.form.opportunitiesHint')}
            options={opportunities.map((o) => {
              const title = translated(o.title, c.var.lang, [c.var.tenant!.defaultLanguage])
              return { value: String(o.id), label: title.text, lang: title.lang }
            })}
            checked={values.opportunityIds}
            errors={errors}
          />
        )}
        <Toggle
          id="acceptsEvidence"
          label={t('badge-console.form.acceptsEvidence')}
          checked={values.acceptsEvidence}
          errors={errors}
        />
        <ImageField c={c} achievement={a} errors={errors} />
        <button type="submit" class="button">
          {a ? t('badge-console.form.save') : t('badge-console.form.create')}
        </button>
      </form>
    </>,
  )
}

function ImageField(props: { c: C; achievement?: repo.AchievementRow; errors: FormError[] }) {
  const { t } = props.c.var
  const error = props.errors.find((e) => e.field === 'image')
  const a = props.achievement
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="image">
        {a?.hasImage ? t('badge-console.form.imageReplace') : t('badge-console.form.image')}
      </label>
      <p class="hint" id="image-hint">
        {t('badge-console.form.imageHint')}
      </p>
      {error && (
        <p class="error-message" id="image-error">
          {error.message}
        </p>
      )}
      {a?.hasImage && <img src={`/achievements/${a.id}/image.png`} alt="" width="96" height="96" />}
      <input
        id="image"
        name="image"
        type="file"
        accept="image/png,.png"
        aria-describedby={error ? 'image-hint image-error' : 'image-hint'}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  )
}

async function imageOf(body: Record<string, unknown>): Promise<Uint8Array | null> {
  const file = body.image
  if (!(file instanceof File) || file.size === 0) return null
  return new Uint8Array(await file.arrayBuffer())
}

/** GET …/new */
export function newPage(c: C, platform: Platform) {
  return formPage(c, platform, {})
}

/** POST …/new: defines the achievement, or shows the form again with every error. */
export async function createAchievement(c: C, platform: Platform) {
  const owner = currentOwner(c)
  const body = await c.req.parseBody({ all: true })
  const values = readForm(body, cityLanguages(c))
  const result = await defineAchievement(
    platform,
    actorOf(c),
    c.var.tenant!.id,
    owner.organizationId,
    inputOf(values),
    await imageOf(body),
  )
  if (result.ok) return c.redirect(`${owner.base}/${result.value}?done=saved`, 303)
  if (result.error === 'forbidden') return c.var.renderError(403)
  const errors = formErrors(c.var.t, result.fields, cityLanguages(c))
  return formPage(c, platform, { values, errors, status: 422 })
}

/** GET …/{id}/edit: only the owner edits (a provider it is shared with awards it, no more). */
export async function editPage(c: C, platform: Platform) {
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  if (a.organizationId !== currentOwner(c).organizationId) return c.var.renderError(403)
  return formPage(c, platform, { achievement: a })
}

/** POST …/{id}/edit */
export async function saveAchievement(c: C, platform: Platform) {
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  const body = await c.req.parseBody({ all: true })
  const values = readForm(body, cityLanguages(c))
  const result = await changeAchievement(
    platform,
    actorOf(c),
    c.var.tenant!.id,
    a.id,
    inputOf(values),
    await imageOf(body),
  )
  if (result.ok) return c.redirect(`${owner.base}/${a.id}?done=saved`, 303)
  if (result.error === 'forbidden') return c.var.renderError(403)
  if (result.error === 'not-found') return c.var.renderError(404)
  const errors = formErrors(c.var.t, result.fields, cityLanguages(c))
  return formPage(c, platform, { achievement: a, values, errors, status: 422 })
}

/** GET …/{id}/archive: asks first. */
export async function archivePage(c: C, platform: Platform) {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  if (a.organizationId !== owner.organizationId) return c.var.renderError(403)
  const name = nameOf(c, a)
  const title = t('badge-console.archive.title', { name: name.text })
  return page(
    c,
    { title },
    <>
      <h1 dir="auto">{title}</h1>
      <p>{t('badge-console.archive.explain')}</p>
      <form method="post" action={`${owner.base}/${a.id}/archive`}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit" class="button">
          {t('badge-console.archive.confirm')}
        </button>{' '}
        <a href={`${owner.base}/${a.id}`}>{t('badge-console.cancel')}</a>
      </form>
    </>,
  )
}

/** POST …/{id}/archive */
export async function archive(c: C, platform: Platform) {
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  const result = await archiveAchievement(platform, actorOf(c), c.var.tenant!.id, a.id)
  if (!result.ok) return c.var.renderError(result.error === 'forbidden' ? 403 : 404)
  return c.redirect(`${owner.base}?done=archived`, 303)
}
