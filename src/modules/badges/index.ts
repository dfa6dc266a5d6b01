export { badgeVerifierModule } from './verify/module.ts'
