/**
 * Typed in-process domain events: a module announces what happened, others react, and neither
 * imports the other. Handlers that need durability enqueue a job instead of working inline.
 */
export interface DomainEvents {
  /** Sessions of an opportunity were cancelled (one session, or all when the opportunity was cancelled). */
  'opportunity.sessions-cancelled': {
    cityId: number
    opportunityId: number
    sessionIds: number[]
    note: string | null
  }
  /** A published opportunity's content changed; `fields` are the changed field names. */
  'opportunity.changed': { cityId: number; opportunityId: number; fields: string[] }
  /** Attendance was taken at a session: `userIds` are the account holders marked as attended. */
  'registration.attended': { cityId: number; opportunityId: number; sessionId: number; userIds: number[] }
}

export type EventName = keyof DomainEvents
type Handler<K extends EventName> = (payload: DomainEvents[K]) => Promise<void>

export interface EventBus {
  on<K extends EventName>(name: K, handler: Handler<K>): void
  /** Runs every handler in turn; a failing handler is logged and does not stop the others. */
  emit<K extends EventName>(name: K, payload: DomainEvents[K]): Promise<void>
}

export function createEventBus(onError: (name: string, error: unknown) => void): EventBus {
  const handlers = new Map<EventName, Handler<never>[]>()
  return {
    on(name, handler) {
      handlers.set(name, [...(handlers.get(name) ?? []), handler as Handler<never>])
    },
    async emit(name, payload) {
      for (const handler of handlers.get(name) ?? []) {
        try {
          await (handler as Handler<typeof name>)(payload)
        } catch (error) {
          onError(name, error)
        }
      }
    },
  }
}
