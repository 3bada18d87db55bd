import type { LocationQueryValue, RouteLocationRaw, Router } from 'vue-router'
import { FORCED_PASSWORD_ROUTE, HOME_PATH, LOGIN_PATH } from './routes'

/** What the guards need from the session store. */
export interface GuardSession {
  readonly mustChangePassword: boolean
  ensureLoaded(): Promise<boolean>
}

/** A redirect target from a query value: only same-site paths, never back to the login page. */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined, fallback = HOME_PATH): string {
  const v = Array.isArray(value) ? value[0] : value
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return fallback
  if (v === LOGIN_PATH || v.startsWith(`${LOGIN_PATH}?`) || v.startsWith('/password')) return fallback
  return v
}

export function loginLocation(redirect: string): RouteLocationRaw {
  return redirect && redirect !== '/' && redirect !== LOGIN_PATH
    ? { path: LOGIN_PATH, query: { redirect } }
    : { path: LOGIN_PATH }
}

export function installGuards(router: Router, session: GuardSession): void {
  router.beforeEach(async (to) => {
    if (to.meta.public) return true
    if (!(await session.ensureLoaded())) return loginLocation(to.fullPath)
    if (session.mustChangePassword && to.name !== FORCED_PASSWORD_ROUTE) {
      return { name: FORCED_PASSWORD_ROUTE, query: { redirect: to.fullPath } }
    }
    if (!session.mustChangePassword && to.name === FORCED_PASSWORD_ROUTE) {
      // Nothing is forced: the voluntary change lives inside the layout.
      return { name: 'profile-password' }
    }
    return true
  })
}
