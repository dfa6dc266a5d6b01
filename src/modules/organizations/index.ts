export { organizationsModule } from './module.ts'
export { addStaff, createOrganization, type NewOrganization } from './organizations.ts'
export {
  findOrganization,
  findOrganizationById,
  listOrganizations,
  type OrganizationRow,
  staffRolesOf,
} from './repository.ts'
export { SECTORS, type Sector, STAFF_ROLES, type StaffRole } from './schema.ts'
