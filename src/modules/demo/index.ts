export { DEMO_COORDINATOR, DEMO_PROVIDER, demoModule } from './module.ts'
