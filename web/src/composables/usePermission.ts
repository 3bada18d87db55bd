import { useSessionStore } from '@/stores/session'
import { PERM, type PermKey } from '@/utils/permission'

/** `can('orgCreate')` or `can('POST /api/v1/orgs')`. */
export function usePermission() {
  const session = useSessionStore()
  function can(permission: PermKey | string): boolean {
    const key = permission as PermKey
    return session.can(Object.prototype.hasOwnProperty.call(PERM, key) ? PERM[key] : permission)
  }
  return { can }
}
