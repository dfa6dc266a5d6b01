import ICAL from 'ical.js'

/** One occurrence as a calendar program shows it. */
export interface ReadOccurrence {
  uid: string
  start: string
  end: string
  cancelled: boolean
  summary: string
}

/**
 * Reads an .ics text as a calendar program would, with ical.js: the zones from the file's own
 * VTIMEZONEs (ical.js knows no others), each recurring event expanded with its EXDATEs and its
 * overrides (RECURRENCE-ID) applied, up to `until`. Occurrences are sorted by start.
 */
export function readCalendar(ics: string, until: Date): ReadOccurrence[] {
  const calendar = new ICAL.Component(ICAL.parse(ics))
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone)
  try {
    const byUid = new Map<string, InstanceType<typeof ICAL.Event>>()
    const overrides: InstanceType<typeof ICAL.Event>[] = []
    for (const component of calendar.getAllSubcomponents('vevent')) {
      const event = new ICAL.Event(component)
      if (component.hasProperty('recurrence-id')) overrides.push(event)
      else byUid.set(event.uid, event)
    }
    for (const override of overrides) {
      const master = byUid.get(override.uid)
      if (!master) throw new Error(`override of ${override.uid} without its master event`)
      master.relateException(override)
    }
    const found: ReadOccurrence[] = []
    const end = ICAL.Time.fromJSDate(until, true)
    for (const event of byUid.values()) {
      const status = (e: InstanceType<typeof ICAL.Event>) => e.component.getFirstPropertyValue('status')
      if (!event.isRecurring()) {
        found.push(occurrence(event.uid, event.startDate, event.endDate, status(event), event.summary))
        continue
      }
      const iterator = event.iterator()
      for (let t = iterator.next(); t && t.compare(end) < 0; t = iterator.next()) {
        const details = event.getOccurrenceDetails(t)
        const item = details.item
        found.push(occurrence(event.uid, details.startDate, details.endDate, status(item), item.summary))
      }
    }
    return found.sort((a, b) => a.start.localeCompare(b.start))
  } finally {
    for (const zone of calendar.getAllSubcomponents('vtimezone')) {
      ICAL.TimezoneService.remove(String(zone.getFirstPropertyValue('tzid')))
    }
  }
}

function occurrence(
  uid: string,
  start: InstanceType<typeof ICAL.Time>,
  end: InstanceType<typeof ICAL.Time>,
  status: unknown,
  summary: string,
): ReadOccurrence {
  return {
    uid,
    start: start.toJSDate().toISOString(),
    end: end.toJSDate().toISOString(),
    cancelled: status === 'CANCELLED',
    summary,
  }
}

/** Every content line of an .ics text, checked for CRLF ends and the 75-octet limit of RFC 5545. */
export function contentLineProblems(ics: string): string[] {
  const problems: string[] = []
  if (!ics.endsWith('\r\n')) problems.push('the last line does not end with CRLF')
  const lines = ics.split('\r\n').slice(0, -1)
  lines.forEach((line, i) => {
    if (line.includes('\n') || line.includes('\r')) problems.push(`line ${i + 1} has a bare line break`)
    const octets = Buffer.byteLength(line, 'utf8')
    if (octets > 75) problems.push(`line ${i + 1} has ${octets} octets`)
  })
  return problems
}
