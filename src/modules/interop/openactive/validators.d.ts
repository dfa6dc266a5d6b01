/** The parts of OpenActive's validators (plain JavaScript, no types) the conformance tests use. */
declare module '@openactive/data-model-validator' {
  export interface ValidationError {
    severity: 'failure' | 'warning' | 'suggestion'
    type: string
    message: string
    path?: string
  }
  /** Validates one item or a whole RPDE page. */
  export function validate(data: unknown, options?: Record<string, unknown>): Promise<ValidationError[]>
}

declare module '@openactive/rpde-validator' {
  export interface FeedLog {
    pages: { url: string; errors: import('@openactive/data-model-validator').ValidationError[] }[]
  }
  /** Walks a feed from `url`, then asks for a page beyond its end. */
  export function RpdeValidator(
    url: string,
    options?: { pageLimit?: number; timeoutMs?: number; requestDelayMs?: number },
  ): Promise<FeedLog>
}
