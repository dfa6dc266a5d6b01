/**
 * The discovery benchmark's catalogue, generated in the database: providers named after the real
 * districts, N opportunities (multilingual titles and descriptions from discovery-words.ts, topics,
 * ages, prices, accessibility, places inside the real district boundaries) and their sessions in the
 * coming weeks, each an INSERT … SELECT over generate_series, so a million rows take minutes, not
 * hours. Random choices are hashes of the row number: every run builds the same catalogue.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import { arrayOf, type Db, rows, sql } from '../src/platform/db/index.ts'
import { CLOSINGS, LEVELS, PROVIDER_KINDS, TOPICS } from './discovery-words.ts'

/** A place inside a district: the centres queries search around come from the same list. */
export interface Place {
  lat: number
  lon: number
  districtId: number
  code: string
  name: string
}

/** The same deterministic generator as the import suite's, so the query mix is the same every run. */
export function random(seed: number) {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  return { next, pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! }
}

/** Points inside the city's districts, as many in each as its share of the population. */
export async function placesOf(db: Db, cityId: number, count: number): Promise<Place[]> {
  const districts = await rows<{
    id: number
    code: string
    name: string
    population: number | null
    bbox: number[]
    geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] }
  }>(
    db,
    sql`select id::int as id, code, name ->> 'en' as name, population, bbox, geometry
        from districts where city_id = ${cityId} order by code`,
  )
  const total = districts.reduce((sum, d) => sum + (d.population ?? 1), 0)
  const rnd = random(7)
  const places: Place[] = []
  for (const d of districts) {
    const [minLon, minLat, maxLon, maxLat] = d.bbox as [number, number, number, number]
    const wanted = Math.max(5, Math.round((count * (d.population ?? 1)) / total))
    for (let n = 0, tries = 0; n < wanted && tries < wanted * 50; tries++) {
      const lon = minLon + rnd.next() * (maxLon - minLon)
      const lat = minLat + rnd.next() * (maxLat - minLat)
      if (!booleanPointInPolygon([lon, lat], d.geometry as never)) continue
      places.push({ lat, lon, districtId: d.id, code: d.code, name: d.name })
      n++
    }
  }
  return places
}

/** The city's timezone-local wall clock as text, e.g. 2027-01-04T10:30, from a local timestamp. */
const LOCAL = `'YYYY-MM-DD"T"HH24:MI'`

/** A hash of the row number and a salt, 0 … 2^31-1: the "random" choices of one row. */
const hash = (salt: number) => `(hashint4(g * 17 + ${salt * 1_000_003}) & 2147483647)`
const h = (salt: number) => sql.raw(hash(salt))

/**
 * Inserts `count` opportunities (and their providers and sessions) into the city; returns what it
 * made. Indexes of the two tables are dropped first and rebuilt at the end (faster than keeping
 * them up to date row by row); `say` reports progress.
 */
