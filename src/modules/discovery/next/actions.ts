/** The use cases of "what next?" that change something: a learner's preferences, a city's featuring. */
import type { Db } from '../../../platform/db/index.ts'
import { type FeaturingInput, type Parsed, parseFeaturing, parsePreferences } from './input.ts'
import * as repo from './repository.ts'

/** Saves a learner's interests and district from the form, or says what is wrong with it. */
export async function setPreferences(db: Db, cityId: number, userId: number, body: Record<string, unknown>) {
  const districts = await repo.districtChoices(db, cityId)
  const parsed = parsePreferences(body, new Set(districts.map((d) => d.code)))
  if (parsed.ok) await repo.savePreferences(db, cityId, userId, parsed.value)
  return parsed
}

/** Forgets a learner's interests and district in this city. */
export function clearPreferences(db: Db, cityId: number, userId: number) {
  return repo.deletePreferences(db, cityId, userId)
}

/** Features one of the city's published opportunities (again, with a new end), or says why not. */
export async function featureOpportunity(
  db: Db,
  city: { id: number; slug: string; timeZone: string },
  coordinatorId: number,
  body: Record<string, unknown>,
  now: Date,
): Promise<Parsed<FeaturingInput>> {
  const parsed = parseFeaturing(body, city, now)
  if (!parsed.ok) return parsed
  const found = await repo.publishedOpportunity(db, city.id, parsed.value.opportunityId)
  if (!found)
    return {
      ok: false,
      problems: [
        { field: 'opportunity', key: 'errors.notPublished', values: { id: parsed.value.opportunityId } },
      ],
    }
  await repo.feature(db, city.id, found.id, coordinatorId, parsed.value.until)
  return parsed
}

/** Stops featuring an opportunity of the city (nothing happens when it was not featured). */
export function unfeatureOpportunity(db: Db, cityId: number, opportunityId: number) {
  return repo.unfeature(db, cityId, opportunityId)
}
