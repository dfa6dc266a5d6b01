export { adminModule } from './module.tsx'
