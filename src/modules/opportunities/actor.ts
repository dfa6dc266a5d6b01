import type { Tenant, Viewer } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { cityRolesOf } from '../accounts/index.ts'
import { type ApiKeyIdentity, staffMembershipsOf } from '../organizations/index.ts'
import type { Actor } from './opportunities.ts'

/** The rights of a signed-in person in the city of the URL. */
export async function actorForViewer(platform: Platform, viewer: Viewer, tenant: Tenant): Promise<Actor> {
  const roles = await cityRolesOf(platform.db, viewer.id, tenant.id)
  return {
    userId: viewer.id,
    label: viewer.displayName,
    cityId: tenant.id,
    timeZone: tenant.timeZone,
    coordinator: viewer.isNetworkAdmin || roles.includes('coordinator'),
    organizations: await staffMembershipsOf(platform.db, tenant.id, viewer.id),
  }
}

/** The rights of an organization's API key: edit that organization's opportunities, nothing else. */
export function actorForApiKey(key: ApiKeyIdentity, timeZone: string): Actor {
  return {
    userId: null,
    label: `API key "${key.name}"`,
    cityId: key.cityId,
    timeZone,
    coordinator: false,
    organizations: key.scopes.includes('opportunities:write')
      ? [{ id: key.organizationId, role: 'editor', trusted: key.trusted }]
      : [],
  }
}
