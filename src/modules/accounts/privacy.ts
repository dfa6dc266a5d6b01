import { verify } from '@node-rs/argon2'
import { firstRow, sql } from '../../platform/db/index.ts'
import { hitRateLimit } from '../../platform/http/rate-limit.ts'
import { isLang, type Lang, translator } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import {
  type AfterErase,
  type ErasureBlocker,
  type Person,
  type PersonalDataPart,
  personalDataParts,
} from '../../platform/personal-data.ts'
import type { Result } from './accounts.ts'
import { accountsPersonalData } from './personal-data.ts'
import * as repo from './repository.ts'

/** Tries of the password on the deletion form per account, as for signing in. */
export const DELETE_LIMIT = { limit: 8, windowSeconds: 15 * 60 }

/** The download "Download my data" gives: one section per module, this person's rows only. */
export interface MyData {
  format: 'learncity-personal-data'
  version: 1
  exportedAt: string
  person: Person
  sections: Record<string, unknown>
}

/** The modules' parts with the account's own last: every other part may still read the user row. */
function partsInErasureOrder(): PersonalDataPart[] {
  const others = personalDataParts().filter((p) => p !== accountsPersonalData)
  return [...others, accountsPersonalData]
}

/** The export's file name for a day, e.g. `learncity-my-data-2026-12-04.json`. */
export function exportFileName(at: Date): string {
  return `learncity-my-data-${at.toISOString().slice(0, 10)}.json`
}

/** Everything the platform holds about the signed-in person, from every module that registered a part. */
export async function exportMyData(
  platform: Platform,
  userId: number,
  now = new Date(),
): Promise<Result<MyData, 'not-found'>> {
  const user = await repo.findUserById(platform.db, userId)
  if (!user) return { ok: false, error: 'not-found' }
  const person = { id: user.id, email: user.email }
  const sections: Record<string, unknown> = {}
  // Accounts first: the profile opens the file.
  for (const part of [accountsPersonalData, ...partsInErasureOrder().slice(0, -1)])
    sections[part.module] = await part.export(platform.db, person)
  // Dates and byte strings come back differently from PGlite and node-postgres: JSON makes them one.
  const normalised = JSON.parse(JSON.stringify(sections)) as Record<string, unknown>
  return {
    ok: true,
    value: {
      format: 'learncity-personal-data',
      version: 1,
      exportedAt: now.toISOString(),
      person,
      sections: normalised,
    },
  }
}

export type DeleteError = 'invalid' | 'wrong-password' | 'blocked' | 'not-found' | 'rate-limited'

/**
 * Deletes the signed-in person's account after they typed their password again: in one transaction
 * every module erases or unlinks its part (see docs/privacy.md), unless a module names something to
 * do first (e.g. hand over a provider they are the last admin of). Then the work the erasures left
 * for after the commit runs, and a confirmation goes to the address the account had.
 */
export async function deleteMyAccount(
  platform: Platform,
  userId: number,
  password: string,
  context: { lang: Lang },
): Promise<Result<{ email: string }, DeleteError> & { blockers?: ErasureBlocker[] }> {
  if (!password)
    return { ok: false, error: 'invalid', fields: [{ field: 'password', key: 'errors.passwordMissing' }] }
  if (password.length > 200) return { ok: false, error: 'wrong-password' }
  const { db } = platform
  const limit = await hitRateLimit(
    db,
    `delete:user:${userId}`,
    DELETE_LIMIT.limit,
    DELETE_LIMIT.windowSeconds,
  )
  if (!limit.allowed) return { ok: false, error: 'rate-limited' }
  const user = await repo.findUserById(db, userId)
  if (!user) return { ok: false, error: 'not-found' }
  if (!(await verify(user.passwordHash, password))) return { ok: false, error: 'wrong-password' }
  const person = { id: user.id, email: user.email }

  const outcome = await db.transaction(async (tx) => {
    // Two deletions of one account at once: the second waits here and then finds no user.
    const locked = await firstRow(tx, sql`select id from users where id = ${person.id} for update`)
    if (!locked) return { gone: true as const }
    const blockers: ErasureBlocker[] = []
    for (const part of partsInErasureOrder()) blockers.push(...((await part.blockers?.(tx, person)) ?? []))
    if (blockers.length > 0) return { blockers }
    const after: AfterErase[] = []
    for (const part of partsInErasureOrder()) {
      const next = await part.erase(tx, person)
      if (next) after.push(next)
    }
    return { after }
  })
  if ('gone' in outcome) return { ok: false, error: 'not-found' }
  if ('blockers' in outcome) return { ok: false, error: 'blocked', blockers: outcome.blockers }

  for (const next of outcome.after) {
    try {
      await next(platform)
    } catch (error) {
      // The account is gone already; a notice that failed is logged, not undone.
      platform.log.error({ err: error }, 'work after an account deletion failed')
    }
  }
  const lang = isLang(user.language) ? user.language : context.lang
  const t = translator(lang)
  await platform.mail.send({
    to: user.email,
    subject: t('accounts.mail.deleted.subject'),
    text: t('accounts.mail.deleted.body', {
      name: user.displayName,
      signUp: `${platform.config.publicUrl}/${lang}/account/sign-up`,
    }),
  })
  return { ok: true, value: { email: user.email } }
}
