export { ACTION_AREAS, RESOURCE_TYPES, type ResourceType, THEMES, TOPICS, type Topic } from './model.ts'
export { knowledgeHubModule } from './module.ts'
export { seedHubLibrary } from './seed.ts'
