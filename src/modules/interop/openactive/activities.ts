import { readFileSync } from 'node:fs'

/** A concept of the OpenActive Activity List (https://openactive.io/activity-list, CC BY 4.0). */
export interface ActivityConcept {
  id: string
  prefLabel: string
  altLabel?: string[]
}

export const ACTIVITY_LIST = 'https://openactive.io/activity-list'

const list = JSON.parse(readFileSync(new URL('./activity-list.json', import.meta.url), 'utf8')) as {
  concepts: ActivityConcept[]
}

/** Lower case, accents and punctuation folded, so "Tai-Chi" and "tai chi" meet. */
function fold(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

const byLabel = new Map<string, ActivityConcept>()
for (const concept of list.concepts) {
  for (const label of [concept.prefLabel, ...(concept.altLabel ?? [])]) {
    const key = fold(label)
    if (key && !byLabel.has(key)) byLabel.set(key, concept)
  }
}

/**
 * The activity-list concepts an opportunity's topics name (by preferred or alternative label,
 * ignoring case, accents and punctuation), each once, in the topics' order. An opportunity with
 * none is not a physical activity in OpenActive's sense and stays out of its feeds.
 */
export function activitiesOf(topics: readonly string[]): ActivityConcept[] {
  const found = new Map<string, ActivityConcept>()
  for (const topic of topics) {
    const concept = byLabel.get(fold(topic))
    if (concept) found.set(concept.id, concept)
  }
  return [...found.values()]
}
