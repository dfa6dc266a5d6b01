import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { page } from '../../platform/ui/layout.tsx'
import { DOCUMENTED_COLUMNS } from './import-columns.ts'
import { ACCESSIBILITY, AUDIENCE_GROUPS, BUILDING_BLOCKS, FORMATS } from './model.ts'

/** Codes a column accepts, straight from the model (so the guide cannot drift from validation). */
const CODES: Record<string, readonly string[]> = {
  publish: ['yes', 'no'],
  building_block: BUILDING_BLOCKS,
  groups: AUDIENCE_GROUPS,
  format: FORMATS,
  schedule_kind: ['once', 'series', 'self-paced'],
  free: ['yes', 'no'],
  financial_help: ['yes', 'no'],
  accessibility: ACCESSIBILITY,
}

const REQUIRED = new Set([
  'external_id',
  'title_*',
  'description_*',
  'building_block',
  'languages',
  'format',
  'schedule_kind',
  'free',
  'image_url',
  'image_alt_*',
])

/** The message key explaining a column: `title_*` → `opportunities.import.column.title_lang`. */
export const columnKey = (column: string) => `opportunities.import.column.${column.replace('_*', '_lang')}`

/** The guide to the import file: one row per column with what it holds and which codes it accepts. */
export function guideView(c: Context<AppEnv>, uploadHref: string) {
  const { t } = c.var
  return page(
    c,
    { title: t('opportunities.import.guide.title') },
    <>
      <h1>{t('opportunities.import.guide.title')}</h1>
      <p>{t('opportunities.import.guide.intro')}</p>
      <p>{t('opportunities.import.guide.lists')}</p>
      <p>{t('opportunities.import.guide.languages')}</p>
      <table>
        <caption>{t('opportunities.import.guide.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('opportunities.import.guide.column')}</th>
            <th scope="col">{t('opportunities.import.guide.required')}</th>
            <th scope="col">{t('opportunities.import.guide.meaning')}</th>
          </tr>
        </thead>
        <tbody>
          {DOCUMENTED_COLUMNS.map((column) => (
            <tr>
              <th scope="row" dir="ltr">
                <code>{column}</code>
              </th>
              <td>{REQUIRED.has(column) ? t('opportunities.import.guide.yes') : ''}</td>
              <td>
                {t(columnKey(column))}
                {CODES[column] && (
                  <>
                    {' '}
                    {t('opportunities.import.guide.codes')} <code dir="ltr">{CODES[column].join(', ')}</code>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={uploadHref}>{t('opportunities.import.guide.back')}</a>
      </p>
    </>,
  )
}
