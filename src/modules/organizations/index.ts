export { type ApiKeyIdentity, authenticateApiKey, createApiKey, revokeApiKey } from './api-keys.ts'
export { organizationsModule } from './module.ts'
export { addStaff, createOrganization, type NewOrganization } from './organizations.ts'
export {
  findOrganization,
  findOrganizationById,
  listOrganizations,
  type OrganizationRow,
  staffMembershipsOf,
  staffRolesOf,
} from './repository.ts'
export { API_SCOPES, type ApiScope, SECTORS, type Sector, STAFF_ROLES, type StaffRole } from './schema.ts'
