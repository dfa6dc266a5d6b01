import type { Db } from './db/index.ts'
import type { Platform } from './module.ts'

/** The person whose data is exported or erased: an account id and its (verified) email address. */
export interface Person {
  id: number
  email: string
}

/**
 * Why an account cannot be deleted yet, e.g. `{ reason: 'last-admin', subject: { en: 'Makers Lab' } }`.
 * `reason` names a message the accounts module words; `subject` is what it is about, per language.
 */
export interface ErasureBlocker {
  reason: string
  subject: Partial<Record<string, string>>
}

/** One module's share of a person's data: what it exports and how it erases or unlinks it. */
export interface PersonalDataPart {
  /** The section name in the export (the module's name). */
  module: string
  /** This person's rows only: never secrets (hashes, tokens), never other people's emails. */
  export(db: Db, person: Person): Promise<Record<string, unknown>>
  /**
   * Erases the person's own rows and unlinks the rows others rely on; runs inside one transaction.
   * May return what to do once it has committed (mail someone, queue a job).
   */
  erase(db: Db, person: Person): Promise<AfterErase | undefined>
  /** What must happen before the account can go (checked in the same transaction, before any erase). */
  blockers?(db: Db, person: Person): Promise<ErasureBlocker[]>
}

/** Work an erase leaves for after the commit, when mail and jobs may go out. */
export type AfterErase = (platform: Platform) => Promise<void>

const parts = new Map<string, PersonalDataPart>()

/**
 * Adds a module's part to the registry the account export and deletion walk; returns it, so the
 * module's manifest can name it. Registering a second, different part under one name is a bug.
 */
export function registerPersonalData(part: PersonalDataPart): PersonalDataPart {
  const held = parts.get(part.module)
  if (held && held !== part) throw new Error(`Personal data of ${part.module} is registered twice`)
  parts.set(part.module, part)
  return part
}

/** Every registered part, in registration order. */
export function personalDataParts(): PersonalDataPart[] {
  return [...parts.values()]
}
