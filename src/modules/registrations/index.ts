export { registrationsModule } from './module.ts'
