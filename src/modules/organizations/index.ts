export { writeKeyOf } from './api-key-auth.ts'
export {
  type ApiKeyIdentity,
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from './api-keys.ts'
export { organizationsModule } from './module.ts'
export {
  addStaff,
  createOrganization,
  type NewOrganization,
  registerOrganization,
  reviewOrganization,
} from './organizations.ts'
export {
  findOrganization,
  findOrganizationById,
  listChanges as listOrganizationChanges,
  listOrganizations,
  type OrganizationRow,
  venueIdsOf as organizationVenueIds,
} from './repository.ts'
export {
  API_SCOPES,
  type ApiScope,
  ORGANIZATION_STATUSES,
  type OrganizationStatus,
  SECTORS,
  type Sector,
  STAFF_ROLES,
  type StaffRole,
} from './schema.ts'
export { acceptInvitation, changeStaffRole, inviteStaff, removeStaffMember } from './staff.ts'
export { listStaff, staffMembershipsOf, staffRolesOf } from './staff-repository.ts'
