export { addOpenDataFeed, OPEN_DATA_LICENSE, type OpenDataFeed, openDataFeeds } from './feeds.ts'
export { interopModule } from './module.ts'
export { activitiesOf } from './openactive/activities.ts'
export { stampAll } from './rpde/stamp.ts'
