import type { Db } from '../../../platform/db/index.ts'
import type { Lang } from '../../../platform/i18n/index.ts'
import { learnerBadges } from '../../badges/index.ts'
import { TIME_OF_DAY_HOURS, TIMES_OF_DAY, type TimeOfDay } from '../filters.ts'
import { centroid } from './place.ts'
import * as repo from './repository.ts'
import { type Fragment, type LearnerContext, SOURCES } from './signals.ts'

/** How many suggestions the page shows. */
export const SUGGESTIONS = 10

export interface Suggestion {
  id: number
  title: Record<string, string>
  sessionId: number
  startsAt: Date
  /** Why, in the order the sources are listed (at least one). */
  reasons: Fragment[]
}

export interface WhatNext {
  suggestions: Suggestion[]
  /** Whether the learner has told us nothing and booked nothing (the page asks for interests). */
  knowsNothing: boolean
  preferences: repo.Preferences & { saved: boolean }
}

/** The values that hold at least a third of the counts: what someone usually does. */
function usual<T>(counts: { value: T; n: number }[]): T[] {
  const total = counts.reduce((sum, c) => sum + c.n, 0)
  return counts.filter((c) => c.n * 3 >= total).map((c) => c.value)
}

function timeOfDayOf(hour: number): TimeOfDay {
  return (
    TIMES_OF_DAY.find((t) => hour >= TIME_OF_DAY_HOURS[t][0] && hour < TIME_OF_DAY_HOURS[t][1]) ?? 'evening'
  )
}

/** What we know of a learner in a city: their preferences, and the usual days and times of their bookings. */
export async function learnerContext(
  db: Db,
  city: { id: number },
  userId: number,
  lang: Lang,
  now: Date,
): Promise<{ ctx: LearnerContext; facts: repo.LearnerFacts }> {
  const [facts, badges] = await Promise.all([
    repo.learnerFacts(db, city.id, userId),
    learnerBadges(db, city.id, userId, now),
  ])
  const byTime = new Map<TimeOfDay, number>()
  for (const { hour, n } of facts.hours)
    byTime.set(timeOfDayOf(hour), (byTime.get(timeOfDayOf(hour)) ?? 0) + n)
  const ctx: LearnerContext = {
    cityId: city.id,
    userId,
    lang,
    now,
    interests: facts.interests,
    home: facts.geometry ? centroid(facts.geometry) : null,
    usualDays: usual(facts.days.map((d) => ({ value: d.day, n: d.n }))),
    usualTimes: usual([...byTime].map(([value, n]) => ({ value, n }))),
    bookings: facts.days.reduce((sum, d) => sum + d.n, 0),
    booked: facts.booked,
    badgesHeld: badges.held,
    badgesToEarn: badges.earnable,
  }
  return { ctx, facts }
}

/**
 * "What next?" for a signed-in learner: up to SUGGESTIONS upcoming opportunities, each with the
 * reasons the signal sources give for it. Two statements: what we know of them, then the ranking.
 */
export async function whatNext(
  db: Db,
  city: { id: number },
  userId: number,
  lang: Lang,
  now: Date,
  limit = SUGGESTIONS,
): Promise<WhatNext> {
  const { ctx, facts } = await learnerContext(db, city, userId, lang, now)
  const active = SOURCES.flatMap((source) => {
    const columns = source.columns(ctx)
    return columns ? [{ source, columns }] : []
  })
  const found = await repo.suggestionRows(db, ctx, active, limit)
  return {
    knowsNothing: !facts.saved && ctx.bookings === 0 && ctx.badgesHeld.length === 0,
    preferences: { saved: facts.saved, interests: facts.interests, districtCode: facts.districtCode },
    suggestions: found.map((row) => ({
      id: row.id,
      title: row.title,
      sessionId: row.sessionId,
      startsAt: new Date(row.startsAt),
      reasons: active.flatMap(({ source }) => source.reason(row, ctx) ?? []),
    })),
  }
}
