/**
 * The OpenAPI description of an RFC 9457 problem document (problem.ts sends them), registered once
 * as the `Problem` component so every route that answers with one points at the same schema.
 */
import { z } from '@hono/zod-openapi'

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), detail: z.string() })).optional(),
  })
  .openapi('Problem')

/** The `content` of a response that is a problem document. */
export const problemContent = { 'application/problem+json': { schema: ProblemSchema } }