export async function generateCatalogue(
  db: Db,
  city: { id: number; timeZone: string },
  count: number,
  options: { chunk: number; say: (line: string) => void },
): Promise<{ providers: number; opportunities: number; sessions: number; places: Place[] }> {
  const places = await placesOf(db, city.id, 4000)
  const providerCount = Math.min(400, Math.max(40, Math.round(count / 2500)))
  const providers = Array.from({ length: providerCount }, (_, i) => {
    const kind = PROVIDER_KINDS[i % PROVIDER_KINDS.length]!
    const place = places[(i * 37) % places.length]!
    return {
      slug: `bench-${kind.sector}-${i}`,
      name: `${kind.name(place.name, i)} (bench)`,
      sector: kind.sector,
    }
  })
  const orgIds = (
    await rows<{ id: number }>(
      db,
      sql`insert into organizations (city_id, slug, name, description, sector, status, is_demo)
          select ${city.id}, p->>'slug', jsonb_build_object('en', p->>'name'),
            '{"en":"An invented provider of the discovery benchmark."}', p->>'sector', 'trusted', true
          from jsonb_array_elements(${JSON.stringify(providers)}::jsonb) as p
          returning id::int as id`,
    )
  ).map((r) => r.id)

  const indexes = await rows<{ name: string; definition: string }>(
    db,
    sql`select indexname as name, indexdef as definition from pg_indexes
        where tablename in ('opportunities', 'opportunity_sessions') and indexdef not like '%UNIQUE INDEX%pkey%'
          and indexname not like '%_pkey'`,
  )
  for (const index of indexes) await db.execute(sql.raw(`drop index "${index.name}"`))

  // Each list its own jsonb value: `list -> n` copies one element, where `whole -> 'places' -> n`
  // would copy the whole list of places for every row.
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`
  const vocabulary = sql`${json(TOPICS)} as topics, ${json(LEVELS)} as levels, ${json(CLOSINGS)} as closings,
    ${json(places.map((p) => [p.lat, p.lon, p.districtId, p.name]))} as places`
  const T = TOPICS.length
  const langs = ['en', 'es', 'fr', 'zh', 'ar', 'ru'] as const
  // How likely a row has text in each language (when its topic has it); Spanish-only rows exist.
  const chance: Record<(typeof langs)[number], number> = { en: 85, es: 45, fr: 30, zh: 25, ar: 25, ru: 25 }
  const has = (lang: (typeof langs)[number], i: number) =>
    lang === 'en'
      ? `(${hash(20)} % 100 < 85 or tp -> 'title' ->> 'es' is null)`
      : `(tp -> 'title' ->> '${lang}' is not null and ${hash(21 + i)} % 100 < ${chance[lang]})`
  // "… in Pilsen": some titles say where, in the languages that put a preposition before a place.
  const suffix: Record<string, string> = { en: ' in ', es: ' en ', fr: ' à ' }
  const titleOf = (lang: (typeof langs)[number], i: number) =>
    `case when ${has(lang, i)} then (tp -> 'title' ->> '${lang}') || ': ' || (lv ->> '${lang}')
      || case when ${lang in suffix} and ${hash(30)} % 100 < 30 then '${suffix[lang] ?? ''}' || (pt ->> 3) else '' end end`
  const descriptionOf = (lang: (typeof langs)[number], i: number) =>
    `case when ${has(lang, i)} then coalesce((tp -> 'about' ->> '${lang}') || ' ', '') || (cl ->> '${lang}') end`
  const pairs = (of: (lang: (typeof langs)[number], i: number) => string) =>
    sql.raw(langs.map((lang, i) => `'${lang}', ${of(lang, i)}`).join(', '))
  const tz = city.timeZone
  let made = 0
  for (let from = 1; from <= count; from += options.chunk) {
    const to = Math.min(count, from + options.chunk - 1)
    await db.execute(sql`
      with v as materialized (select ${vocabulary}, ${arrayOf(orgIds, 'int8')} as orgs),
      r as (
        select g, v.orgs, v.topics -> (${h(1)} % ${T}) as tp,
          v.topics -> (${h(2)} % ${T}) ->> 'topic' as second,
          v.levels -> (${h(3)} % ${LEVELS.length}) as lv,
          v.closings -> (${h(4)} % ${CLOSINGS.length}) as cl,
          v.places -> (${h(5)} % ${places.length}) as pt,
          ${h(6)} % 100 as format_roll, ${h(7)} % 100 as kind_roll, ${h(8)} as when_roll,
          ${h(9)} % 100 as free_roll, ${h(10)} as access_bits, ${h(11)} % 100 as status_roll,
          ${h(12)} as org_roll, ${h(13)} % 100 as second_roll
        from v cross join generate_series(${from}::int, ${to}::int) as g
      ),
      d as (
        select r.*, jsonb_strip_nulls(jsonb_build_object(${pairs(titleOf)})) as title,
          jsonb_strip_nulls(jsonb_build_object(${pairs(descriptionOf)})) as description,
          case when second_roll < 30 and second <> tp ->> 'topic' then array[tp ->> 'topic', second]
            else array[tp ->> 'topic'] end as topics,
          case when format_roll < 12 then 'online' when format_roll < 20 then 'hybrid' else 'in-person' end as format,
          case when kind_roll < 6 then 'self-paced' when kind_roll < 26 then 'once' else 'series' end as kind,
          to_char((now() at time zone ${tz})::date + (when_roll % 21)
            + make_interval(hours => 9 + (when_roll / 21) % 11, mins => ((when_roll / 231) % 2) * 30), ${sql.raw(LOCAL)}) as start
        from r
      )
      insert into opportunities (city_id, organization_id, external_id, status, title, description,
        building_block, topics, age_min, age_max, groups, languages, format, address, lat, lon,
        district_id, join_url, schedule, free, price, accessibility, capacity, image_url, image_alt,
        is_demo, published_at, search_document)
      select ${city.id}, orgs[1 + org_roll % array_length(orgs, 1)], 'bench-' || g,
        case when status_roll < 96 then 'published' else 'draft' end, title, description,
        tp ->> 'block', topics,
        (tp -> 'ages' ->> 0)::int, (tp -> 'ages' ->> 1)::int,
        array(select jsonb_array_elements_text(tp -> 'groups')),
        array(select k from jsonb_object_keys(title) as k order by k),
        format,
        case when format <> 'online' then (pt ->> 3) || ', Chicago, IL' end,
        case when format <> 'online' then (pt ->> 0)::float8 end,
        case when format <> 'online' then (pt ->> 1)::float8 end,
        case when format <> 'online' then (pt ->> 2)::int8 end,
        case when format <> 'in-person' then 'https://meet.example.org/bench-' || g end,
        case kind when 'self-paced' then '{"kind":"self-paced"}'::jsonb
          when 'once' then jsonb_build_object('kind', 'once', 'start', start, 'durationMinutes', 90)
          else jsonb_build_object('kind', 'series', 'start', start, 'durationMinutes', 60 + (when_roll % 3) * 30,
            'rrule', 'FREQ=WEEKLY;COUNT=' || (2 + when_roll % 5), 'rdates', '[]'::jsonb, 'exdates', '[]'::jsonb) end,
        free_roll < 60,
        case when free_roll >= 60 then (array[5, 10, 15, 25, 40, 60, 120])[1 + free_roll % 7] end,
        array_remove(array[
          case when access_bits % 10 < 6 then 'step-free' end,
          case when (access_bits / 10) % 10 < 2 then 'hearing-loop' end,
          case when (access_bits / 100) % 10 < 1 then 'sign-language' end,
          case when (access_bits / 1000) % 10 < 2 and format <> 'in-person' then 'captions' end,
          case when (access_bits / 10000) % 10 < 2 then 'quiet-space' end,
          case when (access_bits / 100000) % 10 < 1 then 'childcare' end,
          case when (access_bits / 1000000) % 10 < 2 then 'large-print' end], null),
        case when (access_bits / 10000000) % 100 < 85 then 8 + (access_bits / 10000000) % 25 end,
        '/static/demo/learning.svg', '{"en":"Illustration: people learning together at a table"}',
        true, case when status_roll < 96 then now() end,
        -- The words as the opportunities module computes them (migration 0015), with the row.
        lc_search_document(title, topics, description)
      from d`)
    made += to - from + 1
    options.say(`  … ${made} opportunities`)
  }
  // Sessions: the schedule's start, then weekly as its COUNT says; a few are cancelled. Their slots
  // in the search index (migration 0031) in one pass after: the trigger would look up each
  // opportunity's sessions with the indexes dropped.
  await db.execute(sql`alter table opportunity_sessions disable trigger sessions_search_insert`)
  await db.execute(sql`
    insert into opportunity_sessions (city_id, opportunity_id, starts_at, ends_at, local_start, cancelled)
    select o.city_id, o.id, l.t at time zone ${tz},
      (l.t + make_interval(mins => (o.schedule ->> 'durationMinutes')::int)) at time zone ${tz},
      to_char(l.t, ${sql.raw(LOCAL)}), (hashint4(o.id::int * 7 + k) & 2147483647) % 100 < 2
    from opportunities o
    cross join lateral generate_series(0,
      coalesce(substring(o.schedule ->> 'rrule' from 'COUNT=([0-9]+)')::int, 1) - 1) as k
    cross join lateral (select (o.schedule ->> 'start')::timestamp + k * interval '7 days' as t) as l
    where o.city_id = ${city.id} and o.external_id like 'bench-%' and o.schedule ->> 'kind' <> 'self-paced'`)
  await db.execute(sql`alter table opportunity_sessions enable trigger sessions_search_insert`)
  await db.execute(sql`
    update opportunities o set search_sessions = v.slots
    from (select s.opportunity_id, array_to_tsvector(array_agg(distinct x)) as slots
          from opportunity_sessions s cross join lateral unnest(lc_session_slots(s.local_start)) as x
          where s.city_id = ${city.id} and not s.cancelled and s.starts_at >= now() - interval '7 days'
          group by s.opportunity_id) as v
    where o.id = v.opportunity_id`)
  options.say('  … sessions and their slots written; rebuilding indexes')
  for (const index of indexes) await db.execute(sql.raw(index.definition))
  const [counted] = await rows<{ opportunities: number; sessions: number }>(
    db,
    sql`select (select count(*)::int from opportunities where city_id = ${city.id}) as opportunities,
          (select count(*)::int from opportunity_sessions where city_id = ${city.id}) as sessions`,
  )
  return {
    providers: orgIds.length,
    opportunities: counted!.opportunities,
    sessions: counted!.sessions,
    places,
  }
}
