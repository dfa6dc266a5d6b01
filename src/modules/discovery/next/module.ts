import type { Module } from '../../../platform/module.ts'

/** "What next?": suggestions for a signed-in learner, each with its reason, and coordinators' featuring. */
export const whatNextModule: Module = {
  name: 'what-next',
}
