import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { cityId } from '../../platform/db/columns.ts'

/**
 * The words of a city's published opportunities (lower-cased, as written, in every language), with
 * how many opportunities use each: what a mistyped search word is corrected to ("robtics" →
 * "robotics"). Rebuilt by a job from the opportunities, so writing an opportunity costs nothing more.
 */
export const discoveryWords = pgTable(
  'discovery_words',
  {
    cityId: cityId(),
    word: text('word').notNull(),
    uses: integer('uses').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cityId, t.word] }),
    index('discovery_words_trgm_idx').using('gin', t.word.op('gin_trgm_ops')),
  ],
)
