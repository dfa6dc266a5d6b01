export { actorForApiKey, actorForViewer } from './actor.ts'
export { calendarHeaders, calendarOf } from './calendar.ts'
export { startImport } from './import.ts'
export {
  ACCESSIBILITY,
  AUDIENCE_GROUPS,
  BUILDING_BLOCKS,
  FORMATS,
  type OpportunityInput,
  opportunityInput,
} from './model.ts'
export { opportunitiesModule } from './module.ts'
export {
  type Actor,
  announce,
  cancelSession,
  createOpportunity,
  inTransaction,
  parseOpportunity,
  planCreates,
  prepareOpportunities,
  transition,
  updateOpportunity,
  writeCreates,
  writeUpdates,
} from './opportunities.ts'
export {
  findOpportunities,
  findOpportunity,
  listChanges,
  listForOrganization,
  listSessions,
  type OpportunityRow,
} from './repository.ts'
export { INDEX_SEARCH_JOB, indexSearchDocuments, queueSearchIndexing } from './search-index.ts'
